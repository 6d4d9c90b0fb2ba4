//! `brink merge`: shard results into exactly the result folder the
//! unsharded command would have written.
//!
//! Before anything is written, the shards must be of the same work (program
//! version, scenario sha256, seed, trial counts, analysis; [`super::WorkId`]), made
//! by this version of brink, with every manifest field merge uses sound, and
//! cover the work's units exactly once, ordered by range: a missing range
//! or an overlap is refused, naming the shards concerned
//! ([`super::merge_checks`]). The scenario is read again (from where the
//! shards ran, or `--scenario`) and must still have the same sha256. Each
//! data file must match the size and sha256 its shard manifest lists, and
//! its content must hold together: aggregates consistent with their trials,
//! `trials.csv` rows of the shard's range in order adding up to its
//! aggregate ([`super::merge_run`]). Then the exact integer aggregates are
//! added in trial order without overflow, the `trials.csv` parts are
//! concatenated, and the files are written by the same code as an unsharded
//! run.

use std::io;
use std::path::PathBuf;

use crate::analysis::calibrate::{CalibrateOptions, Calibration};
use crate::analysis::discovery::Discovery;
use crate::analysis::experiment::{Experiment, load_experiment};
use crate::analysis::sensitivity::{SaltelliDesign, Sensitivity, SensitivityOptions};
use crate::analysis::sweep::{self, Sweep};
use crate::analysis::targets::load_targets;
use crate::compare::Comparison;
use crate::export::trials::TRIALS;
use crate::model::Model;
use crate::output::{ResultFolder, ResultLock};
use crate::scenario::Scenario;
use crate::shard::manifest::{SHARD_FILE, ShardDir};
use crate::shard::merge_checks::{check_cover, check_same_work, load_scenario};
use crate::shard::merge_run::merge_run;
use crate::shard::{Durability, Work, WorkId, bad_input};
use crate::stats::Summary;
use crate::stats::prim::PrimOptions;
use crate::stats::summary::ScenarioInfo;
use crate::world::Outcome;

use super::calibrate::CalibrateJob;
use super::compare::{CompareJob, CompareOptions};
use super::discover::DiscoverJob;
use super::experiment::{ExperimentJob, ExperimentWork};
use super::job::{Finish, Job};
use super::run::{RunFiles, finish_run};
use super::sensitivity::{SensitivityJob, SensitivityWork};
use super::spread::{SpreadOptions, key_figure_spread};
use super::sweep::{SweepJob, SweepWork};

/// How to merge (options resolved from the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOptions {
    /// Folder that receives the result folder.
    pub out_root: PathBuf,
    /// The scenario file, if not where the shards ran.
    pub scenario: Option<PathBuf>,
    /// The command line, for the manifest.
    pub command: Vec<String>,
    /// Draw the plots and write the report of a run.
    pub plots: bool,
    /// The nested design of a run's spread over assumptions (shards do not
    /// run it; the merge does, as the unsharded run would).
    pub spread: SpreadOptions,
}

/// The merged result.
#[derive(Debug, Clone, PartialEq)]
// Returned once per job: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Merged {
    /// A run: its summary.
    Run(Box<Summary>),
    /// A sweep.
    Sweep(Sweep),
    /// A sensitivity analysis.
    Sensitivity(Box<Sensitivity>),
    /// A comparison.
    Compare(Box<Comparison>),
    /// A discovery.
    Discover(Box<Discovery>),
    /// A calibration.
    Calibrate(Box<Calibration>),
    /// An experiment.
    Experiment(Box<Experiment>),
}

/// What a merge wrote.
#[derive(Debug, Clone)]
pub struct MergeResult {
    /// The result.
    pub merged: Merged,
    /// Its folder.
    pub dir: PathBuf,
    /// The scenario.
    pub scenario: Scenario,
    /// Shards merged.
    pub shards: usize,
}

