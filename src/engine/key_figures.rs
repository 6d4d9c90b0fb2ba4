//! The key figures of a run whose spread over assumptions is reported:
//! every outcome's probability, a war (any war outcome), an agreement
//! (interim or final, with or without a war), and each milestone reached
//! by the horizon. Each is a yes/no property of a trial's record, counted
//! by the nested design ([`super::nested`]).

use crate::model::{Milestone, Model};
use crate::observe::{TrialObserver, TrialRecord};
use crate::world::Outcome;

use super::nested::{FigureObserver, NestedFigures};

/// What a key figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureKind {
    /// The trial ended in this outcome.
    Outcome(Outcome),
    /// The trial ended in a war outcome.
    War,
    /// The trial ended with an agreement: a deal, or a war then settlement.
    Agreement,
    /// Any principal struck (the first step at rung 4 or above).
    FirstStrike,
    /// The milestone at this index of the model's milestones was reached.
    Milestone(usize),
    /// The stockpile reached the breakout threshold.
    Breakout,
}

/// One key figure: its machine name, its label, and what it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFigure {
    /// Machine name, in `summary.json`: an outcome's key, `war`,
    /// `agreement`, or a milestone's name (`first_strike`,
    /// `first_strike_us`, `war_start`, ..., `deal`, `breakout`). Outcomes
    /// and milestones may share a name (`deal`, `breakout`): the kind
    /// tells them apart.
    pub name: String,
    /// Label for people.
    pub label: String,
    /// What it counts.
    pub kind: FigureKind,
}

impl FigureKind {
    /// The group of the figure, in `summary.json`: `outcome`, `total`
    /// (war, agreement) or `milestone` (reached by the horizon).
    pub fn group(self) -> &'static str {
        match self {
            FigureKind::Outcome(_) => "outcome",
            FigureKind::War | FigureKind::Agreement => "total",
            FigureKind::FirstStrike | FigureKind::Milestone(_) | FigureKind::Breakout => {
                "milestone"
            }
        }
    }
}

impl KeyFigure {
    /// Whether the figure holds in the trial of `record`.
    #[inline]
    pub fn holds(&self, record: &TrialRecord) -> bool {
        match self.kind {
            FigureKind::Outcome(o) => record.outcome == o,
            FigureKind::War => record.outcome.is_war(),
            FigureKind::Agreement => {
                matches!(record.outcome, Outcome::Deal | Outcome::WarThenSettlement)
            }
            FigureKind::FirstStrike => record.first_strike_step.is_some(),
            FigureKind::Milestone(i) => {
                record.milestone_steps().get(i).is_some_and(Option::is_some)
            }
            FigureKind::Breakout => record.breakout_step.is_some(),
        }
    }
}

/// The milestones by their names and labels, in the order of the shared
/// list: `first_strike`, each principal's `first_strike_<id>`,
/// `first_incident`, `war_start`, `ceasefire`, `war_end`, `interim`,
/// `deal`, `breakout`.
fn milestone_figures(model: &Model) -> Vec<KeyFigure> {
    let mut out = vec![KeyFigure {
        name: "first_strike".into(),
        label: "First strike (any)".into(),
        kind: FigureKind::FirstStrike,
    }];
    let index = |m: Milestone| model.milestones.iter().position(|&x| x == m);
    for &p in &model.principals {
        if let Some(i) = index(Milestone::FirstStrike(p)) {
            let a = &model.actors[p as usize];
            out.push(KeyFigure {
                name: format!("first_strike_{}", a.id),
                label: format!("First strike by {}", a.name),
                kind: FigureKind::Milestone(i),
            });
        }
    }
    for (m, name, label) in [
        (Milestone::FirstIncident, "first_incident", "First incident"),
        (Milestone::WarStart, "war_start", "War starts"),
        (Milestone::Ceasefire, "ceasefire", "Ceasefire"),
        (Milestone::WarEnd, "war_end", "War ends"),
        (Milestone::Interim, "interim", "Interim agreement"),
        (Milestone::Deal, "deal", "Final deal"),
    ] {
        if let Some(i) = index(m) {
            out.push(KeyFigure {
                name: name.into(),
                label: label.into(),
                kind: FigureKind::Milestone(i),
            });
        }
    }
    out.push(KeyFigure {
        name: "breakout".into(),
        label: "Breakout".into(),
        kind: FigureKind::Breakout,
    });
    out
}

/// The key figures of a run, in the order they are reported: the outcomes,
/// `war`, `agreement`, then the milestones (reached by the horizon).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyFigures {
    /// The figures.
    pub figures: Vec<KeyFigure>,
}

impl KeyFigures {
    /// The key figures of `model`.
    pub fn of(model: &Model) -> KeyFigures {
        let mut figures: Vec<KeyFigure> = Outcome::ALL
            .iter()
            .map(|&o| KeyFigure {
                name: o.key().into(),
                label: o.label().into(),
                kind: FigureKind::Outcome(o),
            })
            .collect();
        figures.push(KeyFigure {
            name: "war".into(),
            label: "War (any war outcome)".into(),
            kind: FigureKind::War,
        });
        figures.push(KeyFigure {
            name: "agreement".into(),
            label: "Ends with an agreement (interim or deal), war or not".into(),
            kind: FigureKind::Agreement,
        });
        figures.extend(milestone_figures(model));
        KeyFigures { figures }
    }
}

struct Tally<'a>(&'a [KeyFigure]);

impl TrialObserver for Tally<'_> {}

impl FigureObserver for Tally<'_> {
    fn tally(&mut self, record: &TrialRecord, hits: &mut [u64]) {
        for (h, f) in hits.iter_mut().zip(self.0) {
            *h += u64::from(f.holds(record));
        }
    }
}

impl NestedFigures for KeyFigures {
    fn count(&self) -> usize {
        self.figures.len()
    }

    fn observer(&self) -> Box<dyn FigureObserver + '_> {
        Box::new(Tally(&self.figures))
    }
}
