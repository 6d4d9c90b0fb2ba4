//! The spread of a figure over the assumptions: how much a probability
//! moves when the scenario's uncertain numbers are drawn again, with each
//! draw's own Monte Carlo noise taken out.
//!
//! A nested design (`engine::nested`) runs `M` trials under each of `K`
//! assumption draws and counts, per draw, the trials in which the figure
//! holds. The share of draw `k`, `p̂_k = h_k / M`, is the draw's true
//! probability `p_k` plus binomial noise of variance `p_k (1 − p_k) / M`, so
//! the raw shares spread wider than the `p_k` do. [`AssumptionSpread::estimate`]
//! removes that noise by the method of moments:
//!
//! ```text
//! mean     = Σ p̂_k / K
//! observed = Σ (p̂_k − mean)² / (K − 1)           variance of the shares
//! within   = Σ p̂_k (1 − p̂_k) / (M − 1) / K       mean binomial variance (unbiased)
//! between  = max(0, observed − within)           variance of the p_k
//! p̃_k      = mean + √(between / observed) (p̂_k − mean)
//! low, high = 5th and 95th percentiles of the p̃_k (linear interpolation)
//! ```
//!
//! Shrinking every share towards the mean by the same factor gives values
//! whose variance is the estimated between-draw variance, with the shape of
//! the observed shares. `docs/analysis.md` states the assumptions and limits.

use serde::{Deserialize, Serialize};

/// The lower percentile of the spread.
pub const SPREAD_LOW: f64 = 0.05;
/// The upper percentile of the spread.
pub const SPREAD_HIGH: f64 = 0.95;
/// The one-sided 95% normal quantile, for the upper bound of the between-draw sd.
const Z_ONE_SIDED_95: f64 = 1.644_853_626_951_472_2;

/// Name of the method, as written in `summary.json`.
pub const METHOD: &str = "method-of-moments shrinkage of per-draw shares (5th-95th percentile)";

/// A figure's spread over assumption draws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AssumptionSpread {
    /// Mean of the per-draw shares: the figure averaged over the assumptions.
    pub mean: f64,
    /// 5th percentile over assumption draws, Monte Carlo noise removed.
    pub low: f64,
    /// 95th percentile over assumption draws, Monte Carlo noise removed.
    pub high: f64,
    /// Standard deviation of the figure's true value across draws (estimated).
    pub between_sd: f64,
    /// Standard deviation of one draw's share around its true value (the
    /// Monte Carlo noise of `M` trials, averaged over draws).
    pub within_sd: f64,
    /// A one-sided 95% upper bound on `between_sd`: the spread's own
    /// uncertainty. With few draws, or much noise per draw, a between-draw
    /// sd of zero cannot be told from one up to this bound.
    pub between_sd_high: f64,
}

impl AssumptionSpread {
    /// Estimates the spread from the hit counts of every draw (`hits[k]` of
    /// `trials_per_draw` trials under draw `k`). Needs at least two draws
    /// and two trials per draw for the variances; with fewer, the spread is
    /// the mean alone (low = high = mean, sds 0).
    pub fn estimate(hits_per_draw: &[u64], trials_per_draw: u64) -> AssumptionSpread {
        let trials = vec![trials_per_draw; hits_per_draw.len()];
        Self::estimate_uneven(hits_per_draw, &trials)
    }

