//! Warnings on Sobol indices that cannot be read as they stand: an index
//! outside [0, 1] by more than its interval, a first-order index above the
//! total-order one by more than the intervals allow, an interval wider than
//! [`WIDE_INTERVAL`], and an output whose variance over the design is
//! mostly the noise of the points' own trials. Each says which design sizes
//! would be needed, from the observed standard errors scaled as 1/sqrt(N)
//! and the noise of each point as 1/M (`docs/analysis.md`).

use serde::Serialize;

use crate::analysis::AnalysisOutput;
use crate::stats::sobol::Estimate;

use super::OutputIndices;

/// Intervals wider than this are too wide to rank parameters by.
pub const WIDE_INTERVAL: f64 = 0.3;

/// Share of an output's variance over the design above which it is mostly
/// noise of the points' own trials.
const NOISE_SHARE: f64 = 0.5;

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// An index outside [0, 1] by more than its interval (the whole
    /// interval lies outside).
    OutOfRange,
    /// S1 above ST by more than the intervals allow: the interval of
    /// ST - S1 lies below 0.
    FirstAboveTotal,
    /// An interval wider than [`WIDE_INTERVAL`].
    WideInterval,
    /// The output's variance over the design is mostly noise of the
    /// points' own trials (or nothing but noise).
    NoiseDominated,
}

/// One warning, with the design sizes that would be needed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexWarning {
    /// The output.
    pub output: AnalysisOutput,
    /// The parameter, or none for a warning about the whole output.
    pub parameter: Option<String>,
    /// What is wrong.
    pub kind: WarningKind,
    /// What is wrong, in words, with the numbers.
    pub message: String,
    /// `--samples` that would be needed.
    pub samples: u64,
    /// `--trials-per-sample` that would be needed.
    pub trials_per_sample: u64,
}

/// The current design sizes and the noise share of one output.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    samples: u64,
    trials: u64,
    /// Share of the output's variance over the design that is noise of the
    /// points' own trials, in [0, 0.99].
    noise_share: f64,
}

impl Sizes {
    /// Trials per point that make the noise term of the estimators' variance
    /// (scaling as 1/M) no larger than the design term: M phi / (1 - phi).
    fn trials_needed(&self) -> u64 {
        let phi = self.noise_share;
        if phi <= NOISE_SHARE {
            return self.trials.max(2);
        }
        ceil_u64(self.trials as f64 * phi / (1.0 - phi)).max(self.trials.max(2))
    }

    /// (samples, trials per sample) that shrink a standard error of `se`
    /// (at the current sizes) to `target`: the variance, (design + noise / M)
    /// / N, is split by the noise share, the noise part rescaled to the
    /// trials needed, and N raised until it fits; never fewer than now.
    fn needed(&self, se: f64, target: f64) -> (u64, u64) {
        let m = self.trials_needed();
        let phi = self.noise_share;
        let shrink = (1.0 - phi) + phi * self.trials as f64 / m as f64;
        let n = if se > 0.0 && target > 0.0 {
            ceil_u64(self.samples as f64 * shrink * (se / target).powi(2))
        } else {
            self.samples
        };
        (n.max(self.samples), m)
    }
}

fn ceil_u64(x: f64) -> u64 {
    if x.is_finite() {
        x.ceil().clamp(0.0, 1e15) as u64
    } else {
        1_000_000_000_000_000
    }
}

/// A 95% interval is about 3.92 standard errors wide.
const WIDTH_PER_SE: f64 = 3.92;

fn interval(e: &Estimate) -> String {
    format!("{:.3} [{:.3}, {:.3}]", e.value, e.low, e.high)
}

