//! The mechanisms of model 2 compiled: how wars end, bargaining over
//! positions, deadlines, drifts, same-step reactions, incentives and the
//! milestones every trial records. Their slots come after every slot of
//! the model-1 mechanisms, so adding them renumbers nothing.

use crate::observe::TrialRecord;
use crate::scenario::{Role, Scenario};
use crate::world::{Condition, MAX_MILESTONES, Var};

pub use crate::world::MAX_PRINCIPALS;

use super::{ActionModel, ActorModel, Params, Slot};

/// A moment in a trial whose first step is recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Milestone {
    /// The first incident.
    FirstIncident,
    /// The first violent action a principal aimed at another actor.
    FirstStrike(u16),
    /// The first step at war (rung 5).
    WarStart,
    /// The first ceasefire.
    Ceasefire,
    /// The first step a war ended (a ceasefire held long enough, or a deal).
    WarEnd,
    /// The first interim agreement.
    Interim,
    /// The final deal.
    Deal,
}

/// Fixed milestone indices into a trial's milestone array.
impl Milestone {
    /// Index of the first incident.
    pub const FIRST_INCIDENT: usize = 0;
    /// Index of the war start.
    pub const WAR_START: usize = 1;
    /// Index of the first ceasefire.
    pub const CEASEFIRE: usize = 2;
    /// Index of the first war end.
    pub const WAR_END: usize = 3;
    /// Index of the first interim agreement.
    pub const INTERIM: usize = 4;
    /// Index of the final deal.
    pub const DEAL: usize = 5;
    /// Index of the first strike of the first principal; principal `k`'s is
    /// `FIRST_STRIKE + k`.
    pub const FIRST_STRIKE: usize = 6;
    /// Most milestones a model has.
    pub const MAX: usize = MAX_MILESTONES;

    /// The column name of the milestone (`war_start_step`), with actor ids
    /// from `actors`.
    pub fn column(self, actors: &[ActorModel]) -> String {
        match self {
            Milestone::FirstIncident => "first_incident_step".into(),
            Milestone::FirstStrike(a) => format!("first_strike_{}_step", actors[a as usize].id),
            Milestone::WarStart => "war_start_step".into(),
            Milestone::Ceasefire => "ceasefire_step".into(),
            Milestone::WarEnd => "war_end_step".into(),
            Milestone::Interim => "interim_step".into(),
            Milestone::Deal => "deal_step".into(),
        }
    }
}

/// Most milestones a summary lists: every recorded one, the first strike
/// of any principal and the breakout.
pub const MAX_NAMED_MILESTONES: usize = MAX_MILESTONES + 2;

/// The milestones of `model` as summaries, tables and events name them, in
/// their order: `(name, label)`. First the first strike of any principal
/// (`first_strike`, the first step at rung 4 or above), then each
/// principal's first strike (`first_strike_<actor id>`), then the recorded
/// milestones of the whole world (`first_incident`, `war_start`,
/// `ceasefire`, `war_end`, `interim`, `deal`) and last `breakout`. A name
/// is the `trials.csv` column without `_step`; [`milestone_firsts`] gives a
/// trial's steps in the same order.
pub fn milestone_names(model: &super::Model) -> Vec<(String, String)> {
    let mut out = vec![("first_strike".to_string(), "First strike (any)".to_string())];
    let recorded = |m: &Milestone| {
        let column = m.column(&model.actors);
        let name = column.trim_end_matches("_step").to_string();
        let label = match *m {
            Milestone::FirstStrike(a) => {
                format!("First strike by {}", model.actors[a as usize].name)
            }
            Milestone::FirstIncident => "First incident".into(),
            Milestone::WarStart => "War start".into(),
            Milestone::Ceasefire => "Ceasefire".into(),
            Milestone::WarEnd => "War end".into(),
            Milestone::Interim => "Interim agreement".into(),
            Milestone::Deal => "Deal".into(),
        };
        (name, label)
    };
    let strikes = |m: &&Milestone| matches!(m, Milestone::FirstStrike(_));
    out.extend(model.milestones.iter().filter(strikes).map(recorded));
    out.extend(
        model
            .milestones
            .iter()
            .filter(|m| !strikes(m))
            .map(recorded),
    );
    out.push(("breakout".to_string(), "Breakout".to_string()));
    out
}

