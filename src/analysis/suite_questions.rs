//! The resolved questions of one episode of a suite, compiled against the
//! episode's model: the one place where the suite calibration meets
//! question files and the event language.
//!
//! This reader understands question files (the layout of `brink forecast --questions`:
//! `[[question]]` with `id`, `text`, `event`, optional `by`, `resolved`,
//! `resolution`) whose events name a milestone with an optional window
//! `by step N` or `by YYYY-MM-DD` (`first_strike by step 1`, `deal by
//! 2026-12-31`): what a suite of past episodes asks. Everything the fit
//! needs goes through [`EpisodeQuestions`] (what the questions are) and
//! [`Answers`] (a per-trial observer that says which events held), so the
//! full event language can replace the reader without touching the fit.

use std::path::Path;

use serde::Deserialize;

use crate::input::read_limited;
use crate::model::Model;
use crate::observe::{TrialObserver, TrialRecord};
use crate::scenario::Scenario;
use crate::scenario::calendar::parse_date;

use super::suite_fit::QuestionInfo;

/// Largest question file read.
const MAX_QUESTIONS_BYTES: u64 = 1 << 20;

/// Where a milestone's first step is read from in a trial's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// `first_strike`: the first step at rung 4 or more.
    FirstStrike,
    /// `breakout`.
    Breakout,
    /// One of the model's milestones, by index.
    Model(usize),
}

/// A compiled event: the milestone was reached at or before `by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MilestoneBy {
    source: Source,
    by: u32,
}

/// The resolved questions of an episode and their compiled events.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeQuestions {
    /// The resolved questions, in file order.
    pub questions: Vec<QuestionInfo>,
    /// Questions of the file not yet resolved (not fitted).
    pub unresolved: usize,
    events: Vec<MilestoneBy>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    #[allow(dead_code)]
    title: Option<String>,
    #[serde(default)]
    given: Vec<String>,
    #[serde(default)]
    question: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    text: String,
    event: String,
    #[serde(default)]
    by: Option<toml::Value>,
    #[serde(default)]
    resolved: Option<bool>,
    #[serde(default)]
    #[allow(dead_code)]
    resolution: Option<String>,
}

/// The milestone names of `model` with where each is read from, in the
/// order of the shared contracts: `first_strike`, each principal's first
/// strike and the model's other milestones, `breakout`.
fn milestone_sources(model: &Model) -> Vec<(String, Source)> {
    let mut out = vec![("first_strike".to_string(), Source::FirstStrike)];
    for (k, m) in model.milestones.iter().enumerate() {
        let column = m.column(&model.actors);
        let name = column.strip_suffix("_step").unwrap_or(&column).to_string();
        out.push((name, Source::Model(k)));
    }
    out.push(("breakout".to_string(), Source::Breakout));
    out
}

impl EpisodeQuestions {
    /// Reads the question file at `path` for `scenario` (compiled as
    /// `model`). Every problem found is returned, one line each, naming the
    /// file and the question.
    pub fn read(
        path: &Path,
        scenario: &Scenario,
        model: &Model,
    ) -> Result<EpisodeQuestions, Vec<String>> {
        let file = path.display();
        let bytes =
            read_limited(path, MAX_QUESTIONS_BYTES).map_err(|e| vec![format!("{file}: {e}")])?;
        let text = String::from_utf8(bytes).map_err(|_| vec![format!("{file}: not UTF-8 text")])?;
        let raw: RawFile = toml::from_str(&text).map_err(|e| vec![format!("{file}: {e}")])?;
        let mut errors = Vec::new();
        if !raw.given.is_empty() {
            errors.push(format!(
                "{file}: `given` conditions are not used by a suite calibration\n  = hint: \
                 an episode's question file states what happened; set the observed start in the scenario instead"
            ));
        }
        let names = milestone_sources(model);
        let mut questions = Vec::new();
        let mut events = Vec::new();
        let mut unresolved = 0;
        let mut seen = std::collections::BTreeSet::new();
        for q in &raw.question {
            if !seen.insert(q.id.clone()) {
                errors.push(format!("{file}: question `{}` is stated twice", q.id));
            }
            let Some(resolved) = q.resolved else {
                unresolved += 1;
                continue;
            };
            match compile(&q.event, q.by.as_ref(), &names, scenario) {
                Ok(e) => {
                    events.push(e);
                    questions.push(QuestionInfo {
                        episode: scenario.name.clone(),
                        id: q.id.clone(),
                        text: q.text.clone(),
                        event: q.event.clone(),
                        resolved,
                    });
                }
                Err(why) => errors.push(format!("{file}: question `{}`: {why}", q.id)),
            }
        }
        if errors.is_empty() {
            Ok(EpisodeQuestions {
                questions,
                unresolved,
                events,
            })
        } else {
            Err(errors)
        }
    }

