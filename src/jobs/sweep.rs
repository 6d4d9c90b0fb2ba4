//! `brink sweep` as a job: the units are the values (design points); a
//! shard runs a contiguous range of them and writes their aggregates to
//! `points.json`; a checkpoint holds the aggregates of the finished points
//! and of the trials done so far of the current one.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::sweep::{self, Sweep, SweepTarget, assemble_target};
use crate::engine::ParamSpace;
use crate::export::analysis;
use crate::model::Model;
use crate::output::ResultFolder;
use crate::output::manifest::Manifest;
use crate::report::analysis_files;
use crate::scenario::Scenario;
use crate::shard::checkpoint::{Continuation, continue_trials};
use crate::shard::data::read_points;
use crate::shard::manifest::ShardDir;
use crate::shard::resume::check_sweep;
use crate::shard::{Durability, Partial, Work, WorkId};
use crate::stats::RunAggregate;
use crate::stats::summary::ScenarioInfo;

use super::cancel::Cancel;
use super::driver::{JobOptions, JobRun, drive};

use super::job::{Advanced, Finish, Job};
use super::steps::Steps;

pub use crate::shard::data::POINTS_JSON;
pub use crate::shard::work::sweep_dir_name;

/// A sweep to run.
#[derive(Debug, Clone, Copy)]
pub struct SweepJob<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its compiled model.
    pub model: &'a Model,
    /// Parameter path.
    pub parameter: &'a str,
    /// Values, in order.
    pub values: &'a [f64],
    /// Master seed.
    pub seed: u64,
    /// Trials per value.
    pub trials: u64,
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

/// What a sweep produced.
#[derive(Debug, Clone, PartialEq)]
// Returned once per job: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
pub enum SweepRun {
    /// The whole sweep, written to `dir`.
    Done {
        /// The sweep.
        sweep: Sweep,
        /// Its result folder.
        dir: PathBuf,
    },
    /// One shard, written to `dir`.
    Shard {
        /// The shard folder.
        dir: PathBuf,
        /// Indices of its values.
        points: Range<u64>,
    },
    /// Stopped by the cancel flag (progress is in the checkpoint, if kept).
    Cancelled,
}

/// The points of a range of a sweep done so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepPartial {
    /// Aggregates of the finished points, in order.
    pub points: Vec<RunAggregate>,
    /// The trials done so far of the next point.
    pub partial: Option<Partial>,
}

/// A sweep as a job: the options and the slot of its parameter.
#[derive(Debug)]
pub struct SweepWork<'a> {
    job: &'a SweepJob<'a>,
    target: SweepTarget,
    id: WorkId,
}

impl<'a> SweepWork<'a> {
    /// The job of `job`; bad input when its parameter or values do not fit
    /// the scenario.
    pub fn new(job: &'a SweepJob<'a>) -> io::Result<SweepWork<'a>> {
        let target = sweep::check_any(job.scenario, job.model, job.parameter, job.values)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
        let work = Work::Sweep {
            parameter: job.parameter.into(),
            values: job.values.to_vec(),
            trials: job.trials,
        };
        Ok(SweepWork {
            job,
            target,
            id: WorkId::new(job.scenario, job.seed, work),
        })
    }
}

impl Job for SweepWork<'_> {
    type Partial = SweepPartial;
    type Output = Sweep;

    fn work(&self) -> &WorkId {
        &self.id
    }

    fn scenario(&self) -> &Scenario {
        self.job.scenario
    }

    fn units(&self) -> u64 {
        self.job.values.len() as u64
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
        let one = RunAggregate::new(self.job.model).max_json_bytes();
        one.saturating_mul(units + 1)
    }

    fn check(&self, p: &SweepPartial, units: &Range<u64>) -> Result<(), String> {
        let len = units.end - units.start;
        check_sweep(
            &p.points,
            p.partial.as_ref(),
            len,
            self.job.model,
            self.job.trials,
        )
    }

    fn advance(
        &self,
        units: &Range<u64>,
        p: &mut SweepPartial,
        steps: &mut Steps<'_, SweepPartial>,
    ) -> io::Result<Advanced> {
        let job = self.job;
        advance_points(units, p, steps, (job.seed, job.threads, job.trials), |k| {
            self.target
                .point(job.model, k as usize, job.values[k as usize])
        })
    }

    fn append(&self, total: &mut SweepPartial, next: SweepPartial) {
        total.points.extend(next.points);
    }

    fn write_shard(&self, p: &SweepPartial, folder: &ResultFolder) -> io::Result<()> {
        folder.compact_json(POINTS_JSON, &p.points)
    }

    fn read_shard(&self, s: &ShardDir) -> io::Result<SweepPartial> {
        read_points_shard(s, self.job.model, self.job.trials)
    }

    fn finish(
        &self,
        p: SweepPartial,
        folder: ResultFolder,
        f: Finish<'_>,
    ) -> io::Result<(Sweep, PathBuf)> {
        let job = self.job;
        let sweep = assemble_target(
            job.model,
            ScenarioInfo::of(job.scenario).with_label_for(job.scenario, job.parameter),
            job.parameter,
            &self.target,
            job.values,
            job.seed,
            job.trials,
            &p.points,
        );
        let dir = write_sweep_result(folder, job.scenario, &sweep, f)?;
        Ok((sweep, dir))
    }
}

