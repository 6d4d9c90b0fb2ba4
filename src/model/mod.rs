//! The compiled model: a scenario resolved into flat, index-based arrays that
//! the hot loop reads without string lookups or allocation.
//!
//! Every number of the scenario lives in one slot of a parameter vector
//! ([`Model::params`]); the structure refers to slots, and [`Coefficients`]
//! turns one vector of values into the precomputed tables a trial runs on.
//! Uncertain parameters, sweeps and sensitivity analyses change values, never
//! the structure.

mod coefficients;
mod decision;
mod history;
mod mechanisms;

use std::ops::Range;

use crate::distribution::Distribution;
use crate::scenario::{
    Absorbing, Calendar, EventKind, Param, Policy, Preference, Role, Scenario, TalksChange,
};
use crate::world::{Condition, Var, VarInfo};

pub use coefficients::Coefficients;
pub use decision::DecisionRule;
pub use history::{HistoryInfo, HistoryMilestone, StartState};
pub use mechanisms::{
    BargainingModel, DeadlineModel, DriftModel, IssueModel, MAX_NAMED_MILESTONES, MAX_PRINCIPALS,
    Milestone, PositionModel, WarModel, milestone_firsts, milestone_names,
};

/// Number of variables whose initial values come before the step rules'
/// slots (the built-in ones); declared variables come after every slot of
/// model 1, so that its slots keep their numbers.
const N_BUILTIN_VARS_IN_FILE: usize = crate::world::N_BUILTIN_VARS;

/// Index of a parameter slot.
pub type Slot = u32;

/// The scenario's numbers, by slot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Params {
    /// Dotted path of each slot (`actors.us.rationality`).
    pub paths: Vec<String>,
    /// Value of each slot as written (the nominal value of an uncertain one).
    pub values: Vec<f64>,
    /// Distribution of each uncertain slot.
    pub dists: Vec<Option<Distribution>>,
    /// Valid range of each slot.
    pub bounds: Vec<(f64, f64)>,
}

impl Params {
    fn add(&mut self, p: &Param) -> Slot {
        self.paths.push(p.path.clone());
        self.values.push(p.value);
        self.dists.push(p.dist.clone());
        self.bounds.push((p.low, p.high));
        (self.paths.len() - 1) as Slot
    }

    /// Slots whose values are drawn per trial, in slot order.
    pub fn uncertain(&self) -> Vec<Slot> {
        (0..self.dists.len())
            .filter(|&k| self.dists[k].is_some())
            .map(|k| k as Slot)
            .collect()
    }

    /// The slot named by `path`, if any.
    pub fn find(&self, path: &str) -> Option<Slot> {
        self.paths.iter().position(|p| p == path).map(|i| i as Slot)
    }
}

/// How an action changes talks, as a small code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TalksEffect {
    /// No change.
    None,
    /// Talks stop.
    Suspend,
    /// Talks start again.
    Resume,
}

/// One action of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionModel {
    /// Identifier.
    pub id: String,
    /// Label.
    pub label: String,
    /// EscalAItion score.
    pub escalation: i32,
    /// Whether it counts as hostile.
    pub hostile: bool,
    /// Preconditions: range into [`Model::conditions`].
    pub requires: Range<u32>,
    /// (variable, slot) of each effect.
    pub effects: Vec<(Var, Slot)>,
    /// Added to the rung.
    pub rung_change: i8,
    /// Raises the rung to at least this.
    pub rung_at_least: u8,
    /// Effect on talks.
    pub talks: TalksEffect,
    /// Slot of the restraint probability.
    pub restraint: Slot,
    /// Slot of the utility cost.
    pub cost: Slot,
    /// Actors it is aimed at.
    pub targets: Vec<u16>,
    /// Whether taking it agrees to a ceasefire.
    pub ceasefire: bool,
    /// Slot of its chance of brokering a ceasefire.
    pub broker: Slot,
    /// (issue, slot of the concession) on each issue it concedes.
    pub concede: Vec<(u16, Slot)>,
    /// Slot of the pressure on its targets' reservation points.
    pub pressure: Slot,
}

