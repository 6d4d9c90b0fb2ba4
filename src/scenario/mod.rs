//! Scenario files: the format, loading with located diagnostics, and the
//! validated [`Scenario`] that the model is compiled from.
//!
//! Flow: bytes -> TOML tree (`load`), merged with its parents (`extends`) ->
//! typed sections (`format`) -> checked meaning with resolved references
//! (`validate`) -> [`Scenario`].

pub mod assumptions;
pub mod builtin;
pub mod calendar;
pub mod catalog;
pub mod condition;
pub mod diagnostic;
pub mod digest;
pub mod extends;
pub mod format;
mod guard;
pub mod labels;
pub mod load;
pub mod number;
pub mod params;
pub mod parent;
mod parse;
mod raw;
pub mod reachability;
pub mod sample_file;
pub mod sources;
pub mod starter;
mod strings;
mod structure;
mod text;
mod validate;

use std::path::PathBuf;

use crate::distribution::Distribution;
use crate::world::{Condition, Var, VarInfo};

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
    /// Escalation rung 0..=4, or 5 when `[history]` says a war began.
    pub rung: u8,
    /// Whether talks are running.
    pub talks_active: bool,
    /// Initial value of every variable, in the order of [`Scenario::vars`].
    pub vars: Vec<Param>,
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
    /// Actors the action is aimed at (indices): a violent action aimed at an
    /// actor gives it a reaction choice in the same step, and pressure falls
    /// on the targets that bargain.
    pub targets: Vec<usize>,
    /// Whether taking it agrees to (proposes or accepts) a ceasefire.
    pub ceasefire: bool,
    /// Chance that this action, taken by a mediator during a war, turns a
    /// ceasefire agreed by some but not all principals into one that holds.
    pub broker: Param,
    /// Concessions: (issue index, distance the actor's position moves
    /// towards its reservation point on that issue).
    pub concede: Vec<(usize, Param)>,
    /// Distance the targets' reservation points move towards the other
    /// parties' positions, on every issue.
    pub pressure: Param,
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
    /// Actions it may react with (indices into its actions) when a violent
    /// action is aimed at it; empty: it does not react within the step.
    pub reactions: Vec<usize>,
    /// Allies (actor indices) whose violent actions give it a reaction
    /// choice in the same step: it may join their strikes.
    pub joins: Vec<usize>,
    /// Utility added per unit of a variable: (variable, index into the
    /// actor's actions, coefficient). The utility of the action grows with
    /// the variable's value at the start of the step.
    pub incentives: Vec<(Var, usize, Param)>,
}

/// What a scripted event does.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    /// The actor takes this action (index into its actions): instead of
    /// choosing (`add` false), or in addition to its own choice (`add` true).
    Force {
        /// Actor index.
        actor: usize,
        /// Index into the actor's actions.
        action: usize,
        /// Whether the actor also chooses as usual.
        add: bool,
    },
    /// Variables are set at the start of the step.
    Set(Vec<(Var, Param)>),
}

/// A scripted event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Its position among the file's `[[events]]`, from 1 (`events.2.step`).
    pub number: usize,
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
    /// Every state variable: the built-in ones, then those the scenario declares.
    pub vars: Vec<VarInfo>,
    /// Which states end a trial.
    pub absorbing: Absorbing,
    /// How wars end.
    pub war: War,
    /// Bargaining over positions, when the scenario has `[bargaining]`;
    /// otherwise a deal comes when talks progress reaches its threshold.
    pub bargaining: Option<Bargaining>,
    /// Deadlines and ultimatums.
    pub deadlines: Vec<Deadline>,
    /// Per-step changes of variables while conditions hold.
    pub drifts: Vec<Drift>,
    /// Where each uncertain number was written and its source in the file.
    pub assumptions: Vec<assumptions::AssumptionSource>,
    /// What had happened by the start (`[history]`), when the scenario
    /// starts mid-crisis.
    pub history: Option<History>,
    /// Numbers fixed on the command line (`--set PATH=VALUE`), in the order
    /// given; empty for the scenario as written.
    pub overrides: Vec<params::Override>,
}

/// Which states end a trial (`outcomes.absorbing`); by default none does and
/// every trial runs to the horizon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Absorbing {
    /// A final deal ends the trial.
    pub deal: bool,
    /// The start of a war ends the trial.
    pub war: bool,
}

/// How a war (rung 5) ends: `[war]`.
#[derive(Debug, Clone, PartialEq)]
pub struct War {
    /// Rung the world returns to when a ceasefire takes hold.
    pub ceasefire_rung: u8,
    /// Chance per step that a ceasefire collapses back into war by itself.
    pub collapse: Param,
    /// Steps a ceasefire must hold for the war to count as ended.
    pub holds_after: u32,
}

