//! `report.html` of `brink forecast`: the questions with their
//! probabilities, both intervals and the dates they look at; the condition
//! and how many trials satisfied it; the manifest of the files written
//! before it.

use askama::Template;

use crate::output::manifest::Manifest;
use crate::question::forecast::{Answer, Forecast};

use super::{filters, page};

/// The forecast report's template and what it shows.
#[derive(Template)]
#[template(path = "report/forecast.html")]
struct ForecastPage<'a> {
    f: &'a Forecast,
    heading: String,
    rows: Vec<Row<'a>>,
    /// True when some answer has a spread over the assumptions.
    spread: bool,
    /// True when few trials were kept.
    few: bool,
    /// True when some question is resolved.
    resolved: bool,
    m: &'a Manifest,
}

/// One question's row.
struct Row<'a> {
    a: &'a Answer,
    when: String,
    spread: String,
    resolved: &'static str,
}

/// Renders the report as a complete HTML document.
pub fn render(f: &Forecast, m: &Manifest) -> String {
    let rows = f
        .questions
        .iter()
        .map(|a| Row {
            a,
            when: match (&a.date, a.step) {
                (Some(d), Some(s)) => format!("{d} (step {s})"),
                (None, Some(s)) => format!("step {s}"),
                _ => "-".into(),
            },
            spread: match (a.spread_low, a.spread_high) {
                (Some(lo), Some(hi)) => format!("{:.1}% to {:.1}%", lo * 100.0, hi * 100.0),
                _ => "-".into(),
            },
            resolved: match a.resolved {
                Some(true) => "yes",
                Some(false) => "no",
                None => "",
            },
        })
        .collect();
    page::render_page(&ForecastPage {
        heading: match &f.title {
            Some(t) => format!("{}: {t}", f.scenario.name),
            None => format!("{}: forecast", f.scenario.name),
        },
        spread: f.questions.iter().any(|a| a.spread_low.is_some()),
        resolved: f.questions.iter().any(|a| a.resolved.is_some()),
        few: !f.given.is_empty() && f.kept < crate::question::WARN_KEPT,
        rows,
        f,
        m,
    })
}
