//! What plots and reports call a scenario's uncertain numbers.
//!
//! A file may name a number beside its distribution (`strike = { dist =
//! "triangular", low = -2.5, mode = -1.5, high = -0.5, label = "US appetite
//! for a strike" }`). Without one, the label is made from the path, with the
//! names of the scenario's actors, actions, variables and issues
//! (`actors.us.bias.strike` is `United States: leaning towards "Strike"`).

use serde::{Deserialize, Serialize};

use super::Scenario;

/// One uncertain number's path and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterLabel {
    /// The parameter path (`actors.us.bias.strike`).
    pub path: String,
    /// What plots and reports call it.
    pub label: String,
}

/// Gives every assumption of `s` its label: the one the file wrote (from
/// `explicit`, path and label), or one made from its path.
pub(crate) fn label_assumptions(s: &mut Scenario, explicit: &[(String, String)]) {
    let labels: Vec<String> = s
        .assumptions
        .iter()
        .map(|a| {
            explicit
                .iter()
                .find(|(p, _)| *p == a.path)
                .map_or_else(|| label_from_path(s, &a.path), |(_, l)| l.clone())
        })
        .collect();
    for (a, l) in s.assumptions.iter_mut().zip(labels) {
        a.label = l;
    }
}

/// A path in words without a scenario to name its parts:
/// `actors.us.bias.strike` is `actors us bias strike`.
pub fn plain_label(path: &str) -> String {
    path.replace(['.', '_'], " ")
}

/// A parameter path in words, with the names of actors, actions, variables
/// and issues of `s` (`actors.us.bias.strike` -> `United States:
/// leaning towards "Strike"`). Paths of other forms are spelt out.
pub fn label_from_path(s: &Scenario, path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let actor = |id: &str| {
        s.actors
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    };
    let action = |id: &str| {
        s.actions
            .iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.replace('_', " "), |a| a.label.clone())
    };
    let var = |id: &str| {
        s.vars
            .iter()
            .find(|v| v.name == id)
            .map_or_else(|| id.replace('_', " "), |v| lower_first(&v.label))
    };
    match parts.as_slice() {
        ["actors", a, "bias", act] => format!(
            "{}: leaning towards \u{201c}{}\u{201d}",
            actor(a),
            action(act)
        ),
        ["actors", a, "red_lines", n, "favour", act] => format!(
            "{}: pull of red line {} towards \u{201c}{}\u{201d}",
            actor(a),
            n.parse::<usize>()
                .map_or_else(|_| (*n).to_string(), |k| (k + 1).to_string()),
            action(act)
        ),
        ["actors", a, "rationality"] => format!("{}: rationality", actor(a)),
        ["actors", a, "reciprocity"] => format!("{}: reciprocity", actor(a)),
        ["actors", a, field] => format!("{}: {}", actor(a), field.replace('_', " ")),
        ["actions", act, "escalation"] => {
            format!("\u{201c}{}\u{201d}: escalation score", action(act))
        }
        ["actions", act, "rung_change"] => {
            format!("\u{201c}{}\u{201d}: change of the rung", action(act))
        }
        ["actions", act, "rung_at_least"] => {
            format!("\u{201c}{}\u{201d}: rung it raises to", action(act))
        }
        ["deadlines", id, field @ ("step" | "lead" | "fade")] => {
            let what = match *field {
                "step" => "the step it passes",
                "lead" => "steps of warning before it",
                _ => "steps over which it fades",
            };
            format!("Deadline {id}: {what}")
        }
        ["events", n, "step"] => format!("Scripted event {n}: its step"),
        ["actions", act, "effects", v] => {
            format!("Effect of \u{201c}{}\u{201d} on {}", action(act), var(v))
        }
        ["incidents", "weights", v] => format!("Incident hazard per unit of {}", var(v)),
        ["war", "collapse"] => format!("Chance per {} that a ceasefire collapses", s.step_label),
        ["bargaining", "issues", issue, a, "reservation"] => format!(
            "{}: reservation point on {}",
            actor(a),
            issue.replace('_', " ")
        ),
        _ => plain_label(path),
    }
}

/// `Iran readiness` stays as written; `Share of the stockpile` becomes
/// `share of the stockpile` (only a first word that is not a name).
fn lower_first(label: &str) -> String {
    let mut words = label.splitn(2, ' ');
    let first = words.next().unwrap_or("");
    let rest = words.next();
    let is_name = first.chars().skip(1).any(char::is_uppercase)
        || ["Iran", "Israel", "US", "United"].contains(&first);
    let first = if is_name {
        first.to_string()
    } else {
        first.to_lowercase()
    };
    match rest {
        Some(r) => format!("{first} {r}"),
        None => first,
    }
}
