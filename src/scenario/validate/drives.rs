//! `[[deadlines]]` and `[[drifts]]`: drives that change with time
//! (docs/model.md, "Deadlines" and "Drifts").

use std::collections::BTreeMap;

use super::super::format::{DeadlineEntry, DriftEntry, S};
use super::super::number::Number;
use super::super::{Action, Actor, Deadline, Drift, Param};
use super::{Checker, value_bound};
use crate::scenario::diagnostic::suggestion_hint;

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
        let step = c.int(
            &e.step,
            &format!("deadlines.{id}.step"),
            1,
            i64::from(horizon),
        ) as u32;
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
