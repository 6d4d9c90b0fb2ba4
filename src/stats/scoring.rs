//! Scores of probability forecasts against what happened: the Brier score
//! and the logarithmic score of resolved yes/no questions, their means
//! with bootstrap intervals, the same scores for two reference forecasts
//! (the leave-one-out base rate and 0.5), skill scores relative to each,
//! a reliability table with Wilson intervals and the Murphy decomposition
//! of the Brier score.
//!
//! Conventions (docs/validation.md, "Scoring"):
//!
//! - Both scores are losses: lower is better. The Brier score of forecast
//!   `q` for outcome `y` (1 or 0) is `(q - y)^2`; the logarithmic score is
//!   `-ln(q)` when the event happened and `-ln(1 - q)` when it did not
//!   (natural logarithm, in nats). A forecast of 0.5 scores 0.25 and
//!   `ln 2 = 0.693` whatever happens.
//! - A Monte Carlo forecast is a share of trials, `hits / trials`, which can
//!   be exactly 0 or 1 and would then score an infinite logarithmic loss
//!   for a surprise. Every score is therefore computed on the
//!   Jeffreys-type estimate `(hits + 1/2) / (trials + 1)` ([`scored_probability`]),
//!   which differs from the share by less than `1 / (2 (trials + 1))`
//!   (2.5e-5 for 20,000 trials) and is never 0 or 1.
//! - The base-rate reference forecasts question `i` with the share of
//!   resolved-true among the *other* resolved questions (leave-one-out,
//!   with the same adjustment: `(true among others + 1/2) / (others + 1)`),
//!   so it never sees the answer it is scored on.
//! - Intervals are 95% percentile intervals of a bootstrap over questions:
//!   the questions are resampled with replacement, the same resample for
//!   the forecast and the references (a paired bootstrap), so the skill
//!   scores' intervals account for the questions' shared difficulty. The
//!   generator is seeded, so the intervals are reproducible.

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::rng::{Streams, purpose_id};

use super::wilson::wilson95;

/// Bootstrap resamples behind every interval.
pub const BOOTSTRAP_RESAMPLES: usize = 2000;

/// Bins of the reliability table: `[0, 0.1)`, `[0.1, 0.2)`, ..., `[0.9, 1]`.
pub const RELIABILITY_BINS: usize = 10;

/// The probability scored for a forecast of `hits` out of `trials`:
/// `(hits + 1/2) / (trials + 1)`, never exactly 0 or 1.
pub fn scored_probability(hits: u64, trials: u64) -> f64 {
    (hits as f64 + 0.5) / (trials as f64 + 1.0)
}

/// The Brier score of probability `q` for an event that happened (`true`)
/// or not: `(q - y)^2`.
pub fn brier(q: f64, happened: bool) -> f64 {
    let y = if happened { 1.0 } else { 0.0 };
    (q - y) * (q - y)
}

/// The logarithmic score (a loss, in nats) of probability `q` for an event
/// that happened (`-ln q`) or not (`-ln(1 - q)`).
pub fn log_score(q: f64, happened: bool) -> f64 {
    if happened { -q.ln() } else { -(1.0 - q).ln() }
}

/// The leave-one-out base rate of each question: `(true among the others +
/// 1/2) / (others + 1)`; 0.5 for a lone question.
pub fn leave_one_out_base_rates(outcomes: &[bool]) -> Vec<f64> {
    let n = outcomes.len() as f64;
    let hits = outcomes.iter().filter(|&&y| y).count() as f64;
    outcomes
        .iter()
        .map(|&y| {
            let others = hits - if y { 1.0 } else { 0.0 };
            (others + 0.5) / n
        })
        .collect()
}

/// A mean score (or skill score) with its 95% bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The estimate on all questions.
    pub value: f64,
    /// 2.5th and 97.5th percentiles of the bootstrap replicates.
    pub ci95: [f64; 2],
}

/// The scores of one question: the forecast's and the references'.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuestionScore {
    /// The probability scored ([`scored_probability`]).
    pub scored: f64,
    /// What happened.
    pub outcome: bool,
    /// Brier score of the forecast.
    pub brier: f64,
    /// Logarithmic score of the forecast.
    pub log: f64,
    /// The leave-one-out base rate forecast.
    pub base_rate: f64,
    /// Its Brier score.
    pub base_rate_brier: f64,
    /// Its logarithmic score.
    pub base_rate_log: f64,
}

