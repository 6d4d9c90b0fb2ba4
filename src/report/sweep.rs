//! `report.html` of `brink sweep`: which parameter was swept over which
//! values and how, how the chances of a deal and of regional war move
//! across the range, the table of every point with its intervals, the
//! plots, and the manifest of the files written before it.

use std::fmt::Write;

use crate::analysis::sweep::Sweep;
use crate::output::manifest::Manifest;
use crate::plot::palette;
use crate::plot::run_plots::{RunPlot, thousands};
use crate::plot::sweep_plots::decimals_for;
use crate::world::Outcome;

use super::html::escape;
use super::page::{self, pct};

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

/// Renders the report as a complete HTML document.
pub fn render(input: &SweepReportInput<'_>) -> String {
    let s = input.sweep;
    let values: Vec<f64> = s.points.iter().map(|p| p.value).collect();
    let d = decimals_for(&values);
    let v = |x: f64| format!("{x:.d$}");
    let mut h = String::new();
    let heading = format!("{}: sweep of {}", s.scenario.title, s.parameter);
    page::open(&mut h, &s.brink_version, &heading);
    page::header(
        &mut h,
        "brink sweep report",
        &heading,
        &format!(
            "Scenario <code>{}</code> from <code>{}</code> &middot; {} values of <code>{}</code> \
             &middot; {} trials per value &middot; seed {} &middot; brink {}",
            escape(&s.scenario.name),
            escape(&s.scenario.file),
            s.points.len(),
            escape(&s.parameter),
            thousands(s.trials),
            s.seed,
            escape(&s.brink_version)
        ),
    );

    let listed: Vec<String> = values.iter().map(|&x| v(x)).collect();
    let _ = write!(
        h,
        "<section id=\"method\">\n<h2>What was done</h2>\n<p>The scenario was run at each \
         of {} values of <code>{}</code> ({}), {} trials at each value. Every value ran the \
         same trial streams of seed {} (common random numbers), so the change from one value \
         to the next is the parameter's effect rather than sampling noise, and a curve that \
         moves steadily can be read even where neighbouring intervals overlap.</p>\n",
        s.points.len(),
        escape(&s.parameter),
        escape(&listed.join(", ")),
        thousands(s.trials),
        s.seed
    );
    if s.uncertain.is_empty() {
        h.push_str("<p>No other number of the scenario is uncertain.</p>\n");
    } else {
        let names: Vec<String> = s
            .uncertain
            .iter()
            .map(|p| format!("<code>{}</code>", escape(p)))
            .collect();
        let _ = writeln!(
            h,
            "<p>The scenario's other uncertain parameters were still drawn afresh in every \
             trial, so each point averages over them: {}.</p>",
            names.join(", ")
        );
    }
    h.push_str("</section>\n");

    // Key figures: how the main outcomes move from the first value to the last.
    if let (Some(first), Some(last)) = (s.points.first(), s.points.last()) {
        h.push_str("<section id=\"key-figures\">\n<h2>Key figures</h2>\n<div class=\"cards\">\n");
        for o in [Outcome::Deal, Outcome::RegionalWar, Outcome::LimitedStrikes] {
            let i = o.index();
            let _ = writeln!(
                h,
                "<div class=\"card\"><div class=\"value\">{} &rarr; {}</div><div \
                 class=\"label\">chance of {} from <code>{}</code> = {} to {}</div></div>",
                pct(first.outcomes[i].probability),
                pct(last.outcomes[i].probability),
                escape(&o.label().to_lowercase()),
                escape(&s.parameter),
                v(first.value),
                v(last.value)
            );
        }
        let _ = writeln!(
            h,
            "<div class=\"card\"><div class=\"value\">{:.1} &rarr; {:.1}</div><div \
             class=\"label\">mean escalation score over the same range</div></div>",
            first.escalation_mean, last.escalation_mean
        );
        h.push_str("</div>\n</section>\n");
    }

    let _ = write!(
        h,
        "<section id=\"points\">\n<h2>Every point</h2>\n<div class=\"scroll\"><table \
         class=\"compact points\">\n<caption>Outcome probabilities at each value of <code>{}</code> \
         with 95% Wilson intervals, and the mean escalation score with its 95% interval \
         ({} trials per value).\
         </caption>\n<thead><tr><th class=\"num\">Value</th>",
        escape(&s.parameter),
        thousands(s.trials)
    );
    for o in Outcome::ALL {
        let _ = write!(
            h,
            "<th class=\"num\"><span class=\"swatch\" style=\"background:{}\"></span>{}</th>",
            palette::hex(palette::outcome(o)),
            escape(o.label())
        );
    }
    h.push_str("<th class=\"num\">Mean score</th></tr></thead>\n<tbody>\n");
    for p in &s.points {
        let _ = write!(h, "<tr><td class=\"num\">{}</td>", v(p.value));
        for o in &p.outcomes {
            h.push_str(&page::share_cell(o.probability, o.ci95));
        }
        h.push_str(&page::mean_cell(p.escalation_mean, p.escalation_ci95));
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");

    let m = input.manifest;
    page::end_analysis(
        &mut h,
        input.plots,
        "Reproducing this sweep",
        &page::manifest_settings(
            m,
            format!(
                "{} in all ({} per value)",
                thousands(m.trials),
                thousands(s.trials)
            ),
        ),
        m,
        "",
        "same scenario, values, seed and version give the same numbers and plots",
    );
    h
}
