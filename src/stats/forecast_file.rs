//! Reading the `forecast.json` files `brink score` scores (schema
//! `brink.forecast/1`, written by `brink forecast`; docs/cli.md): every
//! problem of every file is reported at once, with the file, line and
//! column (JSON syntax and type errors where serde finds them; a question
//! whose numbers do not add up at its `id`) and a hint.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::input::read_text_limited;
use crate::scenario::load::hex_sha256;
use crate::scenario::{Diagnostic, Diagnostics, Severity, SourceFile};

/// The schema a forecast file must declare.
pub const FORECAST_SCHEMA: &str = "brink.forecast/1";

/// The largest forecast file read (a forecast of thousands of questions is
/// a few megabytes).
pub const MAX_FORECAST_BYTES: u64 = 64 << 20;

/// How far a question's `probability` may lie from `hits / kept` (a file
/// that rounds its probabilities to three decimals still reads).
pub const PROBABILITY_TOLERANCE: f64 = 5e-4;

/// The scenario a forecast was made with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastScenario {
    /// Machine name.
    pub id: String,
    /// Title.
    #[serde(default)]
    pub name: String,
    /// File name.
    #[serde(default)]
    pub file: String,
    /// sha256 of the scenario (or of its `extends` chain).
    #[serde(default)]
    pub sha256: String,
}

/// One question of a forecast, as `brink score` reads it (other fields of
/// the file are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForecastQuestion {
    /// Question id, unique in its file.
    pub id: String,
    /// The question for humans.
    #[serde(default)]
    pub text: String,
    /// The event, in the event language.
    #[serde(default)]
    pub event: String,
    /// The last date the event looks at, if the scenario has a calendar.
    #[serde(default)]
    pub date: Option<String>,
    /// The forecast: the share of kept trials in which the event held.
    pub probability: f64,
    /// Trials in which it held.
    pub hits: u64,
    /// What happened: `true`, `false`, or unknown (`null` or absent).
    #[serde(default)]
    pub resolved: Option<bool>,
    /// How we know.
    #[serde(default)]
    pub resolution: Option<String>,
}

/// The part of a `forecast.json` file that `brink score` reads.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct RawForecast {
    schema: String,
    scenario: ForecastScenario,
    seed: u64,
    trials: u64,
    kept: u64,
    #[serde(default)]
    given: Vec<String>,
    questions: Vec<ForecastQuestion>,
}

/// One forecast file, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// The path as given.
    pub path: PathBuf,
    /// Its file name (what outputs record, the same on every machine).
    pub file: String,
    /// sha256 of its bytes.
    pub sha256: String,
    /// The scenario.
    pub scenario: ForecastScenario,
    /// Master seed of the forecast's trials.
    pub seed: u64,
    /// Trials run.
    pub trials: u64,
    /// Trials kept (those satisfying every `given` event): the
    /// denominator of every question's share.
    pub kept: u64,
    /// The conditions of the forecast.
    pub given: Vec<String>,
    /// The questions.
    pub questions: Vec<ForecastQuestion>,
}

/// The byte offset of 1-based `line` and `column` (in characters) in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

/// The span of the value of the first `"key": "value"` pair in `text`
/// (`value` JSON-encoded), to point at a question by its id.
fn span_of_pair(text: &str, key: &str, value: &str) -> Option<Range<usize>> {
    let needle = serde_json::to_string(value).ok()?;
    let key = format!("\"{key}\"");
    let mut from = 0;
    while let Some(i) = text[from..].find(&needle) {
        let at = from + i;
        let before = text[..at].trim_end();
        if let Some(b) = before.strip_suffix(':')
            && b.trim_end().ends_with(&key)
        {
            return Some(at..at + needle.len());
        }
        from = at + needle.len();
    }
    None
}

/// The hint for a JSON error.
fn json_hint(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            "the file is not valid JSON; was it cut short or edited by hand?".into()
        }
        _ => {
            "is this a forecast.json written by `brink forecast` (schema brink.forecast/1)?".into()
        }
    }
}

