//! The library's front door: load a scenario, compile it, run it in
//! memory or into a result folder, compare scenarios, merge shards and
//! read results back, every call returning [`crate::Result`].
//!
//! ```
//! // Load the shipped baseline and run 2,000 trials in memory.
//! let scenario = brink::load("scenarios/muscat-2026.toml")?;
//! let summary = brink::simulate(&scenario, &brink::Simulate { trials: Some(2_000), ..Default::default() })?;
//! let deal = summary.outcome(brink::Outcome::Deal);
//! assert_eq!(summary.trials, 2_000);
//! assert!(deal.probability > 0.0 && deal.probability < 1.0);
//! # Ok::<(), brink::Error>(())
//! ```
//!
//! The same seed gives the same numbers on every machine and for any
//! thread count:
//!
//! ```
//! let scenario = brink::load("scenarios/muscat-2026.toml")?;
//! let one = brink::simulate(&scenario, &brink::Simulate { trials: Some(500), threads: 1, ..Default::default() })?;
//! let two = brink::simulate(&scenario, &brink::Simulate { trials: Some(500), threads: 2, ..Default::default() })?;
//! assert_eq!(one, two);
//! # Ok::<(), brink::Error>(())
//! ```

use std::path::{Path, PathBuf};

use crate::analysis::experiment::{Experiment, load_experiment};
use crate::engine::{ParamSpace, RunPlan, simulate as simulate_trials};
use crate::error::{Error, Result};
use crate::jobs::Cancel;
use crate::jobs::compare::{CompareOptions, compare as compare_job};
use crate::jobs::driver::JobRun;
use crate::jobs::experiment::{ExperimentJob, ExperimentRun, run_experiment_job};
use crate::jobs::merge::{MergeOptions, MergeResult, merge as merge_shards};
use crate::jobs::run::{RunOptions, RunResult, run_scenario};
use crate::model::Model;
use crate::output::manifest::Manifest;
use crate::scenario::{LoadOptions, Scenario};
use crate::stats::Summary;
use crate::stats::comparison::Comparison;
use crate::stats::summary::ScenarioInfo;

/// Loads and checks a scenario file (with the default [`LoadOptions`]).
/// Every problem in the file is in the error's message, one per line,
/// with its line and column.
pub fn load(path: impl AsRef<Path>) -> Result<Scenario> {
    load_with(path, &LoadOptions::default())
}

/// [`load`] with options (the scenario root that `extends` may not leave).
pub fn load_with(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Scenario> {
    crate::scenario::load_with(path.as_ref(), options)
        .map(|(scenario, _warnings)| scenario)
        .map_err(|diagnostics| Error::BadInput {
            message: diagnostics.to_string().trim_end().to_string(),
            hint: None,
        })
}

/// Every number of a scenario that can be listed, fixed (`--set`) and swept:
/// its path, value or distribution, unit, label, valid range and kind
/// (a model slot, drawn or fixed, or a structural number).
///
/// ```
/// let mut scenario = brink::load("scenarios/muscat-2026.toml")?;
/// let params = brink::params(&scenario);
/// let trust = params.iter().find(|p| p.path == "initial.trust").unwrap();
/// assert_eq!(trust.value, 0.1);
/// assert_eq!(trust.unit, brink::scenario::params::Unit::Level);
/// // Fix a number, as `--set actions.strike.escalation=60` does.
/// brink::set(&mut scenario, &["actions.strike.escalation=60".to_string()])?;
/// assert_eq!(scenario.actions.iter().find(|a| a.id == "strike").unwrap().escalation, 60);
/// # Ok::<(), brink::Error>(())
/// ```
pub fn params(scenario: &Scenario) -> Vec<crate::scenario::params::ParamInfo> {
    crate::scenario::params::catalogue(scenario)
}

/// Fixes numbers of a loaded scenario to values given as `PATH=VALUE`, as
/// `--set` does when loading ([`LoadOptions::set`]); every problem is in
/// the error's message, one per line.
pub fn set(scenario: &mut Scenario, assignments: &[String]) -> Result<()> {
    crate::scenario::params::apply_overrides(scenario, assignments).map_err(|errors| {
        Error::BadInput {
            message: errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            hint: None,
        }
    })
}

/// Compiles a checked scenario into the index-based model the engine runs.
pub fn compile(scenario: &Scenario) -> Model {
    Model::compile(scenario)
}

/// How to run trials in memory with [`simulate`].
#[derive(Debug, Clone, Default)]
pub struct Simulate<'a> {
    /// Trials (default: the scenario's `run.trials`).
    pub trials: Option<u64>,
    /// Master seed (default: the scenario's `run.seed`).
    pub seed: Option<u64>,
    /// Worker threads (0: every core). Results do not depend on it.
    pub threads: usize,
    /// Stops the work at the next batch when set.
    pub cancel: Cancel<'a>,
}