/// A red line compiled: condition and the (actor-action index, slot) it favours.
#[derive(Debug, Clone, PartialEq)]
pub struct RedLineModel {
    /// When crossed.
    pub when: Condition,
    /// (index into the actor's actions, slot of the bonus).
    pub favour: Vec<(usize, Slot)>,
}

/// One actor compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct ActorModel {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// Principal or mediator.
    pub role: Role,
    /// How it chooses among its moves.
    pub rule: DecisionRule,
    /// Its actions: range into [`Model::moves`].
    pub moves: Range<u32>,
    /// Actors it reciprocates.
    pub responds_to: Vec<u16>,
    /// Reciprocity slot.
    pub reciprocity: Slot,
    /// Risk aversion slot.
    pub risk_aversion: Slot,
    /// Distrust slot.
    pub distrust: Slot,
    /// Preference weights (variable or rung, slot).
    pub preferences: Vec<(Preference, Slot)>,
    /// Red lines: range into [`Model::red_lines`].
    pub red_lines: Range<u32>,
    /// Global moves it may react with when struck (empty: no reaction).
    pub reactions: Vec<u32>,
    /// Allies whose violent actions it may join within the step.
    pub joins: Vec<u16>,
    /// (variable, global move, slot): utility per unit of the variable.
    pub incentives: Vec<(Var, u32, Slot)>,
}

/// An actor-action pair: the unit utilities and counts are kept for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Move {
    /// The actor.
    pub actor: u16,
    /// The action (catalogue index).
    pub action: u16,
    /// Slot of the actor's bias for it, if any.
    pub bias: Option<Slot>,
}

/// A scripted event compiled.
#[derive(Debug, Clone, PartialEq)]
pub enum EventModel {
    /// The actor takes this move, instead of choosing or (`add`) as well.
    Force {
        /// 1-based step.
        step: u32,
        /// Actor index.
        actor: u16,
        /// Global move index.
        mv: u32,
        /// Whether the actor also makes its own choice.
        add: bool,
    },
    /// A variable is set at the start of the step.
    Set {
        /// 1-based step.
        step: u32,
        /// Variable.
        var: Var,
        /// Slot of the value.
        slot: Slot,
    },
}

impl EventModel {
    /// The step of the event.
    pub fn step(&self) -> u32 {
        match self {
            EventModel::Force { step, .. } | EventModel::Set { step, .. } => *step,
        }
    }
}

/// Slots of the step rules.
#[derive(Debug, Clone, PartialEq)]
pub struct DynamicsSlots {
    /// Escalation aversion growth per rung.
    pub aversion_per_rung: Slot,
    /// De-escalation base chance.
    pub deescalation_base: Slot,
    /// De-escalation chance per trust.
    pub deescalation_per_trust: Slot,
    /// Deal threshold.
    pub deal_progress: Slot,
    /// Breakout threshold.
    pub breakout_stockpile: Slot,
    /// Incident base hazard.
    pub incident_base: Slot,
    /// Incident hazard per rung.
    pub incident_per_rung: Slot,
    /// Incident hazard weights per variable.
    pub incident_weights: Vec<(Var, Slot)>,
    /// Incident hazard cap.
    pub incident_max_hazard: Slot,
    /// Trust lost per incident.
    pub incident_trust_loss: Slot,
    /// Initial values of the variables (built-in and declared).
    pub initial: Vec<Slot>,
}