/// Reads and checks one forecast file; its problems go into `diags`.
pub fn read_forecast(path: &Path, diags: &mut Diagnostics) -> Option<Forecast> {
    let whole = |message: String, hint: &str| Diagnostic {
        severity: Severity::Error,
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message,
        hint: Some(hint.into()),
        source_line: None,
        source_column: 0,
        underline: 0,
    };
    let text = match read_text_limited(path, MAX_FORECAST_BYTES) {
        Ok(t) => t,
        Err(e) => {
            // The message names the path and ends in its hint.
            let msg = e.to_string();
            let (message, hint) = msg
                .split_once("\n  = hint: ")
                .unwrap_or((&msg, "check the path"));
            let message = message
                .strip_prefix(&format!("{}: ", path.display()))
                .unwrap_or(message);
            diags.push(whole(message.to_string(), hint));
            return None;
        }
    };
    let src = SourceFile::new(path, text.as_str());
    let raw: RawForecast = match serde_json::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            // serde's column is that of the last character it read.
            let at = offset_of(&text, e.line(), e.column().max(1));
            let message = e.to_string();
            // serde's message repeats the position; the diagnostic shows it.
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m)
                .to_string();
            diags.push(src.diagnostic(
                Severity::Error,
                Some(at..at + 1),
                message,
                Some(json_hint(&e)),
            ));
            return None;
        }
    };
    let before = diags.error_count();
    let mut error = |span: Option<Range<usize>>, message: String, hint: &str| {
        diags.push(src.diagnostic(Severity::Error, span, message, Some(hint.into())));
    };
    if raw.schema != FORECAST_SCHEMA {
        error(
            span_of_pair(&text, "schema", &raw.schema),
            format!("schema `{}` is not `{FORECAST_SCHEMA}`", raw.schema),
            "brink score reads the forecast.json files of `brink forecast`",
        );
    }
    if raw.kept == 0 || raw.kept > raw.trials {
        error(
            None,
            format!(
                "{} trials kept of {} run: a forecast needs at least one kept trial, and no more than it ran",
                raw.kept, raw.trials
            ),
            "run the forecast again",
        );
    }
    let mut seen = std::collections::HashSet::new();
    for q in &raw.questions {
        let span = span_of_pair(&text, "id", &q.id);
        if !seen.insert(q.id.as_str()) {
            error(
                span.clone(),
                format!("question `{}` appears twice", q.id),
                "give every question its own id",
            );
        }
        if q.hits > raw.kept {
            error(
                span.clone(),
                format!(
                    "question `{}` holds in {} trials of {} kept",
                    q.id, q.hits, raw.kept
                ),
                "the file was edited or damaged; run the forecast again",
            );
        } else if raw.kept > 0 {
            let share = q.hits as f64 / raw.kept as f64;
            if !(q.probability - share).abs().le(&PROBABILITY_TOLERANCE) {
                error(
                    span,
                    format!(
                        "question `{}` has probability {} but holds in {} of {} kept trials ({share})",
                        q.id, q.probability, q.hits, raw.kept
                    ),
                    "the file was edited or damaged; run the forecast again",
                );
            }
        }
    }
    (diags.error_count() == before).then(|| Forecast {
        path: path.to_path_buf(),
        file: path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        sha256: hex_sha256(text.as_bytes()),
        scenario: raw.scenario,
        seed: raw.seed,
        trials: raw.trials,
        kept: raw.kept,
        given: raw.given,
        questions: raw.questions,
    })
}

/// Reads every file of `paths`, reporting the problems of all of them at
/// once; also refuses a question scored twice (the same scenario and
/// question id in two files, as when a file is named twice).
pub fn read_forecasts(paths: &[impl AsRef<Path>]) -> Result<Vec<Forecast>, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut out = Vec::new();
    for p in paths {
        if let Some(f) = read_forecast(p.as_ref(), &mut diags) {
            out.push(f);
        }
    }
    let mut first: std::collections::HashMap<(String, String), String> = Default::default();
    for f in &out {
        for q in &f.questions {
            let key = (f.scenario.id.clone(), q.id.clone());
            match first.get(&key) {
                Some(other) => diags.push(Diagnostic {
                    severity: Severity::Error,
                    file: f.path.clone(),
                    line: 0,
                    column: 0,
                    message: format!(
                        "question `{}` of scenario `{}` is also in {other}",
                        q.id, f.scenario.id
                    ),
                    hint: Some("name each forecast file once".into()),
                    source_line: None,
                    source_column: 0,
                    underline: 0,
                }),
                None => {
                    first.insert(key, f.path.display().to_string());
                }
            }
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_pairs() {
        let text = "{\n  \"id\": \"a\",\n  \"x\": \"a\"\n}";
        assert_eq!(offset_of(text, 2, 3), 4);
        assert_eq!(&text[offset_of(text, 3, 8)..][..3], "\"a\"");
        let s = span_of_pair(text, "id", "a").unwrap();
        assert_eq!(s, 10..13);
        assert_eq!(span_of_pair(text, "x", "a"), Some(22..25));
        assert_eq!(span_of_pair(text, "id", "b"), None);
    }
}
