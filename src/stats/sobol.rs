//! Sobol sensitivity indices from a Saltelli design whose outputs are
//! themselves Monte Carlo estimates: centred first-order indices (the
//! Saltelli 2010 estimator on centred outputs), total-order indices by
//! Jansen's (1999) estimator, both free of the bias of the inner Monte Carlo
//! noise, and percentile bootstrap intervals over the design rows.
//!
//! The design has two independent sample matrices A and B (N rows each) and,
//! for every parameter i, the matrix AB_i: A with column i taken from B. At
//! every design point the output is measured twice, by two independent
//! replicates f and g (two halves of the point's trials, on their own random
//! numbers). With m the mean of f and g over A and B:
//!
//! ```text
//! V    = 1/(2N) sum_r [ (f(A)-m)(g(A)-m) + (f(B)-m)(g(B)-m) ]
//! D_i  = 1/(2N) sum_r [ (f(B)-m)(g(AB_i)-g(A)) + (g(B)-m)(f(AB_i)-f(A)) ]
//! DT_i = 1/(2N) sum_r (f(A)-f(AB_i)) (g(A)-g(AB_i))
//! S_i  = D_i / V,   ST_i = DT_i / V
//! ```
//!
//! Given the design point, f and g are independent with the same mean p(x)
//! (the output the trials estimate), so every product of an f and a g has
//! the expectation of the same product of p: the estimators target the
//! indices of p, whatever the noise and however it is correlated across the
//! points of a row. With f = g (a deterministic model) they are the centred
//! estimators of SALib: `mean(B (AB_i - A)) / var(A, B)` on centred outputs
//! and Jansen's `mean((A - AB_i)^2) / (2 var(A, B))`.
//!
//! The rows must be independent (each row its own trial streams): the
//! bootstrap resamples rows, so it then sees the noise as well as the
//! spread of the design.

use rand::RngExt;
use serde::Serialize;

use crate::rng::{Streams, purpose_id};

/// Model outputs on a Saltelli design (one replicate).
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

impl Estimate {
    /// Width of the interval.
    pub fn width(&self) -> f64 {
        self.high - self.low
    }
}

/// First- and total-order indices of one parameter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SobolIndices {
    /// First-order index.
    pub first: Estimate,
    /// Total-order index.
    pub total: Estimate,
    /// ST - S1, the share of interactions, with its interval from the same
    /// resamples (negative beyond its interval: the estimates contradict
    /// each other).
    pub interaction: Estimate,
}

/// How the variance of an output over the design splits between the model
/// (what the parameters move) and the noise of each point's own trials.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct VarianceSplit {
    /// The part the parameters move: the cross-replicate variance V, the
    /// denominator of the indices (may come out negative when noise is all
    /// there is).
    pub model: f64,
    /// The mean variance of a point's value around what its trials
    /// estimate: a quarter of the mean squared difference of the replicates.
    pub noise: f64,
}

/// The variance split of the outputs on A and B.
pub fn variance_split(f: &SaltelliOutputs, g: &SaltelliOutputs) -> VarianceSplit {
    let n = f.a.len();
    let all: Vec<usize> = (0..n).collect();
    let mean = mean_on(f, g, &all);
    let noise = (0..n)
        .map(|r| (f.a[r] - g.a[r]).powi(2) + (f.b[r] - g.b[r]).powi(2))
        .sum::<f64>()
        / (8.0 * n.max(1) as f64);
    VarianceSplit {
        model: model_variance(f, g, &all, mean),
        noise,
    }
}

fn mean_on(f: &SaltelliOutputs, g: &SaltelliOutputs, rows: &[usize]) -> f64 {
    let mut mean = 0.0;
    for &r in rows {
        mean += f.a[r] + f.b[r] + g.a[r] + g.b[r];
    }
    mean / (4.0 * rows.len().max(1) as f64)
}

fn model_variance(f: &SaltelliOutputs, g: &SaltelliOutputs, rows: &[usize], mean: f64) -> f64 {
    let mut var = 0.0;
    for &r in rows {
        var += (f.a[r] - mean) * (g.a[r] - mean) + (f.b[r] - mean) * (g.b[r] - mean);
    }
    var / (2.0 * rows.len().max(1) as f64)
}

