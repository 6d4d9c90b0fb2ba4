//! What a run remembers of its trials: integer counts and fixed-point sums
//! only, so that aggregates of any split of the trials add up to exactly the
//! same numbers, in any order, on any machine.

use serde::{Deserialize, Serialize};

use crate::model::{Model, milestone_firsts, milestone_names};
use crate::observe::{StepView, TrialObserver, TrialRecord};
use crate::world::{N_OUTCOMES, N_RUNGS, Outcome, PerOutcome, Var};

use super::mean::IntegerSums;

/// Variables whose per-step means are kept.
pub const TRACKED_VARS: [Var; 4] = [
    Var::TRUST,
    Var::TALKS_PROGRESS,
    Var::STOCKPILE,
    Var::SANCTIONS,
];

/// Fixed-point scale of tracked variable sums.
const FIXED_POINT: f64 = 1e9;

/// Bins per step of the cumulative escalation histogram.
const ESCALATION_BINS: usize = 512;

/// Layout of the per-step cumulative escalation histograms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationBins {
    /// Lowest possible score per step.
    pub step_min: i64,
    /// Highest possible score per step.
    pub step_max: i64,
    /// Bins per step.
    pub bins: usize,
}

impl EscalationBins {
    /// The layout for a model: the possible range of a step's score.
    pub fn for_model(m: &Model) -> Self {
        let mut lo = 0i64;
        let mut hi = 0i64;
        for (i, a) in m.actors.iter().enumerate() {
            let scores = (a.moves.start..a.moves.end)
                .map(|j| i64::from(m.actions[m.moves[j as usize].action as usize].escalation));
            // Its own choice, a forced addition, a reaction: each one of its moves.
            let added = m.events.iter().any(|e| {
                matches!(e, crate::model::EventModel::Force { actor, add: true, .. } if usize::from(*actor) == i)
            });
            let actions = 1 + i64::from(added) + i64::from(!a.reactions.is_empty());
            lo += actions * scores.clone().min().unwrap_or(0).min(0);
            hi += actions * scores.max().unwrap_or(0).max(0);
        }
        Self {
            step_min: lo,
            step_max: hi,
            bins: ESCALATION_BINS,
        }
    }

    /// (lowest value, bin width) at step `t`.
    pub fn layout(&self, t: u32) -> (i64, i64) {
        let t = i64::from(t);
        let lo = t * self.step_min;
        let span = t * (self.step_max - self.step_min) + 1;
        let width = (span + self.bins as i64 - 1) / self.bins as i64;
        (lo, width.max(1))
    }

    /// The bin of cumulative score `value` at step `t`.
    pub fn bin(&self, t: u32, value: i64) -> usize {
        let (lo, width) = self.layout(t);
        (((value - lo) / width).max(0) as usize).min(self.bins - 1)
    }
}

/// Aggregates of a set of trials. Serialised (as JSON integers) into shard
/// results and checkpoints, from which they are merged exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunAggregate {
    /// Steps per trial.
    pub horizon: u32,
    /// Number of actor-action moves.
    pub n_moves: usize,
    /// Trials aggregated.
    pub trials: u64,
    /// Trials per outcome.
    pub outcome_counts: PerOutcome<u64>,
    /// `[outcome * (horizon + 1) + step]`: trials ending in the outcome at the step.
    pub outcome_steps: Vec<u64>,
    /// Trials per highest rung reached.
    pub max_rung_counts: [u64; N_RUNGS],
    /// `[step * 6 + rung]`: trials on the rung at the end of the step (absorbed trials keep their final rung).
    pub rung_occupancy: Vec<u64>,
    /// `[step * bins + bin]`: trials by cumulative escalation score.
    pub escalation_hist: Vec<u64>,
    /// Histogram layout.
    pub escalation_bins: EscalationBins,
    /// `[step * TRACKED_VARS.len() + k]`: fixed-point sums of tracked variables.
    pub var_sums: Vec<i128>,
    /// Times each move was taken.
    pub move_counts: Vec<u64>,
    /// Trials that took each move at least once.
    pub move_trials: Vec<u64>,
    /// Total incidents.
    pub incidents: u64,
    /// Trial escalation totals: their count, sum and sum of squares.
    pub escalation: IntegerSums,
    /// `[milestone * (horizon + 1) + step]`: trials first reaching the
    /// milestone at the step, milestones in the order of
    /// [`crate::model::milestone_names`] (trials that never reach it are
    /// not counted).
    pub milestone_steps: Vec<u64>,
}

