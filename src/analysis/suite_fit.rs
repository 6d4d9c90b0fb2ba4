//! Calibration on history: the statistics of fitting parameters shared by
//! the episodes of a suite against their resolved questions.
//!
//! Importance sampling from the prior. Sample `s` draws the shared
//! parameters θ_s from their distributions; every episode is run for `M`
//! trials with θ_s fixed (the same trial streams for every sample), and each
//! resolved question's probability is estimated as
//!
//! ```text
//! p_q(s) = (hits_q(s) + 1/2) / (M + 1)
//! ```
//!
//! (the estimate is kept away from 0 and 1, so a question that no trial of a
//! sample answered as it was resolved lowers the sample's weight without
//! zeroing it; the shift is at most 1/(2(M + 1))). The sample's weight is
//! the likelihood of the resolutions,
//!
//! ```text
//! w_s = Π_q p_q(s)^y_q (1 − p_q(s))^(1 − y_q)
//! ```
//!
//! computed as a sum of logarithms and scaled by the largest, and the
//! normalised weights W_s = w_s / Σ w give the posterior. Its effective
//! sample size (Kish) is `(Σ w)² / Σ w²`: below the threshold asked for, the
//! fit is reported as not calibrated. Every sum runs in sample order, so the
//! result does not depend on how samples were spread over threads.

use serde::Serialize;

/// The regularised probability estimate of an event that held in `hits` of
/// `trials` trials: `(hits + 1/2) / (trials + 1)`, strictly inside (0, 1).
pub fn regularised(hits: u64, trials: u64) -> f64 {
    (hits as f64 + 0.5) / (trials as f64 + 1.0)
}

/// The log-likelihood of the resolutions `resolved` (true: the event
/// happened) given each question's hits in `trials` trials, with the
/// [`regularised`] probabilities.
pub fn log_likelihood(hits: &[u64], resolved: &[bool], trials: u64) -> f64 {
    hits.iter()
        .zip(resolved)
        .map(|(&h, &y)| {
            let p = regularised(h, trials);
            if y { p.ln() } else { (1.0 - p).ln() }
        })
        .sum()
}

/// Normalised weights (summing to 1) from log-likelihoods, scaled by the
/// largest so that no weight underflows to 0 for all samples. Empty input
/// gives an empty vector.
pub fn normalised_weights(log_l: &[f64]) -> Vec<f64> {
    let max = log_l.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return vec![1.0 / log_l.len().max(1) as f64; log_l.len()];
    }
    let w: Vec<f64> = log_l.iter().map(|&l| (l - max).exp()).collect();
    let total: f64 = w.iter().sum();
    w.iter().map(|x| x / total).collect()
}

/// Kish's effective sample size of weights: `(Σ w)² / Σ w²` (the number
/// of samples for equal weights, 1 when one sample holds all the weight).
pub fn kish_ess(w: &[f64]) -> f64 {
    let sum: f64 = w.iter().sum();
    let sq: f64 = w.iter().map(|x| x * x).sum();
    if sq > 0.0 { sum * sum / sq } else { 0.0 }
}

/// The `q` quantile of `values` under `weights` (not necessarily
/// normalised). Each value with positive weight sits at the middle of its
/// share of the cumulative weight, and quantiles between two such points are
/// interpolated linearly (with equal weights: the Hazen quantile). `None`
/// when no value has positive weight.
pub fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> Option<f64> {
    let mut order: Vec<usize> = (0..values.len()).filter(|&i| weights[i] > 0.0).collect();
    if order.is_empty() {
        return None;
    }
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]).then(a.cmp(&b)));
    let total: f64 = order.iter().map(|&i| weights[i]).sum();
    let mut cum = 0.0;
    let mut prev: Option<(f64, f64)> = None;
    for &i in &order {
        let mid = (cum + weights[i] / 2.0) / total;
        cum += weights[i];
        let v = values[i];
        if q <= mid {
            return Some(match prev {
                None => v,
                Some((pm, pv)) if mid > pm => pv + (v - pv) * (q - pm) / (mid - pm),
                Some(_) => v,
            });
        }
        prev = Some((mid, v));
    }
    prev.map(|(_, v)| v)
}

/// The mean, median and central 90% of a weighted sample.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeightedSummary {
    /// Weighted mean.
    pub mean: f64,
    /// 5th percentile.
    pub q05: f64,
    /// Median.
    pub median: f64,
    /// 95th percentile.
    pub q95: f64,
}