    /// Like [`AssumptionSpread::estimate`], with each draw's own number of
    /// trials (`trials[k]`): for a conditional figure, the trials of the
    /// draw that met the condition. Draws with no trials are left out;
    /// draws with one trial count towards the spread but add no estimate
    /// of the noise.
    pub fn estimate_uneven(hits: &[u64], trials: &[u64]) -> AssumptionSpread {
        let draws: Vec<(f64, u64)> = hits
            .iter()
            .zip(trials)
            .filter(|&(_, &n)| n > 0)
            .map(|(&h, &n)| (h.min(n) as f64 / n as f64, n))
            .collect();
        let k = draws.len();
        if k == 0 {
            return AssumptionSpread {
                mean: 0.0,
                low: 0.0,
                high: 0.0,
                between_sd: 0.0,
                within_sd: 0.0,
                between_sd_high: 0.0,
            };
        }
        let kf = k as f64;
        let mean = draws.iter().map(|d| d.0).sum::<f64>() / kf;
        let noisy: Vec<&(f64, u64)> = draws.iter().filter(|d| d.1 >= 2).collect();
        if k < 2 || noisy.is_empty() {
            return AssumptionSpread {
                mean,
                low: mean,
                high: mean,
                between_sd: 0.0,
                within_sd: 0.0,
                between_sd_high: 0.0,
            };
        }
        let observed = draws
            .iter()
            .map(|d| (d.0 - mean) * (d.0 - mean))
            .sum::<f64>()
            / (kf - 1.0);
        // The unbiased binomial variance of each draw's share, averaged.
        let nf = noisy.len() as f64;
        let within = noisy
            .iter()
            .map(|&&(p, n)| p * (1.0 - p) / (n as f64 - 1.0))
            .sum::<f64>()
            / nf;
        let within_one = noisy
            .iter()
            .map(|&&(p, n)| p * (1.0 - p) / n as f64)
            .sum::<f64>()
            / nf;
        let between = (observed - within).max(0.0);
        let shrink = if observed > 0.0 {
            (between / observed).sqrt()
        } else {
            0.0
        };
        let mut shrunk: Vec<f64> = draws
            .iter()
            .map(|d| (mean + shrink * (d.0 - mean)).clamp(0.0, 1.0))
            .collect();
        shrunk.sort_by(f64::total_cmp);
        // The sampling sd of the observed variance (normal theory), which
        // bounds how well `between` is known.
        let observed_se = observed * (2.0 / (kf - 1.0)).sqrt();
        AssumptionSpread {
            mean,
            low: percentile(&shrunk, SPREAD_LOW).min(mean),
            high: percentile(&shrunk, SPREAD_HIGH).max(mean),
            between_sd: between.sqrt(),
            within_sd: within_one.sqrt(),
            between_sd_high: (between + Z_ONE_SIDED_95 * observed_se).sqrt(),
        }
    }

    /// True when the assumptions move the figure by more than the design
    /// can tell from noise (the between-draw sd is not zero).
    pub fn is_spread(&self) -> bool {
        self.between_sd > 0.0
    }
}

/// One key figure's two intervals: its Monte Carlo interval from the main
/// run and its spread over the assumptions from the nested design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FigureSpread {
    /// Machine name (an outcome's key, `war`, `agreement`, or a milestone's name).
    pub name: String,
    /// `outcome`, `total` (war, agreement) or `milestone` (reached by the horizon).
    pub group: String,
    /// Label for people.
    pub label: String,
    /// The main run's share of trials (null when the main run does not
    /// count this figure).
    pub probability: Option<f64>,
    /// The main run's 95% Wilson interval, low end.
    pub mc_low: Option<f64>,
    /// The main run's 95% Wilson interval, high end.
    pub mc_high: Option<f64>,
    /// The figure averaged over the assumption draws (nested design).
    pub mean: f64,
    /// 5th percentile over assumption draws.
    pub low: f64,
    /// 95th percentile over assumption draws.
    pub high: f64,
    /// Standard deviation of the figure across draws.
    pub between_sd: f64,
    /// Monte Carlo noise of one draw's share.
    pub within_sd: f64,
    /// One-sided 95% upper bound on `between_sd`.
    pub between_sd_high: f64,
}

impl FigureSpread {
    /// The entry of figure `name` (`group`, `label`) with spread `s`; the
    /// main run's share is filled in later ([`FigureSpread::main_run`]).
    pub fn new(name: &str, group: &str, label: &str, s: AssumptionSpread) -> FigureSpread {
        FigureSpread {
            name: name.into(),
            group: group.into(),
            label: label.into(),
            probability: None,
            mc_low: None,
            mc_high: None,
            mean: s.mean,
            low: s.low,
            high: s.high,
            between_sd: s.between_sd,
            within_sd: s.within_sd,
            between_sd_high: s.between_sd_high,
        }
    }

    /// Sets the main run's share, `hits` of `trials`, and its 95% Wilson interval.
    pub fn main_run(&mut self, hits: u64, trials: u64) {
        let (lo, hi) = super::wilson::wilson95(hits, trials);
        self.probability = Some(if trials == 0 {
            0.0
        } else {
            hits as f64 / trials as f64
        });
        self.mc_low = Some(lo);
        self.mc_high = Some(hi);
    }
}

/// The spread over assumptions of a run's key figures (`summary.json`'s
/// `assumption_spread`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpreadSummary {
    /// Assumption draws `K`.
    pub draws: u64,
    /// Trials per draw `M`.
    pub trials_per_draw: u64,
    /// The master seed of the nested trials (derived from the run's seed).
    pub trials_seed: u64,
    /// How the spread is estimated ([`METHOD`]).
    pub method: String,
    /// The uncertain parameters drawn (their paths).
    pub parameters: Vec<String>,
    /// The key figures, in report order.
    pub figures: Vec<FigureSpread>,
}

impl SpreadSummary {
    /// The figure named `name` in `group`.
    pub fn figure(&self, group: &str, name: &str) -> Option<&FigureSpread> {
        self.figures
            .iter()
            .find(|f| f.group == group && f.name == name)
    }
}

