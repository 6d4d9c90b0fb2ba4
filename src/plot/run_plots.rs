//! The plots of `brink run`, drawn from a [`Summary`]: outcome
//! probabilities with intervals, rung occupancy by step, the escalation
//! score fan, cumulative final-outcome probabilities, milestone curves
//! (when a milestone occurs) and action frequencies.

use crate::format::thousands;
use crate::stats::Summary;
use crate::stats::wilson::wilson95;
use crate::world::{N_RUNGS, Outcome, RUNG_LABELS};

use super::area::{AreaLayer, StackedArea};
use super::axis::{Axis, ValueFormat};
use super::bar::{BarChart, BarSeries, Fill};
use super::date_ticks::date_ticks;
use super::heatmap::{ColourScale, HeatMap};
use super::legend::{Legend, LegendEntry, LegendMark};
use super::line::{Band, LineChart, LineSeries, LineStyle};
use super::milestone_plots::milestone_chart;
use super::panels::AnyFigure;
use super::{DEFAULT_SIZE, PlotError, palette, render_png, render_svg};
use crate::output::drawn::RunPlot;

/// File stems of the run plots under `plots/`, in report order.
pub const RUN_PLOT_NAMES: [&str; 6] = [
    "outcomes",
    "rungs",
    "escalation",
    "cumulative",
    "milestones",
    "actions",
];

/// Size of the milestone plot: two panels, one above the other.
pub const MILESTONE_PLOT_SIZE: (u32, u32) = (1200, 1100);

/// A figure of a run before rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct RunFigure {
    /// File stem.
    pub name: &'static str,
    /// Caption for the report.
    pub caption: String,
    /// The chart.
    pub figure: AnyFigure,
}

impl RunFigure {
    /// Renders the figure as PNG and SVG of `size` pixels.
    pub fn render(self, size: (u32, u32)) -> Result<RunPlot, PlotError> {
        Ok(RunPlot {
            name: self.name,
            title: self.figure.title().to_string(),
            png: render_png(&self.figure, size)?,
            svg: render_svg(&self.figure, size)?,
            caption: self.caption,
            size,
        })
    }
}

fn context(s: &Summary) -> String {
    format!(
        "{}: {} trials, seed {}, {} {}s.",
        s.scenario.title,
        thousands(s.trials),
        s.seed,
        s.horizon,
        s.step_label
    )
}

/// The time axis: steps since the start, or dates for a scenario with a
/// calendar.
fn steps_axis(s: &Summary) -> Axis {
    let range = (0.0, f64::from(s.horizon.max(1)));
    match &s.calendar {
        Some(c) => Axis::new(
            format!("date ({} 0 is {})", s.step_label, c.date(0)),
            ValueFormat::INTEGER,
        )
        .with_range(range.0, range.1)
        .with_ticks(date_ticks(c, s.horizon.max(1))),
        None => Axis::new(
            format!("{}s since the start", s.step_label),
            ValueFormat::INTEGER,
        )
        .with_range(range.0, range.1),
    }
}

fn x_ticks(s: &Summary) -> usize {
    (s.horizon as usize).clamp(2, 14)
}

/// `x` rounded up to a multiple of `step`.
fn ceil_to(x: f64, step: f64) -> f64 {
    (x / step).ceil() * step
}

/// Outcome probabilities as bars with 95% Wilson whiskers and percentages.
pub fn outcome_chart(s: &Summary) -> BarChart {
    BarChart {
        title: "Outcome probabilities".into(),
        subtitle: Some(format!(
            "{} Bars: share of trials ending in each outcome; whiskers: 95% Wilson intervals.",
            context(s)
        )),
        categories: s.outcomes.iter().map(|o| o.label.clone()).collect(),
        x_label: "outcome (in order of precedence)".into(),
        y: Axis::new("share of trials (%)", ValueFormat::PERCENT),
        series: vec![BarSeries {
            label: s.scenario.title.clone(),
            values: s.outcomes.iter().map(|o| o.probability).collect(),
            intervals: Some(s.outcomes.iter().map(|o| (o.ci95[0], o.ci95[1])).collect()),
            fill: Fill::PerCategory(Outcome::ALL.iter().map(|&o| palette::outcome(o)).collect()),
        }],
        value_labels: Some(ValueFormat::PERCENT_1),
        legend: None,
    }
}

