//! Which events of a set a trial satisfies, watched as the trial runs:
//! state clauses from each step's view, milestone clauses from the trial's
//! record at its end. A trial that ended early keeps its last state for the
//! remaining steps. The tracker holds a fixed state per clause and
//! allocates nothing per trial.

use super::compile::{Event, Pred, Steps, Test};
use crate::observe::{StepView, TrialObserver, TrialRecord};

/// A compiled list of events, evaluated together by one [`Tracker`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventSet {
    events: Vec<Event>,
    horizon: u32,
}

impl EventSet {
    /// The events of `events`, for trials of `horizon` steps.
    pub fn new(events: Vec<Event>, horizon: u32) -> EventSet {
        EventSet { events, horizon }
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// True when there are no events.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The events, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// A tracker for these events (allocated once, reused for every trial).
    pub fn tracker(&self) -> Tracker<'_> {
        let clauses = self.events.iter().map(|e| e.clauses.len()).sum();
        Tracker {
            set: self,
            clauses: vec![ClauseState::default(); clauses],
            holds: vec![false; self.events.len()],
        }
    }
}

/// What a tracker keeps of one state clause while a trial runs.
#[derive(Debug, Clone, Copy, Default)]
struct ClauseState {
    /// The clause's window has been satisfied.
    ok: bool,
    /// The current run of steps (from step 1) at which the state held.
    run: u32,
    /// The state at the last step seen.
    last: bool,
    /// The last step seen.
    step: u32,
}

/// Watches a trial and tells, after its end, which events of its set hold.
#[derive(Debug, Clone)]
pub struct Tracker<'a> {
    set: &'a EventSet,
    clauses: Vec<ClauseState>,
    holds: Vec<bool>,
}

fn pred_holds(p: Pred, v: &StepView<'_>) -> bool {
    match p {
        Pred::Rung(c, n) => c.test(i64::from(v.rung), n),
        Pred::Talks(active) => v.talks_active == active,
        Pred::War => v.war_open,
        Pred::Ceasefire => v.ceasefire,
        Pred::Var(k, c, x) => c.test(v.vars[k], x),
    }
}

/// Advances one state clause by the state `now` at step `t`.
fn advance(s: &mut ClauseState, steps: Steps, t: u32, now: bool) {
    match steps {
        Steps::At(a) => {
            if t == a {
                s.ok = now;
            }
        }
        Steps::By(b) => {
            if t <= b && now {
                s.ok = true;
            }
        }
        Steps::For { n, by } => {
            if t >= 1 && t <= by {
                s.run = if now { s.run + 1 } else { 0 };
                if s.run >= n {
                    s.ok = true;
                }
            }
        }
    }
    s.last = now;
    s.step = t;
}

/// Fills the steps after `s.step` up to `horizon` with the last state, in
/// constant time.
fn fill(s: &mut ClauseState, steps: Steps, horizon: u32) {
    if s.step >= horizon {
        return;
    }
    let after = s.step;
    match steps {
        Steps::At(a) => {
            if a > after {
                s.ok = s.last;
            }
        }
        Steps::By(b) => {
            if b > after && s.last {
                s.ok = true;
            }
        }
        Steps::For { n, by } => {
            if s.last && by > after {
                // Steps after + 1 ..= by all hold: the run goes on.
                if s.run + (by - after) >= n {
                    s.ok = true;
                }
            }
        }
    }
}

impl Tracker<'_> {
    /// Whether event `k` of the set held in the last trial observed.
    pub fn holds(&self, k: usize) -> bool {
        self.holds[k]
    }

    /// Number of events watched.
    pub fn len(&self) -> usize {
        self.holds.len()
    }

    /// True when no event is watched.
    pub fn is_empty(&self) -> bool {
        self.holds.is_empty()
    }

    /// Whether every event of `range` held in the last trial observed.
    pub fn all(&self, range: std::ops::Range<usize>) -> bool {
        self.holds[range].iter().all(|&h| h)
    }

    fn on_view(&mut self, v: &StepView<'_>) {
        let mut k = 0;
        for e in &self.set.events {
            for c in &e.clauses {
                if let Test::State(p, steps) = c.test {
                    advance(&mut self.clauses[k], steps, v.step, pred_holds(p, v));
                }
                k += 1;
            }
        }
    }
}

impl TrialObserver for Tracker<'_> {
    fn on_start(&mut self, view: &StepView) {
        self.clauses.fill(ClauseState::default());
        self.holds.fill(false);
        self.on_view(view);
    }

    fn on_step(&mut self, view: &StepView) {
        self.on_view(view);
    }

    fn on_end(&mut self, record: &TrialRecord) {
        let horizon = self.set.horizon;
        let mut k = 0;
        for (e, hold) in self.set.events.iter().zip(self.holds.iter_mut()) {
            let mut all = true;
            for c in &e.clauses {
                let s = &mut self.clauses[k];
                k += 1;
                let passed = match c.test {
                    Test::Milestone(source, t) => {
                        let step = match source {
                            super::compile::Source::Milestone(m) => record.milestones[m],
                            super::compile::Source::FirstStrike => record.first_strike_step,
                            super::compile::Source::Breakout => record.breakout_step,
                        };
                        t.passes(step)
                    }
                    Test::State(_, steps) => {
                        fill(s, steps, horizon);
                        s.ok
                    }
                };
                all &= passed != c.negated;
            }
            *hold = all;
        }
    }
}
