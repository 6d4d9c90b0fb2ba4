//! `brink experiment` as a job: the units are the design points (every
//! lever at every point of the uncertainty design); a shard runs a
//! contiguous range of them and writes their aggregates to `points.json`;
//! a checkpoint holds the aggregates of the finished points and of the
//! trials done so far of the current one. Every point runs trials `0..n`
//! with the same trial streams, as a sweep's values do.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::analysis::experiment::{Experiment, ExperimentInput, Plan, assemble};
use crate::export::experiment::write_experiment;
use crate::model::Model;
use crate::output::ResultFolder;
use crate::output::manifest::{Manifest, file_name};
use crate::report::analysis_files;
use crate::scenario::Scenario;
use crate::shard::manifest::ShardDir;
use crate::shard::resume::check_sweep;
use crate::shard::{Durability, Work, WorkId};
use crate::stats::RunAggregate;
use crate::stats::summary::ScenarioInfo;

use super::cancel::Cancel;
use super::driver::{JobOptions, JobRun, drive};
use super::job::{Advanced, Finish, Job};
use super::steps::Steps;
use super::sweep::{POINTS_JSON, SweepPartial, advance_points, read_points_shard};

pub use crate::shard::work::experiment_dir_name;

/// An experiment to run.
#[derive(Debug, Clone, Copy)]
pub struct ExperimentJob<'a> {
    /// The checked experiment file, its scenario and model.
    pub input: &'a ExperimentInput,
    /// Master seed (default: the file's `seed`, else the scenario's).
    pub seed: Option<u64>,
    /// Trials per design point (default: the file's `trials`, else the
    /// scenario's `run.trials`).
    pub trials: Option<u64>,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Folder that receives the result folder.
    pub out_root: &'a Path,
    /// The command line, for the manifest.
    pub command: &'a [String],
    /// Draw the plots and write the report.
    pub plots: bool,
    /// Shard, checkpoints, resumption.
    pub durability: Durability,
    /// The format of the result's tables.
    pub format: crate::export::Format,
}

impl ExperimentJob<'_> {
    /// The seed and trials per point the experiment runs with.
    pub fn resolved(&self) -> (u64, u64) {
        let (spec, s) = (&self.input.spec, &self.input.scenario);
        (
            self.seed.or(spec.seed).unwrap_or(s.seed),
            self.trials.or(spec.trials).unwrap_or(s.trials),
        )
    }
}

/// What an experiment produced.
#[derive(Debug, Clone, PartialEq)]
// Returned once per job: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum ExperimentRun {
    /// The whole experiment, written to `dir`.
    Done {
        /// The experiment's results.
        experiment: Experiment,
        /// Its result folder.
        dir: PathBuf,
    },
    /// One shard, written to `dir`.
    Shard {
        /// The shard folder.
        dir: PathBuf,
        /// Indices of its design points.
        points: Range<u64>,
    },
    /// Stopped by the cancel flag (progress is in the checkpoint, if kept).
    Cancelled,
}

/// An experiment as a job: its plan (the design drawn) and identity.
#[derive(Debug)]
pub struct ExperimentWork<'a> {
    job: &'a ExperimentJob<'a>,
    plan: Plan,
    id: WorkId,
}

impl<'a> ExperimentWork<'a> {
    /// The job of `job`.
    pub fn new(job: &'a ExperimentJob<'a>) -> ExperimentWork<'a> {
        let (seed, trials) = job.resolved();
        let spec = &job.input.spec;
        let plan = Plan::new(spec.clone(), seed, trials);
        let work = Work::Experiment {
            name: spec.name.clone(),
            experiment_file: file_name(&spec.path),
            experiment_sha256: spec.sha256.clone(),
            points: plan.units(),
            trials,
        };
        ExperimentWork {
            job,
            id: WorkId::new(&job.input.scenario, seed, work),
            plan,
        }
    }

    /// The plan: the design drawn, the seed and trials resolved.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    fn model(&self) -> &Model {
        &self.job.input.model
    }
}