/// The warnings of every output of an analysis of `samples` rows and
/// `trials` trials per point, output by output, parameters in scenario
/// order.
pub fn sensitivity_warnings(
    outputs: &[OutputIndices],
    samples: usize,
    trials: u64,
) -> Vec<IndexWarning> {
    let mut all = Vec::new();
    for o in outputs {
        let observed = o.model_variance.max(0.0) + o.noise_variance;
        let noise_share = if o.model_variance <= 0.0 || observed <= 0.0 {
            if o.noise_variance > 0.0 { 0.99 } else { 0.0 }
        } else {
            (o.noise_variance / observed).clamp(0.0, 0.99)
        };
        let sizes = Sizes {
            samples: samples as u64,
            trials,
            noise_share,
        };
        let mut warn = |parameter: Option<&str>, kind, message: String, (n, m): (u64, u64)| {
            all.push(IndexWarning {
                output: o.output,
                parameter: parameter.map(str::to_owned),
                kind,
                message,
                samples: n,
                trials_per_sample: m,
            });
        };
        if trials < 2 {
            warn(
                None,
                WarningKind::NoiseDominated,
                format!(
                    "{}: with one trial per design point the noise of the trials cannot be \
                     told from the model's variance, so the indices are not corrected for it",
                    o.output
                ),
                (sizes.samples, 2.max(sizes.trials_needed())),
            );
        } else if o.model_variance <= 0.0 && o.noise_variance > 0.0 {
            warn(
                None,
                WarningKind::NoiseDominated,
                format!(
                    "{}: its variance over the design is all noise of the points' own trials \
                     (variance {:.3e}, model part {:.3e}), so its indices are set to 0 and say nothing",
                    o.output, o.variance, o.model_variance
                ),
                (sizes.samples, 4 * sizes.trials),
            );
        } else if noise_share > NOISE_SHARE {
            warn(
                None,
                WarningKind::NoiseDominated,
                format!(
                    "{}: {:.0}% of its variance over the design is noise of the points' own \
                     trials; the indices are corrected for it but their intervals are wide",
                    o.output,
                    100.0 * noise_share
                ),
                (sizes.samples, sizes.trials_needed()),
            );
        }
        for p in &o.indices {
            let name = Some(p.parameter.as_str());
            for (label, e) in [("S1", &p.first), ("ST", &p.total)] {
                let gap = if e.high < 0.0 {
                    -e.value
                } else if e.low > 1.0 {
                    e.value - 1.0
                } else {
                    continue;
                };
                let side = if e.high < 0.0 { "below 0" } else { "above 1" };
                warn(
                    name,
                    WarningKind::OutOfRange,
                    format!(
                        "{}: {label} of `{}` is {}, {side} by more than its interval",
                        o.output,
                        p.parameter,
                        interval(e)
                    ),
                    sizes.needed(e.se, gap.max(0.01) / 4.0),
                );
            }
            if p.interaction.high < 0.0 {
                warn(
                    name,
                    WarningKind::FirstAboveTotal,
                    format!(
                        "{}: S1 of `{}` ({:.3}) is above its ST ({:.3}) by more than the \
                         intervals allow (ST - S1 {})",
                        o.output,
                        p.parameter,
                        p.first.value,
                        p.total.value,
                        interval(&p.interaction)
                    ),
                    sizes.needed(p.interaction.se, (-p.interaction.value).max(0.01) / 4.0),
                );
            }
            let wide: Vec<(&str, &Estimate)> = [("S1", &p.first), ("ST", &p.total)]
                .into_iter()
                .filter(|(_, e)| e.width() > WIDE_INTERVAL)
                .collect();
            if let Some(se) = wide.iter().map(|(_, e)| e.se).reduce(f64::max) {
                let widest = wide.iter().map(|(_, e)| e.width()).fold(0.0, f64::max);
                let what: Vec<String> = wide
                    .iter()
                    .map(|(label, e)| format!("{label} {}", interval(e)))
                    .collect();
                // Scale by the observed width when the standard error says
                // less (skewed resamples).
                let se = se.max(widest / WIDTH_PER_SE);
                warn(
                    name,
                    WarningKind::WideInterval,
                    format!(
                        "{}: the interval of `{}` is wider than {WIDE_INTERVAL} ({})",
                        o.output,
                        p.parameter,
                        what.join(", ")
                    ),
                    sizes.needed(se, WIDE_INTERVAL / WIDTH_PER_SE),
                );
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needed_samples_scale_as_the_square_of_the_standard_error() {
        let s = Sizes {
            samples: 100,
            trials: 200,
            noise_share: 0.0,
        };
        // Halving the standard error takes four times the rows.
        assert_eq!(s.needed(0.2, 0.1), (400, 200));
        // Never fewer than now.
        assert_eq!(s.needed(0.05, 0.1), (100, 200));
    }

    #[test]
    fn noisy_outputs_ask_for_more_trials_and_fewer_extra_rows() {
        let s = Sizes {
            samples: 100,
            trials: 200,
            noise_share: 0.75,
        };
        // M' = 200 * 0.75 / 0.25 = 600; the noise term (3/4 of the variance)
        // shrinks to a third: 1/4 + 1/4 = 1/2 of it remains.
        assert_eq!(s.trials_needed(), 600);
        assert_eq!(s.needed(0.2, 0.1), (200, 600));
    }
}
