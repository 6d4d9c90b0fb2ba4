//! The story of one trial, step by step: every actor's choice with its
//! probability, incidents, rung changes, the state, and the outcome.
//!
//! A [`TraceObserver`] watches a trial run by the same [`TrialRunner`] and
//! seeding as `brink run`, so trial `i` of a trace is exactly trial `i` of a
//! run with the same seed. Formatting lives in one module per format
//! ([`text`], [`json`], [`csv`]).

pub mod csv;
pub mod json;
pub mod text;

use serde::Serialize;

use crate::engine::{
    ParamSpace, ParameterDraws, StepView, TrialObserver, TrialRecord, TrialRunner,
};
use crate::model::Model;
use crate::scenario::{Calendar, Scenario};
use crate::world::{N_BUILTIN_VARS, RUNG_LABELS, Var};

/// The value of a variable a scenario declares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceValue {
    /// Variable name.
    pub name: String,
    /// Its value.
    pub value: f64,
}

/// One party's position on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TracePosition {
    /// Issue id.
    pub issue: String,
    /// Party (actor id).
    pub party: String,
    /// Its current demand.
    pub position: f64,
    /// The least favourable value it could accept now.
    pub reservation: f64,
}

/// The world at one moment of a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceState {
    /// Escalation rung 0..=5.
    pub rung: u8,
    /// Whether talks are running.
    pub talks_active: bool,
    /// Mutual trust.
    pub trust: f64,
    /// Progress of talks.
    pub talks_progress: f64,
    /// Iran's stockpile.
    pub stockpile: f64,
    /// Sanctions pressure.
    pub sanctions: f64,
    /// US posture.
    pub us_posture: f64,
    /// Iran's readiness.
    pub iran_readiness: f64,
    /// The variables the scenario declares, in declaration order.
    pub declared: Vec<TraceValue>,
    /// Whether a war is under way (at war, or in a ceasefire that has not
    /// yet ended it).
    pub war_open: bool,
    /// Whether a ceasefire holds.
    pub ceasefire: bool,
    /// Whether an interim agreement has been reached.
    pub interim: bool,
    /// Whether the final deal has been reached.
    pub deal: bool,
    /// Bargaining positions (empty without `[bargaining]`).
    pub positions: Vec<TracePosition>,
}

impl TraceState {
    fn new(m: &Model, view: &StepView) -> Self {
        let v = view.vars;
        let positions = match &m.bargaining {
            Some(b) => {
                let n = b.issues.len();
                b.parties
                    .iter()
                    .enumerate()
                    .flat_map(|(p, &actor)| {
                        b.issues
                            .iter()
                            .enumerate()
                            .map(move |(k, issue)| (p, actor, k, issue))
                    })
                    .filter_map(|(p, actor, k, issue)| {
                        Some(TracePosition {
                            issue: issue.id.clone(),
                            party: m.actors[usize::from(actor)].id.clone(),
                            position: *view.positions.get(p * n + k)?,
                            reservation: *view.reservations.get(p * n + k)?,
                        })
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        Self {
            rung: view.rung,
            talks_active: view.talks_active,
            trust: v[Var::TRUST.index()],
            talks_progress: v[Var::TALKS_PROGRESS.index()],
            stockpile: v[Var::STOCKPILE.index()],
            sanctions: v[Var::SANCTIONS.index()],
            us_posture: v[Var::US_POSTURE.index()],
            iran_readiness: v[Var::IRAN_READINESS.index()],
            declared: m
                .vars
                .iter()
                .enumerate()
                .skip(N_BUILTIN_VARS)
                .map(|(k, info)| TraceValue {
                    name: info.name.clone(),
                    value: v[k],
                })
                .collect(),
            war_open: view.war_open,
            ceasefire: view.ceasefire,
            interim: view.interim,
            deal: view.deal,
            positions,
        }
    }

    /// The built-in variables in [`Var`] order.
    pub fn vars(&self) -> [f64; N_BUILTIN_VARS] {
        [
            self.trust,
            self.talks_progress,
            self.stockpile,
            self.sanctions,
            self.us_posture,
            self.iran_readiness,
        ]
    }

    /// Every variable: the built-in ones, then the declared ones.
    pub fn all_vars(&self) -> Vec<f64> {
        let mut v = self.vars().to_vec();
        v.extend(self.declared.iter().map(|d| d.value));
        v
    }

    /// The phase of the crisis in words.
    pub fn phase(&self) -> &'static str {
        if self.ceasefire {
            "ceasefire"
        } else if self.war_open {
            "at war"
        } else if self.deal {
            "deal reached"
        } else if self.interim {
            "interim agreement"
        } else {
            "no war"
        }
    }

    /// Label of the rung ("posturing").
    pub fn rung_label(&self) -> &'static str {
        RUNG_LABELS[usize::from(self.rung).min(RUNG_LABELS.len() - 1)]
    }
}

/// What one actor did in one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceChoice {
    /// Actor id.
    pub actor: String,
    /// Action id, or `None` when no action was open to it.
    pub action: Option<String>,
    /// Probability with which the action was chosen (1 when forced).
    pub probability: f64,
    /// True when a scripted event forced it.
    pub forced: bool,
}

/// One step of a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceStep {
    /// 1-based step.
    pub step: u32,
    /// The step's date, when the scenario has a calendar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Each actor's choice, in actor order.
    pub choices: Vec<TraceChoice>,
    /// Forced actions taken in addition to an actor's choice.
    pub added: Vec<TraceChoice>,
    /// Reactions within the step of the actors struck in it.
    pub reactions: Vec<TraceChoice>,
    /// Deadlines acting on utilities in this step.
    pub deadlines: Vec<TraceDeadline>,
    /// Rung at the start of the step.
    pub rung_before: u8,
    /// Rung after the chosen actions.
    pub rung_after_actions: u8,
    /// Incident hazard of the step.
    pub hazard: f64,
    /// Whether an incident happened.
    pub incident: bool,
    /// Whether restraint held the incident from raising the rung.
    pub incident_held: bool,
    /// Whether the incident raised the rung.
    pub incident_raised: bool,
    /// Whether the rung fell after a quiet step.
    pub deescalated: bool,
    /// Sum of the escalation scores of the step's actions.
    pub escalation: i32,
    /// Sum of escalation scores so far.
    pub cumulative_escalation: i64,
    /// The world at the end of the step.
    pub state: TraceState,
}