/// The `q` quantile of sorted `values`, by linear interpolation between
/// order statistics (Hyndman and Fan's type 7, as R and NumPy default to).
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn percentiles_interpolate_between_order_statistics() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!(close(percentile(&v, 0.0), 1.0));
        assert!(close(percentile(&v, 0.5), 3.0));
        assert!(close(percentile(&v, 0.05), 1.2));
        assert!(close(percentile(&v, 0.95), 4.8));
        assert!(close(percentile(&[7.0], 0.3), 7.0));
    }

    #[test]
    fn equal_counts_have_no_spread() {
        let s = AssumptionSpread::estimate(&[20, 20, 20, 20], 100);
        assert!(close(s.mean, 0.2));
        assert!(close(s.low, 0.2) && close(s.high, 0.2));
        assert_eq!(s.between_sd, 0.0);
        // within = 0.2 * 0.8 / 99, reported per draw of 100: 0.2 * 0.8 / 100.
        assert!(close(s.within_sd, 0.04));
        assert!(!s.is_spread());
    }

    #[test]
    fn a_hand_computed_case() {
        // Shares 0.1, 0.3, 0.5, 0.7, 0.9 of 10 trials.
        let s = AssumptionSpread::estimate(&[1, 3, 5, 7, 9], 10);
        // mean 0.5; observed variance = (0.16 + 0.04 + 0 + 0.04 + 0.16) / 4 = 0.1;
        // within = (0.09 + 0.21 + 0.25 + 0.21 + 0.09) / 9 / 5 = 0.85 / 45;
        // between = 0.1 - 0.85 / 45; shrink = sqrt(between / 0.1).
        let within = 0.85 / 45.0;
        let between: f64 = 0.1 - within;
        let c = (between / 0.1).sqrt();
        assert!(close(s.mean, 0.5));
        assert!(close(s.between_sd, between.sqrt()));
        assert!(close(s.within_sd, (within * 9.0 / 10.0).sqrt()));
        // Raw 5th percentile of the shares: 0.1 + 0.2 * 0.2 = 0.14.
        assert!(close(s.low, 0.5 + c * (0.14 - 0.5)));
        assert!(close(s.high, 0.5 + c * (0.86 - 0.5)));
        let se = 0.1 * (2.0f64 / 4.0).sqrt();
        assert!(close(
            s.between_sd_high,
            (between + Z_ONE_SIDED_95 * se).sqrt()
        ));
    }

    #[test]
    fn noise_alone_is_removed() {
        // Shares 0.4 and 0.6 of 10 trials: observed variance 0.02 is less
        // than the binomial variance 0.24 / 9, so all of it is noise.
        let s = AssumptionSpread::estimate(&[4, 6, 4, 6], 10);
        assert_eq!(s.between_sd, 0.0);
        assert!(close(s.low, 0.5) && close(s.high, 0.5));
        assert!(s.between_sd_high > 0.0);
    }

    #[test]
    fn uneven_draws_use_their_own_noise() {
        // Shares 0.5 of 10 and 0.5 of 4, and an empty draw left out.
        let s = AssumptionSpread::estimate_uneven(&[5, 2, 0], &[10, 4, 0]);
        assert!(close(s.mean, 0.5));
        assert_eq!(s.between_sd, 0.0);
        // within per draw: 0.25 / 10 and 0.25 / 4, averaged.
        assert!(close(s.within_sd, ((0.025 + 0.0625) / 2.0f64).sqrt()));
        let even = AssumptionSpread::estimate(&[1, 3, 5, 7, 9], 10);
        let uneven = AssumptionSpread::estimate_uneven(&[1, 3, 5, 7, 9], &[10; 5]);
        assert_eq!(even, uneven);
    }

    #[test]
    fn degenerate_inputs_give_the_mean() {
        let s = AssumptionSpread::estimate(&[3], 10);
        assert!(close(s.low, 0.3) && close(s.high, 0.3));
        let s = AssumptionSpread::estimate(&[], 10);
        assert_eq!(s.mean, 0.0);
        let s = AssumptionSpread::estimate(&[0, 1], 1);
        assert!(close(s.mean, 0.5) && close(s.low, 0.5));
    }

    #[test]
    fn draws_all_at_zero_or_one_have_no_noise() {
        // Deterministic figures: every draw's share is 0 or 1, within = 0,
        // so the spread is the raw shares' percentiles.
        let s = AssumptionSpread::estimate(&[0, 0, 10, 10, 10], 10);
        assert!(close(s.mean, 0.6));
        assert!(close(s.low, 0.0));
        assert!(close(s.high, 1.0));
    }
}
