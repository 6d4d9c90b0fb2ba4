//! The result of `brink score` (`score.json`, schema `brink.score/1`):
//! every resolved question of a set of forecasts scored
//! ([`super::scoring`]), overall and per scenario, against the base rate
//! and 0.5, with the reliability table and the Murphy decomposition;
//! questions not resolved are listed as skipped.
//!
//! [`assemble`] takes forecasts already read ([`super::forecast_file`]),
//! so a caller can score forecasts it has just made (a history suite:
//! `brink forecast` on every scenario, then the score) without writing
//! and reading them back.

use std::collections::BTreeMap;
use std::io;

use serde::{Deserialize, Serialize};

use super::forecast_file::{Forecast, ForecastScenario};
use super::scoring::{
    BOOTSTRAP_RESAMPLES, Murphy, QuestionScore, ReliabilityBin, ScoreSet, murphy, question_scores,
    reliability, score_set, scored_probability,
};

/// The schema of `score.json`.
pub const SCORE_SCHEMA: &str = "brink.score/1";

/// The default seed of the bootstrap.
pub const DEFAULT_SEED: u64 = 1;

/// How the forecasts are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreOptions {
    /// Seed of the bootstrap over questions.
    pub seed: u64,
    /// Bootstrap resamples behind every interval.
    pub resamples: usize,
}

impl Default for ScoreOptions {
    fn default() -> ScoreOptions {
        ScoreOptions {
            seed: DEFAULT_SEED,
            resamples: BOOTSTRAP_RESAMPLES,
        }
    }
}

/// One forecast file scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredFile {
    /// File name.
    pub file: String,
    /// sha256 of its bytes.
    pub sha256: String,
    /// The scenario.
    pub scenario: ForecastScenario,
    /// Master seed of its trials.
    pub seed: u64,
    /// Trials run.
    pub trials: u64,
    /// Trials kept.
    pub kept: u64,
    /// Its conditions.
    pub given: Vec<String>,
    /// Questions in the file.
    pub questions: usize,
    /// Of these, resolved (scored).
    pub scored: usize,
}

/// One question scored: a row of `score.csv`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredQuestion {
    /// Scenario id.
    pub scenario: String,
    /// Question id.
    pub id: String,
    /// The question.
    pub text: String,
    /// The event.
    pub event: String,
    /// Its date, if any.
    pub date: Option<String>,
    /// The probability the forecast file gives (`hits / kept`).
    pub probability: f64,
    /// Kept trials in which the event held.
    pub hits: u64,
    /// Kept trials.
    pub trials: u64,
    /// How we know what happened.
    pub resolution: Option<String>,
    /// The scores (of the probability scored, `(hits + 1/2) / (trials + 1)`).
    #[serde(flatten)]
    pub score: QuestionScore,
}

/// A question left out because it is not resolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkippedQuestion {
    /// Scenario id.
    pub scenario: String,
    /// Question id.
    pub id: String,
    /// The question.
    pub text: String,
    /// Why it was not scored.
    pub reason: String,
}

/// The scores of one scenario's questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioScores {
    /// Scenario id.
    pub scenario: String,
    /// Its title.
    pub name: String,
    /// Mean scores with their intervals.
    #[serde(flatten)]
    pub scores: ScoreSet,
}

/// Everything `brink score` computes: `score.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoring {
    /// `brink.score/1`.
    pub schema: String,
    /// Program version.
    pub brink_version: String,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Bootstrap resamples behind every interval.
    pub resamples: usize,
    /// The probability scored for a forecast of `hits` of `trials`.
    pub scored_probability: String,
    /// The files read, in the order given.
    pub forecasts: Vec<ScoredFile>,
    /// Every question together.
    pub overall: ScoreSet,
    /// The Murphy decomposition of the overall mean Brier score.
    pub murphy: Murphy,
    /// The reliability table of every question (non-empty bins).
    pub reliability: Vec<ReliabilityBin>,
    /// Each scenario's questions, in order of first appearance.
    pub scenarios: Vec<ScenarioScores>,
    /// Every question scored.
    pub questions: Vec<ScoredQuestion>,
    /// Questions left out.
    pub skipped: Vec<SkippedQuestion>,
}

/// Bad input: nothing resolved to score.
fn nothing_to_score() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "no question of the forecasts is resolved, so there is nothing to score\n  = hint: set `resolved = true` or `false` on the questions whose answer is known, and run the forecast again",
    )
}

/// Scores `forecasts`: every question whose `resolved` is true or false,
/// overall and per scenario, against the base rate and 0.5. Bad input
/// when no question is resolved.
pub fn assemble(forecasts: &[Forecast], opts: ScoreOptions) -> io::Result<Scoring> {
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    let mut files = Vec::new();
    for f in forecasts {
        let mut scored = 0;
        for q in &f.questions {
            match q.resolved {
                Some(y) => {
                    scored += 1;
                    rows.push((f, q, y));
                }
                None => skipped.push(SkippedQuestion {
                    scenario: f.scenario.id.clone(),
                    id: q.id.clone(),
                    text: q.text.clone(),
                    reason: "not resolved".into(),
                }),
            }
        }
        files.push(ScoredFile {
            file: f.file.clone(),
            sha256: f.sha256.clone(),
            scenario: f.scenario.clone(),
            seed: f.seed,
            trials: f.trials,
            kept: f.kept,
            given: f.given.clone(),
            questions: f.questions.len(),
            scored,
        });
    }
    if rows.is_empty() {
        return Err(nothing_to_score());
    }
    let probabilities: Vec<f64> = rows
        .iter()
        .map(|(f, q, _)| scored_probability(q.hits, f.kept))
        .collect();
    let outcomes: Vec<bool> = rows.iter().map(|r| r.2).collect();
    let scores = question_scores(&probabilities, &outcomes);
    let questions: Vec<ScoredQuestion> = rows
        .iter()
        .zip(&scores)
        .map(|((f, q, _), s)| ScoredQuestion {
            scenario: f.scenario.id.clone(),
            id: q.id.clone(),
            text: q.text.clone(),
            event: q.event.clone(),
            date: q.date.clone(),
            probability: q.probability,
            hits: q.hits,
            trials: f.kept,
            resolution: q.resolution.clone(),
            score: *s,
        })
        .collect();
    // Scenarios in order of first appearance; stream 0 is the overall set's.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut members: BTreeMap<String, Vec<QuestionScore>> = BTreeMap::new();
    for (q, (f, _, _)) in questions.iter().zip(&rows) {
        if !members.contains_key(&q.scenario) {
            order.push((q.scenario.clone(), f.scenario.name.clone()));
        }
        members.entry(q.scenario.clone()).or_default().push(q.score);
    }
    let scenarios = order
        .into_iter()
        .enumerate()
        .map(|(k, (id, name))| ScenarioScores {
            scores: score_set(&members[&id], opts.seed, k as u64 + 1, opts.resamples),
            scenario: id,
            name,
        })
        .collect();
    let bins = reliability(&scores);
    Ok(Scoring {
        schema: SCORE_SCHEMA.into(),
        brink_version: env!("CARGO_PKG_VERSION").into(),
        seed: opts.seed,
        resamples: opts.resamples,
        scored_probability: "(hits + 1/2) / (trials + 1)".into(),
        forecasts: files,
        overall: score_set(&scores, opts.seed, 0, opts.resamples),
        murphy: murphy(&scores, &bins),
        reliability: bins,
        scenarios,
        questions,
        skipped,
    })
}