impl WeightedSummary {
    /// The summary of `values` under `weights` (see [`weighted_quantile`]);
    /// `None` when no value has positive weight.
    pub fn of(values: &[f64], weights: &[f64]) -> Option<WeightedSummary> {
        let total: f64 = weights.iter().filter(|w| **w > 0.0).sum();
        if total <= 0.0 {
            return None;
        }
        let mean = values
            .iter()
            .zip(weights)
            .filter(|(_, w)| **w > 0.0)
            .map(|(v, w)| v * w)
            .sum::<f64>()
            / total;
        Some(WeightedSummary {
            mean,
            q05: weighted_quantile(values, weights, 0.05)?,
            median: weighted_quantile(values, weights, 0.5)?,
            q95: weighted_quantile(values, weights, 0.95)?,
        })
    }
}

/// A shared parameter, as the fit reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParameterPosterior {
    /// Parameter path (`actors.us.bias.strike`).
    pub parameter: String,
    /// The prior distribution, in words (`uniform(0, 1)`).
    pub prior_distribution: String,
    /// The prior over the samples drawn (equal weights).
    pub prior: WeightedSummary,
    /// The posterior (importance weights).
    pub posterior: WeightedSummary,
}

/// A resolved question, as the fit reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionFit {
    /// The episode (scenario name) the question belongs to.
    pub episode: String,
    /// Question id.
    pub id: String,
    /// The question for humans.
    pub text: String,
    /// The event, in the event language.
    pub event: String,
    /// What happened.
    pub resolved: bool,
    /// Mean over the samples of the share of trials in which the event
    /// held (the prior predictive probability).
    pub prior_predictive: f64,
    /// The same under the importance weights (posterior predictive).
    pub posterior_predictive: f64,
}

/// A question of the suite, before the fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionInfo {
    /// Episode (scenario name).
    pub episode: String,
    /// Question id.
    pub id: String,
    /// Question text.
    pub text: String,
    /// Event text.
    pub event: String,
    /// What happened.
    pub resolved: bool,
}

/// Every sample of a fit: its parameter values, log-likelihood and weight.
#[derive(Debug, Clone, PartialEq)]
pub struct FitSamples {
    /// Parameter values per sample, in parameter order.
    pub values: Vec<Vec<f64>>,
    /// Log-likelihood of the resolutions per sample.
    pub log_likelihood: Vec<f64>,
    /// Normalised importance weight per sample.
    pub weight: Vec<f64>,
}

/// The statistical result of a fit (the command adds what it ran on).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitResult {
    /// Samples drawn from the prior.
    pub samples: usize,
    /// Trials per episode and sample.
    pub trials_per_sample: u64,
    /// Kish effective sample size of the importance weights.
    pub ess: f64,
    /// The smallest effective sample size accepted.
    pub min_ess: f64,
    /// True when `ess >= min_ess`.
    pub calibrated: bool,
    /// "calibrated", or why not.
    pub status: String,
    /// log of the mean likelihood over the samples: the log marginal
    /// likelihood of the resolutions under the prior (with the regularised
    /// estimates), for comparing priors.
    pub log_marginal_likelihood: f64,
    /// Each shared parameter's prior and posterior.
    pub parameters: Vec<ParameterPosterior>,
    /// Each resolved question's prior and posterior predictive probability.
    pub questions: Vec<QuestionFit>,
    /// Every sample.
    #[serde(skip)]
    pub rows: FitSamples,
}

