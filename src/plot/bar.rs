//! Bar charts: one bar per category, or groups of bars (one per series) per
//! category, with optional interval whiskers and value labels. Bars are
//! plain rectangles (not plotters' `Histogram`, whose SVG element order
//! follows a hash map).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{Axis, ValueFormat, extent};
use super::layout::{self, MARGIN, line_height};
use super::legend::{Legend, LegendEntry, LegendMark};
use super::{Figure, PlotError, font, palette};

/// How the bars of a series are coloured.
#[derive(Debug, Clone, PartialEq)]
pub enum Fill {
    /// Every bar of the series in one colour (the series' legend colour).
    Uniform(RGBColor),
    /// One colour per category (e.g. each outcome in its own colour).
    PerCategory(Vec<RGBColor>),
}

impl Fill {
    fn at(&self, i: usize) -> RGBColor {
        match self {
            Fill::Uniform(c) => *c,
            Fill::PerCategory(cs) => cs.get(i).copied().unwrap_or(palette::NEUTRAL),
        }
    }
}

/// One series of bars: a value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    /// Name in the legend (shown when there are several series).
    pub label: String,
    /// Bar heights, one per category.
    pub values: Vec<f64>,
    /// Optional (low, high) interval per category, drawn as a whisker.
    pub intervals: Option<Vec<(f64, f64)>>,
    /// Colours.
    pub fill: Fill,
}

/// A bar chart over categories, with one or more series side by side.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    /// Title.
    pub title: String,
    /// How to read it (wrapped under the title).
    pub subtitle: Option<String>,
    /// Category labels along the x axis (long ones wrap onto two lines).
    pub categories: Vec<String>,
    /// Description of the categories, under their labels.
    pub x_label: String,
    /// Value axis; its range defaults to zero up to the highest bar or
    /// whisker plus room for labels (capped at 100% for percentages).
    pub y: Axis,
    /// Series drawn side by side within each category.
    pub series: Vec<BarSeries>,
    /// Writes each value above its bar (or whisker) in this format.
    pub value_labels: Option<ValueFormat>,
    /// Legend; by default one entry per series when there are several.
    pub legend: Option<Legend>,
}

impl BarChart {
    fn legend(&self) -> Legend {
        if let Some(l) = &self.legend {
            return l.clone();
        }
        if self.series.len() < 2 {
            return Legend::default();
        }
        Legend::new(
            self.series
                .iter()
                .map(|s| LegendEntry::new(&s.label, LegendMark::Box(s.fill.at(0))))
                .collect(),
        )
    }

    fn top(&self, i: usize, k: usize) -> f64 {
        let s = &self.series[k];
        let v = s.values.get(i).copied().unwrap_or(0.0);
        s.intervals
            .as_ref()
            .and_then(|iv| iv.get(i))
            .map_or(v, |&(_, hi)| hi.max(v))
    }
}

/// Smallest size at which value labels are still drawn.
const MIN_LABEL_SIZE: f64 = 13.0;

impl BarChart {
    fn draw_value_labels<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        chart: &layout::Chart<'_, DB>,
        fmt: ValueFormat,
        size: f64,
        (y1, width, group): (f64, f64, f64),
    ) -> Result<(), PlotError> {
        let label_h = line_height(size);
        let (_, plot_top) = chart.backend_coord(&(0.0, y1));
        for (k, s) in self.series.iter().enumerate() {
            for (i, &v) in s.values.iter().enumerate() {
                let text = fmt.format_nonzero(v);
                let x = i as f64 - group / 2.0 + (k as f64 + 0.5) * width;
                let (px, py) = chart.backend_coord(&(x, self.top(i, k)));
                if py - 8 - label_h >= plot_top {
                    let st =
                        font::text(size, palette::TEXT).pos(Pos::new(HPos::Center, VPos::Bottom));
                    layout::text_at(area, &text, &st, (px, py - 8))?;
                } else {
                    // No room above: write it inside the bar, under its top,
                    // in a colour that contrasts with the bar.
                    let (_, vy) = chart.backend_coord(&(x, v));
                    let st = font::text(size, palette::text_on(s.fill.at(i)))
                        .pos(Pos::new(HPos::Center, VPos::Top));
                    layout::text_at(area, &text, &st, (px, vy.max(plot_top) + 8))?;
                }
            }
        }
        Ok(())
    }
}

