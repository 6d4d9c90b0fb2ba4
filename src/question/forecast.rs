//! The answers of a forecast: each question's probability among the kept
//! trials, with its Monte Carlo interval (Wilson, 95%) and, when the
//! scenario has uncertain assumptions, its spread over them.

use serde::{Deserialize, Serialize};

use super::file::QuestionFile;
use crate::model::Model;
use crate::stats::summary::ScenarioInfo;
use crate::stats::wilson::wilson95;

/// The schema of `forecast.json`.
pub const FORECAST_SCHEMA: &str = "brink.forecast/1";

/// The scenario of a forecast, as `forecast.json` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastScenario {
    /// Machine name (`[scenario] name`).
    pub id: String,
    /// Title.
    pub name: String,
    /// File name.
    pub file: String,
    /// sha256 of the file (or of its `extends` chain).
    pub sha256: String,
}

/// The answer to one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// Question id.
    pub id: String,
    /// The question in words.
    pub text: String,
    /// The event, as asked.
    pub event: String,
    /// The last step the event looks at.
    pub step: Option<u32>,
    /// The date of that step, when the scenario has a calendar.
    pub date: Option<String>,
    /// Share of the kept trials in which the event happened.
    pub probability: f64,
    /// Kept trials in which the event happened.
    pub hits: u64,
    /// Lower end of the 95% Wilson interval.
    pub mc_low: f64,
    /// Upper end of the 95% Wilson interval.
    pub mc_high: f64,
    /// 5th percentile over the uncertain assumptions (null when nothing is
    /// uncertain, or the spread was not estimated).
    pub spread_low: Option<f64>,
    /// 95th percentile over the uncertain assumptions.
    pub spread_high: Option<f64>,
    /// What happened, when known.
    pub resolved: Option<bool>,
    /// How it is known.
    pub resolution: Option<String>,
}

/// `forecast.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    /// [`FORECAST_SCHEMA`].
    pub schema: String,
    /// The program's version.
    pub brink_version: String,
    /// The scenario.
    pub scenario: ForecastScenario,
    /// The date of step 0, when the scenario has one.
    pub start: Option<String>,
    /// The title of the question file.
    pub title: Option<String>,
    /// The question file's name.
    pub questions_file: String,
    /// Master seed.
    pub seed: u64,
    /// Trials run.
    pub trials: u64,
    /// Trials that satisfy every given event (all of them without any).
    pub kept: u64,
    /// The events every answer is conditioned on.
    pub given: Vec<String>,
    /// The answers, in the file's order.
    pub questions: Vec<Answer>,
}

/// Assembles the answers of `questions` from the counts of `trials` run,
/// `kept` of them satisfying `given`, with `hits[k]` the kept trials in
/// which question `k`'s event happened, and `spreads[k]` its (5th, 95th)
/// percentiles over the assumptions when they were estimated.
#[allow(clippy::too_many_arguments)]
pub fn assemble(
    model: &Model,
    scenario: ScenarioInfo,
    questions: &QuestionFile,
    given: Vec<String>,
    seed: u64,
    trials: u64,
    kept: u64,
    hits: &[u64],
    spreads: Option<&[(f64, f64)]>,
) -> Forecast {
    let calendar = model.calendar.as_ref();
    let answers = questions
        .questions
        .iter()
        .zip(hits)
        .enumerate()
        .map(|(k, (q, &h))| {
            let (mc_low, mc_high) = wilson95(h, kept);
            let spread = spreads.and_then(|s| s.get(k).copied());
            let step = q.compiled.last_step;
            Answer {
                id: q.id.clone(),
                text: q.text.clone(),
                event: q.event.clone(),
                step: Some(step),
                date: calendar.map(|c| c.date(step)),
                probability: if kept > 0 {
                    h as f64 / kept as f64
                } else {
                    0.0
                },
                hits: h,
                mc_low,
                mc_high,
                spread_low: spread.map(|s| s.0),
                spread_high: spread.map(|s| s.1),
                resolved: q.resolved,
                resolution: q.resolution.clone(),
            }
        })
        .collect();
    Forecast {
        schema: FORECAST_SCHEMA.into(),
        brink_version: env!("CARGO_PKG_VERSION").into(),
        scenario: ForecastScenario {
            id: scenario.name,
            name: scenario.title,
            file: scenario.file,
            sha256: scenario.sha256,
        },
        start: calendar.map(|c| c.date(0)),
        title: questions.title.clone(),
        questions_file: questions
            .path
            .file_name()
            .map_or_else(String::new, |f| f.to_string_lossy().into_owned()),
        seed,
        trials,
        kept,
        given,
        questions: answers,
    }
}
