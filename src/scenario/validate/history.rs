//! `[history]`: the milestones already passed at the start, with their
//! dates or steps, each actor's last move, and the war at the start; checked
//! against `[initial]`, `[war]` and `outcomes.absorbing`.

use std::collections::BTreeMap;
use std::ops::Range;

use chrono::NaiveDate;

use crate::world::{MAX_PRINCIPALS, RUNG_STRIKES, RUNG_WAR};

use super::super::calendar::{Calendar, iso, parse_date};
use super::super::diagnostic::suggestion_hint;
use super::super::format::{HistorySection, S, When};
use super::super::{
    Absorbing, Action, Actor, History, PassedMilestone, PastMilestone, Role, War, WarAtStart,
};
use super::{Checker, actions_hint};

/// Escalation score from which an action aimed at another actor is a strike
/// (violent escalation; the engine's `VIOLENT`).
const VIOLENT_FROM: i32 = 28;

/// Earliest step `[history]` accepts: far before any crisis a scenario models.
const EARLIEST_STEP: i64 = -100_000;

/// The milestone names every scenario has, in the order outputs list them
/// (`first_strike_<principal>` come after `first_strike`).
const FIXED_NAMES: [(&str, PastMilestone); 8] = [
    ("first_strike", PastMilestone::FirstStrike),
    ("first_incident", PastMilestone::FirstIncident),
    ("war_start", PastMilestone::WarStart),
    ("ceasefire", PastMilestone::Ceasefire),
    ("war_end", PastMilestone::WarEnd),
    ("interim", PastMilestone::Interim),
    ("deal", PastMilestone::Deal),
    ("breakout", PastMilestone::Breakout),
];

/// What `[history]` is checked against.
pub(super) struct Context<'a> {
    pub calendar: Option<&'a Calendar>,
    pub step_label: &'a str,
    /// The initial rung, and where it is written.
    pub rung: Option<(u8, Range<usize>)>,
    pub actors: &'a [Actor],
    pub actor_index: &'a BTreeMap<String, usize>,
    pub actor_names: &'a [&'a str],
    pub actions: &'a [Action],
    pub absorbing: Absorbing,
    pub war: &'a War,
    /// Initial stockpile and breakout threshold, when both are fixed numbers.
    pub stockpile: Option<(f64, f64)>,
}

/// A milestone declared in the file, with where it is written.
struct Declared {
    passed: PassedMilestone,
    key: Range<usize>,
    value: Range<usize>,
}

/// `2026-01-20` or `step -2`.
fn when_text(p: &PassedMilestone, step_label: &str) -> String {
    match p.date {
        Some(d) => iso(d),
        None => format!("{step_label} {}", p.step),
    }
}

/// Whether `a` happened strictly before `b`: in an earlier step, or in the
/// same step on an earlier date when both are dated.
fn before(a: &PassedMilestone, b: &PassedMilestone) -> bool {
    a.step < b.step || (a.step == b.step && matches!((a.date, b.date), (Some(x), Some(y)) if x < y))
}

/// The step (0 or less) of a date on or before the start: step `-k` covers
/// the days after the date of step `-k - 1` up to its own.
fn step_of(calendar: &Calendar, date: NaiveDate) -> i64 {
    let days = (calendar.start() - date).num_days();
    -(days / i64::from(calendar.step_days()))
}