/// Scores every question: forecasts `probabilities` (already
/// [`scored_probability`]) against `outcomes`, with the leave-one-out base
/// rate over all of them.
pub fn question_scores(probabilities: &[f64], outcomes: &[bool]) -> Vec<QuestionScore> {
    let base = leave_one_out_base_rates(outcomes);
    probabilities
        .iter()
        .zip(outcomes)
        .zip(base)
        .map(|((&q, &y), b)| QuestionScore {
            scored: q,
            outcome: y,
            brier: brier(q, y),
            log: log_score(q, y),
            base_rate: b,
            base_rate_brier: brier(b, y),
            base_rate_log: log_score(b, y),
        })
        .collect()
}

/// A reference forecast's mean scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReferenceScores {
    /// Mean Brier score.
    pub brier: Estimate,
    /// Mean logarithmic score.
    pub log: Estimate,
}

/// Skill scores `1 - S / S_ref` of the forecast relative to the two
/// references: positive when the forecast scores better (lower) than the
/// reference, 1 for a perfect forecast.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Skill {
    /// Brier skill relative to the base rate.
    pub brier_vs_base_rate: Estimate,
    /// Brier skill relative to 0.5.
    pub brier_vs_uniform: Estimate,
    /// Logarithmic skill relative to the base rate.
    pub log_vs_base_rate: Estimate,
    /// Logarithmic skill relative to 0.5.
    pub log_vs_uniform: Estimate,
}

/// The mean scores of a set of questions with their intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoreSet {
    /// Questions scored.
    pub questions: usize,
    /// Questions that resolved true.
    pub resolved_true: usize,
    /// Mean Brier score of the forecasts.
    pub brier: Estimate,
    /// Mean logarithmic score of the forecasts.
    pub log: Estimate,
    /// The leave-one-out base rate's.
    pub base_rate: ReferenceScores,
    /// The uniform forecast's (0.5 for every question: 0.25 and ln 2 exactly).
    pub uniform: ReferenceScores,
    /// Skill scores with their paired-bootstrap intervals.
    pub skill: Skill,
}

/// The value at quantile `q` of sorted `v` (linear interpolation).
fn percentile(v: &[f64], q: f64) -> f64 {
    let pos = q * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    v[lo] + (v[hi] - v[lo]) * (pos - lo as f64)
}

fn estimate(value: f64, mut replicates: Vec<f64>) -> Estimate {
    replicates.retain(|x| x.is_finite());
    if replicates.is_empty() {
        return Estimate {
            value,
            ci95: [value, value],
        };
    }
    replicates.sort_by(f64::total_cmp);
    Estimate {
        value,
        ci95: [
            percentile(&replicates, 0.025),
            percentile(&replicates, 0.975),
        ],
    }
}

/// Means of the four scores of `rows` taken at `index`.
fn means(rows: &[QuestionScore], index: impl Iterator<Item = usize>) -> [f64; 4] {
    let mut sums = [0.0; 4];
    let mut n = 0.0;
    for i in index {
        let r = &rows[i];
        sums[0] += r.brier;
        sums[1] += r.log;
        sums[2] += r.base_rate_brier;
        sums[3] += r.base_rate_log;
        n += 1.0;
    }
    sums.map(|s| s / n)
}

/// The statistics of one set of means: the forecast's two scores, the base
/// rate's two, and the four skill scores.
fn statistics(m: [f64; 4]) -> [f64; 8] {
    let uniform_brier = 0.25;
    let uniform_log = std::f64::consts::LN_2;
    [
        m[0],
        m[1],
        m[2],
        m[3],
        1.0 - m[0] / m[2],
        1.0 - m[0] / uniform_brier,
        1.0 - m[1] / m[3],
        1.0 - m[1] / uniform_log,
    ]
}

