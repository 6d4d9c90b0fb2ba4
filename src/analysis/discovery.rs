//! `discover`: from a run with uncertain parameters, the region of
//! assumptions where an outcome (by default regional war) is most likely,
//! found with PRIM, and a ranking of parameters by how well they separate
//! trials with and without the outcome.

use std::io;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use crate::engine::{ParamSpace, RecordSink, RunPlan, TrialRecord, simulate};
use crate::model::Model;
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

struct Collect {
    x: Vec<Vec<f64>>,
    y: Vec<bool>,
    outcome: Outcome,
}

impl RecordSink for Collect {
    fn record(&mut self, r: &TrialRecord, _: &[u32], params: &[f64]) -> io::Result<()> {
        self.x.push(params.to_vec());
        self.y.push(r.outcome == self.outcome);
        Ok(())
    }
}

/// Runs `trials` trials and searches the parameter space for `outcome`.
#[allow(clippy::too_many_arguments)]
pub fn run_discovery(
    model: &Model,
    info: ScenarioInfo,
    outcome: Outcome,
    seed: u64,
    trials: u64,
    threads: usize,
    opts: PrimOptions,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<Option<Discovery>> {
    let space = ParamSpace::of(model);
    if space.uncertain.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the scenario has no uncertain parameters to search",
        ));
    }
    // Every trial's parameters are kept (and copied once by PRIM).
    let per_trial = 2 * (40 + 8 * space.uncertain.len() as u64) + 1;
    crate::limits::check_units("a discovery", trials, per_trial, "trials")?;
    let mut sink = Collect {
        x: Vec::with_capacity(trials as usize),
        y: Vec::with_capacity(trials as usize),
        outcome,
    };
    let plan = RunPlan {
        seed,
        first_trial: 0,
        trials,
        threads,
    };
    let sim = simulate(model, &space, plan, &mut sink, progress, cancel)?;
    if sim.cancelled {
        return Ok(None);
    }
    let parameters = space.uncertain_paths(model);
    let ks = ks_separation(&sink.x, &sink.y);
    let mean_of = |j: usize, want: bool| {
        let (s, c) = sink
            .x
            .iter()
            .zip(&sink.y)
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
    let positives = sink.y.iter().filter(|&&b| b).count();
    Ok(Some(Discovery {
        brink_version: env!("CARGO_PKG_VERSION").into(),
        scenario: info,
        outcome,
        seed,
        trials,
        base_rate: positives as f64 / trials.max(1) as f64,
        prim: prim(&sink.x, &sink.y, opts),
        prim_settings: opts,
        parameters,
        ranking,
    }))
}
