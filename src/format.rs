//! How brink writes numbers for people: counts with thousands separators,
//! shares as percentages, differences in percentage points, signed scores,
//! intervals and parameter values. The console tables, the plots and the
//! reports all write their numbers through here, so one number reads the
//! same wherever it appears.
//!
//! This module depends on nothing else in brink: it sits below every
//! layer that shows a number.

/// How numbers are written on ticks, data labels and in tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFormat {
    /// A share written as a percentage: 0.123 with 1 decimal is `12.3%`.
    Percent {
        /// Decimals after the point.
        decimals: usize,
    },
    /// A difference of shares in percentage points, always signed:
    /// 0.123 with 1 decimal is `+12.3` (the unit goes in the axis label).
    Points {
        /// Decimals after the point.
        decimals: usize,
    },
    /// A plain number, always signed: 1.25 with 1 decimal is `+1.2`.
    Signed {
        /// Decimals after the point.
        decimals: usize,
    },
    /// A plain number with a fixed number of decimals.
    Fixed {
        /// Decimals after the point.
        decimals: usize,
    },
}

impl ValueFormat {
    /// Percent without decimals (axis ticks of probabilities).
    pub const PERCENT: ValueFormat = ValueFormat::Percent { decimals: 0 };
    /// Percent with one decimal (data labels of probabilities).
    pub const PERCENT_1: ValueFormat = ValueFormat::Percent { decimals: 1 };
    /// Whole numbers.
    pub const INTEGER: ValueFormat = ValueFormat::Fixed { decimals: 0 };

    fn scaled(self, v: f64) -> (f64, usize, &'static str) {
        match self {
            ValueFormat::Percent { decimals } => (v * 100.0, decimals, "%"),
            ValueFormat::Points { decimals } => (v * 100.0, decimals, ""),
            ValueFormat::Signed { decimals } | ValueFormat::Fixed { decimals } => (v, decimals, ""),
        }
    }

    /// Writes `v` (never `-0`; the signed formats give a `+` to every value
    /// that does not round to zero).
    pub fn format(self, v: f64) -> String {
        let (x, d, unit) = self.scaled(v);
        let s = format!("{x:.d$}");
        let s = if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        };
        let sign = match self {
            ValueFormat::Points { .. } | ValueFormat::Signed { .. }
                if !s.starts_with('-') && s.chars().any(|c| c > '0' && c <= '9') =>
            {
                "+"
            }
            _ => "",
        };
        format!("{sign}{s}{unit}")
    }

    /// Writes `v`, but a value that is not zero yet rounds to zero becomes
    /// `<0.1%` (or `<1`, ...), so rare events are not shown as never.
    pub fn format_nonzero(self, v: f64) -> String {
        let s = self.format(v);
        if v > 0.0 && s == self.format(0.0) {
            let (_, d, unit) = self.scaled(v);
            let step = format!("{:.d$}", 10f64.powi(-(d as i32)));
            format!("<{step}{unit}")
        } else {
            s
        }
    }
}

/// `12345` as `12,345`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with one decimal (`12.3%`), for places with a
/// fixed width such as plot labels; tables use [`percent`].
pub fn percent_1(x: f64) -> String {
    ValueFormat::PERCENT_1.format(x)
}

/// A share as a percentage, as the console, the reports and the tables
/// for people write it: one decimal from 1% to 99%, and outside that two
/// significant digits of its distance from 0% or 100%, so a rare outcome
/// and the bounds of its interval stay visible and 3 trials in 20,000
/// never read like none (`0.015%` against `0.0%`; `99.985%`, not
/// `100.0%`). Exactly 0 and 1 are `0.0%` and `100.0%`; a share closer to
/// them than a millionth of a percent is `<0.000001%` (or
/// `>99.999999%`). `-` when there is no share to give (not a number).
pub fn percent(x: f64) -> String {
    if x.is_nan() {
        return "-".to_string();
    }
    let tail = x.min(1.0 - x);
    if tail <= 0.0 || tail >= 0.01 {
        return ValueFormat::PERCENT_1.format(x);
    }
    if tail < 5e-9 {
        return if x < 0.5 { "<0.000001%" } else { ">99.999999%" }.to_string();
    }
    // Two significant digits of the tail, computed with `libm` so the text
    // is the same on every platform.
    let d = (1.0 - libm::floor(libm::log10(tail * 100.0))).clamp(2.0, 6.0) as usize;
    ValueFormat::Percent { decimals: d }.format(x)
}

