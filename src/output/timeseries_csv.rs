//! `timeseries.csv`: one row per step with rung shares, escalation
//! percentiles, cumulative outcome probabilities and mean state.

use std::io;
use std::path::Path;

use crate::stats::Summary;
use crate::world::{N_RUNGS, Outcome};

use super::staging::write_atomic;

/// Writes the per-step series of a summary.
pub fn write(path: &Path, s: &Summary) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["step".to_string()];
    header.extend((0..N_RUNGS).map(|r| format!("rung_{r}")));
    header.extend(
        s.series
            .escalation_percentile_levels
            .iter()
            .map(|q| format!("escalation_p{:02}", (q * 100.0).round() as u32)),
    );
    header.extend(Outcome::ALL.map(Outcome::cumulative_column));
    header.extend(s.series.mean_names.iter().map(|n| format!("mean_{n}")));
    w.write_record(&header).map_err(io::Error::other)?;
    for t in 0..=s.horizon as usize {
        let mut row = vec![t.to_string()];
        row.extend(s.series.rung_occupancy[t].iter().map(|x| x.to_string()));
        row.extend(
            s.series.escalation_percentiles[t]
                .iter()
                .map(|x| x.to_string()),
        );
        row.extend(
            s.series.cumulative_outcomes[t]
                .values()
                .iter()
                .map(|x| x.to_string()),
        );
        row.extend(s.series.means[t].iter().map(|x| x.to_string()));
        w.write_record(&row).map_err(io::Error::other)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    write_atomic(path, &bytes)
}
