//! What a valid scenario can never do: conditions that never hold and
//! outcomes that cannot occur. These are warnings, not errors: a scenario
//! without a path to war may be exactly what its author wants to study, but
//! more often such a gap is a mistake (an action missing from every actor, a
//! sign error in an effect).
//!
//! The analysis is structural and errs on the side of silence: it ignores
//! utilities and probabilities, and says an outcome cannot occur only when no
//! sequence of open actions, incidents and events could produce it.

use crate::world::{Cmp, Condition, Outcome, RUNG_STRIKES, RUNG_WAR, Subject, Var, VarInfo};

use super::{EventKind, PastMilestone, Policy, Scenario, TalksChange, WarAtStart};

/// Whether some state within the variables' bounds satisfies `c`, with steps
/// running from 1 to `horizon`.
pub fn can_hold(c: &Condition, horizon: u32, vars: &[VarInfo]) -> bool {
    let (lo, hi, integer) = match c.subject {
        Subject::Var(v) => vars
            .get(v.index())
            .map_or((0.0, 1.0, false), |i| (i.low, i.high, false)),
        Subject::Rung => (0.0, f64::from(RUNG_WAR), true),
        Subject::TalksActive | Subject::Incident | Subject::Ceasefire | Subject::Interim => {
            (0.0, 1.0, true)
        }
        Subject::Step => (1.0, f64::from(horizon.max(1)), true),
    };
    let t = c.threshold;
    match c.cmp {
        Cmp::Lt => lo < t,
        Cmp::Le => lo <= t,
        Cmp::Gt => hi > t,
        Cmp::Ge => hi >= t,
        Cmp::Eq => lo <= t && t <= hi && (!integer || t.fract() == 0.0),
        Cmp::Ne => !(lo == hi && lo == t),
    }
}

/// An outcome that no trial of the scenario can end in, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreachable {
    /// The outcome.
    pub outcome: Outcome,
    /// Why it cannot occur.
    pub reason: String,
    /// What would make it possible.
    pub hint: String,
}

