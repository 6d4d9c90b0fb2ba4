//! `[bargaining]` and the bargaining fields of actions (`concede`): deals by
//! bargaining over positions (docs/model.md, "Bargaining").

use std::collections::BTreeMap;

use super::super::format::{BargainingSection, Concede, S};
use super::super::number::Number;
use super::super::{Bargaining, Issue, Param, Position};
use super::Checker;
use crate::scenario::diagnostic::{show_number, suggestion_hint};

/// Checks `[bargaining]`: its parties, issues and positions.
pub(super) fn check_bargaining(
    c: &mut Checker,
    b: &BargainingSection,
    actor_index: &BTreeMap<String, usize>,
    actor_names: &[&str],
) -> Bargaining {
    let mut parties: Vec<usize> = Vec::new();
    let mut party_names: Vec<&str> = Vec::new();
    for p in &b.parties {
        match actor_index.get(p.get_ref()) {
            Some(&k) if parties.contains(&k) => c.error(
                p.span(),
                format!("`{}` is listed twice in `bargaining.parties`", p.get_ref()),
                Some("list each party once".into()),
            ),
            Some(&k) => {
                parties.push(k);
                party_names.push(p.get_ref());
            }
            None => c.error(
                p.span(),
                format!("unknown actor `{}` in `bargaining.parties`", p.get_ref()),
                Some(suggestion_hint(p.get_ref(), actor_names, "actors")),
            ),
        }
    }
    if b.parties.len() < 2 {
        let span = b.parties.first().map(|p| p.span()).unwrap_or_default();
        c.error(
            span,
            "bargaining needs at least two parties",
            Some("for example `parties = [\"us\", \"iran\"]`".into()),
        );
    }
    if b.issues.is_empty() {
        let span = b.parties.first().map(|p| p.span()).unwrap_or_default();
        c.error(
            span,
            "`[bargaining]` has no issues",
            Some("add at least one `[[bargaining.issues]]` table with `id` and `positions`".into()),
        );
    }
    let mut issues: Vec<Issue> = Vec::new();
    for e in &b.issues {
        c.identifier(&e.id, "issue");
        let id = e.id.get_ref().clone();
        if issues.iter().any(|i| i.id == id) {
            c.error(
                e.id.span(),
                format!("issue `{id}` is defined twice"),
                Some("give each issue its own id".into()),
            );
            continue;
        }
        for k in e.positions.keys() {
            if !party_names.contains(&k.get_ref().as_str()) {
                c.error(
                    k.span(),
                    format!("`{}` has a position on issue `{id}` but is not a party", k.get_ref()),
                    Some(format!(
                        "the parties are: {}; add it to `bargaining.parties` or remove the position",
                        party_names.join(", ")
                    )),
                );
            }
        }
        let mut positions = Vec::new();
        for &party in &party_names {
            let Some((key, p)) = e.positions.iter().find(|(k, _)| k.get_ref() == party) else {
                c.error(
                    e.id.span(),
                    format!("issue `{id}` has no position for party `{party}`"),
                    Some(format!(
                        "add `{party} = {{ wants = \"high\", start = 0.9, reservation = 0.5 }}` to its `positions`"
                    )),
                );
                continue;
            };
            let base = format!("bargaining.issues.{id}.{party}");
            let need = |c: &mut Checker, field: &str| {
                c.error(
                    key.span(),
                    format!("the position of `{party}` on issue `{id}` has no `{field}`"),
                    Some(
                        "a position is `{ wants = \"high\" or \"low\", start = 0..1, reservation = 0..1 }`"
                            .into(),
                    ),
                );
            };
            let wants_high = match p.wants.as_ref().map(|w| (w, w.get_ref().as_str())) {
                Some((_, "high")) => Some(true),
                Some((_, "low")) => Some(false),
                Some((w, other)) => {
                    c.error(
                        w.span(),
                        format!("`{base}.wants` is `{other}`, but must be \"high\" or \"low\""),
                        Some(suggestion_hint(other, &["high", "low"], "values")),
                    );
                    None
                }
                None => {
                    need(c, "wants");
                    None
                }
            };
            let start = match &p.start {
                Some(v) => Some(c.num(v, format!("{base}.start"), 0.0, 1.0)),
                None => {
                    need(c, "start");
                    None
                }
            };
            let reservation = match &p.reservation {
                Some(v) => Some(c.num(v, format!("{base}.reservation"), 0.0, 1.0)),
                None => {
                    need(c, "reservation");
                    None
                }
            };
            let (Some(wants_high), Some(start), Some(reservation)) =
                (wants_high, start, reservation)
            else {
                continue;
            };
            let too_demanding = if wants_high {
                reservation.value > start.value
            } else {
                reservation.value < start.value
            };
            if too_demanding && let Some(r) = &p.reservation {
                let (side, cmp) = if wants_high {
                    ("high", "at most")
                } else {
                    ("low", "at least")
                };
                c.error(
                    r.span(),
                    format!(
                        "the reservation point of `{party}` on issue `{id}` ({}) is more demanding than its start ({})",
                        show_number(reservation.value),
                        show_number(start.value)
                    ),
                    Some(format!(
                        "a party that wants the value {side} concedes from its start towards its reservation: \
                         make `reservation` {cmp} `start`"
                    )),
                );
            }
            positions.push(Position {
                wants_high,
                start,
                reservation,
            });
        }
        if positions.len() == party_names.len() && !positions.is_empty() {
            let high = positions.iter().any(|p| p.wants_high);
            let low = positions.iter().any(|p| !p.wants_high);
            if !(high && low) {
                let side = if high { "high" } else { "low" };
                c.error(
                    e.id.span(),
                    format!("on issue `{id}` every party wants the value {side}: nobody disputes it"),
                    Some(
                        "an issue needs at least one party wanting it high and one wanting it low; \
                         fix a `wants`, or remove the issue"
                            .into(),
                    ),
                );
            }
        }
        issues.push(Issue {
            label: e.label.clone().unwrap_or_else(|| id.replace('_', " ")),
            interim: e.interim.unwrap_or(false),
            positions,
            id,
        });
    }
    Bargaining {
        parties,
        issues,
        close_base: c.opt_num(&b.close_base, 0.5, "bargaining.close_base".into(), 0.0, 1.0),
        close_per_overlap: c.opt_num(
            &b.close_per_overlap,
            1.0,
            "bargaining.close_per_overlap".into(),
            0.0,
            10.0,
        ),
        close_per_trust: c.opt_num(
            &b.close_per_trust,
            0.0,
            "bargaining.close_per_trust".into(),
            0.0,
            1.0,
        ),
        back_channel: b.back_channel.unwrap_or(false),
        war_softening: c.opt_num(
            &b.war_softening,
            0.0,
            "bargaining.war_softening".into(),
            0.0,
            1.0,
        ),
    }
}

