//! The summary of a run: outcome probabilities with 95% Wilson intervals,
//! time to outcome, rung occupancy and escalation percentiles per step, and
//! action frequencies per actor. Everything derives from a [`RunAggregate`].

/// The layout of `summary.json` this brink writes: 2 names every value
/// (per-step series and rung shares as objects); `docs/summary.schema.json`.
pub const SUMMARY_SCHEMA_VERSION: u32 = 2;

use crate::scenario::labels::{ParameterLabel, plain_label};
use serde::{Deserialize, Serialize};

use crate::model::Model;
use crate::scenario::Calendar;
use crate::world::{N_RUNGS, Outcome, PerOutcome, RUNG_LABELS, Var};

use super::aggregate::{RunAggregate, TRACKED_VARS};
use super::milestones::MilestoneCurve;
use super::precision::Stopping;
pub use super::series_json::StepSeries;
use super::spread::SpreadSummary;
use super::wilson::wilson95;

/// Percentiles reported for the escalation score.
pub const ESCALATION_PERCENTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// The identity of the scenario a summary describes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScenarioInfo {
    /// Machine name.
    pub name: String,
    /// Title.
    pub title: String,
    /// File name (without directories, so summaries match across machines).
    pub file: String,
    /// sha256 of the file.
    pub sha256: String,
    /// The labels of its uncertain numbers, for plots and reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<ParameterLabel>,
    /// Numbers fixed on the command line (`--set PATH=VALUE`); absent when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<crate::scenario::params::Override>,
}

impl ScenarioInfo {
    /// The identity of scenario `s`: its name, title, file name (without
    /// folders) and hash.
    pub fn of(s: &crate::scenario::Scenario) -> ScenarioInfo {
        let p = &s.origin.path;
        ScenarioInfo {
            name: s.name.clone(),
            title: s.title.clone(),
            file: p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            sha256: s.origin.sha256.clone(),
            parameters: s
                .assumptions
                .iter()
                .map(|a| ParameterLabel {
                    path: a.path.clone(),
                    label: a.label.clone(),
                })
                .collect(),
            overrides: s.overrides.clone(),
        }
    }

    /// Adds a label for `path` (a parameter that is not uncertain, such as
    /// a swept one), made from the path with the names in `s`.
    pub fn with_label_for(mut self, s: &crate::scenario::Scenario, path: &str) -> ScenarioInfo {
        if !self.parameters.iter().any(|p| p.path == path) {
            self.parameters.push(ParameterLabel {
                path: path.to_string(),
                label: crate::scenario::labels::label_from_path(s, path),
            });
        }
        self
    }

    /// What plots call the parameter at `path`: its label, or one made
    /// from the path when the scenario has none for it.
    pub fn label(&self, path: &str) -> String {
        self.parameters
            .iter()
            .find(|p| p.path == path)
            .map_or_else(|| plain_label(path), |p| p.label.clone())
    }
}

/// Distribution of the step at which an outcome happened.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TimeToOutcome {
    /// Mean step.
    pub mean: f64,
    /// 10th percentile.
    pub p10: u32,
    /// First quartile.
    pub p25: u32,
    /// Median.
    pub median: u32,
    /// Third quartile.
    pub p75: u32,
    /// 90th percentile.
    pub p90: u32,
    /// The dates of these steps, when the scenario has a calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<TimeToOutcomeDates>,
}

/// The dates of the steps of a [`TimeToOutcome`] (`YYYY-MM-DD`; the mean
/// rounded to the nearest day).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TimeToOutcomeDates {
    /// Date of the mean step.
    pub mean: String,
    /// Date of the 10th percentile.
    pub p10: String,
    /// Date of the first quartile.
    pub p25: String,
    /// Date of the median.
    pub median: String,
    /// Date of the third quartile.
    pub p75: String,
    /// Date of the 90th percentile.
    pub p90: String,
}

impl TimeToOutcomeDates {
    fn of(t: &TimeToOutcome, c: &Calendar) -> TimeToOutcomeDates {
        TimeToOutcomeDates {
            mean: c.date_at(t.mean),
            p10: c.date(t.p10),
            p25: c.date(t.p25),
            median: c.date(t.median),
            p75: c.date(t.p75),
            p90: c.date(t.p90),
        }
    }
}

/// One outcome's probability.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OutcomeSummary {
    /// Machine name.
    pub outcome: String,
    /// Label.
    pub label: String,
    /// Trials with this outcome.
    pub count: u64,
    /// Share of trials.
    pub probability: f64,
    /// 95% Wilson interval.
    pub ci95: [f64; 2],
    /// When it happened (absent when it never did).
    pub step: Option<TimeToOutcome>,
    /// 5th percentile of the probability over assumption draws (null when
    /// nothing is uncertain or the spread was not estimated).
    #[serde(default)]
    pub spread_low: Option<f64>,
    /// 95th percentile of the probability over assumption draws.
    #[serde(default)]
    pub spread_high: Option<f64>,
}