/// The outcomes `s` can never produce.
pub fn unreachable_outcomes(s: &Scenario) -> Vec<Unreachable> {
    // Actions some actor may take: listed, with a non-zero probability for a
    // fixed policy, and preconditions that can hold; or forced by an event.
    let mut takeable = vec![false; s.actions.len()];
    for actor in &s.actors {
        for (local, &g) in actor.actions.iter().enumerate() {
            let chosen = match &actor.policy {
                Policy::Logit => true,
                Policy::Fixed(p) => p.get(local).is_some_and(|p| p.value > 0.0),
            };
            let open = s.actions[g]
                .requires
                .iter()
                .all(|c| can_hold(c, s.horizon, &s.vars));
            takeable[g] |= chosen && open;
        }
    }
    for e in &s.events {
        if let EventKind::Force { actor, action, .. } = e.kind
            && let Some(&g) = s.actors.get(actor).and_then(|a| a.actions.get(action))
        {
            takeable[g] = true;
        }
    }
    let actions = || {
        s.actions
            .iter()
            .zip(&takeable)
            .filter(|(_, t)| **t)
            .map(|(a, _)| a)
    };
    let raises =
        |var: Var| actions().any(|a| a.effects.iter().any(|(v, p)| *v == var && p.value > 0.0));
    let set_to_at_least = |var: Var, x: f64| {
        s.events.iter().any(|e| match &e.kind {
            EventKind::Set(set) => set.iter().any(|(v, p)| *v == var && p.value >= x),
            EventKind::Force { .. } => false,
        })
    };
    let climbs = actions().any(|a| a.rung_change > 0);
    let lifts_to = |rung: u8| actions().any(|a| a.rung_at_least == rung);
    let incident_ceiling = s.incidents.max_rung;
    let mut out = Vec::new();

    let has_talks = |change: TalksChange| actions().any(|a| a.talks == Some(change));
    // What `[history]` says had happened by the start.
    let passed = |m: PastMilestone| s.history.as_ref().is_some_and(|h| h.has(m));
    let war_at_start = s.history.as_ref().map_or(WarAtStart::None, |h| h.war);
    let war_possible = climbs
        || lifts_to(RUNG_WAR)
        || incident_ceiling >= RUNG_WAR
        || passed(PastMilestone::WarStart);
    let war_reason = || {
        (
            format!(
                "no action any actor can take raises the rung to {RUNG_WAR}, and incidents stop at rung {incident_ceiling}"
            ),
            format!("give some actor an action with `rung_at_least = {RUNG_WAR}`"),
        )
    };
    // How a deal can come: with `[bargaining]`, positions that meet at the
    // start or that something moves; otherwise the progress clock.
    let deal_why: Option<(String, String)> = match &s.bargaining {
        Some(b) => {
            let moves = actions()
                .any(|a| a.concede.iter().any(|(_, p)| p.value > 0.0) || a.pressure.value > 0.0)
                || b.war_softening.value > 0.0;
            let meet = b.issues.iter().all(|i| {
                let high = i
                    .positions
                    .iter()
                    .filter(|p| p.wants_high)
                    .map(|p| p.start.value)
                    .fold(f64::NEG_INFINITY, f64::max);
                let low = i
                    .positions
                    .iter()
                    .filter(|p| !p.wants_high)
                    .map(|p| p.start.value)
                    .fold(f64::INFINITY, f64::min);
                high <= low
            });
            (!moves && !meet).then(|| {
                (
                    "the bargaining positions do not meet at the start, and no action any actor can take concedes or presses, nor does war soften them".into(),
                    "give some actor an action with `concede` or `pressure` above 0, or set `bargaining.war_softening`".into(),
                )
            })
        }
        None => {
            let deal = s.dynamics.deal_progress.value;
            (s.initial.vars[Var::TALKS_PROGRESS.index()].value < deal
                && !raises(Var::TALKS_PROGRESS)
                && !set_to_at_least(Var::TALKS_PROGRESS, deal))
            .then(|| {
                (
                    "no action any actor can take increases `talks_progress`".into(),
                    "give some actor an action with `effects = { talks_progress = ... }` above 0"
                        .into(),
                )
            })
        }
    };
    // How a war can end: a ceasefire agreed by some principal (all of them,
    // or brokered), or an agreement during the war.
    let ceasefire_possible = actions().any(|a| a.ceasefire);
    let war_end_why: Option<(String, String)> = if matches!(
        war_at_start,
        WarAtStart::Ceasefire { .. } | WarAtStart::Ended
    ) {
        None
    } else if !war_possible {
        Some(war_reason())
    } else if s.absorbing.war {
        Some((
            "wars are absorbing (`outcomes.absorbing` lists \"war\"): a war ends the trial".into(),
            "remove \"war\" from `outcomes.absorbing`".into(),
        ))
    } else if !ceasefire_possible && deal_why.is_some() {
        Some((
            "no action any actor can take agrees to a ceasefire, and no agreement can end a war"
                .into(),
            "give the principals an action with `ceasefire = true` open at rung 5".into(),
        ))
    } else {
        None
    };
    // One check per outcome, in precedence order; the match is exhaustive so
    // that a new outcome must say when it cannot occur.
    for outcome in Outcome::ALL {
        let why = match outcome {
            Outcome::Deal if passed(PastMilestone::Deal) || passed(PastMilestone::Interim) => None,
            Outcome::Deal => deal_why.clone(),
            Outcome::WarOngoing => (!war_possible).then(war_reason),
            Outcome::WarEnded => war_end_why.clone(),
            Outcome::WarThenSettlement => war_end_why.clone().or_else(|| deal_why.clone()),
            Outcome::LimitedStrikes => (s.initial.rung < RUNG_STRIKES
                && !passed(PastMilestone::FirstStrike)
                && !climbs
                && !lifts_to(RUNG_STRIKES)
                && incident_ceiling < RUNG_STRIKES)
                .then(|| {
                    (
                        format!(
                            "no action any actor can take raises the rung to {RUNG_STRIKES}, and incidents stop at rung {incident_ceiling}"
                        ),
                        format!("give some actor an action with `rung_at_least = {RUNG_STRIKES}`"),
                    )
                }),
            Outcome::Breakout => {
                let breakout = s.dynamics.breakout_stockpile.value;
                (s.initial.vars[Var::STOCKPILE.index()].value < breakout
                    && !passed(PastMilestone::Breakout)
                    && !raises(Var::STOCKPILE)
                    && !set_to_at_least(Var::STOCKPILE, breakout))
                .then(|| {
                    (
                        "no action any actor can take increases `stockpile`".into(),
                        "give some actor an action with `effects = { stockpile = ... }` above 0"
                            .into(),
                    )
                })
            }
            Outcome::Standoff => (s.initial.talks_active && !has_talks(TalksChange::Suspend))
                .then(|| {
                    (
                        "talks start active and no action any actor can take suspends them".into(),
                        "give some actor an action with `talks = \"suspend\"`".into(),
                    )
                }),
            Outcome::TalksOngoing => (!s.initial.talks_active && !has_talks(TalksChange::Resume))
                .then(|| {
                    (
                        "talks start suspended and no action any actor can take resumes them"
                            .into(),
                        "give some actor an action with `talks = \"resume\"`".into(),
                    )
                }),
        };
        if let Some((reason, hint)) = why {
            out.push(Unreachable {
                outcome,
                reason,
                hint,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::condition::parse_condition;

    fn holds(text: &str) -> bool {
        can_hold(
            &parse_condition(text, &VarInfo::builtin()).unwrap(),
            52,
            &VarInfo::builtin(),
        )
    }

    #[test]
    fn conditions_outside_the_bounds_never_hold() {
        assert!(!holds("rung > 5"));
        assert!(!holds("rung == 2.5"));
        assert!(!holds("trust > 1"));
        assert!(!holds("stockpile < 0"));
        assert!(!holds("step > 52"));
        assert!(!holds("step < 1"));
        assert!(holds("rung >= 5"));
        assert!(holds("trust == 0.5"));
        assert!(holds("stockpile > 1e9"));
        assert!(holds("not talks_active"));
        assert!(holds("step == 52"));
    }

    #[test]
    fn the_baseline_can_reach_every_outcome() {
        let (s, _) = crate::scenario::load_str(
            std::path::Path::new("muscat-2026.toml"),
            include_str!("../../scenarios/muscat-2026.toml"),
        )
        .unwrap();
        assert_eq!(unreachable_outcomes(&s), vec![]);
    }
}
