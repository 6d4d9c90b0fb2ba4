//! `report.html`: one self-contained page per run, readable on a laptop
//! and printable. It holds the scenario's description and sources, the key
//! figures with their intervals, every plot inlined as a base64 PNG, and
//! the manifest (seed, version, scenario hash, command, file hashes). No
//! external style sheet, script, font or image: it opens offline.

pub mod html;

use std::fmt::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::output::manifest::Manifest;
use crate::plot::palette;
use crate::plot::run_plots::{RunPlot, thousands};
use crate::scenario::Scenario;
use crate::stats::Summary;
use crate::world::{Outcome, RUNG_LABELS, RUNG_STRIKES};

use html::{escape, paragraphs, shell_words};

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

const STYLE: &str = r#"
:root { --text: #1f1f1f; --muted: #555; --rule: #d9d9d9; --band: #f5f5f5; --accent: #0072b2; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--text); background: #fff;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1140px; margin: 0 auto; padding: 28px 32px 48px; }
header { border-bottom: 3px solid var(--text); padding-bottom: 12px; margin-bottom: 8px; }
.kicker { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: 13px; color: var(--muted); }
h1 { font-size: 30px; line-height: 1.2; margin: 4px 0 8px; }
h2 { font-size: 22px; margin: 36px 0 10px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 17px; margin: 20px 0 6px; }
.meta { margin: 0; color: var(--muted); }
p { max-width: 75ch; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .92em; }
ol.sources li { margin: 2px 0; }
table { border-collapse: collapse; margin: 10px 0 6px; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: 6px; }
th, td { padding: 6px 12px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--text); }
td.num, th.num { text-align: right; white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--band); }
.swatch { display: inline-block; width: 14px; height: 14px; margin-right: 8px; vertical-align: -2px;
  border-radius: 2px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(210px, 1fr)); gap: 12px; margin: 14px 0; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; }
