//! The numbers a trial runs on, precomputed from one vector of parameter
//! values: utility tables by rung, reciprocity and distrust terms, cumulative
//! fixed-policy probabilities, effects and hazards.

use std::ops::Range;

use crate::scenario::Preference;
use crate::world::{N_RUNGS, N_VARS, RUNG_WAR, cooperativeness};

use super::{EventModel, Model};

/// Precomputed tables for one set of parameter values.
#[derive(Debug, Clone, PartialEq)]
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
    /// Logit precision of each actor.
    pub beta: Vec<f64>,
    /// Cumulative fixed-policy probability of each move (fixed actors only).
    pub cumulative: Vec<f64>,
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
}

impl Coefficients {
    /// Builds the tables from parameter `values` (indexed by slot).
    pub fn build(m: &Model, values: &[f64]) -> Coefficients {
        let v = |slot: u32| values[slot as usize];
        let n_moves = m.moves.len();
        let effects: Vec<[f64; N_VARS]> = m
            .actions
            .iter()
            .map(|a| {
                let mut e = [0.0; N_VARS];
                for &(var, slot) in &a.effects {
                    e[var.index()] += v(slot);
                }
                e
            })
            .collect();
        let coop: Vec<f64> = m
            .actions
            .iter()
            .map(|a| cooperativeness(a.escalation))
            .collect();
        let lambda = v(m.dynamics.aversion_per_rung);

        let mut utility_by_rung = vec![0.0; N_RUNGS * n_moves];
        let mut reciprocity = vec![0.0; n_moves];
        let mut distrust = vec![0.0; n_moves];
        let mut cumulative = vec![0.0; n_moves];
        for actor in &m.actors {
            let rho = v(actor.reciprocity);
            let kappa = v(actor.risk_aversion);
            let gamma = v(actor.distrust);
            let mut acc = 0.0;
            for j in actor.moves.start as usize..actor.moves.end as usize {
                let mv = m.moves[j];
                let a = &m.actions[mv.action as usize];
                let c = coop[mv.action as usize];
                reciprocity[j] = rho * c;
                distrust[j] = -gamma * c;
                if let Some(p) = mv.probability {
                    acc += v(p);
                    cumulative[j] = acc;
                }
                let mut fixed_part = -v(a.cost) + mv.bias.map_or(0.0, v);
                let mut rung_weight = 0.0;
                for &(pref, slot) in &actor.preferences {
                    match pref {
                        Preference::Var(var) => {
                            fixed_part += v(slot) * effects[mv.action as usize][var.index()]
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
                    utility_by_rung[r * n_moves + j] =
                        fixed_part + rung_weight * f64::from(delta) - aversion;
                }
            }
            // Guard the last cumulative value against rounding below 1.
            if actor.fixed && actor.moves.end > actor.moves.start {
                cumulative[actor.moves.end as usize - 1] = f64::INFINITY;
            }
        }

        let mut favour = Vec::new();
        let mut favour_ranges = Vec::new();
        for actor in &m.actors {
            for rl in &m.red_lines[actor.red_lines.start as usize..actor.red_lines.end as usize] {
                let start = favour.len() as u32;
                for &(local, slot) in &rl.favour {
                    favour.push((actor.moves.start + local as u32, v(slot)));
                }
                favour_ranges.push(start..favour.len() as u32);
            }
        }

        let d = &m.dynamics;
        let mut incident_weights = [0.0; N_VARS];
        for &(var, slot) in &d.incident_weights {
            incident_weights[var.index()] += v(slot);
        }
        Coefficients {
            let_through: m.actions.iter().map(|a| 1.0 - v(a.restraint)).collect(),
            effects,
            utility_by_rung,
            reciprocity,
            distrust,
            beta: m.actors.iter().map(|a| v(a.rationality)).collect(),
            cumulative,
            favour,
            favour_ranges,
            cooperativeness: coop,
            initial: std::array::from_fn(|k| v(d.initial[k])),
            event_values: m
                .events
                .iter()
                .map(|e| match e {
                    EventModel::Set { slot, .. } => v(*slot),
                    EventModel::Force { .. } => f64::NAN,
                })
                .collect(),
            incident_base: v(d.incident_base),
            incident_per_rung: v(d.incident_per_rung),
            incident_weights,
            incident_max_hazard: v(d.incident_max_hazard),
            incident_trust_loss: v(d.incident_trust_loss),
            deescalation_base: v(d.deescalation_base),
            deescalation_per_trust: v(d.deescalation_per_trust),
            deal_progress: v(d.deal_progress),
            breakout_stockpile: v(d.breakout_stockpile),
        }
    }
}
