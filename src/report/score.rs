//! `report.html` of `brink score`: what was scored and how, the key
//! figures, the scores of every scenario and of all questions with their
//! intervals beside the references', the reliability table and the Murphy
//! decomposition, the reliability diagram, every question scored, the
//! questions skipped, and the manifest of the files written before it.

use askama::Template;

use crate::output::drawn::RunPlot;
use crate::output::manifest::Manifest;
use crate::stats::score_result::{ScenarioScores, Scoring};
use crate::stats::scoring::ScoreSet;

use super::{filters, page};

/// Everything a score report shows.
#[derive(Debug, Clone, Copy)]
pub struct ScoreReportInput<'a> {
    /// The scores.
    pub scoring: &'a Scoring,
    /// The rendered plots, in display order.
    pub plots: &'a [RunPlot],
    /// The manifest of the files written before the report.
    pub manifest: &'a Manifest,
}

/// A row of the scores table: a scenario's set, or all questions'.
struct SetRow<'a> {
    label: String,
    title: &'a str,
    set: &'a ScoreSet,
}

/// The score report's template and what it shows.
#[derive(Template)]
#[template(path = "report/score.html")]
struct ScorePage<'a> {
    s: &'a Scoring,
    heading: String,
    rows: Vec<SetRow<'a>>,
    plots: &'a [RunPlot],
    m: &'a Manifest,
}

fn row(s: &ScenarioScores) -> SetRow<'_> {
    SetRow {
        label: s.scenario.clone(),
        title: &s.name,
        set: &s.scores,
    }
}

/// Renders the report as a complete HTML document.
pub fn render(input: &ScoreReportInput<'_>) -> String {
    let s = input.scoring;
    let mut rows: Vec<SetRow<'_>> = s.scenarios.iter().map(row).collect();
    rows.push(SetRow {
        label: "all".into(),
        title: "every question",
        set: &s.overall,
    });
    page::render_page(&ScorePage {
        s,
        heading: format!(
            "Scores of {} resolved questions from {} scenario(s)",
            s.overall.questions,
            s.scenarios.len()
        ),
        rows,
        plots: input.plots,
        m: input.manifest,
    })
}
