//! What `--resume` checks before it trusts a checkpoint: the saved
//! aggregates are consistent with the trials they claim (counts add up,
//! tables fit the scenario), no more work is recorded than the range holds,
//! and a run's `trials.csv` holds exactly the rows of the completed trials,
//! in order, adding up to the saved aggregate, the first and last of them
//! as they are when run again. A checkpoint that fails is
//! refused as bad input and kept.

use std::fs::File;
use std::io;
use std::path::Path;

use crate::analysis::PointCounts;
use crate::engine::ParamSpace;
use crate::model::Model;
use crate::stats::RunAggregate;

use super::bad_input;
use super::checkpoint::Partial;
use super::rows::{Expected, scan_prefix, spot_check};

/// The hint of a refused checkpoint.
pub const HINT: &str = "run without --resume to start afresh (the checkpoint is then discarded)";

/// Bad input: the checkpoint file `path` cannot be resumed from, because `why`.
pub fn refused(path: &Path, why: &str) -> io::Error {
    bad_input(
        format!("cannot resume from {}: {why}", path.display()),
        HINT,
    )
}

impl Partial {
    /// Checks trials saved of a range of `len` trials of `model`: at most
    /// `len` completed, an aggregate of the model's layout, consistent with
    /// the trials completed ([`RunAggregate::check_consistent`]).
    pub fn check(&self, model: &Model, len: u64) -> Result<(), String> {
        if self.completed > len {
            return Err(format!(
                "it records {} trials done of {len}",
                self.completed
            ));
        }
        if !RunAggregate::new(model).same_shape(&self.aggregate) {
            return Err("its aggregate does not fit the scenario".into());
        }
        self.aggregate
            .check_consistent(self.completed)
            .map_err(|e| format!("its aggregate is inconsistent: {e}"))
    }
}

/// What a checkpointed run is: its model, parameter space and seed.
#[derive(Debug, Clone, Copy)]
pub struct RunWork<'a> {
    /// The compiled scenario.
    pub model: &'a Model,
    /// Its parameters.
    pub space: &'a ParamSpace,
    /// Master seed.
    pub seed: u64,
}

/// Checks the first `bytes` bytes of the checkpoint's `trials.csv` at
/// `path` against the trials `done` (`want.rows` of them, from
/// `want.first_trial`), before anything is cut off the file; the first and
/// last of them are run again and must give the same rows.
pub fn check_trials_prefix(
    path: &Path,
    bytes: u64,
    want: &Expected<'_>,
    done: &Partial,
    work: RunWork<'_>,
) -> io::Result<()> {
    // Looked at before it is opened: a FIFO would block the open.
    let meta = std::fs::metadata(path).map_err(|e| refused(path, &e.to_string()))?;
    if !meta.is_file() {
        return Err(refused(path, "it is not a regular file"));
    }
    let file = File::open(path).map_err(|e| refused(path, &e.to_string()))?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refused(path, "it is not a regular file"));
    }
    if meta.len() < bytes {
        return Err(refused(
            path,
            &format!(
                "it holds {} bytes but its checkpoint recorded {bytes}",
                meta.len()
            ),
        ));
    }
    let scanned = scan_prefix(file, bytes, want)?.map_err(|e| refused(path, &e))?;
    scanned
        .check_against(&done.aggregate)
        .map_err(|e| refused(path, &e))?;
    spot_check(
        &scanned,
        want.first_trial,
        work.model,
        work.space,
        work.seed,
    )?
    .map_err(|e| refused(path, &e))
}

/// Checks the design points saved by a sensitivity analysis: no more than
/// `len`, each of `trials` trials whose counts add up.
pub fn check_points(
    points: &[PointCounts],
    len: u64,
    model: &Model,
    trials: u64,
) -> Result<(), String> {
    if points.len() as u64 > len {
        return Err(format!(
            "it holds {} design points, more than the {len} of its range",
            points.len()
        ));
    }
    let per_trial = RunAggregate::new(model).escalation_per_trial();
    for (k, p) in points.iter().enumerate() {
        p.check_consistent(trials, per_trial)
            .map_err(|e| format!("its design point {k} is inconsistent: {e}"))?;
    }
    Ok(())
}

/// Checks the values saved by a sweep: no more than `len` finished, each
/// an aggregate of the model's layout over `trials` trials, and the
/// partial value, if any, only while values remain.
pub fn check_sweep(
    points: &[RunAggregate],
    partial: Option<&Partial>,
    len: u64,
    model: &Model,
    trials: u64,
) -> Result<(), String> {
    if points.len() as u64 > len || (points.len() as u64 == len && partial.is_some()) {
        return Err(format!(
            "it holds {} values, more than the {len} of its range",
            points.len() + usize::from(partial.is_some())
        ));
    }
    let empty = RunAggregate::new(model);
    for (k, p) in points.iter().enumerate() {
        if !empty.same_shape(p) {
            return Err(format!(
                "the aggregate of its value {k} does not fit the scenario"
            ));
        }
        p.check_consistent(trials)
            .map_err(|e| format!("the aggregate of its value {k} is inconsistent: {e}"))?;
    }
    match partial {
        Some(p) => p.check(model, trials),
        None => Ok(()),
    }
}
