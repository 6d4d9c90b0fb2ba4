//! `report.html`: one self-contained page per run, readable on a laptop
//! and printable. It holds the scenario's description and sources, the key
//! figures with their intervals, every plot inlined as a base64 PNG, and
//! the manifest (seed, version, scenario hash, command, file hashes). No
//! external style sheet, script, font or image: it opens offline.
//!
//! Every report is written from an askama template under
//! `templates/report/` (this one from `run.html`), which escapes every
//! value it writes ([`html::Html`]); the Rust side only gathers the values
//! to show. The other commands write the same kind of page from the same
//! skeleton (the macros of `templates/report/page.html`, see [`page`]):
//! [`compare`], [`sweep`], [`sensitivity`], [`discovery`] and
//! [`calibration`]. Numbers are written by [`crate::format`], through the
//! template [`filters`].

pub mod analysis_files;
pub mod assumptions;
pub mod calibration;
pub mod compare;
pub mod discovery;
pub mod experiment;
pub mod forecast;
// askama's `filter_fn` generates a public struct per filter, which no doc
// comment can reach; the filters themselves are documented.
#[allow(missing_docs)]
pub mod filters;
pub mod html;
pub mod page;
pub mod score;
pub mod sensitivity;
pub mod suite;
pub mod sweep;

use askama::Template;

use crate::format::percent;
use crate::model::Model;
use crate::output::drawn::RunPlot;
use crate::output::manifest::Manifest;
use crate::plot::palette;
use crate::scenario::Scenario;
use crate::stats::Summary;
use crate::stats::spread::SpreadSummary;

use crate::world::{Outcome, RUNG_LABELS, RUNG_STRIKES};
use assumptions::{AssumptionRow, MODEL_LIMITS, assumption_rows};

/// Everything a run report shows.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// Scenario title.
    pub title: &'a str,
    /// Scenario description (paragraphs separated by blank lines).
    pub description: &'a str,
    /// Where the scenario's numbers come from.
    pub sources: &'a [String],
    /// The results.
    pub summary: &'a Summary,
    /// The rendered plots, in display order.
    pub plots: &'a [RunPlot],
    /// The manifest of the files written before the report.
    pub manifest: &'a Manifest,
    /// The scenario (its uncertain assumptions and their sources).
    pub scenario: &'a Scenario,
}

impl<'a> ReportInput<'a> {
    /// The report of `scenario`'s run.
    pub fn new(
        scenario: &'a Scenario,
        summary: &'a Summary,
        plots: &'a [RunPlot],
        manifest: &'a Manifest,
    ) -> ReportInput<'a> {
        ReportInput {
            title: &scenario.title,
            description: &scenario.description,
            sources: &scenario.sources,
            summary,
            plots,
            manifest,
            scenario,
        }
    }
}

/// A key figure's two intervals, as a card shows them.
struct CardIntervals {
    /// The Monte Carlo interval of this run (`18.2% to 19.3%`).
    sampling: String,
    /// The 5th-95th percentile over the assumptions, when estimated.
    assumptions: Option<String>,
}

impl CardIntervals {
    fn new(s: &Summary, hits: u64, group: &str, name: &str) -> CardIntervals {
        let (lo, hi) = crate::stats::wilson95(hits, s.trials);
        CardIntervals {
            sampling: format!("{} to {}", percent(lo), percent(hi)),
            assumptions: s
                .assumption_spread
                .as_ref()
                .and_then(|sp| sp.figure(group, name))
                .map(|f| format!("{} to {}", percent(f.low), percent(f.high))),
        }
    }
}

/// One row of the table of key figures with both intervals.
struct SpreadRow<'a> {
    label: &'a str,
    /// This run's share (or `-` when it does not count the figure).
    share: String,
    /// Its 95% Monte Carlo interval (or `-`).
    sampling: String,
    /// The mean over the assumption draws.
    mean: f64,
    low: f64,
    high: f64,
}

/// One row of the outcomes table.
struct OutcomeRow<'a> {
    colour: String,
    label: &'a str,
    probability: f64,
    ci95: [f64; 2],
    count: u64,
    /// Median step at which the outcome was settled (`-` when never).
    median: String,
    /// Its interquartile range, `38-47` (`-` when never).
    middle: String,
    /// The date of the median step (for a scenario with a calendar).
    median_date: String,
    /// The dates of the interquartile range, `2026-03-07 to 2026-04-11`.
    middle_dates: String,
}

/// One row of the milestones table.
struct MilestoneRow<'a> {
    label: &'a str,
    share: f64,
    ci95: [f64; 2],
    reached: u64,
    /// Median step among the trials that reached it (`-` when none did).
    median: String,
    /// Its date (for a scenario with a calendar).
    median_date: String,
}

/// One row of the rungs table.
struct RungRow {
    colour: String,
    rung: usize,
    label: &'static str,
    share: f64,
}