/// The first step of every milestone of a trial, in the order of
/// [`milestone_names`]: the first strike of any principal, the principals'
/// first strikes (recorded from [`Milestone::FIRST_STRIKE`] on), the
/// milestones of the whole world (recorded before them) and the breakout.
/// `None` for a milestone the trial never reached.
pub fn milestone_firsts(r: &TrialRecord) -> impl Iterator<Item = Option<u32>> + '_ {
    let recorded = r.milestone_steps();
    let split = Milestone::FIRST_STRIKE.min(recorded.len());
    std::iter::once(r.first_strike_step)
        .chain(recorded[split..].iter().copied())
        .chain(recorded[..split].iter().copied())
        .chain(std::iter::once(r.breakout_step))
}

/// How wars end, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct WarModel {
    /// Rung a ceasefire returns the world to.
    pub ceasefire_rung: u8,
    /// Slot of the chance per step that a ceasefire collapses.
    pub collapse: Slot,
    /// Steps a ceasefire must hold to end the war.
    pub holds_after: u32,
}

/// One party's position on one issue, compiled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PositionModel {
    /// Whether the party wants the value high.
    pub wants_high: bool,
    /// Slot of its opening demand.
    pub start: Slot,
    /// Slot of its reservation point.
    pub reservation: Slot,
}

/// One issue, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct IssueModel {
    /// Identifier.
    pub id: String,
    /// Label.
    pub label: String,
    /// Whether an interim agreement settles it.
    pub interim: bool,
    /// Positions in party order.
    pub positions: Vec<PositionModel>,
}

/// Bargaining, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct BargainingModel {
    /// The parties (actor indices).
    pub parties: Vec<u16>,
    /// Party index of each actor (`None` for actors who do not bargain).
    pub party_of: Vec<Option<u16>>,
    /// The issues.
    pub issues: Vec<IssueModel>,
    /// Slot of the closing chance when positions just meet.
    pub close_base: Slot,
    /// Slot of the added closing chance per unit of overlap.
    pub close_per_overlap: Slot,
    /// Slot of the added closing chance per unit of trust.
    pub close_per_trust: Slot,
    /// Whether agreements can close while talks are suspended.
    pub back_channel: bool,
    /// Slot of the softening of reservation points per step of war.
    pub war_softening: Slot,
}

/// A deadline, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineModel {
    /// Identifier.
    pub id: String,
    /// The step at which it passes.
    pub step: u32,
    /// Who set it.
    pub set_by: u16,
    /// Steps of ramp before it.
    pub lead: u32,
    /// Steps of fade after it (0: none).
    pub fade: u32,
    /// (global move, slot of the bonus) while it approaches.
    pub before: Vec<(u32, Slot)>,
    /// (global move, slot of the bonus) once passed.
    pub after: Vec<(u32, Slot)>,
    /// While this holds, the deadline has no effect.
    pub unless: Option<Condition>,
}

impl DeadlineModel {
    /// The weight of the `before` bonuses at step `t`: rising linearly to 1
    /// over the `lead` steps before the deadline, 0 earlier and from the
    /// deadline on.
    pub fn before_weight(&self, t: u32) -> f64 {
        if t >= self.step || self.lead == 0 {
            return 0.0;
        }
        let ahead = self.step - t; // 1 in the step just before the deadline
        if ahead > self.lead {
            0.0
        } else {
            f64::from(self.lead - ahead + 1) / f64::from(self.lead)
        }
    }

    /// The weight of the `after` bonuses at step `t`: 1 from the deadline
    /// on, fading linearly to 0 over `fade` steps (never fading when `fade`
    /// is 0).
    pub fn after_weight(&self, t: u32) -> f64 {
        if t < self.step {
            0.0
        } else if self.fade == 0 {
            1.0
        } else {
            let past = t - self.step;
            (1.0 - f64::from(past) / f64::from(self.fade)).max(0.0)
        }
    }
}

/// A drift, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct DriftModel {
    /// All must hold.
    pub when: Vec<Condition>,
    /// (variable, slot of the change per step).
    pub effects: Vec<(Var, Slot)>,
    /// The changes are multiplied by this variable.
    pub scale: Option<Var>,
}

/// What [`compile`] adds to a model.
pub(super) struct Compiled {
    pub war: WarModel,
    pub bargaining: Option<BargainingModel>,
    pub deadlines: Vec<DeadlineModel>,
    pub drifts: Vec<DriftModel>,
    pub principals: Vec<u16>,
    pub milestones: Vec<Milestone>,
}

