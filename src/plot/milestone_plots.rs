//! The milestone plot of `brink run`: the share of trials that reached each
//! milestone (first strike, war start, ceasefire, war end, interim
//! agreement, deal, breakout) by every step, with its pointwise 95% Wilson
//! band, over a second panel with the per-step hazard of the first strike.

use crate::format::thousands;
use crate::stats::Summary;
use crate::stats::milestones::MilestoneCurve;

use super::axis::{Axis, ValueFormat};
use super::legend::{Legend, LegendEntry, LegendMark};
use super::line::{Band, LineChart, LineSeries};
use super::palette;
use super::panels::{AnyFigure, Panels};

/// The milestones the plot draws, in legend order, with their colours
/// (the first incident and each principal's own first strike are left to
/// the tables: the first would squash the others' scale, the second
/// crowd the legend).
const DRAWN: [(&str, usize); 7] = [
    ("first_strike", 5),
    ("war_start", 6),
    ("ceasefire", 4),
    ("war_end", 1),
    ("interim", 3),
    ("deal", 2),
    ("breakout", 7),
];

/// Opacity of a band.
const BAND_OPACITY: f64 = 0.22;

/// The drawn milestones that some trial reached, with their colours.
fn drawn(s: &Summary) -> Vec<(&MilestoneCurve, plotters::style::RGBColor)> {
    DRAWN
        .iter()
        .filter_map(|&(name, c)| {
            let m = s.milestones.iter().find(|m| m.name == name)?;
            m.occurs().then_some((m, palette::OKABE_ITO[c % 8]))
        })
        .collect()
}

fn steps(m: &MilestoneCurve) -> Vec<f64> {
    m.cumulative.iter().map(|p| f64::from(p.step)).collect()
}

/// Cumulative share reached by each step, one line and band per milestone.
fn cumulative_panel(s: &Summary, x: &Axis, x_ticks: usize) -> LineChart {
    let lines = drawn(s);
    let top = lines
        .iter()
        .flat_map(|(m, _)| m.cumulative.iter().map(|p| p.ci95[1]))
        .fold(0.0f64, f64::max);
    LineChart {
        title: format!(
            "Share of trials that reached each milestone by each {}",
            s.step_label
        ),
        subtitle: None,
        x: x.clone(),
        x_ticks,
        y: Axis::new("share of trials (%)", ValueFormat::PERCENT)
            .with_range(0.0, ((top * 1.06) / 0.05).ceil().clamp(1.0, 20.0) * 0.05),
        bands: lines
            .iter()
            .map(|(m, c)| Band {
                label: String::new(),
                color: *c,
                opacity: BAND_OPACITY,
                x: steps(m),
                lower: m.cumulative.iter().map(|p| p.ci95[0]).collect(),
                upper: m.cumulative.iter().map(|p| p.ci95[1]).collect(),
            })
            .collect(),
        series: lines
            .iter()
            .map(|(m, c)| {
                let pts = m
                    .cumulative
                    .iter()
                    .map(|p| (f64::from(p.step), p.share))
                    .collect();
                LineSeries::line(String::new(), *c, pts)
            })
            .collect(),
        legend: Some(Legend::default()),
        zero_line: false,
    }
}

/// The first strike's hazard by step, with its 95% Wilson band (steps
/// with no trial at risk are left out).
fn hazard_panel(
    s: &Summary,
    m: &MilestoneCurve,
    colour: plotters::style::RGBColor,
    x: &Axis,
    x_ticks: usize,
) -> LineChart {
    let known: Vec<_> = m
        .hazard
        .iter()
        .filter_map(|h| Some((f64::from(h.step), h.hazard?, h.ci95?)))
        .collect();
    let top = known.iter().map(|k| k.2[1]).fold(0.0f64, f64::max);
    LineChart {
        title: format!(
            "First strike (any): chance per {} among trials with no strike yet",
            s.step_label
        ),
        subtitle: None,
        x: x.clone(),
        x_ticks,
        y: Axis::new(
            format!("hazard per {} (%)", s.step_label),
            ValueFormat::PERCENT_1,
        )
        .with_range(0.0, (top * 1.06).max(0.001)),
        bands: vec![Band {
            label: String::new(),
            color: colour,
            opacity: BAND_OPACITY,
            x: known.iter().map(|k| k.0).collect(),
            lower: known.iter().map(|k| k.2[0]).collect(),
            upper: known.iter().map(|k| k.2[1]).collect(),
        }],
        series: vec![LineSeries::line(
            String::new(),
            colour,
            known.iter().map(|k| (k.0, k.1)).collect(),
        )],
        legend: Some(Legend::default()),
        zero_line: false,
    }
}

/// The milestone figure: cumulative curves with bands, and (when a first
/// strike occurs) its hazard below; `None` when no drawn milestone was
/// ever reached.
pub fn milestone_chart(s: &Summary, x: &Axis, x_ticks: usize) -> Option<Panels> {
    let lines = drawn(s);
    if lines.is_empty() {
        return None;
    }
    let mut figures = vec![AnyFigure::Line(cumulative_panel(s, x, x_ticks))];
    if let Some((m, c)) = lines.iter().find(|(m, _)| m.name == "first_strike") {
        figures.push(AnyFigure::Line(hazard_panel(s, m, *c, x, x_ticks)));
    }
    let mut entries: Vec<LegendEntry> = lines
        .iter()
        .map(|(m, c)| {
            LegendEntry::new(
                format!(
                    "{} {}",
                    m.label,
                    ValueFormat::PERCENT_1.format_nonzero(m.share)
                ),
                LegendMark::Line(*c),
            )
        })
        .collect();
    entries.push(LegendEntry::new(
        "95% band (pointwise)",
        LegendMark::Box(palette::tint(palette::NEUTRAL, 1.0 - BAND_OPACITY)),
    ));
    Some(Panels {
        title: "Milestones: when trials first reached them".into(),
        subtitle: Some(format!(
            "{}: {} trials, seed {}. Top: share of all trials that had reached each milestone \
             by the end of each {step}, whatever their final outcome (legend: share by the \
             horizon). Bottom: the first strike's hazard, its chance in a {step} among trials \
             not yet struck. Bands: 95% Wilson intervals, step by step.",
            s.scenario.title,
            thousands(s.trials),
            s.seed,
            step = s.step_label
        )),
        columns: 1,
        figures,
        legend: Legend::new(entries).titled("Milestone (by the horizon)"),
    })
}
