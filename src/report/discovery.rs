//! `report.html` of `brink discover`: how the search ran (trials, PRIM
//! settings), the box of assumptions where the outcome is most likely with
//! its coverage and density, its bounds against each parameter's full
//! range, the Kolmogorov-Smirnov ranking, the plots, and the manifest of
//! the files written before it.

use std::fmt::Write;

use crate::analysis::discovery::Discovery;
use crate::output::manifest::Manifest;
use crate::plot::discovery_plots::{bounds_text, outcome_label, sig3};
use crate::plot::run_plots::{RunPlot, thousands};
use crate::stats::prim::PrimBox;

use super::html::escape;
use super::page::{self, pct};

/// Everything a discovery report shows.
#[derive(Debug, Clone, Copy)]
pub struct DiscoveryReportInput<'a> {
    /// The results.
    pub discovery: &'a Discovery,
    /// The rendered plots, in display order.
    pub plots: &'a [RunPlot],
    /// The manifest of the files written before the report.
    pub manifest: &'a Manifest,
}

fn restricted_count(d: &Discovery) -> usize {
    d.prim.restricted.iter().filter(|&&r| r).count()
}

fn box_row(h: &mut String, label: &str, b: &PrimBox, base_rate: f64) {
    let lift = if base_rate > 0.0 {
        format!("{:.2}&times;", b.density / base_rate)
    } else {
        "-".into()
    };
    let _ = writeln!(
        h,
        "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
         <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        escape(label),
        pct(b.coverage),
        pct(b.density),
        lift,
        pct(b.support)
    );
}

