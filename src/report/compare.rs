//! `report.html` of `brink compare`: what was compared and how, the
//! outcome probabilities of every scenario with their intervals, the paired
//! differences from the baseline with their intervals (marked where they
//! exclude zero) and the variance reduction that pairing bought, every plot,
//! and the manifest of the files written before it.

use std::fmt::Write;

use crate::output::comparison_manifest::ComparisonManifest;
use crate::plot::run_plots::{RunPlot, thousands};
use crate::plot::{ValueFormat, palette};
use crate::scenario::Scenario;
use crate::stats::comparison::Comparison;
use crate::world::{Outcome, RUNG_LABELS};

use super::html::{escape, paragraphs};
use super::page::{self, pct};

/// Everything a comparison report shows.
#[derive(Debug, Clone, Copy)]
pub struct CompareReportInput<'a> {
    /// The results.
    pub comparison: &'a Comparison,
    /// The scenarios compared, the baseline first (for their descriptions).
    pub scenarios: &'a [Scenario],
    /// The rendered plots, in display order.
    pub plots: &'a [RunPlot],
    /// The manifest of the files written before the report.
    pub manifest: &'a ComparisonManifest,
}

/// A difference of shares in signed percentage points, one decimal.
fn pp(v: f64) -> String {
    ValueFormat::Points { decimals: 1 }.format(v)
}

/// An interval of differences: `-8.1 to -6.3`.
fn pp_ci(ci: [f64; 2]) -> String {
    format!("{} to {}", pp(ci[0]), pp(ci[1]))
}

/// A difference of escalation scores, signed, one decimal (never `-0.0`).
fn signed_score(v: f64) -> String {
    let s = format!("{v:.1}");
    match s.as_str() {
        "0.0" | "-0.0" => "0.0".to_string(),
        _ if v > 0.0 => format!("+{s}"),
        _ => s,
    }
}

/// The label of the escalation rows of the tables.
const ESCALATION_ROW: &str = "Mean escalation score";

/// A table cell with a difference over its interval, bold and marked when
/// the interval excludes 0.
fn difference_cell(value: &str, ci: &str, excludes_zero: bool) -> String {
    if excludes_zero {
        format!(
            "<td class=\"num sig\"><strong>{value}</strong> <span class=\"sigmark\" title=\"the \
             95% interval excludes 0\">*</span><br><span class=\"sub\">{ci}</span></td>"
        )
    } else {
        page::stacked_cell(value, ci)
    }
}

fn swatch(k: usize) -> String {
    format!(
        "<span class=\"swatch\" style=\"background:{}\"></span>",
        palette::hex(palette::series(k))
    )
}

fn outcome_cell(o: Outcome) -> String {
    format!(
        "<span class=\"swatch\" style=\"background:{}\"></span>{}",
        palette::hex(palette::outcome(o)),
        escape(o.label())
    )
}

/// Renders the report as a complete HTML document.
pub fn render(input: &CompareReportInput<'_>) -> String {
    let c = input.comparison;
    let base = c.baseline();
    let mut h = String::new();
    let alternatives = c.scenarios.len() - 1;
    let heading = format!(
        "{} against {} alternative{}",
        base.scenario.title,
        alternatives,
        if alternatives == 1 { "" } else { "s" }
    );
    page::open(&mut h, &c.brink_version, &heading);
    page::header(
        &mut h,
        "brink comparison report",
        &heading,
        &format!(
            "{} scenarios &middot; {} paired trials each &middot; seed {} &middot; {} {}s \
             &middot; brink {}",
            c.scenarios.len(),
            thousands(c.trials),
            c.seed,
            base.horizon,
            escape(&base.step_label),
            escape(&c.brink_version)
        ),
    );
    method(&mut h, input);
    key_figures(&mut h, c);
    probabilities(&mut h, c);
    differences(&mut h, c);
    variance_reduction(&mut h, c);
    rungs(&mut h, c);
    page::figures(&mut h, input.plots);
    manifest(&mut h, input.manifest);
    page::close(
        &mut h,
        &format!(
            "Written by brink {} from {} scenarios (baseline <code>{}</code>, sha256 \
             <code>{}</code>). The same scenarios, seed and version give the same numbers and \
             plots on any machine and with any number of threads.",
            escape(&c.brink_version),
            c.scenarios.len(),
            escape(&base.scenario.file),
            escape(&base.scenario.sha256)
        ),
    );
    h
}