/// Runs a sweep (or one shard of it), keeping checkpoints as asked, and
/// writes its result. `progress` receives the points done (of the shard).
pub fn run_sweep_job(
    job: &SweepJob<'_>,
    progress: &mut dyn FnMut(u64),
    cancel: Cancel<'_>,
) -> io::Result<SweepRun> {
    let work = SweepWork::new(job)?;
    let opts = JobOptions {
        out_root: job.out_root,
        command: job.command,
        plots: job.plots,
        durability: job.durability,
        format: job.format,
    };
    Ok(match drive(&work, &opts, progress, cancel)? {
        JobRun::Done { output, dir } => SweepRun::Done { sweep: output, dir },
        JobRun::Shard { dir, units, .. } => SweepRun::Shard { dir, points: units },
        JobRun::Cancelled => SweepRun::Cancelled,
    })
}

/// Writes the result folder of a sweep: `sweep.json`, `sweep.csv`, with
/// `f.plots` the plots and `report.html`, and `manifest.json`; then commits.
pub fn write_sweep_result(
    folder: ResultFolder,
    scenario: &Scenario,
    sweep: &Sweep,
    f: Finish<'_>,
) -> io::Result<PathBuf> {
    folder.json("sweep.json", sweep)?;
    analysis::write_sweep(folder.path(), sweep, f.format)?;
    let trials = sweep.trials * sweep.points.len() as u64;
    let manifest = Manifest::new("sweep", scenario, f.command, sweep.seed, trials);
    if f.plots {
        analysis_files::write_sweep(folder.path(), sweep, &manifest)?;
    }
    folder.commit(manifest)
}

/// Runs the design points `units` one after another, each over trials
/// `0..trials` of `seed` on `threads` (common random numbers: trial i uses
/// stream i at every point), checkpointing within a point: the loop of
/// every job whose unit is a point (sweep, experiment). `point(k)` gives
/// point k's model and parameter space.
pub(super) fn advance_points<'m>(
    units: &Range<u64>,
    p: &mut SweepPartial,
    steps: &mut Steps<'_, SweepPartial>,
    (seed, threads, trials): (u64, usize, u64),
    point: impl Fn(u64) -> (&'m Model, ParamSpace),
) -> io::Result<Advanced> {
    let trials = 0..trials;
    while (p.points.len() as u64) < units.end - units.start {
        let (model, space) = point(units.start + p.points.len() as u64);
        let from = p.partial.take().unwrap_or_else(|| Partial::empty(model));
        let continuation = Continuation {
            model,
            space: &space,
            seed,
            threads,
            trials: &trials,
            given: None,
        };
        let save = steps.save;
        let run = continue_trials(
            continuation,
            &from,
            &mut (),
            steps.timer,
            &|_, _| false,
            &mut |_: &mut (), done: &Partial| {
                p.partial = Some(done.clone());
                let saved = save(p);
                p.partial = None;
                saved
            },
            &mut |_| {},
            steps.cancel.flag(),
        )?;
        if run.cancelled {
            p.partial = Some(run.done);
            return Ok(Advanced::Cancelled);
        }
        p.points.push(run.done.aggregate);
        steps.batch(p.points.len() as u64, p)?;
    }
    Ok(Advanced::Finished)
}

/// The finished points of a shard folder of a point job, each checked to
/// have `model`'s tables and `trials` trials.
pub(super) fn read_points_shard(
    s: &ShardDir,
    model: &Model,
    trials: u64,
) -> io::Result<SweepPartial> {
    let empty = RunAggregate::new(model);
    let points = read_points(
        std::slice::from_ref(s),
        empty.max_json_bytes(),
        |a: &RunAggregate| {
            if !empty.same_shape(a) {
                return Err("its tables do not fit the scenario".into());
            }
            a.check_consistent(trials)
        },
    )?;
    Ok(SweepPartial {
        points,
        partial: None,
    })
}
