//! What an analysis measures at each design point: the probability of each
//! outcome and the mean escalation score. Outputs are chosen by variant,
//! never by label; the labels written to files derive from the variant.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::world::{N_OUTCOMES, Outcome};

use super::PointCounts;

/// One output of a sensitivity analysis (one set of Sobol indices).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnalysisOutput {
    /// The share of trials that end in the outcome.
    Probability(Outcome),
    /// The mean over trials of the summed escalation scores.
    MeanEscalation,
}

/// Number of analysis outputs: one probability per outcome, then the mean
/// escalation score.
pub const N_ANALYSIS_OUTPUTS: usize = N_OUTCOMES + 1;

impl AnalysisOutput {
    /// Every output in file order: the outcome probabilities in
    /// [`Outcome::ALL`] order, then the mean escalation score.
    pub const ALL: [AnalysisOutput; N_ANALYSIS_OUTPUTS] = {
        let mut all = [AnalysisOutput::MeanEscalation; N_ANALYSIS_OUTPUTS];
        let mut i = 0;
        while i < N_OUTCOMES {
            all[i] = AnalysisOutput::Probability(Outcome::ALL[i]);
            i += 1;
        }
        all
    };

    /// The label written to `sensitivity.json`, `sensitivity.csv` and the
    /// report: `P(regional war)`, `mean escalation score`.
    pub fn label(self) -> String {
        match self {
            AnalysisOutput::Probability(o) => format!("P({})", o.phrase()),
            AnalysisOutput::MeanEscalation => "mean escalation score".into(),
        }
    }

    /// True for outputs that are shares of trials (shown as percentages).
    pub fn is_probability(self) -> bool {
        match self {
            AnalysisOutput::Probability(_) => true,
            AnalysisOutput::MeanEscalation => false,
        }
    }

    /// The output's value at a design point with these counts (0 for an
    /// empty point).
    pub fn value(self, counts: &PointCounts) -> f64 {
        let n = counts.trials.max(1) as f64;
        match self {
            AnalysisOutput::Probability(o) => counts.outcomes[o] as f64 / n,
            AnalysisOutput::MeanEscalation => counts.escalation as f64 / n,
        }
    }
}

impl fmt::Display for AnalysisOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// Outputs are written by their label.
impl Serialize for AnalysisOutput {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_those_of_the_files() {
        let labels: Vec<String> = AnalysisOutput::ALL.iter().map(|o| o.label()).collect();
        assert_eq!(
            labels,
            [
                "P(deal)",
                "P(war, then settlement)",
                "P(war ended, no deal)",
                "P(war ongoing)",
                "P(limited strikes)",
                "P(breakout)",
                "P(standoff)",
                "P(talks ongoing)",
                "mean escalation score",
            ]
        );
        assert_eq!(
            serde_json::to_string(&AnalysisOutput::Probability(Outcome::Breakout)).unwrap(),
            "\"P(breakout)\""
        );
    }

    #[test]
    fn values_are_shares_and_the_mean_score() {
        let counts = PointCounts {
            trials: 8,
            outcomes: [1, 0, 0, 2, 0, 0, 5, 0].into(),
            escalation: 100,
        };
        assert_eq!(
            AnalysisOutput::Probability(Outcome::Deal).value(&counts),
            0.125
        );
        assert_eq!(
            AnalysisOutput::Probability(Outcome::Standoff).value(&counts),
            0.625
        );
        assert_eq!(AnalysisOutput::MeanEscalation.value(&counts), 12.5);
        assert!(AnalysisOutput::Probability(Outcome::Deal).is_probability());
        assert!(!AnalysisOutput::MeanEscalation.is_probability());
        let empty = PointCounts {
            trials: 0,
            outcomes: Default::default(),
            escalation: 0,
        };
        assert_eq!(AnalysisOutput::MeanEscalation.value(&empty), 0.0);
    }
}