.card .value { font-size: 24px; font-weight: 700; }
.card .label { color: var(--muted); font-size: 14px; }
figure { margin: 22px 0 30px; }
figure img { display: block; width: 100%; height: auto; border: 1px solid var(--rule); }
figcaption { color: var(--muted); margin-top: 6px; max-width: 90ch; }
figcaption a { color: var(--accent); }
dl.manifest { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 10px 0; }
dl.manifest dt { color: var(--muted); }
dl.manifest dd { margin: 0; overflow-wrap: anywhere; }
table.files td.hash { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; overflow-wrap: anywhere; }
pre.command { background: var(--band); padding: 10px 12px; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
footer { margin-top: 40px; color: var(--muted); font-size: 14px; border-top: 1px solid var(--rule); padding-top: 10px; }
@media (max-width: 700px) { main { padding: 16px; } th, td { padding: 4px 6px; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; margin-top: 18pt; }
  figure, table, .cards, dl.manifest { break-inside: avoid; }
  figure img { border: none; }
  tbody tr:nth-child(even) { background: none; }
  a { color: inherit; text-decoration: none; }
  figcaption .files { display: none; }
}
"#;

/// A share as a percentage: one decimal, two below 1% so that rare
/// outcomes and the bounds of their intervals stay visible.
fn pct(x: f64) -> String {
    use crate::plot::ValueFormat;
    if x > 0.0 && x < 0.01 {
        ValueFormat::Percent { decimals: 2 }.format_nonzero(x)
    } else {
        ValueFormat::PERCENT_1.format(x)
    }
}

/// Renders the report as a complete HTML document.
pub fn render(input: &ReportInput<'_>) -> String {
    let s = input.summary;
    let m = input.manifest;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"brink {}\">\n<title>{} - brink report</title>\n\
         <style>{}</style>\n</head>\n<body>\n<main>\n",
        escape(&s.brink_version),
        escape(input.title),
        STYLE
    );

    // Header.
    let _ = write!(
        h,
        "<header>\n<p class=\"kicker\">brink scenario report</p>\n<h1>{}</h1>\n\
         <p class=\"meta\">Scenario <code>{}</code> from <code>{}</code> &middot; {} trials \
         &middot; seed {} &middot; {} {}s &middot; brink {}</p>\n</header>\n",
        escape(input.title),
        escape(&s.scenario.name),
        escape(&s.scenario.file),
        thousands(s.trials),
        s.seed,
        s.horizon,
        escape(&s.step_label),
        escape(&s.brink_version)
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
    plots(&mut h, input.plots);
    manifest(&mut h, m);

    let _ = write!(
        h,
        "<footer>Written by brink {} from scenario <code>{}</code> (sha256 <code>{}</code>). \
         The same scenario, seed and version give the same numbers and plots on any \
         machine and with any number of threads.</footer>\n</main>\n</body>\n</html>\n",
        escape(&s.brink_version),
        escape(&s.scenario.file),
        escape(&s.scenario.sha256)
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
         on the EscalAItion scale.</p>\n</section>\n",
        s.escalation_mean
    );
}

fn plots(h: &mut String, plots: &[RunPlot]) {
    if plots.is_empty() {
        return;
    }
    h.push_str("<section id=\"plots\">\n<h2>Plots</h2>\n");
    for (i, p) in plots.iter().enumerate() {
        let _ = write!(
            h,
            "<figure id=\"fig-{name}\">\n<img src=\"data:image/png;base64,{data}\" \
             width=\"{w}\" height=\"{hgt}\" alt=\"{alt}\">\n<figcaption><strong>Figure {n}.\
             </strong> {caption} <span class=\"files\">Files: <a href=\"plots/{name}.svg\">SVG\
             </a>, <a href=\"plots/{name}.png\">PNG</a>.</span></figcaption>\n</figure>\n",
            name = escape(p.name),
            data = BASE64.encode(&p.png),
            w = crate::plot::DEFAULT_SIZE.0,
            hgt = crate::plot::DEFAULT_SIZE.1,
            alt = escape(&p.caption),
            n = i + 1,
            caption = escape(&p.caption),
        );
    }
    h.push_str("</section>\n");
}

fn manifest(h: &mut String, m: &Manifest) {
    let _ = write!(
        h,
        "<section id=\"manifest\">\n<h2>Reproducing this run</h2>\n<dl class=\"manifest\">\n\
         <dt>Program</dt><dd>{} {}</dd>\n<dt>Scenario</dt><dd><code>{}</code> \
         (<code>{}</code>)</dd>\n<dt>Scenario sha256</dt><dd><code>{}</code></dd>\n\
         <dt>Seed</dt><dd>{}</dd>\n<dt>Trials</dt><dd>{}</dd>\n</dl>\n\
         <p>Command line:</p>\n<pre class=\"command\"><code>{}</code></pre>\n",
        escape(&m.program),
        escape(&m.brink_version),
        escape(&m.scenario),
        escape(&m.scenario_file),
        escape(&m.scenario_sha256),
        m.seed,
        thousands(m.trials),
        escape(&shell_words(&m.command))
    );
    h.push_str(
        "<table class=\"files\">\n<caption>Files written before this report, with their \
         sha256. <code>manifest.json</code> lists them all, this report included.</caption>\n\
         <thead><tr><th>File</th><th class=\"num\">Bytes</th><th>sha256</th></tr></thead>\n\
         <tbody>\n",
    );
    for f in &m.files {
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"hash\">{}</td></tr>",
            escape(&f.path),
            thousands(f.bytes),
            escape(&f.sha256)
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_shares_keep_two_decimals() {
        assert_eq!(pct(0.0), "0.0%");
        assert_eq!(pct(0.00045), "0.04%");
        assert_eq!(pct(0.00001), "<0.01%");
        assert_eq!(pct(0.123), "12.3%");
    }
}
