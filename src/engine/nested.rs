//! The nested design behind the spread over assumptions: `K` assumption
//! draws, `M` trials under each.
//!
//! Draw `k` takes the uncertain parameters' values from the same streams as
//! trial `k` of the main run ([`ParameterDraws::assumption_draw`]), so the
//! draws are the first `K` rows' `p_<path>` values of `trials.csv`. The
//! trials under the draws use their own master seed, [`nested_seed`] of the
//! run's seed, and trial `j` of draw `k` is trial `k·M + j` of that seed: the
//! design never reuses a main trial's random numbers, and it is the same for
//! any number of threads (draws run in parallel; each draw's trials run in
//! order on one thread and only its hit counts leave it).
//!
//! What is counted is up to the caller: a [`NestedFigures`] makes one
//! [`FigureObserver`] per worker, which watches each trial like any
//! [`TrialObserver`] and then adds one to the hit count of every figure
//! that held. [`RecordFigures`] wraps a plain function of the
//! [`TrialRecord`].

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::model::Model;
use crate::observe::{StepView, TrialObserver, TrialRecord};
use crate::stats::spread::AssumptionSpread;

use super::draws::{ParamSpace, ParameterDraws};
use super::trial::TrialRunner;

/// Default number of assumption draws (`--assumption-draws`).
pub const DEFAULT_DRAWS: u64 = 100;
/// Default number of trials per draw (`--trials-per-draw`).
pub const DEFAULT_TRIALS_PER_DRAW: u64 = 200;

/// The master seed of the nested trials of a run with master seed `seed`:
/// SplitMix64 of `seed` XOR the ASCII bytes of `nested` (`0x6e6573746564`).
/// Any other seed gives unrelated ChaCha8 streams, so the nested trials are
/// independent of the main ones.
pub fn nested_seed(seed: u64) -> u64 {
    let mut z = (seed ^ 0x6e65_7374_6564).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The size of a nested design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NestedPlan {
    /// The run's master seed (draws use it; trials use [`nested_seed`] of it).
    pub seed: u64,
    /// Assumption draws `K`.
    pub draws: u64,
    /// Trials per draw `M`.
    pub trials_per_draw: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
}

/// Watches the trials of one worker and counts the figures that hold.
pub trait FigureObserver: TrialObserver {
    /// Called after [`TrialObserver::on_end`]: adds one to `hits[f]` for
    /// every figure `f` that held in the trial just ended.
    fn tally(&mut self, record: &TrialRecord, hits: &mut [u64]);
}

/// The per-trial binary figures a nested design counts.
pub trait NestedFigures: Sync {
    /// Number of figures.
    fn count(&self) -> usize;
    /// A fresh observer for one worker; it is reused for many trials, so it
    /// must reset what it keeps in [`TrialObserver::on_start`].
    fn observer(&self) -> Box<dyn FigureObserver + '_>;
}

/// Figures that are functions of a trial's record alone: `tally(record,
/// hits)` adds one to `hits[f]` for every figure `f` that holds.
pub struct RecordFigures<F> {
    count: usize,
    tally: F,
}

impl<F: Fn(&TrialRecord, &mut [u64]) + Sync> RecordFigures<F> {
    /// `count` figures counted by `tally`.
    pub fn new(count: usize, tally: F) -> Self {
        Self { count, tally }
    }
}

struct RecordObserver<'a, F>(&'a F);

impl<F> TrialObserver for RecordObserver<'_, F> {}

impl<F: Fn(&TrialRecord, &mut [u64])> FigureObserver for RecordObserver<'_, F> {
    fn tally(&mut self, record: &TrialRecord, hits: &mut [u64]) {
        (self.0)(record, hits);
    }
}

impl<F: Fn(&TrialRecord, &mut [u64]) + Sync> NestedFigures for RecordFigures<F> {
    fn count(&self) -> usize {
        self.count
    }

    fn observer(&self) -> Box<dyn FigureObserver + '_> {
        Box::new(RecordObserver(&self.tally))
    }
}

/// Lends a boxed figure observer to the trial runner.
struct Lend<'a, 'b>(&'a mut (dyn FigureObserver + 'b));

impl TrialObserver for Lend<'_, '_> {
    fn on_start(&mut self, view: &StepView) {
        self.0.on_start(view);
    }
    fn on_step(&mut self, view: &StepView) {
        self.0.on_step(view);
    }
    fn on_end(&mut self, record: &TrialRecord) {
        self.0.on_end(record);
    }
}