/// A deadline acting in a step, with the weights of its bonuses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceDeadline {
    /// Deadline id.
    pub id: String,
    /// The step at which it passes.
    pub step: u32,
    /// Weight of its `before` bonuses in this step (0..1).
    pub before: f64,
    /// Weight of its `after` bonuses in this step (0..1).
    pub after: f64,
}

/// The first step of a milestone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceMilestone {
    /// Milestone name (the `trials.csv` column without `_step`).
    pub name: String,
    /// Its first step, if reached.
    pub step: Option<u32>,
}

/// How often an actor took an action in the trial.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoveCount {
    /// Actor id.
    pub actor: String,
    /// Action id.
    pub action: String,
    /// Times taken.
    pub count: u32,
}

/// The value an uncertain parameter took in the trial.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceParameter {
    /// Parameter path.
    pub path: String,
    /// Drawn value.
    pub value: f64,
}

/// The whole story of one trial.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// Scenario name.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// Master seed.
    pub seed: u64,
    /// Trial index.
    pub trial: u64,
    /// Steps per trial.
    pub horizon: u32,
    /// What a step is called.
    pub step_label: String,
    /// The scenario's calendar, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calendar: Option<Calendar>,
    /// The values drawn for the scenario's uncertain parameters in this trial.
    pub parameters: Vec<TraceParameter>,
    /// What had happened by the start (`[history]`), when the scenario has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<crate::model::HistoryInfo>,
    /// The world before the first step.
    pub initial: TraceState,
    /// Every step simulated.
    pub steps: Vec<TraceStep>,
    /// Outcome key (`limited_strikes`).
    pub outcome: String,
    /// Outcome label (`Limited strikes`).
    pub outcome_label: String,
    /// Step of the outcome.
    pub outcome_step: u32,
    /// Date of the outcome, when the scenario has a calendar.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome_date: Option<String>,
    /// Highest rung reached.
    pub max_rung: u8,
    /// Sum of escalation scores.
    pub escalation_total: i64,
    /// Number of incidents.
    pub incidents: u32,
    /// First step at rung 4 or above.
    pub first_strike_step: Option<u32>,
    /// First step at or above the breakout stockpile.
    pub breakout_step: Option<u32>,
    /// The first step of every milestone.
    pub milestones: Vec<TraceMilestone>,
    /// The world at the end.
    pub final_state: TraceState,
    /// Every actor-action pair with the times it was taken, in move order
    /// (the `n_*` columns of `trials.csv`).
    pub moves: Vec<MoveCount>,
}

