//! The plots of `brink compare`, drawn from a [`Comparison`]: outcome
//! probabilities side by side, a forest plot of the paired differences from
//! the baseline, the cumulative probability of a war outcome by step, the
//! milestone curves of every scenario in panels (when a milestone occurs),
//! and the rung occupancy of each scenario in panels.

use crate::format::thousands;
use crate::stats::comparison::Comparison;
use crate::stats::wilson::wilson95;
use crate::world::{N_RUNGS, Outcome, RUNG_LABELS};

use super::area::{AreaLayer, StackedArea};
use super::axis::{Axis, ValueFormat};
use super::bar::{BarChart, BarSeries, Fill};
use super::date_ticks::date_ticks;
use super::legend::{Legend, LegendEntry, LegendMark};
use super::line::{Band, LineChart, LineSeries};
use super::panels::{AnyFigure, Panels};
use super::rows::{Row, RowChart, RowGroup, RowMark};
use super::run_plots::RunFigure;
use super::{DEFAULT_SIZE, PlotError, palette};
use crate::output::drawn::RunPlot;

/// File stems of the comparison plots under `plots/`, in report order.
pub const COMPARE_PLOT_NAMES: [&str; 5] = ["outcomes", "differences", "war", "milestones", "rungs"];

/// The milestones of the comparison's milestone panels, in order.
const PANEL_MILESTONES: [&str; 6] = [
    "first_strike",
    "war_start",
    "ceasefire",
    "war_end",
    "deal",
    "breakout",
];

/// Width of every comparison plot; the forest plot and the panels grow
/// taller with the number of scenarios.
const WIDTH: u32 = DEFAULT_SIZE.0;

/// Height of one row of rung panels.
const PANEL_HEIGHT: u32 = 400;

fn context(c: &Comparison) -> String {
    format!(
        "{} scenarios, {} paired trials each, seed {}.",
        c.scenarios.len(),
        thousands(c.trials),
        c.seed
    )
}

/// The name of scenario `k` as plots show it.
fn name(c: &Comparison, k: usize) -> &str {
    &c.scenarios[k].scenario.name
}

/// The longest horizon and its step label (the baseline's).
fn steps(c: &Comparison) -> (u32, &str) {
    let horizon = c.scenarios.iter().map(|s| s.horizon).max().unwrap_or(1);
    (horizon.max(1), &c.baseline().step_label)
}

/// The time axis of a chart over steps: dates when every scenario has the
/// same calendar, steps since the start otherwise.
fn time_axis(c: &Comparison, horizon: u32, step: &str) -> Axis {
    let steps = Axis::new(format!("{step}s since the start"), ValueFormat::INTEGER)
        .with_range(0.0, f64::from(horizon));
    let first = c.baseline().calendar;
    match first {
        Some(cal) if c.scenarios.iter().all(|s| s.calendar == first) => Axis::new(
            format!("date ({step} 0 is {})", cal.date(0)),
            ValueFormat::INTEGER,
        )
        .with_range(0.0, f64::from(horizon))
        .with_ticks(date_ticks(&cal, horizon)),
        _ => steps,
    }
}

/// Outcome probabilities of every scenario as grouped bars (one colour per
/// scenario) with 95% Wilson whiskers.
pub fn outcome_chart(c: &Comparison) -> BarChart {
    BarChart {
        title: "Outcome probabilities by scenario".into(),
        subtitle: Some(format!(
            "{} Bars: share of trials ending in each outcome; whiskers: 95% Wilson intervals.",
            context(c)
        )),
        categories: c.outcomes.iter().map(|o| o.label.clone()).collect(),
        x_label: "outcome (in order of precedence)".into(),
        y: Axis::new("share of trials (%)", ValueFormat::PERCENT),
        series: c
            .scenarios
            .iter()
            .enumerate()
            .map(|(k, s)| BarSeries {
                label: s.scenario.name.clone(),
                values: s.outcomes.iter().map(|o| o.probability).collect(),
                intervals: Some(s.outcomes.iter().map(|o| (o.ci95[0], o.ci95[1])).collect()),
                fill: Fill::Uniform(palette::series(k)),
            })
            .collect(),
        value_labels: Some(ValueFormat::PERCENT_1),
        legend: Some(Legend::new(
            (0..c.scenarios.len())
                .map(|k| LegendEntry::new(name(c, k), LegendMark::Box(palette::series(k))))
                .collect(),
        )),
    }
}

