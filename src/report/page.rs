//! The skeleton shared by every brink report: the document head with its
//! one inline style sheet, the header, the section of inlined plots, the
//! "reproducing" block (settings, command line, hashes of the files
//! written before the report) and the footer. Each report (`brink run`,
//! `compare`, `sweep`, `sensitivity`, `discover`, `calibrate`) fills the
//! sections in between.

use std::fmt::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::output::manifest::{FileEntry, Manifest};
use crate::plot::ValueFormat;
use crate::plot::run_plots::{RunPlot, thousands};

use super::html::{escape, shell_words};

/// The style sheet of every report (inline: reports open offline).
pub const STYLE: &str = r#"
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
.howto { background: var(--band); border-left: 4px solid var(--accent); padding: 10px 16px; margin: 14px 0; }
.howto p, .howto ul { margin: 6px 0; }
.howto.alert { border-left-color: #d55e00; }
.sigmark { color: var(--accent); font-weight: 700; }
.sub { color: var(--muted); font-size: 13px; }
table.compact th, table.compact td { padding: 6px 8px; }
.scroll { overflow-x: auto; }
@media (max-width: 700px) { main { padding: 16px; } th, td { padding: 4px 6px; } }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; margin-top: 18pt; }
  figure, table, .cards, dl.manifest { break-inside: avoid; }
  .cards { grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px; }
  .card { padding: 8px 10px; }
  figure img { border: none; }
  tbody tr:nth-child(even) { background: none; }
  a { color: inherit; text-decoration: none; }
  figcaption .files { display: none; }
  .scroll { overflow: visible; }
  table.compact { font-size: 9pt; }
}
"#;

/// The settings of an analysis manifest as "reproducing" definitions:
/// program, scenario, its sha256, seed and `trials` (already worded).
pub fn manifest_settings(m: &Manifest, trials: String) -> Vec<(&'static str, String)> {
    vec![
        (
            "Program",
            format!("{} {}", escape(&m.program), escape(&m.brink_version)),
        ),
        (
            "Scenario",
            format!(
                "<code>{}</code> (<code>{}</code>)",
                escape(&m.scenario),
                escape(&m.scenario_file)
            ),
        ),
        (
            "Scenario sha256",
            format!("<code>{}</code>", escape(&m.scenario_sha256)),
        ),
        ("Seed", m.seed.to_string()),
        ("Trials", trials),
    ]
}

/// A share as a percentage: one decimal, two below 1% so that rare
/// outcomes and the bounds of their intervals stay visible.
pub fn pct(x: f64) -> String {
    if x > 0.0 && x < 0.01 {
        ValueFormat::Percent { decimals: 2 }.format_nonzero(x)
    } else {
        ValueFormat::PERCENT_1.format(x)
    }
}

/// A numeric table cell with `value` and, below it in small print, `below`
/// (both already HTML): an estimate over its interval.
pub fn stacked_cell(value: &str, below: &str) -> String {
    format!("<td class=\"num\">{value}<br><span class=\"sub\">{below}</span></td>")
}

/// A table cell with a mean score and, below it in small print, its
/// interval, one decimal each (`105.9` over `101.8&ndash;109.9`).
pub fn mean_cell(mean: f64, ci: [f64; 2]) -> String {
    stacked_cell(
        &format!("{mean:.1}"),
        &format!("{:.1}&ndash;{:.1}", ci[0], ci[1]),
    )
}

/// A table cell with a share and, below it in small print, its interval
/// (`12.3%` over `11.9%&ndash;12.8%`).
pub fn share_cell(p: f64, ci: [f64; 2]) -> String {
    stacked_cell(&pct(p), &format!("{}&ndash;{}", pct(ci[0]), pct(ci[1])))
}

/// Starts a report: the document head (title `title - brink report`, the
/// style sheet) and the opening of `<main>`.
pub fn open(h: &mut String, version: &str, title: &str) {
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"brink {}\">\n<title>{} - brink report</title>\n\
         <style>{}</style>\n</head>\n<body>\n<main>\n",
        escape(version),
        escape(title),
        STYLE
    );
}

