//! `[[variables]]`: the state variables a scenario declares, checked first
//! because every other section may name them.

use crate::world::{N_BUILTIN_VARS, N_VARS, Subject, VarInfo};

use super::super::Param;
use super::super::format::VariableEntry;
use super::Checker;
use crate::scenario::diagnostic::show_number;

/// Most variables a scenario may declare.
pub const MAX_DECLARED_VARS: usize = N_VARS - N_BUILTIN_VARS;

/// Checks the declared variables, appends them to `c.vars` in file order and
/// returns their initial values in the same order.
pub(super) fn check_variables(c: &mut Checker, entries: &[VariableEntry]) -> Vec<Param> {
    let builtin = VarInfo::builtin();
    let reserved = Subject::names(&builtin)
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<_>>();
    let mut initial = Vec::new();
    for (n, e) in entries.iter().enumerate() {
        let id = e.id.get_ref().clone();
        c.identifier(&e.id, "variable");
        if n >= MAX_DECLARED_VARS {
            if n == MAX_DECLARED_VARS {
                c.error(
                    e.id.span(),
                    format!(
                        "the scenario declares {} variables; at most {MAX_DECLARED_VARS} are allowed",
                        entries.len()
                    ),
                    Some(format!(
                        "a scenario has the {N_BUILTIN_VARS} built-in variables and up to \
                         {MAX_DECLARED_VARS} of its own; merge or remove some"
                    )),
                );
            }
            continue;
        }
        if reserved.contains(&id) {
            c.error(
                e.id.span(),
                format!("variable `{id}` has the name of a built-in variable or condition subject"),
                Some(format!(
                    "choose another name; these are taken: {}",
                    reserved.join(", ")
                )),
            );
            continue;
        }
        if c.vars.iter().any(|v| v.name == id) {
            c.error(
                e.id.span(),
                format!("variable `{id}` is declared twice"),
                Some("give each variable its own id".into()),
            );
            continue;
        }
        let mut bound = |v: &Option<crate::scenario::format::S<f64>>, field: &str, default: f64| {
            match v {
                Some(x) if !x.get_ref().is_finite() || x.get_ref().abs() > super::MAX_STOCKPILE => {
                    c.error(
                        x.span(),
                        format!(
                            "`variables.{id}.{field}` is {}, but must be a finite number of at most {} in size",
                            show_number(*x.get_ref()),
                            show_number(super::MAX_STOCKPILE)
                        ),
                        Some("write an ordinary number such as 0 or 1".into()),
                    );
                    None
                }
                Some(x) => Some(*x.get_ref()),
                None => Some(default),
            }
        };
        // After a reported error, stand-ins keep references to the variable valid.
        let low = bound(&e.low, "low", 0.0).unwrap_or(0.0);
        let mut high = bound(&e.high, "high", 1.0).unwrap_or(low + 1.0);
        if high <= low {
            let span = e
                .high
                .as_ref()
                .or(e.low.as_ref())
                .map_or(e.id.span(), |x| x.span());
            c.error(
                span,
                format!(
                    "`variables.{id}.high` ({}) must be above `low` ({})",
                    show_number(high),
                    show_number(low)
                ),
                Some("`low` defaults to 0 and `high` to 1".into()),
            );
            high = low + 1.0;
        }
        let path = format!("variables.{id}.initial");
        let value = match &e.initial {
            Some(v) => c.num(v, path, low, high),
            None => Param {
                low,
                high,
                ..Param::new(path, low)
            },
        };
        initial.push(value);
        c.vars.push(VarInfo {
            label: e.label.clone().unwrap_or_else(|| id.replace('_', " ")),
            name: id,
            low,
            high,
        });
    }
    initial
}
