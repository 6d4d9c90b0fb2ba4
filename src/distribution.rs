//! Distributions for uncertain scenario numbers, and how to sample them.
//!
//! Sampling uses only IEEE arithmetic and the portable `libm` crate, never the
//! platform's maths library, so a draw is the same on every machine. Every
//! distribution is truncated to the valid range of the number it describes.

use std::sync::Arc;

use rand::RngExt;

mod sample_table;

pub use sample_table::SampleTable;

/// The distribution of an uncertain number.
#[derive(Debug, Clone, PartialEq)]
pub enum Distribution {
    /// Uniform on `[low, high]`.
    Uniform {
        /// Lower end.
        low: f64,
        /// Upper end.
        high: f64,
    },
    /// Normal, truncated to the number's valid range.
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation.
        sd: f64,
    },
    /// Triangular on `[low, high]` with its peak at `mode`.
    Triangular {
        /// Lower end.
        low: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        high: f64,
    },
    /// Beta(alpha, beta) scaled to `[low, high]`.
    Beta {
        /// First shape.
        alpha: f64,
        /// Second shape.
        beta: f64,
        /// Value at 0.
        low: f64,
        /// Value at 1.
        high: f64,
    },
    /// Log-normal with the given median and log-scale sigma, truncated to the valid range.
    LogNormal {
        /// Median (exp of the log-mean).
        median: f64,
        /// Standard deviation of the logarithm.
        sigma: f64,
    },
    /// One of several values, with probabilities proportional to weights.
    Choice {
        /// The values.
        values: Vec<f64>,
        /// Their weights (normalised when sampling).
        weights: Vec<f64>,
    },
    /// A column of an empirical joint sample (`dist = "samples"`): the
    /// value in `column` of a row drawn uniformly. Parameters that name the
    /// same table draw the same row in a trial (see
    /// [`Distribution::shared_stream`]).
    Samples {
        /// The file as written in the scenario.
        file: String,
        /// The column's name.
        column: String,
        /// The rows, loaded when the scenario is checked.
        table: Arc<SampleTable>,
        /// The column's index in `table`.
        index: usize,
    },
}

impl Distribution {
    /// The value that stands for the distribution when a single number is
    /// needed: the midpoint (uniform), mean (normal, beta), mode
    /// (triangular), median (log-normal) or the first value (choice),
    /// clamped to `[lo, hi]`.
    pub fn nominal(&self, lo: f64, hi: f64) -> f64 {
        let x = match self {
            Distribution::Uniform { low, high } => (low + high) / 2.0,
            Distribution::Normal { mean, .. } => *mean,
            Distribution::Triangular { mode, .. } => *mode,
            Distribution::Beta {
                alpha,
                beta,
                low,
                high,
            } => low + (high - low) * alpha / (alpha + beta),
            Distribution::LogNormal { median, .. } => *median,
            Distribution::Choice { values, .. } => values[0],
            Distribution::Samples { table, index, .. } => {
                let n = table.rows().max(1) as f64;
                table.values(*index).sum::<f64>() / n
            }
        };
        x.clamp(lo, hi)
    }

    /// The key of the random stream shared by every parameter drawn with
    /// this one: the sha256 of a sample table, so that all the columns of
    /// one table draw the same row in a trial. `None` for the parametric
    /// forms, each drawn from a stream of its own.
    pub fn shared_stream(&self) -> Option<&str> {
        match self {
            Distribution::Samples { table, .. } => Some(&table.sha256),
            _ => None,
        }
    }

    /// The name of the random stream (`<use>:<path>`, or for a sample table
    /// `<use>:samples:<sha256>`) that the parameter at `path` is drawn from
    /// for a given use (`param`, `abc`): one stream per table, so its
    /// columns share the row index, and one per parameter otherwise, so
    /// adding a parameter does not shift the others' draws.
    pub fn stream_name(&self, use_: &str, path: &str) -> String {
        match self.shared_stream() {
            Some(table) => format!("{use_}:samples:{table}"),
            None => format!("{use_}:{path}"),
        }
    }

