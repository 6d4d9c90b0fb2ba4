//! The plots of `brink calibrate`, drawn from a [`Calibration`]: the prior and
//! calibrated distribution of every parameter, the accepted samples of the two
//! parameters the targets narrowed most, and each target's fit before and after.

use crate::analysis::calibrate::Calibration;
use crate::format::{percent_1, thousands};

use super::axis::{Axis, ValueFormat};
use super::bar::{BarChart, BarSeries, Fill};
use super::legend::{Legend, LegendEntry, LegendMark};
use super::line::{LineChart, LineSeries, LineStyle};
use super::panels::{AnyFigure, Panels};
use super::run_plots::RunFigure;
use super::{DEFAULT_SIZE, PlotError, palette};
use crate::output::drawn::RunPlot;

/// File stems of the calibration plots under `plots/`.
pub const CALIBRATION_PLOT_NAMES: [&str; 3] = ["marginals", "pairs", "targets"];

/// Bins of the marginal histograms.
const BINS: usize = 20;

fn context(c: &Calibration) -> String {
    format!(
        "{}: {} prior samples x {} trials, {} accepted ({}), seed {}.",
        c.scenario.title,
        thousands(c.samples as u64),
        thousands(c.trials_per_sample),
        thousands(c.accepted as u64),
        percent_1(c.acceptance_rate),
        c.seed
    )
}

/// Share of `values` in each of [`BINS`] bins over `[lo, hi]`, as points at the bin middles.
fn histogram(values: impl Iterator<Item = f64>, lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let mut counts = [0u64; BINS];
    let mut n = 0u64;
    let width = (hi - lo) / BINS as f64;
    for v in values {
        let b = if width > 0.0 {
            ((v - lo) / width) as usize
        } else {
            0
        };
        counts[b.min(BINS - 1)] += 1;
        n += 1;
    }
    (0..BINS)
        .map(|b| {
            (
                lo + width * (b as f64 + 0.5),
                counts[b] as f64 / n.max(1) as f64,
            )
        })
        .collect()
}

fn range_of(c: &Calibration, k: usize) -> (f64, f64) {
    c.rows
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), r| {
            (lo.min(r.values[k]), hi.max(r.values[k]))
        })
}

/// One panel per parameter: the share of prior and of accepted samples in each bin.
pub fn marginals_chart(c: &Calibration) -> Panels {
    let figures = c
        .parameters
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let (lo, hi) = range_of(c, k);
            let prior = histogram(c.rows.iter().map(|r| r.values[k]), lo, hi);
            let post = histogram(
                c.rows.iter().filter(|r| r.accepted).map(|r| r.values[k]),
                lo,
                hi,
            );
            let top = prior.iter().chain(&post).map(|p| p.1).fold(0.0, f64::max);
            // Unlabelled series: the panels share one legend.
            let mut series = vec![LineSeries::line("", palette::GREY, prior)];
            if c.accepted > 0 {
                series.push(LineSeries::line("", palette::series(0), post));
            }
            let span = hi - lo;
            // Enough decimals to tell five ticks across the range apart.
            let decimals = if span < 0.1 {
                3
            } else if span < 1.0 {
                2
            } else if span < 10.0 {
                1
            } else {
                0
            };
            AnyFigure::Line(LineChart {
                title: p.parameter.trim_start_matches("actors.").to_string(),
                x: Axis::new("value", ValueFormat::Fixed { decimals })
                    .with_range(lo, hi.max(lo + 1e-9)),
                x_ticks: 5,
                y: Axis::new("share", ValueFormat::PERCENT).with_range(0.0, (top * 1.1).max(0.01)),
                series,
                ..LineChart::empty()
            })
        })
        .collect();
    Panels {
        title: "Prior and calibrated distribution of each parameter".into(),
        subtitle: Some(format!(
            "{} Share of samples in each of {BINS} bins: grey, every sample drawn from the \
             scenario's distributions; blue, the samples that met every target.",
            context(c)
        )),
        columns: 2,
        figures,
        legend: Legend::new(vec![
            LegendEntry::new("prior", LegendMark::Line(palette::GREY)),
            LegendEntry::new("calibrated", LegendMark::Line(palette::series(0))),
        ]),
    }
}

/// Indices of the two parameters whose central 95% range the targets narrowed most.
fn most_narrowed(c: &Calibration) -> Vec<usize> {
    c.by_narrowing().into_iter().take(2).collect()
}

