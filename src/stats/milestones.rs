//! Milestone curves: for every milestone (first strike, war start, deal,
//! ...), the cumulative share of trials that reached it by each step with a
//! pointwise 95% Wilson band, and the per-step hazard among the trials
//! still at risk, built from the exact counts of a [`RunAggregate`].
//!
//! With `n` trials and `c[t]` trials first reaching the milestone at step
//! `t`, the share reached by step `t` is `R(t) / n` with `R(t)` the sum of
//! `c[0..=t]`, and the hazard at step `t` is `c[t] / (n - R(t - 1))`: the
//! chance of reaching it at `t` among the trials that had not reached it by
//! `t - 1` (all `n` at step 0). Trials that ended early (a deal, a war) stay
//! at risk in that denominator: they keep their last state, as every
//! per-step series of brink does. Each band is the Wilson interval of its
//! own count, pointwise: about one step in twenty falls outside its band.

use serde::{Deserialize, Serialize};

use crate::model::{Model, milestone_names};
use crate::scenario::Calendar;

use super::aggregate::RunAggregate;
use super::wilson::wilson95;

/// The share of trials that reached a milestone by one step.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CumulativePoint {
    /// Step (0 is the start).
    pub step: u32,
    /// Date of the end of the step, when the scenario has a calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Trials that reached the milestone at or before the step.
    pub reached: u64,
    /// Their share of the trials.
    pub share: f64,
    /// Pointwise 95% Wilson interval of the share.
    pub ci95: [f64; 2],
}

/// The hazard of a milestone at one step.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HazardPoint {
    /// Step (0 is the start).
    pub step: u32,
    /// Date of the end of the step, when the scenario has a calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Trials first reaching the milestone at the step.
    pub events: u64,
    /// Trials that had not reached it by the step before (all trials at step 0).
    pub at_risk: u64,
    /// `events / at_risk` (absent when no trial is at risk).
    pub hazard: Option<f64>,
    /// 95% Wilson interval of the hazard (absent when no trial is at risk).
    pub ci95: Option<[f64; 2]>,
}

/// One milestone's curve.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MilestoneCurve {
    /// Machine name (`first_strike`, `war_start`, `deal`, ...; the
    /// `trials.csv` column without `_step`).
    pub name: String,
    /// Label for people.
    pub label: String,
    /// Trials that reached it by the horizon.
    pub reached: u64,
    /// Their share of the trials.
    pub share: f64,
    /// 95% Wilson interval of that share.
    pub ci95: [f64; 2],
    /// Median step at which it was first reached, among the trials that
    /// reached it (absent when none did).
    pub median_step_if_reached: Option<u32>,
    /// The date of that step, when the scenario has a calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median_date_if_reached: Option<String>,
    /// Share reached by each step `0..=horizon`.
    pub cumulative: Vec<CumulativePoint>,
    /// Hazard at each step `0..=horizon`.
    pub hazard: Vec<HazardPoint>,
}

impl MilestoneCurve {
    /// True when some trial reached the milestone.
    pub fn occurs(&self) -> bool {
        self.reached > 0
    }
}

/// The step by which at least half of `total` trials counted in `row` had
/// it (nearest rank).
fn median_step(row: &[u64], total: u64) -> u32 {
    let rank = total.div_ceil(2).max(1);
    let mut acc = 0;
    for (t, &c) in row.iter().enumerate() {
        acc += c;
        if acc >= rank {
            return t as u32;
        }
    }
    row.len().saturating_sub(1) as u32
}

/// The curve of one milestone from its first-step counts `row` (steps
/// `0..=horizon`) over `n` trials.
pub fn curve(
    name: String,
    label: String,
    row: &[u64],
    n: u64,
    calendar: Option<&Calendar>,
) -> MilestoneCurve {
    let share = |c: u64| if n == 0 { 0.0 } else { c as f64 / n as f64 };
    let date = |t: u32| calendar.map(|c| c.date(t));
    let mut reached = 0u64;
    let mut cumulative = Vec::with_capacity(row.len());
    let mut hazard = Vec::with_capacity(row.len());
    for (t, &events) in row.iter().enumerate() {
        let t = t as u32;
        let at_risk = n.saturating_sub(reached);
        reached += events;
        let (lo, hi) = wilson95(reached, n);
        cumulative.push(CumulativePoint {
            step: t,
            date: date(t),
            reached,
            share: share(reached),
            ci95: [lo, hi],
        });
        let h = (at_risk > 0).then(|| wilson95(events, at_risk));
        hazard.push(HazardPoint {
            step: t,
            date: date(t),
            events,
            at_risk,
            hazard: if at_risk > 0 {
                Some(events as f64 / at_risk as f64)
            } else {
                None
            },
            ci95: h.map(|(lo, hi)| [lo, hi]),
        });
    }
    let (lo, hi) = wilson95(reached, n);
    let median = (reached > 0).then(|| median_step(row, reached));
    MilestoneCurve {
        name,
        label,
        reached,
        share: share(reached),
        ci95: [lo, hi],
        median_step_if_reached: median,
        median_date_if_reached: median.and_then(date),
        cumulative,
        hazard,
    }
}

/// Every milestone's curve, in the order of [`milestone_names`].
pub fn curves(model: &Model, agg: &RunAggregate) -> Vec<MilestoneCurve> {
    milestone_names(model)
        .into_iter()
        .take(agg.n_milestones())
        .enumerate()
        .map(|(k, (name, label))| {
            curve(
                name,
                label,
                agg.milestone_step_row(k),
                agg.trials,
                model.calendar.as_ref(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cumulative_and_hazard_from_counts() {
        // 10 trials: 2 reach it at step 1, 4 at step 2, none after.
        let c = curve("x".into(), "X".into(), &[0, 2, 4, 0], 10, None);
        let shares: Vec<f64> = c.cumulative.iter().map(|p| p.share).collect();
        assert_eq!(shares, [0.0, 0.2, 0.6, 0.6]);
        let h: Vec<Option<f64>> = c.hazard.iter().map(|p| p.hazard).collect();
        assert_eq!(h, [Some(0.0), Some(0.2), Some(0.5), Some(0.0)]);
        assert_eq!(c.hazard[2].at_risk, 8);
        assert_eq!(c.hazard[3].at_risk, 4);
        assert_eq!((c.reached, c.median_step_if_reached), (6, Some(2)));
        assert_eq!(c.ci95, {
            let (lo, hi) = wilson95(6, 10);
            [lo, hi]
        });
    }

    #[test]
    fn no_trial_at_risk_has_no_hazard() {
        let c = curve("x".into(), "X".into(), &[3, 0], 3, None);
        assert_eq!(c.hazard[1].at_risk, 0);
        assert_eq!(c.hazard[1].hazard, None);
        assert_eq!(c.median_step_if_reached, Some(0));
        let never = curve("y".into(), "Y".into(), &[0, 0], 3, None);
        assert!(!never.occurs());
        assert_eq!(never.median_step_if_reached, None);
    }

    #[test]
    fn median_among_those_reaching() {
        assert_eq!(median_step(&[0, 1, 1, 1, 1], 4), 2);
        assert_eq!(median_step(&[0, 1, 2, 1], 4), 2);
        assert_eq!(median_step(&[1, 0, 0], 1), 0);
    }
}
