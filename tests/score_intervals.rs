//! The bootstrap intervals of `brink score` cover what they claim to.
//!
//! Synthetic questions from a known, calibrated forecaster: forecast
//! `p ~ Uniform(0, 1)`, outcome `y ~ Bernoulli(p)`. Its expected Brier score
//! per question is `E[p (1 - p)] = 1/2 - 1/3 = 1/6` and its expected
//! logarithmic score `E[-p ln p - (1 - p) ln(1 - p)] = 2 * 1/4 = 1/2` nats
//! (`-∫ p ln p dp = 1/4` over `[0, 1]`). Its Brier skill relative to 0.5 is
//! `1 - (1/6) / (1/4) = 1/3`.
//!
//! Each replication draws `N` questions, computes the 95% interval of the
//! mean scores, and checks whether it holds the true value. Over `R`
//! replications the share covered is binomial around the true coverage,
//! with standard error `sqrt(0.95 * 0.05 / R)`; the test accepts the share
//! within four standard errors of 0.95, widened by the small-sample
//! shortfall a percentile bootstrap is known to have (its replicates spread
//! with `1/N` instead of `1/(N - 1)` variance: about `0.95 - z φ(z) / N`
//! coverage, 0.002 at N = 60).

use brink::rng::{Streams, purpose_id};
use brink::stats::scoring::{question_scores, score_set};
use rand::RngExt;

/// Replications (independent synthetic question sets).
const R: u64 = 600;
/// Questions per set: about what a history suite resolves.
const N: usize = 60;
/// Bootstrap resamples per interval.
const B: usize = 1000;

#[test]
fn intervals_cover_the_true_expected_scores_about_95_percent_of_the_time() {
    let truth_brier = 1.0 / 6.0;
    let truth_log = 0.5;
    let truth_skill = 1.0 / 3.0;
    let (mut brier, mut log, mut skill) = (0u64, 0u64, 0u64);
    for r in 0..R {
        let mut rng = Streams::new(99).generator(r, purpose_id("coverage"));
        let p: Vec<f64> = (0..N).map(|_| rng.random::<f64>()).collect();
        let y: Vec<bool> = p.iter().map(|&pi| rng.random::<f64>() < pi).collect();
        let rows = question_scores(&p, &y);
        let s = score_set(&rows, 7, r, B);
        let inside = |ci: [f64; 2], t: f64| u64::from(ci[0] <= t && t <= ci[1]);
        brier += inside(s.brier.ci95, truth_brier);
        log += inside(s.log.ci95, truth_log);
        skill += inside(s.skill.brier_vs_uniform.ci95, truth_skill);
    }
    let se = (0.95f64 * 0.05 / R as f64).sqrt();
    // 2 Φ(z sqrt((N-1)/N)) - 1 ≈ 0.95 - z φ(z) / N (φ(1.96) = 0.0584).
    let shortfall = 1.96 * 0.058_4 / N as f64;
    let (lo, hi) = (0.95 - 4.0 * se - shortfall, 0.95 + 4.0 * se);
    for (name, hits) in [("brier", brier), ("log", log), ("skill", skill)] {
        let share = hits as f64 / R as f64;
        eprintln!("{name}: {hits} of {R} intervals held the truth ({share:.3})");
        assert!(
            (lo..=hi).contains(&share),
            "{name}: {hits} of {R} intervals held the truth ({share:.3}); expected {lo:.3}..{hi:.3}"
        );
    }
}