/// Runs trials of a scenario in memory and summarises them, writing
/// nothing: what `brink run` writes to `summary.json`.
pub fn simulate(scenario: &Scenario, how: &Simulate<'_>) -> Result<Summary> {
    let model = Model::compile(scenario);
    let space = ParamSpace::of(&model);
    let seed = how.seed.unwrap_or(scenario.seed);
    let plan = RunPlan {
        seed,
        first_trial: 0,
        trials: how.trials.unwrap_or(scenario.trials),
        threads: how.threads,
    };
    let sim = simulate_trials(
        &model,
        &space,
        plan,
        &mut (),
        &mut |_| {},
        how.cancel.flag(),
    )?;
    if sim.cancelled {
        return Err(Error::Cancelled);
    }
    Ok(Summary::build(
        &model,
        ScenarioInfo::of(scenario),
        seed,
        &sim.aggregate,
    ))
}

/// Runs a scenario and writes its result folder (`summary.json`,
/// `trials.csv`, `timeseries.csv`, plots, `report.html`, `manifest.json`)
/// into `opts.out_root`, atomically; or one shard of it, with checkpoints
/// as `opts.durability` asks. Cancelled work is [`Error::Cancelled`].
///
/// ```
/// let scenario = brink::load("scenarios/muscat-2026.toml")?;
/// let out = std::env::temp_dir().join(format!("brink-doc-run-{}", std::process::id()));
/// let opts = brink::RunOptions { trials: Some(500), out_root: out.clone(), ..Default::default() };
/// let result = brink::run(&scenario, &opts, brink::Cancel::never())?;
/// let dir = result.out_dir.clone().expect("a finished run has a folder");
/// assert_eq!(brink::read_summary(&dir)?, result.summary);
/// let manifest = brink::read_manifest(&dir)?;
/// assert_eq!((manifest.kind.as_str(), manifest.trials), ("run", 500));
/// # std::fs::remove_dir_all(&out).ok();
/// # Ok::<(), brink::Error>(())
/// ```
pub fn run(scenario: &Scenario, opts: &RunOptions, cancel: Cancel<'_>) -> Result<RunResult> {
    let result = run_scenario(scenario, opts, &mut |_| {}, cancel)?;
    if result.cancelled {
        return Err(Error::Cancelled);
    }
    Ok(result)
}

/// Runs scenarios side by side with common random numbers and writes the
/// comparison's result folder; returns the comparison and its folder (for
/// a shard, the shard's folder and no comparison).
///
/// ```
/// let base = brink::load("scenarios/muscat-2026.toml")?;
/// let alt = brink::load("scenarios/no-oman.toml")?;
/// let out = std::env::temp_dir().join(format!("brink-doc-compare-{}", std::process::id()));
/// let opts = brink::CompareOptions { trials: Some(500), out_root: out.clone(), ..Default::default() };
/// let (comparison, dir) = brink::compare(&[base, alt], &opts, brink::Cancel::never())?;
/// assert_eq!(comparison.expect("not a shard").trials, 500);
/// assert_eq!(brink::read_manifest(&dir)?.compared().len(), 2);
/// # std::fs::remove_dir_all(&out).ok();
/// # Ok::<(), brink::Error>(())
/// ```
pub fn compare(
    scenarios: &[Scenario],
    opts: &CompareOptions,
    cancel: Cancel<'_>,
) -> Result<(Option<Comparison>, PathBuf)> {
    if scenarios.is_empty() {
        return Err(Error::bad_input(
            "nothing to compare",
            "give at least one scenario (the first is the baseline)",
        ));
    }
    match compare_job(scenarios, opts, &mut |_| {}, cancel)? {
        JobRun::Done { output, dir } => Ok((Some(output), dir)),
        JobRun::Shard { dir, .. } => Ok((None, dir)),
        JobRun::Cancelled => Err(Error::Cancelled),
    }
}