/// Checks `[history]` and returns what it says, with implied milestones.
pub(super) fn check_history(c: &mut Checker, h: &HistorySection, ctx: &Context) -> Option<History> {
    let principals: Vec<usize> = ctx
        .actors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.role == Role::Principal)
        .map(|(k, _)| k)
        .take(MAX_PRINCIPALS)
        .collect();
    let mut names: Vec<String> = FIXED_NAMES.iter().map(|(n, _)| n.to_string()).collect();
    names.extend(
        principals
            .iter()
            .map(|&p| format!("first_strike_{}", ctx.actors[p].id)),
    );
    names.push("last_moves".into());
    names.push("ceasefire_held".into());
    let name_refs: Vec<&str> = names.iter().map(String::as_str).collect();

    let mut declared: Vec<Declared> = Vec::new();
    for (key, value) in &h.milestones {
        let name = key.get_ref();
        let Some(milestone) = milestone_named(c, key, ctx, &principals, &name_refs) else {
            continue;
        };
        let Some((step, date)) = when(c, name, value, ctx) else {
            continue;
        };
        declared.push(Declared {
            passed: PassedMilestone {
                milestone,
                name: name.clone(),
                date,
                step,
                implied: false,
            },
            key: key.span(),
            value: value.span(),
        });
    }
    // Outputs list milestones in the order of the names above, principals'
    // first strikes after `first_strike`.
    let rank = |m: PastMilestone| match m {
        PastMilestone::FirstStrike => 0,
        PastMilestone::FirstStrikeBy(a) => 1 + a,
        other => {
            1 + ctx.actors.len()
                + FIXED_NAMES
                    .iter()
                    .position(|(_, f)| *f == other)
                    .unwrap_or(0)
        }
    };

    let last_moves = check_last_moves(c, h, ctx);

    let find = |m: PastMilestone| declared.iter().find(|d| d.passed.milestone == m);
    let war_start = find(PastMilestone::WarStart);
    let ceasefire = find(PastMilestone::Ceasefire);
    let war_end = find(PastMilestone::WarEnd);
    let rung = ctx.rung.as_ref().map(|(r, _)| *r);

    // A ceasefire and the end of a war come after a war began.
    for (d, what) in [(ceasefire, "a ceasefire"), (war_end, "the end of a war")] {
        let Some(d) = d else { continue };
        match war_start {
            None => c.error(
                d.key.clone(),
                format!(
                    "`history.{}` is given, but no war began: {what} needs a war",
                    d.passed.name
                ),
                Some("add `war_start = ...`, the date (or step) the war began".into()),
            ),
            Some(ws) if before(&d.passed, &ws.passed) => c.error(
                d.value.clone(),
                format!(
                    "`history.{}` ({}) comes before `history.war_start` ({})",
                    d.passed.name,
                    when_text(&d.passed, ctx.step_label),
                    when_text(&ws.passed, ctx.step_label)
                ),
                Some(format!(
                    "{what} comes on or after the start of the war; check the dates"
                )),
            ),
            Some(_) => {}
        }
    }
    // A war begins with a strike.
    if let Some(fs) = find(PastMilestone::FirstStrike) {
        let later_than = declared.iter().find(|d| {
            matches!(
                d.passed.milestone,
                PastMilestone::WarStart | PastMilestone::FirstStrikeBy(_)
            ) && before(&d.passed, &fs.passed)
        });
        if let Some(d) = later_than {
            c.error(
                fs.value.clone(),
                format!(
                    "`history.first_strike` ({}) comes after `history.{}` ({})",
                    when_text(&fs.passed, ctx.step_label),
                    d.passed.name,
                    when_text(&d.passed, ctx.step_label)
                ),
                Some("`first_strike` is the first strike by anyone: on or before every principal's first strike and the start of a war".into()),
            );
        }
    }

    // The war at the start.
    let mut war = WarAtStart::None;
    if let Some(ws) = war_start {
        if ctx.absorbing.war {
            c.error(
                ws.key.clone(),
                "a war began before the start, but a war ends a trial here (`outcomes.absorbing` lists \"war\")",
                Some("remove \"war\" from `outcomes.absorbing`, or start the scenario before the war".into()),
            );
        }
        war = match (rung, war_end, ceasefire) {
            (Some(RUNG_WAR), _, _) => WarAtStart::Fighting,
            (_, Some(_), _) => WarAtStart::Ended,
            (_, None, Some(cf)) => {
                let held = match &h.ceasefire_held {
                    Some(n) => {
                        let top = i64::from(ctx.war.holds_after) - 1;
                        c.int(n, "history.ceasefire_held", 0, top) as u32
                    }
                    None => {
                        let held = u32::try_from(-cf.passed.step).unwrap_or(u32::MAX);
                        if held >= ctx.war.holds_after {
                            c.error(
                                cf.value.clone(),
                                format!(
                                    "the ceasefire of {} has held {held} {}s by the start, and a war ends once a ceasefire holds {} (`war.holds_after`)",
                                    when_text(&cf.passed, ctx.step_label),
                                    ctx.step_label,
                                    ctx.war.holds_after
                                ),
                                Some(format!(
                                    "add `war_end = ...` if the war has ended, or `ceasefire_held = N` (below {}) if the ceasefire holding now began later",
                                    ctx.war.holds_after
                                )),
                            );
                        }
                        held
                    }
                };
                WarAtStart::Ceasefire { held }
            }
            (Some(r), None, None) => {
                c.error(
                    ws.key.clone(),
                    format!(
                        "a war began (`history.war_start`) and has not ended, but `initial.rung` is {r}: the war is neither fought nor in a ceasefire"
                    ),
                    Some("set `initial.rung = 5` for a war still fought, add `ceasefire = ...` for one in a ceasefire, or `war_end = ...` for one that has ended".into()),
                );
                WarAtStart::Fighting
            }
            (None, None, None) => WarAtStart::Fighting,
        };
    }
    if let Some(n) = &h.ceasefire_held
        && !matches!(war, WarAtStart::Ceasefire { .. })
    {
        c.error(
            n.span(),
            "`history.ceasefire_held` is given, but no ceasefire holds at the start",
            Some("it counts the steps of a ceasefire under way: declare `war_start` and `ceasefire`, with `initial.rung` below 5 and no `war_end`".into()),
        );
    }

    // Agreements: one reached during a war ends it.
    let mut settled_after_war = false;
    for m in [PastMilestone::Interim, PastMilestone::Deal] {
        let Some(a) = find(m) else { continue };
        if m == PastMilestone::Deal && ctx.absorbing.deal {
            c.error(
                a.key.clone(),
                "a deal was reached before the start, but a deal ends a trial here (`outcomes.absorbing` lists \"deal\")",
                Some("remove \"deal\" from `outcomes.absorbing`, or start the scenario before the deal".into()),
            );
        }
        let Some(ws) = war_start else { continue };
        if before(&a.passed, &ws.passed) {
            continue;
        }
        settled_after_war = true;
        let ended_in_time = war_end.is_some_and(|we| !before(&a.passed, &we.passed));
        if !ended_in_time {
            c.error(
                a.value.clone(),
                format!(
                    "`history.{}` ({}) falls during the war that began {}, and an agreement ends a war, but {}",
                    a.passed.name,
                    when_text(&a.passed, ctx.step_label),
                    when_text(&ws.passed, ctx.step_label),
                    if war_end.is_some() {
                        "`history.war_end` comes after it"
                    } else {
                        "`history.war_end` is not given"
                    }
                ),
                Some("add `war_end` on or before the agreement (its date, if the agreement ended the war)".into()),
            );
        }
    }

    if let (Some(b), Some((stockpile, threshold))) = (find(PastMilestone::Breakout), ctx.stockpile)
        && stockpile < threshold
    {
        c.warn(
            b.key.clone(),
            "`history.breakout` has passed, but `initial.stockpile` is below `outcomes.breakout_stockpile`",
            Some("breakout is recorded at step 0 all the same; give the stockpile at the start if it is known".into()),
        );
    }

    let mut passed: Vec<PassedMilestone> = declared.into_iter().map(|d| d.passed).collect();
    add_implied(&mut passed, ctx, &principals, &last_moves, rung);
    passed.sort_by_key(|p| rank(p.milestone));
    let incident = passed
        .iter()
        .any(|p| p.milestone == PastMilestone::FirstIncident && p.step == 0);
    Some(History {
        passed,
        last_moves,
        war,
        settled_after_war,
        incident,
    })
}

