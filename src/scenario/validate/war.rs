//! `[outcomes] absorbing` and `[war]`: which states end a trial, and how
//! wars end.

use crate::world::RUNG_STRIKES;

use super::super::format::{S, WarSection};
use super::super::{Absorbing, War};
use super::Checker;
use crate::scenario::diagnostic::suggestion_hint;

/// Names `outcomes.absorbing` accepts.
const ABSORBING: [&str; 2] = ["deal", "war"];

/// Steps a ceasefire holds to end a war, unless `[war] holds_after` says otherwise.
pub const DEFAULT_HOLDS_AFTER: u32 = 4;
/// Rung after a ceasefire, unless `[war] ceasefire_rung` says otherwise.
pub const DEFAULT_CEASEFIRE_RUNG: u8 = 3;

/// Reads `outcomes.absorbing`: by default no state absorbs.
pub(super) fn check_absorbing(c: &mut Checker, names: &[S<String>]) -> Absorbing {
    let mut out = Absorbing::default();
    for n in names {
        match n.get_ref().as_str() {
            "deal" if out.deal => twice(c, n),
            "war" if out.war => twice(c, n),
            "deal" => out.deal = true,
            "war" => out.war = true,
            other => c.error(
                n.span(),
                format!("`{other}` cannot be absorbing"),
                Some(suggestion_hint(other, &ABSORBING, "absorbing states")),
            ),
        }
    }
    out
}

fn twice(c: &mut Checker, n: &S<String>) {
    c.warn(
        n.span(),
        format!("`{}` is listed twice in `outcomes.absorbing`", n.get_ref()),
        Some("list each state once".into()),
    );
}

/// Reads `[war]`, with its defaults when absent.
pub(super) fn check_war(c: &mut Checker, w: Option<&WarSection>, horizon: u32) -> War {
    let ceasefire_rung = w
        .and_then(|w| w.ceasefire_rung.as_ref())
        .map_or(DEFAULT_CEASEFIRE_RUNG, |r| {
            c.int(r, "war.ceasefire_rung", 0, i64::from(RUNG_STRIKES)) as u8
        });
    let collapse = c.opt_num(
        &w.and_then(|w| w.collapse.clone()),
        0.0,
        "war.collapse".into(),
        0.0,
        1.0,
    );
    let holds_after = w
        .and_then(|w| w.holds_after.as_ref())
        .map_or(DEFAULT_HOLDS_AFTER, |h| {
            c.int(h, "war.holds_after", 1, i64::from(horizon.max(1))) as u32
        });
    War {
        ceasefire_rung,
        collapse,
        holds_after,
    }
}