fn method(h: &mut String, input: &CompareReportInput<'_>) {
    let c = input.comparison;
    let _ = write!(
        h,
        "<section id=\"method\">\n<h2>What was compared</h2>\n<p>Every scenario ran the same \
         {} trials: trial <em>i</em> of each drew from the same random stream of seed {} \
         (common random numbers), so the scenarios are compared trial by trial and a \
         difference between them comes from what they change, not from sampling noise. The \
         first scenario, <code>{}</code>, is the baseline. Probabilities have 95% Wilson \
         intervals; differences from the baseline are paired, with Newcombe's (1998) 95% \
         interval for paired proportions, and the variance reduction says how much smaller \
         the variance of a difference is than it would be between two independent runs of \
         the same size.</p>\n",
        thousands(c.trials),
        c.seed,
        escape(&c.baseline().scenario.name)
    );
    h.push_str(
        "<table class=\"scenarios\">\n<caption>The scenarios, in the order of every table and \
         plot.</caption>\n<thead><tr><th>#</th><th>Scenario</th><th>Title</th><th>File</th>\
         <th class=\"num\">Horizon</th></tr></thead>\n<tbody>\n",
    );
    for (k, s) in c.scenarios.iter().enumerate() {
        let _ = writeln!(
            h,
            "<tr><td class=\"num\">{}</td><td>{}<code>{}</code>{}</td><td>{}</td>\
             <td><code>{}</code></td><td class=\"num\">{} {}s</td></tr>",
            k + 1,
            swatch(k),
            escape(&s.scenario.name),
            if k == 0 { " (baseline)" } else { "" },
            escape(&s.scenario.title),
            escape(&s.scenario.file),
            s.horizon,
            escape(&s.step_label)
        );
    }
    h.push_str("</tbody>\n</table>\n");
    for s in input.scenarios {
        let _ = writeln!(
            h,
            "<h3><code>{}</code>: {}</h3>",
            escape(&s.name),
            escape(&s.title)
        );
        if s.description.trim().is_empty() {
            h.push_str("<p><em>The scenario file has no description.</em></p>\n");
        } else {
            h.push_str(&paragraphs(&s.description));
        }
    }
    h.push_str("</section>\n");
}

fn key_figures(h: &mut String, c: &Comparison) {
    h.push_str("<section id=\"key-figures\">\n<h2>Key figures</h2>\n<div class=\"cards\">\n");
    let base = c.share(0, Outcome::RegionalWar);
    let _ = writeln!(
        h,
        "<div class=\"card\"><div class=\"value\">{}</div><div class=\"label\">chance of \
         regional war in the baseline <code>{}</code> (95%: {} to {})</div></div>",
        pct(base.probability),
        escape(&c.baseline().scenario.name),
        pct(base.ci95[0]),
        pct(base.ci95[1])
    );
    for k in 1..c.scenarios.len() {
        let Some(d) = c.difference(k, Outcome::RegionalWar) else {
            continue;
        };
        let verdict = if d.excludes_zero {
            "the interval excludes 0"
        } else {
            "the interval includes 0"
        };
        let _ = writeln!(
            h,
            "<div class=\"card\"><div class=\"value\">{} pp</div><div class=\"label\">change \
             in the chance of regional war with {}<code>{}</code> (95%: {}); {}</div></div>",
            pp(d.difference),
            swatch(k),
            escape(&c.scenarios[k].scenario.name),
            pp_ci(d.ci95),
            verdict
        );
    }
    h.push_str("</div>\n</section>\n");
}