/// A difference of shares in signed percentage points with one decimal:
/// `+12.3`, `-4.0`, `0.0`.
pub fn points(x: f64) -> String {
    ValueFormat::Points { decimals: 1 }.format(x)
}

/// `x` with `decimals` decimals, signed unless it rounds to zero: `+1.2`,
/// `-0.4`, `0.0`.
pub fn signed(x: f64, decimals: usize) -> String {
    ValueFormat::Signed { decimals }.format(x)
}

/// An interval with each bound written by `bound`: `[30.9%, 32.2%]`.
pub fn interval(ci: [f64; 2], bound: impl Fn(f64) -> String) -> String {
    format!("[{}, {}]", bound(ci[0]), bound(ci[1]))
}

/// A range with each end written by `bound`: `30.9% to 32.2%`.
pub fn range_to(ci: [f64; 2], bound: impl Fn(f64) -> String) -> String {
    format!("{} to {}", bound(ci[0]), bound(ci[1]))
}

/// The fewest decimals (up to 4) that write every value exactly, so that
/// `0.2` is not written `0.20000`.
pub fn decimals_for(values: &[f64]) -> usize {
    (0..=4)
        .find(|&d| {
            values.iter().all(|v| {
                let s = format!("{v:.d$}");
                s.parse::<f64>()
                    .is_ok_and(|r| (r - v).abs() <= 1e-9 * v.abs().max(1.0))
            })
        })
        .unwrap_or(4)
}

/// Decimals that give about three significant digits over a range `span`
/// wide (computed with `libm`, so the text is the same on every platform).
pub fn decimals_for_span(span: f64) -> usize {
    let span = span.abs().max(1e-12);
    (2.0 - libm::floor(libm::log10(span))).clamp(0.0, 6.0) as usize
}

/// `1.275 to 2.484`, with the decimals of a range `span` wide.
pub fn bounds_text(lo: f64, hi: f64, span: f64) -> String {
    let d = decimals_for_span(span);
    format!("{lo:.d$} to {hi:.d$}")
}

/// `v` to about three significant digits.
pub fn sig3(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    let d = decimals_for_span(v);
    format!("{v:.d$}")
}

