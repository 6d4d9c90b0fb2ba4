//! Several figures side by side in one image (e.g. the rung occupancy of
//! each compared scenario), under a common title.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout;
use super::legend::Legend;
use super::{BarChart, Figure, HeatMap, LineChart, PlotError, StackedArea};

/// Any of the chart primitives, so that panels can mix them.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyFigure {
    /// A bar chart.
    Bar(BarChart),
    /// A line chart.
    Line(LineChart),
    /// A stacked area chart.
    Area(StackedArea),
    /// A heat map.
    Heat(HeatMap),
}

impl AnyFigure {
    /// The figure's title.
    pub fn title(&self) -> &str {
        match self {
            AnyFigure::Bar(f) => &f.title,
            AnyFigure::Line(f) => &f.title,
            AnyFigure::Area(f) => &f.title,
            AnyFigure::Heat(f) => &f.title,
        }
    }
}

impl Figure for AnyFigure {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        match self {
            AnyFigure::Bar(f) => f.draw(area),
            AnyFigure::Line(f) => f.draw(area),
            AnyFigure::Area(f) => f.draw(area),
            AnyFigure::Heat(f) => f.draw(area),
        }
    }
}

/// Figures in a grid of `columns` columns, filled row by row, each with its
/// own title, under a common title and legend.
#[derive(Debug, Clone, PartialEq)]
pub struct Panels {
    /// Common title.
    pub title: String,
    /// How to read them.
    pub subtitle: Option<String>,
    /// Columns of the grid (at least 1).
    pub columns: usize,
    /// The figures.
    pub figures: Vec<AnyFigure>,
    /// Common legend, beside the grid.
    pub legend: Legend,
}

impl Figure for Panels {
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError> {
        let body = layout::frame(area, &self.title, self.subtitle.as_deref(), &self.legend)?;
        let cols = self.columns.max(1);
        let rows = self.figures.len().div_ceil(cols).max(1);
        let cells = body.split_evenly((rows, cols));
        for (f, cell) in self.figures.iter().zip(&cells) {
            f.draw(cell)?;
        }
        Ok(())
    }
}
