//! Scenario files: the format, loading with located diagnostics, and the
//! validated [`Scenario`] that the model is compiled from.
//!
//! Flow: bytes -> TOML tree (`load`), merged with its parents (`extends`) ->
//! typed sections (`format`) -> checked meaning with resolved references
//! (`validate`) -> [`Scenario`].

pub mod calendar;
pub mod catalog;
pub mod condition;
pub mod diagnostic;
pub mod digest;
pub mod extends;
pub mod format;
mod guard;
pub mod load;
pub mod number;
pub mod parent;
mod parse;
mod raw;
pub mod reachability;
pub mod sources;
pub mod starter;
mod strings;
mod structure;
mod text;
mod validate;

use std::path::PathBuf;

use crate::distribution::Distribution;
use crate::world::{Condition, N_VARS, Var};

pub use calendar::Calendar;
pub use diagnostic::{Diagnostic, Diagnostics, Severity, SourceFile};
pub use extends::ChainFile;
pub use load::{LoadOptions, load, load_bytes, load_bytes_with, load_str, load_with};
pub use sources::SourceMap;

/// A number of the scenario together with its path in the file
/// (`actors.us.rationality`), which names it in outputs and analyses.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Dotted path naming the number.
    pub path: String,
    /// Its value (for an uncertain number, the nominal value of its distribution).
    pub value: f64,
    /// The distribution of an uncertain number, drawn once per trial.
    pub dist: Option<Distribution>,
    /// Lowest valid value.
    pub low: f64,
    /// Highest valid value.
    pub high: f64,
}

impl Param {
    /// A fixed, named value with no range restriction.
    pub fn new(path: impl Into<String>, value: f64) -> Self {
        Self {
            path: path.into(),
            value,
            dist: None,
            low: f64::NEG_INFINITY,
            high: f64::INFINITY,
        }
    }
}

/// Where a scenario was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The path as given.
    pub path: PathBuf,
    /// Hex sha256 of the file's bytes; for a file that `extends` others,
    /// the hash of the whole chain (see [`extends`]).
    pub sha256: String,
    /// The files read: the scenario's own, then its parent, and so on.
    pub chain: Vec<ChainFile>,
}

/// The world before the first step.
#[derive(Debug, Clone, PartialEq)]
pub struct Initial {
    /// Escalation rung 0..=4.
    pub rung: u8,
    /// Whether talks are running.
    pub talks_active: bool,
    /// Continuous variables in [`Var`] order.
    pub vars: [Param; N_VARS],
}

/// Rules of the step that are not tied to an actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Dynamics {
    /// Escalation score from which an action counts as hostile.
    pub hostile_from: i32,
    /// Growth of escalation aversion per rung.
    pub aversion_per_rung: Param,
    /// Chance per quiet step of falling one rung, at zero trust.
    pub deescalation_base: Param,
    /// Added chance per unit of trust.
    pub deescalation_per_trust: Param,
    /// Talks progress that makes a deal.
    pub deal_progress: Param,
    /// Stockpile that counts as breakout.
    pub breakout_stockpile: Param,
}

/// The incident hazard.
#[derive(Debug, Clone, PartialEq)]
pub struct Incidents {
    /// Hazard at rung 0 with no build-up.
    pub base: Param,
    /// Added per rung.
    pub per_rung: Param,
    /// Added per unit of a variable.
    pub weights: Vec<(Var, Param)>,
    /// Upper bound.
    pub max_hazard: Param,
    /// Highest rung an incident can reach.
    pub max_rung: u8,
    /// Trust lost per incident.
    pub trust_loss: Param,
}

/// What an action does to talks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TalksChange {
    /// Talks stop.
    Suspend,
    /// Talks start again.
    Resume,
}

/// One action of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// Identifier.
    pub id: String,
    /// Human label.
    pub label: String,
    /// EscalAItion score.
    pub escalation: i32,
    /// All must hold for the action to be open.
    pub requires: Vec<Condition>,
    /// Additive effects.
    pub effects: Vec<(Var, Param)>,
    /// Added to the rung.
    pub rung_change: i8,
    /// The rung is raised to at least this.
    pub rung_at_least: u8,
    /// Effect on talks.
    pub talks: Option<TalksChange>,
    /// Chance of holding an incident.
    pub restraint: Param,
    /// Utility cost.
    pub cost: Param,
}

/// An actor's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A party to the dispute.
    Principal,
    /// A go-between.
    Mediator,
}

/// Something an actor prefers more or less of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    /// A continuous variable.
    Var(Var),
    /// The escalation rung.
    Rung,
}

/// An actor's red line: while `when` holds, `favour` is added to utilities.
#[derive(Debug, Clone, PartialEq)]
pub struct RedLine {
    /// When the line counts as crossed.
    pub when: Condition,
    /// (index into the actor's actions, utility added).
    pub favour: Vec<(usize, Param)>,
}

/// How an actor chooses.
#[derive(Debug, Clone, PartialEq)]
pub enum Policy {
    /// Logit (quantal response) over utilities.
    Logit,
    /// Constant probabilities, one per action of the actor.
    Fixed(Vec<Param>),
}

/// One actor.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    /// Identifier.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Principal or mediator.
    pub role: Role,
    /// How it chooses.
    pub policy: Policy,
    /// Indices into the action catalogue.
    pub actions: Vec<usize>,
    /// Indices of the actors it reciprocates.
    pub responds_to: Vec<usize>,
    /// Logit precision.
    pub rationality: Param,
    /// Weight of reciprocity.
    pub reciprocity: Param,
    /// Weight of escalation aversion.
    pub risk_aversion: Param,
    /// Pull of distrust towards hostile actions.
    pub distrust: Param,
    /// Weights on the state.
    pub preferences: Vec<(Preference, Param)>,
    /// (index into the actor's actions, utility offset).
    pub bias: Vec<(usize, Param)>,
    /// Red lines.
    pub red_lines: Vec<RedLine>,
}

/// What a scripted event does.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// The actor takes this action (index into its actions) instead of choosing.
    Force {
        /// Actor index.
        actor: usize,
        /// Index into the actor's actions.
        action: usize,
    },
    /// Variables are set at the start of the step.
    Set(Vec<(Var, Param)>),
}

/// A scripted event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// 1-based step.
    pub step: u32,
    /// What happens.
    pub kind: EventKind,
}

/// A checked scenario: every reference resolved, every value in range.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// The file it came from.
    pub origin: Origin,
    /// Machine name (output folder).
    pub name: String,
    /// Human title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Sources of the numbers.
    pub sources: Vec<String>,
    /// Steps per trial.
    pub horizon: u32,
    /// What a step is called.
    pub step_label: String,
    /// The date of each step, when `[run]` has a `start` date.
    pub calendar: Option<Calendar>,
    /// Default seed.
    pub seed: u64,
    /// Default trial count.
    pub trials: u64,
    /// Starting state.
    pub initial: Initial,
    /// Step rules.
    pub dynamics: Dynamics,
    /// Incident hazard.
    pub incidents: Incidents,
    /// Action catalogue.
    pub actions: Vec<Action>,
    /// Actors in order of application.
    pub actors: Vec<Actor>,
    /// Scripted events, sorted by step.
    pub events: Vec<Event>,
}
