//! The plots of `brink discover`, drawn from a [`Discovery`]: PRIM's
//! peeling trajectory (coverage against density, the chosen box
//! highlighted), the parameters ranked by Kolmogorov-Smirnov separation,
//! and the chosen box's bounds within each restricted parameter's range.

use crate::analysis::discovery::Discovery;
use crate::format::{bounds_text, sig3, thousands};

use super::axis::{Axis, ValueFormat};
use super::legend::{Legend, LegendEntry, LegendMark};
use super::line::{LineChart, LineSeries, LineStyle};
use super::panels::AnyFigure;
use super::rows::{Row, RowChart, RowGroup, RowMark};
use super::run_plots::RunFigure;
use super::{DEFAULT_SIZE, PlotError, palette};
use crate::output::drawn::RunPlot;

/// File stems of the discovery plots under `plots/`, in report order.
pub const DISCOVERY_PLOT_NAMES: [&str; 3] = ["trajectory", "box", "ranking"];

/// The outcome searched for, as a label (`Regional war`).
pub fn outcome_label(d: &Discovery) -> String {
    d.outcome.label().to_string()
}

fn outcome_color(d: &Discovery) -> plotters::style::RGBColor {
    palette::outcome(d.outcome)
}

fn context(d: &Discovery) -> String {
    format!(
        "{}: {} trials, seed {}, base rate of {} {}.",
        d.scenario.title,
        thousands(d.trials),
        d.seed,
        outcome_label(d).to_lowercase(),
        ValueFormat::PERCENT_1.format(d.base_rate)
    )
}

