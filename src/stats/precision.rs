//! Stopping at the precision asked for: the run ends at the first chunk
//! boundary where the 95% Wilson interval of every outcome named (all by
//! default) is at most `half_width` either side of its estimate.

use serde::Serialize;

use crate::world::Outcome;

use super::aggregate::RunAggregate;
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

    /// The widest half-width among the targeted outcomes.
    pub fn widest(&self, agg: &RunAggregate) -> f64 {
        self.targets()
            .iter()
            .map(|o| wilson95_half_width(agg.outcome_counts[o.index()], agg.trials))
            .fold(0.0, f64::max)
    }

    /// Whether every targeted interval is narrow enough.
    pub fn met(&self, agg: &RunAggregate) -> bool {
        agg.trials > 0 && self.widest(agg) <= self.half_width
    }

    /// What to record about the stop.
    pub fn report(&self, agg: &RunAggregate, max_trials: u64, met: bool) -> Stopping {
        Stopping {
            target_half_width: self.half_width,
            outcomes: self.targets().iter().map(|o| o.key().to_string()).collect(),
            max_trials,
            trials_used: agg.trials,
            target_met: met,
            reason: if met {
                "target met".into()
            } else {
                "max trials reached".into()
            },
            widest_half_width: self.widest(agg),
        }
    }
}

/// How a precision-targeted run ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
