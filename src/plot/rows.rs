//! Row charts: one labelled row per item down the figure, each holding one
//! or more marks (dots, bars or ranges with interval whiskers) against a
//! horizontal value axis. Rows may be grouped under headings, a reference
//! line (e.g. zero) runs through them, a band can show each mark's possible
//! range, and a column on the right holds a note per row. With dots, a zero
//! line and hollow marks for intervals that include zero it is a forest plot
//! of differences; with bars it is a horizontal bar chart whose long labels
//! (parameter paths) stay readable.
//!
//! Values outside the axis range are clipped to it and the clipped end is
//! drawn as an arrowhead, so a wild interval never hides the others.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::{Axis, extent};
use super::layout::{self, MARGIN, PLOT_TOP, line_height};
use super::legend::{self, Legend};
use super::{Figure, PlotError, font, palette};

/// How a mark shows its value and interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkStyle {
    /// A dot at the value with the interval as a whisker in the same
    /// colour (forest plots).
    Dot,
    /// A bar from the chart's base to the value, with the interval as a
    /// dark whisker.
    Bar,
    /// A thick bar over the interval (a range, e.g. a box's bounds), with
    /// a tick at the value if there is one.
    Range,
}

/// One mark of a row: a value and/or an interval.
#[derive(Debug, Clone, PartialEq)]
pub struct RowMark {
    /// The value (dot position, bar end, tick of a range).
    pub value: Option<f64>,
    /// `(low, high)` of the whisker, or of the range.
    pub interval: Option<(f64, f64)>,
    /// Colour.
    pub color: RGBColor,
    /// How it is drawn.
    pub style: MarkStyle,
    /// Draws a dot as a ring (e.g. an interval that includes zero).
    pub hollow: bool,
}

impl RowMark {
    /// A filled dot with a whisker.
    pub fn dot(value: f64, interval: (f64, f64), color: RGBColor) -> RowMark {
        RowMark {
            value: Some(value),
            interval: Some(interval),
            color,
            style: MarkStyle::Dot,
            hollow: false,
        }
    }

    /// A bar with an optional whisker.
    pub fn bar(value: f64, interval: Option<(f64, f64)>, color: RGBColor) -> RowMark {
        RowMark {
            value: Some(value),
            interval,
            color,
            style: MarkStyle::Bar,
            hollow: false,
        }
    }

    /// A range from `low` to `high`.
    pub fn range(low: f64, high: f64, color: RGBColor) -> RowMark {
        RowMark {
            value: None,
            interval: Some((low, high)),
            color,
            style: MarkStyle::Range,
            hollow: false,
        }
    }
}

/// One row: a label on the left, marks stacked top to bottom, a note on
/// the right.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Label, right-aligned against the plot.
    pub label: String,
    /// Marks, each on its own line within the row.
    pub marks: Vec<RowMark>,
    /// Text in the notes column (e.g. the value and its interval).
    pub note: Option<String>,
}

/// Rows under an optional heading.
#[derive(Debug, Clone, PartialEq)]
pub struct RowGroup {
    /// Heading, in bold above the rows.
    pub heading: Option<String>,
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
}

/// A chart of labelled rows against a horizontal value axis.
#[derive(Debug, Clone, PartialEq)]
pub struct RowChart {
    /// Title.
    pub title: String,
    /// How to read it.
    pub subtitle: Option<String>,
    /// The value axis (horizontal); its range defaults to the data, the
    /// reference and the bar base, padded 4% on each side.
    pub x: Axis,
    /// Approximate number of ticks.
    pub x_ticks: usize,
    /// The groups of rows, top to bottom.
    pub groups: Vec<RowGroup>,
    /// A vertical reference line (e.g. zero for differences).
    pub reference: Option<f64>,
    /// Where bars start.
    pub bar_base: f64,
    /// A light band behind every mark over this range (e.g. the full range
    /// of a parameter, 0 to 1 when normalised).
    pub track: Option<(f64, f64)>,
    /// Heading of the notes column.
    pub note_heading: Option<String>,
    /// Legend, drawn in a line under the title so that the rows keep the
    /// full width.
    pub legend: Legend,
}

