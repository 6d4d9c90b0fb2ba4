//! Plots drawn with plotters into PNG and SVG bytes that are identical on
//! every machine: the font is embedded ([`font`]), colours come from one
//! palette ([`palette`]), and nothing depends on the clock, the system or
//! hash-map order.
//!
//! The toolkit is a few chart primitives that take plain data and can be
//! reused by any command: [`BarChart`] (grouped bars with optional interval
//! whiskers and value labels), [`LineChart`] (lines with optional bands and
//! points), [`StackedArea`] and [`HeatMap`]. Each implements [`Figure`];
//! [`render_png`] and [`render_svg`] turn a figure into bytes, and
//! [`Panels`] puts several figures side by side; [`RowChart`] draws labelled
//! rows of dots, bars or ranges with whiskers (forest plots, horizontal
//! bars with long labels). [`run_plots`] draws the five plots of `brink
//! run` from a [`crate::stats::Summary`]; [`compare_plots`],
//! [`sweep_plots`], [`sensitivity_plots`] and [`discovery_plots`] draw
//! those of the other commands.

pub mod area;
pub mod axis;
pub mod bar;
pub mod calibration_plots;
pub mod compare_plots;
pub mod date_ticks;
pub mod discovery_plots;
pub mod experiment_plots;
pub mod font;
pub mod heatmap;
pub mod legend;
pub mod line;
pub mod milestone_plots;
pub mod palette;
pub mod panels;
pub mod rows;
pub mod run_plots;
pub mod score_plots;
pub mod sensitivity_plots;
pub mod sweep_plots;

mod layout;
mod raster;

use std::fmt;

use plotters::coord::Shift;
use plotters::prelude::*;

pub use area::{AreaLayer, StackedArea};
pub use axis::{Axis, ValueFormat};
pub use bar::{BarChart, BarSeries, Fill};
pub use heatmap::{ColourScale, HeatMap};
pub use legend::{Legend, LegendEntry, LegendMark};
pub use line::{Band, LineChart, LineSeries, LineStyle};
pub use panels::{AnyFigure, Panels};
pub use rows::{MarkStyle, Row, RowChart, RowGroup, RowMark};

/// Default size of a figure in pixels (width, height).
pub const DEFAULT_SIZE: (u32, u32) = (1200, 700);

/// A drawing failed (a backend error; with the embedded font this means a
/// bug, such as an empty drawing area).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlotError(pub String);

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "drawing a plot: {}", self.0)
    }
}

impl std::error::Error for PlotError {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for PlotError {
    fn from(e: DrawingAreaErrorKind<E>) -> PlotError {
        PlotError(e.to_string())
    }
}

impl From<PlotError> for std::io::Error {
    fn from(e: PlotError) -> std::io::Error {
        std::io::Error::other(e)
    }
}

/// Something that draws itself into a plotters drawing area of any
/// backend and size.
pub trait Figure {
    /// Draws into `area` (already filled with the background).
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) -> Result<(), PlotError>;
}

/// Renders `figure` as a PNG of `size` pixels (8-bit RGB, balanced
/// compression; the same bytes on every machine).
pub fn render_png(figure: &impl Figure, size: (u32, u32)) -> Result<Vec<u8>, PlotError> {
    font::register();
    let (w, h) = size;
    let mut rgb = vec![0u8; w as usize * h as usize * 3];
    {
        let root = raster::GlyphBackend::new(BitMapBackend::with_buffer(&mut rgb, size))
            .into_drawing_area();
        root.fill(&palette::BACKGROUND)?;
        figure.draw(&root)?;
        root.present()?;
    }
    encode_png(&rgb, size)
}

/// Renders `figure` as an SVG document of `size` pixels. Text stays text,
/// set in DejaVu Sans with a sans-serif fallback.
pub fn render_svg(figure: &impl Figure, size: (u32, u32)) -> Result<String, PlotError> {
    font::register();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        root.fill(&palette::BACKGROUND)?;
        figure.draw(&root)?;
        root.present()?;
    }
    if !svg.ends_with('\n') {
        svg.push('\n');
    }
    Ok(svg)
}

