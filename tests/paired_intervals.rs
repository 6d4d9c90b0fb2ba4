//! The paired interval `compare` reports (Tango's score interval) covers
//! the true difference of two probabilities about 95% of the time, rare
//! discordance included, and never collapses to `[0, 0]` for scenarios that
//! differ.
//!
//! Each replication draws `n` pairs from a known table: a pair is "first
//! only" with probability `qf`, "second only" with `qs`, concordant
//! otherwise (split evenly between both and neither, which the interval
//! does not use). The true difference is `qs - qf`. Over `R` replications
//! the share of intervals holding it is binomial around the true coverage,
//! standard error `sqrt(0.95 * 0.05 / R)`; a score interval is asymptotic,
//! so the test asks for at least 0.95 minus four standard errors minus 0.01
//! (the shortfall such intervals are documented to have at small
//! discordant counts, Tango 1998, table II).

use brink::rng::{Streams, purpose_id};
use brink::stats::paired::PairedCounts;
use rand::RngExt;

/// Replications per setting.
const R: u64 = 2000;

fn table(rng: &mut impl RngExt, n: u64, qf: f64, qs: f64) -> PairedCounts {
    let mut t = PairedCounts::default();
    for _ in 0..n {
        let u = rng.random::<f64>();
        if u < qf {
            t.first_only += 1;
        } else if u < qf + qs {
            t.second_only += 1;
        } else if u < qf + qs + (1.0 - qf - qs) / 2.0 {
            t.both += 1;
        } else {
            t.neither += 1;
        }
    }
    t
}

/// Shares of replications whose Tango and Newcombe intervals hold `qs - qf`.
fn coverage(setting: u64, n: u64, qf: f64, qs: f64) -> (f64, f64) {
    let truth = qs - qf;
    let (mut tango, mut newcombe) = (0u64, 0u64);
    for r in 0..R {
        let mut rng = Streams::new(setting).generator(r, purpose_id("paired-coverage"));
        let t = table(&mut rng, n, qf, qs);
        let (lo, hi) = t.interval95(false);
        tango += u64::from(lo <= truth && truth <= hi);
        let (lo, hi) = t.newcombe95();
        newcombe += u64::from(lo <= truth && truth <= hi);
    }
    (tango as f64 / R as f64, newcombe as f64 / R as f64)
}

fn floor() -> f64 {
    0.95 - 4.0 * (0.95 * 0.05 / R as f64).sqrt() - 0.01
}

#[test]
fn tango_covers_common_and_rare_differences() {
    // (n, P(first only), P(second only)): moderate, rare and very rare
    // discordance, and a small run.
    let settings = [
        (3000, 0.02, 0.03),
        (3000, 0.002, 0.004),
        (3000, 0.0005, 0.0005),
        (200, 0.10, 0.05),
    ];
    for (k, &(n, qf, qs)) in settings.iter().enumerate() {
        let (tango, newcombe) = coverage(k as u64 + 1, n, qf, qs);
        eprintln!("n {n}, qf {qf}, qs {qs}: Tango {tango:.4}, Newcombe {newcombe:.4}");
        assert!(
            tango >= floor(),
            "n {n}, qf {qf}, qs {qs}: coverage {tango:.4} below {:.4}",
            floor()
        );
    }
}

#[test]
fn tango_covers_where_no_pair_often_disagrees_and_newcombe_does_not() {
    // A change that alters the outcome in 4 trials of 10,000: in 3,000
    // paired trials no pair disagrees with probability 0.9996^3000 = 0.30,
    // and an interval of [0, 0] then misses the true difference of 0.0002.
    let (n, qf, qs) = (3000, 0.0001, 0.0003);
    let none = (1.0f64 - qf - qs).powi(n as i32);
    assert!((none - 0.301).abs() < 0.001);
    let (tango, newcombe) = coverage(9, n, qf, qs);
    eprintln!("n {n}, qf {qf}, qs {qs}: Tango {tango:.4}, Newcombe {newcombe:.4}");
    assert!(tango >= floor(), "Tango coverage {tango:.4}");
    // [0, 0] in 30% of replications caps the other method near 0.70.
    assert!(newcombe < 1.0 - none + 4.0 * (none * (1.0 - none) / R as f64).sqrt());
}

#[test]
fn no_discordant_pair_gives_the_closed_form_width() {
    // With b = c = 0 the score equation reduces to n δ / (1 - δ) = z²:
    // the interval is ±z² / (n + z²).
    let z2 = 1.959963984540054f64.powi(2);
    for n in [100u64, 3000, 20_000] {
        let t = PairedCounts {
            both: n / 3,
            first_only: 0,
            second_only: 0,
            neither: n - n / 3,
        };
        let (lo, hi) = t.interval95(false);
        let expected = z2 / (n as f64 + z2);
        assert!((hi - expected).abs() < 1e-9, "n {n}: {hi} vs {expected}");
        assert!((lo + expected).abs() < 1e-9, "n {n}: {lo} vs {}", -expected);
        // Only scenarios that are the same model get exactly zero.
        assert_eq!(t.interval95(true), (0.0, 0.0));
    }
}

#[test]
fn tango_mirrors_holds_the_estimate_and_stays_in_range() {
    // Swapping the scenarios mirrors the interval; the interval holds the
    // estimate and stays within [-1, 1]; at the ends its score is ±z.
    for (b, c, n) in [(16u64, 6u64, 161u64), (0, 3, 3000), (5, 0, 40), (40, 0, 40)] {
        let t = PairedCounts {
            both: (n - b - c) / 2,
            first_only: b,
            second_only: c,
            neither: n - b - c - (n - b - c) / 2,
        };
        let s = PairedCounts {
            first_only: c,
            second_only: b,
            ..t
        };
        let (lo, hi) = t.tango95();
        let (lo2, hi2) = s.tango95();
        assert!((lo + hi2).abs() < 1e-12 && (hi + lo2).abs() < 1e-12);
        let d = t.difference();
        assert!(
            (-1.0..=d).contains(&lo) && (d..=1.0).contains(&hi),
            "{b} {c} {n}"
        );
        assert!(hi > lo);
    }
}
