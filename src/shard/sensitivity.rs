//! `brink sensitivity` with shards and checkpoints: a shard evaluates a
//! contiguous range of the Saltelli design points; a checkpoint holds the
//! integer counts of the points done. The indices are computed once all
//! points are in (by the unsharded run, or by `brink merge`).

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::analysis::PointCounts;
use crate::analysis::sensitivity::{
    SaltelliDesign, Sensitivity, SensitivityOptions, evaluate_design, indices,
};
use crate::model::Model;
use crate::output::{ResultLock, StagedDir};
use crate::pipeline::{
    scenario_info, shard_manifest, write_compact_json, write_sensitivity_result,
};
use crate::scenario::Scenario;

use super::checkpoint::CHECKPOINT_FILE;
use super::manifest::commit_shard;
use super::resume::{check_points, refused};
use super::sweep::POINTS_JSON;
use super::{CheckpointStore, CheckpointTimer, Durability, Work, WorkId};

/// A sensitivity analysis to run.
#[derive(Debug, Clone, Copy)]
pub struct SensitivityJob<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its compiled model.
    pub model: &'a Model,
    /// Design size, trials per point, bootstrap, seed, threads.
    pub options: SensitivityOptions,
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

/// What a sensitivity analysis produced.
#[derive(Debug, Clone, PartialEq)]
pub enum SensitivityRun {
    /// The whole analysis, written to `dir`.
    Done {
        /// The indices.
        sensitivity: Sensitivity,
        /// Its result folder.
        dir: PathBuf,
    },
    /// One shard of the design points, written to `dir`.
    Shard {
        /// The shard folder.
        dir: PathBuf,
        /// Indices of its design points.
        points: Range<u64>,
        /// Design points in the whole analysis.
        total: u64,
    },
    /// Stopped by the cancel flag (progress is in the checkpoint, if kept).
    Cancelled,
}

/// The identity of a sensitivity analysis.
pub fn sensitivity_work(opts: &SensitivityOptions) -> Work {
    Work::Sensitivity {
        samples: opts.samples as u64,
        trials_per_sample: opts.trials_per_sample,
        bootstrap: opts.bootstrap as u64,
    }
}

/// Runs a sensitivity analysis (or one shard of its design points), keeping
/// checkpoints as asked, and writes its result. `progress` receives the
/// design points done (of the shard).
pub fn run_sensitivity_job(
    job: &SensitivityJob<'_>,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<SensitivityRun> {
    let (model, opts) = (job.model, job.options);
    let dur = job.durability;
    let output = sensitivity_dir_name(&job.scenario.name);
    let name = dur.output_name(&output);
    // Held to the end: no other command writes this result or its checkpoint.
    let lock = ResultLock::acquire(&job.out_root.join(&name))?;
    let Some(design) = SaltelliDesign::new_cancellable(model, opts.samples, opts.seed, cancel)?
    else {
        return Ok(SensitivityRun::Cancelled);
    };
    let total = design.points();
    let range = dur.shard.map_or(0..total, |s| s.range(total));
    let id = WorkId::new(job.scenario, opts.seed, sensitivity_work(&opts));
    let store = CheckpointStore::beside(job.out_root, &name);
    let mut timer = CheckpointTimer::new(dur.checkpoint_every);
    let saved = match (timer.enabled(), dur.resume) {
        (true, true) => {
            let len = range.end - range.start;
            let state = len.saturating_mul(PointCounts::MAX_JSON_BYTES);
            let saved =
                store.load::<Vec<PointCounts>>(&id, &range, CheckpointStore::limit(&id, state))?;
            if let Some(points) = &saved {
                check_points(points, len, model, opts.trials_per_sample)
                    .map_err(|e| refused(&store.dir().join(CHECKPOINT_FILE), &e))?;
            }
            saved
        }
        _ => None,
    };
    let mut done = match saved {
        Some(s) => s,
        None => {
            if timer.enabled() {
                store.start()?;
            }
            Vec::new()
        }
    };
    let finished = evaluate_design(
        model,
        &design,
        &opts,
        &range,
        &mut done,
        &mut |points| {
            if timer.due() {
                store.save(&id, &range, &points)?;
            }
            Ok(())
        },
        progress,
        cancel,
    )?;
    if !finished {
        if timer.enabled() {
            store.save(&id, &range, &done)?;
        }
        return Ok(SensitivityRun::Cancelled);
    }
    let result = match dur.shard {
        Some(shard) => {
            let staged = StagedDir::create(&lock)?;
            write_compact_json(&staged.path().join(POINTS_JSON), &done)?;
            let manifest = shard_manifest(job.scenario, job.command, id, &output, shard, total);
            SensitivityRun::Shard {
                dir: commit_shard(staged, manifest)?,
                points: range,
                total,
            }
        }
        None => {
            let sensitivity = indices(model, scenario_info(job.scenario), &opts, &design, &done);
            let dir = write_sensitivity_result(
                &lock,
                job.scenario,
                &sensitivity,
                job.command,
                job.plots,
                job.format,
            )?;
            SensitivityRun::Done { sensitivity, dir }
        }
    };
    if timer.enabled() {
        store.remove()?;
    }
    Ok(result)
}

/// The result folder of a sensitivity analysis: `sensitivity-<scenario>`.
pub fn sensitivity_dir_name(scenario: &str) -> String {
    format!("sensitivity-{scenario}")
}
