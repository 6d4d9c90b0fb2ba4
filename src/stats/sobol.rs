//! Sobol sensitivity indices from a Saltelli design: first-order indices by
//! the Saltelli (2010) estimator, total-order indices by Jansen's (1999)
//! estimator, and percentile bootstrap intervals for both.
//!
//! The design has two independent sample matrices A and B (N rows each) and,
//! for every parameter i, the matrix AB_i: A with column i taken from B. With
//! f the model output, V the variance of f over A and B together:
//!
//! ```text
//! S_i  = mean( f(B) * (f(AB_i) - f(A)) ) / V
//! ST_i = mean( (f(A) - f(AB_i))^2 ) / (2 V)
//! ```

use rand::RngExt;
use serde::Serialize;

use crate::rng::{Streams, purpose_id};

/// Model outputs on a Saltelli design.
#[derive(Debug, Clone, PartialEq)]
pub struct SaltelliOutputs {
    /// f(A), N values.
    pub a: Vec<f64>,
    /// f(B), N values.
    pub b: Vec<f64>,
    /// f(AB_i) for each parameter i, N values each.
    pub ab: Vec<Vec<f64>>,
}

/// An index with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Point estimate.
    pub value: f64,
    /// Lower end of the 95% bootstrap interval.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// Bootstrap standard error.
    pub se: f64,
}

/// First- and total-order indices of one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SobolIndices {
    /// First-order index.
    pub first: Estimate,
    /// Total-order index.
    pub total: Estimate,
}

