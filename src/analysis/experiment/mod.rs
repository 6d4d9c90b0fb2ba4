//! `experiment`: a scenario run under named policy options (levers) at
//! every point of a design over uncertain parameters, the way EMA
//! Workbench and NetLogo's BehaviorSpace users work. The file format is
//! read and checked in [`file`], the uncertainty design drawn in
//! [`design`]; this module holds what both lead to: the experiment, its
//! design points, and the result assembled from their aggregates.
//!
//! Design point `u` is lever `u / P` at uncertainty point `u % P` of the
//! `P`-point design: every lever runs at every point. Every design point
//! runs trials `0..n` with the same trial streams (common random numbers:
//! trial `i` uses stream `i` of the seed), so the difference between two
//! levers at a point, or between two points, comes from the parameters,
//! not from sampling noise. Uncertain scenario parameters that neither a
//! lever nor an uncertainty names are still drawn in every trial.

pub mod design;
pub mod file;

use std::path::PathBuf;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::engine::ParamSpace;
use crate::model::{Model, Slot};
use crate::stats::summary::ScenarioInfo;
use crate::stats::wilson::wilson95;
use crate::stats::{RunAggregate, Summary};
use crate::world::Outcome;

pub use design::{DesignKind, Spread};
pub use file::{ExperimentInput, load_experiment};

use super::ParamError;

/// The version of `experiment.json`'s layout.
pub const SCHEMA_VERSION: &str = "brink.experiment/1";

/// The slot of a parameter path named by an experiment file. Every path an
/// experiment names is looked up here, and only here.
pub fn param_slot(model: &Model, path: &str) -> Result<Slot, ParamError> {
    super::find_param(model, path)
}

/// A parameter set to a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// Parameter path.
    pub path: String,
    /// Its slot.
    pub slot: Slot,
    /// The value.
    pub value: f64,
}

/// A policy option: a name and the parameters it sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Lever {
    /// Machine name (`[a-z0-9_-]+`), unique in its file.
    pub name: String,
    /// Label for people (the name when the file gives none).
    pub label: String,
    /// The parameters it sets, in file order.
    pub set: Vec<Setting>,
}

/// An uncertain parameter the design varies.
#[derive(Debug, Clone, PartialEq)]
pub struct Uncertainty {
    /// Parameter path.
    pub path: String,
    /// Its slot.
    pub slot: Slot,
    /// How its values are spread.
    pub spread: Spread,
}

/// A checked experiment file.
#[derive(Debug, Clone, PartialEq)]
pub struct ExperimentSpec {
    /// The experiment file.
    pub path: PathBuf,
    /// sha256 of its bytes.
    pub sha256: String,
    /// Name (the result folder is `experiment-<name>`).
    pub name: String,
    /// The scenario file, resolved against the experiment file's folder.
    pub scenario_path: PathBuf,
    /// Trials per design point, when the file gives them.
    pub trials: Option<u64>,
    /// Master seed, when the file gives it.
    pub seed: Option<u64>,
    /// The levers, in file order (at least one).
    pub levers: Vec<Lever>,
    /// The uncertainties, in file order.
    pub uncertainties: Vec<Uncertainty>,
    /// The design over the uncertainties.
    pub design: DesignKind,
}

/// An experiment ready to run: the spec with its seed and trials resolved
/// and its design drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The checked file.
    pub spec: ExperimentSpec,
    /// Master seed of trials and design.
    pub seed: u64,
    /// Trials per design point.
    pub trials: u64,
    /// The uncertainty design: one row per point, in uncertainty order.
    pub rows: Vec<Vec<f64>>,
}

impl Plan {
    /// The plan of `spec` with `seed` and `trials` per point.
    pub fn new(spec: ExperimentSpec, seed: u64, trials: u64) -> Plan {
        let paths: Vec<String> = spec.uncertainties.iter().map(|u| u.path.clone()).collect();
        let spreads: Vec<Spread> = spec
            .uncertainties
            .iter()
            .map(|u| u.spread.clone())
            .collect();
        let rows = spec.design.generate(&paths, &spreads, seed);
        Plan {
            spec,
            seed,
            trials,
            rows,
        }
    }

    /// Points of the uncertainty design.
    pub fn points_per_lever(&self) -> u64 {
        self.rows.len() as u64
    }

    /// Design points: levers x uncertainty points.
    pub fn units(&self) -> u64 {
        self.spec.levers.len() as u64 * self.points_per_lever()
    }

    /// The lever and uncertainty point of design point `u`.
    pub fn split(&self, u: u64) -> (usize, usize) {
        let p = self.points_per_lever().max(1);
        ((u / p) as usize, (u % p) as usize)
    }

    /// Every named parameter's value at design point `u`: the lever's
    /// settings, then the uncertainties'.
    pub fn settings(&self, u: u64) -> Vec<Setting> {
        let (lever, point) = self.split(u);
        let mut out = self.spec.levers[lever].set.clone();
        out.extend(
            self.spec
                .uncertainties
                .iter()
                .zip(&self.rows[point])
                .map(|(un, &value)| Setting {
                    path: un.path.clone(),
                    slot: un.slot,
                    value,
                }),
        );
        out
    }

