//! Line charts: several series of (x, y) points, each a line, a dashed line
//! or points, over optional shaded bands (intervals, percentile fans).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::{Axis, ValueFormat, extent};
use super::layout;
use super::legend::{Legend, LegendEntry, LegendMark};
use super::{Figure, PlotError, palette};

/// How a series is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    /// A solid line.
    Solid,
    /// A dashed line (to tell series apart without colour).
    Dashed,
    /// Points only (values known at a few x, e.g. only at the horizon).
    Points,
}

/// One series.
#[derive(Debug, Clone, PartialEq)]
pub struct LineSeries {
    /// Name in the legend (empty: not in the legend).
    pub label: String,
    /// Colour.
    pub color: RGBColor,
    /// Points in x order.
    pub points: Vec<(f64, f64)>,
    /// Line or points.
    pub style: LineStyle,
    /// Line width in pixels (points get a radius of width + 4).
    pub width: u32,
}

impl LineSeries {
    /// A solid line three pixels wide.
    pub fn line(label: impl Into<String>, color: RGBColor, points: Vec<(f64, f64)>) -> Self {
        LineSeries {
            label: label.into(),
            color,
            points,
            style: LineStyle::Solid,
            width: 3,
        }
    }
}

/// A shaded band between a lower and an upper curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Name in the legend (empty: not in the legend).
    pub label: String,
    /// Fill colour. Prefer an opaque tint ([`palette::tint`]) when bands
    /// nest, so the legend shows exactly the colour on the plot.
    pub color: RGBColor,
    /// Opacity of the fill, 0..=1 (1: opaque).
    pub opacity: f64,
    /// x of each point.
    pub x: Vec<f64>,
    /// Lower curve.
    pub lower: Vec<f64>,
    /// Upper curve.
    pub upper: Vec<f64>,
}

/// A chart of lines over bands; bands are drawn first, in order, then lines.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// Title.
    pub title: String,
    /// How to read it.
    pub subtitle: Option<String>,
    /// Horizontal axis.
    pub x: Axis,
    /// Approximate number of x ticks.
    pub x_ticks: usize,
    /// Vertical axis (range padded 5% beyond the data unless fixed).
    pub y: Axis,
    /// Bands.
    pub bands: Vec<Band>,
    /// Series.
    pub series: Vec<LineSeries>,
    /// Legend; by default the labelled bands then the labelled series.
    pub legend: Option<Legend>,
    /// Draws a thin line at y = 0 when it lies inside the range.
    pub zero_line: bool,
}

impl LineChart {
    /// A chart with no data, no titles and axes fitted to data: a base for
    /// struct update syntax.
    pub fn empty() -> LineChart {
        LineChart {
            title: String::new(),
            subtitle: None,
            x: Axis::new("", ValueFormat::INTEGER),
            x_ticks: 10,
            y: Axis::new("", ValueFormat::INTEGER),
            bands: Vec::new(),
            series: Vec::new(),
            legend: None,
            zero_line: false,
        }
    }

    fn legend(&self) -> Legend {
        match &self.legend {
            Some(l) => l.clone(),
            None => self.default_legend(),
        }
    }

    /// The legend drawn when none is given: labelled series, then labelled
    /// bands, in their order.
    pub fn default_legend(&self) -> Legend {
        let mut entries: Vec<LegendEntry> = self
            .series
            .iter()
            .filter(|s| !s.label.is_empty())
            .map(|s| {
                let mark = match s.style {
                    LineStyle::Solid => LegendMark::Line(s.color),
                    LineStyle::Dashed => LegendMark::Dashed(s.color),
                    LineStyle::Points => LegendMark::Point(s.color),
                };
                LegendEntry::new(&s.label, mark)
            })
            .collect();
        entries.extend(self.bands.iter().filter(|b| !b.label.is_empty()).map(|b| {
            let c = if b.opacity >= 1.0 {
                b.color
            } else {
                palette::tint(b.color, 1.0 - b.opacity)
            };
            LegendEntry::new(&b.label, LegendMark::Box(c))
        }));
        Legend::new(entries)
    }
}

impl Figure for LineChart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let plot = layout::frame(area, &self.title, self.subtitle.as_deref(), &self.legend())?;
        let xs = extent(
            self.series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.0))
                .chain(self.bands.iter().flat_map(|b| b.x.iter().copied())),
        );
        let ys = extent(
            self.series
                .iter()
                .flat_map(|s| s.points.iter().map(|p| p.1))
                .chain(
                    self.bands
                        .iter()
                        .flat_map(|b| b.lower.iter().chain(&b.upper).copied()),
                ),
        );
        let (x0, x1) = self.x.resolve(xs, 0.0);
        let (y0, y1) = self.y.resolve(ys, 0.05);
        let x_area = (layout::line_height(super::font::TICK)
            + layout::line_height(super::font::AXIS)
            + 28) as u32
            + layout::hand_placed_extra_height(&self.x);
        let mut chart = layout::cartesian(&plot, (x0, x1), (y0, y1), x_area)?;
        layout::mesh(
            &mut chart,
            Some((&self.x, self.x_ticks)),
            &self.y,
            palette::GRID.stroke_width(1),
        )?;
        layout::hand_placed_x_ticks(&plot, &chart, &self.x)?;

        for b in &self.bands {
            let mut pts: Vec<(f64, f64)> =
                b.x.iter().copied().zip(b.upper.iter().copied()).collect();
            pts.extend(b.x.iter().copied().zip(b.lower.iter().copied()).rev());
            let style = if b.opacity >= 1.0 {
                b.color.filled()
            } else {
                b.color.mix(b.opacity).filled()
            };
            chart.draw_series([Polygon::new(pts, style)])?;
        }
        if self.zero_line && y0 < 0.0 && y1 > 0.0 {
            chart.draw_series([PathElement::new(
                vec![(x0, 0.0), (x1, 0.0)],
                palette::AXIS.stroke_width(1),
            )])?;
        }
        for s in &self.series {
            let stroke = s.color.stroke_width(s.width);
            match s.style {
                LineStyle::Solid => {
                    chart.draw_series(plotters::series::LineSeries::new(
                        s.points.iter().copied(),
                        stroke,
                    ))?;
                }
                LineStyle::Dashed => {
                    chart.draw_series(DashedLineSeries::new(
                        s.points.iter().copied(),
                        10,
                        7,
                        stroke,
                    ))?;
                }
                LineStyle::Points => {
                    let r = s.width + 4;
                    chart.draw_series(
                        s.points
                            .iter()
                            .map(|&p| Circle::new(p, r, s.color.filled())),
                    )?;
                }
            }
        }
        Ok(())
    }
}
