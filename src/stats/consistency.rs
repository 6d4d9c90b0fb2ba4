//! Invariants of exact aggregates read back from files (shard results,
//! checkpoints): every count adds up to the trials, every table has its
//! size, every sum is within what the trials could produce, and adding
//! aggregates never wraps. `brink merge` and `--resume` check these before
//! they trust an aggregate, so an edited or damaged file is refused rather
//! than turned into wrong results.

use super::point::PointCounts;
use crate::world::{MAX_ACTIONS_PER_STEP, N_OUTCOMES, N_RUNGS};

use super::aggregate::{RunAggregate, TRACKED_VARS};
use super::mean::IntegerSums;

/// The sum of `values`, or an error naming `what` when it exceeds `u64`.
fn checked_sum(values: &[u64], what: &str) -> Result<u64, String> {
    values.iter().try_fold(0u64, |acc, &v| {
        acc.checked_add(v)
            .ok_or_else(|| format!("the {what} add up to more than {}", u64::MAX))
    })
}

/// `values` must add up to `want`.
fn sums_to(values: &[u64], want: u64, what: &str) -> Result<(), String> {
    let sum = checked_sum(values, what)?;
    if sum == want {
        Ok(())
    } else {
        Err(format!("the {what} add up to {sum}, not {want}"))
    }
}

fn overflow(what: &str) -> String {
    format!("adding the {what} overflows")
}

/// `a += b` element by element, refusing to wrap.
fn add_checked(a: &mut [u64], b: &[u64], what: &str) -> Result<(), String> {
    for (x, y) in a.iter_mut().zip(b) {
        *x = x.checked_add(*y).ok_or_else(|| overflow(what))?;
    }
    Ok(())
}

/// Bounds of the sums of `n` escalation totals, each within `per_trial`:
/// `(lowest sum, highest sum, highest sum of squares)`, or `None` when they
/// do not fit the integers (then nothing is bounded).
fn escalation_bounds(n: u64, per_trial: [i64; 2]) -> Option<(i128, i128, i128)> {
    let n = i128::from(n);
    let lo = i128::from(per_trial[0]);
    let hi = i128::from(per_trial[1]);
    let biggest = lo.abs().max(hi.abs());
    Some((
        n.checked_mul(lo)?,
        n.checked_mul(hi)?,
        n.checked_mul(biggest.checked_mul(biggest)?)?,
    ))
}

/// `sum` of `n` escalation totals must be possible.
fn check_escalation_sum(n: u64, sum: i128, per_trial: [i64; 2]) -> Result<(), String> {
    if let Some((lo, hi, _)) = escalation_bounds(n, per_trial)
        && !(lo..=hi).contains(&sum)
    {
        return Err(format!(
            "the escalation scores of {n} trials add up to {sum}, outside {lo}..={hi}"
        ));
    }
    Ok(())
}

impl IntegerSums {
    /// Adds the values of another, refusing to wrap.
    pub fn try_merge(&mut self, o: &IntegerSums) -> Result<(), String> {
        let what = "escalation sums";
        self.n = self.n.checked_add(o.n).ok_or_else(|| overflow(what))?;
        self.sum = self.sum.checked_add(o.sum).ok_or_else(|| overflow(what))?;
        self.sq_sum = self
            .sq_sum
            .checked_add(o.sq_sum)
            .ok_or_else(|| overflow(what))?;
        Ok(())
    }
}

impl RunAggregate {
    /// The escalation total one trial can reach: `horizon` steps, each
    /// within the step range of the histogram layout.
    pub fn escalation_per_trial(&self) -> [i64; 2] {
        let h = i64::from(self.horizon);
        let b = self.escalation_bins;
        [
            h.saturating_mul(b.step_min.min(0)),
            h.saturating_mul(b.step_max.max(0)),
        ]
    }

