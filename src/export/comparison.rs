//! The `comparison` table: one row per scenario and outcome, with the
//! paired difference from the baseline (empty on the baseline's own rows).

use std::io;
use std::path::{Path, PathBuf};

use crate::export::{self, Column, Exporter, Format, Table, Value};
use crate::stats::comparison::Comparison;

/// The table's name (its file's stem).
pub const NAME: &str = "comparison";

/// Column names, in order.
pub const HEADER: [&str; 16] = [
    "scenario",
    "baseline",
    "outcome",
    "count",
    "probability",
    "probability_low",
    "probability_high",
    "difference",
    "difference_low",
    "difference_high",
    "excludes_zero",
    "difference_unpaired_low",
    "difference_unpaired_high",
    "baseline_only",
    "scenario_only",
    "variance_reduction",
];

/// The comparison as a table.
pub fn table(c: &Comparison) -> Table {
    let columns = HEADER
        .iter()
        .enumerate()
        .map(|(k, name)| match k {
            0..=2 => Column::text(*name),
            3 | 10 | 13 | 14 => Column::int(*name),
            _ => Column::float(*name),
        })
        .collect();
    let mut t = Table::new(NAME, columns);
    let baseline = &c.baseline().scenario.name;
    for (k, s) in c.scenarios.iter().enumerate() {
        for (o, share) in s.outcomes.iter().enumerate() {
            let mut row = vec![
                Value::Text(s.scenario.name.clone()),
                Value::Text(baseline.clone()),
                Value::Text(share.outcome.clone()),
                Value::count(share.count),
                Value::Float(share.probability),
                Value::Float(share.ci95[0]),
                Value::Float(share.ci95[1]),
            ];
            match k.checked_sub(1).map(|j| &c.differences[j].outcomes[o]) {
                Some(d) => row.extend([
                    Value::Float(d.difference),
                    Value::Float(d.ci95[0]),
                    Value::Float(d.ci95[1]),
                    Value::flag(d.excludes_zero),
                    Value::Float(d.unpaired_ci95[0]),
                    Value::Float(d.unpaired_ci95[1]),
                    Value::count(d.baseline_only),
                    Value::count(d.scenario_only),
                    d.variance_reduction.map_or(Value::Null, Value::Float),
                ]),
                None => row.extend(std::iter::repeat_n(Value::Null, 9)),
            }
            t.push(row);
        }
    }
    t
}

/// The bytes of `comparison.csv`.
pub fn render(c: &Comparison) -> io::Result<Vec<u8>> {
    export::csv::CsvExporter.serialize(&table(c))
}

/// Writes the comparison table into `dir` in `format`.
pub fn write(dir: &Path, c: &Comparison, format: Format) -> io::Result<PathBuf> {
    export::write(dir, &table(c), format)
}
