//! The `timeseries` table: one row per step with rung shares, escalation
//! percentiles, cumulative outcome probabilities and mean state; for a
//! scenario with a calendar, the date of each step follows its number. Last
//! come the milestone curves: for every milestone, the share of trials that
//! reached it by the step with its 95% Wilson band, and its hazard at the
//! step among the trials that had not reached it (empty when none had not).

use std::io;
use std::path::{Path, PathBuf};

use crate::export::{self, Column, Format, Table, Value};
use crate::stats::Summary;
use crate::world::{N_RUNGS, Outcome};

/// The table's name (its file's stem).
pub const NAME: &str = "timeseries";

/// The per-step series of a summary as a table.
pub fn table(s: &Summary) -> Table {
    let mut columns = vec![Column::int("step")];
    if s.calendar.is_some() {
        columns.push(Column::text("date"));
    }
    columns.extend((0..N_RUNGS).map(|r| Column::float(format!("rung_{r}"))));
    columns.extend(
        s.series
            .escalation_percentile_levels
            .iter()
            .map(|q| Column::float(format!("escalation_p{:02}", (q * 100.0).round() as u32))),
    );
    columns.extend(Outcome::ALL.map(|o| Column::float(o.cumulative_column())));
    columns.extend(
        s.series
            .mean_names
            .iter()
            .map(|n| Column::float(format!("mean_{n}"))),
    );
    for m in &s.milestones {
        columns.extend([
            Column::float(format!("reached_{}", m.name)),
            Column::float(format!("reached_{}_low", m.name)),
            Column::float(format!("reached_{}_high", m.name)),
            Column::float(format!("hazard_{}", m.name)),
        ]);
    }
    let mut t = Table::new(NAME, columns);
    for step in 0..=s.horizon as usize {
        let mut row = vec![Value::count(step)];
        if let Some(c) = &s.calendar {
            row.push(Value::Text(c.date(step as u32)));
        }
        let floats = s.series.rung_occupancy[step]
            .iter()
            .chain(&s.series.escalation_percentiles[step])
            .chain(s.series.cumulative_outcomes[step].values())
            .chain(&s.series.means[step]);
        row.extend(floats.map(|&x| Value::Float(x)));
        for m in &s.milestones {
            let c = &m.cumulative[step];
            row.extend([
                Value::Float(c.share),
                Value::Float(c.ci95[0]),
                Value::Float(c.ci95[1]),
                m.hazard[step].hazard.map_or(Value::Null, Value::Float),
            ]);
        }
        t.push(row);
    }
    t
}

/// Writes the per-step series of a summary into `dir` in `format`.
pub fn write(dir: &Path, s: &Summary, format: Format) -> io::Result<PathBuf> {
    export::write(dir, &table(s), format)
}