/// Share of trials on each rung, step by step, as a stacked area.
pub fn rung_chart(s: &Summary) -> StackedArea {
    StackedArea {
        title: "Escalation rung week by week".replace("week", &s.step_label),
        subtitle: Some(format!(
            "{} Share of trials on each rung of the escalation ladder at the end of each {}.",
            context(s),
            s.step_label
        )),
        x: steps_axis(s),
        x_ticks: x_ticks(s),
        y: Axis::new("share of trials (%)", ValueFormat::PERCENT).with_range(0.0, 1.0),
        x_values: (0..s.series.rung_occupancy.len())
            .map(|t| t as f64)
            .collect(),
        layers: (0..N_RUNGS)
            .map(|r| AreaLayer {
                label: format!("{r} {}", RUNG_LABELS[r]),
                color: palette::rung(r),
                values: s.series.rung_occupancy.iter().map(|row| row[r]).collect(),
            })
            .collect(),
        show_legend: true,
        legend_title: Some("Rung".into()),
    }
}

/// The cumulative escalation score: median with 50% and 90% bands.
pub fn escalation_chart(s: &Summary) -> LineChart {
    let p = &s.series.escalation_percentiles;
    let x: Vec<f64> = (0..p.len()).map(|t| t as f64).collect();
    let col = |k: usize| p.iter().map(|row| row[k]).collect::<Vec<f64>>();
    let band90 = palette::tint(palette::NEUTRAL, 0.84);
    let band50 = palette::tint(palette::NEUTRAL, 0.62);
    LineChart {
        title: "Escalation score over time".into(),
        subtitle: Some(format!(
            "{} Sum of the EscalAItion scores of all actions so far (de-escalation -2, \
             posturing 4, non-violent escalation 12, violent escalation 28).",
            context(s)
        )),
        x: steps_axis(s),
        x_ticks: x_ticks(s),
        y: Axis::new("cumulative escalation score (points)", ValueFormat::INTEGER),
        bands: vec![
            Band {
                label: "middle 90% of trials".into(),
                color: band90,
                opacity: 1.0,
                x: x.clone(),
                lower: col(0),
                upper: col(4),
            },
            Band {
                label: "middle 50% of trials".into(),
                color: band50,
                opacity: 1.0,
                x: x.clone(),
                lower: col(1),
                upper: col(3),
            },
        ],
        series: vec![LineSeries::line(
            "median",
            palette::NEUTRAL,
            x.iter().copied().zip(col(2)).collect(),
        )],
        legend: Some(Legend::new(vec![
            LegendEntry::new("median trial", LegendMark::Line(palette::NEUTRAL)),
            LegendEntry::new("middle 50% of trials", LegendMark::Box(band50)),
            LegendEntry::new("middle 90% of trials", LegendMark::Box(band90)),
        ])),
        zero_line: true,
    }
}

