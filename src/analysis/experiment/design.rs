//! The uncertainty design of an experiment: which values the uncertain
//! parameters take at each design point, before the levers multiply it.
//!
//! A design first places its points in the unit cube, one coordinate per
//! uncertainty, and then maps each coordinate through that uncertainty's
//! quantile function (a range `low..high` is uniform on it):
//!
//! - `latin_hypercube` (`points = N`): each uncertainty's `[0, 1)` is cut
//!   into `N` equal strata and every stratum is used by exactly one point,
//!   at a uniform position inside it; which point uses which stratum is a
//!   random permutation (McKay, Beckman & Conover 1979).
//! - `full_factorial` (`levels = N`): every combination of `N` levels per
//!   uncertainty, the last uncertainty varying fastest. A range's levels
//!   are `N` equal steps from `low` to `high` (one level: the midpoint); a
//!   distribution's are its quantiles at `(j + 0.5) / N`.
//! - `saltelli` (or `sobol`, `samples = N`): the Saltelli (2002) layout of
//!   the sensitivity analysis: rows of matrix A, rows of matrix B, then for
//!   each uncertainty `i` the rows of A with column `i` from B, so
//!   `N x (k + 2)` points for `k` uncertainties.
//! - `explicit` (`rows = [[...], ...]`): the values as written, one row per
//!   point, in uncertainty order.
//!
//! Random designs draw from the experiment's seed, in streams of their own
//! (`experiment-design:<kind>:<path>` for uncertainty `path`, stream 0 for
//! a Latin hypercube, stream `row` for a Saltelli matrix row), never from
//! the trials' streams: the design is the same for any thread count, shard
//! split or trial count, and adding an uncertainty leaves the others'
//! coordinates unchanged.

use crate::analysis::sweep::snap;
use rand::RngExt;
use serde::Serialize;

use crate::distribution::{Distribution, normal_cdf, normal_quantile};
use crate::rng::{Streams, purpose_id};

/// How an uncertainty's values are spread.
#[derive(Debug, Clone, PartialEq)]
pub enum Spread {
    /// Uniform on `low..=high`.
    Range {
        /// Lowest value.
        low: f64,
        /// Highest value.
        high: f64,
    },
    /// A distribution, truncated to the parameter's valid range `bounds`.
    Distribution {
        /// The distribution.
        dist: Distribution,
        /// The parameter's valid range.
        bounds: (f64, f64),
    },
}

impl Spread {
    /// The value at quantile `u` in `[0, 1]`.
    pub fn at(&self, u: f64) -> f64 {
        match self {
            Spread::Range { low, high } => low + (high - low) * u,
            Spread::Distribution { dist, bounds } => quantile(dist, u, bounds.0, bounds.1),
        }
    }

    /// The `n` levels of a full factorial design.
    pub fn levels(&self, n: usize) -> Vec<f64> {
        match self {
            Spread::Range { low, high } if n > 1 => {
                crate::analysis::sweep::range_values(*low, *high, n)
            }
            Spread::Range { low, high } => vec![(low + high) / 2.0],
            Spread::Distribution { .. } => (0..n)
                .map(|j| snap(self.at((j as f64 + 0.5) / n as f64)))
                .collect(),
        }
    }

    /// A short description: `0.05 to 0.4` or the distribution's kind.
    pub fn describe(&self) -> String {
        match self {
            Spread::Range { low, high } => format!("{low} to {high}"),
            Spread::Distribution { dist, .. } => dist.kind().into(),
        }
    }
}

/// Whether a design can map quantiles through `dist` (the beta and sample
/// tables have no quantile function here).
pub fn has_quantile(dist: &Distribution) -> bool {
    !matches!(
        dist,
        Distribution::Beta { .. } | Distribution::Samples { .. }
    )
}