fn scenario_heads(h: &mut String, c: &Comparison, from: usize) {
    for (k, s) in c.scenarios.iter().enumerate().skip(from) {
        let _ = write!(
            h,
            "<th class=\"num\">{}<code>{}</code></th>",
            swatch(k),
            escape(&s.scenario.name)
        );
    }
}

fn probabilities(h: &mut String, c: &Comparison) {
    h.push_str(
        "<section id=\"probabilities\">\n<h2>Outcome probabilities</h2>\n<div class=\"scroll\">\
         <table class=\"compact probabilities\">\n<caption>Share of trials ending in each outcome, in \
         order of precedence, with its 95% Wilson interval; last, the mean summed escalation score \
         per trial with its 95% interval.</caption>\n<thead><tr>\
         <th>Outcome</th>",
    );
    scenario_heads(h, c, 0);
    h.push_str("</tr></thead>\n<tbody>\n");
    for o in Outcome::ALL {
        let _ = write!(h, "<tr><td>{}</td>", outcome_cell(o));
        for k in 0..c.scenarios.len() {
            let s = c.share(k, o);
            h.push_str(&page::share_cell(s.probability, s.ci95));
        }
        h.push_str("</tr>\n");
    }
    let _ = write!(h, "<tr><td>{ESCALATION_ROW}</td>");
    for s in &c.scenarios {
        h.push_str(&page::mean_cell(s.escalation_mean, s.escalation_ci95));
    }
    h.push_str("</tr>\n</tbody>\n</table></div>\n</section>\n");
}

fn differences(h: &mut String, c: &Comparison) {
    if c.scenarios.len() < 2 {
        return;
    }
    let _ = write!(
        h,
        "<section id=\"differences\">\n<h2>Paired differences from <code>{}</code></h2>\n\
         <div class=\"scroll\"><table class=\"compact differences\">\n<caption>Change in the \
         probability of each outcome against the baseline, in percentage points, and of the mean \
         escalation score, in its points, each with its 95% paired interval. \
         <span class=\"sigmark\">*</span> and bold: the interval excludes 0.</caption>\n<thead><tr><th>Outcome</th>",
        escape(&c.baseline().scenario.name)
    );
    scenario_heads(h, c, 1);
    h.push_str("</tr></thead>\n<tbody>\n");
    for o in Outcome::ALL {
        let _ = write!(h, "<tr><td>{}</td>", outcome_cell(o));
        for k in 1..c.scenarios.len() {
            let Some(d) = c.difference(k, o) else {
                continue;
            };
            h.push_str(&difference_cell(
                &pp(d.difference),
                &format!("[{}, {}]", pp(d.ci95[0]), pp(d.ci95[1])),
                d.excludes_zero,
            ));
        }
        h.push_str("</tr>\n");
    }
    let _ = write!(h, "<tr><td>{ESCALATION_ROW} (points)</td>");
    for d in &c.differences {
        let e = &d.escalation;
        h.push_str(&difference_cell(
            &signed_score(e.difference),
            &format!("[{}, {}]", signed_score(e.ci95[0]), signed_score(e.ci95[1])),
            e.excludes_zero,
        ));
    }
    h.push_str("</tr>\n</tbody>\n</table></div>\n</section>\n");
}

fn half_width_pp(ci: [f64; 2]) -> String {
    format!("&plusmn;{:.1}", (ci[1] - ci[0]) / 2.0 * 100.0)
}

