//! `brink compare`: scenarios side by side, run in lockstep with common
//! random numbers, with paired differences from the first scenario.
//!
//! Flow: checked scenarios -> compiled models -> [`simulate_paired`] (joint
//! outcome counts) -> [`Comparison`]. The job that shards, checkpoints and
//! writes the result folder is `jobs::compare`.

pub mod at;

use std::io;
use std::sync::atomic::AtomicBool;

use crate::engine::{PairedArm, ParamSpace, RunPlan, simulate_paired, simulate_paired_until};
use crate::model::Model;
use crate::scenario::Scenario;
use crate::stats::precision::Precision;
use crate::stats::summary::ScenarioInfo;

pub use crate::stats::comparison::{
    Comparison, Methods, OutcomeDifference, OutcomeName, OutcomeShare, PairedOutcomes,
    ScenarioOutcomes,
};
pub use at::{AtError, resolve_at};

/// Runs the scenarios in lockstep and builds their [`Comparison`], writing
/// nothing. Returns it with `true` when cancelled (then it covers only the
/// trials completed).
///
/// # Panics
///
/// If `scenarios` is empty.
pub fn run_comparison(
    scenarios: &[Scenario],
    seed: u64,
    trials: u64,
    threads: usize,
    precision: Option<&Precision>,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<(Comparison, bool)> {
    let models: Vec<Model> = scenarios.iter().map(Model::compile).collect();
    let spaces: Vec<ParamSpace> = models.iter().map(ParamSpace::of).collect();
    let arms: Vec<PairedArm> = models
        .iter()
        .zip(&spaces)
        .map(|(model, space)| PairedArm { model, space })
        .collect();
    let plan = RunPlan {
        seed,
        first_trial: 0,
        trials,
        threads,
    };
    let sim = match precision {
        Some(p) => {
            simulate_paired_until(&arms, plan, &|joint| p.met_paired(joint), progress, cancel)?
        }
        None => simulate_paired(&arms, plan, progress, cancel)?,
    };
    let refs: Vec<&Model> = models.iter().collect();
    let infos = scenarios.iter().map(ScenarioInfo::of).collect();
    let mut comparison = Comparison::build(&refs, infos, seed, &sim);
    comparison.stopping = precision.map(|p| p.report_paired(&sim.joint, trials, sim.stopped));
    Ok((comparison, sim.cancelled))
}