/// The milestone a `[history]` key names, or `None` (reported).
fn milestone_named(
    c: &mut Checker,
    key: &S<String>,
    ctx: &Context,
    principals: &[usize],
    names: &[&str],
) -> Option<PastMilestone> {
    let name = key.get_ref();
    if let Some((_, m)) = FIXED_NAMES.iter().find(|(n, _)| n == name) {
        return Some(*m);
    }
    if let Some(id) = name.strip_prefix("first_strike_")
        && let Some(&k) = ctx.actor_index.get(id)
    {
        if principals.contains(&k) {
            return Some(PastMilestone::FirstStrikeBy(k));
        }
        c.error(
            key.span(),
            format!("`history.{name}`: `{id}` is not a principal, and only principals' first strikes are milestones"),
            Some(suggestion_hint(name, names, "history keys")),
        );
        return None;
    }
    c.error(
        key.span(),
        format!("unknown key `{name}` in `history`"),
        Some(suggestion_hint(name, names, "history keys")),
    );
    None
}

/// The step and date of a milestone's `when`, or `None` (reported).
fn when(
    c: &mut Checker,
    name: &str,
    value: &S<When>,
    ctx: &Context,
) -> Option<(i64, Option<NaiveDate>)> {
    match value.get_ref() {
        When::Step(step) => {
            if *step > 0 {
                c.error(
                    value.span(),
                    format!("`history.{name}` is {} {step}, after the start", ctx.step_label),
                    Some("`[history]` holds what happened by the start: step 0 ends at the start, -1 is the step before; plan later events with `[[events]]`".into()),
                );
                return None;
            }
            if *step < EARLIEST_STEP {
                c.error(
                    value.span(),
                    format!(
                        "`history.{name}` is {} {step}, too far back",
                        ctx.step_label
                    ),
                    Some(format!("give a step from {EARLIEST_STEP} to 0")),
                );
                return None;
            }
            Some((*step, None))
        }
        When::Date(text) => {
            let Some(calendar) = ctx.calendar else {
                c.error(
                    value.span(),
                    format!("`history.{name}` is a date, but the scenario's steps have no dates"),
                    Some("add `start = \"YYYY-MM-DD\"` to `[run]`, or give the step instead (0 is the step that ends at the start, -1 the one before)".into()),
                );
                return None;
            };
            let date = match parse_date(&text.0) {
                Ok(d) => d,
                Err(e) => {
                    c.error(
                        value.span(),
                        format!("`history.{name}`: {}", e.message),
                        Some(e.hint),
                    );
                    return None;
                }
            };
            if date > calendar.start() {
                c.error(
                    value.span(),
                    format!(
                        "`history.{name}` is {}, after the start ({})",
                        iso(date),
                        iso(calendar.start())
                    ),
                    Some("`[history]` holds what happened on or before the start; plan later events with `[[events]]`".into()),
                );
                return None;
            }
            let step = step_of(calendar, date);
            if step < EARLIEST_STEP {
                c.error(
                    value.span(),
                    format!("`history.{name}` is {}, too far back", iso(date)),
                    Some(format!(
                        "give a date at most {} steps before the start",
                        -EARLIEST_STEP
                    )),
                );
                return None;
            }
            Some((step, Some(date)))
        }
    }
}