/// Compiles the model-2 mechanisms of `s`, adding their slots to `params`
/// and their per-action and per-actor parts to `actions` and `actors`.
pub(super) fn compile(
    s: &Scenario,
    params: &mut Params,
    actions: &mut [ActionModel],
    actors: &mut [ActorModel],
) -> Compiled {
    for (a, model) in s.actions.iter().zip(actions.iter_mut()) {
        model.broker = params.add(&a.broker);
        model.pressure = params.add(&a.pressure);
        model.concede = a
            .concede
            .iter()
            .map(|(issue, p)| (*issue as u16, params.add(p)))
            .collect();
    }
    for (a, model) in s.actors.iter().zip(actors.iter_mut()) {
        model.incentives = a
            .incentives
            .iter()
            .map(|(var, local, p)| (*var, model.moves.start + *local as u32, params.add(p)))
            .collect();
    }
    let war = WarModel {
        ceasefire_rung: s.war.ceasefire_rung,
        collapse: params.add(&s.war.collapse),
        holds_after: s.war.holds_after,
    };
    let bargaining = s.bargaining.as_ref().map(|b| {
        let mut party_of = vec![None; s.actors.len()];
        for (k, &p) in b.parties.iter().enumerate() {
            party_of[p] = Some(k as u16);
        }
        BargainingModel {
            parties: b.parties.iter().map(|&p| p as u16).collect(),
            party_of,
            issues: b
                .issues
                .iter()
                .map(|i| IssueModel {
                    id: i.id.clone(),
                    label: i.label.clone(),
                    interim: i.interim,
                    positions: i
                        .positions
                        .iter()
                        .map(|p| PositionModel {
                            wants_high: p.wants_high,
                            start: params.add(&p.start),
                            reservation: params.add(&p.reservation),
                        })
                        .collect(),
                })
                .collect(),
            close_base: params.add(&b.close_base),
            close_per_overlap: params.add(&b.close_per_overlap),
            close_per_trust: params.add(&b.close_per_trust),
            back_channel: b.back_channel,
            war_softening: params.add(&b.war_softening),
        }
    });
    let moves_of = |actor: usize, local: usize| actors[actor].moves.start + local as u32;
    let deadlines = s
        .deadlines
        .iter()
        .map(|d| DeadlineModel {
            id: d.id.clone(),
            step: d.step,
            set_by: d.set_by as u16,
            lead: d.lead,
            fade: d.fade,
            before: d
                .before
                .iter()
                .map(|(a, l, p)| (moves_of(*a, *l), params.add(p)))
                .collect(),
            after: d
                .after
                .iter()
                .map(|(a, l, p)| (moves_of(*a, *l), params.add(p)))
                .collect(),
            unless: d.unless,
        })
        .collect();
    let drifts = s
        .drifts
        .iter()
        .map(|d| DriftModel {
            when: d.when.clone(),
            effects: d.effects.iter().map(|(v, p)| (*v, params.add(p))).collect(),
            scale: d.scale,
        })
        .collect();
    let principals: Vec<u16> = s
        .actors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.role == Role::Principal)
        .map(|(k, _)| k as u16)
        .take(MAX_PRINCIPALS)
        .collect();
    let mut milestones = vec![
        Milestone::FirstIncident,
        Milestone::WarStart,
        Milestone::Ceasefire,
        Milestone::WarEnd,
        Milestone::Interim,
        Milestone::Deal,
    ];
    milestones.extend(principals.iter().map(|&p| Milestone::FirstStrike(p)));
    Compiled {
        war,
        bargaining,
        deadlines,
        drifts,
        principals,
        milestones,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deadline(step: u32, lead: u32, fade: u32) -> DeadlineModel {
        DeadlineModel {
            id: "d".into(),
            step,
            set_by: 0,
            lead,
            fade,
            before: Vec::new(),
            after: Vec::new(),
            unless: None,
        }
    }

    #[test]
    fn deadline_weights_ramp_up_then_fade() {
        let d = deadline(10, 4, 2);
        let before: Vec<f64> = (1..=11).map(|t| d.before_weight(t)).collect();
        assert_eq!(
            before,
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 0.0, 0.0]
        );
        let after: Vec<f64> = (9..=13).map(|t| d.after_weight(t)).collect();
        assert_eq!(after, [0.0, 1.0, 0.5, 0.0, 0.0]);
        let never_fades = deadline(3, 0, 0);
        assert_eq!(never_fades.before_weight(2), 0.0);
        assert_eq!(never_fades.after_weight(300), 1.0);
    }
}
