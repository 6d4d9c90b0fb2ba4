//! Tables of the analyses: `sweep`, `sensitivity`, `discovery` (the PRIM
//! peeling trajectory), and the ABC samples of a calibration (`samples`,
//! `accepted`).

use std::io;
use std::path::{Path, PathBuf};

use crate::analysis::calibrate::Calibration;
use crate::analysis::discovery::Discovery;
use crate::analysis::sensitivity::Sensitivity;
use crate::analysis::sweep::Sweep;
use crate::export::{self, Column, Format, Table, Value};
use crate::output::names::{column_name, distinct, slug};

/// One row per point: the value (its column named after the parameter's
/// path, `names::column_name`), then probability and 95% interval of each
/// outcome, then the mean escalation and its interval.
pub fn sweep_table(s: &Sweep) -> Table {
    let mut columns = vec![Column::float(column_name(&s.parameter))];
    if let Some(first) = s.points.first() {
        for o in &first.outcomes {
            columns.extend([
                Column::float(o.outcome.clone()),
                Column::float(format!("{}_low", o.outcome)),
                Column::float(format!("{}_high", o.outcome)),
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
    let mut t = Table::new("sweep", columns);
    for p in &s.points {
        let mut row = vec![p.value];
        for o in &p.outcomes {
            row.extend([o.probability, o.ci95[0], o.ci95[1]]);
        }
        row.extend([
            p.escalation_mean,
            p.escalation_ci95[0],
            p.escalation_ci95[1],
        ]);
        t.push(row.into_iter().map(Value::Float).collect());
    }
    t
}

/// Writes the sweep table into `dir` in `format`.
pub fn write_sweep(dir: &Path, s: &Sweep, format: Format) -> io::Result<PathBuf> {
    export::write(dir, &sweep_table(s), format)
}

/// One row per output and parameter with both indices and their intervals.
pub fn sensitivity_table(s: &Sensitivity) -> Table {
    let mut columns = vec![Column::text("output"), Column::text("parameter")];
    columns.extend(
        [
            "first",
            "first_low",
            "first_high",
            "total",
            "total_low",
            "total_high",
        ]
        .map(Column::float),
    );
    let mut t = Table::new("sensitivity", columns);
    for o in &s.outputs {
        for ix in &o.indices {
            let mut row = vec![
                Value::Text(o.output.label()),
                Value::Text(ix.parameter.clone()),
            ];
            row.extend(
                [
                    ix.first.value,
                    ix.first.low,
                    ix.first.high,
                    ix.total.value,
                    ix.total.low,
                    ix.total.high,
                ]
                .map(Value::Float),
            );
            t.push(row);
        }
    }
    t
}

/// Writes the sensitivity table into `dir` in `format`.
pub fn write_sensitivity(dir: &Path, s: &Sensitivity, format: Format) -> io::Result<PathBuf> {
    export::write(dir, &sensitivity_table(s), format)
}

/// One row per peeling step: coverage, density, support and the box bounds.
pub fn discovery_table(d: &Discovery) -> Table {
    let mut columns = vec![Column::int("step")];
    columns.extend(["coverage", "density", "support"].map(Column::float));
    for p in &d.parameters {
        columns.extend([
            Column::float(format!("{}_low", column_name(p))),
            Column::float(format!("{}_high", column_name(p))),
        ]);
    }
    let mut t = Table::new("discovery", columns);
    for (k, b) in d.prim.trajectory.iter().enumerate() {
        let mut row = vec![
            Value::count(k),
            Value::Float(b.coverage),
            Value::Float(b.density),
            Value::Float(b.support),
        ];
        for [lo, hi] in &b.bounds {
            row.extend([Value::Float(*lo), Value::Float(*hi)]);
        }
        t.push(row);
    }
    t
}

/// Writes the discovery table into `dir` in `format`.
pub fn write_discovery(dir: &Path, d: &Discovery, format: Format) -> io::Result<PathBuf> {
    export::write(dir, &discovery_table(d), format)
}

/// One row per ABC sample (`samples`), or per accepted sample
/// (`accepted`): parameter values, target statistics, distance and whether
/// it was accepted.
pub fn calibration_samples_table(c: &Calibration, accepted_only: bool) -> Table {
    let mut columns = vec![Column::int("sample")];
    columns.extend(
        c.parameters
            .iter()
            .map(|p| Column::float(column_name(&p.parameter))),
    );
    let targets = c
        .targets
        .iter()
        .enumerate()
        .map(|(k, t)| format!("target_{}", slug(&t.target.name, &(k + 1).to_string())))
        .collect();
    columns.extend(distinct(targets).into_iter().map(Column::float));
    columns.extend([Column::float("distance"), Column::int("accepted")]);
    let name = if accepted_only { "accepted" } else { "samples" };
    let mut t = Table::new(name, columns);
    for (j, r) in c.rows.iter().enumerate() {
        if accepted_only && !r.accepted {
            continue;
        }
        let mut row = vec![Value::count(j)];
        row.extend(
            r.values
                .iter()
                .chain(&r.statistics)
                .map(|&v| Value::Float(v)),
        );
        row.extend([Value::Float(r.distance), Value::flag(r.accepted)]);
        t.push(row);
    }
    t
}

/// Writes the samples (or accepted samples) table into `dir` in `format`.
pub fn write_calibration_samples(
    dir: &Path,
    c: &Calibration,
    accepted_only: bool,
    format: Format,
) -> io::Result<PathBuf> {
    export::write(dir, &calibration_samples_table(c, accepted_only), format)
}
