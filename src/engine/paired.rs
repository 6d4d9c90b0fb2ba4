//! Several scenarios run in lockstep, with common random numbers.
//!
//! Trial `i` of every scenario runs in the same worker, right after the
//! others, on the same master seed: it reads the same ChaCha stream `i` and,
//! within it, the same region for each purpose (an actor's choices,
//! incidents, de-escalation). Two scenarios that differ in one actor's
//! preferences therefore see identical draws everywhere else, and their
//! outcomes are counted as pairs: a joint outcome table per scenario,
//! against the first. As in [`simulate`](super::simulate), trials are cut
//! into fixed chunks and everything kept is an integer count, so the
//! results do not depend on the number of threads.

use std::io;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::model::{MAX_NAMED_MILESTONES, Model, milestone_firsts};
use crate::observe::TrialRecord;
use crate::question::EventSet;
use crate::stats::accumulator::fill_ended_scores;
use crate::stats::mean::IntegerSums;
use crate::stats::paired::{JointCounts, MilestonePairing, PairedSimulation};
use crate::stats::{Accumulator, RunAggregate};
use crate::world::Outcome;

use super::draws::{ParamSpace, ParameterDraws};
use super::montecarlo::{CHUNK_TRIALS, RunPlan};
use super::trial::TrialRunner;

/// One scenario of a paired run: its compiled model and parameter space.
/// Uncertain parameters with the same path in two arms get the same draws.
#[derive(Debug, Clone, Copy)]
pub struct PairedArm<'a> {
    /// The compiled scenario.
    pub model: &'a Model,
    /// The values it runs with and the parameters it draws per trial.
    pub space: &'a ParamSpace,
}

struct ChunkResult {
    aggregates: Vec<RunAggregate>,
    joint: Vec<JointCounts>,
    milestone_joint: Vec<Vec<u64>>,
    escalation_differences: Vec<IntegerSums>,
    trials: u64,
}

/// Runs the trials of one chunk for every arm. With `given` (one set of
/// events per arm, compiled against its model), each arm's trial is first
/// run with only its tracker and counted in its aggregate only when it
/// satisfies every event; a pair is counted in the joint tables and the
/// differences only when both of its trials were kept.
fn run_chunk(
    arms: &[PairedArm],
    seed: u64,
    given: Option<&[EventSet]>,
    trials: Range<u64>,
) -> ChunkResult {
    let mut runners: Vec<TrialRunner> = arms
        .iter()
        .map(|a| TrialRunner::new(a.model, seed))
        .collect();
    let mut draws: Vec<ParameterDraws> = arms
        .iter()
        .map(|a| ParameterDraws::new(a.model, a.space, seed))
        .collect();
    // Trials that end early are recorded once and their steps filled in
    // when the chunk is assembled, below: a trial costs the same whatever
    // the horizon.
    let mut accumulators: Vec<Accumulator> =
        arms.iter().map(|a| Accumulator::new(a.model)).collect();
    let mut rows: Vec<Vec<u32>> = arms.iter().map(|a| vec![0; a.model.n_moves()]).collect();
    let mut joint = vec![JointCounts::default(); arms.len()];
    let mut outcomes = vec![Outcome::Deal; arms.len()];
    let mut escalation_differences = vec![IntegerSums::default(); arms.len()];
    let pairs: Vec<MilestonePairs> = arms
        .iter()
        .map(|a| MilestonePairs::new(arms[0].model, a.model))
        .collect();
    let mut milestone_joint: Vec<Vec<u64>> = pairs.iter().map(|p| vec![0; p.len()]).collect();
    let mut baseline_firsts = [None; MAX_NAMED_MILESTONES];
    let n = trials.end - trials.start;
    let mut trackers: Vec<_> = given
        .map(|sets| sets.iter().map(EventSet::tracker).collect())
        .unwrap_or_default();
    let mut kept = vec![true; arms.len()];
    for trial in trials {
        let mut baseline_escalation = 0;
        for k in 0..arms.len() {
            let row = &mut rows[k];
            row.fill(0);
            let acc = &mut accumulators[k];
            let coef = draws[k].coefficients(trial);
            if let Some(t) = trackers.get_mut(k) {
                runners[k].run(coef, trial, row, t);
                row.fill(0);
                kept[k] = t.all(0..t.len());
                if !kept[k] {
                    continue;
                }
            }
            let record = runners[k].run(coef, trial, row, &mut acc.aggregator());
            acc.add_moves(row);
            outcomes[k] = record.outcome;
            if k == 0 {
                baseline_escalation = record.escalation_total;
                for (slot, first) in baseline_firsts.iter_mut().zip(milestone_firsts(&record)) {
                    *slot = first;
                }
            }
            if kept[0] {
                pairs[k].add(&baseline_firsts, &record, &mut milestone_joint[k]);
                escalation_differences[k].add(record.escalation_total - baseline_escalation);
            }
        }
        for (k, table) in joint.iter_mut().enumerate() {
            if kept[0] && kept[k] {
                table.add(outcomes[0], outcomes[k]);
            }
        }
    }
    let mut scores = Vec::new();
    let aggregates = accumulators
        .iter_mut()
        .zip(arms)
        .map(|(acc, a)| {
            let mut agg = RunAggregate::new(a.model);
            acc.settle_into(&mut agg, &mut scores);
            fill_ended_scores(&mut agg, &mut scores);
            agg
        })
        .collect();
    ChunkResult {
        aggregates,
        joint,
        milestone_joint,
        escalation_differences,
        trials: n,
    }
}

