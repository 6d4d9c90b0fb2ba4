//! `report.html` of `brink sweep`: which parameter was swept over which
//! values and how, how the chances of a deal and of regional war move
//! across the range, the table of every point with its intervals, the
//! plots, and the manifest of the files written before it.

use askama::Template;

use crate::analysis::sweep::Sweep;
use crate::format::decimals_for;
use crate::output::drawn::RunPlot;
use crate::output::manifest::Manifest;
use crate::plot::palette;
use crate::world::Outcome;

use super::{filters, page};

/// Everything a sweep report shows.
#[derive(Debug, Clone, Copy)]
pub struct SweepReportInput<'a> {
    /// The results.
    pub sweep: &'a Sweep,
    /// The rendered plots, in display order.
    pub plots: &'a [RunPlot],
    /// The manifest of the files written before the report.
    pub manifest: &'a Manifest,
}

/// A key figure: the chance of an outcome at the first and the last value.
struct OutcomeCard {
    outcome: String,
    first: f64,
    last: f64,
}

/// The sweep report's template and what it shows.
#[derive(Template)]
#[template(path = "report/sweep.html")]
struct SweepPage<'a> {
    s: &'a Sweep,
    heading: String,
    /// The swept values, each written with the decimals they all need.
    values: Vec<String>,
    cards: Vec<OutcomeCard>,
    /// Colour and label of each outcome's column.
    outcome_heads: Vec<(String, &'static str)>,
    plots: &'a [RunPlot],
    m: &'a Manifest,
}

/// Renders the report as a complete HTML document.
pub fn render(input: &SweepReportInput<'_>) -> String {
    let s = input.sweep;
    let raw: Vec<f64> = s.points.iter().map(|p| p.value).collect();
    let d = decimals_for(&raw);
    let cards = match (s.points.first(), s.points.last()) {
        (Some(first), Some(last)) => [Outcome::Deal, Outcome::WarOngoing, Outcome::LimitedStrikes]
            .into_iter()
            .map(|o| OutcomeCard {
                outcome: o.label().to_lowercase(),
                first: first.outcomes[o.index()].probability,
                last: last.outcomes[o.index()].probability,
            })
            .collect(),
        _ => Vec::new(),
    };
    page::render_page(&SweepPage {
        s,
        heading: format!("{}: sweep of {}", s.scenario.title, s.parameter),
        values: raw.iter().map(|x| format!("{x:.d$}")).collect(),
        cards,
        outcome_heads: Outcome::ALL
            .into_iter()
            .map(|o| (palette::hex(palette::outcome(o)), o.label()))
            .collect(),
        plots: input.plots,
        m: input.manifest,
    })
}
