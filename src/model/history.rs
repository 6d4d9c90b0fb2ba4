//! Starting mid-crisis: what a trial has already been through when it
//! starts (`[history]`), compiled into the state every trial begins in, and
//! the description outputs give of it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::scenario::calendar::iso;
use crate::scenario::{History, PastMilestone, Scenario, WarAtStart};
use crate::world::MAX_MILESTONES;

use super::{ActorModel, Milestone};

/// The state of the war, agreements and milestones every trial starts in.
/// Without `[history]` everything is unset and every actor has no last move.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StartState {
    /// Each of the model's milestones already passed (recorded at step 0),
    /// in the order of [`super::Model::milestones`].
    pub milestones: [Option<u32>; MAX_MILESTONES],
    /// The first strike by anyone has passed (`first_strike_step` 0).
    pub first_strike: bool,
    /// Breakout has passed (`breakout_step` 0).
    pub breakout: bool,
    /// A war is under way (fought, or in a ceasefire that has not ended it).
    pub war_open: bool,
    /// A ceasefire holds.
    pub ceasefire: bool,
    /// Steps the ceasefire has held at the end of step 0.
    pub held: u32,
    /// An interim agreement has been reached.
    pub interim: bool,
    /// The final deal has been reached.
    pub deal: bool,
    /// An agreement was reached after the war started.
    pub settled_after_war: bool,
    /// A war has ended.
    pub war_ended: bool,
    /// An incident happened in step 0 (the `incident` flag of step 1).
    pub incident: bool,
    /// Each actor's move in step 0 (global move index), which reciprocity
    /// reads in step 1; `None` for no move.
    pub last_moves: Vec<Option<u32>>,
}

impl StartState {
    /// The start of `s` with `actors` compiled (moves numbered) and the
    /// model's `milestones`.
    pub(super) fn compile(s: &Scenario, actors: &[ActorModel], milestones: &[Milestone]) -> Self {
        let mut start = StartState {
            last_moves: vec![None; actors.len()],
            ..StartState::default()
        };
        let Some(h) = &s.history else {
            return start;
        };
        for &(actor, local) in &h.last_moves {
            start.last_moves[actor] = Some(actors[actor].moves.start + local as u32);
        }
        for p in &h.passed {
            let model_milestone = match p.milestone {
                PastMilestone::FirstStrike => {
                    start.first_strike = true;
                    None
                }
                PastMilestone::Breakout => {
                    start.breakout = true;
                    None
                }
                PastMilestone::FirstStrikeBy(a) => milestones
                    .iter()
                    .position(|m| *m == Milestone::FirstStrike(a as u16)),
                PastMilestone::FirstIncident => Some(Milestone::FIRST_INCIDENT),
                PastMilestone::WarStart => Some(Milestone::WAR_START),
                PastMilestone::Ceasefire => Some(Milestone::CEASEFIRE),
                PastMilestone::WarEnd => {
                    start.war_ended = true;
                    Some(Milestone::WAR_END)
                }
                PastMilestone::Interim => {
                    start.interim = true;
                    Some(Milestone::INTERIM)
                }
                PastMilestone::Deal => {
                    start.deal = true;
                    Some(Milestone::DEAL)
                }
            };
            if let Some(k) = model_milestone {
                start.milestones[k] = Some(0);
            }
        }
        match h.war {
            WarAtStart::None | WarAtStart::Ended => {}
            WarAtStart::Fighting => start.war_open = true,
            WarAtStart::Ceasefire { held } => {
                start.war_open = true;
                start.ceasefire = true;
                start.held = held;
            }
        }
        start.settled_after_war = h.settled_after_war;
        start.incident = h.incident;
        start
    }
}

/// One milestone passed by the start, as outputs show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryMilestone {
    /// Milestone name (`war_start`, `first_strike_israel`).
    pub name: String,
    /// The date it happened (`YYYY-MM-DD`), when known.
    pub date: Option<String>,
    /// The step it happened in: 0 is the step that ends at the start, -1
    /// the one before. Trials record it at step 0.
    pub step: i64,
    /// True when not declared but implied by what is (a war implies a
    /// first strike).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub implied: bool,
}

/// `[history]` as outputs show it (`summary.json`, the report, `trace`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryInfo {
    /// Milestones passed by the start.
    pub milestones: Vec<HistoryMilestone>,
    /// Each actor's last move before the start: actor id -> action id.
    pub last_moves: BTreeMap<String, String>,
    /// The war at the start: `none`, `fighting`, `ceasefire` or `ended`.
    pub war: String,
    /// Steps the ceasefire holding at the start has held (with `war` = `ceasefire`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceasefire_held: Option<u32>,
}

impl HistoryInfo {
    /// The description of `h`, a history of `s`.
    pub(super) fn of(s: &Scenario, h: &History) -> HistoryInfo {
        HistoryInfo {
            milestones: h
                .passed
                .iter()
                .map(|p| HistoryMilestone {
                    name: p.name.clone(),
                    date: p.date.map(iso),
                    step: p.step,
                    implied: p.implied,
                })
                .collect(),
            last_moves: h
                .last_moves
                .iter()
                .map(|&(a, local)| {
                    let actor = &s.actors[a];
                    (actor.id.clone(), s.actions[actor.actions[local]].id.clone())
                })
                .collect(),
            war: match h.war {
                WarAtStart::None => "none",
                WarAtStart::Fighting => "fighting",
                WarAtStart::Ceasefire { .. } => "ceasefire",
                WarAtStart::Ended => "ended",
            }
            .into(),
            ceasefire_held: match h.war {
                WarAtStart::Ceasefire { held } => Some(held),
                _ => None,
            },
        }
    }

    /// `war start 2026-01-21 (week -2)`, one per milestone.
    pub fn milestone_texts(&self, step_label: &str) -> Vec<String> {
        self.milestones
            .iter()
            .map(|m| {
                let name = m.name.replace('_', " ");
                let implied = if m.implied { ", implied" } else { "" };
                match &m.date {
                    Some(d) => format!("{name} {d} ({step_label} {}{implied})", m.step),
                    None => format!("{name} ({step_label} {}{implied})", m.step),
                }
            })
            .collect()
    }

    /// The war at the start in words (`in a ceasefire held 1 week`).
    pub fn war_text(&self, step_label: &str) -> String {
        match (self.war.as_str(), self.ceasefire_held) {
            ("fighting", _) => "at war".into(),
            ("ceasefire", Some(n)) => {
                let s = if n == 1 { "" } else { "s" };
                format!("in a ceasefire that has held {n} {step_label}{s}")
            }
            ("ended", _) => "a war has ended".into(),
            _ => "no war".into(),
        }
    }
}