/// Counts, for one arm against the baseline, the paired trials in which
/// both reached each of the baseline's milestones, by the later of the two
/// first steps (see [`MilestonePairing`]).
struct MilestonePairs {
    pairing: MilestonePairing,
    /// For each of the baseline's milestones, its index in the arm's list.
    arm_index: Vec<Option<usize>>,
}

impl MilestonePairs {
    fn new(baseline: &Model, arm: &Model) -> MilestonePairs {
        let pairing = MilestonePairing::new(baseline, arm);
        let arm_index = pairing.arm_index(baseline, arm);
        MilestonePairs { pairing, arm_index }
    }

    fn len(&self) -> usize {
        self.pairing.len()
    }

    #[inline]
    fn add(&self, baseline: &[Option<u32>], arm: &TrialRecord, counts: &mut [u64]) {
        let mut firsts = [None; MAX_NAMED_MILESTONES];
        for (slot, first) in firsts.iter_mut().zip(milestone_firsts(arm)) {
            *slot = first;
        }
        for (j, (&mine, index)) in baseline.iter().zip(&self.arm_index).enumerate() {
            if let (Some(a), Some(Some(b))) = (mine, index.map(|i| firsts[i])) {
                counts[self.pairing.cell(j, a.max(b))] += 1;
            }
        }
    }
}

