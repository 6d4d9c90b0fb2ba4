//! Paired differences between two scenarios run with common random numbers.
//!
//! Trial `i` of both scenarios sees the same random draws, so their outcomes
//! come in pairs. For one outcome, the pairs fall in a 2x2 table (both,
//! first only, second only, neither); the per-trial difference of indicators
//! `d_i = [second has it] - [first has it]` is in {-1, 0, 1}, and its mean is
//! the difference of the two probabilities.
//!
//! Interval: Newcombe's hybrid score interval for paired proportions
//! ("method 10" of Newcombe 1998, *Statistics in Medicine* 17:2635-2650),
//! built from the two Wilson intervals and a continuity-corrected estimate
//! of the correlation between the paired indicators. It stays inside
//! [-1, 1] and behaves well when the outcome or the discordant pairs are
//! rare, where the Wald interval on the mean of `d` is too narrow
//! ([`PairedCounts::wald95`] is kept for reference). When no pair disagrees
//! (a scenario compared with itself, or a change that never alters this
//! outcome in these trials), the difference is exactly 0 and the interval is
//! reported as [0, 0]: the paired trials carry no sign of a difference, and
//! the discordant counts (both 0) say how little that rests on.
//!
//! Pairing pays when the outcomes are positively correlated: the variance
//! of the paired difference, `Var(d) = (b + c)/n - ((c - b)/n)^2`, is then
//! smaller than that of two independent runs, `p1(1-p1) + p2(1-p2)` (both
//! per trial). Their ratio is the variance reduction: how many times more
//! trials two independent runs would need for the same precision.

use serde::{Serialize, Serializer};

use crate::model::{Model, milestone_names};
use crate::world::{Outcome, PerOutcome};

use super::RunAggregate;
use super::mean::IntegerSums;
use super::wilson::{Z95, wilson95};

/// Paired trials by (outcome of the first scenario, outcome of the second).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JointCounts {
    cells: PerOutcome<PerOutcome<u64>>,
}

impl JointCounts {
    /// Counts one pair.
    #[inline]
    pub fn add(&mut self, first: Outcome, second: Outcome) {
        self.cells[first][second] += 1;
    }

    /// Adds the counts of another table.
    pub fn merge(&mut self, other: &JointCounts) {
        for (row, o) in self.cells.values_mut().iter_mut().zip(other.cells.values()) {
            for (c, x) in row.values_mut().iter_mut().zip(o.values()) {
                *c += x;
            }
        }
    }

    /// Pairs with outcome `first` in the first scenario and `second` in the other.
    pub fn get(&self, first: Outcome, second: Outcome) -> u64 {
        self.cells[first][second]
    }

    /// The table, rows by the first scenario's outcome.
    pub fn rows(&self) -> &PerOutcome<PerOutcome<u64>> {
        &self.cells
    }

    /// Number of pairs.
    pub fn total(&self) -> u64 {
        self.cells.iter().flat_map(|(_, row)| row.values()).sum()
    }

    /// The 2x2 table of one outcome.
    pub fn outcome(&self, o: Outcome) -> PairedCounts {
        self.class(|x| x == o)
    }

    /// The 2x2 table of a class of outcomes (for example every war outcome).
    pub fn class(&self, member: impl Fn(Outcome) -> bool) -> PairedCounts {
        let mut p = PairedCounts::default();
        for (a, row) in self.cells.iter() {
            for (b, &c) in row.iter() {
                match (member(a), member(b)) {
                    (true, true) => p.both += c,
                    (true, false) => p.first_only += c,
                    (false, true) => p.second_only += c,
                    (false, false) => p.neither += c,
                }
            }
        }
        p
    }
}

impl Serialize for JointCounts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.cells.serialize(s)
    }
}

/// Reads back what [`Serialize`] writes (checkpoints and shards of a comparison).
impl<'de> serde::Deserialize<'de> for JointCounts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(JointCounts {
            cells: PerOutcome::<PerOutcome<u64>>::deserialize(d)?,
        })
    }
}

/// Paired trials of one outcome: which of the two scenarios had it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PairedCounts {
    /// Both scenarios had the outcome.
    pub both: u64,
    /// Only the first did.
    pub first_only: u64,
    /// Only the second did.
    pub second_only: u64,
    /// Neither did.
    pub neither: u64,
}