/// How often one actor took one action.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ActionFrequency {
    /// Action id.
    pub action: String,
    /// Times taken over all trials.
    pub count: u64,
    /// Mean times per trial.
    pub per_trial: f64,
    /// Share of this actor's choices.
    pub share: f64,
    /// Share of trials in which it was taken at least once.
    pub trials_share: f64,
}

/// One actor's action frequencies.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ActorActions {
    /// Actor id.
    pub actor: String,
    /// Name.
    pub name: String,
    /// Its actions, in its order.
    pub actions: Vec<ActionFrequency>,
}

/// How a conditioned run (`--given`) kept its trials: the figures are
/// those of the `kept` trials of the `trials_run` that satisfy every event
/// of `given`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conditioning {
    /// The events, as written.
    pub given: Vec<String>,
    /// Trials run.
    pub trials_run: u64,
    /// Trials that satisfy every event.
    pub kept: u64,
}

/// The summary of a run.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    /// The version of this file's layout ([`SUMMARY_SCHEMA_VERSION`];
    /// `docs/summary.schema.json` describes it).
    #[serde(default)]
    pub schema_version: u32,
    /// Program version.
    pub brink_version: String,
    /// Which scenario.
    pub scenario: ScenarioInfo,
    /// Master seed.
    pub seed: u64,
    /// Trials run.
    pub trials: u64,
    /// Steps per trial.
    pub horizon: u32,
    /// What a step is.
    pub step_label: String,
    /// The scenario's calendar (its start date and days per step), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calendar: Option<Calendar>,
    /// Outcomes in order of precedence.
    pub outcomes: Vec<OutcomeSummary>,
    /// Share of trials by highest rung reached (in `summary.json`, one
    /// object per rung: `{"rung", "label", "share"}`).
    #[serde(with = "super::series_json::rung_shares")]
    pub max_rung: Vec<f64>,
    /// Mean incidents per trial.
    pub incidents_per_trial: f64,
    /// Mean summed escalation score per trial.
    pub escalation_mean: f64,
    /// 95% interval of that mean (normal approximation, `mean ± 1.96 s / √n`).
    pub escalation_mean_ci95: [f64; 2],
    /// Action frequencies per actor.
    pub actions: Vec<ActorActions>,
    /// Per-step series.
    pub series: StepSeries,
    /// Milestone curves (first strike, war start, deal, ...): the share of
    /// trials that reached each by every step, and its per-step hazard.
    #[serde(default)]
    pub milestones: Vec<MilestoneCurve>,
    /// How a precision-targeted run stopped (absent for a fixed trial count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopping: Option<Stopping>,
    /// The key figures' spread over the assumptions (absent when nothing is
    /// uncertain or the nested design was off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption_spread: Option<SpreadSummary>,
    /// The condition the trials were kept by (`--given`), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditioning: Option<Conditioning>,
    /// What had happened by the start, when the scenario starts mid-crisis
    /// (`[history]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<crate::model::HistoryInfo>,
}

fn nearest_rank(row: &[u64], total: u64, q: f64) -> u32 {
    let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
    let mut acc = 0;
    for (t, &c) in row.iter().enumerate() {
        acc += c;
        if acc >= rank {
            return t as u32;
        }
    }
    (row.len() - 1) as u32
}

fn time_to_outcome(row: &[u64]) -> Option<TimeToOutcome> {
    let total: u64 = row.iter().sum();
    if total == 0 {
        return None;
    }
    let weighted: u128 = row
        .iter()
        .enumerate()
        .map(|(t, &c)| t as u128 * u128::from(c))
        .sum();
    Some(TimeToOutcome {
        mean: weighted as f64 / total as f64,
        p10: nearest_rank(row, total, 0.10),
        p25: nearest_rank(row, total, 0.25),
        median: nearest_rank(row, total, 0.50),
        p75: nearest_rank(row, total, 0.75),
        p90: nearest_rank(row, total, 0.90),
        dates: None,
    })
}