/// Cumulative probability of each outcome by step. Outcomes that are only
/// decided at the horizon (standoff, talks ongoing, usually breakout) are
/// drawn as a point there rather than as a line jumping at the end.
pub fn cumulative_chart(s: &Summary) -> LineChart {
    let c = &s.series.cumulative_outcomes;
    let last = c.len().saturating_sub(1);
    let n = s.trials;
    let mut top: f64 = 0.0;
    let mut bands = Vec::new();
    // Outcomes decided only at the end are dots at the horizon; dots that
    // would cover each other move apart along the x axis.
    let mut dots: Vec<f64> = Vec::new();
    let series: Vec<LineSeries> = Outcome::ALL
        .iter()
        .map(|&o| {
            let fin = c.last().map_or(0.0, |row| row[o]);
            let early = c[..last].iter().any(|row| row[o] > 0.0);
            let label = format!("{} {}", o.label(), crate::format::percent(fin));
            // Pointwise 95% Wilson band from the count behind each share.
            let wilson = |p: f64| wilson95((p * n as f64).round() as u64, n);
            top = top.max(wilson(fin).1);
            let mut line = if early {
                bands.push(Band {
                    label: String::new(),
                    color: palette::outcome(o),
                    opacity: 0.18,
                    x: (0..c.len()).map(|t| t as f64).collect(),
                    lower: c.iter().map(|row| wilson(row[o]).0).collect(),
                    upper: c.iter().map(|row| wilson(row[o]).1).collect(),
                });
                LineSeries::line(
                    label,
                    palette::outcome(o),
                    c.iter()
                        .enumerate()
                        .map(|(t, row)| (t as f64, row[o]))
                        .collect(),
                )
            } else {
                LineSeries::line(label, palette::outcome(o), vec![(last as f64, fin)])
            };
            if !early {
                line.style = LineStyle::Points;
                line.width = 3;
                if fin > 0.0 {
                    dots.push(fin);
                }
            }
            line
        })
        .collect();
    let y_top = ceil_to(top * 1.06, 0.05).clamp(0.05, 1.0);
    // Room after the horizon for the dots: half a dot's width per dot that
    // must step aside.
    let step = (last.max(1) as f64) / 60.0;
    let mut offsets: Vec<f64> = Vec::new();
    for (k, &y) in dots.iter().enumerate() {
        let crowded = dots[..k]
            .iter()
            .zip(&offsets)
            .filter(|&(&other, _)| (other - y).abs() < y_top * 0.03)
            .count();
        offsets.push(crowded as f64 * step);
    }
    let mut k = 0;
    let series: Vec<LineSeries> = series
        .into_iter()
        .map(|mut line| {
            if line.style == LineStyle::Points && line.points.first().is_some_and(|p| p.1 > 0.0) {
                line.points[0].0 += offsets[k];
                k += 1;
            }
            line
        })
        .collect();
    let pad = step * 1.5 + offsets.iter().copied().fold(0.0, f64::max);
    // The legend lists outcomes in order of precedence; lines are drawn in
    // reverse, so that a deal is on top where curves meet (at zero, early).
    let legend = LineChart {
        series: series.clone(),
        ..LineChart::empty()
    }
    .default_legend();
    let series = series.into_iter().rev().collect();
    let mut x = steps_axis(s);
    x.range = x.range.map(|(lo, hi)| (lo, hi + pad));
    LineChart {
        title: "Cumulative probability of each final outcome".into(),
        subtitle: Some(format!(
            "{} Share of trials by final outcome, dated at the {} the outcome was decided \
             (a strike counts when the trial ends in limited strikes, not when it happened); \
             shaded: 95% interval; dots: outcomes only decided at the end.",
            context(s),
            s.step_label
        )),
        x,
        x_ticks: x_ticks(s),
        y: Axis::new("cumulative probability (%)", ValueFormat::PERCENT).with_range(0.0, y_top),
        bands,
        series,
        legend: Some(legend),
        zero_line: false,
    }
}

/// Merges several orderings into one that keeps each list's relative
/// order where they agree: an item not yet placed goes just before the
/// next already-placed item of its own list.
pub fn merge_orders<'a>(lists: impl IntoIterator<Item = Vec<&'a str>>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for list in lists {
        for (k, item) in list.iter().enumerate() {
            if out.contains(item) {
                continue;
            }
            let next = list[k + 1..]
                .iter()
                .find_map(|later| out.iter().position(|x| x == later));
            match next {
                Some(pos) => out.insert(pos, item),
                None => out.push(item),
            }
        }
    }
    out
}

/// How often each actor took each action, as a heat map of shares of its
/// choices (actors by row, actions by column, blank where not open).
pub fn action_chart(s: &Summary) -> HeatMap {
    let columns = merge_orders(
        s.actions
            .iter()
            .map(|a| a.actions.iter().map(|f| f.action.as_str()).collect()),
    );
    let values = s
        .actions
        .iter()
        .map(|a| {
            columns
                .iter()
                .map(|c| a.actions.iter().find(|f| f.action == *c).map(|f| f.share))
                .collect()
        })
        .collect();
    HeatMap {
        title: "What each actor did".into(),
        subtitle: Some(format!(
            "{} Share of each actor's {}ly choices that went to each action, over all \
             trials; darker is more often, blank is not open to the actor.",
            context(s),
            s.step_label
        )),
        rows: s.actions.iter().map(|a| a.name.clone()).collect(),
        columns: columns.iter().map(|c| c.replace('_', " ")).collect(),
        values,
        scale: ColourScale {
            min: 0.0,
            max: 1.0,
            sqrt: true,
        },
        format: ValueFormat::PERCENT,
        key: Vec::new(),
        key_title: None,
    }
}

