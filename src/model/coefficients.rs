//! The numbers a trial runs on, precomputed from one vector of parameter
//! values: utility tables by rung, reciprocity and distrust terms, cumulative
//! fixed-policy probabilities, effects and hazards.

use std::ops::Range;

use crate::scenario::Preference;
use crate::world::{N_RUNGS, N_VARS, RUNG_WAR, cooperativeness};

use super::Slot;

use super::{DecisionRule, EventModel, Model};

/// Precomputed tables for one set of parameter values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Coefficients {
    /// Additive effects of each action on the variables.
    pub effects: Vec<[f64; N_VARS]>,
    /// Chance that each action lets an incident through (1 - restraint).
    pub let_through: Vec<f64>,
    /// Utility of each move that depends only on the rung: `[rung * n_moves + move]`.
    pub utility_by_rung: Vec<f64>,
    /// Reciprocity coefficient of each move (multiplied by the mean
    /// cooperativeness of the actors responded to).
    pub reciprocity: Vec<f64>,
    /// Distrust coefficient of each move (multiplied by 1 - trust).
    pub distrust: Vec<f64>,
    /// Logit precision of each actor (0 for actors of other rules).
    pub beta: Vec<f64>,
    /// Cumulative fixed-policy probability of each move (fixed actors only;
    /// the last move of each is infinite, so a draw always lands).
    pub cumulative: Vec<f64>,
    /// Stated probability of each move (fixed actors only): the steps of
    /// `cumulative`, the last taking the rest up to 1.
    pub probability: Vec<f64>,
    /// (global move, utility bonus) of every red line, in red-line order.
    pub favour: Vec<(u32, f64)>,
    /// Range of `favour` for each red line.
    pub favour_ranges: Vec<Range<u32>>,
    /// Cooperativeness of each action.
    pub cooperativeness: Vec<f64>,
    /// Initial variables.
    pub initial: [f64; N_VARS],
    /// Value of each event (NaN for forced actions).
    pub event_values: Vec<f64>,
    /// Incident hazard at rung 0 with no build-up.
    pub incident_base: f64,
    /// Hazard per rung.
    pub incident_per_rung: f64,
    /// Hazard per unit of each variable.
    pub incident_weights: [f64; N_VARS],
    /// Hazard cap.
    pub incident_max_hazard: f64,
    /// Trust lost per incident.
    pub incident_trust_loss: f64,
    /// De-escalation chance at zero trust.
    pub deescalation_base: f64,
    /// Added per unit of trust.
    pub deescalation_per_trust: f64,
    /// Deal threshold.
    pub deal_progress: f64,
    /// Breakout threshold.
    pub breakout_stockpile: f64,
    /// Lowest value of each variable.
    pub var_low: [f64; N_VARS],
    /// Highest value of each variable.
    pub var_high: [f64; N_VARS],
    /// Chance that each action fails to broker a ceasefire (1 - broker).
    pub broker_miss: Vec<f64>,
    /// Pressure of each action on its targets' reservation points.
    pub pressure: Vec<f64>,
    /// Concession of each action on each issue: `[action * n_issues + issue]`.
    pub concede: Vec<f64>,
    /// (variable, global move, utility per unit) of every incentive, by actor.
    pub incentives: Vec<(u8, u32, f64)>,
    /// Range of `incentives` for each actor.
    pub incentive_ranges: Vec<Range<u32>>,
    /// (global move, full bonus) of every deadline's `before` and `after`
    /// bonuses, by deadline.
    pub deadline_bonus: Vec<(u32, f64)>,
    /// Ranges of `deadline_bonus` for each deadline: (before, after).
    pub deadline_ranges: Vec<(Range<u32>, Range<u32>)>,
    /// Change per step of each drift.
    pub drift_effects: Vec<[f64; N_VARS]>,
    /// Chance per step that a ceasefire collapses.
    pub collapse: f64,
    /// Opening positions: `[party * n_issues + issue]`.
    pub position_start: Vec<f64>,
    /// Reservation points: `[party * n_issues + issue]`.
    pub reservation: Vec<f64>,
    /// Closing chance when positions just meet.
    pub close_base: f64,
    /// Added closing chance per unit of overlap.
    pub close_per_overlap: f64,
    /// Added closing chance per unit of trust.
    pub close_per_trust: f64,
    /// Softening of reservation points per step of war.
    pub war_softening: f64,
}