    /// Draws one value, truncated to `[lo, hi]`.
    pub fn sample<R: RngExt + ?Sized>(&self, rng: &mut R, lo: f64, hi: f64) -> f64 {
        let x = match self {
            Distribution::Uniform { low, high } => low + (high - low) * rng.random::<f64>(),
            Distribution::Normal { mean, sd } => truncated_normal(rng, *mean, *sd, lo, hi),
            Distribution::Triangular { low, mode, high } => {
                let u: f64 = rng.random();
                let split = (mode - low) / (high - low);
                if u < split {
                    low + (u * (high - low) * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
                }
            }
            Distribution::Beta {
                alpha,
                beta,
                low,
                high,
            } => {
                let x = gamma(rng, *alpha);
                let y = gamma(rng, *beta);
                let b = if x + y > 0.0 { x / (x + y) } else { 0.5 };
                low + (high - low) * b
            }
            Distribution::LogNormal { median, sigma } => {
                let log_lo = if lo > 0.0 {
                    libm::log(lo)
                } else {
                    f64::NEG_INFINITY
                };
                let log_hi = if hi.is_finite() {
                    libm::log(hi)
                } else {
                    f64::INFINITY
                };
                libm::exp(truncated_normal(
                    rng,
                    libm::log(*median),
                    *sigma,
                    log_lo,
                    log_hi,
                ))
            }
            Distribution::Choice { values, weights } => {
                let total: f64 = weights.iter().sum();
                let target = rng.random::<f64>() * total;
                let mut acc = 0.0;
                let mut pick = values.len() - 1;
                for (k, w) in weights.iter().enumerate() {
                    acc += w;
                    if target < acc {
                        pick = k;
                        break;
                    }
                }
                values[pick]
            }
            Distribution::Samples { table, index, .. } => {
                let u: f64 = rng.random();
                if table.rows() == 0 {
                    return self.nominal(lo, hi);
                }
                table.cell(table.row_of(u), *index)
            }
        };
        x.clamp(lo, hi)
    }

    /// Name used in files.
    pub fn kind(&self) -> &'static str {
        match self {
            Distribution::Uniform { .. } => "uniform",
            Distribution::Normal { .. } => "normal",
            Distribution::Triangular { .. } => "triangular",
            Distribution::Beta { .. } => "beta",
            Distribution::LogNormal { .. } => "lognormal",
            Distribution::Choice { .. } => "choice",
            Distribution::Samples { .. } => "samples",
        }
    }
}

/// Standard normal cumulative distribution function.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// Standard normal quantile function: Acklam's rational approximation refined
/// by one Halley step (relative error near machine precision).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-300, 1.0 - 1e-16);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let x = if p < 0.02425 {
        tail(libm::sqrt(-2.0 * libm::log(p)))
    } else if p > 1.0 - 0.02425 {
        -tail(libm::sqrt(-2.0 * libm::log(1.0 - p)))
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    let e = normal_cdf(x) - p;
    let u = e * libm::sqrt(2.0 * std::f64::consts::PI) * libm::exp(x * x / 2.0);
    x - u / (1.0 + x * u / 2.0)
}

/// Normal(mean, sd) truncated to `[lo, hi]` by inversion: one uniform draw.
fn truncated_normal<R: RngExt + ?Sized>(rng: &mut R, mean: f64, sd: f64, lo: f64, hi: f64) -> f64 {
    let a = normal_cdf((lo - mean) / sd);
    let b = normal_cdf((hi - mean) / sd);
    let u: f64 = rng.random();
    if b - a <= 0.0 {
        return mean.clamp(lo, hi);
    }
    mean + sd * normal_quantile(a + u * (b - a))
}

