//! Stopping at the precision asked for: the run ends at the first chunk
//! boundary where the 95% Wilson interval of every outcome named (all by
//! default) is at most `half_width` either side of its estimate.

use serde::Serialize;

use crate::world::{Outcome, PerOutcome};

use super::aggregate::RunAggregate;
use super::paired::JointCounts;
use super::wilson::wilson95_half_width;

/// The precision a run should reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Precision {
    /// Largest acceptable half-width of a 95% interval (0.005 = half a point).
    pub half_width: f64,
    /// Outcomes whose intervals must reach it (empty: all).
    pub outcomes: Vec<Outcome>,
}

impl Precision {
    fn targets(&self) -> Vec<Outcome> {
        if self.outcomes.is_empty() {
            Outcome::ALL.to_vec()
        } else {
            self.outcomes.clone()
        }
    }

    /// The widest half-width among the targeted outcomes, from outcome
    /// counts of `n` trials.
    pub fn widest_counts(&self, counts: &PerOutcome<u64>, n: u64) -> f64 {
        self.targets()
            .iter()
            .map(|&o| wilson95_half_width(counts[o], n))
            .fold(0.0, f64::max)
    }

    /// Whether every targeted interval is narrow enough, from outcome counts.
    pub fn met_counts(&self, counts: &PerOutcome<u64>, n: u64) -> bool {
        n > 0 && self.widest_counts(counts, n) <= self.half_width
    }

    /// The widest half-width among the targeted outcomes.
    pub fn widest(&self, agg: &RunAggregate) -> f64 {
        self.widest_counts(&agg.outcome_counts, agg.trials)
    }

    /// Whether every targeted interval is narrow enough.
    pub fn met(&self, agg: &RunAggregate) -> bool {
        self.met_counts(&agg.outcome_counts, agg.trials)
    }

    /// The widest half-width of the paired differences against the first
    /// scenario (Tango score intervals), over every other scenario and targeted outcome.
    pub fn widest_paired(&self, joint: &[JointCounts]) -> f64 {
        let targets = self.targets();
        joint
            .iter()
            .skip(1)
            .flat_map(|j| {
                targets.iter().map(move |o| {
                    let (lo, hi) = j.outcome(*o).tango95();
                    (hi - lo) / 2.0
                })
            })
            .fold(0.0, f64::max)
    }

    /// Whether every paired difference is known to the precision asked for.
    pub fn met_paired(&self, joint: &[JointCounts]) -> bool {
        joint.first().is_some_and(|j| j.total() > 0) && self.widest_paired(joint) <= self.half_width
    }

    /// What to record about the stop of a paired run.
    pub fn report_paired(&self, joint: &[JointCounts], max_trials: u64, met: bool) -> Stopping {
        let trials = joint.first().map_or(0, JointCounts::total);
        Stopping {
            widest_half_width: self.widest_paired(joint),
            trials_used: trials,
            ..self.stopping(max_trials, met)
        }
    }

    fn stopping(&self, max_trials: u64, met: bool) -> Stopping {
        Stopping {
            target_half_width: self.half_width,
            outcomes: self.targets().iter().map(|o| o.key().to_string()).collect(),
            max_trials,
            trials_used: 0,
            target_met: met,
            reason: if met {
                "target met".into()
            } else {
                "max trials reached".into()
            },
            widest_half_width: 0.0,
        }
    }

    /// What to record about the stop.
    pub fn report(&self, agg: &RunAggregate, max_trials: u64, met: bool) -> Stopping {
        Stopping {
            widest_half_width: self.widest(agg),
            trials_used: agg.trials,
            ..self.stopping(max_trials, met)
        }
    }
}

/// How a precision-targeted run ended.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Stopping {
    /// The half-width asked for.
    pub target_half_width: f64,
    /// The outcomes it applied to.
    pub outcomes: Vec<String>,
    /// The most trials allowed.
    pub max_trials: u64,
    /// The trials run.
    pub trials_used: u64,
    /// Whether the target was met.
    pub target_met: bool,
    /// "target met" or "max trials reached".
    pub reason: String,
    /// The widest half-width reached.
    pub widest_half_width: f64,
}