/// Runs the trials of `plan` for every arm in lockstep, calling `progress`
/// with the number of trials done after each batch. Stops between batches
/// when `cancel` is set.
///
/// # Panics
///
/// If `arms` is empty.
pub fn simulate_paired(
    arms: &[PairedArm],
    plan: RunPlan,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<PairedSimulation> {
    simulate_paired_until(arms, plan, &|_| false, progress, cancel)
}

/// Like [`simulate_paired`], but checks `stop` on the joint tables after
/// every chunk, in trial order, and ends at the first chunk boundary where it
/// holds; the stopping point depends only on the counts.
///
/// # Panics
///
/// If `arms` is empty.
pub fn simulate_paired_until(
    arms: &[PairedArm],
    plan: RunPlan,
    stop: &dyn Fn(&[JointCounts]) -> bool,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<PairedSimulation> {
    simulate_paired_given(arms, plan, None, stop, progress, cancel)
}

/// Like [`simulate_paired_until`], each arm keeping only its trials that
/// satisfy every event of its set in `given` (one set per arm): each arm's
/// aggregate covers its kept trials, the joint tables and the escalation
/// differences the trial indices kept in both the first arm and the other.
///
/// # Panics
///
/// If `arms` is empty, or `given` has another number of sets than arms.
pub fn simulate_paired_given(
    arms: &[PairedArm],
    plan: RunPlan,
    given: Option<&[EventSet]>,
    stop: &dyn Fn(&[JointCounts]) -> bool,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<PairedSimulation> {
    assert!(
        given.is_none_or(|g| g.len() == arms.len()),
        "one set of events per arm"
    );
    assert!(!arms.is_empty(), "a paired run needs at least one scenario");
    let pool = crate::limits::thread_pool(plan.threads)?;
    let threads = pool.current_num_threads().max(1);
    let end = plan.first_trial + plan.trials;
    let chunks: Vec<Range<u64>> = (plan.first_trial..end)
        .step_by(CHUNK_TRIALS as usize)
        .map(|s| s..(s + CHUNK_TRIALS).min(end))
        .collect();
    let mut total = PairedSimulation {
        aggregates: arms.iter().map(|a| RunAggregate::new(a.model)).collect(),
        joint: vec![JointCounts::default(); arms.len()],
        milestone_joint: arms
            .iter()
            .map(|a| vec![0; MilestonePairs::new(arms[0].model, a.model).len()])
            .collect(),
        escalation_differences: vec![IntegerSums::default(); arms.len()],
        completed: 0,
        cancelled: false,
        stopped: false,
    };
    for batch in chunks.chunks(threads * 4) {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            total.cancelled = true;
            return Ok(total);
        }
        let results: Vec<ChunkResult> = pool.install(|| {
            batch
                .par_iter()
                .map(|r| run_chunk(arms, plan.seed, given, r.clone()))
                .collect()
        });
        // Chunk order; the sums are integers, so any order would agree.
        for r in &results {
            for (t, a) in total.aggregates.iter_mut().zip(&r.aggregates) {
                t.merge(a);
            }
            for (t, j) in total.joint.iter_mut().zip(&r.joint) {
                t.merge(j);
            }
            for (t, j) in total.milestone_joint.iter_mut().zip(&r.milestone_joint) {
                for (a, b) in t.iter_mut().zip(j) {
                    *a += b;
                }
            }
            for (t, d) in total
                .escalation_differences
                .iter_mut()
                .zip(&r.escalation_differences)
            {
                t.merge(d);
            }
            total.completed += r.trials;
            if stop(&total.joint) {
                total.stopped = true;
                progress(total.completed);
                return Ok(total);
            }
        }
        progress(total.completed);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::simulate;

    fn baseline() -> Model {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/muscat-2026.toml");
        let (s, _) = crate::scenario::load(std::path::Path::new(path)).unwrap();
        Model::compile(&s)
    }

    #[test]
    fn each_arm_matches_a_plain_run_of_the_same_trials() {
        let m = baseline();
        let space = ParamSpace::of(&m);
        let plan = RunPlan {
            seed: 11,
            first_trial: 0,
            trials: 1500,
            threads: 2,
        };
        let arm = PairedArm {
            model: &m,
            space: &space,
        };
        let paired = simulate_paired(&[arm, arm], plan, &mut |_| {}, None).unwrap();
        let plain = simulate(&m, &space, plan, &mut (), &mut |_| {}, None).unwrap();
        assert_eq!(paired.aggregates[0], plain.aggregate);
        assert_eq!(paired.aggregates[1], plain.aggregate);
        // The same scenario twice: every pair agrees.
        let j = &paired.joint[1];
        let off_diagonal: u64 = Outcome::ALL
            .into_iter()
            .flat_map(|a| Outcome::ALL.into_iter().map(move |b| (a, b)))
            .filter(|(a, b)| a != b)
            .map(|(a, b)| j.get(a, b))
            .sum();
        assert_eq!(off_diagonal, 0);
        assert_eq!(j.total(), 1500);
        let same = paired.escalation_differences[1];
        assert_eq!((same.n, same.sum, same.sq_sum), (1500, 0, 0));
        assert_eq!(paired.completed, 1500);
    }

    #[test]
    fn results_do_not_depend_on_threads() {
        let m = baseline();
        let space = ParamSpace::of(&m);
        let arm = PairedArm {
            model: &m,
            space: &space,
        };
        let run = |threads| {
            let plan = RunPlan {
                seed: 5,
                first_trial: 0,
                trials: 2100,
                threads,
            };
            simulate_paired(&[arm, arm], plan, &mut |_| {}, None).unwrap()
        };
        assert_eq!(run(1), run(2));
    }
}
