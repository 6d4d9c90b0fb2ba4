//! The table of `brink experiment`: one row per design point, its
//! parameters' columns named by `output::names::column_name`.

use std::io;
use std::path::{Path, PathBuf};

use crate::analysis::experiment::Experiment;
use crate::export::{self, Column, Format, Table, Value};
use crate::output::names::column_name;

/// One row per design point: `lever`, `point`, one column per parameter
/// the levers and uncertainties name, `trials`, then every outcome's share
/// and the key figures (`war`, `agreement`), each with `<name>_low` and
/// `<name>_high` (95% Wilson interval), and `escalation_mean` with
/// `escalation_mean_low` and `escalation_mean_high`.
pub fn experiment_table(e: &Experiment) -> Table {
    let mut columns = vec![Column::text("lever"), Column::int("point")];
    let first = e.points.first();
    if let Some(p) = first {
        columns.extend(
            p.values
                .0
                .iter()
                .map(|(path, _)| Column::float(column_name(path))),
        );
    }
    columns.push(Column::int("trials"));
    if let Some(p) = first {
        for (name, _) in p.shares() {
            columns.extend([
                Column::float(name.clone()),
                Column::float(format!("{name}_low")),
                Column::float(format!("{name}_high")),
            ]);
        }
    }
    columns.extend(
        [
            "escalation_mean",
            "escalation_mean_low",
            "escalation_mean_high",
        ]
        .map(Column::float),
    );
    let mut t = Table::new("experiment", columns);
    // Table::push rounds floats to the digits the model carries.
    let f = Value::Float;
    for p in &e.points {
        let mut row = vec![Value::Text(p.lever.clone()), Value::count(p.point)];
        row.extend(p.values.0.iter().map(|(_, v)| f(*v)));
        row.push(Value::count(p.trials));
        for (_, s) in p.shares() {
            row.extend([f(s.probability), f(s.low), f(s.high)]);
        }
        row.extend([
            f(p.escalation_mean.mean),
            f(p.escalation_mean.low),
            f(p.escalation_mean.high),
        ]);
        t.push(row);
    }
    t
}

/// Writes the experiment table into `dir` in `format`.
pub fn write_experiment(dir: &Path, e: &Experiment, format: Format) -> io::Result<PathBuf> {
    export::write(dir, &experiment_table(e), format)
}
