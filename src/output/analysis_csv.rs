//! CSV tables of the analyses: `sweep.csv`, `sensitivity.csv`,
//! `discovery.csv` (the PRIM peeling trajectory), and the ABC samples of a
//! calibration (`samples.csv`, `accepted.csv`).

use std::io;
use std::path::Path;

use crate::analysis::calibrate::Calibration;
use crate::analysis::discovery::Discovery;
use crate::analysis::sensitivity::Sensitivity;
use crate::analysis::sweep::Sweep;

use super::staging::write_atomic;

fn write_rows(path: &Path, rows: Vec<Vec<String>>) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(&row).map_err(io::Error::other)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))?;
    write_atomic(path, &bytes)
}

/// One row per point: the value, then probability and 95% interval of each outcome.
pub fn write_sweep(path: &Path, s: &Sweep) -> io::Result<()> {
    let mut header = vec![s.parameter.clone()];
    if let Some(first) = s.points.first() {
        for o in &first.outcomes {
            header.extend([
                o.outcome.clone(),
                format!("{}_low", o.outcome),
                format!("{}_high", o.outcome),
            ]);
        }
    }
    header.extend(["escalation_mean", "escalation_low", "escalation_high"].map(String::from));
    let mut rows = vec![header];
    for p in &s.points {
        let mut row = vec![p.value.to_string()];
        for o in &p.outcomes {
            row.extend([
                o.probability.to_string(),
                o.ci95[0].to_string(),
                o.ci95[1].to_string(),
            ]);
        }
        row.extend([
            p.escalation_mean.to_string(),
            p.escalation_ci95[0].to_string(),
            p.escalation_ci95[1].to_string(),
        ]);
        rows.push(row);
    }
    write_rows(path, rows)
}

/// One row per output and parameter with both indices and their intervals.
pub fn write_sensitivity(path: &Path, s: &Sensitivity) -> io::Result<()> {
    let mut rows = vec![
        [
            "output",
            "parameter",
            "first",
            "first_low",
            "first_high",
            "total",
            "total_low",
            "total_high",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
    ];
    for o in &s.outputs {
        for ix in &o.indices {
            rows.push(vec![
                o.output.label(),
                ix.parameter.clone(),
                ix.first.value.to_string(),
                ix.first.low.to_string(),
                ix.first.high.to_string(),
                ix.total.value.to_string(),
                ix.total.low.to_string(),
                ix.total.high.to_string(),
            ]);
        }
    }
    write_rows(path, rows)
}

/// One row per peeling step: coverage, density, support and the box bounds.
pub fn write_discovery(path: &Path, d: &Discovery) -> io::Result<()> {
    let mut header: Vec<String> = ["step", "coverage", "density", "support"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    for p in &d.parameters {
        header.extend([format!("{p}.low"), format!("{p}.high")]);
    }
    let mut rows = vec![header];
    for (k, b) in d.prim.trajectory.iter().enumerate() {
        let mut row = vec![
            k.to_string(),
            b.coverage.to_string(),
            b.density.to_string(),
            b.support.to_string(),
        ];
        for [lo, hi] in &b.bounds {
            row.extend([lo.to_string(), hi.to_string()]);
        }
        rows.push(row);
    }
    write_rows(path, rows)
}

/// One row per ABC sample (or per accepted sample): parameter values,
/// target statistics, distance and whether it was accepted.
pub fn write_calibration_samples(
    path: &Path,
    c: &Calibration,
    accepted_only: bool,
) -> io::Result<()> {
    let mut header = vec!["sample".to_string()];
    header.extend(c.parameters.iter().map(|p| p.parameter.clone()));
    header.extend(
        c.targets
            .iter()
            .enumerate()
            .map(|(k, _)| format!("target_{}", k + 1)),
    );
    header.extend(["distance".to_string(), "accepted".to_string()]);
    let mut rows = vec![header];
    for (j, r) in c.rows.iter().enumerate() {
        if accepted_only && !r.accepted {
            continue;
        }
        let mut row = vec![j.to_string()];
        row.extend(r.values.iter().map(|v| v.to_string()));
        row.extend(r.statistics.iter().map(|v| v.to_string()));
        row.extend([r.distance.to_string(), u8::from(r.accepted).to_string()]);
        rows.push(row);
    }
    write_rows(path, rows)
}