/// Fits parameters `names` (with prior descriptions `priors`) from the
/// values drawn per sample (`values[s][k]`) and, per sample, the hits of
/// every question of `questions` (`hits[s][q]`) in `trials` trials each.
pub fn fit(
    names: &[String],
    priors: &[String],
    values: Vec<Vec<f64>>,
    questions: &[QuestionInfo],
    hits: &[Vec<u64>],
    trials: u64,
    min_ess: f64,
) -> FitResult {
    let resolved: Vec<bool> = questions.iter().map(|q| q.resolved).collect();
    let log_l: Vec<f64> = hits
        .iter()
        .map(|h| log_likelihood(h, &resolved, trials))
        .collect();
    let weight = normalised_weights(&log_l);
    let n = values.len();
    let equal = vec![1.0; n];
    let ess = kish_ess(&weight);
    let max = log_l.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mean_scaled = log_l.iter().map(|l| (l - max).exp()).sum::<f64>() / n.max(1) as f64;
    let log_marginal_likelihood = max + mean_scaled.ln();
    let column = |k: usize| -> Vec<f64> { values.iter().map(|v| v[k]).collect() };
    let parameters = names
        .iter()
        .zip(priors)
        .enumerate()
        .filter_map(|(k, (name, prior))| {
            let col = column(k);
            Some(ParameterPosterior {
                parameter: name.clone(),
                prior_distribution: prior.clone(),
                prior: WeightedSummary::of(&col, &equal)?,
                posterior: WeightedSummary::of(&col, &weight)?,
            })
        })
        .collect();
    let share = |h: u64| h as f64 / trials.max(1) as f64;
    let question_fits = questions
        .iter()
        .enumerate()
        .map(|(q, info)| QuestionFit {
            episode: info.episode.clone(),
            id: info.id.clone(),
            text: info.text.clone(),
            event: info.event.clone(),
            resolved: info.resolved,
            prior_predictive: hits.iter().map(|h| share(h[q])).sum::<f64>() / n.max(1) as f64,
            posterior_predictive: hits.iter().zip(&weight).map(|(h, w)| share(h[q]) * w).sum(),
        })
        .collect();
    let calibrated = ess >= min_ess;
    let status = if calibrated {
        "calibrated".to_string()
    } else {
        format!(
            "not calibrated: the effective sample size {ess:.1} is below {min_ess}; \
             raise --samples, or widen the priors if the resolutions lie in their tails"
        )
    };
    FitResult {
        samples: n,
        trials_per_sample: trials,
        ess,
        min_ess,
        calibrated,
        status,
        log_marginal_likelihood,
        parameters,
        questions: question_fits,
        rows: FitSamples {
            values,
            log_likelihood: log_l,
            weight,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regularised_stays_inside_the_unit_interval() {
        assert_eq!(regularised(0, 9), 0.05);
        assert_eq!(regularised(9, 9), 0.95);
        assert_eq!(regularised(2, 3), 0.625);
    }

    #[test]
    fn likelihood_multiplies_the_resolutions() {
        // p = 0.625 for a yes, 1 - 0.125 for a no.
        let l = log_likelihood(&[2, 0], &[true, false], 3);
        assert!((l - (0.625f64.ln() + 0.875f64.ln())).abs() < 1e-12);
    }

    #[test]
    fn ess_counts_equal_weights_and_one_heavy_sample() {
        assert!((kish_ess(&[0.25; 4]) - 4.0).abs() < 1e-12);
        assert!((kish_ess(&[1.0, 0.0, 0.0]) - 1.0).abs() < 1e-12);
        // Weights 1, 1, 2: 16 / 6.
        assert!((kish_ess(&[1.0, 1.0, 2.0]) - 16.0 / 6.0).abs() < 1e-12);
    }

    #[test]
    fn weights_survive_very_small_likelihoods() {
        let w = normalised_weights(&[-2000.0, -2000.0 + 2f64.ln()]);
        assert!((w[0] - 1.0 / 3.0).abs() < 1e-12 && (w[1] - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn weighted_quantiles_interpolate_between_midpoints() {
        let v = [3.0, 1.0, 2.0, 4.0];
        let eq = [1.0; 4];
        // Midpoints at 1/8, 3/8, 5/8, 7/8 for 1, 2, 3, 4.
        assert_eq!(weighted_quantile(&v, &eq, 0.5), Some(2.5));
        assert_eq!(weighted_quantile(&v, &eq, 0.05), Some(1.0));
        assert_eq!(weighted_quantile(&v, &eq, 0.95), Some(4.0));
        assert!((weighted_quantile(&v, &eq, 0.25).unwrap() - 1.5).abs() < 1e-12);
        // A zero weight removes a value; a heavy one pulls the median.
        assert_eq!(weighted_quantile(&v, &[0.0, 0.0, 1.0, 0.0], 0.3), Some(2.0));
        let s = WeightedSummary::of(&[0.0, 1.0], &[1.0, 3.0]).unwrap();
        assert!((s.mean - 0.75).abs() < 1e-12);
        assert!(WeightedSummary::of(&[1.0], &[0.0]).is_none());
    }

    #[test]
    fn the_fit_weights_samples_by_the_resolutions() {
        // Two samples: one whose trials always saw the event, one never; the
        // event happened. Weights 9.5/10.5 against 0.5/10.5 (M = 9.5..).
        let q = QuestionInfo {
            episode: "e".into(),
            id: "q".into(),
            text: "t".into(),
            event: "first_strike".into(),
            resolved: true,
        };
        let r = fit(
            &["x".into()],
            &["uniform(0, 1)".into()],
            vec![vec![0.9], vec![0.1]],
            &[q],
            &[vec![10], vec![0]],
            10,
            1.0,
        );
        let w = &r.rows.weight;
        assert!((w[0] - 10.5 / 11.0).abs() < 1e-12, "{w:?}");
        assert!((r.questions[0].prior_predictive - 0.5).abs() < 1e-12);
        assert!((r.questions[0].posterior_predictive - 10.5 / 11.0).abs() < 1e-12);
        assert!(r.calibrated && r.ess > 1.0 && r.ess < 1.2);
        assert!((r.parameters[0].posterior.mean - (0.9 * 10.5 + 0.1 * 0.5) / 11.0).abs() < 1e-12);
    }
}