/// `last_moves`: (actor, index into its actions) of each, or reported.
fn check_last_moves(c: &mut Checker, h: &HistorySection, ctx: &Context) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (actor, action) in &h.last_moves {
        let Some(&k) = ctx.actor_index.get(actor.get_ref()) else {
            c.error(
                actor.span(),
                format!(
                    "unknown actor `{}` in `history.last_moves`",
                    actor.get_ref()
                ),
                Some(suggestion_hint(actor.get_ref(), ctx.actor_names, "actors")),
            );
            continue;
        };
        let Some(a) = ctx.actors.get(k) else { continue };
        let own: Vec<&str> = a
            .actions
            .iter()
            .map(|&g| ctx.actions[g].id.as_str())
            .collect();
        match own.iter().position(|n| *n == action.get_ref()) {
            Some(local) => out.push((k, local)),
            None if c.actions_unreadable(&a.id) => {}
            None => c.error(
                action.span(),
                format!(
                    "actor `{}` cannot take action `{}`, so it cannot be its last move",
                    a.id,
                    action.get_ref()
                ),
                Some(
                    match super::super::diagnostic::did_you_mean(
                        action.get_ref(),
                        own.iter().copied(),
                    ) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => actions_hint(&own),
                    },
                ),
            ),
        }
    }
    out.sort_unstable();
    out
}

