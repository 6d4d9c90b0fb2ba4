//! The `timeseries` table: one row per step with rung shares, escalation
//! percentiles, cumulative outcome probabilities and mean state; for a
//! scenario with a calendar, the date of each step follows its number.

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
        t.push(row);
    }
    t
}

/// Writes the per-step series of a summary into `dir` in `format`.
pub fn write(dir: &Path, s: &Summary, format: Format) -> io::Result<PathBuf> {
    export::write(dir, &table(s), format)
}