/// The figures of a run with their captions and sizes, in report order:
/// five always, and the milestone plot when some trial reached a milestone
/// it draws.
pub fn run_figures(s: &Summary) -> Vec<(RunFigure, (u32, u32))> {
    let step = &s.step_label;
    let milestones = milestone_chart(s, &steps_axis(s), x_ticks(s)).map(|chart| {
        let hazard = if chart.figures.len() > 1 {
            format!(
                " Bottom: the first strike's hazard, the share of the trials with no strike by \
                 the end of the {step} before that struck in the {step}, with its 95% Wilson \
                 interval."
            )
        } else {
            String::new()
        };
        RunFigure {
            name: RUN_PLOT_NAMES[4],
            caption: format!(
                "Milestones. Top: the share of all {} trials that had first reached each \
                 milestone (first strike by anyone, war start, ceasefire, war end, interim \
                 agreement, deal, breakout; those never reached are left out) by the end of \
                 each {step}, whatever the trial's final outcome, with pointwise 95% Wilson \
                 bands.{hazard} Each principal's own first strike and the first incident are in \
                 summary.json and timeseries.csv.",
                thousands(s.trials)
            ),
            figure: AnyFigure::Panels(chart),
        }
    });
    let figures = vec![
        RunFigure {
            name: RUN_PLOT_NAMES[0],
            caption: format!(
                "Outcome probabilities. Each bar is the share of the {} trials that ended in \
                 that outcome; the whisker is its 95% Wilson interval.",
                thousands(s.trials)
            ),
            figure: AnyFigure::Bar(outcome_chart(s)),
        },
        RunFigure {
            name: RUN_PLOT_NAMES[1],
            caption: format!(
                "Escalation rung by {step}. The share of trials on each rung of the ladder \
                 (0 diplomacy to 5 war) at the end of each {step}."
            ),
            figure: AnyFigure::Area(rung_chart(s)),
        },
        RunFigure {
            name: RUN_PLOT_NAMES[2],
            caption: format!(
                "Escalation score over time. The median trial's cumulative EscalAItion \
                 score by {step}, with the bands holding the middle 50% and 90% of trials."
            ),
            figure: AnyFigure::Line(escalation_chart(s)),
        },
        RunFigure {
            name: RUN_PLOT_NAMES[3],
            caption: format!(
                "Cumulative probability of each final outcome. Trials by the outcome they \
                 finally ended in, each counted from the {step} at which that outcome was \
                 decided (a war from the {step} it began, a deal from the {step} it closed), \
                 not from their first strike: a trial with strikes that later ended in a deal \
                 counts only as a deal. Outcomes decided only at the end are dots. For the \
                 first strike itself see the milestone plot."
            ),
            figure: AnyFigure::Line(cumulative_chart(s)),
        },
        RunFigure {
            name: RUN_PLOT_NAMES[5],
            caption: format!(
                "What each actor did. The share of each actor's {step}ly choices that went \
                 to each action, over all trials."
            ),
            figure: AnyFigure::Heat(action_chart(s)),
        },
    ];
    let mut out: Vec<(RunFigure, (u32, u32))> =
        figures.into_iter().map(|f| (f, DEFAULT_SIZE)).collect();
    if let Some(m) = milestones {
        out.insert(4, (m, MILESTONE_PLOT_SIZE));
    }
    out
}

/// Renders the plots of a run as PNG and SVG ([`DEFAULT_SIZE`], the
/// milestone plot at [`MILESTONE_PLOT_SIZE`]).
pub fn render_run_plots(s: &Summary) -> Result<Vec<RunPlot>, PlotError> {
    run_figures(s)
        .into_iter()
        .map(|(f, size)| f.render(size))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_action_orders() {
        let us = vec!["negotiate", "ease", "hold", "deploy", "strike"];
        let iran = vec!["negotiate", "cut", "hold", "enrich", "strike"];
        let med = vec!["mediate", "hold"];
        assert_eq!(
            merge_orders([us, iran, med]),
            vec![
                "negotiate",
                "ease",
                "cut",
                "mediate",
                "hold",
                "deploy",
                "enrich",
                "strike"
            ]
        );
    }
}
