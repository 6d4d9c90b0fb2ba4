//! `sweep`: one parameter over a range of values, every point run with the
//! same trial streams (common random numbers), so differences between points
//! come from the parameter, not from sampling noise.

use serde::Serialize;

use crate::engine::ParamSpace;
use crate::model::{Model, Slot};
use crate::scenario::{Scenario, params};
use crate::stats::summary::{OutcomeSummary, ScenarioInfo};
use crate::stats::{RunAggregate, Summary};

use super::{ParamError, check_value, find_param};

/// One point of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The parameter's value.
    pub value: f64,
    /// Outcome probabilities with 95% intervals.
    pub outcomes: Vec<OutcomeSummary>,
    /// Mean summed escalation score.
    pub escalation_mean: f64,
    /// 95% interval of that mean.
    pub escalation_ci95: [f64; 2],
}

/// A finished sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    /// Program version.
    pub brink_version: String,
    /// Scenario.
    pub scenario: ScenarioInfo,
    /// Parameter swept.
    pub parameter: String,
    /// Master seed.
    pub seed: u64,
    /// Trials per point.
    pub trials: u64,
    /// Other uncertain parameters still drawn per trial.
    pub uncertain: Vec<String>,
    /// Points in the order given.
    pub points: Vec<SweepPoint>,
}

/// `x` rounded to 12 significant digits by exact decimal rounding, so
/// that computed values read as written (1.2, not 1.2000000000000002).
pub fn snap(x: f64) -> f64 {
    format!("{x:.11e}").parse::<f64>().unwrap_or(x)
}

/// Values `lo..=hi` in `n` equal steps, rounded to 12 significant digits so
/// that `0:1.6:5` gives 1.2, not 1.2000000000000002.
pub fn range_values(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    match n {
        0 => Vec::new(),
        1 => vec![lo],
        _ => (0..n)
            .map(|k| snap(lo + (hi - lo) * k as f64 / (n - 1) as f64))
            .collect(),
    }
}

/// Checks the parameter and values before anything runs.
pub fn check(model: &Model, parameter: &str, values: &[f64]) -> Result<u32, ParamError> {
    let slot = find_param(model, parameter)?;
    if values.is_empty() {
        return Err(ParamError {
            message: "a sweep needs at least one value".into(),
            hint: Some("use --values 0.1,0.2 or --range 0:1:11".into()),
        });
    }
    for &v in values {
        check_value(model, slot, v)?;
    }
    Ok(slot)
}

/// What a sweep varies: a slot of the one compiled model, or a structural
/// number, with the model compiled at each value.
#[derive(Debug, Clone, PartialEq)]
pub enum SweepTarget {
    /// A slot: every point runs the same model with the slot fixed.
    Slot(Slot),
    /// A structural number: the model of each point, in the order of the values.
    Structural(Vec<Model>),
}

impl SweepTarget {
    /// The model and parameter space of point `k`, at `value`.
    pub fn point<'a>(&'a self, model: &'a Model, k: usize, value: f64) -> (&'a Model, ParamSpace) {
        match self {
            SweepTarget::Slot(slot) => (model, point_space(model, *slot, value)),
            SweepTarget::Structural(models) => (&models[k], ParamSpace::of(&models[k])),
        }
    }
}

/// Checks the parameter (any path of [`crate::scenario::params::catalogue`])
/// and values before anything runs; a structural number is set in a copy
/// of `scenario` at each value and compiled again.
pub fn check_any(
    scenario: &Scenario,
    model: &Model,
    parameter: &str,
    values: &[f64],
) -> Result<SweepTarget, ParamError> {
    if model.params.find(parameter).is_some() {
        return check(model, parameter, values).map(SweepTarget::Slot);
    }
    let bad = |e: params::SetError| ParamError {
        message: e.message,
        hint: e.hint,
    };
    if params::is_structural(scenario, parameter) != Some(true) {
        let all: Vec<String> = params::catalogue(scenario)
            .into_iter()
            .map(|p| p.path)
            .collect();
        let names: Vec<&str> = all.iter().map(String::as_str).collect();
        return Err(ParamError {
            message: format!("the scenario has no parameter `{parameter}`"),
            hint: Some(super::suggestions(parameter, &names)),
        });
    }
    if values.is_empty() {
        return check(model, parameter, values).map(SweepTarget::Slot);
    }
    let mut models = Vec::with_capacity(values.len());
    for &v in values {
        let mut at = scenario.clone();
        params::set_value(&mut at, parameter, v).map_err(bad)?;
        models.push(Model::compile(&at));
    }
    Ok(SweepTarget::Structural(models))
}

/// The parameter space of the point where `slot` is `value`: that slot is
/// fixed, the other uncertain parameters are still drawn per trial.
pub fn point_space(model: &Model, slot: Slot, value: f64) -> ParamSpace {
    let mut space = ParamSpace::of(model);
    space.fix(slot, value);
    space
}

/// The point of a sweep at `value` from the aggregate of its trials.
pub fn sweep_point(
    model: &Model,
    info: &ScenarioInfo,
    seed: u64,
    value: f64,
    aggregate: &RunAggregate,
) -> SweepPoint {
    let s = Summary::build(model, info.clone(), seed, aggregate);
    SweepPoint {
        value,
        outcomes: s.outcomes,
        escalation_mean: s.escalation_mean,
        escalation_ci95: s.escalation_mean_ci95,
    }
}

/// A sweep of `parameter` (in `slot`) from the aggregates of its points, in order.
#[allow(clippy::too_many_arguments)]
pub fn assemble(
    model: &Model,
    info: ScenarioInfo,
    parameter: &str,
    slot: Slot,
    values: &[f64],
    seed: u64,
    trials: u64,
    aggregates: &[RunAggregate],
) -> Sweep {
    assemble_target(
        model,
        info,
        parameter,
        &SweepTarget::Slot(slot),
        values,
        seed,
        trials,
        aggregates,
    )
}

/// [`assemble`] for any [`SweepTarget`]: each point is summarised with its
/// own model.
#[allow(clippy::too_many_arguments)]
pub fn assemble_target(
    model: &Model,
    info: ScenarioInfo,
    parameter: &str,
    target: &SweepTarget,
    values: &[f64],
    seed: u64,
    trials: u64,
    aggregates: &[RunAggregate],
) -> Sweep {
    let uncertain = values
        .first()
        .map(|&v| {
            let (m, space) = target.point(model, 0, v);
            space.uncertain_paths(m)
        })
        .unwrap_or_default();
    let points = values
        .iter()
        .zip(aggregates)
        .enumerate()
        .map(|(k, (&v, agg))| sweep_point(target.point(model, k, v).0, &info, seed, v, agg))
        .collect();
    Sweep {
        brink_version: env!("CARGO_PKG_VERSION").into(),
        scenario: info,
        parameter: parameter.into(),
        seed,
        trials,
        uncertain,
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_values_include_both_ends() {
        assert_eq!(range_values(0.0, 1.0, 3), vec![0.0, 0.5, 1.0]);
        assert_eq!(range_values(2.0, 3.0, 1), vec![2.0]);
        assert!(range_values(0.0, 1.0, 0).is_empty());
        assert_eq!(range_values(0.0, 1.6, 5), vec![0.0, 0.4, 0.8, 1.2, 1.6]);
    }
}
