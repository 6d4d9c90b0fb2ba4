//! The plot of `brink score`: the reliability diagram. Each bin of
//! forecast probability is a dot at (mean forecast, share that happened),
//! its area proportional to the questions in the bin and labelled with
//! their number, with the 95% Wilson interval of the share as a whisker;
//! the dashed diagonal is where a calibrated forecaster's bins lie.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::format::{ValueFormat, thousands};
use crate::output::drawn::RunPlot;
use crate::stats::score_result::Scoring;
use crate::stats::scoring::ReliabilityBin;

use super::axis::Axis;
use super::layout;
use super::legend::{Legend, LegendEntry, LegendMark};
use super::{Figure, PlotError, font, palette, render_png, render_svg};

/// File stem of the reliability diagram under `plots/`.
pub const RELIABILITY_PLOT: &str = "reliability";

/// Size of the reliability diagram in pixels: nearly square, so the
/// diagonal runs at 45 degrees.
pub const RELIABILITY_SIZE: (u32, u32) = (1200, 1000);

/// A reliability diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct ReliabilityChart {
    /// Title.
    pub title: String,
    /// How to read it.
    pub subtitle: Option<String>,
    /// The non-empty bins.
    pub bins: Vec<ReliabilityBin>,
}

/// Radius in pixels of a bin's dot: area proportional to its questions (9
/// pixels for one), shrunk so the largest bin is at most 32 pixels, and
/// never below 6.
fn radius(count: usize, largest: usize) -> i32 {
    let c = count as f64;
    let r = (9.0 * c.sqrt()).min(32.0 * (c / largest.max(1) as f64).sqrt());
    r.max(6.0).round() as i32
}

/// The axes run a little beyond 0 and 1, so dots at the edges show whole.
const PAD: f64 = 0.04;

impl Figure for ReliabilityChart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let colour = palette::series(0);
        let legend = Legend::new(vec![
            LegendEntry::new("calibrated", LegendMark::Dashed(palette::GREY)),
            LegendEntry::new("bin (n questions)", LegendMark::Point(colour)),
            LegendEntry::new("95% interval", LegendMark::Line(palette::NEUTRAL)),
        ]);
        let plot = layout::frame(area, &self.title, self.subtitle.as_deref(), &legend)?;
        let x_axis = Axis::new("mean forecast probability", ValueFormat::PERCENT);
        let y_axis = Axis::new("share that happened", ValueFormat::PERCENT);
        let x_area =
            (layout::line_height(font::TICK) + layout::line_height(font::AXIS) + 28) as u32;
        let range = (-PAD, 1.0 + PAD);
        let mut chart = layout::cartesian(&plot, range, range, x_area)?;
        layout::mesh(
            &mut chart,
            Some((&x_axis, 10)),
            &y_axis,
            palette::GRID.stroke_width(1),
        )?;
        chart.draw_series(DashedLineSeries::new(
            [(0.0, 0.0), (1.0, 1.0)],
            10,
            7,
            palette::GREY.stroke_width(3),
        ))?;
        let largest = self.bins.iter().map(|b| b.count).max().unwrap_or(1);
        let whisker = palette::NEUTRAL.stroke_width(2);
        for b in &self.bins {
            let x = b.mean_forecast;
            let [lo, hi] = b.observed_ci95;
            chart.draw_series([PathElement::new(vec![(x, lo), (x, hi)], whisker)])?;
            for y in [lo, hi] {
                let (px, py) = chart.backend_coord(&(x, y));
                let base = plot.get_base_pixel();
                plot.draw(&PathElement::new(
                    vec![
                        (px - base.0 - 8, py - base.1),
                        (px - base.0 + 8, py - base.1),
                    ],
                    whisker,
                ))?;
            }
        }
        // Counts go to the right of their dot; to its left at the right edge
        // (so they stay inside the plot), and then also for a neighbour at
        // about the same height whose label would run into it.
        let mut left = vec![false; self.bins.len()];
        for i in (0..self.bins.len()).rev() {
            let b = &self.bins[i];
            left[i] = b.mean_forecast > 0.93
                || self.bins.get(i + 1).is_some_and(|n| {
                    left[i + 1]
                        && n.mean_forecast - b.mean_forecast < 0.2
                        && (n.observed - b.observed).abs() < 0.06
                });
        }
        for (b, &left) in self.bins.iter().zip(&left) {
            let r = radius(b.count, largest);
            let at = (b.mean_forecast, b.observed);
            chart.draw_series([Circle::new(at, r, colour.filled())])?;
            chart.draw_series([Circle::new(at, r, palette::BACKGROUND.stroke_width(2))])?;
            let (px, py) = chart.backend_coord(&at);
            let style = font::bold(font::VALUE, palette::TEXT).pos(Pos::new(
                if left { HPos::Right } else { HPos::Left },
                VPos::Center,
            ));
            let dx = if left { -(r + 6) } else { r + 6 };
            layout::text_at(&plot, &format!("n={}", b.count), &style, (px + dx, py))?;
        }
        Ok(())
    }
}

/// The reliability diagram of a score.
pub fn reliability_chart(s: &Scoring) -> ReliabilityChart {
    ReliabilityChart {
        title: "Reliability of the forecasts".into(),
        subtitle: Some(format!(
            "{} resolved questions from {} forecast file(s), {} happened. Each dot is a bin of \
             forecasts (0-10%, 10-20%, ...) at its mean forecast and the share of its questions \
             that happened; dots on the dashed diagonal are calibrated, dots above it mean the \
             events happened more often than forecast. Whiskers: 95% Wilson interval; dot area: \
             questions in the bin.",
            thousands(s.overall.questions as u64),
            s.forecasts.len(),
            thousands(s.overall.resolved_true as u64),
        )),
        bins: s.reliability.clone(),
    }
}

/// Renders the plots of a score (the reliability diagram) as PNG and SVG.
pub fn render_score_plots(s: &Scoring) -> Result<Vec<RunPlot>, PlotError> {
    let chart = reliability_chart(s);
    Ok(vec![RunPlot {
        name: RELIABILITY_PLOT,
        title: chart.title.clone(),
        caption: "Reliability diagram: the share of questions that happened against the mean \
                  forecast, per bin of forecast probability, with 95% Wilson intervals and the \
                  number of questions per bin; calibrated forecasts lie on the diagonal."
            .into(),
        size: RELIABILITY_SIZE,
        png: render_png(&chart, RELIABILITY_SIZE)?,
        svg: render_svg(&chart, RELIABILITY_SIZE)?,
    }])
}