/// The header block: a kicker line (`brink comparison report`), the
/// heading, and a line of settings already written as HTML.
pub fn header(h: &mut String, kicker: &str, heading: &str, meta_html: &str) {
    let _ = write!(
        h,
        "<header>\n<p class=\"kicker\">{}</p>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n\
         </header>\n",
        escape(kicker),
        escape(heading),
        meta_html
    );
}

/// The plots section: every plot inlined as a base64 PNG at its own size,
/// numbered, with its caption (also its alternative text) and links to the
/// PNG and SVG files beside the report.
pub fn figures(h: &mut String, plots: &[RunPlot]) {
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
            w = p.size.0,
            hgt = p.size.1,
            alt = escape(&p.caption),
            n = i + 1,
            caption = escape(&p.caption),
        );
    }
    h.push_str("</section>\n");
}

/// The "reproducing" section: `settings` as a definition list (terms are
/// plain text, definitions already HTML), the command line, and the files
/// written before the report with their sizes and sha256.
pub fn reproduce(
    h: &mut String,
    heading: &str,
    settings: &[(&str, String)],
    command: &[String],
    files: &[FileEntry],
) {
    let _ = write!(
        h,
        "<section id=\"manifest\">\n<h2>{}</h2>\n<dl class=\"manifest\">\n",
        escape(heading)
    );
    for (term, definition) in settings {
        let _ = writeln!(h, "<dt>{}</dt><dd>{}</dd>", escape(term), definition);
    }
    let _ = write!(
        h,
        "</dl>\n<p>Command line:</p>\n<pre class=\"command\"><code>{}</code></pre>\n",
        escape(&shell_words(command))
    );
    h.push_str(
        "<table class=\"files\">\n<caption>Files written before this report, with their \
         sha256. <code>manifest.json</code> lists them all, this report included.</caption>\n\
         <thead><tr><th>File</th><th class=\"num\">Bytes</th><th>sha256</th></tr></thead>\n\
         <tbody>\n",
    );
    for f in files {
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

/// Ends the report of an analysis: its `plots`, the "reproducing" section
/// under `heading` (`settings`, then the command line and the files of
/// `m`), and a footer that names the scenario of `m` and the further
/// `inputs` (already HTML, may be empty) and says that the same ones give
/// `same` (as in "the same scenario, seed and version give the same box").
pub fn end_analysis(
    h: &mut String,
    plots: &[RunPlot],
    heading: &str,
    settings: &[(&str, String)],
    m: &Manifest,
    inputs: &str,
    same: &str,
) {
    figures(h, plots);
    reproduce(h, heading, settings, &m.command, &m.files);
    close(
        h,
        &format!(
            "Written by brink {} from scenario <code>{}</code> (sha256 <code>{}</code>){inputs}. \
             The {same} on any machine and with any number of threads.",
            escape(&m.brink_version),
            escape(&m.scenario_file),
            escape(&m.scenario_sha256)
        ),
    );
}

/// Ends a report: the footer (already HTML) and the closing tags.
pub fn close(h: &mut String, footer_html: &str) {
    let _ = write!(
        h,
        "<footer>{footer_html}</footer>\n</main>\n</body>\n</html>\n"
    );
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
        assert_eq!(
            share_cell(0.5, [0.4, 0.6]),
            "<td class=\"num\">50.0%<br><span class=\"sub\">40.0%&ndash;60.0%</span></td>"
        );
    }

    #[test]
    fn reproduce_escapes_files_and_command() {
        let mut h = String::new();
        let files = [FileEntry {
            path: "<x>.json".into(),
            bytes: 1234,
            sha256: "ab".into(),
        }];
        reproduce(
            &mut h,
            "Reproducing",
            &[("Seed", "7".into())],
            &["brink".into(), "a b".into()],
            &files,
        );
        assert!(h.contains("<dt>Seed</dt><dd>7</dd>"));
        assert!(h.contains("brink &#39;a b&#39;"));
        assert!(h.contains("&lt;x&gt;.json") && h.contains("1,234"));
    }
}