/// What a nested design counted.
#[derive(Debug, Clone, PartialEq)]
pub struct NestedResult {
    /// Assumption draws run.
    pub draws: u64,
    /// Trials per draw.
    pub trials_per_draw: u64,
    /// Number of figures.
    pub figures: usize,
    /// Hit counts, `[draw * figures + figure]`.
    pub hits: Vec<u64>,
    /// The values drawn, `[draw * uncertain + k]` in the order of
    /// `ParamSpace::uncertain`.
    pub params: Vec<f64>,
    /// True when stopped by the cancel flag (the counts are then incomplete).
    pub cancelled: bool,
}

impl NestedResult {
    /// Figure `f`'s hit count in every draw, in draw order.
    pub fn hits_of(&self, f: usize) -> Vec<u64> {
        (0..self.draws as usize)
            .map(|k| self.hits[k * self.figures + f])
            .collect()
    }

    /// Figure `f`'s spread over the assumption draws.
    pub fn spread(&self, f: usize) -> AssumptionSpread {
        AssumptionSpread::estimate(&self.hits_of(f), self.trials_per_draw)
    }
}

/// Per-worker state, reused across draws.
struct Worker<'m, 'f> {
    runner: TrialRunner<'m>,
    draws: ParameterDraws<'m>,
    observer: Box<dyn FigureObserver + 'f>,
    counts: Vec<u32>,
}

/// Runs the nested design `plan` over the parameter `space` of `model`,
/// counting `figures`. Checks `cancel` before every draw; a cancelled
/// design says so and its counts are not to be used.
pub fn simulate_nested(
    model: &Model,
    space: &ParamSpace,
    plan: NestedPlan,
    figures: &dyn NestedFigures,
    cancel: Option<&AtomicBool>,
) -> io::Result<NestedResult> {
    let m = plan.trials_per_draw;
    plan.draws
        .checked_mul(m)
        .ok_or_else(|| io::Error::other("assumption draws × trials per draw beyond 2^64"))?;
    let pool = crate::limits::thread_pool(plan.threads)?;
    let n_fig = figures.count();
    let trial_seed = nested_seed(plan.seed);
    let is_set = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
    let per_draw: Vec<Option<(Vec<u64>, Vec<f64>)>> = pool.install(|| {
        (0..plan.draws)
            .into_par_iter()
            .map_init(
                || Worker {
                    runner: TrialRunner::new(model, trial_seed),
                    draws: ParameterDraws::new(model, space, plan.seed),
                    observer: figures.observer(),
                    counts: vec![0; model.moves.len()],
                },
                |w, k| {
                    if is_set() {
                        return None;
                    }
                    let mut hits = vec![0u64; n_fig];
                    let coef = w.draws.assumption_draw(k);
                    for j in 0..m {
                        w.counts.fill(0);
                        let record = w.runner.run(
                            coef,
                            k * m + j,
                            &mut w.counts,
                            &mut Lend(&mut *w.observer),
                        );
                        w.observer.tally(&record, &mut hits);
                    }
                    Some((hits, w.draws.drawn().to_vec()))
                },
            )
            .collect()
    });
    let cancelled = per_draw.iter().any(Option::is_none);
    let mut hits = Vec::with_capacity(per_draw.len() * n_fig);
    let mut params = Vec::with_capacity(per_draw.len() * space.uncertain.len());
    for (h, p) in per_draw.into_iter().flatten() {
        hits.extend(h);
        params.extend(p);
    }
    Ok(NestedResult {
        draws: plan.draws,
        trials_per_draw: m,
        figures: n_fig,
        hits,
        params,
        cancelled,
    })
}

/// The spread over assumptions of every figure of `figures`, in figure
/// order: the nested design `plan`, then [`AssumptionSpread::estimate`] per
/// figure. `None` when nothing in `space` is uncertain, when `plan` has no
/// draws or no trials, or when `cancel` stopped the design (callers check
/// their flag). This is the one call a command needs to give its figures
/// their spread.
pub fn assumption_spreads(
    model: &Model,
    space: &ParamSpace,
    plan: NestedPlan,
    figures: &dyn NestedFigures,
    cancel: Option<&AtomicBool>,
) -> io::Result<Option<Vec<AssumptionSpread>>> {
    if space.uncertain.is_empty() || plan.draws == 0 || plan.trials_per_draw == 0 {
        return Ok(None);
    }
    let result = simulate_nested(model, space, plan, figures, cancel)?;
    if result.cancelled {
        return Ok(None);
    }
    Ok(Some(
        (0..result.figures).map(|f| result.spread(f)).collect(),
    ))
}