    /// The parameter space of design point `u`: the named parameters
    /// fixed, the scenario's other uncertain parameters drawn per trial.
    pub fn space(&self, model: &Model, u: u64) -> ParamSpace {
        let mut space = ParamSpace::of(model);
        for s in self.settings(u) {
            space.fix(s.slot, s.value);
        }
        space
    }

    /// Every parameter path a lever or uncertainty names, in column order:
    /// the levers' paths in file order, then the uncertainties'.
    pub fn parameter_paths(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for l in &self.spec.levers {
            for s in &l.set {
                if !out.contains(&s.path) {
                    out.push(s.path.clone());
                }
            }
        }
        out.extend(self.spec.uncertainties.iter().map(|u| u.path.clone()));
        out
    }
}

/// Values in a fixed order, written to JSON as an object whose keys keep
/// that order.
#[derive(Debug, Clone, PartialEq)]
pub struct Named<T>(pub Vec<(String, T)>);

impl<T> Named<T> {
    /// The value named `name`.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }
}

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// A share of trials with its 95% Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    /// Trials counted.
    pub count: u64,
    /// Their share.
    pub probability: f64,
    /// Lower end of the 95% Wilson interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Share {
    /// `count` of `trials`.
    pub fn of(count: u64, trials: u64) -> Share {
        let (low, high) = wilson95(count, trials);
        Share {
            count,
            probability: if trials == 0 {
                0.0
            } else {
                count as f64 / trials as f64
            },
            low,
            high,
        }
    }
}

/// A mean with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The mean.
    pub mean: f64,
    /// Lower end of the 95% interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

/// The key figures besides the outcomes, in column order.
pub const KEY_FIGURES: [&str; 2] = ["war", "agreement"];

/// Whether key figure `name` (`war`, `agreement`) counts outcome `o`.
pub fn key_figure_counts(name: &str, o: Outcome) -> bool {
    match name {
        "war" => o.is_war(),
        _ => matches!(o, Outcome::Deal | Outcome::WarThenSettlement),
    }
}

/// One design point's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExperimentPoint {
    /// The lever's name.
    pub lever: String,
    /// The index of the uncertainty point (the same at every lever).
    pub point: u64,
    /// Every named parameter's value, by path.
    pub values: Named<f64>,
    /// Trials run.
    pub trials: u64,
    /// Each outcome's share, by outcome key.
    pub outcomes: Named<Share>,
    /// The key figures (`war`: any war outcome; `agreement`: a deal, or a
    /// war then settlement).
    pub key_figures: Named<Share>,
    /// Mean summed escalation score with its 95% interval.
    pub escalation_mean: Estimate,
}

impl ExperimentPoint {
    /// The outcomes' shares, then the key figures', by name.
    pub fn shares(&self) -> impl Iterator<Item = &(String, Share)> {
        self.outcomes.0.iter().chain(&self.key_figures.0)
    }
}

/// A lever's results over the whole design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeverSummary {
    /// The lever's name.
    pub lever: String,
    /// Its label.
    pub label: String,
    /// The parameters it sets, by path.
    pub set: Named<f64>,
    /// Per outcome and key figure: the mean share over the design points
    /// with its 95% interval (mean ± 1.96 standard errors across the
    /// points; with one point, the Wilson interval).
    pub shares: Named<Estimate>,
    /// The mean escalation score over the design points, likewise.
    pub escalation_mean: Estimate,
}

/// An uncertainty as written to `experiment.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncertaintyInfo {
    /// Parameter path.
    pub path: String,
    /// Its label.
    pub label: String,
    /// How it was spread: `0.05 to 0.4` or a distribution's kind.
    pub spread: String,
    /// Smallest value in the design.
    pub low: f64,
    /// Largest value in the design.
    pub high: f64,
}

/// The design as written to `experiment.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignInfo {
    /// Its kind and size as the file gives them.
    #[serde(flatten)]
    pub kind: DesignKind,
    /// Points of the uncertainty design.
    pub points_per_lever: u64,
    /// Design points: levers x uncertainty points.
    pub design_points: u64,
}

/// A finished experiment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Experiment {
    /// [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// Program version.
    pub brink_version: String,
    /// The experiment's name.
    pub name: String,
    /// The experiment file's name.
    pub file: String,
    /// sha256 of the experiment file.
    pub sha256: String,
    /// The scenario.
    pub scenario: ScenarioInfo,
    /// Master seed.
    pub seed: u64,
    /// Trials per design point.
    pub trials: u64,
    /// The design.
    pub design: DesignInfo,
    /// The levers with their results over the design.
    pub levers: Vec<LeverSummary>,
    /// The uncertainties.
    pub uncertainties: Vec<UncertaintyInfo>,
    /// Uncertain scenario parameters still drawn per trial.
    pub uncertain: Vec<String>,
    /// Every design point, lever by lever.
    pub points: Vec<ExperimentPoint>,
}