/// Vertical room of a heading, in units of one mark line.
const HEADING_UNITS: f64 = 1.4;
/// Room around the marks of a row, in units of one mark line.
const ROW_PAD_UNITS: f64 = 0.5;
/// Pixels per unit the chart aims for when sizing itself.
const NATURAL_UNIT_PX: f64 = 27.0;

impl RowChart {
    /// Height of the rows in units of one mark line.
    fn units(&self) -> f64 {
        self.groups
            .iter()
            .map(|g| {
                let head = if g.heading.is_some() {
                    HEADING_UNITS
                } else {
                    0.0
                };
                head + g
                    .rows
                    .iter()
                    .map(|r| r.marks.len().max(1) as f64 + ROW_PAD_UNITS)
                    .sum::<f64>()
            })
            .sum::<f64>()
            .max(1.0)
    }

    /// A height in pixels at which a figure `width` pixels wide shows every
    /// row at a comfortable size (the title block and axis included).
    pub fn natural_height(&self, width: u32) -> u32 {
        font::register();
        let measure = |size: f64, bold: bool| {
            let style = if bold {
                font::bold(size, palette::TEXT)
            } else {
                font::text(size, palette::TEXT)
            };
            move |s: &str| style.font.box_size(s).map_or(0, |(w, _)| w)
        };
        let max = width.saturating_sub(2 * MARGIN as u32);
        let title_lines = layout::wrap_with(&self.title, max, measure(font::TITLE, true)).len();
        let sub_lines = self.subtitle.as_deref().map_or(0, |s| {
            layout::wrap_with(s, max, measure(font::SUBTITLE, false)).len()
        });
        let head = 16
            + title_lines as i32 * line_height(font::TITLE)
            + 4
            + sub_lines as i32 * line_height(font::SUBTITLE)
            + 6;
        let legend_h = if self.legend.is_empty() {
            0
        } else {
            line_height(font::LEGEND) * 2
        };
        let rows = (self.units() * NATURAL_UNIT_PX).ceil() as i32;
        (head + legend_h + self.top_room() + rows + self.x_area() as i32 + 10).max(200) as u32
    }

    fn top_room(&self) -> i32 {
        if self.note_heading.is_some() {
            PLOT_TOP + line_height(font::TICK)
        } else {
            PLOT_TOP
        }
    }

    fn x_area(&self) -> u32 {
        (line_height(font::TICK) + line_height(font::AXIS) + 28) as u32
    }

    fn x_range(&self) -> (f64, f64) {
        let marks = self
            .groups
            .iter()
            .flat_map(|g| &g.rows)
            .flat_map(|r| &r.marks);
        let mut values: Vec<f64> = Vec::new();
        for m in marks {
            values.extend(m.value);
            if let Some((a, b)) = m.interval {
                values.extend([a, b]);
            }
            if m.style == MarkStyle::Bar {
                values.push(self.bar_base);
            }
        }
        values.extend(self.reference);
        if let Some((a, b)) = self.track {
            values.extend([a, b]);
        }
        self.x.resolve(extent(values), 0.04)
    }
}

impl Figure for RowChart {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let body = layout::frame(
            area,
            &self.title,
            self.subtitle.as_deref(),
            &Legend::default(),
        )?;
        let (bw, _) = body.dim_in_pixel();
        let legend_h = legend::draw_inline(
            &body,
            &self.legend,
            (MARGIN, bw as i32 - MARGIN),
            line_height(font::LEGEND) / 2 + 4,
        )?;
        let (_, plot) = body.split_vertically(if legend_h > 0 { legend_h + 8 } else { 0 });