fn variance_reduction(h: &mut String, c: &Comparison) {
    if c.scenarios.len() < 2 {
        return;
    }
    h.push_str(
        "<section id=\"variance-reduction\">\n<h2>What pairing bought</h2>\n<p>The variance \
         reduction is the variance a difference would have between two independent runs \
         divided by its variance over paired trials: 4&times; means that pairing did what four \
         times as many independent trials would have done. Below it, the half-widths of the \
         paired and of the unpaired 95% interval, in percentage points (in score points for \
         the escalation score).</p>\n\
         <div class=\"scroll\"><table class=\"compact variance\">\n<caption>Variance reduction from \
         common random numbers, by outcome and scenario.</caption>\n<thead><tr>\
         <th>Outcome</th>",
    );
    scenario_heads(h, c, 1);
    h.push_str("</tr></thead>\n<tbody>\n");
    for o in Outcome::ALL {
        let _ = write!(h, "<tr><td>{}</td>", outcome_cell(o));
        for k in 1..c.scenarios.len() {
            let Some(d) = c.difference(k, o) else {
                continue;
            };
            let vr = d
                .variance_reduction
                .map_or_else(|| "-".to_string(), |v| format!("{v:.1}&times;"));
            let _ = write!(
                h,
                "<td class=\"num\">{}<br><span class=\"sub\">{} vs {}</span></td>",
                vr,
                half_width_pp(d.ci95),
                half_width_pp(d.unpaired_ci95)
            );
        }
        h.push_str("</tr>\n");
    }
    // The escalation score's unpaired half-width is the paired one times the
    // square root of the variance reduction.
    let _ = write!(h, "<tr><td>{ESCALATION_ROW} (points)</td>");
    for d in &c.differences {
        let e = &d.escalation;
        let half = (e.ci95[1] - e.ci95[0]) / 2.0;
        let cell = match e.variance_reduction {
            Some(v) => page::stacked_cell(
                &format!("{v:.1}&times;"),
                &format!("&plusmn;{half:.1} vs &plusmn;{:.1}", half * v.sqrt()),
            ),
            None => page::stacked_cell("-", ""),
        };
        h.push_str(&cell);
    }
    h.push_str("</tr>\n");
    h.push_str(
        "</tbody>\n</table></div>\n<p class=\"sub\">A dash: no trial had the outcome in \
         one scenario and not the other, so the paired difference is exactly zero.</p>\n\
         </section>\n",
    );
}

fn rungs(h: &mut String, c: &Comparison) {
    h.push_str(
        "<section id=\"rungs\">\n<h2>Highest rung reached</h2>\n<div class=\"scroll\">\
         <table class=\"compact rungs\">\n<caption>Share of trials by the highest rung of the \
         escalation ladder they reached.</caption>\n<thead><tr><th>Rung</th>",
    );
    scenario_heads(h, c, 0);
    h.push_str("</tr></thead>\n<tbody>\n");
    for (r, label) in RUNG_LABELS.iter().enumerate() {
        let _ = write!(
            h,
            "<tr><td><span class=\"swatch\" style=\"background:{}\"></span>{} {}</td>",
            palette::hex(palette::rung(r)),
            r,
            escape(label)
        );
        for s in &c.scenarios {
            let _ = write!(
                h,
                "<td class=\"num\">{}</td>",
                pct(s.max_rung.get(r).copied().unwrap_or(0.0))
            );
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn manifest(h: &mut String, m: &ComparisonManifest) {
    let mut list = String::from("<ol class=\"sources\">");
    for s in &m.scenarios {
        let parents: Vec<String> = s
            .chain
            .iter()
            .skip(1)
            .map(|f| format!("<code>{}</code>", escape(&f.file)))
            .collect();
        let _ = write!(
            list,
            "<li><code>{}</code> from <code>{}</code>, sha256 <code>{}</code>{}</li>",
            escape(&s.name),
            escape(&s.file),
            escape(&s.sha256),
            if parents.is_empty() {
                String::new()
            } else {
                format!(" (extends {})", parents.join(", "))
            }
        );
    }
    list.push_str("</ol>");
    page::reproduce(
        h,
        "Reproducing this comparison",
        &[
            (
                "Program",
                format!("{} {}", escape(&m.program), escape(&m.brink_version)),
            ),
            ("Scenarios", list),
            ("Seed", m.seed.to_string()),
            ("Trials", format!("{} per scenario", thousands(m.trials))),
        ],
        &m.command,
        &m.files,
    );
}
