//! A trace as CSV for spreadsheets: one row per step (step 0 is the initial
//! state), with the state and, for every actor, its action, the probability
//! of that action and whether it was forced. A scenario with a calendar
//! gets a `date` column after `step`.

use crate::world::Var;

use super::{Trace, TraceState};

fn state_cells(row: &mut Vec<String>, s: &TraceState) {
    row.push(s.rung.to_string());
    row.push(u8::from(s.talks_active).to_string());
    row.extend(s.all_vars().iter().map(|v| v.to_string()));
    for flag in [s.war_open, s.ceasefire, s.interim, s.deal] {
        row.push(u8::from(flag).to_string());
    }
    for p in &s.positions {
        row.push(p.position.to_string());
        row.push(p.reservation.to_string());
    }
}

/// Renders a trace as CSV.
pub fn render(t: &Trace) -> String {
    let actors: Vec<&str> = t
        .steps
        .first()
        .map(|s| s.choices.iter().map(|c| c.actor.as_str()).collect())
        .unwrap_or_default();
    let mut header: Vec<String> = [
        "step",
        "rung_before",
        "rung_after_actions",
        "hazard",
        "incident",
        "incident_held",
        "incident_raised",
        "deescalated",
        "escalation",
        "cumulative_escalation",
        "rung",
        "talks_active",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let dated = t.calendar.is_some();
    if dated {
        header.insert(1, "date".to_string());
    }
    header.extend(Var::BUILTIN_NAMES.iter().map(|v| v.to_string()));
    header.extend(t.initial.declared.iter().map(|d| d.name.clone()));
    header.extend(["war_open", "ceasefire", "interim", "deal"].map(String::from));
    for p in &t.initial.positions {
        header.push(format!("position.{}.{}", p.issue, p.party));
        header.push(format!("reservation.{}.{}", p.issue, p.party));
    }
    for a in &actors {
        header.extend([
            format!("{a}.action"),
            format!("{a}.probability"),
            format!("{a}.forced"),
            format!("{a}.added"),
            format!("{a}.reaction"),
            format!("{a}.reaction_probability"),
        ]);
    }
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut rows: Vec<Vec<String>> = vec![header];
    let mut first = vec!["0".to_string(), String::new(), String::new()];
    if let Some(c) = &t.calendar {
        first.insert(1, c.date(0));
    }
    first.extend(std::iter::repeat_n(String::new(), 7));
    state_cells(&mut first, &t.initial);
    first.extend(std::iter::repeat_n(String::new(), actors.len() * 6));
    rows.push(first);
    let flag = |b: bool| u8::from(b).to_string();
    for s in &t.steps {
        let mut row = vec![
            s.step.to_string(),
            s.rung_before.to_string(),
            s.rung_after_actions.to_string(),
            s.hazard.to_string(),
            flag(s.incident),
            flag(s.incident_held),
            flag(s.incident_raised),
            flag(s.deescalated),
            s.escalation.to_string(),
            s.cumulative_escalation.to_string(),
        ];
        if dated {
            row.insert(1, s.date.clone().unwrap_or_default());
        }
        state_cells(&mut row, &s.state);
        for c in &s.choices {
            row.push(c.action.clone().unwrap_or_default());
            row.push(c.probability.to_string());
            row.push(flag(c.forced));
            let added = s.added.iter().find(|a| a.actor == c.actor);
            row.push(added.and_then(|a| a.action.clone()).unwrap_or_default());
            match s.reactions.iter().find(|r| r.actor == c.actor) {
                Some(r) => {
                    row.push(r.action.clone().unwrap_or_default());
                    row.push(r.probability.to_string());
                }
                None => row.extend([String::new(), String::new()]),
            }
        }
        rows.push(row);
    }
    for r in &rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(r);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
