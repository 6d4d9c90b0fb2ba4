//! Legends: entries with a mark and a label, drawn in a column beside the
//! plot so they never cover data.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::PlotError;
use super::font;
use super::palette;

/// How a legend entry shows its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendMark {
    /// A filled box (bars, areas, bands, heat-map cells).
    Box(RGBColor),
    /// A solid line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// A dot (values drawn as points).
    Point(RGBColor),
    /// A hollow dot (a point drawn as a ring, e.g. an interval that
    /// includes zero).
    Ring(RGBColor),
}

/// One entry of a legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendEntry {
    /// What the entry stands for.
    pub label: String,
    /// How the series is drawn.
    pub mark: LegendMark,
}

impl LegendEntry {
    /// An entry with a mark and a label.
    pub fn new(label: impl Into<String>, mark: LegendMark) -> LegendEntry {
        LegendEntry {
            label: label.into(),
            mark,
        }
    }
}

/// A legend: an optional heading and entries, top to bottom.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Legend {
    /// Heading above the entries (e.g. `Outcome`).
    pub title: Option<String>,
    /// Entries in display order.
    pub entries: Vec<LegendEntry>,
}

impl Legend {
    /// A legend with entries and no heading.
    pub fn new(entries: Vec<LegendEntry>) -> Legend {
        Legend {
            title: None,
            entries,
        }
    }

    /// The same legend with a heading.
    pub fn titled(mut self, title: impl Into<String>) -> Legend {
        self.title = Some(title.into());
        self
    }

    /// True when there is nothing to draw.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

const MARK_W: i32 = 34;
const GAP: i32 = 12;
const PAD: i32 = 20;

fn row_height() -> i32 {
    (font::LEGEND * 1.5).round() as i32
}

/// Width in pixels the legend needs.
pub(crate) fn width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &Legend,
) -> Result<u32, PlotError> {
    let style = font::text(font::LEGEND, palette::TEXT);
    let bold = font::bold(font::LEGEND, palette::TEXT);
    let mut w = 0;
    for e in &legend.entries {
        w = w.max(area.estimate_text_size(&e.label, &style)?.0 as i32 + MARK_W + GAP);
    }
    if let Some(t) = &legend.title {
        w = w.max(area.estimate_text_size(t, &bold)?.0 as i32);
    }
    // Extra room on the right keeps the longest label off the image edge.
    Ok((w + 2 * PAD + 8) as u32)
}

/// Draws the legend in `area` from `top` pixels down.
pub(crate) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &Legend,
    top: i32,
) -> Result<(), PlotError> {
    let style = font::text(font::LEGEND, palette::TEXT).pos(Pos::new(HPos::Left, VPos::Center));
    let rh = row_height();
    let mut y = top + rh / 2;
    if let Some(t) = &legend.title {
        let bold = font::bold(font::LEGEND, palette::TEXT).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(t, &bold, (PAD, y))?;
        y += rh;
    }
    for e in &legend.entries {
        draw_mark(area, e.mark, (PAD, PAD + MARK_W), y)?;
        area.draw_text(&e.label, &style, (PAD + MARK_W + GAP, y))?;
        y += rh;
    }
    Ok(())
}

/// Draws the legend as one line of entries from `(left, y)` (y is the
/// line's centre), wrapping onto further lines at `right`; returns the
/// height used. For charts that need their full width for data.
pub(crate) fn draw_inline<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &Legend,
    (left, right): (i32, i32),
    y: i32,
) -> Result<i32, PlotError> {
    if legend.is_empty() {
        return Ok(0);
    }
    let style = font::text(font::LEGEND, palette::TEXT).pos(Pos::new(HPos::Left, VPos::Center));
    let rh = row_height();
    let first = y;
    let (mut x, mut y) = (left, y);
    if let Some(t) = &legend.title {
        let bold = font::bold(font::LEGEND, palette::TEXT).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(t, &bold, (x, y))?;
        x += area.estimate_text_size(t, &bold)?.0 as i32 + 2 * GAP;
    }
    for e in &legend.entries {
        let w = MARK_W + GAP + area.estimate_text_size(&e.label, &style)?.0 as i32;
        if x > left && x + w > right {
            x = left;
            y += rh;
        }
        draw_mark(area, e.mark, (x, x + MARK_W), y)?;
        area.draw_text(&e.label, &style, (x + MARK_W + GAP, y))?;
        x += w + 2 * GAP;
    }
    Ok(y - first + rh)
}

fn draw_mark<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    mark: LegendMark,
    (x0, x1): (i32, i32),
    y: i32,
) -> Result<(), PlotError> {
    match mark {
        LegendMark::Box(c) => {
            area.draw(&Rectangle::new(
                [(x0 + 4, y - 9), (x1 - 4, y + 9)],
                c.filled(),
            ))?;
        }
        LegendMark::Line(c) => {
            area.draw(&PathElement::new(vec![(x0, y), (x1, y)], c.stroke_width(4)))?;
        }
        LegendMark::Dashed(c) => {
            for k in 0..3 {
                let a = x0 + k * 13;
                area.draw(&PathElement::new(
                    vec![(a, y), ((a + 8).min(x1), y)],
                    c.stroke_width(4),
                ))?;
            }
        }
        LegendMark::Point(c) => {
            area.draw(&Circle::new(((x0 + x1) / 2, y), 7, c.filled()))?;
        }
        LegendMark::Ring(c) => {
            let centre = ((x0 + x1) / 2, y);
            area.draw(&Circle::new(centre, 7, palette::BACKGROUND.filled()))?;
            area.draw(&Circle::new(centre, 7, c.stroke_width(3)))?;
        }
    }
    Ok(())
}
