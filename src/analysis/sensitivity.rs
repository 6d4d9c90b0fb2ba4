//! `sensitivity`: Sobol first- and total-order indices of each outcome
//! probability and of the mean escalation score, over the scenario's
//! uncertain parameters.
//!
//! A Saltelli design of N rows needs N (k + 2) evaluations for k parameters;
//! each evaluation runs `trials_per_sample` trials with the parameters fixed
//! at the design point. Every evaluation uses the same trial streams (common
//! random numbers), so a parameter without effect changes no trial and gets
//! indices of exactly zero, and the sampling noise of the inner Monte Carlo
//! is shared across the design instead of inflating every index.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::engine::rng::{Streams, purpose_id};
use crate::model::Model;
use crate::stats::sobol::{Estimate, SaltelliOutputs, sobol_indices};
use crate::stats::summary::ScenarioInfo;

use super::{OUTPUT_NAMES, evaluate};

/// How to size a sensitivity analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SensitivityOptions {
    /// Rows N of each Saltelli matrix.
    pub samples: usize,
    /// Trials per design point.
    pub trials_per_sample: u64,
    /// Bootstrap resamples for the intervals.
    pub bootstrap: usize,
    /// Master seed.
    pub seed: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
}

/// The indices of one parameter for one output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamIndices {
    /// Parameter path.
    pub parameter: String,
    /// First-order index with 95% bootstrap interval.
    pub first: Estimate,
    /// Total-order index with 95% bootstrap interval.
    pub total: Estimate,
}

/// The indices of every parameter for one output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputIndices {
    /// Output name, e.g. `P(regional war)`.
    pub output: String,
    /// Mean of the output over the design.
    pub mean: f64,
    /// Variance of the output over the design.
    pub variance: f64,
    /// Per parameter, in scenario order.
    pub indices: Vec<ParamIndices>,
}

/// A finished sensitivity analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Program version.
    pub brink_version: String,
    /// Scenario.
    pub scenario: ScenarioInfo,
    /// Master seed.
    pub seed: u64,
    /// Rows of each Saltelli matrix.
    pub samples: usize,
    /// Trials per design point.
    pub trials_per_sample: u64,
    /// Design points evaluated: samples * (parameters + 2).
    pub evaluations: u64,
    /// Uncertain parameters analysed.
    pub parameters: Vec<String>,
    /// Indices per output.
    pub outputs: Vec<OutputIndices>,
}

/// Design points evaluated per batch (progress and cancellation granularity).
const BATCH: usize = 64;

/// Runs the analysis; `progress` receives the number of design points done.
/// Returns `None` when cancelled.
pub fn run_sensitivity(
    model: &Model,
    info: ScenarioInfo,
    opts: SensitivityOptions,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<Option<Sensitivity>> {
    let slots = model.params.uncertain();
    if slots.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the scenario has no uncertain parameters: give some numbers a distribution, \
             e.g. `rationality = { dist = \"uniform\", low = 1, high = 2 }`",
        ));
    }
    let k = slots.len();
    let n = opts.samples.max(2);
    let streams = Streams::new(opts.seed);
    let matrix = |name: &str| -> Vec<Vec<f64>> {
        (0..n)
            .map(|row| {
                slots
                    .iter()
                    .map(|&s| {
                        let path = &model.params.paths[s as usize];
                        let mut rng = streams
                            .generator(row as u64, purpose_id(&format!("saltelli:{name}:{path}")));
                        let (lo, hi) = model.params.bounds[s as usize];
                        model.params.dists[s as usize]
                            .as_ref()
                            .expect("uncertain")
                            .sample(&mut rng, lo, hi)
                    })
                    .collect()
            })
            .collect()
    };
    let (a, b) = (matrix("A"), matrix("B"));
    // Point p: block p / n (0 = A, 1 = B, 2 + i = AB_i), row p % n.
    let values_of = |p: usize| -> Vec<f64> {
        let (block, row) = (p / n, p % n);
        let mut values = model.params.values.clone();
        let chosen = match block {
            0 => a[row].clone(),
            1 => b[row].clone(),
            i => {
                let mut v = a[row].clone();
                v[i - 2] = b[row][i - 2];
                v
            }
        };
        for (&s, x) in slots.iter().zip(chosen) {
            values[s as usize] = x;
        }
        values
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(io::Error::other)?;
    let total = n * (k + 2);
    let mut y: Vec<[f64; 7]> = Vec::with_capacity(total);
    for start in (0..total).step_by(BATCH) {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Ok(None);
        }
        let end = (start + BATCH).min(total);
        let batch: Vec<[f64; 7]> = pool.install(|| {
            (start..end)
                .into_par_iter()
                .map(|p| evaluate(model, &values_of(p), opts.seed, opts.trials_per_sample))
                .collect()
        });
        y.extend(batch);
        progress(end as u64);
    }
    let parameters: Vec<String> = slots
        .iter()
        .map(|&s| model.params.paths[s as usize].clone())
        .collect();
    let outputs = (0..OUTPUT_NAMES.len())
        .map(|o| {
            let col = |block: usize| -> Vec<f64> { (0..n).map(|r| y[block * n + r][o]).collect() };
            let out = SaltelliOutputs {
                a: col(0),
                b: col(1),
                ab: (0..k).map(|i| col(2 + i)).collect(),
            };
            let all: Vec<f64> = out.a.iter().chain(&out.b).copied().collect();
            let mean = all.iter().sum::<f64>() / all.len() as f64;
            let variance =
                all.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (all.len() - 1) as f64;
            let indices = sobol_indices(&out, opts.bootstrap, opts.seed)
                .into_iter()
                .zip(&parameters)
                .map(|(ix, p)| ParamIndices {
                    parameter: p.clone(),
                    first: ix.first,
                    total: ix.total,
                })
                .collect();
            OutputIndices {
                output: OUTPUT_NAMES[o].into(),
                mean,
                variance,
                indices,
            }
        })
        .collect();
    Ok(Some(Sensitivity {
        brink_version: env!("CARGO_PKG_VERSION").into(),
        scenario: info,
        seed: opts.seed,
        samples: n,
        trials_per_sample: opts.trials_per_sample,
        evaluations: total as u64,
        parameters,
        outputs,
    }))
}
