//! Several figures side by side in one image (e.g. the rung occupancy of
//! each compared scenario), under a common title.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::layout;
use super::legend::{self, Legend};
use super::{BarChart, Figure, HeatMap, LineChart, PlotError, RowChart, StackedArea};

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
    /// A row chart (forest plot, horizontal bars or ranges).
    Rows(RowChart),
    /// Panels of figures (a whole figure of its own).
    Panels(Panels),
}

impl AnyFigure {
    /// The figure's title.
    pub fn title(&self) -> &str {
        match self {
            AnyFigure::Bar(f) => &f.title,
            AnyFigure::Line(f) => &f.title,
            AnyFigure::Area(f) => &f.title,
            AnyFigure::Heat(f) => &f.title,
            AnyFigure::Rows(f) => &f.title,
            AnyFigure::Panels(f) => &f.title,
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
            AnyFigure::Rows(f) => f.draw(area),
            AnyFigure::Panels(f) => f.draw(area),
        }
    }
}

/// Figures in a grid of `columns` columns, filled row by row, each with its
/// own title, under a common title and legend (beside the grid, or in its
/// first empty cell).
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
        let cols = self.columns.max(1);
        let rows = self.figures.len().div_ceil(cols).max(1);
        // With an empty cell at the end of the grid, the legend goes there
        // and the figures keep the full width.
        let in_cell = self.figures.len() < rows * cols && !self.legend.is_empty();
        let side = if in_cell {
            Legend::default()
        } else {
            self.legend.clone()
        };
        let body = layout::frame(area, &self.title, self.subtitle.as_deref(), &side)?;
        let cells = body.split_evenly((rows, cols));
        for (f, cell) in self.figures.iter().zip(&cells) {
            f.draw(cell)?;
        }
        if in_cell && let Some(cell) = cells.get(self.figures.len()) {
            legend::draw(cell, &self.legend, 2 * layout::PLOT_TOP)?;
        }
        Ok(())
    }
}