/// The mean scores of `rows` (at least one) with 95% intervals from
/// `resamples` paired bootstrap resamples over the questions, drawn from
/// stream `stream` of `seed` (each set of a result gets its own stream, so
/// every interval is reproducible on its own).
pub fn score_set(rows: &[QuestionScore], seed: u64, stream: u64, resamples: usize) -> ScoreSet {
    let n = rows.len();
    let point = statistics(means(rows, 0..n));
    let mut reps: [Vec<f64>; 8] = Default::default();
    if n > 1 {
        let mut rng = Streams::new(seed).generator(stream, purpose_id("score-bootstrap"));
        let mut pick = vec![0usize; n];
        for _ in 0..resamples {
            for p in pick.iter_mut() {
                *p = rng.random_range(0..n as u64) as usize;
            }
            let s = statistics(means(rows, pick.iter().copied()));
            for (r, v) in reps.iter_mut().zip(s) {
                r.push(v);
            }
        }
    }
    let [b, l, bb, bl, s0, s1, s2, s3] = reps;
    let exact = |v: f64| Estimate {
        value: v,
        ci95: [v, v],
    };
    ScoreSet {
        questions: n,
        resolved_true: rows.iter().filter(|r| r.outcome).count(),
        brier: estimate(point[0], b),
        log: estimate(point[1], l),
        base_rate: ReferenceScores {
            brier: estimate(point[2], bb),
            log: estimate(point[3], bl),
        },
        uniform: ReferenceScores {
            brier: exact(0.25),
            log: exact(std::f64::consts::LN_2),
        },
        skill: Skill {
            brier_vs_base_rate: estimate(point[4], s0),
            brier_vs_uniform: estimate(point[5], s1),
            log_vs_base_rate: estimate(point[6], s2),
            log_vs_uniform: estimate(point[7], s3),
        },
    }
}

/// One bin of the reliability table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReliabilityBin {
    /// Lower edge of the bin's forecast range.
    pub low: f64,
    /// Upper edge (the last bin includes 1).
    pub high: f64,
    /// Questions whose forecast fell in the bin.
    pub count: usize,
    /// Of these, how many resolved true.
    pub resolved_true: usize,
    /// Mean forecast of the bin.
    pub mean_forecast: f64,
    /// Share resolved true.
    pub observed: f64,
    /// 95% Wilson interval of that share.
    pub observed_ci95: [f64; 2],
}

/// The bin of forecast `q` among [`RELIABILITY_BINS`] equal bins of `[0, 1]`.
pub fn bin_of(q: f64) -> usize {
    ((q * RELIABILITY_BINS as f64) as usize).min(RELIABILITY_BINS - 1)
}

/// The reliability table: the non-empty bins of forecast probability, in
/// order.
pub fn reliability(rows: &[QuestionScore]) -> Vec<ReliabilityBin> {
    let mut count = [0usize; RELIABILITY_BINS];
    let mut yes = [0usize; RELIABILITY_BINS];
    let mut sum = [0.0f64; RELIABILITY_BINS];
    for r in rows {
        let b = bin_of(r.scored);
        count[b] += 1;
        yes[b] += usize::from(r.outcome);
        sum[b] += r.scored;
    }
    let width = 1.0 / RELIABILITY_BINS as f64;
    (0..RELIABILITY_BINS)
        .filter(|&b| count[b] > 0)
        .map(|b| {
            let ci = wilson95(yes[b] as u64, count[b] as u64);
            ReliabilityBin {
                low: b as f64 * width,
                high: (b + 1) as f64 * width,
                count: count[b],
                resolved_true: yes[b],
                mean_forecast: sum[b] / count[b] as f64,
                observed: yes[b] as f64 / count[b] as f64,
                observed_ci95: [ci.0, ci.1],
            }
        })
        .collect()
}

/// The Murphy decomposition of the mean Brier score over the reliability
/// bins: `brier = reliability - resolution + uncertainty + within_bin`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Murphy {
    /// `sum n_k (mean forecast_k - observed_k)^2 / N`: how far the bins lie
    /// from the diagonal (0 for perfectly calibrated bins; lower is better).
    pub reliability: f64,
    /// `sum n_k (observed_k - base rate)^2 / N`: how much the forecasts sort
    /// questions into groups that differ (higher is better).
    pub resolution: f64,
    /// `base rate (1 - base rate)`: the score of always forecasting the
    /// in-sample base rate; a property of the questions alone.
    pub uncertainty: f64,
    /// What the three terms leave of the mean Brier score because forecasts
    /// within a bin differ (0 when every forecast in a bin is equal).
    pub within_bin: f64,
}