impl Figure for BarChart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let plot = layout::frame(area, &self.title, self.subtitle.as_deref(), &self.legend())?;
        let n = self.categories.len().max(1);
        let m = self.series.len().max(1);
        let (lo, hi) = extent(
            self.series
                .iter()
                .flat_map(|s| {
                    let iv = s.intervals.iter().flatten().flat_map(|&(a, b)| [a, b]);
                    s.values.iter().copied().chain(iv)
                })
                .chain([0.0]),
        );
        let (y0, y1) = match self.y.range {
            Some(r) => r,
            None => {
                let headroom = if self.value_labels.is_some() {
                    0.14
                } else {
                    0.05
                };
                let mut y1 = hi + headroom * (hi - lo).max(f64::MIN_POSITIVE);
                if matches!(self.y.format, ValueFormat::Percent { .. }) && hi <= 1.0 {
                    y1 = y1.min(1.0);
                }
                if y1 <= lo {
                    y1 = lo + 1.0;
                }
                (lo, y1)
            }
        };

        // Category labels wrap to the width of a group; the room under the
        // axis fits the longest of them and the axis description.
        let tick = font::text(font::TICK, palette::TEXT).pos(Pos::new(HPos::Center, VPos::Top));
        let plot_w = plot.dim_in_pixel().0 as i32;
        let slot = ((plot_w - layout::Y_LABEL_AREA as i32 - 3 * MARGIN / 2) / n as i32 - 10).max(20)
            as u32;
        let mut wrapped = Vec::with_capacity(n);
        for label in &self.categories {
            wrapped.push(layout::wrap(&plot, label, &tick, slot)?);
        }
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) as i32;
        let x_area = (lines * line_height(font::TICK) + line_height(font::AXIS) + 28) as u32;
        let mut chart = layout::cartesian(&plot, (-0.5, n as f64 - 0.5), (y0, y1), x_area)?;
        layout::mesh(&mut chart, None, &self.y, palette::GRID.stroke_width(1))?;

        let group = 0.8;
        let width = group / m as f64;
        let base = 0.0f64.clamp(y0, y1);
        let x_of = |i: usize, k: usize| i as f64 - group / 2.0 + (k as f64 + 0.5) * width;
        let inset = width * 0.06;

        for (k, s) in self.series.iter().enumerate() {
            chart.draw_series(s.values.iter().enumerate().map(|(i, &v)| {
                let x = x_of(i, k);
                Rectangle::new(
                    [
                        (x - width / 2.0 + inset, base),
                        (x + width / 2.0 - inset, v),
                    ],
                    s.fill.at(i).filled(),
                )
            }))?;
        }

        let px_width = {
            let (a, _) = chart.backend_coord(&(0.0, y0));
            let (b, _) = chart.backend_coord(&(width, y0));
            (b - a).max(1)
        };
        let cap = (px_width / 5).clamp(4, 12);
        let whisker = palette::TEXT.stroke_width(2);
        for (k, s) in self.series.iter().enumerate() {
            let Some(iv) = &s.intervals else { continue };
            for (i, &(a, b)) in iv.iter().enumerate() {
                let x = x_of(i, k);
                chart.draw_series([PathElement::new(vec![(x, a), (x, b)], whisker)])?;
                for end in [a, b] {
                    chart.draw_series([EmptyElement::at((x, end))
                        + PathElement::new(vec![(-cap, 0), (cap, 0)], whisker)])?;
                }
            }
        }

        if let Some(fmt) = self.value_labels {
            // Labels shrink to the width of a bar; below a legible size they
            // are left out (narrow groups of many series), whiskers remain.
            let mut widest = 1;
            let probe = font::text(font::VALUE, palette::TEXT);
            for s in &self.series {
                for &v in &s.values {
                    widest = widest.max(area.estimate_text_size(&fmt.format_nonzero(v), &probe)?.0);
                }
            }
            let fit = font::VALUE * f64::from((px_width - 4).max(1)) / f64::from(widest);
            let size = fit.min(font::VALUE);
            if size >= MIN_LABEL_SIZE {
                self.draw_value_labels(area, &chart, fmt, size, (y1, width, group))?;
            }
        }

        for (i, lines) in wrapped.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(i as f64, y0));
            for (j, line) in lines.iter().enumerate() {
                let y = py + 12 + j as i32 * line_height(font::TICK);
                layout::text_at(area, line, &tick, (px, y))?;
            }
        }
        let desc = font::text(font::AXIS, palette::TEXT).pos(Pos::new(HPos::Center, VPos::Bottom));
        let (left, bottom) = chart.backend_coord(&(-0.5, y0));
        let (right, _) = chart.backend_coord(&(n as f64 - 0.5, y0));
        layout::text_at(
            area,
            &self.x_label,
            &desc,
            ((left + right) / 2, bottom + x_area as i32 - 4),
        )?;
        Ok(())
    }
}
