//! The plots of `brink experiment`, drawn from an [`Experiment`]: for the
//! chance of war and of an agreement, one panel per uncertainty with every
//! design point's share against the uncertainty's value, one colour per
//! lever, and a line through the mean share of each bin of values; and a
//! heat map of each lever's mean share of every outcome over the design.

use crate::analysis::experiment::{Experiment, ExperimentPoint};
use crate::format::thousands;

use super::axis::{Axis, ValueFormat};
use super::calibration_plots::nice_ticks;
use super::heatmap::{ColourScale, HeatMap};
use super::legend::{Legend, LegendEntry, LegendMark};
use super::line::{LineChart, LineSeries, LineStyle};
use super::panels::{AnyFigure, Panels};
use super::run_plots::RunFigure;
use super::{DEFAULT_SIZE, PlotError, palette};
use crate::output::drawn::RunPlot;

/// File stems of the experiment plots under `plots/`, in report order.
pub const EXPERIMENT_PLOT_NAMES: [&str; 3] = ["war", "agreement", "levers"];

fn context(e: &Experiment) -> String {
    format!(
        "{}: {} levers at {} design points each, {} trials per point, seed {}.",
        e.scenario.title,
        e.levers.len(),
        e.design.points_per_lever,
        thousands(e.trials),
        e.seed
    )
}

/// The mean of `ys` in bins of `xs`: one bin per value when there are few
/// distinct values (a factorial design), else equal-width bins.
fn binned_means(xs: &[f64], ys: &[f64]) -> Vec<(f64, f64)> {
    let mut distinct: Vec<f64> = xs.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    if distinct.len() <= 12 {
        return distinct
            .iter()
            .map(|&v| {
                let sel: Vec<f64> = xs
                    .iter()
                    .zip(ys)
                    .filter(|(x, _)| **x == v)
                    .map(|(_, y)| *y)
                    .collect();
                (v, sel.iter().sum::<f64>() / sel.len() as f64)
            })
            .collect();
    }
    let (lo, hi) = (distinct[0], distinct[distinct.len() - 1]);
    let bins = (xs.len() / 8).clamp(3, 10);
    let width = (hi - lo) / bins as f64;
    (0..bins)
        .filter_map(|b| {
            let (a, z) = (lo + width * b as f64, lo + width * (b + 1) as f64);
            let sel: Vec<f64> = xs
                .iter()
                .zip(ys)
                .filter(|(x, _)| **x >= a && (**x < z || (b + 1 == bins && **x <= z)))
                .map(|(_, y)| *y)
                .collect();
            (!sel.is_empty()).then(|| ((a + z) / 2.0, sel.iter().sum::<f64>() / sel.len() as f64))
        })
        .collect()
}

fn points_of<'e>(e: &'e Experiment, lever: &str) -> Vec<&'e ExperimentPoint> {
    e.points.iter().filter(|p| p.lever == lever).collect()
}

/// One panel per uncertainty: the share of key figure `figure` at every
/// design point against the uncertainty's value, a colour per lever.
pub fn figure_chart(e: &Experiment, figure: &str, label: &str) -> Panels {
    let figures = e
        .uncertainties
        .iter()
        .map(|u| {
            let mut series = Vec::new();
            let mut top: f64 = 0.0;
            for (i, l) in e.levers.iter().enumerate() {
                let pts = points_of(e, &l.lever);
                let xs: Vec<f64> = pts
                    .iter()
                    .map(|p| p.values.get(&u.path).copied().unwrap_or(f64::NAN))
                    .collect();
                let ys: Vec<f64> = pts
                    .iter()
                    .map(|p| p.key_figures.get(figure).map_or(0.0, |s| s.probability))
                    .collect();
                top = ys.iter().copied().fold(top, f64::max);
                let color = palette::series(i);
                series.push(LineSeries {
                    style: LineStyle::Points,
                    width: 1,
                    ..LineSeries::line(
                        "",
                        color,
                        xs.iter().copied().zip(ys.iter().copied()).collect(),
                    )
                });
                series.push(LineSeries {
                    width: 3,
                    ..LineSeries::line("", color, binned_means(&xs, &ys))
                });
            }
            let (lo, hi) = (u.low, u.high.max(u.low + 1e-9));
            let pad = (hi - lo) * 0.03;
            AnyFigure::Line(LineChart {
                title: short(&u.label, 40),
                x: Axis::new(short(&u.path, 44), ValueFormat::Fixed { decimals: 2 })
                    .with_range(lo - pad, hi + pad)
                    .with_ticks(nice_ticks(lo, hi, 4)),
                x_ticks: 4,
                y: Axis::new(format!("chance of {label} (%)"), ValueFormat::PERCENT)
                    .with_range(0.0, ((top * 1.1) / 0.05).ceil().clamp(1.0, 20.0) * 0.05),
                series,
                ..LineChart::empty()
            })
        })
        .collect();
    Panels {
        title: format!("Chance of {label} against each uncertainty, by lever"),
        subtitle: Some(format!(
            "{} Dots: share of the trials of one design point; lines: mean share over the points \
             in each bin of the uncertainty's values.",
            context(e)
        )),
        columns: match e.uncertainties.len() {
            0..=2 => e.uncertainties.len().max(1),
            3 | 4 => 2,
            _ => 3,
        },
        figures,
        legend: lever_legend(e),
    }
}

