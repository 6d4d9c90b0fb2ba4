//! Means of integer quantities over trials (such as the summed escalation
//! score) with their 95% intervals, from exact integer sums: any split of the
//! trials adds up to the same sums, so the same bytes.

use serde::{Deserialize, Serialize};

/// The mean of `n` integers with sum `sum` and sum of squares `sq_sum`, and
/// its 95% interval `mean ± 1.96 s / √n` (`s` the sample standard
/// deviation; a normal approximation, good for the hundreds of trials and
/// more that runs have). With fewer than two values the interval is the mean
/// itself; with none, everything is 0.
pub fn mean_ci95(n: u64, sum: i128, sq_sum: i128) -> (f64, [f64; 2]) {
    if n == 0 {
        return (0.0, [0.0, 0.0]);
    }
    let nf = n as f64;
    let mean = sum as f64 / nf;
    if n < 2 {
        return (mean, [mean, mean]);
    }
    let sd = IntegerSums { n, sum, sq_sum }.variance().sqrt();
    let half = 1.96 * sd / nf.sqrt();
    (mean, [mean - half, mean + half])
}

/// Count, sum and sum of squares of integers, kept exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegerSums {
    /// How many values.
    pub n: u64,
    /// Their sum.
    pub sum: i128,
    /// The sum of their squares.
    pub sq_sum: i128,
}

impl IntegerSums {
    /// Adds one value.
    #[inline]
    pub fn add(&mut self, x: i64) {
        self.n += 1;
        self.sum += i128::from(x);
        self.sq_sum += i128::from(x).pow(2);
    }

    /// Adds the values of another.
    pub fn merge(&mut self, o: &IntegerSums) {
        self.n += o.n;
        self.sum += o.sum;
        self.sq_sum += o.sq_sum;
    }

    /// The mean and its 95% interval ([`mean_ci95`]).
    pub fn mean_ci95(&self) -> (f64, [f64; 2]) {
        mean_ci95(self.n, self.sum, self.sq_sum)
    }

    /// The sample variance (0 with fewer than two values). `n Σx² − (Σx)²`
    /// is exact in integers; the variance is that over `n(n − 1)`.
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            return 0.0;
        }
        let nf = self.n as f64;
        let spread = (i128::from(self.n) * self.sq_sum - self.sum.pow(2)) as f64;
        (spread / (nf * (nf - 1.0))).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_of_known_values() {
        // 1, 2, 3, 4: mean 2.5, sample sd sqrt(5/3), n = 4.
        let mut s = IntegerSums::default();
        for x in 1..=4 {
            s.add(x);
        }
        assert_eq!((s.n, s.sum, s.sq_sum), (4, 10, 30));
        let (mean, ci) = s.mean_ci95();
        let half = 1.96 * (5.0f64 / 3.0).sqrt() / 2.0;
        assert_eq!(mean, 2.5);
        assert!((s.variance() - 5.0 / 3.0).abs() < 1e-12);
        assert!((ci[0] - (2.5 - half)).abs() < 1e-12 && (ci[1] - (2.5 + half)).abs() < 1e-12);
        assert_eq!(mean_ci95(1, -7, 49), (-7.0, [-7.0, -7.0]));
        assert_eq!(mean_ci95(3, 15, 75), (5.0, [5.0, 5.0]), "no spread");
        assert_eq!(mean_ci95(0, 0, 0), (0.0, [0.0, 0.0]));
    }

    #[test]
    fn merging_splits_gives_the_same_sums() {
        let values = [5i64, -2, 28, 0, 12, -2, 4];
        let mut whole = IntegerSums::default();
        values.iter().for_each(|&x| whole.add(x));
        let (a, b) = values.split_at(3);
        let mut left = IntegerSums::default();
        let mut right = IntegerSums::default();
        a.iter().for_each(|&x| left.add(x));
        b.iter().for_each(|&x| right.add(x));
        left.merge(&right);
        assert_eq!(left, whole);
    }
}