impl PairedCounts {
    /// Number of pairs.
    pub fn n(&self) -> u64 {
        self.both + self.first_only + self.second_only + self.neither
    }

    fn share(&self, k: u64) -> f64 {
        match self.n() {
            0 => 0.0,
            n => k as f64 / n as f64,
        }
    }

    /// Trials in which the first scenario had the outcome.
    pub fn first_count(&self) -> u64 {
        self.both + self.first_only
    }

    /// Trials in which the second scenario had the outcome.
    pub fn second_count(&self) -> u64 {
        self.both + self.second_only
    }

    /// Probability of the outcome in the first scenario.
    pub fn first_share(&self) -> f64 {
        self.share(self.first_count())
    }

    /// Probability of the outcome in the second scenario.
    pub fn second_share(&self) -> f64 {
        self.share(self.second_count())
    }

    /// The difference `p_second - p_first`, the mean of `d_i`.
    pub fn difference(&self) -> f64 {
        match self.n() {
            0 => 0.0,
            n => (self.second_only as f64 - self.first_only as f64) / n as f64,
        }
    }

    /// Per-trial variance of `d_i` (divided by `n`), from exact integers.
    pub fn paired_variance(&self) -> f64 {
        let n = i128::from(self.n());
        if n == 0 {
            return 0.0;
        }
        let b = i128::from(self.first_only);
        let c = i128::from(self.second_only);
        let num = n * (b + c) - (c - b) * (c - b);
        num as f64 / (n * n) as f64
    }

    /// Per-trial variance of the difference of two independent runs:
    /// `p1(1 - p1) + p2(1 - p2)`.
    pub fn unpaired_variance(&self) -> f64 {
        let p1 = self.first_share();
        let p2 = self.second_share();
        p1 * (1.0 - p1) + p2 * (1.0 - p2)
    }

    /// Unpaired over paired variance; `None` when the paired variance is 0.
    pub fn variance_reduction(&self) -> Option<f64> {
        let paired = self.paired_variance();
        (paired > 0.0).then(|| self.unpaired_variance() / paired)
    }

    /// Newcombe's continuity-corrected estimate of the correlation between
    /// the paired indicators (0 when a margin is empty).
    fn newcombe_phi(&self) -> f64 {
        let n = self.n();
        let margins = [
            self.first_count(),
            n - self.first_count(),
            self.second_count(),
            n - self.second_count(),
        ];
        if margins.contains(&0) {
            return 0.0;
        }
        let product: f64 = margins.iter().map(|&m| m as f64).product();
        let a = i128::from(self.both) * i128::from(self.neither)
            - i128::from(self.first_only) * i128::from(self.second_only);
        let half_n = n as f64 / 2.0;
        let a = a as f64;
        if a > half_n {
            (a - half_n) / product.sqrt()
        } else if a >= 0.0 {
            0.0
        } else {
            a / product.sqrt()
        }
    }

    fn square_and_add(&self, phi: f64) -> (f64, f64) {
        let n = self.n();
        let (l1, u1) = wilson95(self.first_count(), n);
        let (l2, u2) = wilson95(self.second_count(), n);
        let p1 = self.first_share();
        let p2 = self.second_share();
        let d = p2 - p1;
        // Written out rather than with `powi`, so every platform rounds alike.
        let sq = |x: f64| x * x;
        let below = (sq(p2 - l2) + sq(u1 - p1) - 2.0 * phi * (p2 - l2) * (u1 - p1))
            .max(0.0)
            .sqrt();
        let above = (sq(p1 - l1) + sq(u2 - p2) - 2.0 * phi * (p1 - l1) * (u2 - p2))
            .max(0.0)
            .sqrt();
        ((d - below).max(-1.0), (d + above).min(1.0))
    }

    /// Newcombe's method 10 interval of `p_second - p_first`, kept for
    /// reference; `[0, 0]` when no pair disagrees, which is why brink
    /// reports [`Self::interval95`] instead.
    pub fn newcombe95(&self) -> (f64, f64) {
        if self.n() == 0 {
            return (-1.0, 1.0);
        }
        if self.first_only == 0 && self.second_only == 0 {
            return (0.0, 0.0);
        }
        self.square_and_add(self.newcombe_phi())
    }

