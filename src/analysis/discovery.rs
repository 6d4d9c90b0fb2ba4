//! `discover`: from a run with uncertain parameters, the region of
//! assumptions where an outcome (by default a war still under way at the horizon) is most likely,
//! found with PRIM, and a ranking of parameters by how well they separate
//! trials with and without the outcome. The trials are run by the
//! discover job (`jobs::discover`), which can shard and resume them.

use serde::Serialize;

use crate::stats::prim::{PrimOptions, PrimResult, ks_separation, prim};
use crate::stats::summary::ScenarioInfo;
use crate::world::Outcome;

/// A parameter's power to separate the outcome from the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Separation {
    /// Parameter path.
    pub parameter: String,
    /// Kolmogorov-Smirnov distance (0 none, 1 complete).
    pub ks: f64,
    /// Mean value in trials with the outcome.
    pub mean_with: f64,
    /// Mean value in trials without it.
    pub mean_without: f64,
}

/// A finished discovery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discovery {
    /// Program version.
    pub brink_version: String,
    /// Scenario.
    pub scenario: ScenarioInfo,
    /// The outcome of interest (written by its key).
    pub outcome: Outcome,
    /// Master seed.
    pub seed: u64,
    /// Trials run.
    pub trials: u64,
    /// Share of trials with the outcome.
    pub base_rate: f64,
    /// Parameters, in scenario order (the columns of the box bounds).
    pub parameters: Vec<String>,
    /// Parameters ranked by separation, strongest first.
    pub ranking: Vec<Separation>,
    /// The PRIM settings the search ran with.
    pub prim_settings: PrimOptions,
    /// PRIM's peeling trajectory and chosen box.
    pub prim: PrimResult,
}

/// The bytes kept per trial of a discovery with `k` uncertain parameters
/// (its parameter values and whether it had the outcome, and PRIM's copy).
pub fn bytes_per_trial(k: usize) -> u64 {
    2 * (40 + 8 * k as u64) + 1
}

/// The discovery of `outcome` from every trial's drawn parameter values
/// (`x`, one row per trial in trial order, columns named by `parameters`)
/// and whether it had the outcome (`y`): PRIM's box and the parameters
/// ranked by how well they separate the trials with it from the others.
#[allow(clippy::too_many_arguments)]
pub fn assemble(
    info: ScenarioInfo,
    outcome: Outcome,
    seed: u64,
    trials: u64,
    opts: PrimOptions,
    parameters: Vec<String>,
    x: &[Vec<f64>],
    y: &[bool],
) -> Discovery {
    let ks = ks_separation(x, y);
    let mean_of = |j: usize, want: bool| {
        let (s, c) = x
            .iter()
            .zip(y)
            .filter(|(_, y)| **y == want)
            .fold((0.0, 0usize), |(s, c), (x, _)| (s + x[j], c + 1));
        if c == 0 { 0.0 } else { s / c as f64 }
    };
    let mut ranking: Vec<Separation> = (0..parameters.len())
        .map(|j| Separation {
            parameter: parameters[j].clone(),
            ks: ks[j],
            mean_with: mean_of(j, true),
            mean_without: mean_of(j, false),
        })
        .collect();
    ranking.sort_by(|a, b| b.ks.total_cmp(&a.ks).then(a.parameter.cmp(&b.parameter)));
    let positives = y.iter().filter(|&&b| b).count();
    Discovery {
        brink_version: env!("CARGO_PKG_VERSION").into(),
        scenario: info,
        outcome,
        seed,
        trials,
        base_rate: positives as f64 / trials.max(1) as f64,
        prim: prim(x, y, opts),
        prim_settings: opts,
        parameters,
        ranking,
    }
}