/// The quantile of `dist` truncated to `[lo, hi]` at `u` in `[0, 1]`.
pub fn quantile(dist: &Distribution, u: f64, lo: f64, hi: f64) -> f64 {
    let u = u.clamp(0.0, 1.0);
    let truncated_normal = |mean: f64, sd: f64, lo: f64, hi: f64| {
        let (a, b) = (normal_cdf((lo - mean) / sd), normal_cdf((hi - mean) / sd));
        let p = (a + u * (b - a)).clamp(1e-16, 1.0 - 1e-16);
        mean + sd * normal_quantile(p)
    };
    let x = match dist {
        Distribution::Uniform { low, high } => low + (high - low) * u,
        Distribution::Normal { mean, sd } => truncated_normal(*mean, *sd, lo, hi),
        Distribution::Triangular { low, mode, high } => {
            let split = (mode - low) / (high - low);
            if u < split {
                low + (u * (high - low) * (mode - low)).sqrt()
            } else {
                high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
            }
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
            libm::exp(truncated_normal(libm::log(*median), *sigma, log_lo, log_hi))
        }
        Distribution::Choice { values, weights } => {
            let total: f64 = weights.iter().sum();
            let target = u * total;
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
        Distribution::Beta { .. } | Distribution::Samples { .. } => dist.nominal(lo, hi),
    };
    x.clamp(lo, hi)
}

/// The kind of design and its size, as written in the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DesignKind {
    /// Every combination of `levels` levels per uncertainty.
    FullFactorial {
        /// Levels per uncertainty.
        levels: u64,
    },
    /// A Latin hypercube of `points` points.
    LatinHypercube {
        /// Points.
        points: u64,
    },
    /// The Saltelli layout of `samples` rows per matrix.
    Saltelli {
        /// Rows of each matrix.
        samples: u64,
    },
    /// Rows written in the file.
    Explicit {
        /// The rows, in uncertainty order.
        rows: Vec<Vec<f64>>,
    },
}

/// The names a file may give `design.kind`.
pub const DESIGN_KINDS: [&str; 5] = [
    "full_factorial",
    "latin_hypercube",
    "sobol",
    "saltelli",
    "explicit",
];

impl DesignKind {
    /// Points of the design over `k` uncertainties (saturating; the file's
    /// check keeps it small).
    pub fn points(&self, k: usize) -> u64 {
        match self {
            DesignKind::FullFactorial { levels } => {
                (0..k).fold(1u64, |n, _| n.saturating_mul(*levels))
            }
            DesignKind::LatinHypercube { points } => *points,
            DesignKind::Saltelli { samples } => samples.saturating_mul(k as u64 + 2),
            DesignKind::Explicit { rows } => rows.len() as u64,
        }
    }

