//! `[[deadlines]]` and `[[drifts]]`: drives that change with time
//! (docs/model.md, "Deadlines" and "Drifts").

use std::collections::BTreeMap;

use super::super::calendar::{Calendar, parse_date};
use super::super::format::{DateText, DeadlineEntry, DriftEntry, S};
use super::super::number::Number;
use super::super::{Action, Actor, Deadline, Drift, Param};
use super::{Checker, value_bound};
use crate::scenario::diagnostic::suggestion_hint;

/// The step of a deadline given by its `date`: the step whose days hold
/// the date (step `t` covers the days after the date of step `t - 1` up to
/// its own). Reported when the scenario has no calendar or the date falls
/// outside the horizon.
fn deadline_step(
    c: &mut Checker,
    id: &str,
    date: &S<DateText>,
    horizon: u32,
    calendar: Option<&Calendar>,
) -> u32 {
    let Some(cal) = calendar else {
        c.error(
            date.span(),
            format!("deadline `{id}` has a `date`, but the scenario's steps have no dates"),
            Some("add `start = \"YYYY-MM-DD\"` to `[run]`, or give the deadline a `step`".into()),
        );
        return 1;
    };
    let day = match parse_date(&date.get_ref().0) {
        Ok(d) => d,
        Err(e) => {
            c.error(
                date.span(),
                format!("`deadlines.{id}.date`: {}", e.message),
                Some(e.hint),
            );
            return 1;
        }
    };
    let steps = cal.steps_to(day).ceil();
    if steps < 1.0 || steps > f64::from(horizon) {
        c.error(
            date.span(),
            format!(
                "deadline `{id}` falls on {}, outside the scenario's steps ({})",
                date.get_ref().0,
                cal.span_text(horizon, "")
            ),
            Some("give a date after the start and within the horizon".into()),
        );
        return 1;
    }
    steps as u32
}

/// Largest utility bonus a deadline may give.
const MAX_BONUS: f64 = 100.0;

/// What a deadline's keys refer to.
pub(super) struct Cast<'a> {
    pub actors: &'a [Actor],
    pub actor_index: &'a BTreeMap<String, usize>,
    pub actor_names: &'a [&'a str],
    pub actions: &'a [Action],
}

/// Checks the deadlines.
pub(super) fn check_deadlines(
    c: &mut Checker,
    entries: &[DeadlineEntry],
    horizon: u32,
    calendar: Option<&Calendar>,
    cast: &Cast,
) -> Vec<Deadline> {
    let mut out: Vec<Deadline> = Vec::new();
    for e in entries {
        c.identifier(&e.id, "deadline");
        let id = e.id.get_ref().clone();
        if out.iter().any(|d| d.id == id) {
            c.error(
                e.id.span(),
                format!("deadline `{id}` is defined twice"),
                Some("give each deadline its own id".into()),
            );
            continue;
        }
        let step = match (&e.step, &e.date) {
            (Some(step), None) => {
                c.int(step, &format!("deadlines.{id}.step"), 1, i64::from(horizon)) as u32
            }
            (None, Some(date)) => deadline_step(c, &id, date, horizon, calendar),
            (Some(step), Some(_)) => {
                c.error(
                    step.span(),
                    format!("deadline `{id}` has both a `step` and a `date`"),
                    Some("keep one: the step, or the date of a dated scenario".into()),
                );
                1
            }
            (None, None) => {
                c.error(
                    e.id.span(),
                    format!("deadline `{id}` has neither a `step` nor a `date`"),
                    Some(
                        "add `step = N`, or `date = \"YYYY-MM-DD\"` in a scenario with `run.start`"
                            .into(),
                    ),
                );
                1
            }
        };
        let set_by = match cast.actor_index.get(e.set_by.get_ref()) {
            Some(&k) => k,
            None => {
                c.error(
                    e.set_by.span(),
                    format!(
                        "unknown actor `{}` in `deadlines.{id}.set_by`",
                        e.set_by.get_ref()
                    ),
                    Some(suggestion_hint(
                        e.set_by.get_ref(),
                        cast.actor_names,
                        "actors",
                    )),
                );
                0
            }
        };
        let steps = |c: &mut Checker, v: &Option<S<i64>>, field: &str| {
            v.as_ref().map_or(0, |v| {
                c.int(v, &format!("deadlines.{id}.{field}"), 0, i64::from(horizon)) as u32
            })
        };
        let lead = steps(c, &e.lead, "lead");
        let fade = steps(c, &e.fade, "fade");
        let before = bonuses(c, &e.before, &format!("deadlines.{id}.before"), cast);
        let after = bonuses(c, &e.after, &format!("deadlines.{id}.after"), cast);
        if before.is_empty() && after.is_empty() && e.before.is_empty() && e.after.is_empty() {
            c.warn(
                e.id.span(),
                format!("deadline `{id}` changes nothing"),
                Some("add `before = { \"actor.action\" = ... }` or `after = { ... }`".into()),
            );
        }
        if lead == 0
            && let Some(k) = e.before.keys().next()
        {
            c.warn(
                k.span(),
                format!("deadline `{id}` has `before` bonuses but no `lead`: they never apply"),
                Some(
                    "set `lead` to the number of steps before the deadline over which they ramp up"
                        .into(),
                ),
            );
        }
        let unless = e.unless.as_ref().and_then(|u| c.condition(u));
        out.push(Deadline {
            id,
            step,
            set_by,
            lead,
            fade,
            before,
            after,
            unless,
        });
    }
    out
}

