//! `brink sensitivity` as a job: the units are design points; a shard evaluates a
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
use crate::output::{ResultLock, StagedDir, analysis_csv, analysis_report, write_json};
use crate::scenario::Scenario;
use crate::shard::data::POINTS_JSON;
use crate::shard::manifest::commit_shard;
use crate::shard::resume::check_points;
use crate::shard::{Durability, Work, WorkId};
use crate::stats::summary::ScenarioInfo;

use super::driver::{Session, shard_manifest, write_compact_json};
use super::folder::{commit_with_manifest, manifest_for};

pub use crate::shard::work::sensitivity_dir_name;

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
    let id = WorkId::new(job.scenario, opts.seed, sensitivity_work(&opts));
    let name = dur.output_name(&id.output());
    // The design's size is known only once it is drawn: the lock is taken first.
    let lock = ResultLock::acquire(&job.out_root.join(&name))?;
    let Some(design) = SaltelliDesign::new_cancellable(model, opts.samples, opts.seed, cancel)?
    else {
        return Ok(SensitivityRun::Cancelled);
    };
    let total = design.points();
    let range = dur.shard.map_or(0..total, |s| s.range(total));
    let session = Session::locked(lock, job.out_root, &name, id.clone(), range.clone(), dur);
    let mut timer = session.timer();
    let len = range.end - range.start;
    let state = len.saturating_mul(PointCounts::MAX_JSON_BYTES);
    let saved = session.resume(state, |points: &Vec<PointCounts>| {
        check_points(points, len, model, opts.trials_per_sample)
    })?;
    let mut done = saved.unwrap_or_default();
    let finished = evaluate_design(
        model,
        &design,
        &opts,
        &range,
        &mut done,
        &mut |points| {
            if timer.due() {
                session.save(&points)?;
            }
            Ok(())
        },
        progress,
        cancel,
    )?;
    if !finished {
        session.save(&done)?;
        return Ok(SensitivityRun::Cancelled);
    }
    let result = match dur.shard {
        Some(shard) => {
            let staged = StagedDir::create(session.lock())?;
            write_compact_json(&staged.path().join(POINTS_JSON), &done)?;
            let manifest = shard_manifest(job.scenario, job.command, id, shard, total);
            SensitivityRun::Shard {
                dir: commit_shard(staged, manifest)?,
                points: range,
                total,
            }
        }
        None => {
            let sensitivity = indices(model, ScenarioInfo::of(job.scenario), &opts, &design, &done);
            let dir = write_sensitivity_result(
                session.lock(),
                job.scenario,
                &sensitivity,
                job.command,
                job.plots,
            )?;
            SensitivityRun::Done { sensitivity, dir }
        }
    };
    session.close()?;
    Ok(result)
}

/// Writes the result folder of a sensitivity analysis
/// (`sensitivity-<scenario>/`, the folder `lock` is for): `sensitivity.json`,
/// `sensitivity.csv`, with `plots` the plots and `report.html`, and
/// `manifest.json`, atomically.
pub fn write_sensitivity_result(
    lock: &ResultLock,
    scenario: &Scenario,
    s: &Sensitivity,
    command: &[String],
    plots: bool,
) -> io::Result<PathBuf> {
    let staged = StagedDir::create(lock)?;
    write_json(&staged.path().join("sensitivity.json"), s)?;
    analysis_csv::write_sensitivity(&staged.path().join("sensitivity.csv"), s)?;
    let trials = s.evaluations * s.trials_per_sample;
    let manifest = manifest_for("sensitivity", scenario, command, s.seed, trials);
    if plots {
        analysis_report::write_sensitivity(staged.path(), s, s.bootstrap, &manifest)?;
    }
    commit_with_manifest(staged, manifest)
}
