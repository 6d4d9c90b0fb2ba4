//! Axes and number formats shared by the chart primitives.

pub use crate::format::ValueFormat;

/// One axis of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Description with the unit, e.g. `share of trials (%)`.
    pub label: String,
    /// Format of the tick labels.
    pub format: ValueFormat,
    /// Fixed range; `None` fits the data.
    pub range: Option<(f64, f64)>,
    /// Ticks placed by hand (position, label), such as dates; empty: ticks
    /// at round values, labelled with `format`.
    pub ticks: Vec<(f64, String)>,
}

impl Axis {
    /// An axis that fits the data.
    pub fn new(label: impl Into<String>, format: ValueFormat) -> Axis {
        Axis {
            label: label.into(),
            format,
            range: None,
            ticks: Vec::new(),
        }
    }

    /// The same axis with ticks placed by hand (position, label).
    pub fn with_ticks(mut self, ticks: Vec<(f64, String)>) -> Axis {
        self.ticks = ticks;
        self
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