        // Columns: labels on the left, notes on the right.
        let tick = font::text(font::TICK, palette::TEXT);
        let bold = font::bold(font::TICK, palette::TEXT);
        let mut label_w = 0;
        let mut note_w = 0;
        // Labels take at most 42% of the width, so the marks keep room; a
        // longer label is cut with an ellipsis.
        let cap = (f64::from(plot.dim_in_pixel().0) * 0.42) as i32;
        let fit = |text: &str| -> Result<String, PlotError> {
            if plot.estimate_text_size(text, &tick)?.0 as i32 <= cap {
                return Ok(text.to_string());
            }
            let chars: Vec<char> = text.chars().collect();
            let mut n = chars.len();
            while n > 1 {
                n -= 1;
                let cut: String = chars[..n].iter().collect();
                let cut = format!("{}…", cut.trim_end());
                if plot.estimate_text_size(&cut, &tick)?.0 as i32 <= cap {
                    return Ok(cut);
                }
            }
            Ok("…".to_string())
        };
        // Each row's label as drawn, in the order of the groups' rows.
        let mut fitted = Vec::new();
        for g in &self.groups {
            for r in &g.rows {
                let label = fit(&r.label)?;
                label_w = label_w.max(plot.estimate_text_size(&label, &tick)?.0 as i32);
                fitted.push(label);
                if let Some(n) = &r.note {
                    note_w = note_w.max(plot.estimate_text_size(n, &tick)?.0 as i32);
                }
            }
        }
        if let Some(h) = &self.note_heading {
            note_w = note_w.max(plot.estimate_text_size(h, &bold)?.0 as i32);
        }
        // Headings start at the left edge of the label column and must end
        // before the axis.
        for h in self.groups.iter().filter_map(|g| g.heading.as_ref()) {
            label_w = label_w.max(plot.estimate_text_size(h, &bold)?.0 as i32);
        }
        let right = if note_w > 0 { note_w + 28 } else { 0 } + MARGIN;
        let (x0, x1) = self.x_range();
        let units = self.units();
        let mut chart = ChartBuilder::on(&plot)
            .margin_top(self.top_room() as u32)
            .margin_right(right as u32)
            .margin_left(MARGIN as u32 / 2)
            .margin_bottom(6)
            .x_label_area_size(self.x_area())
            .y_label_area_size((label_w + 20) as u32)
            .build_cartesian_2d(x0..x1, 0.0..units)?;

        let (_, top_px) = chart.backend_coord(&(x0, units));
        let (_, bottom_px) = chart.backend_coord(&(x0, 0.0));
        let unit_px = f64::from(bottom_px - top_px) / units;
        let thickness = (unit_px * 0.62).round().clamp(4.0, 24.0) as i32;

        // Lay the rows out from the top; y counts units up from the bottom.
        let mut cursor = 0.0;
        let mut headings = Vec::new();
        let mut rows: Vec<(&Row, Vec<f64>, (f64, f64))> = Vec::new();
        for g in &self.groups {
            if let Some(h) = &g.heading {
                headings.push((h, units - cursor - HEADING_UNITS * 0.55));
                cursor += HEADING_UNITS;
            }
            for r in &g.rows {
                let start = cursor;
                let lines = (0..r.marks.len())
                    .map(|s| units - (cursor + ROW_PAD_UNITS / 2.0 + s as f64 + 0.5))
                    .collect();
                cursor += r.marks.len().max(1) as f64 + ROW_PAD_UNITS;
                rows.push((r, lines, (units - cursor, units - start)));
            }
        }