/// `{ "actor.action" = bonus }` resolved to (actor, local action, bonus).
fn bonuses(
    c: &mut Checker,
    map: &BTreeMap<S<String>, S<Number>>,
    path: &str,
    cast: &Cast,
) -> Vec<(usize, usize, Param)> {
    let mut out = Vec::new();
    for (k, v) in map {
        let key = k.get_ref();
        let Some((actor, action)) = key
            .split_once('.')
            .filter(|(a, b)| !a.is_empty() && !b.is_empty() && !b.contains('.'))
        else {
            c.error(
                k.span(),
                format!("`{key}` in `{path}` is not of the form `actor.action`"),
                Some("write the key in quotes as actor id, a dot, and one of its actions: `\"us.strike\" = 1.5`".into()),
            );
            continue;
        };
        let Some(&a) = cast.actor_index.get(actor) else {
            c.error(
                k.span(),
                format!("unknown actor `{actor}` in `{path}`"),
                Some(suggestion_hint(actor, cast.actor_names, "actors")),
            );
            continue;
        };
        let Some(who) = cast.actors.get(a) else {
            continue;
        };
        let own: Vec<&str> = who
            .actions
            .iter()
            .map(|&g| cast.actions[g].id.as_str())
            .collect();
        let Some(local) = own.iter().position(|n| *n == action) else {
            if !c.actions_unreadable(actor) {
                c.error(
                    k.span(),
                    format!("actor `{actor}` cannot take action `{action}` (in `{path}`)"),
                    Some(suggestion_hint(action, &own, "actions of this actor")),
                );
            }
            continue;
        };
        out.push((
            a,
            local,
            c.num(v, format!("{path}.{actor}.{action}"), -MAX_BONUS, MAX_BONUS),
        ));
    }
    out
}

/// Checks the drifts; their numbers are named by their 1-based place.
pub(super) fn check_drifts(c: &mut Checker, entries: &[DriftEntry]) -> Vec<Drift> {
    let mut out = Vec::new();
    for (n, e) in entries.iter().enumerate() {
        let n = n + 1;
        let when = e.when.iter().filter_map(|w| c.condition(w)).collect();
        let effects = e
            .effects
            .iter()
            .filter_map(|(k, v)| {
                let var = c.var(k, &format!("the effects of drift {n}"))?;
                let bound = value_bound(&c.vars, var);
                let name = c.var_name(var);
                Some((
                    var,
                    c.num(v, format!("drifts.{n}.effects.{name}"), -bound, bound),
                ))
            })
            .collect::<Vec<_>>();
        if e.effects.is_empty() {
            let span = e
                .when
                .first()
                .map(|w| w.span())
                .or(e.scale.as_ref().map(|s| s.span()));
            if let Some(span) = span {
                c.warn(
                    span,
                    format!("drift {n} has no effects"),
                    Some("add `effects = { VARIABLE = CHANGE, ... }`, or remove it".into()),
                );
            }
        }
        let scale = e
            .scale
            .as_ref()
            .and_then(|s| c.var(s, &format!("the `scale` of drift {n}")));
        out.push(Drift {
            when,
            effects,
            scale,
        });
    }
    out
}
