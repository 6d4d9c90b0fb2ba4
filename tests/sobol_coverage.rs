//! Coverage of the Sobol intervals on a stochastic model whose indices are
//! known in closed form: each design point's output is the share of M
//! trials that succeed with probability p(x), p the Ishigami function mapped
//! affinely into (0, 1) (which leaves its indices unchanged), plus a fourth
//! parameter without effect. The indices estimated are those of p, the
//! output the trials estimate; the noise of the M trials must neither bias
//! them nor escape the intervals.
//!
//! Sizes are `brink sensitivity`'s defaults (`--samples 256
//! --trials-per-sample 200 --bootstrap 500`) and a noisier M = 50; trials
//! are split into two replicates as brink does, the points of a row sharing
//! their random numbers (as brink's do) or not. A trial's success moves with
//! the parameters (not only through p), so shared random numbers couple the
//! points' noise in part, as they do in brink.

use std::f64::consts::PI;

use brink::rng::{Streams, purpose_id};
use brink::stats::sobol::{SaltelliOutputs, SobolIndices, sobol_indices};
use rand::RngExt;

const K: usize = 4;
const SEEDS: u64 = 40;
const SAMPLES: usize = 256;
const BOOTSTRAP: usize = 500;

/// Ishigami (a = 7, b = 0.1) on [0, 1]^3 mapped into (0, 1): the function
/// spans [-1 - 0.1 pi^4, 8 + 0.1 pi^4] = [-10.74, 17.74].
fn p_of(x: &[f64]) -> f64 {
    let [x1, x2, x3] = [x[0], x[1], x[2]].map(|u| PI * (2.0 * u - 1.0));
    let f = x1.sin() + 7.0 * x2.sin().powi(2) + 0.1 * x3.powi(4) * x1.sin();
    (f + 10.75) / 28.5
}

/// The closed-form indices (first, total) of the Ishigami function, and
/// zero for the fourth parameter.
fn truth() -> ([f64; K], [f64; K]) {
    let (a, b) = (7.0_f64, 0.1_f64);
    let pi4 = PI.powi(4);
    let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = 8.0 * b * b * pi4 * pi4 / 225.0;
    let v = v1 + v2 + v13;
    (
        [v1 / v, v2 / v, 0.0, 0.0],
        [(v1 + v13) / v, v2 / v, v13 / v, 0.0],
    )
}

/// The two replicates (halves of `m` trials) of a design of `SAMPLES` rows.
fn replicates(seed: u64, m: usize, noise: Noise) -> [SaltelliOutputs; 2] {
    let mut rng = Streams::new(seed).generator(0, purpose_id("coverage-design"));
    let sizes = [m - m / 2, m / 2];
    let fixed: Vec<Vec<f64>> = sizes
        .iter()
        .map(|&size| (0..2 * size).map(|_| rng.random::<f64>()).collect())
        .collect();
    let mut reps = [(); 2].map(|_| SaltelliOutputs {
        a: Vec::new(),
        b: Vec::new(),
        ab: vec![Vec::new(); K],
    });
    let mut u = Vec::new();
    for _ in 0..SAMPLES {
        let a: Vec<f64> = (0..K).map(|_| rng.random::<f64>()).collect();
        let b: Vec<f64> = (0..K).map(|_| rng.random::<f64>()).collect();
        let mut points = vec![a.clone(), b.clone()];
        for i in 0..K {
            let mut x = a.clone();
            x[i] = b[i];
            points.push(x);
        }
        for (h, (rep, &size)) in reps.iter_mut().zip(&sizes).enumerate() {
            u.clear();
            if noise == Noise::SharedEverywhere {
                u.extend(&fixed[h]);
            } else {
                u.extend((0..2 * size).map(|_| rng.random::<f64>()));
            }
            let values: Vec<f64> = points
                .iter()
                .map(|x| {
                    if noise == Noise::Independent {
                        u.clear();
                        u.extend((0..2 * size).map(|_| rng.random::<f64>()));
                    }
                    let p = p_of(x);
                    // Trial t succeeds when frac(U_t + W_t s(x)) < p(x): a
                    // uniform whatever x, but one that moves with the
                    // parameters that act (not the dummy), so two points of
                    // a row share their trials' fates only in part, as
                    // brink's points do.
                    let s = 2.0 * (x[0] + x[1] + x[2]);
                    u.chunks(2)
                        .filter(|t| (t[0] + t[1] * s).fract() < p)
                        .count() as f64
                        / size as f64
                })
                .collect();
            rep.a.push(values[0]);
            rep.b.push(values[1]);
            for i in 0..K {
                rep.ab[i].push(values[2 + i]);
            }
        }
    }
    reps
}

/// How the trials of the points draw their random numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Noise {
    /// Each row and replicate its own, shared by the points of the row
    /// (brink's design).
    SharedInRow,
    /// Every point its own.
    Independent,
    /// The same for every point of the design (brink before).
    SharedEverywhere,
}

/// Per index (S1 then ST of each parameter): how many of the seeds'
/// intervals cover the truth, and the estimates.
struct Coverage {
    covered: [u32; 2 * K],
    estimates: Vec<[f64; 2 * K]>,
}

