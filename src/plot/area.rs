//! Stacked area charts: layers that add up (shares of trials on each rung,
//! outcome shares by step), the first layer at the bottom.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis::{Axis, extent};
use super::layout;
use super::legend::{Legend, LegendEntry, LegendMark};
use super::{Figure, PlotError, font, palette};

/// One layer of a stacked area chart.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaLayer {
    /// Name in the legend.
    pub label: String,
    /// Fill colour.
    pub color: RGBColor,
    /// Thickness at each x (negative values count as zero).
    pub values: Vec<f64>,
}

/// Layers stacked on top of each other over a common x.
#[derive(Debug, Clone, PartialEq)]
pub struct StackedArea {
    /// Title.
    pub title: String,
    /// How to read it.
    pub subtitle: Option<String>,
    /// Horizontal axis.
    pub x: Axis,
    /// Approximate number of x ticks.
    pub x_ticks: usize,
    /// Vertical axis (by default zero to the tallest stack).
    pub y: Axis,
    /// The common x of every layer.
    pub x_values: Vec<f64>,
    /// Layers, bottom first.
    pub layers: Vec<AreaLayer>,
    /// Draws the legend, which lists the layers top first, as stacked
    /// (off for panels that share one legend).
    pub show_legend: bool,
    /// Heading of the legend.
    pub legend_title: Option<String>,
}

impl StackedArea {
    /// Running totals: `tops[k][t]` is the top of layer k at the t-th x.
    fn tops(&self) -> Vec<Vec<f64>> {
        let mut acc = vec![0.0; self.x_values.len()];
        self.layers
            .iter()
            .map(|l| {
                for (a, v) in acc.iter_mut().zip(&l.values) {
                    *a += v.max(0.0);
                }
                acc.clone()
            })
            .collect()
    }
}

impl Figure for StackedArea {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let mut legend = Legend::default();
        if self.show_legend {
            legend.entries = self
                .layers
                .iter()
                .rev()
                .map(|l| LegendEntry::new(&l.label, LegendMark::Box(l.color)))
                .collect();
            legend.title = self.legend_title.clone();
        }
        let plot = layout::frame(area, &self.title, self.subtitle.as_deref(), &legend)?;
        let tops = self.tops();
        let (x0, x1) = self.x.resolve(extent(self.x_values.iter().copied()), 0.0);
        let highest = extent(tops.last().into_iter().flatten().copied().chain([0.0])).1;
        let (y0, y1) = self.y.resolve((0.0, highest), 0.0);
        let x_area = (layout::line_height(font::TICK) + layout::line_height(font::AXIS) + 28)
            as u32
            + layout::hand_placed_extra_height(&self.x);
        let mut chart = layout::cartesian(&plot, (x0, x1), (y0, y1), x_area)?;

        // Each layer is painted from zero to its top, top layer first, so
        // every boundary is a single edge (no hairline seams between
        // neighbouring polygons in SVG viewers).
        for (layer, top) in self.layers.iter().zip(&tops).rev() {
            let mut pts: Vec<(f64, f64)> = self
                .x_values
                .iter()
                .copied()
                .zip(top.iter().copied())
                .collect();
            if let (Some(&first), Some(&last)) = (self.x_values.first(), self.x_values.last()) {
                pts.push((last, y0.max(0.0)));
                pts.push((first, y0.max(0.0)));
            }
            chart.draw_series([Polygon::new(pts, layer.color.filled())])?;
        }
        // Axes and faint white grid lines over the areas, so that levels can
        // be read off inside the stack.
        let grid = palette::BACKGROUND.mix(0.5).stroke_width(1);
        layout::mesh(&mut chart, Some((&self.x, self.x_ticks)), &self.y, grid)?;
        layout::hand_placed_x_ticks(&plot, &chart, &self.x)?;
        Ok(())
    }
}
