//! `brink sensitivity` as a job: the units are design points; a shard evaluates a
//! contiguous range of the Saltelli design points; a checkpoint holds the
//! integer counts of the two replicates of each point done. The indices are computed once all
//! points are in (by the unsharded run, or by `brink merge`).

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::analysis::PointCounts;
use crate::analysis::sensitivity::{
    PointReplicates, SaltelliDesign, Sensitivity, SensitivityOptions, evaluate_design, indices,
};
use crate::export::analysis;
use crate::model::Model;
use crate::output::manifest::Manifest;
use crate::output::{ResultFolder, ResultLock};
use crate::report::analysis_files;
use crate::scenario::Scenario;
use crate::shard::data::{POINTS_JSON, read_points};
use crate::shard::manifest::ShardDir;
use crate::shard::resume::check_points;
use crate::shard::{Durability, Work, WorkId};
use crate::stats::RunAggregate;
use crate::stats::summary::ScenarioInfo;

use super::cancel::Cancel;
use super::driver::{JobOptions, JobRun, drive_locked, result_name};

use super::job::{Advanced, Finish, Job};
use super::steps::Steps;

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
    /// The format of the result's tables.
    pub format: crate::export::Format,
}

/// What a sensitivity analysis produced (once per analysis, so the size of
/// the finished variant does not matter).
#[derive(Debug, Clone, PartialEq)]
// Returned once per job: the size of a variant does not matter.
#[allow(clippy::large_enum_variant)]
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

/// A sensitivity analysis as a job: the options and the drawn design.
#[derive(Debug)]
pub struct SensitivityWork<'a> {
    job: &'a SensitivityJob<'a>,
    design: SaltelliDesign,
    id: WorkId,
}

impl<'a> SensitivityWork<'a> {
    /// The job of `job` with its design drawn; `None` when cancelled while
    /// drawing it.
    pub fn new(job: &'a SensitivityJob<'a>, cancel: Cancel<'_>) -> io::Result<Option<Self>> {
        let opts = job.options;
        let design =
            SaltelliDesign::new_cancellable(job.model, opts.samples, opts.seed, cancel.flag())?;
        Ok(design.map(|design| SensitivityWork::with_design(job, design)))
    }

    /// The job of `job` with its design, already drawn.
    pub fn with_design(job: &'a SensitivityJob<'a>, design: SaltelliDesign) -> Self {
        let opts = job.options;
        SensitivityWork {
            job,
            design,
            id: WorkId::new(job.scenario, opts.seed, sensitivity_work(&opts)),
        }
    }
}

