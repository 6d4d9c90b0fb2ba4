//! The table of `brink experiment`: one row per design point, and the one
//! function that names a parameter's column.

use std::io;
use std::path::{Path, PathBuf};

use crate::analysis::experiment::Experiment;
use crate::export::{self, Column, Format, Table, Value};

/// The column of parameter `path` in `experiment.csv`: every `.` becomes
/// `__` (`actors.us.bias.sanction` -> `actors__us__bias__sanction`), so
/// the name has no dot and [`path_of_column`] gives the path back
/// (parameter paths never hold `__`).
pub fn column_name(path: &str) -> String {
    path.replace('.', "__")
}

/// The parameter path of a column named by [`column_name`].
pub fn path_of_column(column: &str) -> String {
    column.replace("__", ".")
}

/// `x` rounded to 12 significant digits, so that a table holds
/// `0.575`, not `0.5750000000000001`, and its text is the shortest that
/// reads back to that value.
pub fn round12(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    format!("{x:.11e}").parse::<f64>().unwrap_or(x)
}

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
    let f = |x: f64| Value::Float(round12(x));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_have_no_dots_and_give_the_path_back() {
        let c = column_name("actors.us.bias.sanction");
        assert_eq!(c, "actors__us__bias__sanction");
        assert_eq!(path_of_column(&c), "actors.us.bias.sanction");
        assert_eq!(
            path_of_column(&column_name("actors.us.red_lines.1.favour.strike")),
            "actors.us.red_lines.1.favour.strike"
        );
    }

    #[test]
    fn floats_are_rounded_to_twelve_digits() {
        assert_eq!(round12(0.5750000000000001), 0.575);
        assert_eq!(round12(0.1 + 0.2), 0.3);
        assert_eq!(round12(1.0 / 3.0).to_string(), "0.333333333333");
        assert_eq!(round12(0.0), 0.0);
    }
}