/// `[bargaining]`: deals by bargaining over positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Bargaining {
    /// Actors who must agree (indices), in the order of each issue's positions.
    pub parties: Vec<usize>,
    /// The issues.
    pub issues: Vec<Issue>,
    /// Chance per step of closing an agreement when positions just meet.
    pub close_base: Param,
    /// Added chance per unit of overlap (the smallest over the issues).
    pub close_per_overlap: Param,
    /// Added chance per unit of trust.
    pub close_per_trust: Param,
    /// Whether agreements can close while talks are suspended.
    pub back_channel: bool,
    /// Distance every party's reservation points move towards the others
    /// in each step of war (the costs of fighting).
    pub war_softening: Param,
}

/// One issue under negotiation, on a scale of 0 to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Identifier.
    pub id: String,
    /// What the scale measures.
    pub label: String,
    /// Whether an interim agreement (a memorandum) settles this issue: an
    /// interim agreement comes when every interim issue overlaps.
    pub interim: bool,
    /// Each party's position, in the order of [`Bargaining::parties`].
    pub positions: Vec<Position>,
}

/// A party's position on one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    /// Whether the party wants the value high (else low).
    pub wants_high: bool,
    /// Its opening demand.
    pub start: Param,
    /// The least favourable value it could ever accept (before pressure).
    pub reservation: Param,
}

/// A deadline or ultimatum: named actors' utilities change as it approaches
/// and once it has passed.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadline {
    /// Identifier.
    pub id: String,
    /// The step at which it passes.
    pub step: u32,
    /// The actor who set it (index).
    pub set_by: usize,
    /// Steps before the deadline over which the `before` bonuses ramp up.
    pub lead: u32,
    /// Steps after it over which the `after` bonuses fade (0: never fade).
    pub fade: u32,
    /// (actor, index into its actions, full bonus) while it approaches.
    pub before: Vec<(usize, usize, Param)>,
    /// (actor, index into its actions, full bonus) once passed.
    pub after: Vec<(usize, usize, Param)>,
    /// While this holds, the deadline has no effect (for example `interim`).
    pub unless: Option<Condition>,
}

/// A change of variables in every step while conditions hold: accumulating
/// states such as the costs of a war or impatience with stalled talks.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    /// All must hold (after the step's actions) for the drift to apply.
    pub when: Vec<Condition>,
    /// Change per step.
    pub effects: Vec<(Var, Param)>,
    /// The changes are multiplied by this variable's value, if given.
    pub scale: Option<Var>,
}

/// A milestone that `[history]` can declare passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PastMilestone {
    /// The first strike by any principal (the first step at rung 4 or above).
    FirstStrike,
    /// The first strike of this principal (actor index).
    FirstStrikeBy(usize),
    /// The first incident.
    FirstIncident,
    /// The start of the first war.
    WarStart,
    /// The first ceasefire.
    Ceasefire,
    /// The first end of a war.
    WarEnd,
    /// The interim agreement.
    Interim,
    /// The final deal.
    Deal,
    /// Breakout.
    Breakout,
}

/// A milestone passed before the start.
#[derive(Debug, Clone, PartialEq)]
pub struct PassedMilestone {
    /// Which milestone.
    pub milestone: PastMilestone,
    /// Its name (`war_start`, `first_strike_israel`).
    pub name: String,
    /// The date it happened, when given as a date (or implied by one).
    pub date: Option<chrono::NaiveDate>,
    /// The step it happened in: 0 is the step that ends at the start, -1
    /// the one before, and so on.
    pub step: i64,
    /// True when `[history]` does not name it but what it says implies it
    /// (a war implies a first strike; a principal's strike, or a rung of 4 or
    /// more, implies the first strike by anyone).
    pub implied: bool,
}

/// The state of the war at the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarAtStart {
    /// No war has started.
    None,
    /// A war is being fought (rung 5).
    Fighting,
    /// A war is in a ceasefire that has held `held` steps (fewer than
    /// `[war] holds_after`).
    Ceasefire {
        /// Steps it has held at the end of step 0.
        held: u32,
    },
    /// The war has ended.
    Ended,
}

/// `[history]` checked: the milestones already passed, the state of the
/// war and each actor's last move at the start.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    /// Milestones passed by the start, declared then implied, each once.
    pub passed: Vec<PassedMilestone>,
    /// (actor index, index into its actions) of each declared last move.
    pub last_moves: Vec<(usize, usize)>,
    /// The war at the start.
    pub war: WarAtStart,
    /// Whether an agreement was reached after the war started.
    pub settled_after_war: bool,
    /// Whether an incident happened in step 0 (the `incident` flag of step 1).
    pub incident: bool,
}

impl History {
    /// Whether `m` had passed by the start.
    pub fn has(&self, m: PastMilestone) -> bool {
        self.passed.iter().any(|p| p.milestone == m)
    }
}
