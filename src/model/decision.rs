//! How an actor chooses among its moves: the decision rules of the compiled
//! model. The engine turns a rule into move weights in one place
//! (`engine::trial`, `TrialRunner::move_weights`), which both the trial
//! loop and `trace` use.

use super::Slot;

/// An actor's decision rule, with the parameter slots it reads.
#[derive(Debug, Clone, PartialEq)]
pub enum DecisionRule {
    /// Quantal response (logit): each open move gets the weight
    /// `exp(beta * (utility - best))`, closed moves 0, with the precision
    /// `beta` read from the actor's rationality.
    Logit {
        /// Slot of the rationality (the logit precision).
        rationality: Slot,
    },
    /// Stated probabilities: each move has its own probability whatever the
    /// state; a move whose action is closed means doing nothing.
    Fixed {
        /// Slot of the probability of each of the actor's moves, in move order.
        probabilities: Vec<Slot>,
    },
}

impl DecisionRule {
    /// The name used in scenario files (`policy = "logit"`).
    pub fn name(&self) -> &'static str {
        match self {
            DecisionRule::Logit { .. } => "logit",
            DecisionRule::Fixed { .. } => "fixed",
        }
    }
}