    /// The values of every point, one row per point in uncertainty order,
    /// for the uncertainties `paths` spread by `spreads`, drawn from `seed`.
    pub fn generate(&self, paths: &[String], spreads: &[Spread], seed: u64) -> Vec<Vec<f64>> {
        let k = spreads.len();
        if k == 0 {
            return vec![Vec::new()];
        }
        let streams = Streams::new(seed);
        let stream = |kind: &str, path: &str, row: u64| {
            streams.generator(row, purpose_id(&format!("experiment-design:{kind}:{path}")))
        };
        match self {
            DesignKind::FullFactorial { levels } => {
                let levels: Vec<Vec<f64>> =
                    spreads.iter().map(|s| s.levels(*levels as usize)).collect();
                let n = self.points(k) as usize;
                (0..n)
                    .map(|mut p| {
                        let mut row = vec![0.0; k];
                        for j in (0..k).rev() {
                            let l = &levels[j];
                            row[j] = l[p % l.len()];
                            p /= l.len();
                        }
                        row
                    })
                    .collect()
            }
            DesignKind::LatinHypercube { points } => {
                let n = *points as usize;
                let columns: Vec<Vec<f64>> = paths
                    .iter()
                    .zip(spreads)
                    .map(|(path, s)| {
                        let mut rng = stream("lhs", path, 0);
                        let mut strata: Vec<usize> = (0..n).collect();
                        for i in (1..n).rev() {
                            let j = rng.random_range(0..=i);
                            strata.swap(i, j);
                        }
                        strata
                            .into_iter()
                            .map(|st| s.at((st as f64 + rng.random::<f64>()) / n as f64))
                            .collect()
                    })
                    .collect();
                (0..n)
                    .map(|p| columns.iter().map(|c| c[p]).collect())
                    .collect()
            }
            DesignKind::Saltelli { samples } => {
                let n = *samples as usize;
                let matrix = |name: &str| -> Vec<Vec<f64>> {
                    (0..n)
                        .map(|row| {
                            paths
                                .iter()
                                .zip(spreads)
                                .map(|(path, s)| {
                                    let mut rng =
                                        stream(&format!("saltelli:{name}"), path, row as u64);
                                    s.at(rng.random::<f64>())
                                })
                                .collect()
                        })
                        .collect()
                };
                let (a, b) = (matrix("A"), matrix("B"));
                let mut out = a.clone();
                out.extend(b.iter().cloned());
                for i in 0..k {
                    out.extend(a.iter().zip(&b).map(|(ra, rb)| {
                        let mut r = ra.clone();
                        r[i] = rb[i];
                        r
                    }));
                }
                out
            }
            DesignKind::Explicit { rows } => rows.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(k: usize) -> (Vec<String>, Vec<Spread>) {
        (
            (0..k).map(|i| format!("p{i}")).collect(),
            (0..k)
                .map(|i| Spread::Range {
                    low: i as f64,
                    high: i as f64 + 1.0,
                })
                .collect(),
        )
    }

    #[test]
    fn a_latin_hypercube_uses_every_stratum_once() {
        let (paths, spreads) = ranges(3);
        let rows = DesignKind::LatinHypercube { points: 50 }.generate(&paths, &spreads, 7);
        assert_eq!(rows.len(), 50);
        for j in 0..3 {
            let mut hit = vec![0; 50];
            for r in &rows {
                let u = r[j] - j as f64;
                hit[(u * 50.0).floor() as usize] += 1;
            }
            assert!(hit.iter().all(|&h| h == 1), "{hit:?}");
        }
    }

    #[test]
    fn a_full_factorial_varies_the_last_uncertainty_fastest() {
        let (paths, spreads) = ranges(2);
        let rows = DesignKind::FullFactorial { levels: 3 }.generate(&paths, &spreads, 1);
        assert_eq!(rows.len(), 9);
        assert_eq!(rows[0], vec![0.0, 1.0]);
        assert_eq!(rows[1], vec![0.0, 1.5]);
        assert_eq!(rows[3], vec![0.5, 1.0]);
        assert_eq!(rows[8], vec![1.0, 2.0]);
    }

    #[test]
    fn a_saltelli_design_has_the_ab_blocks() {
        let (paths, spreads) = ranges(2);
        let rows = DesignKind::Saltelli { samples: 4 }.generate(&paths, &spreads, 3);
        assert_eq!(rows.len(), 16);
        // A_B^(0): row r of A with column 0 from B.
        assert_eq!(rows[8][0], rows[4][0]);
        assert_eq!(rows[8][1], rows[0][1]);
    }

    #[test]
    fn quantiles_invert_the_distributions() {
        let tri = Distribution::Triangular {
            low: 0.0,
            mode: 0.5,
            high: 1.0,
        };
        assert!((quantile(&tri, 0.5, 0.0, 1.0) - 0.5).abs() < 1e-12);
        let n = Distribution::Normal { mean: 0.0, sd: 1.0 };
        assert!(quantile(&n, 0.5, -10.0, 10.0).abs() < 1e-9);
        assert!((quantile(&n, 0.975, -40.0, 40.0) - 1.959_963_985).abs() < 1e-6);
        let c = Distribution::Choice {
            values: vec![1.0, 2.0],
            weights: vec![1.0, 3.0],
        };
        assert_eq!(quantile(&c, 0.2, 0.0, 5.0), 1.0);
        assert_eq!(quantile(&c, 0.3, 0.0, 5.0), 2.0);
    }
}
