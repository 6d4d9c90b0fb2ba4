//! Axes and number formats shared by the chart primitives.

/// How numbers are written on ticks and data labels.
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
            ValueFormat::Fixed { decimals } => (v, decimals, ""),
        }
    }

    /// Writes `v` (never `-0`).
    pub fn format(self, v: f64) -> String {
        let (x, d, unit) = self.scaled(v);
        let s = format!("{x:.d$}");
        let s = if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
            s[1..].to_string()
        } else {
            s
        };
        let sign = match self {
            ValueFormat::Points { .. }
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

/// One axis of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Description with the unit, e.g. `share of trials (%)`.
    pub label: String,
    /// Format of the tick labels.
    pub format: ValueFormat,
    /// Fixed range; `None` fits the data.
    pub range: Option<(f64, f64)>,
}

impl Axis {
    /// An axis that fits the data.
    pub fn new(label: impl Into<String>, format: ValueFormat) -> Axis {
        Axis {
            label: label.into(),
            format,
            range: None,
        }
    }

    /// The same axis over a fixed range.
    pub fn with_range(mut self, lo: f64, hi: f64) -> Axis {
        self.range = Some((lo, hi));
        self
    }

    /// The fixed range, or `data` widened by `pad` of its span on each side
    /// (an empty or flat span becomes one unit wide).
    pub(crate) fn resolve(&self, data: (f64, f64), pad: f64) -> (f64, f64) {
        if let Some(r) = self.range {
            return r;
        }
        let (lo, hi) = if data.0.is_finite() && data.1.is_finite() && data.1 > data.0 {
            data
        } else if data.0.is_finite() {
            (data.0 - 0.5, data.0 + 0.5)
        } else {
            (0.0, 1.0)
        };
        let span = hi - lo;
        (lo - pad * span, hi + pad * span)
    }
}

/// Smallest and largest finite value of `values` (infinities when empty).
pub(crate) fn extent(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
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
    fn resolves_ranges() {
        let a = Axis::new("x", ValueFormat::INTEGER);
        assert_eq!(a.resolve((0.0, 10.0), 0.0), (0.0, 10.0));
        assert_eq!(a.resolve((0.0, 10.0), 0.1), (-1.0, 11.0));
        assert_eq!(a.resolve((2.0, 2.0), 0.0), (1.5, 2.5));
        assert_eq!(
            a.clone().with_range(0.0, 1.0).resolve((5.0, 9.0), 0.1),
            (0.0, 1.0)
        );
        assert_eq!(extent([3.0, f64::NAN, -1.0]), (-1.0, 3.0));
    }
}
