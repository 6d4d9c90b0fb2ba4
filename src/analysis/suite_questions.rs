//! The resolved questions of one episode of a suite, compiled against the
//! episode's model: the one place where the suite calibration meets
//! question files and the event language ([`crate::question`]).
//!
//! Every question of the file is read and compiled (errors with file, line,
//! column and hint); those with `resolved = true` or `false` are fitted,
//! the others counted. A file with `given` conditions is refused: an
//! episode's start is set in its scenario, not by conditioning.

use std::path::Path;

use crate::model::Model;
use crate::question::{EventSet, Tracker};
use crate::scenario::Scenario;

use super::suite_fit::QuestionInfo;

/// The resolved questions of an episode and their compiled events.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeQuestions {
    /// The resolved questions, in file order.
    pub questions: Vec<QuestionInfo>,
    /// Questions of the file not yet resolved (not fitted).
    pub unresolved: usize,
    events: EventSet,
}

impl EpisodeQuestions {
    /// Reads the question file at `path` for `scenario` (compiled as
    /// `model`). Every problem found is returned, as the diagnostics of the
    /// file.
    pub fn read(
        path: &Path,
        scenario: &Scenario,
        model: &Model,
    ) -> Result<EpisodeQuestions, Vec<String>> {
        let file = crate::question::file::load(path, model).map_err(|d| vec![d.to_string()])?;
        if !file.given.is_empty() {
            return Err(vec![format!(
                "{}: `given` conditions are not used by a suite calibration\n  = hint: \
                 an episode's question file states what happened; set the observed start in the scenario instead",
                path.display()
            )]);
        }
        let mut questions = Vec::new();
        let mut events = Vec::new();
        let mut unresolved = 0;
        for q in file.questions {
            let Some(resolved) = q.resolved else {
                unresolved += 1;
                continue;
            };
            events.push(q.compiled);
            questions.push(QuestionInfo {
                episode: scenario.name.clone(),
                id: q.id,
                text: q.text,
                event: q.event,
                resolved,
            });
        }
        Ok(EpisodeQuestions {
            questions,
            unresolved,
            events: EventSet::new(events, scenario.horizon),
        })
    }

    /// A fresh observer that answers every question after each trial
    /// (allocated once, reused for every trial).
    pub fn answers(&self) -> Tracker<'_> {
        self.events.tracker()
    }
}