        // Behind everything: alternate rows shaded, or each mark's track.
        let pen = Pen {
            area,
            x: (x0, x1),
            thickness,
        };
        for (i, (row, lines, (lo, hi))) in rows.iter().enumerate() {
            if let Some(track) = self.track {
                for &y in lines {
                    pen.band(&chart, track, y, palette::TRACK)?;
                }
            } else if i % 2 == 1 && !row.marks.is_empty() {
                chart.draw_series([Rectangle::new(
                    [(x0, *lo), (x1, *hi)],
                    palette::ZEBRA.filled(),
                )])?;
            }
        }
        let xf = |v: &f64| self.x.format.format(*v);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .bold_line_style(palette::GRID.stroke_width(1))
            .max_light_lines(0)
            .axis_style(palette::AXIS.stroke_width(2))
            .label_style(font::text(font::TICK, palette::TEXT))
            .axis_desc_style(font::text(font::AXIS, palette::TEXT))
            .set_all_tick_mark_size(6)
            .x_desc(self.x.label.as_str())
            .x_labels(self.x_ticks)
            .x_label_formatter(&xf)
            .draw()?;
        if let Some(r) = self.reference.filter(|r| (x0..=x1).contains(r)) {
            chart.draw_series([PathElement::new(
                vec![(r, 0.0), (r, units)],
                palette::AXIS.stroke_width(2),
            )])?;
        }
        for (row, lines, _) in &rows {
            for (m, &y) in row.marks.iter().zip(lines) {
                pen.mark(&chart, m, y, self.bar_base)?;
            }
        }

        // Text: headings with a rule above, labels, notes.
        let (left_px, _) = chart.backend_coord(&(x0, 0.0));
        let (right_px, _) = chart.backend_coord(&(x1, 0.0));
        let label_style = tick.pos(Pos::new(HPos::Right, VPos::Center));
        let left = Pos::new(HPos::Left, VPos::Center);
        let note_style = font::text(font::TICK, palette::TEXT).pos(left);
        let heading_style = font::bold(font::TICK, palette::TEXT).pos(left);
        let edge = plot.get_base_pixel().0 + MARGIN / 2;
        for (i, (h, y)) in headings.iter().enumerate() {
            let (_, py) = chart.backend_coord(&(x0, *y));
            layout::text_at(area, h, &heading_style, (edge, py))?;
            if i > 0 {
                let (_, ry) = chart.backend_coord(&(x0, *y + HEADING_UNITS * 0.55));
                pen.line(
                    (edge, ry),
                    (right_px + right - MARGIN, ry),
                    palette::AXIS.stroke_width(1),
                )?;
            }
        }
        // `rows` and `fitted` both follow the groups' rows in order.
        for ((row, _, (lo, hi)), label) in rows.iter().zip(&fitted) {
            let (_, py) = chart.backend_coord(&(x0, (lo + hi) / 2.0));
            layout::text_at(area, label, &label_style, (left_px - 12, py))?;
            if let Some(n) = &row.note {
                layout::text_at(area, n, &note_style, (right_px + 24, py))?;
            }
        }
        if let Some(h) = &self.note_heading {
            let st = font::bold(font::TICK, palette::TEXT).pos(Pos::new(HPos::Left, VPos::Bottom));
            layout::text_at(area, h, &st, (right_px + 24, top_px - 6))?;
        }
        Ok(())
    }
}

/// Draws marks in backend pixels onto the figure's area.
struct Pen<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, Shift>,
    /// The axis range; values beyond are clipped.
    x: (f64, f64),
    /// Thickness of a bar in pixels.
    thickness: i32,
}