impl Job for SensitivityWork<'_> {
    type Partial = Vec<PointReplicates>;
    type Output = Sensitivity;

    fn work(&self) -> &WorkId {
        &self.id
    }

    fn scenario(&self) -> &Scenario {
        self.job.scenario
    }

    fn units(&self) -> u64 {
        self.design.points()
    }

    fn fresh(&self) -> Vec<PointReplicates> {
        Vec::new()
    }

    fn completed(&self, p: &Vec<PointReplicates>) -> u64 {
        p.len() as u64
    }

    fn max_partial_bytes(&self, units: u64) -> u64 {
        units.saturating_mul(PointReplicates::MAX_JSON_BYTES)
    }

    fn check(&self, p: &Vec<PointReplicates>, units: &Range<u64>) -> Result<(), String> {
        let len = units.end - units.start;
        let sizes = PointReplicates::sizes(self.job.options.trials_per_sample);
        let halves: [Vec<PointCounts>; 2] = [
            p.iter().map(|r| r.first).collect(),
            p.iter().map(|r| r.second).collect(),
        ];
        for (half, trials) in halves.iter().zip(sizes) {
            check_points(half, len, self.job.model, trials)?;
        }
        Ok(())
    }

    fn advance(
        &self,
        units: &Range<u64>,
        p: &mut Vec<PointReplicates>,
        steps: &mut Steps<'_, Vec<PointReplicates>>,
    ) -> io::Result<Advanced> {
        let (timer, save) = (&mut *steps.timer, steps.save);
        let finished = evaluate_design(
            self.job.model,
            &self.design,
            &self.job.options,
            units,
            p,
            &mut |points| {
                if timer.due() {
                    save(&points.to_vec())?;
                }
                Ok(())
            },
            &mut *steps.progress,
            steps.cancel.flag(),
        )?;
        Ok(if finished {
            Advanced::Finished
        } else {
            Advanced::Cancelled
        })
    }

    fn append(&self, total: &mut Vec<PointReplicates>, next: Vec<PointReplicates>) {
        total.extend(next);
    }

    fn write_shard(&self, p: &Vec<PointReplicates>, folder: &ResultFolder) -> io::Result<()> {
        folder.compact_json(POINTS_JSON, p)
    }

    fn read_shard(&self, s: &ShardDir) -> io::Result<Vec<PointReplicates>> {
        let per_trial = RunAggregate::new(self.job.model).escalation_per_trial();
        let [first, second] = PointReplicates::sizes(self.job.options.trials_per_sample);
        read_points(
            std::slice::from_ref(s),
            PointReplicates::MAX_JSON_BYTES,
            |c: &PointReplicates| {
                c.first
                    .check_consistent(first, per_trial)
                    .map_err(|e| format!("first replicate: {e}"))?;
                c.second
                    .check_consistent(second, per_trial)
                    .map_err(|e| format!("second replicate: {e}"))
            },
        )
    }

    fn finish(
        &self,
        p: Vec<PointReplicates>,
        folder: ResultFolder,
        f: Finish<'_>,
    ) -> io::Result<(Sensitivity, PathBuf)> {
        let job = self.job;
        let info = ScenarioInfo::of(job.scenario);
        let s = indices(job.model, info, &job.options, &self.design, &p);
        let dir = write_sensitivity_result(folder, job.scenario, &s, f)?;
        Ok((s, dir))
    }
}

/// Runs a sensitivity analysis (or one shard of its design points), keeping
/// checkpoints as asked, and writes its result. `progress` receives the
/// design points done (of the shard).
pub fn run_sensitivity_job(
    job: &SensitivityJob<'_>,
    progress: &mut dyn FnMut(u64),
    cancel: Cancel<'_>,
) -> io::Result<SensitivityRun> {
    let opts = JobOptions {
        out_root: job.out_root,
        command: job.command,
        plots: job.plots,
        durability: job.durability,
        format: job.format,
    };
    // Held from the start: drawing a large design takes a while, and no
    // other command may write this result meanwhile.
    let id = WorkId::new(
        job.scenario,
        job.options.seed,
        sensitivity_work(&job.options),
    );
    let lock = ResultLock::acquire(&job.out_root.join(result_name(&id, &opts)))?;
    let Some(work) = SensitivityWork::new(job, cancel)? else {
        return Ok(SensitivityRun::Cancelled);
    };
    Ok(match drive_locked(&work, &opts, lock, progress, cancel)? {
        JobRun::Done { output, dir } => SensitivityRun::Done {
            sensitivity: output,
            dir,
        },
        JobRun::Shard { dir, units, total } => SensitivityRun::Shard {
            dir,
            points: units,
            total,
        },
        JobRun::Cancelled => SensitivityRun::Cancelled,
    })
}

/// Writes the result folder of a sensitivity analysis: `sensitivity.json`,
/// `sensitivity.csv`, with `f.plots` the plots and `report.html`, and
/// `manifest.json`; then commits.
pub fn write_sensitivity_result(
    folder: ResultFolder,
    scenario: &Scenario,
    s: &Sensitivity,
    f: Finish<'_>,
) -> io::Result<PathBuf> {
    folder.json("sensitivity.json", s)?;
    analysis::write_sensitivity(folder.path(), s, f.format)?;
    let trials = s.evaluations * s.trials_per_sample;
    let manifest = Manifest::new("sensitivity", scenario, f.command, s.seed, trials);
    if f.plots {
        analysis_files::write_sensitivity(folder.path(), s, s.bootstrap, &manifest)?;
    }
    folder.commit(manifest)
}