impl Summary {
    /// Summarises aggregates of `model` run with `seed`.
    pub fn build(model: &Model, scenario: ScenarioInfo, seed: u64, agg: &RunAggregate) -> Summary {
        let n = agg.trials;
        let share = |c: u64| if n == 0 { 0.0 } else { c as f64 / n as f64 };
        let outcomes = Outcome::ALL
            .into_iter()
            .map(|o| {
                let count = agg.outcome_counts[o];
                let (lo, hi) = wilson95(count, n);
                OutcomeSummary {
                    outcome: o.key().to_string(),
                    label: o.label().to_string(),
                    count,
                    probability: share(count),
                    ci95: [lo, hi],
                    step: time_to_outcome(agg.outcome_step_row(o)).map(|mut t| {
                        t.dates = model.calendar.map(|c| TimeToOutcomeDates::of(&t, &c));
                        t
                    }),
                    spread_low: None,
                    spread_high: None,
                }
            })
            .collect();

        let actions = model
            .actors
            .iter()
            .map(|a| {
                let range = a.moves.start as usize..a.moves.end as usize;
                let actor_total: u64 = agg.move_counts[range.clone()].iter().sum();
                ActorActions {
                    actor: a.id.clone(),
                    name: a.name.clone(),
                    actions: range
                        .map(|j| {
                            let c = agg.move_counts[j];
                            ActionFrequency {
                                action: model.actions[model.moves[j].action as usize].id.clone(),
                                count: c,
                                per_trial: share(c),
                                share: if actor_total == 0 {
                                    0.0
                                } else {
                                    c as f64 / actor_total as f64
                                },
                                trials_share: share(agg.move_trials[j]),
                            }
                        })
                        .collect(),
                }
            })
            .collect();

        let steps = agg.horizon as usize + 1;
        let rung_occupancy = (0..steps)
            .map(|t| std::array::from_fn(|r| share(agg.rung_occupancy[t * N_RUNGS + r])))
            .collect();
        let escalation_percentiles = (0..steps)
            .map(|t| {
                std::array::from_fn(|k| {
                    agg.escalation_percentile(t as u32, ESCALATION_PERCENTILES[k])
                })
            })
            .collect();
        let mut running = PerOutcome::splat(0u64);
        let cumulative_outcomes = (0..steps)
            .map(|t| {
                PerOutcome::from_fn(|o| {
                    running[o] += agg.outcome_step_row(o)[t];
                    share(running[o])
                })
            })
            .collect();
        let means = (0..steps)
            .map(|t| {
                (0..TRACKED_VARS.len())
                    .map(|k| agg.var_mean(t as u32, k))
                    .collect()
            })
            .collect();

        let escalation = agg.escalation.mean_ci95();
        Summary {
            schema_version: SUMMARY_SCHEMA_VERSION,
            brink_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario,
            seed,
            trials: n,
            horizon: agg.horizon,
            step_label: model.step_label.clone(),
            calendar: model.calendar,
            outcomes,
            max_rung: agg.max_rung_counts.iter().map(|&c| share(c)).collect(),
            incidents_per_trial: share(agg.incidents),
            escalation_mean: escalation.0,
            escalation_mean_ci95: escalation.1,
            actions,
            series: StepSeries {
                rungs: RUNG_LABELS.iter().map(|s| s.to_string()).collect(),
                rung_occupancy,
                escalation_percentile_levels: ESCALATION_PERCENTILES.to_vec(),
                escalation_percentiles,
                cumulative_outcomes,
                means,
                mean_names: TRACKED_VARS
                    .iter()
                    .map(|v| Var::BUILTIN_NAMES[v.index()].to_string())
                    .collect(),
                dates: model
                    .calendar
                    .map(|c| (0..steps as u32).map(|t| c.date(t)).collect()),
            },
            milestones: super::milestones::curves(model, agg),
            stopping: None,
            assumption_spread: None,
            conditioning: None,
            history: model.history.clone(),
        }
    }

    /// Adds the spread over assumptions: each figure gets the main run's
    /// share and Wilson interval where this summary counts it (outcomes,
    /// `war`, `agreement`), and each outcome its `spread_low`/`spread_high`.
    pub fn attach_spread(&mut self, mut spread: SpreadSummary) {
        let n = self.trials;
        let count = |o: Outcome| self.outcomes[o.index()].count;
        for f in &mut spread.figures {
            let hits = match (f.group.as_str(), f.name.as_str()) {
                ("outcome", name) => Outcome::from_key(name).map(count),
                ("total", "war") => Some(
                    Outcome::ALL
                        .iter()
                        .filter(|o| o.is_war())
                        .map(|&o| count(o))
                        .sum(),
                ),
                ("total", "agreement") => {
                    Some(count(Outcome::Deal) + count(Outcome::WarThenSettlement))
                }
                ("milestone", name) => self
                    .milestones
                    .iter()
                    .find(|m| m.name == name)
                    .map(|m| m.reached),
                _ => None,
            };
            if let Some(h) = hits {
                f.main_run(h, n);
            }
        }
        for o in &mut self.outcomes {
            if let Some(f) = spread.figure("outcome", &o.outcome) {
                o.spread_low = Some(f.low);
                o.spread_high = Some(f.high);
            }
        }
        self.assumption_spread = Some(spread);
    }

    /// The date of step `step` (`YYYY-MM-DD`), when the scenario has a calendar.
    pub fn date(&self, step: u32) -> Option<String> {
        self.calendar.map(|c| c.date(step))
    }

    /// The summary of one outcome.
    pub fn outcome(&self, o: Outcome) -> &OutcomeSummary {
        &self.outcomes[o.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        // steps 1, 2, 2, 3
        let row = [0, 1, 2, 1];
        assert_eq!(nearest_rank(&row, 4, 0.25), 1);
        assert_eq!(nearest_rank(&row, 4, 0.5), 2);
        assert_eq!(nearest_rank(&row, 4, 0.75), 2);
        assert_eq!(nearest_rank(&row, 4, 1.0), 3);
        let t = time_to_outcome(&row).unwrap();
        assert_eq!(t.mean, 2.0);
        assert!(time_to_outcome(&[0, 0]).is_none());
    }
}