    /// A fresh observer that answers every question after each trial.
    pub fn answers(&self) -> Answers<'_> {
        Answers {
            events: &self.events,
            held: vec![false; self.events.len()],
        }
    }
}

/// The step a window `when` (`step N`, or a date in a dated scenario)
/// names.
fn window_step(when: &str, scenario: &Scenario) -> Result<u32, String> {
    let when = when.trim();
    if let Some(n) = when.strip_prefix("step") {
        return n
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("`{when}` is not `step N`"));
    }
    let date = parse_date(when)
        .map_err(|_| format!("`{when}` is neither `step N` nor a date YYYY-MM-DD"))?;
    let Some(cal) = &scenario.calendar else {
        return Err(format!(
            "`{when}` is a date, and the scenario has no `[run] start`"
        ));
    };
    let days = (date - cal.start()).num_days();
    if days < 0 {
        return Err(format!("{when} is before the scenario's start"));
    }
    Ok((days as u64 / u64::from(cal.step_days())).min(u64::from(u32::MAX)) as u32)
}

/// Compiles `event` (with the question's `by`, if any).
fn compile(
    event: &str,
    by: Option<&toml::Value>,
    names: &[(String, Source)],
    scenario: &Scenario,
) -> Result<MilestoneBy, String> {
    let event = event.trim();
    let (name, window) = match event.split_once(" by ") {
        Some((n, w)) => (n.trim(), Some(w.trim().to_string())),
        None => (event, None),
    };
    let window = match (window, by) {
        (Some(_), Some(_)) => return Err("the event has a window and the question a `by`".into()),
        (Some(w), None) => Some(w),
        (None, Some(toml::Value::Integer(n))) => Some(format!("step {n}")),
        (None, Some(toml::Value::String(s))) => Some(s.clone()),
        (None, Some(toml::Value::Datetime(d))) => Some(d.to_string()),
        (None, Some(_)) => return Err("`by` must be a step number or a date".into()),
        (None, None) => None,
    };
    let Some((_, source)) = names.iter().find(|(n, _)| n == name) else {
        let list: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
        return Err(format!(
            "`{event}` is not `MILESTONE [by step N | by DATE]`\n  = hint: milestones of this scenario: {}",
            list.join(", ")
        ));
    };
    let by = match window {
        Some(w) => window_step(&w, scenario)?,
        None => scenario.horizon,
    };
    if by > scenario.horizon {
        return Err(format!(
            "the window ends at step {by}, after the horizon ({})",
            scenario.horizon
        ));
    }
    Ok(MilestoneBy {
        source: *source,
        by,
    })
}

/// Per trial, which events of an episode held: a [`TrialObserver`] that
/// allocates nothing per trial.
#[derive(Debug)]
pub struct Answers<'a> {
    events: &'a [MilestoneBy],
    held: Vec<bool>,
}

impl Answers<'_> {
    /// Whether event `k` held in the last trial observed.
    pub fn holds(&self, k: usize) -> bool {
        self.held[k]
    }
}

impl TrialObserver for Answers<'_> {
    fn on_end(&mut self, r: &TrialRecord) {
        for (h, e) in self.held.iter_mut().zip(self.events) {
            let step = match e.source {
                Source::FirstStrike => r.first_strike_step,
                Source::Breakout => r.breakout_step,
                Source::Model(k) => r.milestone_steps().get(k).copied().flatten(),
            };
            *h = step.is_some_and(|s| s <= e.by);
        }
    }
}
