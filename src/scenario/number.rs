//! A number in a scenario file: a plain number, or a table describing a
//! distribution (`{ dist = "uniform", low = 1, high = 2 }`) drawn once per trial.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor, value::MapAccessDeserializer};

use crate::distribution::Distribution;

/// A finite number written in a scenario file, or the distribution of an uncertain one.
#[derive(Debug, Clone, PartialEq)]
pub enum Number {
    /// A plain number.
    Fixed(f64),
    /// An uncertain number, with the label plots and reports give it
    /// (`label = "..."` beside the distribution), if the file names one.
    Uncertain(Distribution, Option<String>),
}

/// The distribution names a file may use.
pub const DISTRIBUTIONS: &[&str] = &[
    "uniform",
    "normal",
    "triangular",
    "beta",
    "lognormal",
    "choice",
    "samples",
];

/// The longest label a number may have: it must fit a plot's axis.
pub const MAX_LABEL_CHARS: usize = 60;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    dist: String,
    low: Option<f64>,
    high: Option<f64>,
    mean: Option<f64>,
    sd: Option<f64>,
    mode: Option<f64>,
    alpha: Option<f64>,
    beta: Option<f64>,
    median: Option<f64>,
    sigma: Option<f64>,
    values: Option<Vec<f64>>,
    weights: Option<Vec<f64>>,
    file: Option<String>,
    column: Option<String>,
    label: Option<String>,
}

fn need(v: Option<f64>, kind: &str, field: &str, needs: &str) -> Result<f64, String> {
    match v {
        Some(x) if x.is_finite() => Ok(x),
        Some(_) => Err(format!(
            "`{field}` of a {kind} distribution must be a finite number"
        )),
        None => Err(format!("a {kind} distribution needs {needs}")),
    }
}

