//! `report.html`: one self-contained page per run, readable on a laptop
//! and printable. It holds the scenario's description and sources, the key
//! figures with their intervals, every plot inlined as a base64 PNG, and
//! the manifest (seed, version, scenario hash, command, file hashes). No
//! external style sheet, script, font or image: it opens offline.
//!
//! The other commands write the same kind of page from the same skeleton
//! ([`page`]): [`compare`], [`sweep`], [`sensitivity`], [`discovery`] and
//! [`calibration`].

pub mod calibration;
pub mod compare;
pub mod discovery;
pub mod html;
pub mod page;
pub mod sensitivity;
pub mod sweep;

use std::fmt::Write;

use crate::output::manifest::Manifest;
use crate::plot::palette;
use crate::plot::run_plots::{RunPlot, thousands};
use crate::scenario::Scenario;
use crate::stats::Summary;
use crate::world::{Outcome, RUNG_LABELS, RUNG_STRIKES};

use html::{escape, paragraphs};
use page::pct;

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
        }
    }
}

/// Renders the report as a complete HTML document.
pub fn render(input: &ReportInput<'_>) -> String {
    let s = input.summary;
    let m = input.manifest;
    let mut h = String::new();
    page::open(&mut h, &s.brink_version, input.title);

    page::header(
        &mut h,
        "brink scenario report",
        input.title,
        &format!(
            "Scenario <code>{}</code> from <code>{}</code> &middot; {} trials &middot; seed {} \
             &middot; {} {}s &middot; brink {}",
            escape(&s.scenario.name),
            escape(&s.scenario.file),
            thousands(s.trials),
            s.seed,
            s.horizon,
            escape(&s.step_label),
            escape(&s.brink_version)
        ),
    );

    // Scenario.
    h.push_str("<section id=\"scenario\">\n<h2>Scenario</h2>\n");
    if input.description.trim().is_empty() {
        h.push_str("<p><em>The scenario file has no description.</em></p>\n");
    } else {
        h.push_str(&paragraphs(input.description));
    }
    if !input.sources.is_empty() {
        h.push_str("<h3>Sources</h3>\n<ol class=\"sources\">\n");
        for src in input.sources {
            let _ = writeln!(h, "<li>{}</li>", escape(src));
        }
        h.push_str("</ol>\n");
    }
    h.push_str("</section>\n");

    key_figures(&mut h, s);
    page::figures(&mut h, input.plots);
    manifest(&mut h, m);

    page::close(
        &mut h,
        &format!(
            "Written by brink {} from scenario <code>{}</code> (sha256 <code>{}</code>). \
             The same scenario, seed and version give the same numbers and plots on any \
             machine and with any number of threads.",
            escape(&s.brink_version),
            escape(&s.scenario.file),
            escape(&s.scenario.sha256)
        ),
    );
    h
}

fn key_figures(h: &mut String, s: &Summary) {
    h.push_str("<section id=\"key-figures\">\n<h2>Key figures</h2>\n");
    let strikes_or_worse: f64 = s.max_rung.iter().skip(usize::from(RUNG_STRIKES)).sum();
    let war = s.outcome(Outcome::RegionalWar);
    let deal = s.outcome(Outcome::Deal);
    h.push_str("<div class=\"cards\">\n");
    for (value, label) in [
        (
            pct(deal.probability),
            format!("chance of a deal within {} {}s", s.horizon, s.step_label),
        ),
        (
            pct(war.probability),
            format!(
                "chance of regional war within {} {}s",
                s.horizon, s.step_label
            ),
        ),
        (
            pct(strikes_or_worse),
            "of trials reached limited strikes or worse".to_string(),
        ),
        (
            format!("{:.2}", s.incidents_per_trial),
            "incidents per trial, on average".to_string(),
        ),
    ] {
        let _ = writeln!(
            h,
            "<div class=\"card\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>",
            escape(&value),
            escape(&label)
        );
    }
    h.push_str("</div>\n");

    let _ = write!(
        h,
        "<table class=\"outcomes\">\n<caption>Outcomes of {} trials, in order of precedence, \
         with 95% Wilson intervals and the {} at which each was settled.</caption>\n<thead><tr>\
         <th>Outcome</th><th class=\"num\">Probability</th><th class=\"num\">95% interval</th>\
         <th class=\"num\">Trials</th><th class=\"num\">Median {}</th>\
         <th class=\"num\">Middle 50%</th></tr></thead>\n<tbody>\n",
        thousands(s.trials),
        escape(&s.step_label),
        escape(&s.step_label)
    );
    for (o, row) in Outcome::ALL.iter().zip(&s.outcomes) {
        let (median, iqr) = row.step.as_ref().map_or(("-".into(), "-".into()), |t| {
            (t.median.to_string(), format!("{}-{}", t.p25, t.p75))
        });
        let _ = writeln!(
            h,
            "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{} to {}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            palette::hex(palette::outcome(*o)),
            escape(&row.label),
            pct(row.probability),
            pct(row.ci95[0]),
            pct(row.ci95[1]),
            thousands(row.count),
            median,
            iqr
        );
    }
    h.push_str("</tbody>\n</table>\n");

    h.push_str(
        "<table class=\"rungs\">\n<caption>Highest rung of the escalation ladder reached \
         in a trial.</caption>\n<thead><tr><th>Rung</th><th class=\"num\">Share of trials\
         </th></tr></thead>\n<tbody>\n",
    );
    for (r, share) in s.max_rung.iter().enumerate() {
        let _ = writeln!(
            h,
            "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{} {}</td>\
             <td class=\"num\">{}</td></tr>",
            palette::hex(palette::rung(r)),
            r,
            escape(RUNG_LABELS.get(r).copied().unwrap_or("")),
            pct(*share)
        );
    }
    let _ = write!(
        h,
        "</tbody>\n</table>\n<p>Mean cumulative escalation score per trial: {:.1} points \
         on the EscalAItion scale (95% interval {:.1} to {:.1}).</p>\n</section>\n",
        s.escalation_mean, s.escalation_mean_ci95[0], s.escalation_mean_ci95[1]
    );
}

fn manifest(h: &mut String, m: &Manifest) {
    page::reproduce(
        h,
        "Reproducing this run",
        &page::manifest_settings(m, thousands(m.trials)),
        &m.command,
        &m.files,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_title() {
        let mut h = String::new();
        page::open(&mut h, "0.1.0", "<b>");
        assert!(h.contains("<title>&lt;b&gt; - brink report</title>"));
    }
}
