//! A scenario's merged TOML tree read into typed sections, each kept only
//! if it could be read, for [`super::validate`] to check as a whole.

use toml::de::DeTable;

use super::diagnostic::Diagnostics;
use super::format::{
    ActionEntry, ActorEntry, BargainingSection, DeadlineEntry, DriftEntry, DynamicsSection,
    EventEntry, Header, HistorySection, IncidentsSection, InitialSection, OutcomesSection,
    RunSection, SECTIONS, VariableEntry, WarSection,
};
use super::sources::SourceMap;
use super::structure::Reader;

/// Typed sections of a file, each present only if it could be read.
#[derive(Debug, Default)]
pub(crate) struct RawScenario {
    pub header: Option<Header>,
    pub run: Option<RunSection>,
    pub initial: Option<InitialSection>,
    pub outcomes: Option<OutcomesSection>,
    pub dynamics: Option<DynamicsSection>,
    pub incidents: Option<IncidentsSection>,
    pub actions: Vec<ActionEntry>,
    pub actors: Vec<ActorEntry>,
    pub events: Vec<EventEntry>,
    pub variables: Vec<VariableEntry>,
    pub war: Option<WarSection>,
    pub bargaining: Option<BargainingSection>,
    pub deadlines: Vec<DeadlineEntry>,
    pub drifts: Vec<DriftEntry>,
    pub history: Option<HistorySection>,
    /// Which required sections were present (even if unreadable).
    pub present: Vec<&'static str>,
    /// Paths of fields dropped because they could not be read (`actors.us.actions`).
    pub dropped: std::collections::BTreeSet<String>,
}

/// Reads the sections of `root`, reporting unknown ones and fields that cannot be read.
pub(crate) fn read_sections(
    src: &SourceMap,
    root: DeTable<'_>,
    diags: &mut Diagnostics,
) -> RawScenario {
    let mut raw = RawScenario::default();
    let mut reader = Reader::new(src, diags);
    for (key, value) in root {
        let name = key.get_ref().as_ref();
        let Some(&section) = SECTIONS.iter().find(|s| **s == name) else {
            reader.unknown_section(key.span(), name);
            continue;
        };
        raw.present.push(section);
        match section {
            "scenario" => raw.header = reader.read(value, section),
            "run" => raw.run = reader.read(value, section),
            "initial" => raw.initial = reader.read(value, section),
            "outcomes" => raw.outcomes = reader.read(value, section),
            "dynamics" => raw.dynamics = reader.read(value, section),
            "incidents" => raw.incidents = reader.read(value, section),
            "actions" => raw.actions = reader.read_entries(value, section),
            "actors" => raw.actors = reader.read_entries(value, section),
            "variables" => raw.variables = reader.read_entries(value, section),
            "war" => raw.war = reader.read(value, section),
            "bargaining" => raw.bargaining = reader.read(value, section),
            "deadlines" => raw.deadlines = reader.read_entries(value, section),
            "drifts" => raw.drifts = reader.read_entries(value, section),
            "history" => raw.history = reader.read_history(value),
            _ => raw.events = reader.read_entries(value, section),
        }
    }
    raw.dropped = reader.into_dropped();
    raw
}