/// `+1.23 [+0.45, +2.01]` in percentage points.
pub fn difference_note(d: f64, ci: [f64; 2]) -> String {
    let f = ValueFormat::Points { decimals: 1 };
    format!("{} [{}, {}]", f.format(d), f.format(ci[0]), f.format(ci[1]))
}

/// A forest plot of the paired differences from the baseline: one group
/// per outcome, one row per alternative scenario, a dot at the difference
/// with its 95% paired interval; hollow where the interval includes zero.
pub fn difference_chart(c: &Comparison) -> RowChart {
    let groups = Outcome::ALL
        .iter()
        .map(|&o| RowGroup {
            heading: Some(o.label().to_string()),
            rows: (1..c.scenarios.len())
                .filter_map(|k| {
                    let d = c.difference(k, o)?;
                    Some(Row {
                        label: name(c, k).to_string(),
                        marks: vec![RowMark {
                            hollow: !d.excludes_zero,
                            ..RowMark::dot(d.difference, (d.ci95[0], d.ci95[1]), palette::series(k))
                        }],
                        note: Some(difference_note(d.difference, d.ci95)),
                    })
                })
                .collect(),
        })
        .collect();
    let mut entries: Vec<LegendEntry> = (1..c.scenarios.len())
        .map(|k| LegendEntry::new(name(c, k), LegendMark::Point(palette::series(k))))
        .collect();
    entries.push(LegendEntry::new(
        "interval excludes 0",
        LegendMark::Point(palette::NEUTRAL),
    ));
    entries.push(LegendEntry::new(
        "includes 0",
        LegendMark::Ring(palette::NEUTRAL),
    ));
    RowChart {
        title: format!("Paired differences from {}", name(c, 0)),
        subtitle: Some(format!(
            "{} Dot: change in the probability of each outcome against the baseline, trial \
             by trial (common random numbers); line: 95% paired (Tango score) interval; \
             hollow: the interval includes zero.",
            context(c)
        )),
        x: Axis::new(
            format!("difference from {} (percentage points)", name(c, 0)),
            ValueFormat::Points { decimals: 0 },
        ),
        x_ticks: 10,
        groups,
        reference: Some(0.0),
        bar_base: 0.0,
        track: None,
        note_heading: Some("pp [95% interval]".into()),
        legend: Legend::new(entries),
    }
}

/// Cumulative share of trials with a war outcome by the step of that
/// outcome, one line per scenario with its 95% Wilson band.
pub fn war_chart(c: &Comparison) -> LineChart {
    let (horizon, step) = steps(c);
    let mut top: f64 = 0.0;
    let mut bands = Vec::new();
    let mut series = Vec::new();
    for (k, s) in c.scenarios.iter().enumerate() {
        let cum = &s.cumulative_war;
        let x: Vec<f64> = (0..cum.len()).map(|t| t as f64).collect();
        let iv: Vec<(f64, f64)> = cum
            .iter()
            .map(|&p| wilson95((p * c.trials as f64).round() as u64, c.trials))
            .collect();
        top = top.max(iv.iter().map(|v| v.1).fold(0.0, f64::max));
        bands.push(Band {
            label: String::new(),
            color: palette::series(k),
            opacity: 0.18,
            x: x.clone(),
            lower: iv.iter().map(|v| v.0).collect(),
            upper: iv.iter().map(|v| v.1).collect(),
        });
        let last = cum.last().copied().unwrap_or(0.0);
        series.push(LineSeries::line(
            format!(
                "{} {}",
                s.scenario.name,
                ValueFormat::PERCENT_1.format_nonzero(last)
            ),
            palette::series(k),
            x.into_iter().zip(cum.iter().copied()).collect(),
        ));
    }
    LineChart {
        title: "Cumulative probability of a war outcome".into(),
        subtitle: Some(format!(
            "{} Share of trials classed as a war outcome (war ongoing, ended, or followed \
             by settlement) by the {step} of that outcome; shaded: 95% Wilson interval. \
             The legend gives the probability at the end.",
            context(c)
        )),
        x: time_axis(c, horizon, step),
        x_ticks: (horizon as usize).clamp(2, 14),
        y: Axis::new("cumulative probability (%)", ValueFormat::PERCENT)
            .with_range(0.0, ((top * 1.08) / 0.05).ceil().clamp(1.0, 20.0) * 0.05),
        bands,
        series,
        legend: None,
        zero_line: false,
    }
}

