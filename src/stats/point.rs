//! The exact tallies of one design point of an analysis (a sweep value, a
//! Saltelli point): trials, outcomes and the summed escalation score.

use serde::{Deserialize, Serialize};

use crate::world::PerOutcome;

/// The integer tallies of the trials of one design point (see
/// `analysis::evaluate_counts`): what a design point stores in
/// shard results and checkpoints, so that its outputs are recomputed exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointCounts {
    /// Trials run.
    pub trials: u64,
    /// Trials per outcome.
    pub outcomes: PerOutcome<u64>,
    /// Sum of the trials' escalation scores.
    pub escalation: i128,
}