fn coverage(m: usize, noise: Noise, pooled: bool) -> Coverage {
    let (first, total) = truth();
    let mut c = Coverage {
        covered: [0; 2 * K],
        estimates: Vec::new(),
    };
    for seed in 0..SEEDS {
        let [f, g] = replicates(seed, m, noise);
        let got: Vec<SobolIndices> = if pooled {
            // What brink did before: one output per point (the mean of the
            // replicates) used as if it were exact.
            let h = SaltelliOutputs {
                a: f.a.iter().zip(&g.a).map(|(x, y)| (x + y) / 2.0).collect(),
                b: f.b.iter().zip(&g.b).map(|(x, y)| (x + y) / 2.0).collect(),
                ab: (0..K)
                    .map(|i| {
                        f.ab[i]
                            .iter()
                            .zip(&g.ab[i])
                            .map(|(x, y)| (x + y) / 2.0)
                            .collect()
                    })
                    .collect(),
            };
            sobol_indices(&h, &h, BOOTSTRAP, seed)
        } else {
            sobol_indices(&f, &g, BOOTSTRAP, seed)
        };
        let mut est = [0.0; 2 * K];
        for i in 0..K {
            for (j, e, t) in [(i, got[i].first, first[i]), (K + i, got[i].total, total[i])] {
                est[j] = e.value;
                if e.low <= t && t <= e.high {
                    c.covered[j] += 1;
                }
            }
        }
        c.estimates.push(est);
    }
    c
}

/// With true coverage 95%, the count of 40 seeds covering an index is
/// Binomial(40, 0.95): below 32 with probability 3e-4. Pooled over the six
/// indices of the three parameters with an effect (240 intervals, mean
/// 228, sd 3.4 if independent), below 90% (216) is 3.5 sd out.
fn check(m: usize, noise: Noise) {
    let shared = noise == Noise::SharedInRow;
    let c = coverage(m, noise, false);
    let names = [
        "S1 x1", "S1 x2", "S1 x3", "S1 dummy", "ST x1", "ST x2", "ST x3", "ST dummy",
    ];
    let table = |c: &Coverage| names.iter().zip(c.covered).collect::<Vec<_>>();
    eprintln!(
        "M = {m}, {noise:?}: covered of {SEEDS}: {:?}\n  one output per point: {:?}\n  \
         one output per point, all points on the same trials (brink before): {:?}",
        table(&c),
        table(&coverage(m, noise, true)),
        table(&coverage(m, Noise::SharedEverywhere, true)),
    );
    // Without common random numbers the dummy's outputs differ by noise:
    // its indices are then estimates of 0 like any other.
    let effect: Vec<usize> = if shared {
        vec![0, 1, 2, K, K + 1, K + 2]
    } else {
        (0..2 * K).collect()
    };
    let pooled: u32 = effect.iter().map(|&j| c.covered[j]).sum();
    assert!(
        pooled as f64 >= 0.9 * (effect.len() as u64 * SEEDS) as f64,
        "M = {m}: {pooled} of {} intervals cover the truth",
        effect.len() as u64 * SEEDS
    );
    for &j in &effect {
        assert!(
            c.covered[j] >= 32,
            "M = {m}: {} covered in {} of {SEEDS} seeds",
            names[j],
            c.covered[j]
        );
    }
    if shared {
        // The dummy gets exactly 0, interval [0, 0], at every seed.
        assert_eq!(c.covered[K - 1], SEEDS as u32);
        assert_eq!(c.covered[2 * K - 1], SEEDS as u32);
        assert!(
            c.estimates
                .iter()
                .all(|e| e[K - 1] == 0.0 && e[2 * K - 1] == 0.0)
        );
    }
    // No bias: the mean of the 40 estimates lies within 4 standard errors
    // of the mean of the truth.
    let (first, total) = truth();
    let want: Vec<f64> = first.iter().chain(&total).copied().collect();
    for j in effect {
        let xs: Vec<f64> = c.estimates.iter().map(|e| e[j]).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let sd =
            (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (xs.len() - 1) as f64).sqrt();
        let se = sd / (xs.len() as f64).sqrt();
        assert!(
            (mean - want[j]).abs() < 4.0 * se,
            "M = {m}: {} averages {mean:.4} (se {se:.4}), truth {:.4}",
            names[j],
            want[j]
        );
    }
}

#[test]
fn intervals_cover_the_indices_at_the_default_sizes() {
    check(200, Noise::SharedInRow);
}

#[test]
fn intervals_cover_the_indices_with_independent_noise() {
    check(200, Noise::Independent);
}

#[test]
fn intervals_cover_the_indices_with_few_trials_per_point() {
    check(50, Noise::SharedInRow);
    check(50, Noise::Independent);
}

#[test]
fn the_closed_form_is_ishigami_s() {
    let (first, total) = truth();
    for (got, want) in first.iter().zip([0.3139, 0.4424, 0.0]) {
        assert!((got - want).abs() < 1e-4, "S1 {got} vs published {want}");
    }
    for (got, want) in total.iter().zip([0.5576, 0.4424, 0.2437]) {
        assert!((got - want).abs() < 1e-4, "ST {got} vs published {want}");
    }
}