/// `text` cut to `n` characters with an ellipsis.
fn short(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        let cut: String = text.chars().take(n - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn lever_legend(e: &Experiment) -> Legend {
    Legend::new(
        e.levers
            .iter()
            .enumerate()
            .map(|(i, l)| LegendEntry::new(&l.label, LegendMark::Point(palette::series(i))))
            .collect(),
    )
}

/// Each lever's mean share of every outcome and key figure over the design.
pub fn lever_heatmap(e: &Experiment) -> HeatMap {
    let names: Vec<String> = e
        .levers
        .first()
        .map(|l| l.shares.0.iter().map(|(n, _)| n.clone()).collect())
        .unwrap_or_default();
    let values: Vec<Vec<Option<f64>>> = e
        .levers
        .iter()
        .map(|l| l.shares.0.iter().map(|(_, s)| Some(s.mean)).collect())
        .collect();
    let max = values
        .iter()
        .flatten()
        .flatten()
        .copied()
        .fold(0.0, f64::max)
        .max(1e-9);
    HeatMap {
        title: "Mean share of each outcome by lever".into(),
        subtitle: Some(format!(
            "{} Each cell: the lever's share of trials ending in the outcome, averaged over the \
             design points (intervals in experiment.json and the report).",
            context(e)
        )),
        rows: e.levers.iter().map(|l| l.label.clone()).collect(),
        columns: names.iter().map(|n| label_of(n)).collect(),
        values,
        scale: ColourScale {
            min: 0.0,
            max,
            sqrt: true,
        },
        format: ValueFormat::PERCENT,
        key: vec![0.0, max / 4.0, max / 2.0, max],
        key_title: Some("mean share".into()),
    }
}

/// The label of an outcome key or key figure.
pub fn label_of(name: &str) -> String {
    match crate::world::Outcome::from_key(name) {
        Some(o) => o.label().into(),
        None if name == "war" => "Any war".into(),
        None if name == "agreement" => "Any agreement".into(),
        None => name.into(),
    }
}

/// The figures of an experiment with their captions, in report order.
pub fn experiment_figures(e: &Experiment) -> Vec<RunFigure> {
    let mut out = Vec::new();
    if !e.uncertainties.is_empty() {
        for (name, label, what) in [
            ("war", "war", "ended in any war outcome"),
            (
                "agreement",
                "an agreement",
                "ended in a deal, or a war then settlement",
            ),
        ] {
            out.push(RunFigure {
                name: if name == "war" {
                    EXPERIMENT_PLOT_NAMES[0]
                } else {
                    EXPERIMENT_PLOT_NAMES[1]
                },
                caption: format!(
                    "Chance of {label} against each uncertainty, one colour per lever. Each dot \
                     is one design point: the share of its {} trials that {what}; the line joins \
                     the mean share in each bin of the uncertainty's values. Every point runs \
                     the same trial streams, so the levers differ by their settings, not by \
                     sampling noise.",
                    thousands(e.trials)
                ),
                figure: AnyFigure::Panels(figure_chart(e, name, label)),
            });
        }
    }
    out.push(RunFigure {
        name: EXPERIMENT_PLOT_NAMES[2],
        caption: "Each lever's mean share of every outcome over the design points, with any \
                  war and any agreement; darker is more likely."
            .into(),
        figure: AnyFigure::Heat(lever_heatmap(e)),
    });
    out
}

/// Renders the experiment plots as PNG and SVG at [`DEFAULT_SIZE`].
pub fn render_experiment_plots(e: &Experiment) -> Result<Vec<RunPlot>, PlotError> {
    experiment_figures(e)
        .into_iter()
        .map(|f| f.render(DEFAULT_SIZE))
        .collect()
}