/// How a trace is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceFormat {
    /// Text for people.
    Text,
    /// JSON for programs.
    Json,
    /// CSV, one row per step.
    Csv,
}

impl Trace {
    /// `week 3`, or `week 3 (2026-02-28)` for a scenario with a calendar.
    pub fn step_name(&self, step: u32) -> String {
        match &self.calendar {
            Some(c) => format!("{} {step} ({})", self.step_label, c.date(step)),
            None => format!("{} {step}", self.step_label),
        }
    }
}

/// Renders a trace in `format`.
pub fn render(trace: &Trace, format: TraceFormat) -> String {
    match format {
        TraceFormat::Text => text::render(trace),
        TraceFormat::Json => json::render(trace),
        TraceFormat::Csv => csv::render(trace),
    }
}

/// Records a trial step by step.
#[derive(Debug)]
pub struct TraceObserver<'m> {
    model: &'m Model,
    initial: Option<TraceState>,
    steps: Vec<TraceStep>,
    last_rung: u8,
    record: Option<TrialRecord>,
}

impl<'m> TraceObserver<'m> {
    /// An observer for trials of `model`.
    pub fn new(model: &'m Model) -> Self {
        Self {
            model,
            initial: None,
            steps: Vec::new(),
            last_rung: 0,
            record: None,
        }
    }

    /// The steps recorded so far.
    pub fn steps(&self) -> &[TraceStep] {
        &self.steps
    }
}

impl TrialObserver for TraceObserver<'_> {
    fn on_start(&mut self, view: &StepView) {
        self.initial = Some(TraceState::new(self.model, view));
        self.steps.clear();
        self.last_rung = view.rung;
        self.record = None;
    }

    fn on_step(&mut self, view: &StepView) {
        let m = self.model;
        let action_of = |mv: u32| m.actions[m.moves[mv as usize].action as usize].id.clone();
        let choices = view
            .choices
            .iter()
            .zip(&m.actors)
            .map(|(c, actor)| TraceChoice {
                actor: actor.id.clone(),
                action: c.mv.map(action_of),
                probability: c.probability,
                forced: c.forced,
            })
            .collect();
        let added = view
            .added
            .iter()
            .zip(&m.actors)
            .filter_map(|(mv, actor)| {
                Some(TraceChoice {
                    actor: actor.id.clone(),
                    action: Some(action_of((*mv)?)),
                    probability: 1.0,
                    forced: true,
                })
            })
            .collect();
        let reactions = view
            .reactions
            .iter()
            .zip(&m.actors)
            .filter(|(c, _)| c.mv.is_some())
            .map(|(c, actor)| TraceChoice {
                actor: actor.id.clone(),
                action: c.mv.map(action_of),
                probability: c.probability,
                forced: false,
            })
            .collect();
        let deadlines = m
            .deadlines
            .iter()
            .map(|d| TraceDeadline {
                id: d.id.clone(),
                step: d.step,
                before: d.before_weight(view.step),
                after: d.after_weight(view.step),
            })
            .filter(|d| d.before > 0.0 || d.after > 0.0)
            .collect();
        let incident_raised =
            view.incident && !view.incident_held && view.rung_after_actions < m.incident_max_rung;
        self.steps.push(TraceStep {
            step: view.step,
            date: m.calendar.map(|c| c.date(view.step)),
            choices,
            added,
            reactions,
            deadlines,
            rung_before: self.last_rung,
            rung_after_actions: view.rung_after_actions,
            hazard: view.hazard,
            incident: view.incident,
            incident_held: view.incident_held,
            incident_raised,
            deescalated: view.deescalated,
            escalation: view.escalation,
            cumulative_escalation: view.cumulative_escalation,
            state: TraceState::new(m, view),
        });
        self.last_rung = view.rung;
    }

    fn on_end(&mut self, record: &TrialRecord) {
        self.record = Some(*record);
    }
}