/// Renders the report as a complete HTML document.
pub fn render(input: &DiscoveryReportInput<'_>) -> String {
    let d = input.discovery;
    let o = &d.prim_settings;
    let what = outcome_label(d).to_lowercase();
    let b = &d.prim.pasted;
    let mut h = String::new();
    let heading = format!("{}: where {} is most likely", d.scenario.title, what);
    page::open(&mut h, &d.brink_version, &heading);
    page::header(
        &mut h,
        "brink scenario discovery report",
        &heading,
        &format!(
            "Scenario <code>{}</code> from <code>{}</code> &middot; outcome {} &middot; {} \
             trials &middot; {} uncertain parameters &middot; seed {} &middot; brink {}",
            escape(&d.scenario.name),
            escape(&d.scenario.file),
            escape(&what),
            thousands(d.trials),
            d.parameters.len(),
            d.seed,
            escape(&d.brink_version)
        ),
    );

    let _ = write!(
        h,
        "<section id=\"method\">\n<h2>What was done</h2>\n<p>The scenario ran {} trials, each \
         drawing its own values of the {} uncertain parameters; {} of them ({}) ended in {}. \
         PRIM (Friedman and Fisher, 1999) then searched the space of those values for a box, \
         a range on each parameter, inside which {} is much more common than overall: it \
         peels {} of the trials in the box off one side of one parameter at a time, always \
         the peel that raises the density most, until fewer than {} of all trials remain. \
         From this trajectory it chooses the densest box that still covers at least {} of \
         the trials with the outcome, then pastes back, {} at a time, whatever raises the \
         density again. Separately, each parameter is scored by the Kolmogorov-Smirnov \
         distance between its values in trials with and without the outcome.</p>\n\
         <p>Coverage: the share of all trials with the outcome that fall inside the box. \
         Density: the share of trials inside the box that have the outcome. Support: the \
         share of all trials inside the box.</p>\n</section>\n",
        thousands(d.trials),
        d.parameters.len(),
        thousands((d.base_rate * d.trials as f64).round() as u64),
        pct(d.base_rate),
        escape(&what),
        escape(&what),
        pct(o.peel_alpha),
        pct(o.min_support),
        pct(o.min_coverage),
        pct(o.paste_alpha)
    );

    h.push_str("<section id=\"key-figures\">\n<h2>Key figures</h2>\n<div class=\"cards\">\n");
    for (value, label) in [
        (
            pct(d.base_rate),
            format!("chance of {what} over all trials"),
        ),
        (pct(b.density), format!("chance of {what} inside the box")),
        (
            pct(b.coverage),
            format!("of the trials with {what} fall inside the box"),
        ),
        (
            restricted_count(d).to_string(),
            format!("of {} parameters restricted by the box", d.parameters.len()),
        ),
    ] {
        let _ = writeln!(
            h,
            "<div class=\"card\"><div class=\"value\">{}</div><div class=\"label\">{}</div></div>",
            escape(&value),
            escape(&label)
        );
    }
    h.push_str("</div>\n</section>\n");

    // The box.
    h.push_str(
        "<section id=\"box\">\n<h2>The box</h2>\n<table class=\"box\">\n<caption>The chosen \
         box before and after pasting, against the full range (every trial). Lift: density \
         divided by the base rate.</caption>\n<thead><tr><th>Box</th><th class=\"num\">\
         Coverage</th><th class=\"num\">Density</th><th class=\"num\">Lift</th>\
         <th class=\"num\">Support</th></tr></thead>\n<tbody>\n",
    );
    if let Some(full) = d.prim.trajectory.first() {
        box_row(&mut h, "full range", full, d.base_rate);
    }
    if let Some(chosen) = d.prim.trajectory.get(d.prim.chosen) {
        box_row(
            &mut h,
            &format!("chosen after {} peels", d.prim.chosen),
            chosen,
            d.base_rate,
        );
    }
    box_row(&mut h, "after pasting (reported)", b, d.base_rate);
    h.push_str("</tbody>\n</table>\n");

    let full = d.prim.trajectory.first().map(|b| b.bounds.clone());
    if restricted_count(d) == 0 {
        h.push_str(
            "<p>The box restricts no parameter: no region of the assumptions is much denser \
             in the outcome than the whole, at the coverage asked for.</p>\n",
        );
    } else {
        h.push_str(
            "<table class=\"bounds\">\n<caption>Bounds of the box on each parameter it \
             restricts, against the range drawn in the trials.</caption>\n<thead><tr>\
             <th>Parameter</th><th class=\"num\">Box</th><th class=\"num\">Full range</th>\
             <th class=\"num\">Share of range kept</th></tr></thead>\n<tbody>\n",
        );
        for (j, p) in d.parameters.iter().enumerate() {
            if !d.prim.restricted.get(j).copied().unwrap_or(false) {
                continue;
            }
            let [a, z] = b.bounds[j];
            let [lo, hi] = full.as_ref().map_or([a, z], |f| f[j]);
            let kept = if hi > lo { (z - a) / (hi - lo) } else { 1.0 };
            let _ = writeln!(
                h,
                "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}\
                 </td><td class=\"num\">{}</td></tr>",
                escape(p),
                escape(&bounds_text(a, z, hi - lo)),
                escape(&bounds_text(lo, hi, hi - lo)),
                pct(kept)
            );
        }
        h.push_str("</tbody>\n</table>\n");
    }
    h.push_str(
        "<p class=\"sub\">The whole peeling trajectory is in <code>discovery.csv</code>.</p>\n\
         </section>\n",
    );

    // The ranking.
    let _ = write!(
        h,
        "<section id=\"ranking\">\n<h2>Which parameters separate {}</h2>\n<table \
         class=\"ranking\">\n<caption>Parameters by Kolmogorov-Smirnov distance between their \
         values in trials with and without the outcome (0: the same distribution, 1: fully \
         separated), with their means in each group.</caption>\n<thead><tr><th>Parameter</th>\
         <th class=\"num\">KS distance</th><th class=\"num\">Mean with</th>\
         <th class=\"num\">Mean without</th><th>In the box</th></tr></thead>\n<tbody>\n",
        escape(&what)
    );
    for r in &d.ranking {
        let restricted = d
            .parameters
            .iter()
            .position(|p| *p == r.parameter)
            .is_some_and(|j| d.prim.restricted.get(j).copied().unwrap_or(false));
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td class=\"num\">{:.3}</td><td class=\"num\">{}\
             </td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&r.parameter),
            r.ks,
            sig3(r.mean_with),
            sig3(r.mean_without),
            if restricted { "restricted" } else { "" }
        );
    }
    h.push_str("</tbody>\n</table>\n</section>\n");

    let m = input.manifest;
    page::end_analysis(
        &mut h,
        input.plots,
        "Reproducing this analysis",
        &page::manifest_settings(m, thousands(m.trials)),
        m,
        "",
        "same scenario, seed and version give the same box, ranking and plots",
    );
    h
}