/// The result of `plan` run on `model` from the aggregates of its design
/// points, in order.
pub fn assemble(
    model: &Model,
    info: ScenarioInfo,
    plan: &Plan,
    aggregates: &[RunAggregate],
) -> Experiment {
    let spec = &plan.spec;
    let points: Vec<ExperimentPoint> = aggregates
        .iter()
        .enumerate()
        .map(|(u, agg)| point(model, &info, plan, u as u64, agg))
        .collect();
    let per = plan.points_per_lever() as usize;
    let levers = spec
        .levers
        .iter()
        .enumerate()
        .map(|(i, l)| {
            lever_summary(
                l,
                &points[(i * per).min(points.len())..((i + 1) * per).min(points.len())],
            )
        })
        .collect();
    let uncertainties = spec
        .uncertainties
        .iter()
        .enumerate()
        .map(|(j, un)| {
            let column: Vec<f64> = plan.rows.iter().map(|r| r[j]).collect();
            UncertaintyInfo {
                path: un.path.clone(),
                label: info.label(&un.path),
                spread: un.spread.describe(),
                low: column.iter().copied().fold(f64::INFINITY, f64::min),
                high: column.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            }
        })
        .collect();
    let uncertain = plan.space(model, 0).uncertain_paths(model);
    Experiment {
        schema_version: SCHEMA_VERSION.into(),
        brink_version: env!("CARGO_PKG_VERSION").into(),
        name: spec.name.clone(),
        file: spec.path.file_name().map_or_else(
            || spec.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        sha256: spec.sha256.clone(),
        scenario: info,
        seed: plan.seed,
        trials: plan.trials,
        design: DesignInfo {
            kind: spec.design.clone(),
            points_per_lever: plan.points_per_lever(),
            design_points: plan.units(),
        },
        levers,
        uncertainties,
        uncertain,
        points,
    }
}

fn point(
    model: &Model,
    info: &ScenarioInfo,
    plan: &Plan,
    u: u64,
    agg: &RunAggregate,
) -> ExperimentPoint {
    let s = Summary::build(model, info.clone(), plan.seed, agg);
    let (lever, point) = plan.split(u);
    let outcomes = Named(
        s.outcomes
            .iter()
            .map(|o| (o.outcome.clone(), Share::of(o.count, s.trials)))
            .collect(),
    );
    let key_figures = Named(
        KEY_FIGURES
            .iter()
            .map(|&name| {
                let count = Outcome::ALL
                    .iter()
                    .filter(|&&o| key_figure_counts(name, o))
                    .map(|&o| s.outcomes[o.index()].count)
                    .sum();
                (name.to_string(), Share::of(count, s.trials))
            })
            .collect(),
    );
    let settings = plan.settings(u);
    let values = Named(
        plan.parameter_paths()
            .into_iter()
            .map(|p| {
                let v = settings
                    .iter()
                    .rev()
                    .find(|s| s.path == p)
                    .map(|s| s.value)
                    .unwrap_or_else(|| {
                        param_slot(model, &p)
                            .map_or(f64::NAN, |slot| model.params.values[slot as usize])
                    });
                (p, v)
            })
            .collect(),
    );
    ExperimentPoint {
        lever: plan.spec.levers[lever].name.clone(),
        point: point as u64,
        values,
        trials: s.trials,
        outcomes,
        key_figures,
        escalation_mean: Estimate {
            mean: s.escalation_mean,
            low: s.escalation_mean_ci95[0],
            high: s.escalation_mean_ci95[1],
        },
    }
}

/// Mean ± 1.96 standard errors of `xs` (at least two values).
fn across(xs: &[f64]) -> Estimate {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    let half = 1.96 * (var / n).sqrt();
    Estimate {
        mean,
        low: mean - half,
        high: mean + half,
    }
}

fn lever_summary(l: &Lever, points: &[ExperimentPoint]) -> LeverSummary {
    let names: Vec<String> = points
        .first()
        .map(|p| p.shares().map(|(n, _)| n.clone()).collect())
        .unwrap_or_default();
    let shares = Named(
        names
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let est = if points.len() == 1 {
                    let s = points[0].shares().nth(k).map_or(Share::of(0, 0), |x| x.1);
                    Estimate {
                        mean: s.probability,
                        low: s.low,
                        high: s.high,
                    }
                } else {
                    let xs: Vec<f64> = points
                        .iter()
                        .filter_map(|p| p.shares().nth(k).map(|x| x.1.probability))
                        .collect();
                    let e = across(&xs);
                    Estimate {
                        mean: e.mean,
                        low: e.low.max(0.0),
                        high: e.high.min(1.0),
                    }
                };
                (name.clone(), est)
            })
            .collect(),
    );
    let escalation_mean = match points {
        [] => Estimate {
            mean: 0.0,
            low: 0.0,
            high: 0.0,
        },
        [one] => one.escalation_mean,
        _ => across(
            &points
                .iter()
                .map(|p| p.escalation_mean.mean)
                .collect::<Vec<_>>(),
        ),
    };
    LeverSummary {
        lever: l.name.clone(),
        label: l.label.clone(),
        set: Named(l.set.iter().map(|s| (s.path.clone(), s.value)).collect()),
        shares,
        escalation_mean,
    }
}