impl Spec {
    fn into_distribution(self) -> Result<Distribution, String> {
        let k = self.dist.as_str();
        let allowed: &[&str] = match k {
            "uniform" => &["low", "high"],
            "normal" => &["mean", "sd"],
            "triangular" => &["low", "mode", "high"],
            "beta" => &["alpha", "beta", "low", "high"],
            "lognormal" => &["median", "sigma"],
            "samples" => &["file", "column"],
            _ => &["values", "weights"],
        };
        let present = [
            ("low", self.low.is_some()),
            ("high", self.high.is_some()),
            ("mean", self.mean.is_some()),
            ("sd", self.sd.is_some()),
            ("mode", self.mode.is_some()),
            ("alpha", self.alpha.is_some()),
            ("beta", self.beta.is_some()),
            ("median", self.median.is_some()),
            ("sigma", self.sigma.is_some()),
            ("values", self.values.is_some()),
            ("weights", self.weights.is_some()),
            ("file", self.file.is_some()),
            ("column", self.column.is_some()),
        ];
        if DISTRIBUTIONS.contains(&k)
            && let Some((name, _)) = present.iter().find(|(n, p)| *p && !allowed.contains(n))
        {
            return Err(format!(
                "`{name}` does not apply to a {k} distribution (it takes {})",
                allowed.join(", ")
            ));
        }
        let d = match k {
            "uniform" => {
                let needs = "`low` and `high`";
                let (low, high) = (
                    need(self.low, k, "low", needs)?,
                    need(self.high, k, "high", needs)?,
                );
                if low >= high {
                    return Err(format!(
                        "uniform: `low` ({low}) must be below `high` ({high})"
                    ));
                }
                Distribution::Uniform { low, high }
            }
            "normal" => {
                let needs = "`mean` and `sd`";
                let (mean, sd) = (
                    need(self.mean, k, "mean", needs)?,
                    need(self.sd, k, "sd", needs)?,
                );
                if sd <= 0.0 {
                    return Err(format!("normal: `sd` must be positive, not {sd}"));
                }
                Distribution::Normal { mean, sd }
            }
            "triangular" => {
                let needs = "`low`, `mode` and `high`";
                let low = need(self.low, k, "low", needs)?;
                let mode = need(self.mode, k, "mode", needs)?;
                let high = need(self.high, k, "high", needs)?;
                if !(low <= mode && mode <= high && low < high) {
                    return Err(format!(
                        "triangular: need low <= mode <= high and low < high, got {low}, {mode}, {high}"
                    ));
                }
                Distribution::Triangular { low, mode, high }
            }
            "beta" => {
                let needs = "`alpha` and `beta` (and optionally `low`, `high`)";
                let alpha = need(self.alpha, k, "alpha", needs)?;
                let beta = need(self.beta, k, "beta", needs)?;
                let low = self.low.unwrap_or(0.0);
                let high = self.high.unwrap_or(1.0);
                if alpha <= 0.0 || beta <= 0.0 {
                    return Err("beta: `alpha` and `beta` must be positive".into());
                }
                if low >= high || !low.is_finite() || !high.is_finite() {
                    return Err(format!("beta: `low` ({low}) must be below `high` ({high})"));
                }
                Distribution::Beta {
                    alpha,
                    beta,
                    low,
                    high,
                }
            }
            "lognormal" => {
                let needs = "`median` and `sigma`";
                let median = need(self.median, k, "median", needs)?;
                let sigma = need(self.sigma, k, "sigma", needs)?;
                if median <= 0.0 || sigma <= 0.0 {
                    return Err("lognormal: `median` and `sigma` must be positive".into());
                }
                Distribution::LogNormal { median, sigma }
            }
            "choice" => {
                let values = self
                    .values
                    .clone()
                    .ok_or("a choice distribution needs `values`")?;
                if values.is_empty() || values.iter().any(|v| !v.is_finite()) {
                    return Err(
                        "choice: `values` must be a non-empty list of finite numbers".into(),
                    );
                }
                let weights = self
                    .weights
                    .clone()
                    .unwrap_or_else(|| vec![1.0; values.len()]);
                if weights.len() != values.len() {
                    return Err(format!(
                        "choice: {} weights for {} values",
                        weights.len(),
                        values.len()
                    ));
                }
                if weights.iter().any(|w| !w.is_finite() || *w < 0.0)
                    || weights.iter().sum::<f64>() <= 0.0
                {
                    return Err("choice: weights must be non-negative and not all zero".into());
                }
                Distribution::Choice { values, weights }
            }
            "samples" => {
                let needs = "a samples distribution needs `file` (a CSV file, relative to this \
                             scenario's folder) and `column` (a column of its header)";
                let file = self.file.clone().ok_or(needs)?;
                let column = self.column.clone().ok_or(needs)?;
                if file.trim().is_empty() || column.trim().is_empty() {
                    return Err(format!(
                        "samples: `file` and `column` must not be empty ({needs})"
                    ));
                }
                // The rows are read when the scenario is checked, relative
                // to the file that names them.
                Distribution::Samples {
                    file,
                    column,
                    table: Default::default(),
                    index: 0,
                }
            }
            other => {
                let hint = crate::scenario::diagnostic::suggestion_hint(
                    other,
                    DISTRIBUTIONS,
                    "distributions",
                );
                return Err(format!("unknown distribution `{other}` ({hint})"));
            }
        };
        Ok(d)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a number, or a distribution such as { dist = \"uniform\", low = 1, high = 2 }",
                )
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number::Fixed(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number::Fixed(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                if v.is_finite() {
                    Ok(Number::Fixed(v))
                } else {
                    Err(E::custom("a finite number is required, not nan or inf"))
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Number, A::Error> {
                let mut spec = Spec::deserialize(MapAccessDeserializer::new(map))?;
                let label = spec.label.take();
                if let Some(l) = &label
                    && (l.trim().is_empty() || l.chars().count() > MAX_LABEL_CHARS)
                {
                    return Err(de::Error::custom(format!(
                        "`label` must be between 1 and {MAX_LABEL_CHARS} characters \
                         (it names the number on plots and in reports)"
                    )));
                }
                spec.into_distribution()
                    .map(|d| Number::Uncertain(d, label))
                    .map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}
