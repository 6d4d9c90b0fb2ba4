//! `brink sweep` with shards and checkpoints: a shard runs a contiguous
//! range of the values (design points); a checkpoint holds the aggregates
//! of the finished points and of the trials done so far of the current one.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use crate::analysis::sweep::{self, Sweep, assemble, point_space};
use crate::model::Model;
use crate::output::{ResultLock, StagedDir};
use crate::pipeline::{scenario_info, shard_manifest, write_compact_json, write_sweep_result};
use crate::scenario::Scenario;
use crate::stats::RunAggregate;

use super::checkpoint::{CHECKPOINT_FILE, Continuation, continue_trials};
use super::manifest::commit_shard;
use super::resume::{check_sweep, refused};
use super::{CheckpointStore, CheckpointTimer, Durability, Partial, Work, WorkId};

/// The data file of a sweep or sensitivity shard: its design points, in order.
pub const POINTS_JSON: &str = "points.json";

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
    /// The format of the result's table.
    pub format: crate::export::Format,
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
    let output = sweep_dir_name(&job.scenario.name, job.parameter);
    let name = dur.output_name(&output);
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
    // Held to the end: no other command writes this result or its checkpoint.
    let lock = ResultLock::acquire(&job.out_root.join(&name))?;
    let store = CheckpointStore::beside(job.out_root, &name);
    let mut timer = CheckpointTimer::new(dur.checkpoint_every);
    let saved = match (timer.enabled(), dur.resume) {
        (true, true) => {
            let one = RunAggregate::new(model).max_json_bytes();
            let limit =
                CheckpointStore::limit(&id, one.saturating_mul(range.end - range.start + 1));
            let saved = store.load::<Saved>(&id, &range, limit)?;
            if let Some(s) = &saved {
                let len = range.end - range.start;
                check_sweep(&s.points, s.partial.as_ref(), len, model, job.trials)
                    .map_err(|e| refused(&store.dir().join(CHECKPOINT_FILE), &e))?;
            }
            saved
        }
        _ => None,
    };
    let (mut points, mut partial) = match saved {
        Some(s) => (s.points, s.partial),
        None => {
            if timer.enabled() {
                store.start()?;
            }
            (Vec::new(), None)
        }
    };
    let info = scenario_info(job.scenario);
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
                store.save(&id, &range, &state)
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
            store.save(&id, &range, &state)?;
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
            let staged = StagedDir::create(&lock)?;
            write_compact_json(&staged.path().join(POINTS_JSON), &points)?;
            let manifest = shard_manifest(job.scenario, job.command, id, &output, shard, total);
            SweepRun::Shard {
                sweep,
                dir: commit_shard(staged, manifest)?,
                points: range,
            }
        }
        None => {
            let dir = write_sweep_result(
                &lock,
                job.scenario,
                &sweep,
                job.command,
                job.plots,
                job.format,
            )?;
            SweepRun::Done { sweep, dir }
        }
    };
    if timer.enabled() {
        store.remove()?;
    }
    Ok(result)
}

/// The result folder of a sweep of `parameter`: `sweep-<scenario>-<path with dashes>`.
pub fn sweep_dir_name(scenario: &str, parameter: &str) -> String {
    format!("sweep-{scenario}-{}", parameter.replace('.', "-"))
}
