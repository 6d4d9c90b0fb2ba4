//! Analyses that run a scenario many times under varied assumptions:
//! parameter sweeps, Sobol sensitivity analysis, and scenario discovery.

pub mod calibrate;
pub mod discovery;
pub mod experiment;
pub mod outputs;
pub mod sensitivity;
pub mod suite;
pub mod suite_fit;
pub mod suite_questions;
pub mod sweep;
pub mod targets;

use crate::model::{Model, Slot};
use crate::world::PerOutcome;

use crate::scenario::params::nearest;
pub use outputs::AnalysisOutput;

/// A parameter named on the command line that the scenario does not have,
/// or a value outside its valid range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  = hint: {h}")?;
        }
        Ok(())
    }
}

/// The slot of a parameter path such as `actors.us.rationality`; for an
/// unknown path, the error suggests at most
/// [`crate::scenario::params::MAX_SUGGESTIONS`] of the nearest slots.
/// Structural numbers (`actions.strike.escalation`) have no slot: see
/// [`crate::scenario::params`] and [`sweep::check_any`].
pub fn find_param(model: &Model, path: &str) -> Result<Slot, ParamError> {
    model.params.find(path).ok_or_else(|| {
        let names: Vec<&str> = model.params.paths.iter().map(String::as_str).collect();
        ParamError {
            message: format!("the scenario has no parameter `{path}`"),
            hint: Some(suggestions(path, &names)),
        }
    })
}

/// A hint naming at most five of `names` nearest to `path`, and where to
/// find them all.
pub fn suggestions(path: &str, names: &[&str]) -> String {
    let near = nearest(path, names);
    let list: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
    if list.is_empty() {
        "`brink params SCENARIO` lists every parameter".into()
    } else {
        format!(
            "did you mean {}? `brink params SCENARIO` lists every parameter",
            list.join(", ")
        )
    }
}

/// Checks that `value` is valid for `slot`.
pub fn check_value(model: &Model, slot: Slot, value: f64) -> Result<(), ParamError> {
    let (lo, hi) = model.params.bounds[slot as usize];
    if !value.is_finite() || value < lo || value > hi {
        return Err(ParamError {
            message: format!(
                "{value} is outside the valid range of `{}` ({lo} to {hi})",
                model.params.paths[slot as usize]
            ),
            hint: None,
        });
    }
    Ok(())
}

pub use crate::stats::point::PointCounts;

/// Runs trials `0..trials` of `model` with every parameter at `values` and
/// hands each record to `each` (common random numbers: trial `i` always uses
/// stream `i` of `seed`, whatever the values).
pub fn run_fixed(
    model: &Model,
    values: &[f64],
    seed: u64,
    trials: u64,
    mut each: impl FnMut(&crate::engine::TrialRecord),
) {
    let coef = crate::model::Coefficients::build(model, values);
    let mut runner = crate::engine::TrialRunner::new(model, seed);
    let mut counts = vec![0u32; model.n_moves()];
    for trial in 0..trials {
        counts.fill(0);
        each(&runner.run(&coef, trial, &mut counts, &mut ()));
    }
}

/// Runs `trials` trials of `model` with every parameter at `values` and
/// counts their outcomes.
pub fn evaluate_counts(model: &Model, values: &[f64], seed: u64, trials: u64) -> PointCounts {
    let mut outcomes = PerOutcome::splat(0u64);
    let mut escalation: i128 = 0;
    run_fixed(model, values, seed, trials, |r| {
        outcomes[r.outcome] += 1;
        escalation += i128::from(r.escalation_total);
    });
    PointCounts {
        trials,
        outcomes,
        escalation,
    }
}
