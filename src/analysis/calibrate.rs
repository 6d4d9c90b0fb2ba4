//! `calibrate`: which values of the scenario's uncertain parameters agree
//! with expert judgement, by rejection approximate Bayesian computation.
//!
//! Each of `samples` parameter vectors is drawn from the scenario's own
//! distributions (the prior), `trials_per_sample` trials are run with it (the
//! same trial streams for every sample), and the target statistics are
//! estimated. A sample is accepted when every statistic lies within its
//! target's tolerance: `max_k |s_k - value_k| / tolerance_k <= 1`. The
//! accepted samples approximate the posterior distribution of the parameters
//! given the targets, up to the tolerance and the Monte Carlo noise of the
//! estimates (standard error about `sqrt(p (1 - p) / trials_per_sample)`).
//!
//! A handful of accepted samples is no posterior: its quantiles are noise.
//! Below `min_accepted` accepted samples the calibration is reported as not
//! calibrated, with the closest fit instead: the `min_accepted` samples
//! nearest the targets (smallest distance), which say where the prior comes
//! closest, not what the targets imply.

use std::io;

use serde::Serialize;

use crate::model::{Model, Slot};
use crate::rng::{Streams, purpose_id};
use crate::stats::summary::ScenarioInfo;

use super::run_fixed;
use super::targets::Target;

/// How to size a calibration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalibrateOptions {
    /// Parameter vectors drawn from the prior.
    pub samples: usize,
    /// Trials per sample.
    pub trials_per_sample: u64,
    /// Master seed.
    pub seed: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Fewest accepted samples for the result to count as calibrated.
    pub min_accepted: usize,
}

/// Fewest accepted samples for a calibration, unless `--min-accepted` says
/// otherwise: enough for the central 95% of each parameter to rest on
/// about five samples in each tail.
pub const DEFAULT_MIN_ACCEPTED: usize = 100;

/// Quantiles of a sample of values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Quantiles {
    /// Mean.
    pub mean: f64,
    /// 2.5th percentile.
    pub q025: f64,
    /// 25th percentile.
    pub q25: f64,
    /// Median.
    pub median: f64,
    /// 75th percentile.
    pub q75: f64,
    /// 97.5th percentile.
    pub q975: f64,
}

impl Quantiles {
    /// Quantiles of `values` (linear interpolation); `None` when empty.
    pub fn of(values: &[f64]) -> Option<Quantiles> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let q = |p: f64| {
            let pos = p * (v.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
        };
        Some(Quantiles {
            mean: v.iter().sum::<f64>() / v.len() as f64,
            q025: q(0.025),
            q25: q(0.25),
            median: q(0.5),
            q75: q(0.75),
            q975: q(0.975),
        })
    }
}

/// A parameter before and after calibration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamFit {
    /// Parameter path.
    pub parameter: String,
    /// Over all samples (the prior).
    pub prior: Quantiles,
    /// Over the accepted samples (absent when none was accepted).
    pub posterior: Option<Quantiles>,
    /// Over the closest fit, when too few samples were accepted.
    pub closest_fit: Option<Quantiles>,
}

impl ParamFit {
    /// Width of the calibrated central 95% range as a share of the prior's:
    /// below 1 when the targets narrowed the parameter, 1 when nothing was
    /// accepted or the prior has no width.
    pub fn width_kept(&self) -> f64 {
        let prior = self.prior.q975 - self.prior.q025;
        let post = self.posterior.map_or(prior, |q| q.q975 - q.q025);
        if prior > 0.0 { post / prior } else { 1.0 }
    }
}

/// How well the model meets one target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetFit {
    /// The target.
    pub target: Target,
    /// The statistic in words.
    pub description: String,
    /// The statistic over all samples (prior predictive).
    pub prior: Quantiles,
    /// Share of all samples within the tolerance of this target alone.
    pub prior_within: f64,
    /// The statistic over the accepted samples.
    pub posterior: Option<Quantiles>,
    /// Whether any sample met this target on its own.
    pub attainable: bool,
    /// The sample value closest to the target.
    pub closest: f64,
    /// The statistic over the closest fit, when too few samples were accepted.
    pub closest_fit: Option<Quantiles>,
}

/// A finished calibration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Calibration {
    /// Program version.
    pub brink_version: String,
    /// Scenario.
    pub scenario: ScenarioInfo,
    /// Master seed.
    pub seed: u64,
    /// Samples drawn.
    pub samples: usize,
    /// Trials per sample.
    pub trials_per_sample: u64,
    /// Samples accepted.
    pub accepted: usize,
    /// Accepted share.
    pub acceptance_rate: f64,
    /// Fewest accepted samples for a calibrated result.
    pub min_accepted: usize,
    /// Whether at least `min_accepted` samples were accepted: only then
    /// are the accepted samples a posterior, and a calibrated scenario
    /// written.
    pub calibrated: bool,
    /// "calibrated", or "not calibrated: " and why.
    pub status: String,
    /// Uncertain parameters, in scenario order.
    pub parameters: Vec<ParamFit>,
    /// Targets and their fit.
    pub targets: Vec<TargetFit>,
    /// Index of the sample with the smallest distance.
    pub closest_sample: usize,
    /// Its distance (1 = at the edge of every tolerance).
    pub closest_distance: f64,
    /// When not calibrated, the closest fit: the indices of the
    /// `min_accepted` samples with the smallest distance, nearest first
    /// (empty when calibrated).
    pub closest_fit: Vec<usize>,
    /// Every sample: parameter values, statistics, distance, accepted.
    #[serde(skip)]
    pub rows: Vec<SampleRow>,
}