/// The milestone curves side by side: one panel per key milestone that
/// some scenario reached (first strike, war start, ceasefire, war end,
/// deal, breakout), a line per scenario with its pointwise 95% Wilson
/// band; `None` when no scenario reached any of them.
pub fn milestone_panels(c: &Comparison) -> Option<Panels> {
    let (horizon, step) = steps(c);
    // Panels are narrow: steps, with the baseline's start date in the label.
    let x_axis = Axis::new(
        match c.baseline().calendar {
            Some(cal) => format!("{step}s ({step} 0 is {})", cal.date(0)),
            None => format!("{step}s"),
        },
        ValueFormat::INTEGER,
    )
    .with_range(0.0, f64::from(horizon));
    let figures: Vec<AnyFigure> = PANEL_MILESTONES
        .iter()
        .filter_map(|&name| {
            let curves: Vec<_> = c
                .scenarios
                .iter()
                .map(|s| s.milestones.iter().find(|m| m.name == name))
                .collect();
            let label = curves.iter().flatten().next()?.label.clone();
            if !curves.iter().flatten().any(|m| m.occurs()) {
                return None;
            }
            let top = curves
                .iter()
                .flatten()
                .flat_map(|m| m.cumulative.iter().map(|p| p.ci95[1]))
                .fold(0.0f64, f64::max);
            let mut bands = Vec::new();
            let mut series = Vec::new();
            for (k, m) in curves.iter().enumerate() {
                let Some(m) = m else { continue };
                let x: Vec<f64> = m.cumulative.iter().map(|p| f64::from(p.step)).collect();
                bands.push(Band {
                    label: String::new(),
                    color: palette::series(k),
                    opacity: 0.18,
                    x: x.clone(),
                    lower: m.cumulative.iter().map(|p| p.ci95[0]).collect(),
                    upper: m.cumulative.iter().map(|p| p.ci95[1]).collect(),
                });
                series.push(LineSeries::line(
                    String::new(),
                    palette::series(k),
                    m.cumulative
                        .iter()
                        .map(|p| (f64::from(p.step), p.share))
                        .collect(),
                ));
            }
            Some(AnyFigure::Line(LineChart {
                title: label,
                subtitle: None,
                x: x_axis.clone(),
                x_ticks: (horizon as usize).clamp(2, 7),
                y: Axis::new("reached by then (%)", ValueFormat::PERCENT)
                    .with_range(0.0, ((top * 1.08) / 0.05).ceil().clamp(1.0, 20.0) * 0.05),
                bands,
                series,
                legend: Some(Legend::default()),
                zero_line: false,
            }))
        })
        .collect();
    if figures.is_empty() {
        return None;
    }
    let mut entries: Vec<LegendEntry> = (0..c.scenarios.len())
        .map(|k| LegendEntry::new(name(c, k), LegendMark::Line(palette::series(k))))
        .collect();
    entries.push(LegendEntry::new(
        "95% band (pointwise)",
        LegendMark::Box(palette::tint(palette::NEUTRAL, 0.82)),
    ));
    Some(Panels {
        title: "Milestones: share of trials that reached each, scenario by scenario".into(),
        subtitle: Some(format!(
            "{} Share of all trials that had first reached the milestone by the end of each \
             {step}, whatever their final outcome; shaded: 95% Wilson interval, step by step.",
            context(c)
        )),
        columns: 2,
        figures,
        legend: Legend::new(entries),
    })
}

/// Columns of the rung panels.
fn panel_columns(n: usize) -> usize {
    n.clamp(1, 2)
}