impl RunAggregate {
    /// Empty aggregates for a model.
    pub fn new(m: &Model) -> Self {
        let steps = m.horizon as usize + 1;
        let bins = EscalationBins::for_model(m);
        Self {
            horizon: m.horizon,
            n_moves: m.moves.len(),
            trials: 0,
            outcome_counts: PerOutcome::splat(0),
            outcome_steps: vec![0; N_OUTCOMES * steps],
            max_rung_counts: [0; N_RUNGS],
            rung_occupancy: vec![0; steps * N_RUNGS],
            escalation_hist: vec![0; steps * bins.bins],
            escalation_bins: bins,
            var_sums: vec![0; steps * TRACKED_VARS.len()],
            move_counts: vec![0; m.moves.len()],
            move_trials: vec![0; m.moves.len()],
            incidents: 0,
            escalation: IntegerSums::default(),
            milestone_steps: vec![0; milestone_names(m).len() * steps],
        }
    }

    /// Adds another aggregate of the same model.
    pub fn merge(&mut self, o: &RunAggregate) {
        assert_eq!(
            (self.horizon, self.n_moves, self.escalation_bins),
            (o.horizon, o.n_moves, o.escalation_bins),
            "aggregates of different models"
        );
        self.trials += o.trials;
        add(self.outcome_counts.values_mut(), o.outcome_counts.values());
        add(&mut self.outcome_steps, &o.outcome_steps);
        add(&mut self.max_rung_counts, &o.max_rung_counts);
        add(&mut self.rung_occupancy, &o.rung_occupancy);
        add(&mut self.escalation_hist, &o.escalation_hist);
        for (a, b) in self.var_sums.iter_mut().zip(&o.var_sums) {
            *a += b;
        }
        add(&mut self.move_counts, &o.move_counts);
        add(&mut self.move_trials, &o.move_trials);
        self.incidents += o.incidents;
        self.escalation.merge(&o.escalation);
        add(&mut self.milestone_steps, &o.milestone_steps);
    }

    /// Takes away another aggregate of the same model, added before (an
    /// exact inverse of [`RunAggregate::merge`]: every field is an integer).
    pub fn subtract(&mut self, o: &RunAggregate) {
        assert_eq!(
            (self.horizon, self.n_moves, self.escalation_bins),
            (o.horizon, o.n_moves, o.escalation_bins),
            "aggregates of different models"
        );
        self.trials -= o.trials;
        sub(self.outcome_counts.values_mut(), o.outcome_counts.values());
        sub(&mut self.outcome_steps, &o.outcome_steps);
        sub(&mut self.max_rung_counts, &o.max_rung_counts);
        sub(&mut self.rung_occupancy, &o.rung_occupancy);
        sub(&mut self.escalation_hist, &o.escalation_hist);
        for (a, b) in self.var_sums.iter_mut().zip(&o.var_sums) {
            *a -= b;
        }
        sub(&mut self.move_counts, &o.move_counts);
        sub(&mut self.move_trials, &o.move_trials);
        self.incidents -= o.incidents;
        self.escalation.n -= o.escalation.n;
        self.escalation.sum -= o.escalation.sum;
        self.escalation.sq_sum -= o.escalation.sq_sum;
        sub(&mut self.milestone_steps, &o.milestone_steps);
    }

    /// True when `o` has the layout of `self` (same horizon, moves, bins and
    /// table sizes), so that [`RunAggregate::merge`] can add them. Aggregates
    /// read from files are checked with this before they are merged.
    pub fn same_shape(&self, o: &RunAggregate) -> bool {
        (self.horizon, self.n_moves, self.escalation_bins)
            == (o.horizon, o.n_moves, o.escalation_bins)
            && self.outcome_steps.len() == o.outcome_steps.len()
            && self.rung_occupancy.len() == o.rung_occupancy.len()
            && self.escalation_hist.len() == o.escalation_hist.len()
            && self.var_sums.len() == o.var_sums.len()
            && self.move_counts.len() == o.move_counts.len()
            && self.move_trials.len() == o.move_trials.len()
            && self.milestone_steps.len() == o.milestone_steps.len()
    }