/// A scenario compiled for simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Scenario name.
    pub name: String,
    /// Steps per trial.
    pub horizon: u32,
    /// What a step is called.
    pub step_label: String,
    /// The date of each step, when the scenario has a start date.
    pub calendar: Option<Calendar>,
    /// Starting rung.
    pub initial_rung: u8,
    /// Starting talks status.
    pub initial_talks_active: bool,
    /// Highest rung incidents can reach.
    pub incident_max_rung: u8,
    /// Score from which an action is hostile.
    pub hostile_from: i32,
    /// The action catalogue.
    pub actions: Vec<ActionModel>,
    /// Actors in order of application.
    pub actors: Vec<ActorModel>,
    /// All actor-action pairs, grouped by actor.
    pub moves: Vec<Move>,
    /// Preconditions of all actions.
    pub conditions: Vec<Condition>,
    /// Red lines of all actors.
    pub red_lines: Vec<RedLineModel>,
    /// Scripted events sorted by step.
    pub events: Vec<EventModel>,
    /// Slots of the step rules.
    pub dynamics: DynamicsSlots,
    /// Every state variable: built-in, then declared.
    pub vars: Vec<VarInfo>,
    /// Which states end a trial.
    pub absorbing: Absorbing,
    /// How wars end.
    pub war: WarModel,
    /// Bargaining, when the scenario has it.
    pub bargaining: Option<BargainingModel>,
    /// Deadlines.
    pub deadlines: Vec<DeadlineModel>,
    /// Drifts.
    pub drifts: Vec<DriftModel>,
    /// Principals (actor indices), whose first strikes are milestones.
    pub principals: Vec<u16>,
    /// The milestones every trial records, in column order.
    pub milestones: Vec<Milestone>,
    /// The state every trial starts in beyond `[initial]`: milestones
    /// already passed, the war, each actor's last move (`[history]`).
    pub start: StartState,
    /// `[history]` as outputs describe it, when the scenario has it.
    pub history: Option<HistoryInfo>,
    /// All numbers.
    pub params: Params,
}

