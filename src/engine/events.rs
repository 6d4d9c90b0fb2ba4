//! Counting events over trials: every trial run with only an event
//! tracker, tallying the trials that satisfy the condition (the first
//! events of the set) and, among them, those in which each other event
//! happens. Chunks run in parallel and are added in chunk order; counts are
//! exact integers, so the tally is the same for any thread count.

use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::Model;
use crate::question::EventSet;

use super::draws::{ParamSpace, ParameterDraws};
use super::montecarlo::{CHUNK_TRIALS, RunPlan};
use super::trial::TrialRunner;

/// What a range of trials showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventCounts {
    /// Trials run.
    pub run: u64,
    /// Trials that satisfy every condition.
    pub kept: u64,
    /// Among the kept trials, those in which each counted event happened.
    pub hits: Vec<u64>,
}

impl EventCounts {
    /// No trials, for `events` counted events.
    pub fn empty(events: usize) -> EventCounts {
        EventCounts {
            run: 0,
            kept: 0,
            hits: vec![0; events],
        }
    }

    /// Adds the counts of other trials.
    pub fn add(&mut self, other: &EventCounts) {
        self.run += other.run;
        self.kept += other.kept;
        for (h, o) in self.hits.iter_mut().zip(&other.hits) {
            *h += o;
        }
    }
}

fn count_chunk(
    model: &Model,
    space: &ParamSpace,
    seed: u64,
    set: &EventSet,
    conditions: usize,
    trials: Range<u64>,
    cancel: Option<&AtomicBool>,
) -> EventCounts {
    let mut counts = EventCounts::empty(set.len() - conditions);
    let mut runner = TrialRunner::new(model, seed);
    let mut draws = ParameterDraws::new(model, space, seed);
    let mut tracker = set.tracker();
    let mut moves = vec![0u32; model.moves.len()];
    for trial in trials {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            break;
        }
        let coef = draws.coefficients(trial);
        runner.run(coef, trial, &mut moves, &mut tracker);
        counts.run += 1;
        if !tracker.all(0..conditions) {
            continue;
        }
        counts.kept += 1;
        for (k, h) in counts.hits.iter_mut().enumerate() {
            *h += u64::from(tracker.holds(conditions + k));
        }
    }
    counts
}

/// Runs the trials of `plan` with a tracker of `set`, whose first
/// `conditions` events are the condition; calls `batch` with the counts of
/// everything done after each batch of chunks (progress, checkpoints).
/// Stops soon after `cancel` is set, discarding the unfinished batch.
/// Returns the counts and whether it was cancelled.
pub fn count_events(
    model: &Model,
    space: &ParamSpace,
    plan: RunPlan,
    set: &EventSet,
    conditions: usize,
    batch: &mut dyn FnMut(&EventCounts) -> io::Result<()>,
    cancel: Option<&AtomicBool>,
) -> io::Result<(EventCounts, bool)> {
    let pool = crate::limits::thread_pool(plan.threads)?;
    let threads = pool.current_num_threads().max(1) as u64;
    let end = plan
        .first_trial
        .checked_add(plan.trials)
        .ok_or_else(|| io::Error::other("trial indices beyond 2^64"))?;
    let mut total = EventCounts::empty(set.len() - conditions);
    let mut next = plan.first_trial;
    while next < end {
        let mut chunks = Vec::new();
        while next < end && (chunks.len() as u64) < threads * 4 {
            let stop = next.saturating_add(CHUNK_TRIALS).min(end);
            chunks.push(next..stop);
            next = stop;
        }
        let results: Vec<EventCounts> = pool.install(|| {
            chunks
                .par_iter()
                .map(|r| count_chunk(model, space, plan.seed, set, conditions, r.clone(), cancel))
                .collect()
        });
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Ok((total, true));
        }
        for r in &results {
            total.add(r);
        }
        batch(&total)?;
    }
    Ok((total, false))
}
