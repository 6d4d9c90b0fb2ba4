//! A trace as text for people: one block per step.

use std::fmt::Write;

use crate::world::{RUNG_LABELS, Var};

use super::{Trace, TraceState, TraceStep};

fn rung_label(r: u8) -> &'static str {
    RUNG_LABELS[usize::from(r).min(RUNG_LABELS.len() - 1)]
}

fn value(var: Var, x: f64) -> String {
    if var == Var::STOCKPILE {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}

/// `trust 0.090 (-0.010)  talks_progress 0.110 ...`: each variable, with
/// its change when it changed.
fn state_line(state: &TraceState, before: Option<&TraceState>) -> String {
    let now = state.vars();
    let mut out = String::from(" ");
    for (k, var) in Var::BUILTIN.iter().enumerate() {
        let _ = write!(out, " {}={}", Var::BUILTIN_NAMES[k], value(*var, now[k]));
        if let Some(b) = before {
            let d = now[k] - b.vars()[k];
            if d != 0.0 {
                let sign = if d > 0.0 { "+" } else { "-" };
                let _ = write!(out, " ({sign}{})", value(*var, d.abs()));
            }
        }
    }
    for (k, d) in state.declared.iter().enumerate() {
        let _ = write!(out, " {}={:.3}", d.name, d.value);
        if let Some(b) = before.and_then(|b| b.declared.get(k)) {
            let delta = d.value - b.value;
            if delta != 0.0 {
                let sign = if delta > 0.0 { "+" } else { "-" };
                let _ = write!(out, " ({sign}{:.3})", delta.abs());
            }
        }
    }
    out
}

/// `  positions: enrichment us 0.100 (reservation 0.300) iran ...`, one line
/// per issue, when the scenario bargains.
fn positions_lines(out: &mut String, state: &TraceState) {
    let mut issue: Option<&str> = None;
    for p in &state.positions {
        if issue != Some(p.issue.as_str()) {
            if issue.is_some() {
                let _ = writeln!(out);
            }
            let _ = write!(out, "  positions on {}:", p.issue);
            issue = Some(&p.issue);
        }
        let _ = write!(
            out,
            " {} {:.3} (reservation {:.3})",
            p.party, p.position, p.reservation
        );
    }
    if issue.is_some() {
        let _ = writeln!(out);
    }
}

fn rung_text(from: u8, to: u8) -> String {
    if from == to {
        format!("rung {to} ({})", rung_label(to))
    } else {
        format!("rung {from} -> {to} ({})", rung_label(to))
    }
}

fn step_block(out: &mut String, t: &Trace, s: &TraceStep, before: &TraceState) {
    let label = t.step_label.as_str();
    let talks = if s.state.talks_active {
        "talks active"
    } else {
        "talks suspended"
    };
    let _ = writeln!(
        out,
        "{}: {}, {talks}, escalation {:+} (total {})",
        t.step_name(s.step),
        rung_text(s.rung_before, s.state.rung),
        s.escalation,
        s.cumulative_escalation
    );
    let width = s.choices.iter().map(|c| c.actor.len()).max().unwrap_or(0);
    for c in &s.choices {
        let action = c.action.as_deref().unwrap_or("(no action open)");
        let how = if c.forced {
            "forced".to_string()
        } else {
            format!("{:5.1}%", c.probability * 100.0)
        };
        let _ = writeln!(out, "  {:<width$}  {action:<20} {how}", c.actor);
    }
    for c in &s.added {
        let action = c.action.as_deref().unwrap_or("");
        let _ = writeln!(
            out,
            "  {:<width$}  {action:<20} forced, in addition",
            c.actor
        );
    }
    for d in &s.deadlines {
        let _ = writeln!(
            out,
            "  deadline {} ({label} {}): approach weight {:.2}, passed weight {:.2}",
            d.id, d.step, d.before, d.after
        );
    }
    if s.rung_after_actions != s.rung_before {
        let _ = writeln!(
            out,
            "  actions move the rung {} -> {}",
            s.rung_before, s.rung_after_actions
        );
    }
    for c in &s.reactions {
        let action = c.action.as_deref().unwrap_or("(no reaction open)");
        let _ = writeln!(
            out,
            "  struck, {} reacts within the {label}: {action} ({:.1}%)",
            c.actor,
            c.probability * 100.0
        );
    }
    if s.state.war_open != before.war_open
        || s.state.ceasefire != before.ceasefire
        || s.state.interim != before.interim
        || s.state.deal != before.deal
    {
        let _ = writeln!(out, "  phase: {} -> {}", before.phase(), s.state.phase());
    }
    let hazard = s.hazard * 100.0;
    if !s.incident {
        let _ = writeln!(out, "  no incident (hazard {hazard:.1}%)");
    } else if s.incident_held {
        let _ = writeln!(
            out,
            "  incident (hazard {hazard:.1}%): restraint held, the rung stays"
        );
    } else if s.incident_raised {
        let _ = writeln!(
            out,
            "  incident (hazard {hazard:.1}%), not held: rung {} -> {}",
            s.rung_after_actions,
            s.rung_after_actions + 1
        );
    } else {
        let _ = writeln!(
            out,
            "  incident (hazard {hazard:.1}%) at or above the incident ceiling: the rung stays"
        );
    }
    if s.deescalated {
        let _ = writeln!(out, "  a quiet {label}: the rung falls by one");
    }
    let _ = writeln!(out, "{}", state_line(&s.state, Some(before)));
    positions_lines(out, &s.state);
}

/// Renders a trace as text.
pub fn render(t: &Trace) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} ({})", t.title, t.scenario);
    let _ = writeln!(
        out,
        "trial {}, seed {}: {} at {}; highest rung {} ({}), escalation total {}, {} incident(s)",
        t.trial,
        t.seed,
        t.outcome_label,
        t.step_name(t.outcome_step),
        t.max_rung,
        rung_label(t.max_rung),
        t.escalation_total,
        t.incidents
    );
    if !t.parameters.is_empty() {
        let _ = writeln!(out, "uncertain parameters drawn for this trial:");
        for p in &t.parameters {
            let _ = writeln!(out, "  {} = {}", p.path, p.value);
        }
    }
    let _ = writeln!(out);
    let talks = if t.initial.talks_active {
        "talks active"
    } else {
        "talks suspended"
    };
    let _ = writeln!(
        out,
        "{}: {}, {talks}",
        t.step_name(0),
        rung_text(t.initial.rung, t.initial.rung)
    );
    if let Some(h) = &t.history {
        let label = t.step_label.as_str();
        let _ = writeln!(out, "  history: {}", h.war_text(label));
        let passed = h.milestone_texts(label);
        if !passed.is_empty() {
            let _ = writeln!(
                out,
                "  milestones passed (recorded at {label} 0): {}",
                passed.join(", ")
            );
        }
        if !h.last_moves.is_empty() {
            let moves: Vec<String> = h
                .last_moves
                .iter()
                .map(|(a, m)| format!("{a} {m}"))
                .collect();
            let _ = writeln!(out, "  last moves: {}", moves.join(", "));
        }
    }
    let _ = writeln!(out, "{}", state_line(&t.initial, None));
    positions_lines(&mut out, &t.initial);
    let mut before = &t.initial;
    for s in &t.steps {
        let _ = writeln!(out);
        step_block(&mut out, t, s, before);
        before = &s.state;
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "outcome: {} at {}",
        t.outcome_label,
        t.step_name(t.outcome_step)
    );
    let reached: Vec<String> = t
        .milestones
        .iter()
        .filter_map(|m| {
            let step = m.step?;
            let name = m.name.replace('_', " ");
            Some(match &t.calendar {
                Some(c) => format!("{name} {step} ({})", c.date(step)),
                None => format!("{name} {step}"),
            })
        })
        .collect();
    if !reached.is_empty() {
        let _ = writeln!(out, "milestones ({}): {}", t.step_label, reached.join(", "));
    }
    let mut actor: Option<&str> = None;
    for m in t.moves.iter().filter(|m| m.count > 0) {
        if actor != Some(m.actor.as_str()) {
            if actor.is_some() {
                let _ = writeln!(out);
            }
            let _ = write!(out, "  {}:", m.actor);
            actor = Some(&m.actor);
        }
        let _ = write!(out, " {} {}", m.action, m.count);
    }
    if actor.is_some() {
        let _ = writeln!(out);
    }
    out
}