    /// Tango's score statistic for the hypothesis `p_second - p_first =
    /// delta`: the observed difference of discordant counts against its
    /// standard error under the constrained maximum-likelihood estimate of
    /// the discordant cell probabilities.
    fn tango_z(&self, delta: f64) -> f64 {
        let n = self.n() as f64;
        let s = self.second_only as f64;
        let f = self.first_only as f64;
        // The constrained estimate of P(first only) when P(second only) -
        // P(first only) = delta: the root of 2n x^2 + w x - f delta (1 - delta).
        let w = -(s + f) + (2.0 * n - s + f) * delta;
        let x = ((w * w + 8.0 * n * f * delta * (1.0 - delta))
            .max(0.0)
            .sqrt()
            - w)
            / (4.0 * n);
        let variance = n * (2.0 * x + delta * (1.0 - delta));
        let excess = s - f - n * delta;
        if variance > 0.0 {
            excess / variance.sqrt()
        } else if excess == 0.0 {
            0.0
        } else {
            excess.signum() * f64::INFINITY
        }
    }

    /// 95% interval of `p_second - p_first` from the paired trials: Tango's
    /// (1998) asymptotic score interval, `{delta : |Z(delta)| <= 1.96}`,
    /// found by bisection. When no pair disagrees it still has a width
    /// (its upper end is `z^2 / (n + z^2)`): the trials cannot tell a
    /// difference that rare from none. Only two identical scenarios get
    /// `[0, 0]`, and that is for the caller to know ([`Self::interval95`]).
    pub fn tango95(&self) -> (f64, f64) {
        if self.n() == 0 {
            return (-1.0, 1.0);
        }
        let d = self.difference();
        // Z decreases in delta: the lower end solves Z = +z, the upper Z = -z.
        let root = |mut inside: f64, mut outside: f64, target: f64| {
            for _ in 0..100 {
                let mid = 0.5 * (inside + outside);
                if mid == inside || mid == outside {
                    break;
                }
                let z = self.tango_z(mid);
                if (target > 0.0 && z > target) || (target < 0.0 && z < target) {
                    outside = mid;
                } else {
                    inside = mid;
                }
            }
            0.5 * (inside + outside)
        };
        let low = if d <= -1.0 { -1.0 } else { root(d, -1.0, Z95) };
        let high = if d >= 1.0 { 1.0 } else { root(d, 1.0, -Z95) };
        (low, high)
    }

    /// The paired interval brink reports: [`Self::tango95`], or exactly
    /// `[0, 0]` when the two scenarios are `identical` (compile to the same
    /// model), so that every pair agrees by construction.
    pub fn interval95(&self, identical: bool) -> (f64, f64) {
        if identical && self.first_only == 0 && self.second_only == 0 {
            (0.0, 0.0)
        } else {
            self.tango95()
        }
    }

    /// 95% interval of the difference had the two scenarios been run as
    /// independent samples of the same size (Newcombe's hybrid score
    /// interval for independent proportions).
    pub fn unpaired_newcombe95(&self) -> (f64, f64) {
        if self.n() == 0 {
            return (-1.0, 1.0);
        }
        self.square_and_add(0.0)
    }

    /// 95% Wald interval on the mean of `d_i`, for reference.
    pub fn wald95(&self) -> (f64, f64) {
        let n = self.n();
        if n == 0 {
            return (-1.0, 1.0);
        }
        let d = self.difference();
        let half = Z95 * (self.paired_variance() / n as f64).sqrt();
        (d - half, d + half)
    }
}

/// The layout of the paired milestone counts of one scenario against the
/// baseline: for each of the baseline's milestones (in the order of
/// [`crate::model::milestone_names`]) and each step `t` up to the longer of
/// the two horizons, the paired trials in which both scenarios reached the
/// milestone and the later of their two first steps is `t`. With the
/// counts reached by each step in each scenario (their aggregates), these
/// give every step's 2x2 table: both reached it by `t` in `B(t)` (the sum
/// of the counts up to `t`) trials, the baseline only in `R1(t) - B(t)`,
/// the scenario only in `R2(t) - B(t)`. Exact integers, so shards and
/// checkpoints merge exactly, and the steps asked for (`compare --at`) can
/// be chosen after the trials ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MilestonePairing {
    /// The baseline's milestones.
    pub milestones: usize,
    /// Steps `0..=max(horizon of the baseline, horizon of the scenario)`.
    pub steps: usize,
}

