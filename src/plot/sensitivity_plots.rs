//! The plots of `brink sensitivity`, drawn from a [`Sensitivity`]: for the
//! outputs that matter most (the probabilities of a deal, of a war still under way
//! and of limited strikes, and the mean escalation score), each parameter's
//! first- and total-order Sobol index as horizontal bars with bootstrap
//! whiskers, parameters ranked by total order.

use crate::analysis::AnalysisOutput;
use crate::analysis::sensitivity::{OutputIndices, Sensitivity};
use crate::format::{index_text, thousands};
use crate::stats::sobol::Estimate;
use crate::world::Outcome;

use super::axis::{Axis, ValueFormat};
use super::legend::{Legend, LegendEntry, LegendMark};
use super::panels::AnyFigure;
use super::rows::{Row, RowChart, RowGroup, RowMark};
use super::run_plots::RunFigure;
use super::{DEFAULT_SIZE, PlotError, palette};
use crate::output::drawn::RunPlot;

/// The outputs plotted (found in [`Sensitivity::outputs`]) with the file
/// stem of each plot, in report order.
pub const SENSITIVITY_PLOTS: [(AnalysisOutput, &str); 4] = [
    (
        AnalysisOutput::Probability(Outcome::WarOngoing),
        "sobol-war-ongoing",
    ),
    (AnalysisOutput::Probability(Outcome::Deal), "sobol-deal"),
    (
        AnalysisOutput::Probability(Outcome::LimitedStrikes),
        "sobol-limited-strikes",
    ),
    (AnalysisOutput::MeanEscalation, "sobol-escalation"),
];

/// Colour of first-order indices.
pub fn first_color() -> plotters::style::RGBColor {
    palette::series(0)
}

/// Colour of total-order indices.
pub fn total_color() -> plotters::style::RGBColor {
    palette::series(1)
}

/// The indices of `o` ranked by total order, largest first (ties by name,
/// so the order never depends on anything but the numbers).
pub fn ranked(o: &OutputIndices) -> Vec<&crate::analysis::sensitivity::ParamIndices> {
    let mut rows: Vec<_> = o.indices.iter().collect();
    rows.sort_by(|a, b| {
        key(&b.total)
            .total_cmp(&key(&a.total))
            .then(a.parameter.cmp(&b.parameter))
    });
    rows
}

fn key(e: &Estimate) -> f64 {
    if e.value.is_finite() {
        e.value
    } else {
        f64::NEG_INFINITY
    }
}

fn mark(e: &Estimate, color: plotters::style::RGBColor) -> RowMark {
    let finite = e.value.is_finite();
    let interval = (e.low.is_finite() && e.high.is_finite()).then_some((e.low, e.high));
    RowMark {
        value: finite.then_some(e.value),
        ..RowMark::bar(0.0, interval, color)
    }
}

/// The axis range: zero to one widened to the estimates, but never beyond
/// -0.5 or 1.5 (wilder bootstrap intervals are clipped with an arrow).
fn range(o: &OutputIndices) -> (f64, f64) {
    let all = o
        .indices
        .iter()
        .flat_map(|i| [&i.first, &i.total])
        .flat_map(|e| [e.value, e.low, e.high])
        .filter(|v| v.is_finite());
    let (lo, hi) = all.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let lo = ((lo / 0.1).floor() * 0.1).max(-0.5);
    let hi = ((hi / 0.1).ceil() * 0.1).clamp(0.2, 1.5);
    (lo - 0.02, hi + 0.02)
}

/// Bars of the first- and total-order index of every parameter for one
/// output, with 95% bootstrap whiskers.
pub fn index_chart(s: &Sensitivity, o: &OutputIndices) -> RowChart {
    let f = index_text;
    let rows = ranked(o)
        .into_iter()
        .map(|p| Row {
            label: s.scenario.label(&p.parameter),
            marks: vec![mark(&p.first, first_color()), mark(&p.total, total_color())],
            note: Some(format!("{} / {}", f(p.first.value), f(p.total.value))),
        })
        .collect();
    let (lo, hi) = range(o);
    RowChart {
        title: format!("What drives {}", o.output),
        subtitle: Some(format!(
            "{}: Sobol indices over {} uncertain parameters from a Saltelli design of {} rows x \
             {} matrices, {} trials per point (mean {}). Bars: share of the variance explained by each parameter \
             alone (S1) and with its interactions (ST); whiskers: 95% bootstrap intervals, \
             arrows where they run off the scale.",
            s.scenario.title,
            s.parameters.len(),
            s.samples,
            s.parameters.len() + 2,
            thousands(s.trials_per_sample),
            if o.output.is_probability() {
                ValueFormat::PERCENT_1.format(o.mean)
            } else {
                format!("{:.1}", o.mean)
            }
        )),
        x: Axis::new(
            "Sobol index (share of the output's variance)",
            ValueFormat::Fixed { decimals: 1 },
        )
        .with_range(lo, hi),
        x_ticks: 10,
        groups: vec![RowGroup {
            heading: None,
            rows,
        }],
        reference: Some(0.0),
        bar_base: 0.0,
        track: None,
        note_heading: Some("S1 / ST".into()),
        legend: Legend::new(vec![
            LegendEntry::new("first order S1 (alone)", LegendMark::Box(first_color())),
            LegendEntry::new(
                "total order ST (with interactions)",
                LegendMark::Box(total_color()),
            ),
        ]),
    }
}

/// The figures of a sensitivity analysis with their captions and sizes,
/// in report order (outputs of [`SENSITIVITY_PLOTS`] that are present).
pub fn sensitivity_figures(s: &Sensitivity) -> Vec<(RunFigure, (u32, u32))> {
    SENSITIVITY_PLOTS
        .iter()
        .filter_map(|&(output, name)| {
            let o = s.outputs.iter().find(|o| o.output == output)?;
            let chart = index_chart(s, o);
            let size = (
                DEFAULT_SIZE.0,
                chart.natural_height(DEFAULT_SIZE.0).max(DEFAULT_SIZE.1),
            );
            Some((
                RunFigure {
                    name,
                    caption: format!(
                        "What drives {output}. For each uncertain parameter, ranked by total \
                         order: the first-order index S1 (the share of the variance of \
                         {output} explained by the parameter alone) and the total-order index \
                         ST (including its interactions with the others), with 95% bootstrap \
                         intervals."
                    ),
                    figure: AnyFigure::Rows(chart),
                },
                size,
            ))
        })
        .collect()
}

/// Renders the sensitivity plots as PNG and SVG.
pub fn render_sensitivity_plots(s: &Sensitivity) -> Result<Vec<RunPlot>, PlotError> {
    sensitivity_figures(s)
        .into_iter()
        .map(|(f, size)| f.render(size))
        .collect()
}