impl<DB: DrawingBackend> Pen<'_, DB> {
    /// A backend pixel in the area's own coordinates.
    fn at(&self, p: (i32, i32)) -> (i32, i32) {
        let base = self.area.get_base_pixel();
        (p.0 - base.0, p.1 - base.1)
    }

    /// The backend pixel of value `v` (clipped) on the line at `y`.
    fn px(&self, chart: &layout::Chart<'_, DB>, v: f64, y: f64) -> (i32, i32) {
        chart.backend_coord(&(v.clamp(self.x.0, self.x.1), y))
    }

    fn line(&self, a: (i32, i32), b: (i32, i32), style: ShapeStyle) -> Result<(), PlotError> {
        self.area
            .draw(&PathElement::new(vec![self.at(a), self.at(b)], style))?;
        Ok(())
    }

    fn rect(&self, a: (i32, i32), b: (i32, i32), color: RGBColor) -> Result<(), PlotError> {
        self.area
            .draw(&Rectangle::new([self.at(a), self.at(b)], color.filled()))?;
        Ok(())
    }

    fn band(
        &self,
        chart: &layout::Chart<'_, DB>,
        (a, b): (f64, f64),
        y: f64,
        color: RGBColor,
    ) -> Result<(), PlotError> {
        let (pa, py) = self.px(chart, a, y);
        let (pb, _) = self.px(chart, b, y);
        let h = self.thickness / 2;
        self.rect((pa, py - h), (pb, py + h), color)
    }

    fn mark(
        &self,
        chart: &layout::Chart<'_, DB>,
        m: &RowMark,
        y: f64,
        base: f64,
    ) -> Result<(), PlotError> {
        let (x0, x1) = self.x;
        let (_, py) = self.px(chart, x0, y);
        let half = self.thickness / 2;
        // A value that could not be estimated is not drawn at all.
        let m = &RowMark {
            value: m.value.filter(|v| v.is_finite()),
            interval: m.interval.filter(|(a, b)| a.is_finite() && b.is_finite()),
            ..m.clone()
        };
        match m.style {
            MarkStyle::Bar => {
                if let Some(v) = m.value {
                    let (a, _) = self.px(chart, base, y);
                    let (b, _) = self.px(chart, v, y);
                    self.rect((a.min(b), py - half), (a.max(b), py + half), m.color)?;
                    if v > x1 || v < x0 {
                        self.arrow((b, py), v > x1, m.color, half + 3)?;
                    }
                }
                if let Some(iv) = m.interval {
                    self.whisker(chart, iv, y, palette::TEXT, 2)?;
                }
            }
            MarkStyle::Dot => {
                if let Some(iv) = m.interval {
                    self.whisker(chart, iv, y, m.color, 3)?;
                }
                if let Some(v) = m.value {
                    let (cx, _) = self.px(chart, v, y);
                    let c = self.at((cx, py));
                    let r = (half + 2).clamp(5, 9);
                    if m.hollow {
                        self.area
                            .draw(&Circle::new(c, r, palette::BACKGROUND.filled()))?;
                        self.area
                            .draw(&Circle::new(c, r, m.color.stroke_width(3)))?;
                    } else {
                        self.area.draw(&Circle::new(c, r, m.color.filled()))?;
                    }
                }
            }
            MarkStyle::Range => {
                if let Some((lo, hi)) = m.interval {
                    let (a, _) = self.px(chart, lo, y);
                    let (b, _) = self.px(chart, hi, y);
                    self.rect((a, py - half), (b.max(a + 2), py + half), m.color)?;
                }
                if let Some(v) = m.value {
                    let (cx, _) = self.px(chart, v, y);
                    self.line(
                        (cx, py - half - 4),
                        (cx, py + half + 4),
                        palette::TEXT.stroke_width(3),
                    )?;
                }
            }
        }
        Ok(())
    }

    /// A horizontal whisker with end caps, or arrowheads where it is clipped.
    fn whisker(
        &self,
        chart: &layout::Chart<'_, DB>,
        (lo, hi): (f64, f64),
        y: f64,
        color: RGBColor,
        width: u32,
    ) -> Result<(), PlotError> {
        let (x0, x1) = self.x;
        let (a, py) = self.px(chart, lo, y);
        let (b, _) = self.px(chart, hi, y);
        let style = color.stroke_width(width);
        self.line((a, py), (b, py), style)?;
        let cap = (self.thickness / 2).clamp(4, 9);
        for (end, px, out_right) in [(lo, a, false), (hi, b, true)] {
            let clipped = if out_right { end > x1 } else { end < x0 };
            if clipped {
                self.arrow((px, py), out_right, color, cap + 3)?;
            } else {
                self.line((px, py - cap), (px, py + cap), style)?;
            }
        }
        Ok(())
    }

    /// A filled triangle pointing left or right with its tip at `tip`.
    fn arrow(
        &self,
        tip: (i32, i32),
        right: bool,
        color: RGBColor,
        size: i32,
    ) -> Result<(), PlotError> {
        let back = if right { tip.0 - size } else { tip.0 + size };
        let pts = [
            tip,
            (back, tip.1 - size * 3 / 4),
            (back, tip.1 + size * 3 / 4),
        ];
        self.area.draw(&Polygon::new(
            pts.iter().map(|&p| self.at(p)).collect::<Vec<_>>(),
            color.filled(),
        ))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::legend::{LegendEntry, LegendMark};
    use crate::plot::{DEFAULT_SIZE, ValueFormat, render_png, render_svg};

    fn forest(rows: usize) -> RowChart {
        let groups = ["Deal", "Regional war"]
            .iter()
            .map(|h| RowGroup {
                heading: Some(h.to_string()),
                rows: (0..rows)
                    .map(|k| Row {
                        label: format!("scenario-{k}"),
                        marks: vec![RowMark {
                            hollow: k % 2 == 0,
                            ..RowMark::dot(0.05 * k as f64, (-0.02, 0.1), palette::series(k))
                        }],
                        note: Some(format!("+{k}.0 [-2.0, +10.0]")),
                    })
                    .collect(),
            })
            .collect();
        RowChart {
            title: "Forest".into(),
            subtitle: Some("A subtitle".into()),
            x: Axis::new("difference (pp)", ValueFormat::Points { decimals: 0 }),
            x_ticks: 8,
            groups,
            reference: Some(0.0),
            bar_base: 0.0,
            track: None,
            note_heading: Some("pp".into()),
            legend: Legend::new(vec![LegendEntry::new(
                "includes 0",
                LegendMark::Ring(palette::NEUTRAL),
            )]),
        }
    }

    #[test]
    fn renders_the_same_bytes_twice_and_keeps_text() {
        let chart = forest(3);
        let a = render_png(&chart, DEFAULT_SIZE).unwrap();
        assert_eq!(a, render_png(&chart, DEFAULT_SIZE).unwrap());
        let svg = render_svg(&chart, DEFAULT_SIZE).unwrap();
        assert_eq!(svg, render_svg(&chart, DEFAULT_SIZE).unwrap());
        for text in [
            "Regional war",
            "scenario-2",
            "+2.0 [-2.0, +10.0]",
            "includes 0",
        ] {
            assert!(svg.contains(text), "{text}");
        }
    }

    #[test]
    fn natural_height_grows_with_the_rows() {
        let (few, many) = (forest(2), forest(8));
        assert!(many.natural_height(1200) > few.natural_height(1200) + 200);
        assert!(few.natural_height(1200) >= 200);
    }

    #[test]
    fn survives_degenerate_and_clipped_data() {
        let mut chart = forest(1);
        chart.x = chart.x.clone().with_range(-0.5, 1.5);
        chart.groups.push(RowGroup {
            heading: None,
            rows: vec![
                Row {
                    label: "clipped".into(),
                    marks: vec![
                        RowMark::bar(9.0, Some((-4.0, 12.0)), palette::series(0)),
                        RowMark::bar(-3.0, None, palette::series(1)),
                    ],
                    note: None,
                },
                Row {
                    label: "not a number".into(),
                    marks: vec![RowMark {
                        value: Some(f64::NAN),
                        interval: None,
                        ..RowMark::range(0.2, 0.4, palette::series(2))
                    }],
                    note: None,
                },
                Row {
                    label: "empty".into(),
                    marks: Vec::new(),
                    note: None,
                },
            ],
        });
        chart.track = Some((0.0, 1.0));
        render_png(&chart, DEFAULT_SIZE).unwrap();
        render_svg(&chart, (500, 300)).unwrap();
        let empty = RowChart {
            groups: Vec::new(),
            legend: Legend::default(),
            note_heading: None,
            ..forest(0)
        };
        render_png(&empty, (400, 300)).unwrap();
    }
}