/// Gamma(shape, 1) by Marsaglia and Tsang's method (with the boost for shape < 1).
fn gamma<R: RngExt + ?Sized>(rng: &mut R, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.random();
        return gamma(rng, shape + 1.0) * libm::pow(u, 1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / libm::sqrt(9.0 * d);
    loop {
        let x = normal_quantile(rng.random::<f64>());
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u: f64 = rng.random();
        if libm::log(u) < 0.5 * x * x + d - d * v + d * libm::log(v) {
            return d * v;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Streams;

    fn moments(d: &Distribution, lo: f64, hi: f64, n: usize) -> (f64, f64) {
        let mut rng = Streams::new(5).generator(0, 77);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng, lo, hi)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
        assert!(
            xs.iter().all(|x| (lo..=hi).contains(x)),
            "{d:?} left [{lo}, {hi}]"
        );
        (mean, var)
    }

    /// Asserts a sample mean is within 4 standard errors of the truth.
    fn check_mean(name: &str, mean: f64, truth: f64, var: f64, n: usize) {
        let se = (var / n as f64).sqrt();
        assert!(
            (mean - truth).abs() < 4.0 * se,
            "{name}: mean {mean}, expected {truth} (se {se})"
        );
    }

    #[test]
    fn quantile_inverts_cdf() {
        for p in [1e-12, 1e-6, 0.01, 0.02425, 0.3, 0.5, 0.77, 0.99, 1.0 - 1e-9] {
            let x = normal_quantile(p);
            assert!(
                (normal_cdf(x) - p).abs() < 1e-14_f64.max(p * 1e-12),
                "p = {p}"
            );
        }
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-12);
    }

    #[test]
    fn sample_means_match_closed_forms() {
        let n = 40_000;
        let cases = [
            (
                Distribution::Uniform {
                    low: 1.0,
                    high: 3.0,
                },
                2.0,
                1.0 / 3.0,
            ),
            (Distribution::Normal { mean: 0.5, sd: 0.1 }, 0.5, 0.01),
            (
                Distribution::Triangular {
                    low: 0.0,
                    mode: 0.2,
                    high: 1.0,
                },
                0.4,
                (1.0 + 0.04 - 0.2) / 18.0,
            ),
            (
                Distribution::Beta {
                    alpha: 2.0,
                    beta: 5.0,
                    low: 0.0,
                    high: 1.0,
                },
                2.0 / 7.0,
                10.0 / (49.0 * 8.0),
            ),
            (
                Distribution::Beta {
                    alpha: 0.5,
                    beta: 0.5,
                    low: 0.0,
                    high: 1.0,
                },
                0.5,
                0.125,
            ),
            (
                Distribution::LogNormal {
                    median: 2.0,
                    sigma: 0.3,
                },
                2.0 * (0.045f64).exp(),
                4.0 * (0.09f64.exp() - 1.0) * 0.09f64.exp(),
            ),
            (
                Distribution::Choice {
                    values: vec![1.0, 2.0, 4.0],
                    weights: vec![1.0, 1.0, 2.0],
                },
                2.75,
                0.25 + 0.25 * 4.0 + 0.5 * 16.0 - 2.75 * 2.75,
            ),
        ];
        for (d, mean, var) in &cases {
            let (m, v) = moments(d, f64::NEG_INFINITY, f64::INFINITY, n);
            check_mean(d.kind(), m, *mean, *var, n);
            assert!(
                (v / var - 1.0).abs() < 0.1,
                "{}: variance {v}, expected {var}",
                d.kind()
            );
        }
    }

    #[test]
    fn truncation_keeps_draws_in_range() {
        // A normal centred outside its range still lands inside it.
        let (m, _) = moments(&Distribution::Normal { mean: 1.5, sd: 0.2 }, 0.0, 1.0, 5000);
        assert!(m > 0.8 && m <= 1.0);
        // Truncated standard normal on [0, inf): mean sqrt(2/pi).
        let (m, v) = moments(
            &Distribution::Normal { mean: 0.0, sd: 1.0 },
            0.0,
            f64::INFINITY,
            40_000,
        );
        check_mean(
            "half-normal",
            m,
            (2.0 / std::f64::consts::PI).sqrt(),
            v,
            40_000,
        );
    }

    #[test]
    fn samples_pick_rows_evenly_and_share_one_stream_per_table() {
        let table = Arc::new(SampleTable {
            columns: vec!["a".into(), "b".into()],
            cells: (0..8).flat_map(|k| [k as f64, 10.0 * k as f64]).collect(),
            sha256: "abc".into(),
        });
        let col = |index| Distribution::Samples {
            file: "p.csv".into(),
            column: String::new(),
            table: table.clone(),
            index,
        };
        let (a, b) = (col(0), col(1));
        assert_eq!(a.stream_name("param", "x"), "param:samples:abc");
        assert_eq!(a.stream_name("param", "x"), b.stream_name("param", "y"));
        assert_eq!(a.nominal(f64::NEG_INFINITY, f64::INFINITY), 3.5);
        // The same stream gives the same row to both columns.
        let streams = Streams::new(3);
        let mut counts = [0u32; 8];
        for trial in 0..8000 {
            let x = a.sample(&mut streams.generator(trial, 9), -1e9, 1e9);
            let y = b.sample(&mut streams.generator(trial, 9), -1e9, 1e9);
            assert_eq!(y, 10.0 * x);
            counts[x as usize] += 1;
        }
        // Each row 1000 times expected, sd sqrt(8000 * 1/8 * 7/8) = 29.6.
        assert!(
            counts
                .iter()
                .all(|&c| (c as f64 - 1000.0).abs() < 4.0 * 29.6),
            "{counts:?}"
        );
    }
}
