//! Questions about trials: the event language (`first_strike by
//! 2026-03-31`, `war for 8 weeks`, `rung >= 4 by step 3 and talks
//! suspended at step 5`), compiled against a model and its calendar, and
//! evaluated on trials by a [`Tracker`]; and question files, lists of
//! dated questions for `brink forecast`.
//!
//! Text is parsed into an [`EventExpr`] ([`parse()`]), resolved into an
//! [`Event`] ([`compile()`]), and events are collected into an
//! [`EventSet`] whose [`Tracker`] watches trials as an observer.
//!
//! Layer: beside `stats`; reads `model`, `observe` and the scenario's
//! calendar.

pub mod compile;
pub mod file;
pub mod forecast;
pub mod parse;
pub mod tracker;

use std::ops::Range;

pub use compile::{Event, compile};
pub use file::{Question, QuestionFile};
pub use parse::{EventExpr, parse};
pub use tracker::{EventSet, Tracker};

use crate::model::Model;

/// A problem in an event's text: where it is (a byte range of the text)
/// and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventError {
    /// Byte range of the offending part of the text.
    pub span: Range<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl EventError {
    /// The error shown under the text it is about, with a caret under the
    /// offending part:
    ///
    /// ```text
    /// deal by 2026-13-01
    ///         ^^^^^^^^^^ `2026-13-01` has month 13; ...
    /// ```
    pub fn pointed(&self, text: &str) -> String {
        let start = text
            .char_indices()
            .take_while(|(i, _)| *i < self.span.start)
            .count();
        let width = text
            .get(self.span.start.min(text.len())..self.span.end.min(text.len()))
            .map_or(1, |s| s.chars().count().max(1));
        format!(
            "{text}\n{}{} {}",
            " ".repeat(start),
            "^".repeat(width),
            self.message
        )
    }
}

/// Parses and compiles an event for `model` (with the model's calendar).
pub fn event(text: &str, model: &Model) -> Result<Event, EventError> {
    compile(&parse(text)?, model, model.calendar.as_ref())
}

/// Compiles the `--given` events of a command line for `model`, as bad
/// input naming the first that fails, with a caret under the problem.
pub fn given_events(texts: &[String], model: &Model) -> std::io::Result<Vec<Event>> {
    texts
        .iter()
        .map(|t| {
            event(t, model).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!(
                        "--given: {}\n  {}\n  = hint: {}",
                        e.message,
                        e.pointed(t).replace('\n', "\n  "),
                        e.hint
                    ),
                )
            })
        })
        .collect()
}

/// Fewest trials a condition may keep: a conditioned result of fewer is
/// refused (fewer than [`WARN_KEPT`] is warned of).
pub const MIN_KEPT: u64 = 100;

/// Below this many kept trials, a conditioned result carries a warning.
pub const WARN_KEPT: u64 = 1_000;

/// Refuses a conditioned result of `kept` trials of `run` when fewer than
/// [`MIN_KEPT`] were kept.
pub fn check_kept(given: &[String], run: u64, kept: u64) -> std::io::Result<()> {
    if kept >= MIN_KEPT {
        return Ok(());
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!(
            "only {kept} of {run} trials satisfy --given {}; at least {MIN_KEPT} are needed\n  = hint: run more trials (--trials {}), or condition on something less rare",
            given
                .iter()
                .map(|g| format!("`{g}`"))
                .collect::<Vec<_>>()
                .join(" and "),
            suggested_trials(run, kept)
        ),
    ))
}

/// Trials that would keep about [`WARN_KEPT`] at the rate seen.
fn suggested_trials(run: u64, kept: u64) -> u64 {
    let rate = (kept.max(1) as f64) / (run.max(1) as f64);
    (WARN_KEPT as f64 / rate).ceil() as u64
}

/// The warning for a conditioned result of few kept trials, if any.
pub fn kept_warning(run: u64, kept: u64) -> Option<String> {
    (kept < WARN_KEPT).then(|| {
        format!(
            "only {kept} of {run} trials satisfy the condition; intervals are wide (run more trials for at least {WARN_KEPT})"
        )
    })
}

#[cfg(test)]
mod tests;