impl MilestonePairing {
    /// The layout for `arm` against `baseline`.
    pub fn new(baseline: &Model, arm: &Model) -> MilestonePairing {
        MilestonePairing {
            milestones: milestone_names(baseline).len(),
            steps: baseline.horizon.max(arm.horizon) as usize + 1,
        }
    }

    /// Number of counts.
    pub fn len(&self) -> usize {
        self.milestones * self.steps
    }

    /// True when there are no counts.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index of (baseline milestone `j`, step `t`), steps past the end
    /// counted at the last step.
    #[inline]
    pub fn cell(&self, j: usize, t: u32) -> usize {
        j * self.steps + (t as usize).min(self.steps - 1)
    }

    /// For each of the baseline's milestones, the index of the milestone
    /// of the same name in `arm` (`None` when it has none, for example the
    /// first strike of a principal it does not have).
    pub fn arm_index(&self, baseline: &Model, arm: &Model) -> Vec<Option<usize>> {
        let theirs = milestone_names(arm);
        milestone_names(baseline)
            .iter()
            .map(|(name, _)| theirs.iter().position(|(n, _)| n == name))
            .collect()
    }

    /// The 2x2 table at step `t` of baseline milestone `j`, from the paired
    /// counts `joint`, the baseline's first-step counts `first` and the
    /// scenario's `second` (each over its own steps `0..=horizon`; a
    /// scenario that stopped earlier keeps its last count). `None` when the
    /// counts contradict each other (a damaged file).
    pub fn table(
        &self,
        joint: &[u64],
        j: usize,
        t: u32,
        first: &[u64],
        second: &[u64],
        trials: u64,
    ) -> Option<PairedCounts> {
        let upto = |row: &[u64]| -> u64 {
            let end = (t as usize + 1).min(row.len());
            row[..end].iter().sum()
        };
        let start = j * self.steps;
        let both = upto(joint.get(start..start + self.steps)?);
        let (r1, r2) = (upto(first), upto(second));
        let first_only = r1.checked_sub(both)?;
        let second_only = r2.checked_sub(both)?;
        let neither = trials.checked_sub(both + first_only + second_only)?;
        Some(PairedCounts {
            both,
            first_only,
            second_only,
            neither,
        })
    }
}