impl Coefficients {
    /// Builds the tables from parameter `values` (indexed by slot).
    pub fn build(m: &Model, values: &[f64]) -> Coefficients {
        let mut c = Coefficients::default();
        c.fill(m, values);
        c
    }

    /// Rebuilds the tables in place for new parameter values; once the
    /// vectors have grown to size, this allocates nothing.
    pub fn fill(&mut self, m: &Model, values: &[f64]) {
        let v = |slot: u32| values[slot as usize];
        let n_moves = m.moves.len();
        self.effects.clear();
        self.effects.extend(m.actions.iter().map(|a| {
            let mut e = [0.0; N_VARS];
            for &(var, slot) in &a.effects {
                e[var.index()] += v(slot);
            }
            e
        }));
        self.cooperativeness.clear();
        self.cooperativeness
            .extend(m.actions.iter().map(|a| cooperativeness(a.escalation)));
        self.let_through.clear();
        self.let_through
            .extend(m.actions.iter().map(|a| 1.0 - v(a.restraint)));
        let lambda = v(m.dynamics.aversion_per_rung);

        for table in [
            &mut self.reciprocity,
            &mut self.distrust,
            &mut self.cumulative,
            &mut self.probability,
        ] {
            table.clear();
            table.resize(n_moves, 0.0);
        }
        self.utility_by_rung.clear();
        self.utility_by_rung.resize(N_RUNGS * n_moves, 0.0);
        for actor in &m.actors {
            let rho = v(actor.reciprocity);
            let kappa = v(actor.risk_aversion);
            let gamma = v(actor.distrust);
            let moves = actor.moves.start as usize..actor.moves.end as usize;
            if let DecisionRule::Fixed { probabilities } = &actor.rule {
                let mut acc = 0.0;
                for (j, &p) in moves.clone().zip(probabilities) {
                    acc += v(p);
                    self.cumulative[j] = acc;
                }
                for j in moves.clone() {
                    self.probability[j] = stated_probability(&self.cumulative, moves.clone(), j);
                }
                // Guard the last cumulative value against rounding below 1.
                if let Some(last) = moves.clone().last() {
                    self.cumulative[last] = f64::INFINITY;
                }
            }
            for j in moves {
                let mv = m.moves[j];
                let a = &m.actions[mv.action as usize];
                let c = self.cooperativeness[mv.action as usize];
                self.reciprocity[j] = rho * c;
                self.distrust[j] = -gamma * c;
                let mut fixed_part = -v(a.cost) + mv.bias.map_or(0.0, v);
                let mut rung_weight = 0.0;
                for &(pref, slot) in &actor.preferences {
                    match pref {
                        Preference::Var(var) => {
                            fixed_part += v(slot) * self.effects[mv.action as usize][var.index()]
                        }
                        Preference::Rung => rung_weight = v(slot),
                    }
                }
                let hostility = f64::from(a.escalation.max(0)) / 28.0;
                for r in 0..N_RUNGS {
                    let raised =
                        (r as i32 + i32::from(a.rung_change)).max(i32::from(a.rung_at_least));
                    let delta = raised.clamp(0, i32::from(RUNG_WAR)) - r as i32;
                    let aversion = kappa * hostility * (1.0 + lambda * r as f64);
                    self.utility_by_rung[r * n_moves + j] =
                        fixed_part + rung_weight * f64::from(delta) - aversion;
                }
            }
        }

        self.favour.clear();
        self.favour_ranges.clear();
        for actor in &m.actors {
            for rl in &m.red_lines[actor.red_lines.start as usize..actor.red_lines.end as usize] {
                let start = self.favour.len() as u32;
                for &(local, slot) in &rl.favour {
                    self.favour
                        .push((actor.moves.start + local as u32, v(slot)));
                }
                self.favour_ranges.push(start..self.favour.len() as u32);
            }
        }

        let d = &m.dynamics;
        self.incident_weights = [0.0; N_VARS];
        for &(var, slot) in &d.incident_weights {
            self.incident_weights[var.index()] += v(slot);
        }
        self.beta.clear();
        self.beta.extend(m.actors.iter().map(|a| match a.rule {
            DecisionRule::Logit { rationality } => v(rationality),
            DecisionRule::Fixed { .. } => 0.0,
        }));
        self.initial = [0.0; N_VARS];
        for (x, &slot) in self.initial.iter_mut().zip(&d.initial) {
            *x = v(slot);
        }
        self.event_values.clear();
        self.event_values.extend(m.events.iter().map(|e| match e {
            EventModel::Set { slot, .. } => v(*slot),
            EventModel::Force { .. } => f64::NAN,
        }));
        self.incident_base = v(d.incident_base);
        self.incident_per_rung = v(d.incident_per_rung);
        self.incident_max_hazard = v(d.incident_max_hazard);
        self.incident_trust_loss = v(d.incident_trust_loss);
        self.deescalation_base = v(d.deescalation_base);
        self.deescalation_per_trust = v(d.deescalation_per_trust);
        self.deal_progress = v(d.deal_progress);
        self.breakout_stockpile = v(d.breakout_stockpile);
        self.fill_model2(m, values);
    }

