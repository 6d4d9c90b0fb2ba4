//! `report.html` of `brink discover`: how the search ran (trials, PRIM
//! settings), the box of assumptions where the outcome is most likely with
//! its coverage and density, its bounds against each parameter's full
//! range, the Kolmogorov-Smirnov ranking, the plots, and the manifest of
//! the files written before it.

use askama::Template;

use crate::analysis::discovery::{Discovery, Separation};
use crate::format::bounds_text;
use crate::output::drawn::RunPlot;
use crate::output::manifest::Manifest;
use crate::plot::discovery_plots::outcome_label;
use crate::stats::prim::{PrimBox, PrimOptions};

use super::{filters, page};

/// Everything a discovery report shows.
#[derive(Debug, Clone, Copy)]
pub struct DiscoveryReportInput<'a> {
    /// The results.
    pub discovery: &'a Discovery,
    /// The rendered plots, in display order.
    pub plots: &'a [RunPlot],
    /// The manifest of the files written before the report.
    pub manifest: &'a Manifest,
    /// File name of the discovery table (`discovery.csv`).
    pub table: &'a str,
}

/// One restricted parameter: the box's bounds against its full range.
struct BoundsRow<'a> {
    parameter: &'a str,
    inside: String,
    full: String,
    kept: f64,
}

/// The discovery report's template and what it shows.
#[derive(Template)]
#[template(path = "report/discovery.html")]
struct DiscoveryPage<'a> {
    d: &'a Discovery,
    o: &'a PrimOptions,
    b: &'a PrimBox,
    heading: String,
    /// The outcome, in lower case.
    what: String,
    /// Trials that ended in the outcome.
    with_outcome: u64,
    /// Parameters the box restricts.
    restricted: usize,
    /// The rows of the box table: the full range, the chosen box, the
    /// pasted one.
    boxes: Vec<(String, &'a PrimBox)>,
    bounds: Vec<BoundsRow<'a>>,
    /// The ranking, each with whether the box restricts the parameter.
    ranking: Vec<(&'a Separation, bool)>,
    plots: &'a [RunPlot],
    m: &'a Manifest,
    /// File name of the discovery table.
    table: &'a str,
}

fn is_restricted(d: &Discovery, j: usize) -> bool {
    d.prim.restricted.get(j).copied().unwrap_or(false)
}

/// Renders the report as a complete HTML document.
pub fn render(input: &DiscoveryReportInput<'_>) -> String {
    let d = input.discovery;
    let what = outcome_label(d).to_lowercase();
    let b = &d.prim.pasted;
    let mut boxes = Vec::new();
    if let Some(full) = d.prim.trajectory.first() {
        boxes.push(("full range".to_string(), full));
    }
    if let Some(chosen) = d.prim.trajectory.get(d.prim.chosen) {
        boxes.push((format!("chosen after {} peels", d.prim.chosen), chosen));
    }
    boxes.push(("after pasting (reported)".to_string(), b));
    let full = d.prim.trajectory.first().map(|b| b.bounds.clone());
    let bounds = d
        .parameters
        .iter()
        .enumerate()
        .filter(|&(j, _)| is_restricted(d, j))
        .map(|(j, p)| {
            let [a, z] = b.bounds[j];
            let [lo, hi] = full.as_ref().map_or([a, z], |f| f[j]);
            BoundsRow {
                parameter: p,
                inside: bounds_text(a, z, hi - lo),
                full: bounds_text(lo, hi, hi - lo),
                kept: if hi > lo { (z - a) / (hi - lo) } else { 1.0 },
            }
        })
        .collect();
    let ranking = d
        .ranking
        .iter()
        .map(|r| {
            let restricted = d
                .parameters
                .iter()
                .position(|p| *p == r.parameter)
                .is_some_and(|j| is_restricted(d, j));
            (r, restricted)
        })
        .collect();
    page::render_page(&DiscoveryPage {
        d,
        o: &d.prim_settings,
        b,
        heading: format!("{}: where {} is most likely", d.scenario.title, what),
        what,
        with_outcome: (d.base_rate * d.trials as f64).round() as u64,
        restricted: d.prim.restricted.iter().filter(|&&r| r).count(),
        boxes,
        bounds,
        ranking,
        plots: input.plots,
        m: input.manifest,
        table: input.table,
    })
}