/// An index (a Sobol index, a share of variance) to two decimals (never
/// `-0.00`; `-` when it could not be estimated, e.g. for an output that
/// never varied).
pub fn index_text(v: f64) -> String {
    if v.is_finite() {
        ValueFormat::Fixed { decimals: 2 }.format(v)
    } else {
        "-".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_percentages_and_numbers() {
        assert_eq!(ValueFormat::PERCENT_1.format(0.1234), "12.3%");
        assert_eq!(ValueFormat::PERCENT.format(0.5), "50%");
        assert_eq!(ValueFormat::INTEGER.format(-0.2), "0");
        assert_eq!(ValueFormat::Fixed { decimals: 1 }.format(-3.25), "-3.2");
        assert_eq!(ValueFormat::PERCENT_1.format_nonzero(0.0002), "<0.1%");
        assert_eq!(ValueFormat::PERCENT_1.format_nonzero(0.0), "0.0%");
        assert_eq!(ValueFormat::INTEGER.format_nonzero(0.3), "<1");
        let pp = ValueFormat::Points { decimals: 1 };
        assert_eq!(pp.format(0.1234), "+12.3");
        assert_eq!(pp.format(-0.05), "-5.0");
        assert_eq!(pp.format(0.0), "0.0");
        assert_eq!(pp.format(-0.0001), "0.0");
    }

    #[test]
    fn writes_counts_with_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1), "1");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(20000), "20,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn shares_keep_rare_outcomes_visible() {
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(percent(1e-9), "<0.000001%");
        assert_eq!(percent(1e-7), "0.000010%");
        assert_eq!(percent(0.00001), "0.0010%");
        assert_eq!(percent(0.00045), "0.045%");
        // 3 trials in 20,000 and the upper bound of 0 in 20,000.
        assert_eq!(percent(3.0 / 20000.0), "0.015%");
        assert_eq!(percent(0.000192), "0.019%");
        assert_eq!(percent(0.0099), "0.99%");
        assert_eq!(percent(0.01), "1.0%");
        assert_eq!(percent(0.123), "12.3%");
        assert_eq!(percent(0.99), "99.0%");
        assert_eq!(percent(0.9995), "99.950%");
        assert_eq!(percent(1.0 - 3.0 / 20000.0), "99.985%");
        assert_eq!(percent(0.99949), "99.949%");
        assert_eq!(percent(1.0 - 1e-10), ">99.999999%");
        assert_eq!(percent(1.0), "100.0%");
        assert_eq!(percent(f64::NAN), "-");
    }

    #[test]
    fn console_shares_have_one_decimal() {
        assert_eq!(percent_1(0.0), "0.0%");
        assert_eq!(percent_1(1e-9), "0.0%");
        assert_eq!(percent_1(-1e-12), "0.0%");
        assert_eq!(percent_1(0.00045), "0.0%");
        assert_eq!(percent_1(0.9995), "100.0%");
        assert_eq!(percent_1(1.0), "100.0%");
    }

    #[test]
    fn signs_differences_but_never_zero() {
        assert_eq!(points(0.1234), "+12.3");
        assert_eq!(points(-0.0004), "0.0");
        assert_eq!(points(1e-9), "0.0");
        assert_eq!(signed(1.25, 1), "+1.2");
        assert_eq!(signed(-0.04, 1), "0.0");
        assert_eq!(signed(-0.06, 1), "-0.1");
        assert_eq!(signed(0.05, 1), "+0.1");
        assert_eq!(signed(0.004, 2), "0.00");
        assert_eq!(signed(-0.005001, 2), "-0.01");
        assert_eq!(signed(0.0, 2), "0.00");
    }

    #[test]
    fn writes_intervals() {
        assert_eq!(interval([0.309, 0.322], percent_1), "[30.9%, 32.2%]");
        assert_eq!(interval([-0.081, -0.063], points), "[-8.1, -6.3]");
        assert_eq!(range_to([0.0, 1e-9], percent), "0.0% to <0.000001%");
        assert_eq!(range_to([0.4, 0.6], percent), "40.0% to 60.0%");
    }

    #[test]
    fn chooses_decimals_for_values_and_ranges() {
        assert_eq!(decimals_for(&[0.0, 1.0, 2.0]), 0);
        assert_eq!(decimals_for(&[0.0, 0.2, 1.6]), 1);
        assert_eq!(decimals_for(&[0.05, 0.1]), 2);
        assert_eq!(decimals_for(&[1.0 / 3.0]), 4);
        assert_eq!(decimals_for(&[]), 0);
        assert_eq!(bounds_text(1.2751, 2.4838, 2.0), "1.28 to 2.48");
        assert_eq!(bounds_text(1.0001, 1.5089, 0.9998), "1.000 to 1.509");
        assert_eq!(bounds_text(0.01, 0.02, 0.01), "0.0100 to 0.0200");
        assert_eq!(bounds_text(0.0, 0.0, 0.0), "0.000000 to 0.000000");
        assert_eq!(sig3(0.01523), "0.0152");
        assert_eq!(sig3(4.932), "4.93");
        assert_eq!(sig3(0.0), "0");
        assert_eq!(sig3(12345.6), "12346");
    }

    #[test]
    fn writes_indices() {
        assert_eq!(index_text(-0.001), "0.00");
        assert_eq!(index_text(0.456), "0.46");
        assert_eq!(index_text(1.0), "1.00");
        assert_eq!(index_text(f64::NAN), "-");
        assert_eq!(index_text(f64::INFINITY), "-");
    }
}
