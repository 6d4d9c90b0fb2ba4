//! `brink sweep` as a job: the units are the values (design points); a
//! shard runs a contiguous range of them; a checkpoint holds the aggregates
//! of the finished points and of the trials done so far of the current one.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use crate::analysis::sweep::{self, Sweep, assemble, point_space};
use crate::model::Model;
use crate::output::{ResultLock, StagedDir, analysis_csv, analysis_report, write_json};
use crate::scenario::Scenario;
use crate::shard::checkpoint::{Continuation, continue_trials};
use crate::shard::manifest::commit_shard;
use crate::shard::resume::check_sweep;
use crate::shard::{Durability, Partial, Work, WorkId};
use crate::stats::RunAggregate;
use crate::stats::summary::ScenarioInfo;

use super::driver::{Session, shard_manifest, write_compact_json};
use super::folder::{commit_with_manifest, manifest_for};

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
}

/// What a sweep produced.
#[derive(Debug, Clone, PartialEq)]
pub enum SweepRun {
    /// The whole sweep, written to `dir`.
    Done {
        /// The sweep.
        sweep: Sweep,
        /// Its result folder.
        dir: PathBuf,
    },
    /// One shard, written to `dir`; `sweep` holds the shard's points only.
    Shard {
        /// The shard's points.
        sweep: Sweep,
        /// The shard folder.
        dir: PathBuf,
        /// Indices of its values.
        points: Range<u64>,
    },
    /// Stopped by the cancel flag (progress is in the checkpoint, if kept).
    Cancelled,
}

#[derive(Serialize)]
struct SavedRef<'a> {
    points: &'a [RunAggregate],
    partial: Option<&'a Partial>,
}

#[derive(Deserialize)]
struct Saved {
    points: Vec<RunAggregate>,
    partial: Option<Partial>,
}

/// Runs a sweep (or one shard of it), keeping checkpoints as asked, and
/// writes its result. `progress` receives the points done (of the shard).
pub fn run_sweep_job(
    job: &SweepJob<'_>,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<SweepRun> {
    let model = job.model;
    let slot = sweep::check(model, job.parameter, job.values)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
    let dur = job.durability;
    let total = job.values.len() as u64;
    let range = dur.shard.map_or(0..total, |s| s.range(total));
    let id = WorkId::new(
        job.scenario,
        job.seed,
        Work::Sweep {
            parameter: job.parameter.into(),
            values: job.values.to_vec(),
            trials: job.trials,
        },
    );
    let name = dur.output_name(&id.output());
    let session = Session::open(job.out_root, &name, id.clone(), range.clone(), dur)?;
    let mut timer = session.timer();
    let one = RunAggregate::new(model).max_json_bytes();
    let len = range.end - range.start;
    let saved = session.resume(one.saturating_mul(len + 1), |s: &Saved| {
        check_sweep(&s.points, s.partial.as_ref(), len, model, job.trials)
    })?;
    let (mut points, mut partial) = saved.map_or((Vec::new(), None), |s| (s.points, s.partial));
    let info = ScenarioInfo::of(job.scenario);
    let trials = 0..job.trials;
    while (points.len() as u64) < range.end - range.start {
        let k = range.start + points.len() as u64;
        let space = point_space(model, slot, job.values[k as usize]);
        let from = partial.take().unwrap_or_else(|| Partial::empty(model));
        let continuation = Continuation {
            model,
            space: &space,
            seed: job.seed,
            threads: job.threads,
            trials: &trials,
        };
        let run = continue_trials(
            continuation,
            &from,
            &mut (),
            &mut timer,
            &|_, _| false,
            &mut |_: &mut (), p: &Partial| {
                let state = SavedRef {
                    points: &points,
                    partial: Some(p),
                };
                session.save(&state)
            },
            &mut |_| {},
            cancel,
        )?;
        if run.cancelled {
            return Ok(SweepRun::Cancelled);
        }
        points.push(run.done.aggregate);
        if timer.due() {
            let state = SavedRef {
                points: &points,
                partial: None,
            };
            session.save(&state)?;
        }
        progress(points.len() as u64);
    }
    let values = &job.values[range.start as usize..range.end as usize];
    let sweep = assemble(
        model,
        info,
        job.parameter,
        slot,
        values,
        job.seed,
        job.trials,
        &points,
    );
    let result = match dur.shard {
        Some(shard) => {
            let staged = StagedDir::create(session.lock())?;
            write_compact_json(&staged.path().join(POINTS_JSON), &points)?;
            let manifest = shard_manifest(job.scenario, job.command, id, shard, total);
            SweepRun::Shard {
                sweep,
                dir: commit_shard(staged, manifest)?,
                points: range,
            }
        }
        None => {
            let dir =
                write_sweep_result(session.lock(), job.scenario, &sweep, job.command, job.plots)?;
            SweepRun::Done { sweep, dir }
        }
    };
    session.close()?;
    Ok(result)
}

/// Writes the result folder of a sweep (`sweep-<scenario>-<parameter>/`,
/// the folder `lock` is for): `sweep.json`, `sweep.csv` and `manifest.json`,
/// atomically.
pub fn write_sweep_result(
    lock: &ResultLock,
    scenario: &Scenario,
    sweep: &Sweep,
    command: &[String],
    plots: bool,
) -> io::Result<PathBuf> {
    let staged = StagedDir::create(lock)?;
    write_json(&staged.path().join("sweep.json"), sweep)?;
    analysis_csv::write_sweep(&staged.path().join("sweep.csv"), sweep)?;
    let trials = sweep.trials * sweep.points.len() as u64;
    let manifest = manifest_for("sweep", scenario, command, sweep.seed, trials);
    if plots {
        analysis_report::write_sweep(staged.path(), sweep, &manifest)?;
    }
    commit_with_manifest(staged, manifest)
}