    /// Checks every invariant of an aggregate of `trials` trials: the table
    /// sizes fit the horizon, moves and histogram layout; the outcome,
    /// highest-rung, outcome-by-step, rung-occupancy and histogram counts
    /// each add up to the trials; no move is taken by more trials than ran,
    /// or more often than three times a step (a choice, a forced addition
    /// and a reaction); the escalation sums are those of
    /// `trials` possible totals. The error says which invariant fails.
    pub fn check_consistent(&self, trials: u64) -> Result<(), String> {
        if self.trials != trials {
            return Err(format!("it counts {} trials, not {trials}", self.trials));
        }
        let steps = self.horizon as usize + 1;
        let bins = self.escalation_bins.bins;
        if bins == 0 || self.escalation_bins.step_min > self.escalation_bins.step_max {
            return Err("its escalation histogram has no bins".into());
        }
        let sizes = [
            (
                "outcome_steps",
                self.outcome_steps.len(),
                N_OUTCOMES * steps,
            ),
            ("rung_occupancy", self.rung_occupancy.len(), N_RUNGS * steps),
            ("escalation_hist", self.escalation_hist.len(), bins * steps),
            ("var_sums", self.var_sums.len(), TRACKED_VARS.len() * steps),
            ("move_counts", self.move_counts.len(), self.n_moves),
            ("move_trials", self.move_trials.len(), self.n_moves),
            (
                "milestone_steps",
                self.milestone_steps.len(),
                self.n_milestones() * steps,
            ),
        ];
        for (name, len, want) in sizes {
            if len != want {
                return Err(format!("its table {name} holds {len} numbers, not {want}"));
            }
        }
        sums_to(self.outcome_counts.values(), trials, "outcome counts")?;
        sums_to(&self.max_rung_counts, trials, "highest-rung counts")?;
        for (o, &count) in self.outcome_counts.iter() {
            sums_to(
                self.outcome_step_row(o),
                count,
                &format!("step counts of outcome {}", o.index()),
            )?;
        }
        for (t, row) in self.rung_occupancy.chunks(N_RUNGS).enumerate() {
            sums_to(row, trials, &format!("rung counts of step {t}"))?;
        }
        for (t, row) in self.escalation_hist.chunks(bins).enumerate() {
            sums_to(
                row,
                trials,
                &format!("escalation histogram counts of step {t}"),
            )?;
        }
        for k in 0..self.n_milestones() {
            let reached = checked_sum(self.milestone_step_row(k), "milestone counts")?;
            if reached > trials {
                return Err(format!("{reached} of {trials} trials reach milestone {k}"));
            }
        }
        let most = trials.checked_mul(u64::from(self.horizon));
        let most_moves = most.and_then(|m| m.checked_mul(MAX_ACTIONS_PER_STEP));
        for (j, (&count, &took)) in self.move_counts.iter().zip(&self.move_trials).enumerate() {
            if took > trials || took > count || (count > 0 && took == 0) {
                return Err(format!(
                    "move {j} was taken {count} times by {took} of {trials} trials"
                ));
            }
            if most_moves.is_some_and(|m| count > m) {
                return Err(format!(
                    "move {j} was taken {count} times in {trials} trials of {} steps",
                    self.horizon
                ));
            }
        }
        if let Some(most) = most
            && self.incidents > most
        {
            return Err(format!(
                "it counts {} incidents in {trials} trials of {} steps",
                self.incidents, self.horizon
            ));
        }
        let e = &self.escalation;
        if e.n != trials {
            return Err(format!("its escalation sums count {} trials", e.n));
        }
        check_escalation_sum(trials, e.sum, self.escalation_per_trial())?;
        let bounds = escalation_bounds(trials, self.escalation_per_trial());
        let spread = i128::from(e.n)
            .checked_mul(e.sq_sum)
            .zip(e.sum.checked_mul(e.sum));
        let possible = e.sq_sum >= 0
            && bounds.is_none_or(|(_, _, sq)| e.sq_sum <= sq)
            && spread.is_some_and(|(n_sq, sum_sq)| n_sq >= sum_sq);
        if !possible {
            return Err(format!(
                "its sum of squared escalation scores {} is impossible for {trials} trials \
                 with sum {}",
                e.sq_sum, e.sum
            ));
        }
        Ok(())
    }

    /// Adds another aggregate like [`RunAggregate::merge`], but refuses
    /// aggregates of another layout and any sum that would wrap. On error
    /// `self` is left partly added and must be dropped.
    pub fn try_merge(&mut self, o: &RunAggregate) -> Result<(), String> {
        if !self.same_shape(o) {
            return Err("the aggregates have different layouts".into());
        }
        self.trials = self
            .trials
            .checked_add(o.trials)
            .ok_or_else(|| overflow("trial counts"))?;
        add_checked(
            self.outcome_counts.values_mut(),
            o.outcome_counts.values(),
            "outcome counts",
        )?;
        add_checked(&mut self.outcome_steps, &o.outcome_steps, "outcome steps")?;
        add_checked(&mut self.max_rung_counts, &o.max_rung_counts, "rung counts")?;
        add_checked(&mut self.rung_occupancy, &o.rung_occupancy, "rung counts")?;
        add_checked(&mut self.escalation_hist, &o.escalation_hist, "histograms")?;
        for (a, b) in self.var_sums.iter_mut().zip(&o.var_sums) {
            *a = a.checked_add(*b).ok_or_else(|| overflow("variable sums"))?;
        }
        add_checked(&mut self.move_counts, &o.move_counts, "move counts")?;
        add_checked(&mut self.move_trials, &o.move_trials, "move counts")?;
        self.incidents = self
            .incidents
            .checked_add(o.incidents)
            .ok_or_else(|| overflow("incidents"))?;
        add_checked(
            &mut self.milestone_steps,
            &o.milestone_steps,
            "milestone counts",
        )?;
        self.escalation.try_merge(&o.escalation)
    }