/// Every sample of the two most narrowed parameters, accepted ones in colour.
pub fn pairs_chart(c: &Calibration) -> LineChart {
    let ks = most_narrowed(c);
    let (kx, ky) = (ks[0], *ks.get(1).unwrap_or(&ks[0]));
    let pick = |accepted: bool| -> Vec<(f64, f64)> {
        c.rows
            .iter()
            .filter(|r| r.accepted == accepted)
            .map(|r| (r.values[kx], r.values[ky]))
            .collect()
    };
    let (xlo, xhi) = range_of(c, kx);
    let (ylo, yhi) = range_of(c, ky);
    let point = |label: &str, color, points| LineSeries {
        style: LineStyle::Points,
        width: 1,
        ..LineSeries::line(label, color, points)
    };
    let chart = LineChart {
        title: "Accepted samples of the two most narrowed parameters".into(),
        subtitle: Some(format!(
            "{} Each dot is one sample; blue dots met every target. A tilted cloud means the \
             targets trade one assumption against the other.",
            context(c)
        )),
        x: Axis::new(
            c.parameters[kx].parameter.clone(),
            ValueFormat::Fixed { decimals: 2 },
        )
        .with_range(xlo, xhi.max(xlo + 1e-9)),
        x_ticks: 6,
        y: Axis::new(
            c.parameters[ky].parameter.clone(),
            ValueFormat::Fixed { decimals: 2 },
        )
        .with_range(ylo, yhi.max(ylo + 1e-9)),
        series: vec![
            point("rejected", palette::GREY, pick(false)),
            point("accepted", palette::series(0), pick(true)),
        ],
        ..LineChart::empty()
    };
    LineChart {
        legend: Some(chart.default_legend()),
        ..chart
    }
}

/// Each target's value and tolerance against the statistic's median and
/// central 95% range before and after calibration.
pub fn targets_chart(c: &Calibration) -> BarChart {
    let n = c.targets.len();
    let categories = c.targets.iter().map(|t| t.target.name.clone()).collect();
    let post = |f: &dyn Fn(&crate::analysis::calibrate::Quantiles) -> f64| -> Vec<f64> {
        c.targets
            .iter()
            .map(|t| t.posterior.as_ref().map_or(0.0, f))
            .collect()
    };
    let mut series = vec![
        BarSeries {
            label: "target +- tolerance".into(),
            values: c.targets.iter().map(|t| t.target.value).collect(),
            intervals: Some(
                c.targets
                    .iter()
                    .map(|t| {
                        (
                            (t.target.value - t.target.tolerance).max(0.0),
                            (t.target.value + t.target.tolerance).min(1.0),
                        )
                    })
                    .collect(),
            ),
            fill: Fill::Uniform(palette::NEUTRAL),
        },
        BarSeries {
            label: "prior (median, 95% range)".into(),
            values: c.targets.iter().map(|t| t.prior.median).collect(),
            intervals: Some(
                c.targets
                    .iter()
                    .map(|t| (t.prior.q025, t.prior.q975))
                    .collect(),
            ),
            fill: Fill::Uniform(palette::GREY),
        },
    ];
    if c.accepted > 0 {
        series.push(BarSeries {
            label: "calibrated (median, 95% range)".into(),
            values: post(&|q| q.median),
            intervals: Some(
                post(&|q| q.q025)
                    .into_iter()
                    .zip(post(&|q| q.q975))
                    .collect(),
            ),
            fill: Fill::Uniform(palette::series(0)),
        });
    }
    let top = series
        .iter()
        .flat_map(|s| s.intervals.iter().flatten().map(|i| i.1))
        .fold(0.0, f64::max);
    BarChart {
        title: "Fit of each target before and after calibration".into(),
        subtitle: Some(format!(
            "{} Bars: the target and the median of the statistic over prior and over \
             accepted samples; whiskers: the tolerance and the central 95% ranges.",
            context(c)
        )),
        categories,
        x_label: format!("target ({n})"),
        y: Axis::new("probability (%)", ValueFormat::PERCENT)
            .with_range(0.0, (top * 1.1).clamp(0.05, 1.0)),
        series,
        value_labels: Some(ValueFormat::PERCENT),
        legend: None,
    }
}

/// The figures of a calibration with their captions.
pub fn calibration_figures(c: &Calibration) -> Vec<RunFigure> {
    vec![
        RunFigure {
            name: CALIBRATION_PLOT_NAMES[0],
            caption: "Prior (grey) and calibrated (blue) distribution of each uncertain parameter."
                .into(),
            figure: AnyFigure::Panels(marginals_chart(c)),
        },
        RunFigure {
            name: CALIBRATION_PLOT_NAMES[1],
            caption: "Accepted samples of the two parameters the targets narrowed most.".into(),
            figure: AnyFigure::Line(pairs_chart(c)),
        },
        RunFigure {
            name: CALIBRATION_PLOT_NAMES[2],
            caption: "Each target against the statistic before and after calibration.".into(),
            figure: AnyFigure::Bar(targets_chart(c)),
        },
    ]
}

/// Renders the calibration plots as PNG and SVG; the marginal panels are
/// taller when there are many parameters.
pub fn render_calibration_plots(c: &Calibration) -> Result<Vec<RunPlot>, PlotError> {
    let rows = c.parameters.len().div_ceil(2).max(1) as u32;
    calibration_figures(c)
        .into_iter()
        .map(|f| {
            let size = if f.name == "marginals" {
                (DEFAULT_SIZE.0, 200 + 280 * rows)
            } else {
                DEFAULT_SIZE
            };
            f.render(size)
        })
        .collect()
}