    /// Records a finished trial's moves (its counts row).
    pub fn add_moves(&mut self, counts: &[u32]) {
        for (j, &c) in counts.iter().enumerate() {
            self.move_counts[j] += u64::from(c);
            self.move_trials[j] += u64::from(c > 0);
        }
    }

    /// Percentile `q` (0..1) of the cumulative escalation score at step `t`,
    /// as the middle of the histogram bin that holds it.
    pub fn escalation_percentile(&self, t: u32, q: f64) -> f64 {
        let bins = self.escalation_bins.bins;
        let row = &self.escalation_hist[t as usize * bins..(t as usize + 1) * bins];
        let total: u64 = row.iter().sum();
        if total == 0 {
            return 0.0;
        }
        let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
        let mut acc = 0;
        let (lo, width) = self.escalation_bins.layout(t);
        for (b, &c) in row.iter().enumerate() {
            acc += c;
            if acc >= rank {
                return (lo + b as i64 * width) as f64 + (width - 1) as f64 / 2.0;
            }
        }
        (lo + (bins as i64 - 1) * width) as f64
    }

    /// Mean of tracked variable `k` at step `t`.
    pub fn var_mean(&self, t: u32, k: usize) -> f64 {
        if self.trials == 0 {
            return 0.0;
        }
        let s = self.var_sums[t as usize * TRACKED_VARS.len() + k];
        s as f64 / FIXED_POINT / self.trials as f64
    }

    /// Number of milestones counted.
    pub fn n_milestones(&self) -> usize {
        self.milestone_steps.len() / (self.horizon as usize + 1)
    }

    /// Trials first reaching milestone `k` (in the order of
    /// [`crate::model::milestone_names`]) at each step `0..=horizon`.
    pub fn milestone_step_row(&self, k: usize) -> &[u64] {
        let steps = self.horizon as usize + 1;
        &self.milestone_steps[k * steps..(k + 1) * steps]
    }

    /// Trials ending in outcome `o` at each step `0..=horizon`.
    pub fn outcome_step_row(&self, o: Outcome) -> &[u64] {
        let steps = self.horizon as usize + 1;
        &self.outcome_steps[o.index() * steps..(o.index() + 1) * steps]
    }
}

/// A tracked variable's value as summed: fixed point, in billionths.
pub fn fixed_point(v: f64) -> i128 {
    i128::from((v * FIXED_POINT).round() as i64)
}

fn add(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

fn sub(a: &mut [u64], b: &[u64]) {
    for (x, y) in a.iter_mut().zip(b) {
        *x -= y;
    }
}

/// The trials kept so far and their outcomes: what a stopping rule sees,
/// in trial order, after every chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Trials kept.
    pub trials: u64,
    /// Trials per outcome.
    pub outcome_counts: PerOutcome<u64>,
}

impl Tally {
    /// No trials.
    pub fn new() -> Self {
        Self {
            trials: 0,
            outcome_counts: PerOutcome::splat(0),
        }
    }

    /// Counts one more trial.
    pub fn add(&mut self, r: &TrialRecord) {
        self.trials += 1;
        self.outcome_counts[r.outcome] += 1;
    }
}

impl Default for Tally {
    fn default() -> Self {
        Self::new()
    }
}

/// What the trials that ended before the horizon still owe the per-step
/// tables, recorded once at each trial's end instead of step by step up to
/// the horizon. [`crate::stats::accumulator::Accumulator`] fills the steps
/// in when it settles; the counts are the same integers as step by step.
#[derive(Debug, Clone)]
pub struct EndedTrials {
    /// `[step * N_RUNGS + rung]`: trials whose fill starts at the step (the
    /// step after their end) on the rung.
    pub rungs: Vec<u64>,
    /// `[step * TRACKED_VARS.len() + k]`: the same trials' fixed-point values.
    pub vars: Vec<i128>,
    /// (end step, cumulative escalation score) of each such trial, in no
    /// particular order.
    pub scores: Vec<(u32, i64)>,
    /// Highest step a trial reached (rows of the live tables written).
    pub reach: u32,
    /// Lowest step at which a fill starts (`horizon + 1` when none).
    pub first: u32,
}

