//! One worker thread's aggregates between two batch boundaries: the steps
//! its trials lived, and what the trials that ended early still owe the
//! per-step tables, recorded once each. Settling adds it all into a run's
//! [`RunAggregate`] and fills the owed steps in by prefix sums, so a
//! trial's cost does not grow with the horizon and the counts are the same
//! integers as filled step by step.

use crate::model::Model;
use crate::world::N_RUNGS;

use super::aggregate::{Aggregator, EndedTrials, RunAggregate, TRACKED_VARS};

/// A worker's aggregates: the live part of its trials and what their ends
/// owe. Its memory is one [`RunAggregate`] (allocated zeroed: the rows of
/// steps no trial reached are never touched) and one row of owed counts per
/// step.
#[derive(Debug, Clone)]
pub struct Accumulator {
    live: RunAggregate,
    ended: EndedTrials,
}

impl Accumulator {
    /// Empty, for a model.
    pub fn new(m: &Model) -> Self {
        Self {
            live: RunAggregate::new(m),
            ended: EndedTrials::new(m.horizon),
        }
    }

    /// The observer that adds one trial here.
    pub fn aggregator(&mut self) -> Aggregator<'_> {
        Aggregator::deferred(&mut self.live, &mut self.ended)
    }

    /// Records a finished trial's moves (its counts row).
    pub fn add_moves(&mut self, counts: &[u32]) {
        self.live.add_moves(counts);
    }

    /// Adds everything here into `total` and empties this accumulator. The
    /// per-step rows owed by ended trials are filled in for rungs and
    /// tracked variables; their escalation scores are moved to `scores`,
    /// for [`fill_ended_scores`] once every worker has settled.
    pub fn settle_into(&mut self, total: &mut RunAggregate, scores: &mut Vec<(u32, i64)>) {
        let live = &mut self.live;
        assert!(total.same_shape(live), "aggregates of different models");
        total.trials += std::mem::take(&mut live.trials);
        add_take(
            total.outcome_counts.values_mut(),
            live.outcome_counts.values_mut(),
        );
        add_take(&mut total.outcome_steps, &mut live.outcome_steps);
        add_take(&mut total.max_rung_counts, &mut live.max_rung_counts);
        add_take(&mut total.move_counts, &mut live.move_counts);
        add_take(&mut total.move_trials, &mut live.move_trials);
        total.incidents += std::mem::take(&mut live.incidents);
        total
            .escalation
            .merge(&std::mem::take(&mut live.escalation));
        add_take(&mut total.milestone_steps, &mut live.milestone_steps);
        // The rows trials lived: only those up to the furthest step reached.
        let rows = self.ended.reach as usize + 1;
        let bins = live.escalation_bins.bins;
        let vars = TRACKED_VARS.len();
        add_take(
            &mut total.rung_occupancy[..rows * N_RUNGS],
            &mut live.rung_occupancy[..rows * N_RUNGS],
        );
        add_take(
            &mut total.escalation_hist[..rows * bins],
            &mut live.escalation_hist[..rows * bins],
        );
        for (a, b) in total.var_sums[..rows * vars]
            .iter_mut()
            .zip(&mut live.var_sums[..rows * vars])
        {
            *a += take_nonzero(b);
        }
        // The rows owed: a trial whose fill starts at step s counts at every
        // step from s to the horizon, so step t holds the sum of starts <= t.
        let e = &mut self.ended;
        let mut rung_run = [0u64; N_RUNGS];
        let mut var_run = [0i128; TRACKED_VARS.len()];
        for t in e.first as usize..=total.horizon as usize {
            for (r, run) in rung_run.iter_mut().enumerate() {
                *run += take_nonzero(&mut e.rungs[t * N_RUNGS + r]);
                total.rung_occupancy[t * N_RUNGS + r] += *run;
            }
            for (k, run) in var_run.iter_mut().enumerate() {
                *run += take_nonzero(&mut e.vars[t * vars + k]);
                total.var_sums[t * vars + k] += *run;
            }
        }
        scores.append(&mut e.scores);
        e.reach = 0;
        e.first = total.horizon + 1;
    }
}

/// Adds `b` into `a` and zeroes `b`, writing only where `b` is not zero
/// already: the pages of rows no trial reached stay untouched, so they take
/// no memory (the tables are allocated zeroed).
fn add_take(a: &mut [u64], b: &mut [u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += take_nonzero(y);
    }
}

fn take_nonzero<T: Copy + Default + PartialEq>(v: &mut T) -> T {
    let x = *v;
    if x != T::default() {
        *v = T::default();
    }
    x
}

/// Fills in the escalation histogram rows owed by trials that ended before
/// the horizon: `scores` holds each one's (end step, cumulative score), and
/// the trial counts in the bin of its score at every later step. Steps are
/// swept once, each binning the distinct scores of the trials ended before
/// it, so the work is the horizon times the distinct scores, not the trials
/// times the steps they did not live. Empties `scores`.
pub fn fill_ended_scores(total: &mut RunAggregate, scores: &mut Vec<(u32, i64)>) {
    let Some(&(first, _)) = scores.iter().min() else {
        return;
    };
    scores.sort_unstable();
    let mut values: Vec<i64> = scores.iter().map(|&(_, v)| v).collect();
    values.sort_unstable();
    values.dedup();
    let mut counts = vec![0u64; values.len()];
    let mut active: Vec<usize> = Vec::new();
    let layout = total.escalation_bins;
    let mut next = 0;
    for t in first + 1..=total.horizon {
        while let Some(&(s, v)) = scores.get(next)
            && s < t
        {
            let d = values.partition_point(|&x| x < v);
            if counts[d] == 0 {
                active.push(d);
            }
            counts[d] += 1;
            next += 1;
        }
        let row = t as usize * layout.bins;
        for &d in &active {
            total.escalation_hist[row + layout.bin(t, values[d])] += counts[d];
        }
    }
    scores.clear();
}
