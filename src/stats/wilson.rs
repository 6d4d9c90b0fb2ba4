//! The Wilson score interval for a binomial proportion.

/// The 0.975 quantile of the standard normal distribution.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for `successes` out of `n` at normal quantile `z`.
/// Returns `(low, high)`, clamped to `[0, 1]`; `(0, 1)` when `n` is 0.
pub fn wilson(successes: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let n_f = n as f64;
    let p = successes as f64 / n_f;
    let z2 = z * z;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = z / denom * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt();
    let low = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if successes == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

/// The 95% Wilson interval.
pub fn wilson95(successes: u64, n: u64) -> (f64, f64) {
    wilson(successes, n, Z95)
}

/// Half the width of the 95% Wilson interval.
pub fn wilson95_half_width(successes: u64, n: u64) -> f64 {
    let (lo, hi) = wilson95(successes, n);
    (hi - lo) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        // Published values are rounded to 3-4 significant digits.
        (a.0 - b.0).abs() < 6e-6 && (a.1 - b.1).abs() < 6e-6
    }

    #[test]
    fn known_values() {
        assert!(
            close(wilson95(0, 1000), (0.0, 0.00383)),
            "{:?}",
            wilson95(0, 1000)
        );
        assert!(
            close(wilson95(3, 1000), (0.00102, 0.00878)),
            "{:?}",
            wilson95(3, 1000)
        );
        assert!(
            (wilson95(5, 50).0 - 0.0435).abs() < 6e-5,
            "{:?}",
            wilson95(5, 50)
        );
        assert!(
            (wilson95(5, 50).1 - 0.2136).abs() < 6e-5,
            "{:?}",
            wilson95(5, 50)
        );
    }

    #[test]
    fn symmetric_and_bounded() {
        for n in [1u64, 2, 10, 97, 1000] {
            for k in 0..=n {
                let (lo, hi) = wilson95(k, n);
                let (lo2, hi2) = wilson95(n - k, n);
                assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi));
                assert!(lo <= k as f64 / n as f64 && k as f64 / n as f64 <= hi);
                assert!((lo - (1.0 - hi2)).abs() < 1e-12 && (hi - (1.0 - lo2)).abs() < 1e-12);
            }
        }
        assert_eq!(wilson95(0, 0), (0.0, 1.0));
    }
}