impl Model {
    /// Compiles a checked scenario.
    pub fn compile(s: &Scenario) -> Model {
        let mut params = Params::default();
        let mut conditions = Vec::new();
        let actions: Vec<ActionModel> = s
            .actions
            .iter()
            .map(|a| {
                let start = conditions.len() as u32;
                conditions.extend(a.requires.iter().copied());
                ActionModel {
                    id: a.id.clone(),
                    label: a.label.clone(),
                    escalation: a.escalation,
                    hostile: a.escalation >= s.dynamics.hostile_from,
                    requires: start..conditions.len() as u32,
                    effects: a.effects.iter().map(|(v, p)| (*v, params.add(p))).collect(),
                    rung_change: a.rung_change,
                    rung_at_least: a.rung_at_least,
                    talks: match a.talks {
                        None => TalksEffect::None,
                        Some(TalksChange::Suspend) => TalksEffect::Suspend,
                        Some(TalksChange::Resume) => TalksEffect::Resume,
                    },
                    restraint: params.add(&a.restraint),
                    cost: params.add(&a.cost),
                    targets: a.targets.iter().map(|&t| t as u16).collect(),
                    ceasefire: a.ceasefire,
                    // Filled in after the step rules, so that the slots of
                    // model 1 keep their numbers.
                    broker: 0,
                    concede: Vec::new(),
                    pressure: 0,
                }
            })
            .collect();

        let mut moves = Vec::new();
        let mut red_lines = Vec::new();
        let actors = s
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let start = moves.len() as u32;
                let mut probabilities = Vec::new();
                for (local, &g) in a.actions.iter().enumerate() {
                    let bias = a
                        .bias
                        .iter()
                        .find(|(l, _)| *l == local)
                        .map(|(_, p)| params.add(p));
                    if let Policy::Fixed(probs) = &a.policy {
                        probabilities.push(params.add(&probs[local]));
                    }
                    moves.push(Move {
                        actor: i as u16,
                        action: g as u16,
                        bias,
                    });
                }
                let rl_start = red_lines.len() as u32;
                for rl in &a.red_lines {
                    red_lines.push(RedLineModel {
                        when: rl.when,
                        favour: rl.favour.iter().map(|(l, p)| (*l, params.add(p))).collect(),
                    });
                }
                ActorModel {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    role: a.role,
                    moves: start..moves.len() as u32,
                    responds_to: a.responds_to.iter().map(|&r| r as u16).collect(),
                    // Every actor has a rationality slot (the parameter
                    // order does not depend on the rule).
                    rule: {
                        let rationality = params.add(&a.rationality);
                        match a.policy {
                            Policy::Logit => DecisionRule::Logit { rationality },
                            Policy::Fixed(_) => DecisionRule::Fixed { probabilities },
                        }
                    },
                    reciprocity: params.add(&a.reciprocity),
                    risk_aversion: params.add(&a.risk_aversion),
                    distrust: params.add(&a.distrust),
                    preferences: a
                        .preferences
                        .iter()
                        .map(|(k, p)| (*k, params.add(p)))
                        .collect(),
                    red_lines: rl_start..red_lines.len() as u32,
                    reactions: a.reactions.iter().map(|&l| start + l as u32).collect(),
                    joins: a.joins.iter().map(|&j| j as u16).collect(),
                    incentives: Vec::new(),
                }
            })
            .collect::<Vec<_>>();

        let mut events = Vec::new();
        for e in &s.events {
            match &e.kind {
                EventKind::Force { actor, action, add } => events.push(EventModel::Force {
                    step: e.step,
                    actor: *actor as u16,
                    mv: actors[*actor].moves.start + *action as u32,
                    add: *add,
                }),
                EventKind::Set(set) => {
                    for (var, p) in set {
                        events.push(EventModel::Set {
                            step: e.step,
                            var: *var,
                            slot: params.add(p),
                        });
                    }
                }
            }
        }
        events.sort_by_key(EventModel::step);

        let d = &s.dynamics;
        let inc = &s.incidents;
        let dynamics = DynamicsSlots {
            aversion_per_rung: params.add(&d.aversion_per_rung),
            deescalation_base: params.add(&d.deescalation_base),
            deescalation_per_trust: params.add(&d.deescalation_per_trust),
            deal_progress: params.add(&d.deal_progress),
            breakout_stockpile: params.add(&d.breakout_stockpile),
            incident_base: params.add(&inc.base),
            incident_per_rung: params.add(&inc.per_rung),
            incident_weights: inc
                .weights
                .iter()
                .map(|(v, p)| (*v, params.add(p)))
                .collect(),
            incident_max_hazard: params.add(&inc.max_hazard),
            incident_trust_loss: params.add(&inc.trust_loss),
            initial: s.initial.vars[..N_BUILTIN_VARS_IN_FILE]
                .iter()
                .map(|p| params.add(p))
                .collect(),
        };
        let mut actions = actions;
        let mut actors = actors;
        let extra = mechanisms::compile(s, &mut params, &mut actions, &mut actors);
        let mut dynamics = dynamics;
        dynamics.initial.extend(
            s.initial.vars[N_BUILTIN_VARS_IN_FILE..]
                .iter()
                .map(|p| params.add(p)),
        );

        let start = StartState::compile(s, &actors, &extra.milestones);
        Model {
            start,
            history: s.history.as_ref().map(|h| HistoryInfo::of(s, h)),
            name: s.name.clone(),
            horizon: s.horizon,
            step_label: s.step_label.clone(),
            calendar: s.calendar,
            initial_rung: s.initial.rung,
            initial_talks_active: s.initial.talks_active,
            incident_max_rung: s.incidents.max_rung,
            hostile_from: s.dynamics.hostile_from,
            actions,
            actors,
            moves,
            conditions,
            red_lines,
            events,
            dynamics,
            vars: s.vars.clone(),
            absorbing: s.absorbing,
            war: extra.war,
            bargaining: extra.bargaining,
            deadlines: extra.deadlines,
            drifts: extra.drifts,
            milestones: extra.milestones,
            principals: extra.principals,
            params,
        }
    }

    /// True when `other` is the same model under another name: every trial
    /// of the two runs with the same seed is then the same, so a paired
    /// difference between them is exactly 0.
    pub fn same_as(&self, other: &Model) -> bool {
        self.horizon == other.horizon
            && *self
                == Model {
                    name: self.name.clone(),
                    ..other.clone()
                }
    }

    /// Number of actor-action pairs.
    pub fn n_moves(&self) -> usize {
        self.moves.len()
    }

    /// `actor.action` names of all moves, in move order (used as column names).
    pub fn move_names(&self) -> Vec<String> {
        self.moves
            .iter()
            .map(|m| {
                format!(
                    "{}.{}",
                    self.actors[m.actor as usize].id, self.actions[m.action as usize].id
                )
            })
            .collect()
    }

    /// Coefficients for the values the scenario states.
    pub fn base_coefficients(&self) -> Coefficients {
        Coefficients::build(self, &self.params.values)
    }
}