/// Encodes an 8-bit RGB buffer of `size` pixels as PNG.
pub fn encode_png(rgb: &[u8], size: (u32, u32)) -> Result<Vec<u8>, PlotError> {
    let err = |e: png::EncodingError| PlotError(e.to_string());
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, size.0, size.1);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Balanced);
        let mut writer = enc.write_header().map_err(err)?;
        writer.write_image_data(rgb).map_err(err)?;
        writer.finish().map_err(err)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars(values: Vec<f64>) -> BarChart {
        let n = values.len();
        BarChart {
            title: "Test".into(),
            subtitle: Some(
                "A subtitle long enough to wrap onto a second line when the figure is narrow"
                    .into(),
            ),
            categories: (0..n).map(|i| format!("category number {i}")).collect(),
            x_label: "category".into(),
            y: Axis::new("share (%)", ValueFormat::PERCENT),
            series: vec![
                BarSeries {
                    label: "a".into(),
                    values: values.clone(),
                    intervals: Some(values.iter().map(|v| (v * 0.9, v * 1.1)).collect()),
                    fill: Fill::Uniform(palette::series(0)),
                },
                BarSeries {
                    label: "b".into(),
                    values: values.iter().map(|v| v / 2.0).collect(),
                    intervals: None,
                    fill: Fill::PerCategory(vec![palette::series(1)]),
                },
            ],
            value_labels: Some(ValueFormat::PERCENT_1),
            legend: None,
        }
    }

    #[test]
    fn renders_identical_bytes_twice() {
        let chart = bars(vec![0.2, 0.95, 0.0004]);
        let a = render_png(&chart, DEFAULT_SIZE).unwrap();
        let b = render_png(&chart, DEFAULT_SIZE).unwrap();
        assert_eq!(a, b);
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        let svg = render_svg(&chart, DEFAULT_SIZE).unwrap();
        assert_eq!(svg, render_svg(&chart, DEFAULT_SIZE).unwrap());
        assert!(svg.contains("category number 1") && svg.contains("95.0%"));
    }

    #[test]
    fn primitives_survive_degenerate_data() {
        let empty_line = LineChart {
            title: "No data".into(),
            subtitle: None,
            x: Axis::new("x", ValueFormat::INTEGER),
            x_ticks: 5,
            y: Axis::new("y", ValueFormat::INTEGER),
            bands: Vec::new(),
            series: vec![LineSeries::line(
                "one point",
                palette::series(0),
                vec![(1.0, f64::NAN)],
            )],
            legend: None,
            zero_line: true,
        };
        let area = StackedArea {
            title: "Empty".into(),
            subtitle: None,
            x: Axis::new("x", ValueFormat::INTEGER),
            x_ticks: 5,
            y: Axis::new("y", ValueFormat::PERCENT),
            x_values: Vec::new(),
            layers: Vec::new(),
            show_legend: true,
            legend_title: None,
        };
        let heat = HeatMap {
            title: "Empty".into(),
            subtitle: None,
            rows: Vec::new(),
            columns: Vec::new(),
            values: Vec::new(),
            scale: ColourScale {
                min: 0.0,
                max: 0.0,
                sqrt: false,
            },
            format: ValueFormat::PERCENT,
            key: vec![0.0, 1.0],
            key_title: Some("key".into()),
        };
        let panels = Panels {
            title: "Panels".into(),
            subtitle: None,
            columns: 2,
            figures: vec![
                AnyFigure::Bar(bars(Vec::new())),
                AnyFigure::Line(empty_line),
                AnyFigure::Area(area),
                AnyFigure::Heat(heat),
            ],
            legend: Legend::default(),
        };
        render_png(&panels, DEFAULT_SIZE).unwrap();
        render_svg(&panels, (400, 300)).unwrap();
    }
}
