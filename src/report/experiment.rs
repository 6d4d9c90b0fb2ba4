//! `report.html` of `brink experiment`: the levers, the uncertainties and
//! the design, each lever's mean share of every outcome over the design
//! with its interval, the plots, and the manifest of the files written
//! before it.

use askama::Template;

use crate::analysis::experiment::Experiment;
use crate::output::drawn::RunPlot;
use crate::output::manifest::Manifest;
use crate::plot::experiment_plots::label_of;

use super::{filters, page};

/// Everything an experiment report shows.
#[derive(Debug, Clone, Copy)]
pub struct ExperimentReportInput<'a> {
    /// The results.
    pub experiment: &'a Experiment,
    /// The rendered plots, in display order.
    pub plots: &'a [RunPlot],
    /// The manifest of the files written before the report.
    pub manifest: &'a Manifest,
}

/// One lever's row: its label, its settings and its mean shares.
struct LeverRow {
    label: String,
    name: String,
    set: String,
    shares: Vec<(f64, [f64; 2])>,
    escalation: (f64, [f64; 2]),
}

/// The experiment report's template and what it shows.
#[derive(Template)]
#[template(path = "report/experiment.html")]
struct ExperimentPage<'a> {
    e: &'a Experiment,
    heading: String,
    design: String,
    heads: Vec<String>,
    rows: Vec<LeverRow>,
    plots: &'a [RunPlot],
    m: &'a Manifest,
}

/// Renders the report as a complete HTML document.
pub fn render(input: &ExperimentReportInput<'_>) -> String {
    let e = input.experiment;
    let heads = e
        .levers
        .first()
        .map(|l| l.shares.0.iter().map(|(n, _)| label_of(n)).collect())
        .unwrap_or_default();
    let rows = e
        .levers
        .iter()
        .map(|l| LeverRow {
            label: l.label.clone(),
            name: l.lever.clone(),
            set: if l.set.0.is_empty() {
                "nothing changed".into()
            } else {
                l.set
                    .0
                    .iter()
                    .map(|(p, v)| format!("{p} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            shares: l
                .shares
                .0
                .iter()
                .map(|(_, s)| (s.mean, [s.low, s.high]))
                .collect(),
            escalation: (
                l.escalation_mean.mean,
                [l.escalation_mean.low, l.escalation_mean.high],
            ),
        })
        .collect();
    let design = match &e.design.kind {
        crate::analysis::experiment::DesignKind::FullFactorial { levels } => {
            format!("a full factorial design of {levels} levels per uncertainty")
        }
        crate::analysis::experiment::DesignKind::LatinHypercube { points } => {
            format!("a Latin hypercube of {points} points")
        }
        crate::analysis::experiment::DesignKind::Saltelli { samples } => {
            format!("a Saltelli design of {samples} samples")
        }
        crate::analysis::experiment::DesignKind::Explicit { rows } => {
            format!("{} rows given in the file", rows.len())
        }
    };
    page::render_page(&ExperimentPage {
        e,
        heading: format!("{}: experiment {}", e.scenario.title, e.name),
        design,
        heads,
        rows,
        plots: input.plots,
        m: input.manifest,
    })
}