    /// The tables of the model-2 mechanisms.
    fn fill_model2(&mut self, m: &Model, values: &[f64]) {
        let v = |slot: Slot| values[slot as usize];
        self.var_low = [0.0; N_VARS];
        self.var_high = [0.0; N_VARS];
        for (k, info) in m.vars.iter().enumerate().take(N_VARS) {
            self.var_low[k] = info.low;
            self.var_high[k] = info.high;
        }
        self.broker_miss.clear();
        self.broker_miss
            .extend(m.actions.iter().map(|a| 1.0 - v(a.broker)));
        self.pressure.clear();
        self.pressure
            .extend(m.actions.iter().map(|a| v(a.pressure)));
        let n_issues = m.bargaining.as_ref().map_or(0, |b| b.issues.len());
        self.concede.clear();
        self.concede.resize(m.actions.len() * n_issues, 0.0);
        for (k, a) in m.actions.iter().enumerate() {
            for &(issue, slot) in &a.concede {
                self.concede[k * n_issues + issue as usize] += v(slot);
            }
        }
        self.incentives.clear();
        self.incentive_ranges.clear();
        for actor in &m.actors {
            let start = self.incentives.len() as u32;
            self.incentives.extend(
                actor
                    .incentives
                    .iter()
                    .map(|&(var, mv, slot)| (var.0, mv, v(slot))),
            );
            self.incentive_ranges
                .push(start..self.incentives.len() as u32);
        }
        self.deadline_bonus.clear();
        self.deadline_ranges.clear();
        for d in &m.deadlines {
            let a = self.deadline_bonus.len() as u32;
            self.deadline_bonus
                .extend(d.before.iter().map(|&(mv, slot)| (mv, v(slot))));
            let b = self.deadline_bonus.len() as u32;
            self.deadline_bonus
                .extend(d.after.iter().map(|&(mv, slot)| (mv, v(slot))));
            let c = self.deadline_bonus.len() as u32;
            self.deadline_ranges.push((a..b, b..c));
        }
        self.drift_effects.clear();
        self.drift_effects.extend(m.drifts.iter().map(|d| {
            let mut e = [0.0; N_VARS];
            for &(var, slot) in &d.effects {
                e[var.index()] += v(slot);
            }
            e
        }));
        self.collapse = v(m.war.collapse);
        self.position_start.clear();
        self.reservation.clear();
        if let Some(b) = &m.bargaining {
            for party in 0..b.parties.len() {
                for issue in &b.issues {
                    let p = issue.positions[party];
                    self.position_start.push(v(p.start));
                    self.reservation.push(v(p.reservation));
                }
            }
            self.close_base = v(b.close_base);
            self.close_per_overlap = v(b.close_per_overlap);
            self.close_per_trust = v(b.close_per_trust);
            self.war_softening = v(b.war_softening);
        }
    }
}

/// The stated probability of move `j` of a fixed actor whose moves are
/// `moves`, from the running totals of their probabilities (before the last
/// is made infinite): the step up to it, the last move taking the rest to 1.
fn stated_probability(cumulative: &[f64], moves: Range<usize>, j: usize) -> f64 {
    let below = if j == moves.start {
        0.0
    } else {
        cumulative[j - 1]
    };
    if j + 1 == moves.end {
        1.0 - below
    } else {
        cumulative[j] - below
    }
}