/// Share of trials on each rung by step, one stacked-area panel per scenario.
pub fn rung_panels(c: &Comparison) -> Panels {
    let (horizon, step) = steps(c);
    let figures = c
        .scenarios
        .iter()
        .map(|s| {
            AnyFigure::Area(StackedArea {
                title: s.scenario.name.clone(),
                subtitle: None,
                x: Axis::new(format!("{step}s"), ValueFormat::INTEGER)
                    .with_range(0.0, f64::from(horizon)),
                x_ticks: (horizon as usize).clamp(2, 7),
                y: Axis::new("share of trials (%)", ValueFormat::PERCENT).with_range(0.0, 1.0),
                x_values: (0..s.rung_occupancy.len()).map(|t| t as f64).collect(),
                layers: (0..N_RUNGS)
                    .map(|r| AreaLayer {
                        label: format!("{r} {}", RUNG_LABELS[r]),
                        color: palette::rung(r),
                        values: s.rung_occupancy.iter().map(|row| row[r]).collect(),
                    })
                    .collect(),
                show_legend: false,
                legend_title: None,
            })
        })
        .collect();
    Panels {
        title: format!("Escalation rung {step} by {step}, scenario by scenario"),
        subtitle: Some(format!(
            "{} Share of trials on each rung of the escalation ladder at the end of each {step}.",
            context(c)
        )),
        columns: panel_columns(c.scenarios.len()),
        figures,
        legend: Legend::new(
            (0..N_RUNGS)
                .rev()
                .map(|r| {
                    LegendEntry::new(
                        format!("{r} {}", RUNG_LABELS[r]),
                        LegendMark::Box(palette::rung(r)),
                    )
                })
                .collect(),
        )
        .titled("Rung"),
    }
}

/// The figures of a comparison with their captions and sizes, in report order.
pub fn compare_figures(c: &Comparison) -> Vec<(RunFigure, (u32, u32))> {
    let (_, step) = steps(c);
    let forest = difference_chart(c);
    let forest_size = (WIDTH, forest.natural_height(WIDTH));
    let rows = c.scenarios.len().div_ceil(panel_columns(c.scenarios.len())) as u32;
    let milestones = milestone_panels(c).map(|p| {
        let rows = p.figures.len().div_ceil(2) as u32;
        let at: Vec<String> = c
            .milestone_steps
            .iter()
            .map(|a| a.step.to_string())
            .collect();
        (
            RunFigure {
                name: COMPARE_PLOT_NAMES[3],
                caption: format!(
                    "Milestones, scenario by scenario. For each milestone some scenario \
                     reached, the share of each scenario's {} trials that had first reached \
                     it by the end of each {step}, whatever the trial's final outcome, with \
                     pointwise 95% Wilson bands. The paired differences at {step}s {} are in \
                     the table below.",
                    thousands(c.trials),
                    at.join(", ")
                ),
                figure: AnyFigure::Panels(p),
            },
            (WIDTH, 140 + rows * PANEL_HEIGHT),
        )
    });
    let mut figures = vec![
        (
            RunFigure {
                name: COMPARE_PLOT_NAMES[0],
                caption: format!(
                    "Outcome probabilities by scenario. Each bar is the share of the {} trials \
                     of a scenario that ended in that outcome; the whisker is its 95% Wilson \
                     interval.",
                    thousands(c.trials)
                ),
                figure: AnyFigure::Bar(outcome_chart(c)),
            },
            DEFAULT_SIZE,
        ),
        (
            RunFigure {
                name: COMPARE_PLOT_NAMES[1],
                caption: format!(
                    "Paired differences from the baseline {}. For each outcome and scenario, \
                     the change in probability in percentage points with its 95% paired \
                     interval; a filled dot marks an interval that excludes zero.",
                    name(c, 0)
                ),
                figure: AnyFigure::Rows(forest),
            },
            forest_size,
        ),
        (
            RunFigure {
                name: COMPARE_PLOT_NAMES[2],
                caption: format!(
                    "Cumulative probability of a war outcome. The share of trials of each \
                     scenario classed as a war outcome by the {step} of that outcome, with a 95% Wilson \
                     band."
                ),
                figure: AnyFigure::Line(war_chart(c)),
            },
            DEFAULT_SIZE,
        ),
        (
            RunFigure {
                name: COMPARE_PLOT_NAMES[4],
                caption: format!(
                    "Escalation rung by {step}, one panel per scenario. The share of trials on \
                     each rung of the ladder (0 diplomacy to 5 war) at the end of each \
                     {step}."
                ),
                figure: AnyFigure::Panels(rung_panels(c)),
            },
            (WIDTH, 140 + rows * PANEL_HEIGHT),
        ),
    ];
    if let Some(m) = milestones {
        figures.insert(3, m);
    }
    figures
}

/// Renders the comparison plots as PNG and SVG.
pub fn render_compare_plots(c: &Comparison) -> Result<Vec<RunPlot>, PlotError> {
    compare_figures(c)
        .into_iter()
        .map(|(f, size)| f.render(size))
        .collect()
}
