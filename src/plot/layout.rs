//! Layout shared by the chart primitives: the title block, the legend
//! column, a Cartesian chart with styled axes, text wrapping.

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::Axis;
use super::legend::{self, Legend};
use super::{PlotError, font, palette};

/// Left and right margin of a figure, in pixels.
pub(crate) const MARGIN: i32 = 24;
/// Space above the plot inside the body, where the legend starts too.
pub(crate) const PLOT_TOP: i32 = 20;

/// Width of the y axis' label area (tick labels and the rotated
/// description).
pub(crate) const Y_LABEL_AREA: u32 = 104;

/// The chart type every Cartesian primitive draws on.
pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Splits `text` into lines no wider than `max` pixels at `style`, at
/// spaces (a single word wider than `max` stays whole).
pub(crate) fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max: u32,
) -> Result<Vec<String>, PlotError> {
    let mut failed = None;
    let lines = wrap_with(text, max, |s| {
        area.estimate_text_size(s, style).map_or_else(
            |e| {
                failed = Some(PlotError::from(e));
                0
            },
            |(w, _)| w,
        )
    });
    failed.map_or(Ok(lines), Err)
}

/// Splits `text` into lines no wider than `max` as measured by `width`,
/// at spaces (a single word wider than `max` stays whole).
pub(crate) fn wrap_with(text: &str, max: u32, mut width: impl FnMut(&str) -> u32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && width(&candidate) > max {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Height in pixels of one line of text at `size`.
pub(crate) fn line_height(size: f64) -> i32 {
    (size * 1.2).round() as i32
}

/// Draws the title, the wrapped subtitle and the legend column of a figure
/// and returns the area left for the plot.
pub(crate) fn frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: Option<&str>,
    legend: &Legend,
) -> Result<DrawingArea<DB, Shift>, PlotError> {
    let (w, _) = area.dim_in_pixel();
    let top_left = Pos::new(HPos::Left, VPos::Top);
    let title_style = font::bold(font::TITLE, palette::TEXT).pos(top_left);
    let mut y = 16;
    for line in wrap(area, title, &title_style, w - 2 * MARGIN as u32)? {
        area.draw_text(&line, &title_style, (MARGIN, y))?;
        y += line_height(font::TITLE);
    }
    if let Some(sub) = subtitle {
        y += 4;
        let sub_style = font::text(font::SUBTITLE, palette::MUTED).pos(top_left);
        for line in wrap(area, sub, &sub_style, w - 2 * MARGIN as u32)? {
            area.draw_text(&line, &sub_style, (MARGIN, y))?;
            y += line_height(font::SUBTITLE);
        }
    }
    let (_, body) = area.split_vertically(y + 6);
    if legend.is_empty() {
        return Ok(body);
    }
    let lw = legend::width(&body, legend)?;
    let (plot, side) = body.split_horizontally(w.saturating_sub(lw));
    legend::draw(&side, legend, PLOT_TOP)?;
    Ok(plot)
}

/// Builds a chart over `x` by `y` in `plot`, leaving `x_area` pixels below
/// for tick labels and the axis description.
pub(crate) fn cartesian<'a, DB: DrawingBackend>(
    plot: &'a DrawingArea<DB, Shift>,
    x: (f64, f64),
    y: (f64, f64),
    x_area: u32,
) -> Result<Chart<'a, DB>, PlotError> {
    Ok(ChartBuilder::on(plot)
        .margin_top(PLOT_TOP as u32)
        .margin_right(MARGIN as u32)
        .margin_left(MARGIN as u32 / 2)
        .margin_bottom(6)
        .x_label_area_size(x_area)
        .y_label_area_size(Y_LABEL_AREA)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)?)
}

/// Draws grid lines, axes, ticks and descriptions. With `x = None` the x
/// axis gets no ticks (categorical charts write their own labels).
pub(crate) fn mesh<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    x: Option<(&Axis, usize)>,
    y: &Axis,
    grid: ShapeStyle,
) -> Result<(), PlotError> {
    let xf = |v: &f64| x.map_or_else(String::new, |(a, _)| a.format.format(*v));
    let yf = |v: &f64| y.format.format(*v);
    let mut m = chart.configure_mesh();
    m.disable_x_mesh()
        .bold_line_style(grid)
        .max_light_lines(0)
        .axis_style(palette::AXIS.stroke_width(2))
        .label_style(font::text(font::TICK, palette::TEXT))
        .axis_desc_style(font::text(font::AXIS, palette::TEXT))
        .set_all_tick_mark_size(6)
        .y_desc(y.label.as_str())
        .y_labels(8)
        .y_label_formatter(&yf);
    match x {
        // Ticks placed by hand are drawn by `hand_placed_x_ticks`.
        Some((axis, _)) if !axis.ticks.is_empty() => {
            m.x_desc(axis.label.as_str()).x_labels(0);
        }
        Some((axis, ticks)) => {
            m.x_desc(axis.label.as_str())
                .x_labels(ticks)
                .x_label_formatter(&xf);
        }
        None => {
            m.x_labels(0);
        }
    }
    m.draw()?;
    Ok(())
}

/// Draws the hand-placed ticks of `axis` (if any) below the x axis of
/// `chart`, which was built on `plot`: a tick mark and a centred label each,
/// like the ticks plotters draws; a label may have a second line (a year
/// under its month), for which the chart leaves [`hand_placed_extra_height`].
pub(crate) fn hand_placed_x_ticks<DB: DrawingBackend>(
    plot: &DrawingArea<DB, Shift>,
    chart: &Chart<'_, DB>,
    axis: &Axis,
) -> Result<(), PlotError> {
    let xr = chart.x_range();
    let (x0, x1) = (xr.start, xr.end);
    let y0 = chart.y_range().start;
    let base = plot.get_base_pixel();
    let style = font::text(font::TICK, palette::TEXT).pos(Pos::new(HPos::Center, VPos::Top));
    for (x, label) in &axis.ticks {
        if *x < x0 || *x > x1 {
            continue;
        }
        let (px, py) = chart.backend_coord(&(*x, y0));
        plot.draw(&PathElement::new(
            vec![(px - base.0, py - base.1), (px - base.0, py - base.1 + 6)],
            palette::AXIS.stroke_width(2),
        ))?;
        for (k, line) in label.lines().enumerate() {
            text_at(
                plot,
                line,
                &style,
                (px, py + 10 + k as i32 * line_height(font::TICK)),
            )?;
        }
    }
    Ok(())
}

/// The height to add below a chart whose x axis has hand-placed ticks with
/// two-line labels.
pub(crate) fn hand_placed_extra_height(axis: &Axis) -> u32 {
    if axis.ticks.iter().any(|(_, l)| l.contains('\n')) {
        line_height(font::TICK) as u32
    } else {
        0
    }
}

/// Draws `text` at an absolute backend pixel `at` (as given by
/// `ChartContext::backend_coord`) on `area`.
pub(crate) fn text_at<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    at: (i32, i32),
) -> Result<(), PlotError> {
    let base = area.get_base_pixel();
    area.draw_text(text, style, (at.0 - base.0, at.1 - base.1))?;
    Ok(())
}
