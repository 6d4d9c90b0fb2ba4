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
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Model, Slot};
use crate::rng::{Streams, purpose_id};
use crate::stats::sobol::{Estimate, SaltelliOutputs, sobol_indices};
use crate::stats::summary::ScenarioInfo;

use super::{AnalysisOutput, PointCounts, evaluate_counts};

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
    /// The output, written by its label (e.g. `P(war ongoing)`).
    pub output: AnalysisOutput,
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
    /// Bootstrap resamples behind the intervals.
    pub bootstrap: usize,
    /// Design points evaluated: samples * (parameters + 2).
    pub evaluations: u64,
    /// Uncertain parameters analysed.
    pub parameters: Vec<String>,
    /// Indices per output.
    pub outputs: Vec<OutputIndices>,
}

/// Design points evaluated per batch (progress, cancellation and
/// checkpoint granularity).
const BATCH: u64 = 64;

/// The Saltelli design of an analysis: sample matrices A and B over the
/// uncertain parameters, each row drawn from its own stream.
#[derive(Debug, Clone, PartialEq)]
pub struct SaltelliDesign {
    slots: Vec<Slot>,
    n: usize,
    a: Vec<Vec<f64>>,
    b: Vec<Vec<f64>>,
}

impl SaltelliDesign {
    /// The design of `samples` rows (at least 2) under `seed`; a scenario
    /// without uncertain parameters is bad input.
    pub fn new(model: &Model, samples: usize, seed: u64) -> io::Result<SaltelliDesign> {
        Ok(Self::new_cancellable(model, samples, seed, None)?.expect("never cancelled"))
    }

    /// [`SaltelliDesign::new`], stopping with `None` soon after `cancel` is
    /// set: a design of millions of rows takes a while to draw.
    pub fn new_cancellable(
        model: &Model,
        samples: usize,
        seed: u64,
        cancel: Option<&AtomicBool>,
    ) -> io::Result<Option<SaltelliDesign>> {
        let slots = model.params.uncertain();
        if slots.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the scenario has no uncertain parameters: give some numbers a distribution, \
                 e.g. `rationality = { dist = \"uniform\", low = 1, high = 2 }`",
            ));
        }
        let n = samples.max(2);
        // Two design matrices, and the counts of every design point.
        let k = slots.len() as u64;
        let per_sample = 2 * (40 + 8 * k) + (k + 2) * std::mem::size_of::<PointCounts>() as u64;
        crate::limits::check_units("a sensitivity analysis", n as u64, per_sample, "samples")?;
        let streams = Streams::new(seed);
        let matrix = |name: &str| -> Option<Vec<Vec<f64>>> {
            let purposes: Vec<u64> = slots
                .iter()
                .map(|&s| {
                    let path = &model.params.paths[s as usize];
                    purpose_id(&format!("saltelli:{name}:{path}"))
                })
                .collect();
            let mut rows = Vec::with_capacity(n);
            for row in 0..n {
                if row % 1024 == 0 && cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                    return None;
                }
                let values = slots
                    .iter()
                    .zip(&purposes)
                    .map(|(&s, &purpose)| {
                        let mut rng = streams.generator(row as u64, purpose);
                        let (lo, hi) = model.params.bounds[s as usize];
                        model.params.dists[s as usize]
                            .as_ref()
                            .expect("uncertain")
                            .sample(&mut rng, lo, hi)
                    })
                    .collect();
                rows.push(values);
            }
            Some(rows)
        };
        let Some(a) = matrix("A") else {
            return Ok(None);
        };
        let Some(b) = matrix("B") else {
            return Ok(None);
        };
        Ok(Some(SaltelliDesign { slots, n, a, b }))
    }

    /// Design points: samples x (parameters + 2).
    pub fn points(&self) -> u64 {
        (self.n * (self.slots.len() + 2)) as u64
    }

    /// Every parameter's value at design point `p`: block `p / n` (0 = A,
    /// 1 = B, 2 + i = A with column i from B), row `p % n`.
    pub fn values_of(&self, model: &Model, p: u64) -> Vec<f64> {
        let (block, row) = (p as usize / self.n, p as usize % self.n);
        let mut values = model.params.values.clone();
        let chosen = match block {
            0 => self.a[row].clone(),
            1 => self.b[row].clone(),
            i => {
                let mut v = self.a[row].clone();
                v[i - 2] = self.b[row][i - 2];
                v
            }
        };
        for (&s, x) in self.slots.iter().zip(chosen) {
            values[s as usize] = x;
        }
        values
    }
}

/// Evaluates the design points of `range` not yet in `done` (which holds
/// the counts of the first points of the range), appending to it, and calls
/// `on_batch` with them after every batch. `progress` receives the points
/// done in the range. Returns false when cancelled.
#[allow(clippy::too_many_arguments)]
pub fn evaluate_design(
    model: &Model,
    design: &SaltelliDesign,
    opts: &SensitivityOptions,
    range: &Range<u64>,
    done: &mut Vec<PointCounts>,
    on_batch: &mut dyn FnMut(&[PointCounts]) -> io::Result<()>,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<bool> {
    let pool = crate::limits::thread_pool(opts.threads)?;
    let mut next = range.start + done.len() as u64;
    while next < range.end {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Ok(false);
        }
        let end = (next + BATCH).min(range.end);
        let batch: Vec<PointCounts> = pool.install(|| {
            (next..end)
                .into_par_iter()
                .map(|p| {
                    evaluate_counts(
                        model,
                        &design.values_of(model, p),
                        opts.seed,
                        opts.trials_per_sample,
                    )
                })
                .collect()
        });
        done.extend(batch);
        on_batch(done)?;
        next = end;
        progress(next - range.start);
    }
    Ok(true)
}

/// The Sobol indices from the counts of every design point, in order.
pub fn indices(
    model: &Model,
    info: ScenarioInfo,
    opts: &SensitivityOptions,
    design: &SaltelliDesign,
    counts: &[PointCounts],
) -> Sensitivity {
    let (n, k) = (design.n, design.slots.len());
    let parameters: Vec<String> = design
        .slots
        .iter()
        .map(|&s| model.params.paths[s as usize].clone())
        .collect();
    let outputs = AnalysisOutput::ALL
        .into_iter()
        .map(|output| {
            let col = |block: usize| -> Vec<f64> {
                (0..n)
                    .map(|r| output.value(&counts[block * n + r]))
                    .collect()
            };
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
                output,
                mean,
                variance,
                indices,
            }
        })
        .collect();
    Sensitivity {
        brink_version: env!("CARGO_PKG_VERSION").into(),
        scenario: info,
        seed: opts.seed,
        samples: n,
        trials_per_sample: opts.trials_per_sample,
        bootstrap: opts.bootstrap,
        evaluations: design.points(),
        parameters,
        outputs,
    }
}