/// The Murphy decomposition of the mean Brier score of `rows` over `bins`.
pub fn murphy(rows: &[QuestionScore], bins: &[ReliabilityBin]) -> Murphy {
    let n = rows.len().max(1) as f64;
    let base = rows.iter().filter(|r| r.outcome).count() as f64 / n;
    let (mut rel, mut res) = (0.0, 0.0);
    for b in bins {
        let k = b.count as f64;
        rel += k * (b.mean_forecast - b.observed).powi(2);
        res += k * (b.observed - base).powi(2);
    }
    let (rel, res, unc) = (rel / n, res / n, base * (1.0 - base));
    let mean_brier = rows.iter().map(|r| r.brier).sum::<f64>() / n;
    Murphy {
        reliability: rel,
        resolution: res,
        uncertainty: unc,
        within_bin: mean_brier - (rel - res + unc),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn scores_of_known_forecasts() {
        // 0.8 for an event that happened: (0.8 - 1)^2 = 0.04, -ln 0.8 = 0.22314...
        assert!(close(brier(0.8, true), 0.04));
        assert!(close(log_score(0.8, true), 0.223_143_551_314_209_7));
        // 0.8 for one that did not: 0.64 and -ln 0.2 = 1.60943...
        assert!(close(brier(0.8, false), 0.64));
        assert!(close(log_score(0.8, false), 1.609_437_912_434_100_3));
        assert!(close(log_score(0.5, true), std::f64::consts::LN_2));
        // 0 hits of 999 trials scores (0 + 0.5) / 1000 = 0.0005, not 0.
        assert!(close(scored_probability(0, 999), 0.0005));
        assert!(close(scored_probability(999, 999), 0.9995));
        assert!(log_score(scored_probability(0, 999), true).is_finite());
    }

    #[test]
    fn the_base_rate_leaves_each_question_out() {
        // true, true, false, false, false: for a true question the others
        // hold 1 true of 4, (1 + 0.5) / 5 = 0.3; for a false one 2 of 4,
        // (2 + 0.5) / 5 = 0.5.
        let b = leave_one_out_base_rates(&[true, true, false, false, false]);
        assert_eq!(b, vec![0.3, 0.3, 0.5, 0.5, 0.5]);
        assert_eq!(leave_one_out_base_rates(&[true]), vec![0.5]);
    }

    #[test]
    fn bins_and_the_decomposition_add_up() {
        let q = [0.05, 0.05, 0.95, 0.95, 0.55, 0.55];
        let y = [false, false, true, false, true, true];
        let rows = question_scores(&q, &y);
        let bins = reliability(&rows);
        assert_eq!(bins.len(), 3);
        assert_eq!(
            bins.iter().map(|b| b.count).collect::<Vec<_>>(),
            vec![2, 2, 2]
        );
        assert_eq!(bins[2].observed, 0.5);
        // Equal forecasts within each bin: the decomposition is exact.
        let m = murphy(&rows, &bins);
        let mean = rows.iter().map(|r| r.brier).sum::<f64>() / 6.0;
        assert!(m.within_bin.abs() < 1e-12, "{m:?}");
        assert!(close(m.reliability - m.resolution + m.uncertainty, mean));
        // Base rate 3/6: uncertainty 0.25.
        assert!(close(m.uncertainty, 0.25));
        assert_eq!(bin_of(1.0), RELIABILITY_BINS - 1);
        assert_eq!(bin_of(0.0), 0);
        assert_eq!(bin_of(0.1), 1);
    }

    #[test]
    fn a_lone_question_has_a_point_interval_and_sets_are_reproducible() {
        let rows = question_scores(&[0.7], &[true]);
        let s = score_set(&rows, 1, 0, 100);
        assert_eq!(s.brier.ci95, [s.brier.value, s.brier.value]);
        let rows = question_scores(&[0.7, 0.2, 0.9, 0.4], &[true, false, true, true]);
        let a = score_set(&rows, 5, 0, 200);
        assert_eq!(a, score_set(&rows, 5, 0, 200));
        assert_ne!(a, score_set(&rows, 6, 0, 200));
        assert!(a.brier.ci95[0] <= a.brier.value && a.brier.value <= a.brier.ci95[1]);
    }
}