impl Calibration {
    /// Indices of [`Calibration::parameters`], the most narrowed first (by
    /// [`ParamFit::width_kept`]; ties in scenario order).
    pub fn by_narrowing(&self) -> Vec<usize> {
        let mut ks: Vec<usize> = (0..self.parameters.len()).collect();
        ks.sort_by(|&a, &b| {
            let kept = |k: usize| self.parameters[k].width_kept();
            kept(a).total_cmp(&kept(b)).then(a.cmp(&b))
        });
        ks
    }
}

/// One ABC sample.
#[derive(Debug, Clone, PartialEq)]
pub struct SampleRow {
    /// Parameter values, in the order of [`Calibration::parameters`].
    pub values: Vec<f64>,
    /// Target statistics, in target order.
    pub statistics: Vec<f64>,
    /// Scaled distance to the targets.
    pub distance: f64,
    /// Whether the sample was accepted.
    pub accepted: bool,
}

/// Samples of a calibration: each drawn from the prior, run, and scored
/// against the targets. Sample `j` depends only on `j`, the seed and the
/// targets, so samples may be run in any order, split and resumed.
#[derive(Debug)]
pub struct Sampler<'a> {
    model: &'a Model,
    slots: Vec<Slot>,
    streams: Streams,
    targets: &'a [Target],
    opts: CalibrateOptions,
}

impl<'a> Sampler<'a> {
    /// The samples of a calibration of `model` against `targets`. Bad input
    /// when the model has no uncertain parameter or the samples would not
    /// fit in memory.
    pub fn new(
        model: &'a Model,
        targets: &'a [Target],
        opts: CalibrateOptions,
    ) -> io::Result<Sampler<'a>> {
        let slots: Vec<Slot> = model.params.uncertain();
        if slots.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the scenario has no uncertain parameters to calibrate",
            ));
        }
        // Every sample's row is kept, and written out at the end.
        let per_sample = 2 * (96 + 8 * (slots.len() + targets.len()) as u64);
        crate::limits::check_units("a calibration", opts.samples as u64, per_sample, "samples")?;
        Ok(Sampler {
            model,
            slots,
            streams: Streams::new(opts.seed),
            targets,
            opts,
        })
    }

    /// Samples drawn (at least one).
    pub fn samples(&self) -> u64 {
        self.opts.samples.max(1) as u64
    }

    /// The targets.
    pub fn targets(&self) -> &[Target] {
        self.targets
    }

    /// Trials per sample.
    pub fn trials_per_sample(&self) -> u64 {
        self.opts.trials_per_sample
    }

    /// The uncertain parameter values of sample `j`, drawn from the prior.
    pub fn draw(&self, j: u64) -> Vec<f64> {
        let model = self.model;
        self.slots
            .iter()
            .map(|&s| {
                let path = &model.params.paths[s as usize];
                let dist = model.params.dists[s as usize].as_ref().expect("uncertain");
                let mut rng = self
                    .streams
                    .generator(j, purpose_id(&dist.stream_name("abc", path)));
                let (lo, hi) = model.params.bounds[s as usize];
                dist.sample(&mut rng, lo, hi)
            })
            .collect()
    }

    /// Runs sample `j`: per target, the trials whose statistic counts.
    pub fn hits(&self, j: u64) -> Vec<u64> {
        let theta = self.draw(j);
        let mut values = self.model.params.values.clone();
        for (&s, &x) in self.slots.iter().zip(&theta) {
            values[s as usize] = x;
        }
        let mut hits = vec![0u64; self.targets.len()];
        let (seed, trials) = (self.opts.seed, self.opts.trials_per_sample);
        run_fixed(self.model, &values, seed, trials, |r| {
            for (h, t) in hits.iter_mut().zip(self.targets) {
                *h += u64::from(t.statistic.counts(r));
            }
        });
        hits
    }

    /// The row of sample `j` whose run gave `hits`.
    pub fn row(&self, j: u64, hits: &[u64]) -> SampleRow {
        let trials = self.opts.trials_per_sample;
        let statistics: Vec<f64> = hits
            .iter()
            .map(|&h| h as f64 / trials.max(1) as f64)
            .collect();
        let distance = statistics
            .iter()
            .zip(self.targets)
            .map(|(s, t)| (s - t.value).abs() / t.tolerance)
            .fold(0.0, f64::max);
        SampleRow {
            values: self.draw(j),
            statistics,
            distance,
            accepted: distance <= 1.0,
        }
    }

    /// The calibration from the hits of every sample, in sample order.
    pub fn assemble(&self, info: ScenarioInfo, hits: &[Vec<u64>]) -> Calibration {
        let rows: Vec<SampleRow> = hits
            .iter()
            .enumerate()
            .map(|(j, h)| self.row(j as u64, h))
            .collect();
        calibration(self.model, info, self.targets, self.opts, &self.slots, rows)
    }
}

