//! `comparison.csv`: one row per scenario and outcome, with the paired
//! difference from the baseline (empty on the baseline's own rows).

use std::io;
use std::path::Path;

use crate::stats::comparison::Comparison;

use super::staging::write_atomic;

/// Column names, in order.
pub const HEADER: [&str; 16] = [
    "scenario",
    "baseline",
    "outcome",
    "count",
    "probability",
    "ci95_low",
    "ci95_high",
    "difference",
    "difference_ci95_low",
    "difference_ci95_high",
    "excludes_zero",
    "unpaired_ci95_low",
    "unpaired_ci95_high",
    "baseline_only",
    "scenario_only",
    "variance_reduction",
];

/// The file's bytes.
pub fn render(c: &Comparison) -> io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).map_err(io::Error::other)?;
    let baseline = &c.baseline().scenario.name;
    for (k, s) in c.scenarios.iter().enumerate() {
        for (o, share) in s.outcomes.iter().enumerate() {
            let mut row = vec![
                s.scenario.name.clone(),
                baseline.clone(),
                share.outcome.clone(),
                share.count.to_string(),
                share.probability.to_string(),
                share.ci95[0].to_string(),
                share.ci95[1].to_string(),
            ];
            match k.checked_sub(1).map(|j| &c.differences[j].outcomes[o]) {
                Some(d) => row.extend([
                    d.difference.to_string(),
                    d.ci95[0].to_string(),
                    d.ci95[1].to_string(),
                    u8::from(d.excludes_zero).to_string(),
                    d.unpaired_ci95[0].to_string(),
                    d.unpaired_ci95[1].to_string(),
                    d.baseline_only.to_string(),
                    d.scenario_only.to_string(),
                    d.variance_reduction
                        .map_or_else(String::new, |v| v.to_string()),
                ]),
                None => row.extend(std::iter::repeat_n(String::new(), 9)),
            }
            w.write_record(&row).map_err(io::Error::other)?;
        }
    }
    w.into_inner().map_err(|e| io::Error::other(e.to_string()))
}

/// Writes `comparison.csv`.
pub fn write(path: &Path, c: &Comparison) -> io::Result<()> {
    write_atomic(path, &render(c)?)
}