/// Where `v` lies in `[lo, hi]`, 0 to 1 (0 when the range is empty).
pub fn normalise(v: f64, lo: f64, hi: f64) -> f64 {
    if hi > lo {
        ((v - lo) / (hi - lo)).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// The peeling trajectory: each box's coverage against its density, from
/// the full range (coverage 100%) inwards, with the chosen box, the box
/// after pasting and the base rate marked.
pub fn trajectory_chart(d: &Discovery) -> LineChart {
    let p = &d.prim;
    let path: Vec<(f64, f64)> = p
        .trajectory
        .iter()
        .map(|b| (b.coverage, b.density))
        .collect();
    let chosen = &p.trajectory[p.chosen.min(p.trajectory.len().saturating_sub(1))];
    let top = path
        .iter()
        .map(|q| q.1)
        .chain([p.pasted.density, d.base_rate])
        .fold(0.0, f64::max);
    let pct = |v: f64| ValueFormat::PERCENT_1.format(v);
    let accent = outcome_color(d);
    let unchanged = (p.pasted.coverage, p.pasted.density) == (chosen.coverage, chosen.density);
    let mut marks = Vec::new();
    if !unchanged {
        marks.push(LineSeries {
            style: LineStyle::Points,
            width: 4,
            ..LineSeries::line(
                "after pasting",
                palette::series(0),
                vec![(p.pasted.coverage, p.pasted.density)],
            )
        });
    }
    marks.push(LineSeries {
        style: LineStyle::Points,
        width: 6,
        ..LineSeries::line(
            if unchanged {
                "chosen box (pasting kept it)"
            } else {
                "chosen box"
            },
            accent,
            vec![(chosen.coverage, chosen.density)],
        )
    });
    let boxes = if unchanged {
        format!(
            "Chosen box: coverage {}, density {}.",
            pct(chosen.coverage),
            pct(chosen.density)
        )
    } else {
        format!(
            "Chosen box: coverage {}, density {}; after pasting {}, {}.",
            pct(chosen.coverage),
            pct(chosen.density),
            pct(p.pasted.coverage),
            pct(p.pasted.density)
        )
    };
    let mut chart = LineChart {
        title: format!(
            "Where {} concentrates: PRIM peeling",
            outcome_label(d).to_lowercase()
        ),
        subtitle: Some(format!(
            "{} Each dot is a box of assumptions after one more peel: the share of all \
             {} trials it captures (coverage) against the share of its trials that end so \
             (density). {}",
            context(d),
            outcome_label(d).to_lowercase(),
            boxes
        )),
        x: Axis::new("coverage (%)", ValueFormat::PERCENT).with_range(0.0, 1.0),
        x_ticks: 10,
        y: Axis::new("density (%)", ValueFormat::PERCENT)
            .with_range(0.0, ((top * 1.1) / 0.05).ceil().clamp(1.0, 20.0) * 0.05),
        bands: Vec::new(),
        series: vec![
            LineSeries {
                style: LineStyle::Dashed,
                width: 2,
                ..LineSeries::line(
                    format!("base rate {}", pct(d.base_rate)),
                    palette::MUTED,
                    vec![(0.0, d.base_rate), (1.0, d.base_rate)],
                )
            },
            LineSeries {
                width: 2,
                ..LineSeries::line("peeling trajectory", palette::NEUTRAL, path.clone())
            },
            LineSeries {
                label: String::new(),
                style: LineStyle::Points,
                width: 0,
                ..LineSeries::line("", palette::NEUTRAL, path)
            },
        ],
        legend: None,
        zero_line: false,
    };
    chart.series.extend(marks);
    chart
}

/// Rows of the box chart: the restricted parameters, or every parameter
/// when the box restricts none.
fn box_rows(d: &Discovery) -> Vec<usize> {
    let restricted: Vec<usize> = (0..d.parameters.len())
        .filter(|&j| d.prim.restricted.get(j).copied().unwrap_or(false))
        .collect();
    if restricted.is_empty() {
        (0..d.parameters.len()).collect()
    } else {
        restricted
    }
}

/// The box's bounds on each restricted parameter, as a bar over the
/// parameter's full sampled range scaled to 0..1.
pub fn box_chart(d: &Discovery) -> RowChart {
    let full = d.prim.trajectory.first().map(|b| b.bounds.clone());
    let rows = box_rows(d)
        .into_iter()
        .map(|j| {
            let [lo, hi] = full.as_ref().map_or([0.0, 1.0], |f| f[j]);
            let [a, b] = d.prim.pasted.bounds[j];
            Row {
                label: d.scenario.label(&d.parameters[j]),
                marks: vec![RowMark::range(
                    normalise(a, lo, hi),
                    normalise(b, lo, hi),
                    outcome_color(d),
                )],
                note: Some(format!(
                    "{} (of {})",
                    bounds_text(a, b, hi - lo),
                    bounds_text(lo, hi, hi - lo)
                )),
            }
        })
        .collect();
    let b = &d.prim.pasted;
    RowChart {
        title: format!(
            "The box where {} is most likely",
            outcome_label(d).to_lowercase()
        ),
        subtitle: Some(format!(
            "{} Coloured: the part of each parameter's range that the chosen box keeps \
             (after pasting); grey: the full range drawn in the trials. Inside the box: \
             density {}, coverage {}, {} of trials.",
            context(d),
            ValueFormat::PERCENT_1.format(b.density),
            ValueFormat::PERCENT_1.format(b.coverage),
            ValueFormat::PERCENT_1.format(b.support)
        )),
        x: Axis::new(
            "position within the range drawn (0 = lowest, 1 = highest)",
            ValueFormat::Fixed { decimals: 1 },
        )
        .with_range(-0.02, 1.02),
        x_ticks: 10,
        groups: vec![RowGroup {
            heading: None,
            rows,
        }],
        reference: None,
        bar_base: 0.0,
        track: Some((0.0, 1.0)),
        note_heading: Some("box (of full range)".into()),
        legend: Legend::new(vec![
            LegendEntry::new("kept by the box", LegendMark::Box(outcome_color(d))),
            LegendEntry::new("full range", LegendMark::Box(palette::TRACK)),
        ]),
    }
}

/// Parameters ranked by the Kolmogorov-Smirnov distance between their
/// values in trials with and without the outcome.
pub fn ranking_chart(d: &Discovery) -> RowChart {
    let restricted = |p: &str| {
        d.parameters
            .iter()
            .position(|q| q == p)
            .is_some_and(|j| d.prim.restricted.get(j).copied().unwrap_or(false))
    };
    let accent = outcome_color(d);
    let rows = d
        .ranking
        .iter()
        .map(|r| Row {
            label: d.scenario.label(&r.parameter),
            marks: vec![RowMark::bar(
                r.ks,
                None,
                if restricted(&r.parameter) {
                    accent
                } else {
                    palette::GREY
                },
            )],
            note: Some(format!("{} / {}", sig3(r.mean_with), sig3(r.mean_without))),
        })
        .collect();
    let top = d.ranking.iter().map(|r| r.ks).fold(0.0, f64::max);
    RowChart {
        title: format!(
            "Which assumptions separate {}",
            outcome_label(d).to_lowercase()
        ),
        subtitle: Some(format!(
            "{} Bar: Kolmogorov-Smirnov distance between a parameter's values in trials with \
             and without the outcome (0: same distribution, 1: fully separated). Notes: its \
             mean with / without.",
            context(d)
        )),
        x: Axis::new(
            "Kolmogorov-Smirnov distance",
            ValueFormat::Fixed { decimals: 2 },
        )
        .with_range(0.0, ((top * 1.1) / 0.05).ceil().clamp(1.0, 20.0) * 0.05),
        x_ticks: 8,
        groups: vec![RowGroup {
            heading: None,
            rows,
        }],
        reference: Some(0.0),
        bar_base: 0.0,
        track: None,
        note_heading: Some("mean with / without".into()),
        legend: Legend::new(vec![
            LegendEntry::new("restricted by the PRIM box", LegendMark::Box(accent)),
            LegendEntry::new("not restricted", LegendMark::Box(palette::GREY)),
        ]),
    }
}

/// The figures of a discovery with their captions and sizes, in report order.
pub fn discovery_figures(d: &Discovery) -> Vec<(RunFigure, (u32, u32))> {
    let what = outcome_label(d).to_lowercase();
    let tall = |c: &RowChart| {
        (
            DEFAULT_SIZE.0,
            c.natural_height(DEFAULT_SIZE.0).max(DEFAULT_SIZE.1 * 3 / 4),
        )
    };
    let boxed = box_chart(d);
    let ranking = ranking_chart(d);
    let (box_size, ranking_size) = (tall(&boxed), tall(&ranking));
    vec![
        (
            RunFigure {
                name: DISCOVERY_PLOT_NAMES[0],
                caption: format!(
                    "PRIM peeling trajectory for {what}. Each dot is a box of assumptions after \
                     one more peel, from the full range (coverage 100%) inwards; the \
                     highlighted dot is the densest box that keeps at least the minimum \
                     coverage, and the second the same box after pasting. The dashed line is \
                     the base rate."
                ),
                figure: AnyFigure::Line(trajectory_chart(d)),
            },
            DEFAULT_SIZE,
        ),
        (
            RunFigure {
                name: DISCOVERY_PLOT_NAMES[1],
                caption: format!(
                    "The chosen box. For each parameter the box restricts, the part of its \
                     range (as drawn in the trials, scaled 0 to 1) where {what} is most \
                     likely."
                ),
                figure: AnyFigure::Rows(boxed),
            },
            box_size,
        ),
        (
            RunFigure {
                name: DISCOVERY_PLOT_NAMES[2],
                caption: format!(
                    "Parameters ranked by how well they separate trials with {what} from the \
                     rest (Kolmogorov-Smirnov distance); coloured bars are the parameters the \
                     box restricts."
                ),
                figure: AnyFigure::Rows(ranking),
            },
            ranking_size,
        ),
    ]
}

/// Renders the discovery plots as PNG and SVG.
pub fn render_discovery_plots(d: &Discovery) -> Result<Vec<RunPlot>, PlotError> {
    discovery_figures(d)
        .into_iter()
        .map(|(f, size)| f.render(size))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_into_the_range() {
        assert_eq!(normalise(1.5, 1.0, 3.0), 0.25);
        assert_eq!(normalise(5.0, 1.0, 3.0), 1.0);
        assert_eq!(normalise(2.0, 2.0, 2.0), 0.0);
    }
}