fn indices_on(out: &SaltelliOutputs, rows: &[usize], i: usize) -> (f64, f64) {
    let n = rows.len() as f64;
    let mut mean = 0.0;
    for &r in rows {
        mean += out.a[r] + out.b[r];
    }
    mean /= 2.0 * n;
    let mut var = 0.0;
    let (mut s, mut t) = (0.0, 0.0);
    for &r in rows {
        let (fa, fb, fab) = (out.a[r], out.b[r], out.ab[i][r]);
        var += (fa - mean) * (fa - mean) + (fb - mean) * (fb - mean);
        s += fb * (fab - fa);
        t += (fa - fab) * (fa - fab);
    }
    var /= 2.0 * n - 1.0;
    if var <= 0.0 {
        return (0.0, 0.0);
    }
    (s / n / var, t / (2.0 * n) / var)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn estimate(value: f64, mut boot: Vec<f64>) -> Estimate {
    let m = boot.len() as f64;
    let mean = boot.iter().sum::<f64>() / m;
    let se =
        (boot.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (m - 1.0).max(1.0)).sqrt();
    boot.sort_by(f64::total_cmp);
    Estimate {
        value,
        low: percentile(&boot, 0.025),
        high: percentile(&boot, 0.975),
        se,
    }
}

/// Sobol indices of every parameter, with `resamples` bootstrap resamples
/// drawn from a generator keyed by `seed` (so the intervals are reproducible).
pub fn sobol_indices(out: &SaltelliOutputs, resamples: usize, seed: u64) -> Vec<SobolIndices> {
    let n = out.a.len();
    let all: Vec<usize> = (0..n).collect();
    let mut rng = Streams::new(seed).generator(0, purpose_id("sobol-bootstrap"));
    let draws: Vec<Vec<usize>> = (0..resamples.max(2))
        .map(|_| (0..n).map(|_| rng.random_range(0..n)).collect())
        .collect();
    (0..out.ab.len())
        .map(|i| {
            let (s, t) = indices_on(out, &all, i);
            let (bs, bt): (Vec<f64>, Vec<f64>) =
                draws.iter().map(|rows| indices_on(out, rows, i)).unzip();
            SobolIndices {
                first: estimate(s, bs),
                total: estimate(t, bt),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// Evaluates `f` on a Saltelli design of `k` uniform(0, 1) inputs.
    fn design(k: usize, n: usize, f: impl Fn(&[f64]) -> f64) -> SaltelliOutputs {
        let mut rng = Streams::new(1).generator(0, purpose_id("test-design"));
        let a: Vec<Vec<f64>> = (0..n)
            .map(|_| (0..k).map(|_| rng.random::<f64>()).collect())
            .collect();
        let b: Vec<Vec<f64>> = (0..n)
            .map(|_| (0..k).map(|_| rng.random::<f64>()).collect())
            .collect();
        let ab = (0..k)
            .map(|i| {
                (0..n)
                    .map(|r| {
                        let mut x = a[r].clone();
                        x[i] = b[r][i];
                        f(&x)
                    })
                    .collect()
            })
            .collect();
        SaltelliOutputs {
            a: a.iter().map(|x| f(x)).collect(),
            b: b.iter().map(|x| f(x)).collect(),
            ab,
        }
    }

    /// Each estimate lies within four bootstrap standard errors of the truth.
    fn check(name: &str, got: &[SobolIndices], first: &[f64], total: &[f64]) {
        for (i, g) in got.iter().enumerate() {
            for (kind, e, truth) in [("S1", g.first, first[i]), ("ST", g.total, total[i])] {
                let tol = 4.0 * e.se.max(1e-4);
                assert!(
                    (e.value - truth).abs() < tol,
                    "{name} {kind}[{i}] = {} (se {}), closed form {truth}",
                    e.value,
                    e.se
                );
            }
        }
    }

    #[test]
    fn ishigami_indices_match_closed_form() {
        let (a, b) = (7.0, 0.1);
        let f = |x: &[f64]| {
            let (x1, x2, x3) = (
                PI * (2.0 * x[0] - 1.0),
                PI * (2.0 * x[1] - 1.0),
                PI * (2.0 * x[2] - 1.0),
            );
            x1.sin() + a * x2.sin().powi(2) + b * x3.powi(4) * x1.sin()
        };
        let got = sobol_indices(&design(3, 8192, f), 300, 3);
        check(
            "Ishigami",
            &got,
            &[0.3139, 0.4424, 0.0],
            &[0.5576, 0.4424, 0.2437],
        );
    }

    #[test]
    fn sobol_g_indices_match_closed_form() {
        let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
        let f = |x: &[f64]| {
            a.iter()
                .zip(x)
                .map(|(ai, xi)| ((4.0 * xi - 2.0).abs() + ai) / (1.0 + ai))
                .product::<f64>()
        };
        // Closed form: V_i = 1 / (3 (1 + a_i)^2), V = prod(1 + V_i) - 1.
        let vi: Vec<f64> = a
            .iter()
            .map(|ai| 1.0 / (3.0 * (1.0 + ai) * (1.0 + ai)))
            .collect();
        let v = vi.iter().map(|x| 1.0 + x).product::<f64>() - 1.0;
        let first: Vec<f64> = vi.iter().map(|x| x / v).collect();
        let total: Vec<f64> = (0..8)
            .map(|i| {
                vi[i]
                    * vi.iter()
                        .enumerate()
                        .filter(|(j, _)| *j != i)
                        .map(|(_, x)| 1.0 + x)
                        .product::<f64>()
                    / v
            })
            .collect();
        for (got, want) in first.iter().zip([0.7162, 0.1790, 0.0237, 0.0072, 0.0001]) {
            assert!(
                (got - want).abs() < 1e-4,
                "closed form {got} vs published {want}"
            );
        }
        let got = sobol_indices(&design(8, 8192, f), 300, 4);
        check("Sobol G", &got, &first, &total);
    }

    #[test]
    fn a_parameter_without_effect_has_total_index_zero() {
        let f = |x: &[f64]| x[0] + 2.0 * x[1];
        let got = sobol_indices(&design(3, 1024, f), 200, 5);
        let t = got[2].total;
        assert!(
            t.low <= 0.0 && 0.0 <= t.high,
            "interval [{}, {}] contains 0",
            t.low,
            t.high
        );
        assert_eq!(t.value, 0.0);
    }
}