/// What a paired run produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairedSimulation {
    /// Aggregates of each scenario, in the order given.
    pub aggregates: Vec<RunAggregate>,
    /// For each scenario `k`, trials by (outcome of the first scenario,
    /// outcome of scenario `k`). Entry 0 pairs the first scenario with
    /// itself, so only its diagonal is filled.
    pub joint: Vec<JointCounts>,
    /// For each scenario `k`, its paired milestone counts against the
    /// first, laid out as its [`MilestonePairing`] says (entry 0 pairs the
    /// first scenario with itself).
    pub milestone_joint: Vec<Vec<u64>>,
    /// For each scenario `k`, the per-trial differences of the summed
    /// escalation score, scenario `k` minus the first (entry 0 is all zeros).
    pub escalation_differences: Vec<IntegerSums>,
    /// Trials completed (all of them unless cancelled).
    pub completed: u64,
    /// True when stopped by the cancel flag.
    pub cancelled: bool,
    /// True when the stopping rule of `engine::simulate_paired_until` ended the run.
    pub stopped: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f64, f64), b: (f64, f64), tol: f64) -> bool {
        (a.0 - b.0).abs() < tol && (a.1 - b.1).abs() < tol
    }

    /// Fagerland, Lydersen & Laake, "Statistical Analysis of Contingency
    /// Tables" (2017), chapter 8: complete response before and after
    /// consolidation therapy (Cavo et al., 2012), table [[59, 6], [16, 80]].
    /// Published: estimate -0.0621; Newcombe square-and-add 95% CI
    /// -0.1186 to -0.0046; Wald 95% CI -0.1184 to -0.0058.
    fn cavo() -> PairedCounts {
        PairedCounts {
            both: 59,
            second_only: 6,
            first_only: 16,
            neither: 80,
        }
    }

    #[test]
    fn newcombe_matches_the_published_example() {
        let t = cavo();
        assert!((t.difference() + 0.0621).abs() < 5e-5);
        assert!(
            close(t.newcombe95(), (-0.1186, -0.0046), 5e-5),
            "{:?}",
            t.newcombe95()
        );
        assert!(
            close(t.wald95(), (-0.1184, -0.0058), 5e-5),
            "{:?}",
            t.wald95()
        );
    }

    /// The same table through Tango's score interval: -0.1240 to -0.0054,
    /// as Fagerland, Lydersen & Laake's formulas (their R package
    /// `contingencytables`, `Tango_asymptotic_score_CI_paired_2x2`) give it,
    /// recomputed independently by bisection.
    #[test]
    fn tango_matches_the_reference_formula_on_the_published_table() {
        let t = cavo();
        assert!(
            close(t.tango95(), (-0.1240, -0.0054), 5e-5),
            "{:?}",
            t.tango95()
        );
        assert_eq!(t.interval95(false), t.tango95());
    }

    #[test]
    fn swapping_the_scenarios_mirrors_the_interval() {
        let t = cavo();
        let s = PairedCounts {
            first_only: t.second_only,
            second_only: t.first_only,
            ..t
        };
        let (lo, hi) = t.newcombe95();
        let (lo2, hi2) = s.newcombe95();
        assert!((lo + hi2).abs() < 1e-12 && (hi + lo2).abs() < 1e-12);
    }

    #[test]
    fn no_discordant_pairs_gives_exactly_zero() {
        let t = PairedCounts {
            both: 300,
            first_only: 0,
            second_only: 0,
            neither: 700,
        };
        assert_eq!(t.difference(), 0.0);
        assert_eq!(t.newcombe95(), (0.0, 0.0));
        assert_eq!(t.paired_variance(), 0.0);
        assert_eq!(t.variance_reduction(), None);
        let (lo, hi) = t.unpaired_newcombe95();
        assert!(lo < 0.0 && hi > 0.0);
    }

    #[test]
    fn variances_from_the_table() {
        // d = +1 in 30 trials, -1 in 10, 0 in 60: mean 0.2, E[d^2] = 0.4.
        let t = PairedCounts {
            both: 20,
            first_only: 10,
            second_only: 30,
            neither: 40,
        };
        assert!((t.difference() - 0.2).abs() < 1e-15);
        assert!((t.paired_variance() - (0.4 - 0.04)).abs() < 1e-15);
        let (p1, p2) = (0.3, 0.5);
        let unpaired = p1 * (1.0 - p1) + p2 * (1.0 - p2);
        assert!((t.unpaired_variance() - unpaired).abs() < 1e-15);
        assert!((t.variance_reduction().unwrap() - unpaired / 0.36).abs() < 1e-12);
    }

    #[test]
    fn positive_correlation_narrows_the_interval() {
        let t = PairedCounts {
            both: 400,
            first_only: 10,
            second_only: 40,
            neither: 550,
        };
        let (lo, hi) = t.newcombe95();
        let (ulo, uhi) = t.unpaired_newcombe95();
        assert!(lo > 0.0, "a clear difference: {lo}");
        assert!(hi - lo < (uhi - ulo) / 2.0);
        assert!(t.variance_reduction().unwrap() > 4.0);
    }

    #[test]
    fn intervals_stay_within_bounds() {
        for (a, b, c, d) in [(0, 0, 5, 0), (0, 5, 0, 0), (0, 0, 1, 99), (3, 0, 0, 0)] {
            let t = PairedCounts {
                both: a,
                first_only: b,
                second_only: c,
                neither: d,
            };
            let (lo, hi) = t.newcombe95();
            assert!((-1.0..=1.0).contains(&lo) && (-1.0..=1.0).contains(&hi));
            assert!(lo <= t.difference() && t.difference() <= hi, "{t:?}");
        }
    }

    #[test]
    fn joint_table_splits_by_outcome() {
        let (deal, war, strikes) = (Outcome::Deal, Outcome::WarOngoing, Outcome::LimitedStrikes);
        let mut j = JointCounts::default();
        j.add(deal, deal);
        j.add(deal, war);
        j.add(war, deal);
        j.add(strikes, strikes);
        j.add(strikes, strikes);
        let p = j.outcome(deal);
        assert_eq!(
            (p.both, p.first_only, p.second_only, p.neither),
            (1, 1, 1, 2)
        );
        assert_eq!(j.total(), 5);
        let mut k = JointCounts::default();
        k.merge(&j);
        k.merge(&j);
        assert_eq!(k.get(strikes, strikes), 4);
    }
}