impl EndedTrials {
    /// Nothing owed, for a horizon of `horizon` steps.
    pub fn new(horizon: u32) -> Self {
        let steps = horizon as usize + 1;
        Self {
            rungs: vec![0; steps * N_RUNGS],
            vars: vec![0; steps * TRACKED_VARS.len()],
            scores: Vec::with_capacity(4 * 1024),
            reach: 0,
            first: horizon + 1,
        }
    }
}

/// Observes trials and adds them to a [`RunAggregate`]. Absorbed trials
/// keep their last state for the remaining steps: either filled in at once,
/// step by step ([`Aggregator::new`], the reference), or recorded once in
/// [`EndedTrials`] and filled in later ([`Aggregator::deferred`]).
#[derive(Debug)]
pub struct Aggregator<'a> {
    agg: &'a mut RunAggregate,
    ended: Option<&'a mut EndedTrials>,
    last_step: u32,
    last_rung: u8,
    last_cumulative: i64,
    last_fixed: [i128; TRACKED_VARS.len()],
}

impl<'a> Aggregator<'a> {
    /// Adds trials to `agg`, each filled in up to the horizon at its end.
    pub fn new(agg: &'a mut RunAggregate) -> Self {
        Self {
            agg,
            ended: None,
            last_step: 0,
            last_rung: 0,
            last_cumulative: 0,
            last_fixed: [0; TRACKED_VARS.len()],
        }
    }

    /// Adds trials to `agg`, except the steps after each trial's end, which
    /// are recorded once in `ended`: the cost of a trial then does not grow
    /// with the horizon.
    pub fn deferred(agg: &'a mut RunAggregate, ended: &'a mut EndedTrials) -> Self {
        Self {
            ended: Some(ended),
            ..Self::new(agg)
        }
    }

    fn record(&mut self, t: u32) {
        let a = &mut *self.agg;
        a.rung_occupancy[t as usize * N_RUNGS + self.last_rung as usize] += 1;
        let b = a.escalation_bins.bin(t, self.last_cumulative);
        a.escalation_hist[t as usize * a.escalation_bins.bins + b] += 1;
        let base = t as usize * TRACKED_VARS.len();
        for (k, v) in self.last_fixed.iter().enumerate() {
            a.var_sums[base + k] += v;
        }
    }

    fn remember(&mut self, view: &StepView) {
        self.last_step = view.step;
        self.last_rung = view.rung;
        self.last_cumulative = view.cumulative_escalation;
        for (k, var) in TRACKED_VARS.iter().enumerate() {
            self.last_fixed[k] = fixed_point(view.vars[var.index()]);
        }
    }

    /// Fills the steps after the trial's end, or records them as owed.
    fn fill(&mut self) {
        let horizon = self.agg.horizon;
        let Some(e) = self.ended.as_deref_mut() else {
            for t in self.last_step + 1..=horizon {
                self.record(t);
            }
            return;
        };
        e.reach = e.reach.max(self.last_step);
        if self.last_step >= horizon {
            return;
        }
        let start = self.last_step + 1;
        e.first = e.first.min(start);
        e.rungs[start as usize * N_RUNGS + self.last_rung as usize] += 1;
        let base = start as usize * TRACKED_VARS.len();
        for (k, v) in self.last_fixed.iter().enumerate() {
            e.vars[base + k] += v;
        }
        e.scores.push((self.last_step, self.last_cumulative));
    }
}

impl TrialObserver for Aggregator<'_> {
    fn on_start(&mut self, view: &StepView) {
        self.remember(view);
        self.record(0);
    }

    fn on_step(&mut self, view: &StepView) {
        self.remember(view);
        self.record(view.step);
    }

    fn on_end(&mut self, r: &TrialRecord) {
        self.fill();
        let a = &mut *self.agg;
        a.trials += 1;
        a.outcome_counts[r.outcome] += 1;
        a.outcome_steps[r.outcome.index() * (a.horizon as usize + 1) + r.outcome_step as usize] +=
            1;
        a.max_rung_counts[r.max_rung as usize] += 1;
        a.incidents += u64::from(r.incidents);
        a.escalation.add(r.escalation_total);
        let steps = a.horizon as usize + 1;
        let n = a.milestone_steps.len() / steps;
        for (k, first) in milestone_firsts(r).take(n).enumerate() {
            if let Some(t) = first {
                a.milestone_steps[k * steps + (t as usize).min(steps - 1)] += 1;
            }
        }
    }
}