/// Summarises the rows of every sample into a [`Calibration`].
fn calibration(
    model: &Model,
    info: ScenarioInfo,
    targets: &[Target],
    opts: CalibrateOptions,
    slots: &[Slot],
    rows: Vec<SampleRow>,
) -> Calibration {
    let n = rows.len().max(1);
    let accepted: Vec<&SampleRow> = rows.iter().filter(|r| r.accepted).collect();
    let calibrated = accepted.len() >= opts.min_accepted.max(1);
    let closest_fit: Vec<usize> = if calibrated {
        Vec::new()
    } else {
        let mut by_distance: Vec<usize> = (0..rows.len()).collect();
        by_distance.sort_by(|&a, &b| {
            rows[a]
                .distance
                .total_cmp(&rows[b].distance)
                .then(a.cmp(&b))
        });
        by_distance.truncate(opts.min_accepted.max(1));
        by_distance
    };
    let closest_rows: Vec<&SampleRow> = closest_fit.iter().map(|&j| &rows[j]).collect();
    let column = |rows: &[&SampleRow], f: &dyn Fn(&SampleRow) -> f64| -> Vec<f64> {
        rows.iter().map(|r| f(r)).collect()
    };
    let all: Vec<&SampleRow> = rows.iter().collect();
    let parameters = slots
        .iter()
        .enumerate()
        .map(|(k, &s)| ParamFit {
            parameter: model.params.paths[s as usize].clone(),
            prior: Quantiles::of(&column(&all, &|r| r.values[k])).expect("samples"),
            posterior: Quantiles::of(&column(&accepted, &|r| r.values[k])),
            closest_fit: Quantiles::of(&column(&closest_rows, &|r| r.values[k])),
        })
        .collect();
    let target_fits = targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let within = rows
                .iter()
                .filter(|r| (r.statistics[k] - t.value).abs() <= t.tolerance)
                .count();
            let closest = rows
                .iter()
                .map(|r| r.statistics[k])
                .min_by(|a, b| (a - t.value).abs().total_cmp(&(b - t.value).abs()))
                .unwrap_or(f64::NAN);
            TargetFit {
                description: t.statistic.describe(&model.step_label),
                target: t.clone(),
                prior: Quantiles::of(&column(&all, &|r| r.statistics[k])).expect("samples"),
                prior_within: within as f64 / n as f64,
                posterior: Quantiles::of(&column(&accepted, &|r| r.statistics[k])),
                attainable: within > 0,
                closest,
                closest_fit: Quantiles::of(&column(&closest_rows, &|r| r.statistics[k])),
            }
        })
        .collect::<Vec<_>>();
    let (closest_sample, closest_distance) = rows
        .iter()
        .enumerate()
        .map(|(j, r)| (j, r.distance))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((0, f64::NAN));
    let status = if calibrated {
        "calibrated".to_string()
    } else if !accepted.is_empty() {
        format!(
            "not calibrated: only {} of {} samples met every target, too few for a posterior \
             (--min-accepted {}); shown instead is the closest fit, the {} samples nearest the targets",
            accepted.len(),
            n,
            opts.min_accepted,
            closest_fit.len()
        )
    } else {
        let unmet: Vec<&str> = target_fits
            .iter()
            .filter(|t| !t.attainable)
            .map(|t| t.target.name.as_str())
            .collect();
        let why = if unmet.is_empty() {
            "no sample met every target at once (each can be met alone): the targets pull against each other".to_string()
        } else {
            format!(
                "no parameter value in the prior meets: {}",
                unmet.join("; ")
            )
        };
        format!(
            "not calibrated: {why}; shown instead is the closest fit, the {} samples nearest the targets",
            closest_fit.len()
        )
    };
    Calibration {
        brink_version: env!("CARGO_PKG_VERSION").into(),
        scenario: info,
        seed: opts.seed,
        samples: n,
        trials_per_sample: opts.trials_per_sample,
        accepted: accepted.len(),
        acceptance_rate: accepted.len() as f64 / n as f64,
        min_accepted: opts.min_accepted,
        calibrated,
        status,
        parameters,
        targets: target_fits,
        closest_sample,
        closest_distance,
        closest_fit,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let q = Quantiles::of(&[0.0, 1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!((q.median, q.q25, q.q75, q.mean), (2.0, 1.0, 3.0, 2.0));
        assert!((q.q025 - 0.1).abs() < 1e-12 && (q.q975 - 3.9).abs() < 1e-12);
        assert!(Quantiles::of(&[]).is_none());
    }
}