/// Runs trial `trial` of `scenario` with master seed `seed` (default: the
/// scenario's) and returns its story.
pub fn trace_trial(scenario: &Scenario, seed: Option<u64>, trial: u64) -> Trace {
    let model = Model::compile(scenario);
    let seed = seed.unwrap_or(scenario.seed);
    // The trial's uncertain parameters are drawn exactly as `run` draws them.
    let space = ParamSpace::of(&model);
    let mut draws = ParameterDraws::new(&model, &space, seed);
    let coef = draws.coefficients(trial).clone();
    let parameters: Vec<TraceParameter> = space
        .uncertain_paths(&model)
        .into_iter()
        .zip(draws.drawn())
        .map(|(path, &value)| TraceParameter { path, value })
        .collect();
    let mut runner = TrialRunner::new(&model, seed);
    let mut counts = vec![0u32; model.n_moves()];
    let mut observer = TraceObserver::new(&model);
    let record = runner.run(&coef, trial, &mut counts, &mut observer);
    let moves = model
        .moves
        .iter()
        .zip(&counts)
        .map(|(mv, &count)| MoveCount {
            actor: model.actors[mv.actor as usize].id.clone(),
            action: model.actions[mv.action as usize].id.clone(),
            count,
        })
        .collect();
    let Some(initial) = observer.initial else {
        unreachable!("a trial always reports its initial state");
    };
    let final_state = observer
        .steps
        .last()
        .map_or_else(|| initial.clone(), |s| s.state.clone());
    let milestones = model
        .milestones
        .iter()
        .zip(record.milestone_steps())
        .map(|(m, &step)| TraceMilestone {
            name: m
                .column(&model.actors)
                .trim_end_matches("_step")
                .to_string(),
            step,
        })
        .collect();
    Trace {
        scenario: scenario.name.clone(),
        title: scenario.title.clone(),
        seed,
        trial,
        horizon: scenario.horizon,
        step_label: scenario.step_label.clone(),
        calendar: scenario.calendar,
        parameters,
        history: model.history.clone(),
        initial,
        steps: observer.steps,
        outcome: record.outcome.key().to_string(),
        outcome_label: record.outcome.label().to_string(),
        outcome_step: record.outcome_step,
        outcome_date: scenario.calendar.map(|c| c.date(record.outcome_step)),
        max_rung: record.max_rung,
        escalation_total: record.escalation_total,
        incidents: record.incidents,
        first_strike_step: record.first_strike_step,
        breakout_step: record.breakout_step,
        milestones,
        final_state,
        moves,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn baseline() -> Scenario {
        crate::scenario::load_str(
            std::path::Path::new("muscat-2026.toml"),
            include_str!("../../scenarios/muscat-2026.toml"),
        )
        .unwrap()
        .0
    }

    #[test]
    fn a_trace_matches_the_trial_record() {
        let s = baseline();
        let t = trace_trial(&s, Some(7), 3);
        let model = Model::compile(&s);
        let mut runner = TrialRunner::new(&model, 7);
        let mut draws = ParameterDraws::new(&model, &ParamSpace::of(&model), 7);
        let mut counts = vec![0; model.n_moves()];
        let r = runner.run(draws.coefficients(3), 3, &mut counts, &mut ());
        assert_eq!(t.parameters.len(), draws.drawn().len());
        assert_eq!(t.outcome, r.outcome.key());
        assert_eq!(t.outcome_step, r.outcome_step);
        assert_eq!(t.steps.len() as u32, r.steps);
        assert_eq!(t.final_state.vars()[..], r.vars()[..6]);
        assert_eq!(t.moves.iter().map(|m| m.count).collect::<Vec<_>>(), counts);
        let last = t.steps.last().unwrap();
        assert_eq!(last.cumulative_escalation, r.escalation_total);
        assert_eq!(last.state, t.final_state);
        // Each step starts where the previous one ended.
        for w in t.steps.windows(2) {
            assert_eq!(w[1].rung_before, w[0].state.rung);
            assert_eq!(w[1].step, w[0].step + 1);
        }
        assert_eq!(t.steps[0].rung_before, t.initial.rung);
    }

    #[test]
    fn forced_additions_have_probability_one_and_keep_the_choice() {
        // The baseline's week-1 sanctions are added to Washington's own choice.
        let t = trace_trial(&baseline(), None, 0);
        let first = &t.steps[0];
        let added = first.added.iter().find(|c| c.actor == "us").unwrap();
        assert!(added.forced);
        assert_eq!(added.action.as_deref(), Some("sanction"));
        assert_eq!(added.probability, 1.0);
        let own = first.choices.iter().find(|c| c.actor == "us").unwrap();
        assert!(!own.forced);
        assert!(own.probability < 1.0);
        assert!(t.steps[1].added.is_empty());
    }
}