/// The run report's template and what it shows.
#[derive(Template)]
#[template(path = "report/run.html")]
struct RunPage<'a> {
    title: &'a str,
    description: &'a str,
    sources: &'a [String],
    s: &'a Summary,
    m: &'a Manifest,
    plots: &'a [RunPlot],
    deal: f64,
    war: f64,
    strikes_or_worse: f64,
    outcomes: Vec<OutcomeRow<'a>>,
    rungs: Vec<RungRow>,
    milestones: Vec<MilestoneRow<'a>>,
    /// `52 weeks`, or `52 weeks, to 2027-02-06` with a calendar.
    within: String,
    /// The calendar in words (`from 2026-02-07 to 2027-02-06`).
    dates: Option<String>,
    /// The intervals of the cards: deal, war, strikes or worse.
    deal_iv: CardIntervals,
    war_iv: CardIntervals,
    strikes_iv: CardIntervals,
    /// The key figures with both intervals (empty without a spread).
    spread_rows: Vec<SpreadRow<'a>>,
    /// The spread's design, when estimated.
    spread: Option<&'a SpreadSummary>,
    /// The uncertain assumptions.
    assumptions: Vec<AssumptionRow>,
    /// The model's limits.
    limits: &'static [&'static str],
}

/// Renders the report as a complete HTML document.
pub fn render(input: &ReportInput<'_>) -> String {
    let s = input.summary;
    let outcomes = Outcome::ALL
        .iter()
        .zip(&s.outcomes)
        .map(|(o, row)| OutcomeRow {
            colour: palette::hex(palette::outcome(*o)),
            label: &row.label,
            probability: row.probability,
            ci95: row.ci95,
            count: row.count,
            median: row
                .step
                .as_ref()
                .map_or("-".into(), |t| t.median.to_string()),
            middle: row
                .step
                .as_ref()
                .map_or("-".into(), |t| format!("{}-{}", t.p25, t.p75)),
            median_date: row
                .step
                .as_ref()
                .and_then(|t| t.dates.as_ref())
                .map_or("-".into(), |d| d.median.clone()),
            middle_dates: row
                .step
                .as_ref()
                .and_then(|t| t.dates.as_ref())
                .map_or("-".into(), |d| format!("{} to {}", d.p25, d.p75)),
        })
        .collect();
    let rungs = s
        .max_rung
        .iter()
        .enumerate()
        .map(|(r, &share)| RungRow {
            colour: palette::hex(palette::rung(r)),
            rung: r,
            label: RUNG_LABELS.get(r).copied().unwrap_or(""),
            share,
        })
        .collect();
    let milestones = s
        .milestones
        .iter()
        .map(|m| MilestoneRow {
            label: &m.label,
            share: m.share,
            ci95: m.ci95,
            reached: m.reached,
            median: m
                .median_step_if_reached
                .map_or("-".into(), |t| t.to_string()),
            median_date: m.median_date_if_reached.clone().unwrap_or("-".into()),
        })
        .collect();
    let count = |o: Outcome| s.outcome(o).count;
    let war_hits: u64 = Outcome::ALL
        .iter()
        .filter(|o| o.is_war())
        .map(|&o| count(o))
        .sum();
    let strikes: f64 = s.max_rung.iter().skip(usize::from(RUNG_STRIKES)).sum();
    let strikes_hits = (strikes * s.trials as f64).round() as u64;
    let spread_rows = s
        .assumption_spread
        .as_ref()
        .map(|sp| {
            sp.figures
                .iter()
                .map(|f| SpreadRow {
                    label: &f.label,
                    share: f.probability.map_or("-".into(), percent),
                    sampling: f.mc_low.zip(f.mc_high).map_or("-".into(), |(lo, hi)| {
                        format!("{} to {}", percent(lo), percent(hi))
                    }),
                    mean: f.mean,
                    low: f.low,
                    high: f.high,
                })
                .collect()
        })
        .unwrap_or_default();
    let model = Model::compile(input.scenario);
    page::render_page(&RunPage {
        title: input.title,
        description: input.description,
        sources: input.sources,
        s,
        m: input.manifest,
        plots: input.plots,
        deal: s.outcome(Outcome::Deal).probability,
        war: Outcome::ALL
            .iter()
            .filter(|o| o.is_war())
            .map(|&o| s.outcome(o).probability)
            .sum(),
        strikes_or_worse: s.max_rung.iter().skip(usize::from(RUNG_STRIKES)).sum(),
        outcomes,
        rungs,
        milestones,
        within: match s.date(s.horizon) {
            Some(end) => format!("{} {}s, to {end}", s.horizon, s.step_label),
            None => format!("{} {}s", s.horizon, s.step_label),
        },
        dates: s.calendar.map(|c| c.span_text(s.horizon, &s.step_label)),
        deal_iv: CardIntervals::new(s, count(Outcome::Deal), "outcome", "deal"),
        war_iv: CardIntervals::new(s, war_hits, "total", "war"),
        strikes_iv: CardIntervals::new(s, strikes_hits, "milestone", "first_strike"),
        spread_rows,
        spread: s.assumption_spread.as_ref(),
        assumptions: assumption_rows(input.scenario, &model),
        limits: MODEL_LIMITS,
    })
}