/// Checks the shard folders `dirs` and merges them into
/// `opts.out_root/<name>/`. Shards that do not belong together, do not
/// cover the work exactly once, or whose files are damaged, are refused
/// with [`io::ErrorKind::InvalidInput`] and nothing is written.
pub fn merge(dirs: &[PathBuf], opts: &MergeOptions) -> io::Result<MergeResult> {
    if dirs.is_empty() {
        return Err(bad_input(
            "no shard folders to merge",
            "give every shard folder, e.g. `brink merge output/muscat-2026.shard-*`",
        ));
    }
    let shards = dirs
        .iter()
        .map(|d| ShardDir::open(d))
        .collect::<io::Result<Vec<_>>>()?;
    check_same_work(&shards)?;
    let shards = check_cover(shards)?;
    let first = &shards[0].manifest;
    let (path, source) = match &opts.scenario {
        Some(p) => (p.clone(), "given with --scenario".to_string()),
        None => (
            first.scenario_path.clone(),
            format!("named by {}", shards[0].path.join(SHARD_FILE).display()),
        ),
    };
    let scenario = load_scenario(&path, &source, &first.work)?;
    let model = Model::compile(&scenario);
    let lock = ResultLock::acquire(&opts.out_root.join(&first.output))?;
    let merged = match &first.work.work {
        Work::Run { trials } => {
            let folder = ResultFolder::stage(&lock)?;
            let format = first.table_format;
            let path = folder.path().join(format.file_name(TRIALS));
            let total = merge_run(&model, &shards, *trials, &path, format)?;
            let mut summary =
                Summary::build(&model, ScenarioInfo::of(&scenario), first.work.seed, &total);
            if let Some(spread) = key_figure_spread(&model, first.work.seed, opts.spread, 0, None)?
            {
                summary.attach_spread(spread);
            }
            let files = RunFiles {
                scenario: &scenario,
                summary: &summary,
                command: &opts.command,
                plots: opts.plots,
                format: first.table_format,
            };
            let dir = finish_run(folder, &files)?;
            (Merged::Run(Box::new(summary)), dir)
        }
        Work::Sweep {
            parameter,
            values,
            trials,
        } => {
            sweep::check_any(&scenario, &model, parameter, values)
                .map_err(|e| bad_input(e.to_string(), "the scenario no longer fits the shards"))?;
            let job = SweepJob {
                scenario: &scenario,
                model: &model,
                parameter,
                values,
                seed: first.work.seed,
                trials: *trials,
                threads: 0,
                out_root: &opts.out_root,
                command: &opts.command,
                plots: opts.plots,
                durability: Durability::default(),
                format: first.table_format,
            };
            let (sw, dir) = merge_job(&SweepWork::new(&job)?, &shards, &lock, opts)?;
            (Merged::Sweep(sw), dir)
        }
        Work::Sensitivity {
            samples,
            trials_per_sample,
            bootstrap,
        } => {
            let options = SensitivityOptions {
                samples: *samples as usize,
                trials_per_sample: *trials_per_sample,
                bootstrap: *bootstrap as usize,
                seed: first.work.seed,
                threads: 0,
            };
            let design = SaltelliDesign::new(&model, options.samples, options.seed)
                .map_err(|e| bad_input(e.to_string(), "the scenario no longer fits the shards"))?;
            if design.points() != first.total {
                return Err(damaged(&format!(
                    "the shards count {} design points, the scenario's design {}",
                    first.total,
                    design.points()
                )));
            }
            let job = SensitivityJob {
                scenario: &scenario,
                model: &model,
                options,
                out_root: &opts.out_root,
                command: &opts.command,
                plots: opts.plots,
                durability: Durability::default(),
                format: first.table_format,
            };
            let work = SensitivityWork::with_design(&job, design);
            let (s, dir) = merge_job(&work, &shards, &lock, opts)?;
            (Merged::Sensitivity(Box::new(s)), dir)
        }
        Work::Compare { trials, others } => {
            let mut scenarios = vec![scenario.clone()];
            if first.inputs.len() != others.len() {
                return Err(damaged(&format!(
                    "shard.json names {} other scenarios, its work {}",
                    first.inputs.len(),
                    others.len()
                )));
            }
            for (path, arm) in first.inputs.iter().zip(others) {
                let id = WorkId {
                    scenario: arm.scenario.clone(),
                    scenario_file: arm.scenario_file.clone(),
                    scenario_sha256: arm.scenario_sha256.clone(),
                    ..first.work.clone()
                };
                let source = format!("named by {}", shards[0].path.join(SHARD_FILE).display());
                scenarios.push(load_scenario(path, &source, &id)?);
            }
            let options = CompareOptions {
                trials: Some(*trials),
                seed: Some(first.work.seed),
                threads: 0,
                out_root: opts.out_root.clone(),
                command: opts.command.clone(),
                precision: None,
                plots: opts.plots,
                durability: Durability::default(),
                format: first.table_format,
                at: Vec::new(),
                given: Vec::new(),
            };
            let job = CompareJob::new(&scenarios, &options);
            let (c, dir) = merge_job(&job, &shards, &lock, opts)?;
            (Merged::Compare(Box::new(c)), dir)
        }
        Work::Discover {
            outcome,
            trials,
            min_coverage,
        } => {
            let outcome = Outcome::from_key(outcome)
                .ok_or_else(|| damaged(&format!("no outcome is called `{outcome}`")))?;
            let prim = PrimOptions {
                min_coverage: *min_coverage,
                ..PrimOptions::default()
            };
            let seed = first.work.seed;
            let job = DiscoverJob::new(&scenario, &model, outcome, seed, *trials, 0, prim)?;
            let (d, dir) = merge_job(&job, &shards, &lock, opts)?;
            (Merged::Discover(Box::new(d)), dir)
        }
        Work::Calibrate {
            samples,
            trials_per_sample,
            min_accepted,
            ..
        } => {
            let path = first
                .inputs
                .first()
                .ok_or_else(|| damaged("shard.json of a calibration names no targets file"))?;
            let targets = load_targets(path, scenario.horizon).map_err(|d| {
                bad_input(
                    format!("cannot read the targets {}:\n{d}", path.display()),
                    "the targets file the shards ran with must still be where they ran",
                )
            })?;
            let options = CalibrateOptions {
                samples: *samples as usize,
                trials_per_sample: *trials_per_sample,
                seed: first.work.seed,
                threads: 0,
                min_accepted: *min_accepted as usize,
            };
            let job = CalibrateJob::new(&scenario, &model, &targets, path, options)?;
            let (c, dir) = merge_job(&job, &shards, &lock, opts)?;
            (Merged::Calibrate(Box::new(c)), dir)
        }
        Work::Experiment { trials, .. } => {
            let path = first
                .inputs
                .first()
                .ok_or_else(|| damaged("shard.json of an experiment names no experiment file"))?;
            // The values the shards set (`--set`) apply again.
            let load = crate::scenario::LoadOptions {
                set: first
                    .work
                    .scenario_overrides
                    .iter()
                    .map(|o| format!("{}={:?}", o.path, o.value))
                    .collect(),
                ..Default::default()
            };
            let input = load_experiment(path, &load).map_err(|d| {
                bad_input(
                    format!("cannot read the experiment {}:\n{d}", path.display()),
                    "the experiment file the shards ran with must still be where they ran",
                )
            })?;
            let job = ExperimentJob {
                input: &input,
                seed: Some(first.work.seed),
                trials: Some(*trials),
                threads: 0,
                out_root: &opts.out_root,
                command: &opts.command,
                plots: opts.plots,
                durability: Durability::default(),
                format: first.table_format,
            };
            let (e, dir) = merge_job(&ExperimentWork::new(&job), &shards, &lock, opts)?;
            (Merged::Experiment(Box::new(e)), dir)
        }
        Work::Forecast { .. } => {
            return Err(bad_input(
                "these are shards of a forecast, which is not run in shards",
                "run `brink forecast` in one piece",
            ));
        }
        Work::SuiteCalibrate { .. } => {
            return Err(bad_input(
                "shards of a suite calibration cannot be merged",
                "run `brink calibrate --suite` without --shard (it keeps checkpoints and resumes with --resume)",
            ));
        }
    };
    Ok(MergeResult {
        merged: merged.0,
        dir: merged.1,
        shards: shards.len(),
        scenario,
    })
}

fn damaged(what: &str) -> io::Error {
    bad_input(
        format!("the shards do not fit together: {what}"),
        "run the shards again with the same options",
    )
}

/// Merges the shards of `job` (checked to be of one work, in range order,
/// covering it once): each shard's data must match its manifest, pass the
/// job's checks and hold exactly the units of its range
/// ([`Job::read_shard`]); the partials are appended in order and the job
/// writes its result folder.
fn merge_job<J: Job>(
    job: &J,
    shards: &[ShardDir],
    lock: &ResultLock,
    opts: &MergeOptions,
) -> io::Result<(J::Output, PathBuf)> {
    let diffs = shards[0].manifest.work.differences(job.work());
    if !diffs.is_empty() {
        return Err(bad_input(
            format!(
                "the inputs are no longer those the shards ran with (shards vs now: {})",
                diffs.join(", ")
            ),
            "merge with the input files the shards ran with, or run the shards again",
        ));
    }
    let mut total = job.fresh();
    for s in shards {
        job.append(&mut total, job.read_shard(s)?);
    }
    let folder = ResultFolder::stage(lock)?;
    let f = Finish {
        command: &opts.command,
        plots: opts.plots,
        format: shards[0].manifest.table_format,
    };
    job.finish(total, folder, f)
}
