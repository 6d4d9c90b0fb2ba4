//! The plots of `brink sweep`, drawn from a [`Sweep`]: the probability of
//! each outcome against the swept value with its 95% band, and the mean
//! escalation score against the same values.

use crate::analysis::sweep::Sweep;
use crate::format::{decimals_for, thousands};
use crate::world::Outcome;

use super::axis::{Axis, ValueFormat};
use super::line::{Band, LineChart, LineSeries, LineStyle};
use super::panels::AnyFigure;
use super::run_plots::RunFigure;
use super::{DEFAULT_SIZE, PlotError, palette};
use crate::output::drawn::RunPlot;

/// File stems of the sweep plots under `plots/`, in report order.
pub const SWEEP_PLOT_NAMES: [&str; 2] = ["outcomes", "escalation"];

fn value_axis(s: &Sweep) -> Axis {
    let values: Vec<f64> = s.points.iter().map(|p| p.value).collect();
    let axis = Axis::new(
        format!("{} (swept value)", s.scenario.label(&s.parameter)),
        ValueFormat::Fixed {
            decimals: decimals_for(&values),
        },
    );
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() && hi > lo {
        let pad = (hi - lo) * 0.03;
        axis.with_range(lo - pad, hi + pad)
    } else {
        axis
    }
}

fn context(s: &Sweep) -> String {
    format!(
        "{}: {} trials at each of {} value{}, seed {}, the same trial streams at every value.",
        s.scenario.title,
        thousands(s.trials),
        s.points.len(),
        if s.points.len() == 1 { "" } else { "s" },
        s.seed
    )
}

/// Points along the sweep, in the order given, as `(value, y)`.
fn along(s: &Sweep, y: impl Fn(&crate::analysis::sweep::SweepPoint) -> f64) -> Vec<(f64, f64)> {
    s.points.iter().map(|p| (p.value, y(p))).collect()
}

/// The probability of every outcome against the swept value: a line with
/// a dot at each value and a shaded 95% Wilson band.
pub fn outcome_chart(s: &Sweep) -> LineChart {
    let mut bands = Vec::new();
    let mut series = Vec::new();
    let mut dots = Vec::new();
    let x: Vec<f64> = s.points.iter().map(|p| p.value).collect();
    for o in Outcome::ALL {
        let i = o.index();
        let color = palette::outcome(o);
        bands.push(Band {
            label: String::new(),
            color,
            opacity: 0.2,
            x: x.clone(),
            lower: s.points.iter().map(|p| p.outcomes[i].ci95[0]).collect(),
            upper: s.points.iter().map(|p| p.outcomes[i].ci95[1]).collect(),
        });
        series.push(LineSeries::line(
            o.label(),
            color,
            along(s, |p| p.outcomes[i].probability),
        ));
        dots.push(LineSeries {
            label: String::new(),
            style: LineStyle::Points,
            width: 1,
            ..LineSeries::line("", color, along(s, |p| p.outcomes[i].probability))
        });
    }
    series.extend(dots);
    let top = s
        .points
        .iter()
        .flat_map(|p| p.outcomes.iter().map(|o| o.ci95[1]))
        .fold(0.0, f64::max);
    LineChart {
        title: format!(
            "Outcome probabilities against {}",
            s.scenario.label(&s.parameter)
        ),
        subtitle: Some(format!(
            "{} Lines: share of trials ending in each outcome; shaded: 95% Wilson interval.",
            context(s)
        )),
        x: value_axis(s),
        x_ticks: s.points.len().clamp(2, 12),
        y: Axis::new("share of trials (%)", ValueFormat::PERCENT)
            .with_range(0.0, ((top * 1.05) / 0.05).ceil().clamp(1.0, 20.0) * 0.05),
        bands,
        series,
        legend: None,
        zero_line: false,
    }
}

/// The mean cumulative escalation score against the swept value, with a
/// shaded 95% interval.
pub fn escalation_chart(s: &Sweep) -> LineChart {
    let points = along(s, |p| p.escalation_mean);
    let band = Band {
        label: "95% interval".into(),
        color: palette::NEUTRAL,
        opacity: 0.2,
        x: s.points.iter().map(|p| p.value).collect(),
        lower: s.points.iter().map(|p| p.escalation_ci95[0]).collect(),
        upper: s.points.iter().map(|p| p.escalation_ci95[1]).collect(),
    };
    LineChart {
        title: format!(
            "Mean escalation score against {}",
            s.scenario.label(&s.parameter)
        ),
        subtitle: Some(format!(
            "{} Mean over trials of the summed EscalAItion scores of all actions \
             (de-escalation -2, posturing 4, non-violent escalation 12, violent escalation 28); \
             shaded: 95% interval of the mean.",
            context(s)
        )),
        x: value_axis(s),
        x_ticks: s.points.len().clamp(2, 12),
        y: Axis::new("mean escalation score (points)", ValueFormat::INTEGER),
        bands: vec![band],
        series: vec![
            LineSeries::line("mean score", palette::NEUTRAL, points.clone()),
            LineSeries {
                label: String::new(),
                style: LineStyle::Points,
                width: 2,
                ..LineSeries::line("", palette::NEUTRAL, points)
            },
        ],
        legend: None,
        zero_line: true,
    }
}

/// The figures of a sweep with their captions, in report order.
pub fn sweep_figures(s: &Sweep) -> Vec<RunFigure> {
    vec![
        RunFigure {
            name: SWEEP_PLOT_NAMES[0],
            caption: format!(
                "Outcome probabilities against {}. Each line joins the share of the {} trials \
                 at each swept value that ended in the outcome; the shaded band is its 95% \
                 Wilson interval. Every value runs the same trial streams, so the change from \
                 value to value is the parameter's effect, not sampling noise.",
                s.scenario.label(&s.parameter),
                thousands(s.trials)
            ),
            figure: AnyFigure::Line(outcome_chart(s)),
        },
        RunFigure {
            name: SWEEP_PLOT_NAMES[1],
            caption: format!(
                "Mean escalation score against {}. The mean over trials of the summed \
                 EscalAItion scores at each swept value; the shaded band is its 95% interval \
                 (mean ± 1.96 standard errors).",
                s.scenario.label(&s.parameter)
            ),
            figure: AnyFigure::Line(escalation_chart(s)),
        },
    ]
}

/// Renders the sweep plots as PNG and SVG at [`DEFAULT_SIZE`].
pub fn render_sweep_plots(s: &Sweep) -> Result<Vec<RunPlot>, PlotError> {
    sweep_figures(s)
        .into_iter()
        .map(|f| f.render(DEFAULT_SIZE))
        .collect()
}