impl Job for ExperimentWork<'_> {
    type Partial = SweepPartial;
    type Output = Experiment;

    fn work(&self) -> &WorkId {
        &self.id
    }

    fn scenario(&self) -> &Scenario {
        &self.job.input.scenario
    }

    fn inputs(&self) -> Vec<PathBuf> {
        let p = &self.job.input.spec.path;
        vec![std::path::absolute(p).unwrap_or_else(|_| p.clone())]
    }

    fn units(&self) -> u64 {
        self.plan.units()
    }

    fn fresh(&self) -> SweepPartial {
        SweepPartial {
            points: Vec::new(),
            partial: None,
        }
    }

    fn completed(&self, p: &SweepPartial) -> u64 {
        p.points.len() as u64
    }

    fn max_partial_bytes(&self, units: u64) -> u64 {
        let one = RunAggregate::new(self.model()).max_json_bytes();
        one.saturating_mul(units + 1)
    }

    fn check(&self, p: &SweepPartial, units: &Range<u64>) -> Result<(), String> {
        let len = units.end - units.start;
        check_sweep(
            &p.points,
            p.partial.as_ref(),
            len,
            self.model(),
            self.plan.trials,
        )
    }

    fn advance(
        &self,
        units: &Range<u64>,
        p: &mut SweepPartial,
        steps: &mut Steps<'_, SweepPartial>,
    ) -> io::Result<Advanced> {
        let model = self.model();
        advance_points(
            units,
            p,
            steps,
            (self.plan.seed, self.job.threads, self.plan.trials),
            |u| (model, self.plan.space(model, u)),
        )
    }

    fn append(&self, total: &mut SweepPartial, next: SweepPartial) {
        total.points.extend(next.points);
    }

    fn write_shard(&self, p: &SweepPartial, folder: &ResultFolder) -> io::Result<()> {
        folder.compact_json(POINTS_JSON, &p.points)
    }

    fn read_shard(&self, s: &ShardDir) -> io::Result<SweepPartial> {
        read_points_shard(s, self.model(), self.plan.trials)
    }

    fn finish(
        &self,
        p: SweepPartial,
        folder: ResultFolder,
        f: Finish<'_>,
    ) -> io::Result<(Experiment, PathBuf)> {
        let input = self.job.input;
        let mut info = ScenarioInfo::of(&input.scenario);
        for path in self.plan.parameter_paths() {
            info = info.with_label_for(&input.scenario, &path);
        }
        let e = assemble(self.model(), info, &self.plan, &p.points);
        let dir = write_experiment_result(folder, &input.scenario, &e, f)?;
        Ok((e, dir))
    }
}

/// Runs an experiment (or one shard of it), keeping checkpoints as asked,
/// and writes its result. `progress` receives the design points done (of
/// the shard).
pub fn run_experiment_job(
    job: &ExperimentJob<'_>,
    progress: &mut dyn FnMut(u64),
    cancel: Cancel<'_>,
) -> io::Result<ExperimentRun> {
    let work = ExperimentWork::new(job);
    let opts = JobOptions {
        out_root: job.out_root,
        command: job.command,
        plots: job.plots,
        durability: job.durability,
        format: job.format,
    };
    Ok(match drive(&work, &opts, progress, cancel)? {
        JobRun::Done { output, dir } => ExperimentRun::Done {
            experiment: output,
            dir,
        },
        JobRun::Shard { dir, units, .. } => ExperimentRun::Shard { dir, points: units },
        JobRun::Cancelled => ExperimentRun::Cancelled,
    })
}

/// Writes the result folder of an experiment: `experiment.json`,
/// `experiment.csv` (or `.parquet`), with `f.plots` the plots and
/// `report.html`, and `manifest.json`; then commits.
pub fn write_experiment_result(
    folder: ResultFolder,
    scenario: &Scenario,
    e: &Experiment,
    f: Finish<'_>,
) -> io::Result<PathBuf> {
    folder.json("experiment.json", e)?;
    write_experiment(folder.path(), e, f.format)?;
    let trials = e.trials.saturating_mul(e.points.len() as u64);
    let manifest = Manifest::new("experiment", scenario, f.command, e.seed, trials);
    if f.plots {
        analysis_files::write_experiment(folder.path(), e, &manifest)?;
    }
    folder.commit(manifest)
}
