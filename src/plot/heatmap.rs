//! Heat maps: a grid of rows by columns, each cell coloured on a sequential
//! scale and labelled with its value; cells without a value stay blank.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis::ValueFormat;
use super::layout::{self, MARGIN, PLOT_TOP};
use super::legend::{Legend, LegendEntry, LegendMark};
use super::{Figure, PlotError, font, palette};

/// Maps values to the sequential palette.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColourScale {
    /// Value drawn lightest.
    pub min: f64,
    /// Value drawn darkest.
    pub max: f64,
    /// Spreads small values apart (colour by the square root of the
    /// position), for skewed data such as shares of rare actions.
    pub sqrt: bool,
}

impl ColourScale {
    /// The colour of `v`.
    pub fn color(&self, v: f64) -> RGBColor {
        let span = self.max - self.min;
        let t = if span > 0.0 {
            ((v - self.min) / span).clamp(0.0, 1.0)
        } else {
            0.0
        };
        palette::sequential(if self.sqrt { t.sqrt() } else { t })
    }
}

/// A heat map of `values[row][column]`.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatMap {
    /// Title.
    pub title: String,
    /// How to read it.
    pub subtitle: Option<String>,
    /// Row labels, top to bottom.
    pub rows: Vec<String>,
    /// Column labels, left to right (written upwards above the grid).
    pub columns: Vec<String>,
    /// Values by row then column; `None` leaves a cell blank (white, outlined).
    pub values: Vec<Vec<Option<f64>>>,
    /// Colours.
    pub scale: ColourScale,
    /// Format of cell labels (values that round to zero show as `<0.1%`).
    pub format: ValueFormat,
    /// Values shown in the colour key beside the grid (empty: no key).
    pub key: Vec<f64>,
    /// Heading of the colour key.
    pub key_title: Option<String>,
}

impl Figure for HeatMap {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let legend = Legend {
            title: self.key_title.clone(),
            entries: self
                .key
                .iter()
                .map(|&v| {
                    LegendEntry::new(self.format.format(v), LegendMark::Box(self.scale.color(v)))
                })
                .collect(),
        };
        let plot = layout::frame(area, &self.title, self.subtitle.as_deref(), &legend)?;
        let (pw, ph) = plot.dim_in_pixel();
        let (pw, ph) = (pw as i32, ph as i32);
        let tick = font::text(font::TICK, palette::TEXT);
        let mut row_w = 0;
        for r in &self.rows {
            row_w = row_w.max(plot.estimate_text_size(r, &tick)?.0 as i32);
        }
        let mut col_h = 0;
        for c in &self.columns {
            col_h = col_h.max(plot.estimate_text_size(c, &tick)?.0 as i32);
        }
        let nr = self.rows.len().max(1) as i32;
        let nc = self.columns.len().max(1) as i32;
        let left = MARGIN + row_w + 12;
        let top = PLOT_TOP + col_h + 12;
        let cell_w = ((pw - MARGIN - left) / nc).max(1);
        let cell_h = ((ph - 24 - top) / nr).clamp(1, (cell_w * 3 / 2).max(24));

        // Cell labels at the largest size (up to VALUE) at which the widest fits.
        let mut labels = Vec::new();
        let mut widest = 0;
        let probe = font::text(font::VALUE, palette::TEXT);
        for row in &self.values {
            let mut out = Vec::new();
            for v in row {
                let s = v.map(|v| self.format.format_nonzero(v));
                if let Some(s) = &s {
                    widest = widest.max(plot.estimate_text_size(s, &probe)?.0 as i32);
                }
                out.push(s);
            }
            labels.push(out);
        }
        let room = (cell_w - 8).max(1) as f64;
        let size = if widest as f64 > room {
            (font::VALUE * room / widest as f64).max(12.0)
        } else {
            font::VALUE
        };

        let centre = Pos::new(HPos::Center, VPos::Center);
        for (i, row) in self.values.iter().enumerate() {
            let y = top + i as i32 * cell_h;
            for (j, v) in row.iter().enumerate().take(nc as usize) {
                let x = left + j as i32 * cell_w;
                let fill = v.map_or(palette::BACKGROUND, |v| self.scale.color(v));
                let corners = [(x + 1, y + 1), (x + cell_w - 1, y + cell_h - 1)];
                plot.draw(&Rectangle::new(corners, fill.filled()))?;
                if v.is_none() {
                    // Blank cells keep a faint outline so the grid stays legible.
                    plot.draw(&Rectangle::new(corners, palette::GRID.stroke_width(1)))?;
                }
                if let Some(Some(s)) = labels.get(i).and_then(|r| r.get(j)) {
                    let st = font::text(size, palette::text_on(fill)).pos(centre);
                    plot.draw_text(s, &st, (x + cell_w / 2, y + cell_h / 2))?;
                }
            }
        }
        let row_style = tick.pos(Pos::new(HPos::Right, VPos::Center));
        for (i, r) in self.rows.iter().enumerate() {
            let y = top + i as i32 * cell_h + cell_h / 2;
            plot.draw_text(r, &row_style, (left - 10, y))?;
        }
        let col_style = font::text(font::TICK, palette::TEXT)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for (j, c) in self.columns.iter().enumerate() {
            let x = left + j as i32 * cell_w + cell_w / 2;
            plot.draw_text(c, &col_style, (x, top - 8))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_maps_ends_to_palette_ends() {
        let s = ColourScale {
            min: 0.0,
            max: 1.0,
            sqrt: true,
        };
        assert_eq!(s.color(0.0), palette::sequential(0.0));
        assert_eq!(s.color(1.0), palette::sequential(1.0));
        assert_eq!(s.color(0.25), palette::sequential(0.5));
        assert_eq!(s.color(7.0), palette::sequential(1.0));
    }
}