/// The issue ids of `[bargaining]`, in order (for actions' `concede`):
/// `None` when the scenario has no bargaining.
pub(super) fn issue_ids(b: Option<&BargainingSection>) -> Option<Vec<String>> {
    b.map(|b| b.issues.iter().map(|i| i.id.get_ref().clone()).collect())
}

/// Checks an action's `concede`; `issues` are the bargaining's issue ids, or
/// `None` when the scenario has no `[bargaining]` (`unreadable`: it has one
/// that could not be read, already reported).
pub(super) fn check_concede(
    c: &mut Checker,
    action: &str,
    concede: &S<Concede>,
    issues: Option<&[String]>,
    unreadable: bool,
) -> Vec<(usize, Param)> {
    let Some(issues) = issues else {
        if !unreadable {
            c.error(
                concede.span(),
                format!("action `{action}` concedes, but the scenario has no `[bargaining]`"),
                Some(
                    "add a `[bargaining]` table with its issues, or remove `concede` \
                     (without bargaining, deals come from `talks_progress`)"
                        .into(),
                ),
            );
        }
        return Vec::new();
    };
    let path = |issue: &str| format!("actions.{action}.concede.{issue}");
    match concede.get_ref() {
        Concede::All(n) => {
            if let Number::Uncertain(..) = n {
                c.error(
                    concede.span(),
                    format!(
                        "the concession of action `{action}` on every issue cannot be uncertain"
                    ),
                    Some(format!(
                        "each issue's concession is drawn on its own: give them one by one, \
                         `concede = {{ {} = {{ dist = ... }} }}`",
                        issues.first().map_or("ISSUE", String::as_str)
                    )),
                );
            }
            // Checked once; every issue gets the same value under its own path.
            let checked = c.num(
                &S::new(concede.span(), n.clone()),
                format!("actions.{action}.concede"),
                0.0,
                1.0,
            );
            issues
                .iter()
                .enumerate()
                .map(|(k, i)| {
                    (
                        k,
                        Param {
                            path: path(i),
                            ..checked.clone()
                        },
                    )
                })
                .collect()
        }
        Concede::Issues(map) => map
            .iter()
            .filter_map(|(k, v)| {
                let Some(at) = issues.iter().position(|i| i == k.get_ref()) else {
                    let names: Vec<&str> = issues.iter().map(String::as_str).collect();
                    c.error(
                        k.span(),
                        format!(
                            "unknown issue `{}` in the concessions of action `{action}`",
                            k.get_ref()
                        ),
                        Some(suggestion_hint(k.get_ref(), &names, "issues")),
                    );
                    return None;
                };
                Some((at, c.num(v, path(k.get_ref()), 0.0, 1.0)))
            })
            .collect(),
    }
}