/// How to run an experiment file with [`experiment`].
#[derive(Debug, Clone)]
pub struct ExperimentOptions<'a> {
    /// Trials per design point (default: the file's `trials`, else the
    /// scenario's `run.trials`).
    pub trials: Option<u64>,
    /// Master seed (default: the file's `seed`, else the scenario's `run.seed`).
    pub seed: Option<u64>,
    /// Worker threads (0: every core). Results do not depend on it.
    pub threads: usize,
    /// Folder that receives `experiment-<name>/` (default `output`).
    pub out_root: PathBuf,
    /// Draw the plots and write `report.html` (default true).
    pub plots: bool,
    /// The format of the experiment table (default CSV).
    pub format: crate::export::Format,
    /// Shard, checkpoints, resumption (default: the whole experiment).
    pub durability: crate::shard::Durability,
    /// How the experiment's scenario finds its parents.
    pub load: LoadOptions,
    /// The command line recorded in the manifest.
    pub command: Vec<String>,
    /// Stops the work at the next design point or batch when set.
    pub cancel: Cancel<'a>,
}

impl Default for ExperimentOptions<'_> {
    fn default() -> Self {
        ExperimentOptions {
            trials: None,
            seed: None,
            threads: 0,
            out_root: PathBuf::from("output"),
            plots: true,
            format: crate::export::Format::Csv,
            durability: crate::shard::Durability::default(),
            load: LoadOptions::default(),
            command: Vec::new(),
            cancel: Cancel::never(),
        }
    }
}

/// Loads an experiment file (every problem of it in the error), runs every
/// lever at every design point and writes `experiment-<name>/` into
/// `opts.out_root`; returns the experiment and its folder (for a shard,
/// the shard's folder and no experiment).
///
/// ```
/// let out = std::env::temp_dir().join(format!("brink-doc-experiment-{}", std::process::id()));
/// let opts = brink::ExperimentOptions { trials: Some(4), out_root: out.clone(), plots: false, ..Default::default() };
/// let (e, dir) = brink::experiment("scenarios/experiments/carrier-and-pause.toml", &opts)?;
/// let e = e.expect("not a shard");
/// assert_eq!(e.points.len(), 2 * 64);
/// assert_eq!(e.levers[0].lever, "status_quo");
/// assert!(dir.join("experiment.csv").is_file());
/// # std::fs::remove_dir_all(&out).ok();
/// # Ok::<(), brink::Error>(())
/// ```
pub fn experiment(
    path: impl AsRef<Path>,
    opts: &ExperimentOptions<'_>,
) -> Result<(Option<Experiment>, PathBuf)> {
    let input = load_experiment(path.as_ref(), &opts.load).map_err(|d| Error::BadInput {
        message: d.to_string().trim_end().to_string(),
        hint: None,
    })?;
    let job = ExperimentJob {
        input: &input,
        seed: opts.seed,
        trials: opts.trials,
        threads: opts.threads,
        out_root: &opts.out_root,
        command: &opts.command,
        plots: opts.plots,
        durability: opts.durability,
        format: opts.format,
    };
    match run_experiment_job(&job, &mut |_| {}, opts.cancel)? {
        ExperimentRun::Done { experiment, dir } => Ok((Some(experiment), dir)),
        ExperimentRun::Shard { dir, .. } => Ok((None, dir)),
        ExperimentRun::Cancelled => Err(Error::Cancelled),
    }
}

/// Merges shard folders (of any command) into the folder the unsharded
/// command would have written, byte for byte.
pub fn merge(shards: &[PathBuf], opts: &MergeOptions) -> Result<MergeResult> {
    Ok(merge_shards(shards, opts)?)
}

/// Reads the `summary.json` of a run's result folder.
pub fn read_summary(result: impl AsRef<Path>) -> Result<Summary> {
    read_json(&result.as_ref().join("summary.json"))
}

/// Reads the `manifest.json` of a result folder: what wrote it, with which
/// seed and trials, and the sha256 of every file.
pub fn read_manifest(result: impl AsRef<Path>) -> Result<Manifest> {
    read_json(&result.as_ref().join("manifest.json"))
}

/// Largest result JSON file read back (a summary of a 10,000-step run is
/// well under this).
const MAX_RESULT_JSON: u64 = 256 << 20;

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = crate::input::read_limited(path, MAX_RESULT_JSON).map_err(std::io::Error::from)?;
    serde_json::from_slice(&bytes).map_err(|e| {
        Error::bad_input(
            format!("{} is not a brink result file: {e}", path.display()),
            "give the folder brink wrote (it holds manifest.json)",
        )
    })
}
