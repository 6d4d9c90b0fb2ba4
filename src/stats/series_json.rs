//! How `summary.json` writes the per-step series: one named object per
//! step, so a reader finds `steps[t].cumulative.deal` rather than the 0th
//! entry of the t-th array.
//!
//! ```json
//! "series": {
//!   "rungs": ["diplomacy", ...], "variables": ["trust", ...],
//!   "escalation_percentile_levels": [0.05, 0.25, 0.5, 0.75, 0.95],
//!   "steps": [{"step": 0, "date": "2026-02-07",
//!              "rung_occupancy": {"diplomacy": 0.0, ...},
//!              "escalation_percentiles": {"p05": 0.0, ...},
//!              "cumulative_outcomes": {"deal": 0.0, ...},
//!              "means": {"trust": 0.1, ...}}, ...]
//! }
//! ```
//!
//! Keys are written in the order of the name lists above them; the Rust
//! side ([`StepSeries`]) keeps its arrays, and reads this form back exactly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::world::{N_RUNGS, Outcome, PerOutcome};

/// Per-step series (written to `summary.json` as one named object per
/// step: this module).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(
    into = "super::series_json::SeriesJson",
    try_from = "super::series_json::SeriesJson"
)]
pub struct StepSeries {
    /// Rung labels, in index order.
    pub rungs: Vec<String>,
    /// Share of trials on each rung, per step 0..=horizon.
    pub rung_occupancy: Vec<[f64; N_RUNGS]>,
    /// Percentile levels of the escalation score.
    pub escalation_percentile_levels: Vec<f64>,
    /// Percentiles of the cumulative escalation score, per step.
    pub escalation_percentiles: Vec<[f64; 5]>,
    /// Cumulative probability of each outcome by step, in outcome order.
    pub cumulative_outcomes: Vec<PerOutcome<f64>>,
    /// Mean of tracked variables, per step.
    pub means: Vec<Vec<f64>>,
    /// Names of the tracked variables.
    pub mean_names: Vec<String>,
    /// The date of each step 0..=horizon, when the scenario has a calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<Vec<String>>,
}

/// The key of percentile level `q` (0.05 -> `p05`).
pub fn percentile_key(q: f64) -> String {
    format!("p{:02}", (q * 100.0).round() as u32)
}

/// The key of a rung label (`limited strikes` -> `limited_strikes`).
fn rung_key(label: &str) -> String {
    label.replace(' ', "_")
}

/// Named values in a given key order (a JSON object).
#[derive(Debug, Clone, PartialEq)]
pub struct Named(Vec<(String, f64)>);

impl Serialize for Named {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Named {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, f64>::deserialize(d)?;
        Ok(Named(map.into_iter().collect()))
    }
}

impl Named {
    fn of(keys: &[String], values: &[f64]) -> Named {
        Named(keys.iter().cloned().zip(values.iter().copied()).collect())
    }

    /// The values in the order of `keys`; an error names a missing key.
    fn values(&self, keys: &[String], what: &str) -> Result<Vec<f64>, String> {
        keys.iter()
            .map(|k| {
                self.0
                    .iter()
                    .find(|(name, _)| name == k)
                    .map(|(_, v)| *v)
                    .ok_or_else(|| format!("a step's {what} has no `{k}`"))
            })
            .collect()
    }
}

/// One step of the series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRow {
    /// The step, from 0.
    pub step: u32,
    /// Its date, when the scenario has a calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Share of trials on each rung, by rung.
    pub rung_occupancy: Named,
    /// Percentiles of the cumulative escalation score, by level (`p05`).
    pub escalation_percentiles: Named,
    /// Share of trials ended in each outcome by this step, by outcome.
    pub cumulative_outcomes: Named,
    /// Mean of each tracked variable, by variable.
    pub means: Named,
}

/// The series as `summary.json` writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesJson {
    /// Rung labels, in order.
    pub rungs: Vec<String>,
    /// Tracked variables, in order.
    pub variables: Vec<String>,
    /// Percentile levels of the escalation score.
    pub escalation_percentile_levels: Vec<f64>,
    /// One object per step 0..=horizon.
    pub steps: Vec<StepRow>,
}