/// Adds the milestones that what is declared implies: a principal whose last
/// move is a violent action aimed at another actor has struck; a war, any
/// principal's strike, or a rung of 4 or more means the first strike by anyone.
fn add_implied(
    passed: &mut Vec<PassedMilestone>,
    ctx: &Context,
    principals: &[usize],
    last_moves: &[(usize, usize)],
    rung: Option<u8>,
) {
    let has =
        |passed: &[PassedMilestone], m: PastMilestone| passed.iter().any(|p| p.milestone == m);
    for &(actor, local) in last_moves {
        let Some(a) = ctx.actors.get(actor) else {
            continue;
        };
        let Some(action) = a.actions.get(local).and_then(|&g| ctx.actions.get(g)) else {
            continue;
        };
        let strikes =
            action.escalation >= VIOLENT_FROM && action.targets.iter().any(|&t| t != actor);
        let m = PastMilestone::FirstStrikeBy(actor);
        if strikes && principals.contains(&actor) && !has(passed, m) {
            passed.push(PassedMilestone {
                milestone: m,
                name: format!("first_strike_{}", a.id),
                date: None,
                step: 0,
                implied: true,
            });
        }
    }
    if has(passed, PastMilestone::FirstStrike) {
        return;
    }
    let mut earliest: Option<PassedMilestone> = None;
    for p in passed.iter().filter(|p| {
        matches!(
            p.milestone,
            PastMilestone::WarStart | PastMilestone::FirstStrikeBy(_)
        )
    }) {
        if earliest.as_ref().is_none_or(|e| before(p, e)) {
            earliest = Some(p.clone());
        }
    }
    let at_rung = rung.is_some_and(|r| r >= RUNG_STRIKES);
    if earliest.is_none() && !at_rung {
        return;
    }
    let (step, date) = earliest.map_or((0, None), |e| (e.step, e.date));
    passed.insert(
        0,
        PassedMilestone {
            milestone: PastMilestone::FirstStrike,
            name: "first_strike".into(),
            date,
            step,
            implied: true,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passed(step: i64, date: Option<&str>) -> PassedMilestone {
        PassedMilestone {
            milestone: PastMilestone::WarStart,
            name: "war_start".into(),
            date: date.map(|d| parse_date(d).unwrap()),
            step,
            implied: false,
        }
    }

    #[test]
    fn dates_fall_in_the_step_whose_days_hold_them() {
        let c = Calendar::new(parse_date("2026-02-07").unwrap(), 7).unwrap();
        for (date, step) in [
            ("2026-02-07", 0),
            ("2026-02-01", 0),
            ("2026-01-31", -1),
            ("2026-01-25", -1),
            ("2026-01-24", -2),
        ] {
            assert_eq!(step_of(&c, parse_date(date).unwrap()), step, "{date}");
        }
        let daily = Calendar::new(parse_date("2026-02-07").unwrap(), 1).unwrap();
        assert_eq!(step_of(&daily, parse_date("2026-02-04").unwrap()), -3);
    }

    #[test]
    fn order_is_by_step_then_by_date() {
        assert!(before(&passed(-2, None), &passed(-1, None)));
        assert!(!before(&passed(-1, None), &passed(-1, None)));
        let (a, b) = (
            passed(-1, Some("2026-01-26")),
            passed(-1, Some("2026-01-28")),
        );
        assert!(before(&a, &b) && !before(&b, &a));
        // Within a step, an undated milestone is not ordered against a dated one.
        assert!(!before(&passed(-1, None), &b) && !before(&b, &passed(-1, None)));
    }
}