/// (S_i, ST_i) on the rows `rows` (repeats allowed); both 0 when the model
/// variance is not positive.
fn indices_on(f: &SaltelliOutputs, g: &SaltelliOutputs, rows: &[usize], i: usize) -> (f64, f64) {
    let mean = mean_on(f, g, rows);
    let (mut var, mut s, mut t) = (0.0, 0.0, 0.0);
    for &r in rows {
        let (fa, fb, fab) = (f.a[r], f.b[r], f.ab[i][r]);
        let (ga, gb, gab) = (g.a[r], g.b[r], g.ab[i][r]);
        var += (fa - mean) * (ga - mean) + (fb - mean) * (gb - mean);
        s += (fb - mean) * (gab - ga) + (gb - mean) * (fab - fa);
        t += (fa - fab) * (ga - gab);
    }
    // V, D_i and DT_i share the factor 1 / (2N).
    if var <= 0.0 {
        return (0.0, 0.0);
    }
    (s / var, t / var)
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

/// Sobol indices of every parameter from two independent replicates `f`
/// and `g` of the outputs on the same design (pass the same outputs twice
/// for a deterministic model), with `resamples` bootstrap resamples of the
/// rows drawn from a generator keyed by `seed` (so the intervals are
/// reproducible).
pub fn sobol_indices(
    f: &SaltelliOutputs,
    g: &SaltelliOutputs,
    resamples: usize,
    seed: u64,
) -> Vec<SobolIndices> {
    let n = f.a.len();
    let all: Vec<usize> = (0..n).collect();
    let mut rng = Streams::new(seed).generator(0, purpose_id("sobol-bootstrap"));
    let draws: Vec<Vec<usize>> = (0..resamples.max(2))
        .map(|_| (0..n).map(|_| rng.random_range(0..n)).collect())
        .collect();
    (0..f.ab.len())
        .map(|i| {
            let (s, t) = indices_on(f, g, &all, i);
            let boot: Vec<(f64, f64)> =
                draws.iter().map(|rows| indices_on(f, g, rows, i)).collect();
            SobolIndices {
                first: estimate(s, boot.iter().map(|b| b.0).collect()),
                total: estimate(t, boot.iter().map(|b| b.1).collect()),
                interaction: estimate(t - s, boot.iter().map(|b| b.1 - b.0).collect()),
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
        let d = design(3, 8192, f);
        let got = sobol_indices(&d, &d, 300, 3);
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
        let d = design(8, 8192, f);
        let got = sobol_indices(&d, &d, 300, 4);
        check("Sobol G", &got, &first, &total);
    }

    /// Two replicates of `p` on a design of `k` uniform inputs: each point's
    /// output is the share of `m` trials with U < p(x), the U shared by the
    /// points of a row (common random numbers, as in `brink sensitivity`).
    fn noisy_design(
        k: usize,
        n: usize,
        m: usize,
        p: impl Fn(&[f64]) -> f64,
    ) -> (SaltelliOutputs, SaltelliOutputs) {
        let mut rng = Streams::new(2).generator(0, purpose_id("test-noisy-design"));
        let point = |x: &[f64], u: &[f64]| {
            let px = p(x);
            u.iter().filter(|&&u| u < px).count() as f64 / m as f64
        };
        let mut reps = [(); 2].map(|_| SaltelliOutputs {
            a: vec![],
            b: vec![],
            ab: vec![vec![]; k],
        });
        for _ in 0..n {
            let a: Vec<f64> = (0..k).map(|_| rng.random::<f64>()).collect();
            let b: Vec<f64> = (0..k).map(|_| rng.random::<f64>()).collect();
            for rep in &mut reps {
                let u: Vec<f64> = (0..m).map(|_| rng.random::<f64>()).collect();
                rep.a.push(point(&a, &u));
                rep.b.push(point(&b, &u));
                for i in 0..k {
                    let mut x = a.clone();
                    x[i] = b[i];
                    rep.ab[i].push(point(&x, &u));
                }
            }
        }
        let [f, g] = reps;
        (f, g)
    }

    #[test]
    fn a_parameter_without_effect_has_indices_exactly_zero() {
        let f = |x: &[f64]| x[0] + 2.0 * x[1];
        let d = design(3, 1024, f);
        let p = |x: &[f64]| 0.1 + 0.3 * x[0] + 0.5 * x[1] * x[1];
        let (nf, ng) = noisy_design(3, 512, 50, p);
        for (name, got) in [
            ("deterministic", sobol_indices(&d, &d, 200, 5)),
            ("noisy", sobol_indices(&nf, &ng, 200, 5)),
        ] {
            let zero = Estimate {
                value: 0.0,
                low: 0.0,
                high: 0.0,
                se: 0.0,
            };
            assert_eq!(got[2].first, zero, "{name} S1 of the dummy");
            assert_eq!(got[2].total, zero, "{name} ST of the dummy");
            // The others are far from zero: the test could fail.
            assert!(got[0].total.low > 0.1 && got[1].total.low > 0.1, "{name}");
        }
    }

    /// SALib's `first_order` and `total_order` (SALib/analyze/sobol.py): the
    /// outputs centred on the mean of all of them, then
    /// `mean(B (AB_i - A)) / var(A, B)` and `mean((A - AB_i)^2) / (2 var(A, B))`
    /// with numpy's `var` (divisor 2N).
    fn salib(out: &SaltelliOutputs, i: usize) -> (f64, f64) {
        let all: Vec<f64> = out
            .a
            .iter()
            .chain(&out.b)
            .chain(out.ab.iter().flatten())
            .copied()
            .collect();
        let centre = all.iter().sum::<f64>() / all.len() as f64;
        let c = |v: &[f64]| v.iter().map(|x| x - centre).collect::<Vec<f64>>();
        let (a, b, ab) = (c(&out.a), c(&out.b), c(&out.ab[i]));
        let n = a.len() as f64;
        let ab_mean = a.iter().chain(&b).sum::<f64>() / (2.0 * n);
        let var = a
            .iter()
            .chain(&b)
            .map(|x| (x - ab_mean) * (x - ab_mean))
            .sum::<f64>()
            / (2.0 * n);
        let first = (0..a.len()).map(|r| b[r] * (ab[r] - a[r])).sum::<f64>() / n / var;
        let total = (0..a.len()).map(|r| (a[r] - ab[r]).powi(2)).sum::<f64>() / n / (2.0 * var);
        (first, total)
    }

    #[test]
    fn deterministic_indices_agree_with_salib() {
        // An output far from zero: the uncentred estimator would be off.
        let f = |x: &[f64]| 50.0 + x[0] + 2.0 * x[1] * x[1] + x[0] * x[2];
        for n in [64, 256, 1024] {
            let d = design(3, n, f);
            let got = sobol_indices(&d, &d, 2, 1);
            for (i, g) in got.iter().enumerate() {
                let (first, total) = salib(&d, i);
                assert!(
                    (g.first.value - first).abs() < 0.01,
                    "N {n} S1[{i}] {} vs SALib {first}",
                    g.first.value
                );
                assert!(
                    (g.total.value - total).abs() < 1e-12,
                    "N {n} ST[{i}] {} vs SALib {total}",
                    g.total.value
                );
            }
        }
    }

    #[test]
    fn centring_keeps_first_order_indices_from_scattering_with_the_mean() {
        // Shifting the output by a constant leaves true indices unchanged;
        // the centred estimator does not move at all (up to rounding).
        let f = |x: &[f64]| x[0] + 2.0 * x[1] * x[1];
        let g = |x: &[f64]| 1000.0 + f(x);
        let (d, e) = (design(2, 256, f), design(2, 256, g));
        let (x, y) = (sobol_indices(&d, &d, 50, 1), sobol_indices(&e, &e, 50, 1));
        for i in 0..2 {
            assert!((x[i].first.value - y[i].first.value).abs() < 1e-9);
            assert!((x[i].first.high - y[i].first.high).abs() < 1e-9);
        }
    }
}