impl From<StepSeries> for SeriesJson {
    fn from(s: StepSeries) -> SeriesJson {
        let rungs: Vec<String> = s.rungs.iter().map(|r| rung_key(r)).collect();
        let levels: Vec<String> = s
            .escalation_percentile_levels
            .iter()
            .map(|&q| percentile_key(q))
            .collect();
        let outcomes: Vec<String> = Outcome::keys().iter().map(|k| k.to_string()).collect();
        let steps = (0..s.rung_occupancy.len())
            .map(|t| StepRow {
                step: t as u32,
                date: s.dates.as_ref().and_then(|d| d.get(t).cloned()),
                rung_occupancy: Named::of(&rungs, &s.rung_occupancy[t]),
                escalation_percentiles: Named::of(&levels, &s.escalation_percentiles[t]),
                cumulative_outcomes: Named::of(
                    &outcomes,
                    &Outcome::ALL.map(|o| s.cumulative_outcomes[t][o]),
                ),
                means: Named::of(&s.mean_names, s.means.get(t).map_or(&[][..], |m| m)),
            })
            .collect();
        SeriesJson {
            rungs: s.rungs,
            variables: s.mean_names,
            escalation_percentile_levels: s.escalation_percentile_levels,
            steps,
        }
    }
}

impl TryFrom<SeriesJson> for StepSeries {
    type Error = String;

    fn try_from(j: SeriesJson) -> Result<StepSeries, String> {
        let rungs: Vec<String> = j.rungs.iter().map(|r| rung_key(r)).collect();
        if rungs.len() != N_RUNGS {
            return Err(format!("series has {} rungs, not {N_RUNGS}", rungs.len()));
        }
        let levels: Vec<String> = j
            .escalation_percentile_levels
            .iter()
            .map(|&q| percentile_key(q))
            .collect();
        if levels.len() != 5 {
            return Err("series needs 5 escalation percentile levels".into());
        }
        let outcomes: Vec<String> = Outcome::keys().iter().map(|k| k.to_string()).collect();
        let mut s = StepSeries {
            rungs: j.rungs,
            rung_occupancy: Vec::with_capacity(j.steps.len()),
            escalation_percentile_levels: j.escalation_percentile_levels,
            escalation_percentiles: Vec::with_capacity(j.steps.len()),
            cumulative_outcomes: Vec::with_capacity(j.steps.len()),
            means: Vec::with_capacity(j.steps.len()),
            mean_names: j.variables,
            dates: None,
        };
        let mut dates = Vec::new();
        for (t, row) in j.steps.into_iter().enumerate() {
            if row.step as usize != t {
                return Err(format!("series step {} is at position {t}", row.step));
            }
            let occupancy = row.rung_occupancy.values(&rungs, "rung_occupancy")?;
            s.rung_occupancy.push(std::array::from_fn(|r| occupancy[r]));
            let pct = row
                .escalation_percentiles
                .values(&levels, "escalation_percentiles")?;
            s.escalation_percentiles
                .push(std::array::from_fn(|k| pct[k]));
            let cum = row
                .cumulative_outcomes
                .values(&outcomes, "cumulative_outcomes")?;
            s.cumulative_outcomes
                .push(PerOutcome::from_fn(|o| cum[o.index()]));
            s.means.push(row.means.values(&s.mean_names, "means")?);
            dates.extend(row.date);
        }
        if !dates.is_empty() {
            if dates.len() != s.rung_occupancy.len() {
                return Err("some steps of the series have a date and some do not".into());
            }
            s.dates = Some(dates);
        }
        Ok(s)
    }
}

/// The share of trials by highest rung reached, as `summary.json` writes
/// it: `[{"rung": 0, "label": "diplomacy", "share": 0.12}, ...]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RungShare {
    rung: usize,
    label: String,
    share: f64,
}

/// Serde of `Summary::max_rung` as named objects (`#[serde(with)]`).
pub mod rung_shares {
    use super::*;
    use crate::world::RUNG_LABELS;

    /// Writes one object per rung.
    pub fn serialize<S: serde::Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let rows: Vec<RungShare> = v
            .iter()
            .enumerate()
            .map(|(rung, &share)| RungShare {
                rung,
                label: RUNG_LABELS.get(rung).unwrap_or(&"").to_string(),
                share,
            })
            .collect();
        rows.serialize(s)
    }

    /// Reads the objects back, in rung order.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        let rows = Vec::<RungShare>::deserialize(d)?;
        if rows.iter().enumerate().any(|(k, r)| r.rung != k) {
            return Err(serde::de::Error::custom(
                "max_rung rows are not in rung order",
            ));
        }
        Ok(rows.into_iter().map(|r| r.share).collect())
    }
}