    /// The most bytes the compact JSON of an aggregate of this layout can
    /// take: every count at 20 digits, every fixed-point sum at 40, plus a
    /// comma each and room for the field names. Files of aggregates are
    /// read through this limit (a horizon of 1000 steps gives about 12 MB).
    pub fn max_json_bytes(&self) -> u64 {
        let steps = self.horizon as u64 + 1;
        let counts = N_OUTCOMES as u64 * (steps + 1)
            + N_RUNGS as u64 * (steps + 1)
            + self.escalation_bins.bins as u64 * steps
            + 2 * self.n_moves as u64
            + self.milestone_steps.len() as u64
            + 8;
        let wide = TRACKED_VARS.len() as u64 * steps + 2;
        counts * 21 + wide * 41 + 4096
    }
}

impl PointCounts {
    /// Checks the counts of a design point of `trials` trials, each with an
    /// escalation total within `per_trial`: they count `trials` trials, the
    /// outcome counts add up to them (without wrapping), and the summed
    /// escalation score is possible.
    pub fn check_consistent(&self, trials: u64, per_trial: [i64; 2]) -> Result<(), String> {
        if self.trials != trials {
            return Err(format!("it counts {} trials, not {trials}", self.trials));
        }
        sums_to(self.outcomes.values(), trials, "outcome counts")?;
        check_escalation_sum(trials, self.escalation, per_trial)
    }

    /// The most bytes the JSON of one design point's counts can take.
    pub const MAX_JSON_BYTES: u64 = 512;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::world::Outcome;

    fn aggregate() -> RunAggregate {
        let (s, _) = crate::scenario::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/muscat-2026.toml"
        )))
        .unwrap();
        let model = Model::compile(&s);
        let mut agg = RunAggregate::new(&model);
        let space = crate::engine::ParamSpace::of(&model);
        let plan = crate::engine::RunPlan {
            seed: 7,
            first_trial: 0,
            trials: 300,
            threads: 1,
        };
        let sim = crate::engine::simulate_until(
            &model,
            &space,
            plan,
            &|_| false,
            &mut (),
            &mut |_| {},
            None,
        )
        .unwrap();
        agg.merge(&sim.aggregate);
        agg
    }

    #[test]
    fn a_real_aggregate_is_consistent_and_edits_are_not() {
        let agg = aggregate();
        assert_eq!(agg.check_consistent(300), Ok(()));
        assert!(
            agg.check_consistent(301)
                .unwrap_err()
                .contains("300 trials")
        );
        let mut e = agg.clone();
        e.outcome_counts[Outcome::Deal] = u64::MAX;
        let err = e.check_consistent(300).unwrap_err();
        assert!(err.contains("outcome counts add up to more than"), "{err}");
        let mut e = agg.clone();
        e.outcome_counts[Outcome::Deal] += 1;
        let err = e.check_consistent(300).unwrap_err();
        assert!(err.contains("add up to 301, not 300"), "{err}");
        let mut e = agg.clone();
        e.rung_occupancy[6] += 1;
        assert!(e.check_consistent(300).unwrap_err().contains("step 1"));
        let mut e = agg.clone();
        e.escalation.sq_sum = -1;
        assert!(e.check_consistent(300).is_err());
        let mut e = agg.clone();
        e.move_trials[0] = 301;
        assert!(e.check_consistent(300).is_err());
        let mut e = agg.clone();
        e.var_sums.pop();
        assert!(e.check_consistent(300).unwrap_err().contains("var_sums"));
        let bytes = serde_json::to_vec(&agg).unwrap();
        assert!((bytes.len() as u64) < agg.max_json_bytes());
    }

    #[test]
    fn try_merge_refuses_to_wrap() {
        let agg = aggregate();
        let mut total = agg.clone();
        total.try_merge(&agg).unwrap();
        let mut plain = agg.clone();
        plain.merge(&agg);
        assert_eq!(total, plain);
        let mut big = agg.clone();
        big.incidents = u64::MAX;
        assert!(big.try_merge(&agg).unwrap_err().contains("overflows"));
    }

    #[test]
    fn point_counts_add_up() {
        let p = PointCounts {
            trials: 10,
            outcomes: [1, 2, 3, 4, 0, 0, 0, 0].into(),
            escalation: 50,
        };
        assert_eq!(p.check_consistent(10, [0, 10]), Ok(()));
        assert!(p.check_consistent(11, [0, 10]).is_err());
        assert!(p.check_consistent(10, [0, 4]).is_err());
        let wrap = PointCounts {
            outcomes: [u64::MAX, 11, 0, 0, 0, 0, 0, 0].into(),
            ..p
        };
        assert!(wrap.check_consistent(10, [0, 10]).is_err());
    }
}
