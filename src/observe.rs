//! What a trial shows the world: each actor's choice, the state after every
//! step, and the record of the trial's end, delivered to a
//! [`TrialObserver`]. The engine calls observers; the statistics and
//! `trace` are observers. Both depend on this module, neither on the other
//! for it.

use crate::world::{MAX_MILESTONES, N_VARS, Outcome};

/// What one actor did in one step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// The move taken (global move index), or `None` when no action was open.
    pub mv: Option<u32>,
    /// The probability with which it was chosen (1 when forced).
    pub probability: f64,
    /// True when a scripted event forced it.
    pub forced: bool,
}

/// The world after one step, as seen by observers.
#[derive(Debug, Clone, Copy)]
pub struct StepView<'a> {
    /// 1-based step (0 for the initial state).
    pub step: u32,
    /// Rung at the end of the step.
    pub rung: u8,
    /// Rung after the chosen actions, before incidents and de-escalation.
    pub rung_after_actions: u8,
    /// Talks running at the end of the step.
    pub talks_active: bool,
    /// Variables at the end of the step.
    pub vars: &'a [f64; N_VARS],
    /// Sum of the escalation scores of the actions taken in the step.
    pub escalation: i32,
    /// Sum of escalation scores up to and including this step.
    pub cumulative_escalation: i64,
    /// The incident hazard of the step.
    pub hazard: f64,
    /// Whether an incident happened.
    pub incident: bool,
    /// Whether restraint held the incident from raising the rung.
    pub incident_held: bool,
    /// Whether the rung fell by de-escalation.
    pub deescalated: bool,
    /// Each actor's choice (empty for the initial state).
    pub choices: &'a [Choice],
    /// Each actor's reaction within the step (`mv` is `None` for an actor
    /// that did not react; empty for the initial state).
    pub reactions: &'a [Choice],
    /// Each actor's forced action taken in addition to its choice.
    pub added: &'a [Option<u32>],
    /// Whether a ceasefire holds at the end of the step.
    pub ceasefire: bool,
    /// Whether a war is under way (at war, or in a ceasefire that has not
    /// yet ended it).
    pub war_open: bool,
    /// Whether an interim agreement has been reached.
    pub interim: bool,
    /// Whether the final deal has been reached.
    pub deal: bool,
    /// Bargaining positions, `[party * n_issues + issue]` (empty without bargaining).
    pub positions: &'a [f64],
    /// Reservation points, in the same layout.
    pub reservations: &'a [f64],
}

/// Receives every step of a trial. The Monte Carlo aggregates and `trace` are observers.
pub trait TrialObserver {
    /// Called once with the initial state (step 0).
    fn on_start(&mut self, _view: &StepView) {}
    /// Called after every step.
    fn on_step(&mut self, _view: &StepView) {}
    /// Called when the trial has ended.
    fn on_end(&mut self, _record: &TrialRecord) {}
}

impl TrialObserver for () {}

/// The result of one trial.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrialRecord {
    /// Trial index (its stream).
    pub trial: u64,
    /// How it ended.
    pub outcome: Outcome,
    /// Step of the outcome (the horizon for standoff and talks ongoing).
    pub outcome_step: u32,
    /// Highest rung reached.
    pub max_rung: u8,
    /// Sum of escalation scores over the trial.
    pub escalation_total: i64,
    /// First step at rung 4 or above.
    pub first_strike_step: Option<u32>,
    /// First step with the stockpile at or above the breakout threshold.
    pub breakout_step: Option<u32>,
    /// Number of incidents.
    pub incidents: u32,
    /// Steps simulated.
    pub steps: u32,
    /// Rung at the end.
    pub final_rung: u8,
    /// Talks running at the end.
    pub talks_active: bool,
    /// Variables at the end (the first `n_vars` are the model's).
    pub final_vars: [f64; N_VARS],
    /// Number of the model's variables.
    pub n_vars: u8,
    /// First step of each milestone, in the order of the model's
    /// milestones (the first `n_milestones`).
    pub milestones: [Option<u32>; MAX_MILESTONES],
    /// Number of the model's milestones.
    pub n_milestones: u8,
}

impl TrialRecord {
    /// The model's variables at the end.
    pub fn vars(&self) -> &[f64] {
        &self.final_vars[..usize::from(self.n_vars)]
    }

    /// The first step of each of the model's milestones.
    pub fn milestone_steps(&self) -> &[Option<u32>] {
        &self.milestones[..usize::from(self.n_milestones)]
    }
}
