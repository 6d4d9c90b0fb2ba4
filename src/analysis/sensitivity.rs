//! `sensitivity`: Sobol first- and total-order indices of each outcome
//! probability and of the mean escalation score, over the scenario's
//! uncertain parameters.
//!
//! A Saltelli design of N rows needs N (k + 2) evaluations for k parameters;
//! each evaluation runs `trials_per_sample` trials with the parameters fixed
//! at the design point, in two independent replicates (halves of the
//! trials) so that the estimators of `stats::sobol` can remove the noise of
//! these trials. The points of one row share their trial streams (common
//! random numbers), so a parameter without effect changes no trial and gets
//! indices of exactly zero; each row has streams of its own, so the rows are
//! independent and the bootstrap over rows sees the inner noise too.

use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rand::RngExt;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{Model, Slot};
use crate::rng::{Streams, purpose_id};
use crate::stats::sobol::{Estimate, SaltelliOutputs, sobol_indices, variance_split};
use crate::stats::summary::ScenarioInfo;

use super::{AnalysisOutput, PointCounts, evaluate_counts};

mod warnings;

pub use warnings::{IndexWarning, WIDE_INTERVAL, WarningKind, sensitivity_warnings};

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
    /// ST - S1 with its 95% bootstrap interval.
    pub interaction: Estimate,
}

/// The indices of every parameter for one output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutputIndices {
    /// The output, written by its label (e.g. `P(war ongoing)`).
    pub output: AnalysisOutput,
    /// Mean of the output over the design.
    pub mean: f64,
    /// Variance of the output over the design (points of A and B).
    pub variance: f64,
    /// The part of `variance` that the parameters move (the denominator of
    /// the indices; negative when the noise is all there is).
    pub model_variance: f64,
    /// The part of `variance` that is noise of each point's own trials.
    pub noise_variance: f64,
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
    /// Indices that cannot be read as they stand, with the design sizes
    /// that would be needed.
    pub warnings: Vec<IndexWarning>,
}

/// The two replicates of a design point: the counts of its first
/// `trials_per_sample - trials_per_sample / 2` trials and of the other
/// `trials_per_sample / 2`, each half on trial streams of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointReplicates {
    /// Counts of the first replicate.
    pub first: PointCounts,
    /// Counts of the second replicate.
    pub second: PointCounts,
}

impl PointReplicates {
    /// The most bytes the JSON of one design point's replicates can take.
    pub const MAX_JSON_BYTES: u64 = 2 * PointCounts::MAX_JSON_BYTES + 64;

    /// Trials of the two replicates of a point of `trials` trials.
    pub fn sizes(trials: u64) -> [u64; 2] {
        [trials - trials / 2, trials / 2]
    }

    /// The counts of all the point's trials.
    pub fn combined(&self) -> PointCounts {
        let (a, b) = (&self.first, &self.second);
        let mut outcomes = a.outcomes;
        for (o, x) in outcomes.values_mut().iter_mut().zip(b.outcomes.values()) {
            *o = o.saturating_add(*x);
        }
        PointCounts {
            trials: a.trials.saturating_add(b.trials),
            outcomes,
            escalation: a.escalation.saturating_add(b.escalation),
        }
    }
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
        let per_sample = 2 * (40 + 8 * k) + (k + 2) * std::mem::size_of::<PointReplicates>() as u64;
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

    /// The seeds of the trial streams of the two replicates of row `row`
    /// under master seed `seed`: every point of the row uses them.
    pub fn replicate_seeds(seed: u64, row: u64) -> [u64; 2] {
        let streams = Streams::new(seed);
        ["sensitivity-trials:1", "sensitivity-trials:2"]
            .map(|name| streams.generator(row, purpose_id(name)).random::<u64>())
    }

    /// The row of design point `p`.
    pub fn row_of(&self, p: u64) -> u64 {
        p % self.n as u64
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
    done: &mut Vec<PointReplicates>,
    on_batch: &mut dyn FnMut(&[PointReplicates]) -> io::Result<()>,
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
        let sizes = PointReplicates::sizes(opts.trials_per_sample);
        let batch: Vec<PointReplicates> = pool.install(|| {
            (next..end)
                .into_par_iter()
                .map(|p| {
                    let values = design.values_of(model, p);
                    let seeds = SaltelliDesign::replicate_seeds(opts.seed, design.row_of(p));
                    PointReplicates {
                        first: evaluate_counts(model, &values, seeds[0], sizes[0]),
                        second: evaluate_counts(model, &values, seeds[1], sizes[1]),
                    }
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

/// The Sobol indices from the replicates of every design point, in order.
/// With a single trial per point the second replicate is empty: the
/// indices then use the first twice (no noise correction), which the
/// warnings say.
pub fn indices(
    model: &Model,
    info: ScenarioInfo,
    opts: &SensitivityOptions,
    design: &SaltelliDesign,
    counts: &[PointReplicates],
) -> Sensitivity {
    let (n, k) = (design.n, design.slots.len());
    let parameters: Vec<String> = design
        .slots
        .iter()
        .map(|&s| model.params.paths[s as usize].clone())
        .collect();
    let outputs: Vec<OutputIndices> = AnalysisOutput::ALL
        .into_iter()
        .map(|output| {
            let replicate = |pick: fn(&PointReplicates) -> &PointCounts| {
                let col = |block: usize| -> Vec<f64> {
                    (0..n)
                        .map(|r| output.value(pick(&counts[block * n + r])))
                        .collect()
                };
                SaltelliOutputs {
                    a: col(0),
                    b: col(1),
                    ab: (0..k).map(|i| col(2 + i)).collect(),
                }
            };
            let f = replicate(|c| &c.first);
            let g = if opts.trials_per_sample < 2 {
                f.clone()
            } else {
                replicate(|c| &c.second)
            };
            let all: Vec<f64> = counts[..2 * n]
                .iter()
                .map(|c| output.value(&c.combined()))
                .collect();
            let mean = all.iter().sum::<f64>() / all.len() as f64;
            let variance =
                all.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (all.len() - 1) as f64;
            let split = variance_split(&f, &g);
            let indices = sobol_indices(&f, &g, opts.bootstrap, opts.seed)
                .into_iter()
                .zip(&parameters)
                .map(|(ix, p)| ParamIndices {
                    parameter: p.clone(),
                    first: ix.first,
                    total: ix.total,
                    interaction: ix.interaction,
                })
                .collect();
            OutputIndices {
                output,
                mean,
                variance,
                model_variance: split.model,
                noise_variance: split.noise,
                indices,
            }
        })
        .collect();
    let warnings = sensitivity_warnings(&outputs, n, opts.trials_per_sample);
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
        warnings,
    }
}
