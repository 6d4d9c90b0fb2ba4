//! `report.html` of `brink sensitivity`: the design and estimators, a short
//! guide to reading Sobol indices, the strongest driver of each output, the
//! table of first- and total-order indices with bootstrap intervals for
//! every output, the plots, and the manifest of the files written before it.

use std::fmt::Write;

use crate::analysis::sensitivity::{OutputIndices, Sensitivity};
use crate::output::manifest::Manifest;
use crate::plot::run_plots::{RunPlot, thousands};
use crate::plot::sensitivity_plots::{SENSITIVITY_PLOTS, first_color, ranked, total_color};
use crate::plot::{ValueFormat, palette};
use crate::stats::sobol::Estimate;

use super::html::escape;
use super::page;

/// Everything a sensitivity report shows.
#[derive(Debug, Clone, Copy)]
pub struct SensitivityReportInput<'a> {
    /// The results.
    pub sensitivity: &'a Sensitivity,
    /// Bootstrap resamples behind the intervals.
    pub bootstrap: usize,
    /// The rendered plots, in display order.
    pub plots: &'a [RunPlot],
    /// The manifest of the files written before the report.
    pub manifest: &'a Manifest,
}

use crate::plot::sensitivity_plots::index_text as index;

fn estimate_cell(e: &Estimate) -> String {
    page::stacked_cell(
        &index(e.value),
        &format!("{} to {}", index(e.low), index(e.high)),
    )
}

/// The output's mean, as a share for probabilities.
fn mean_text(o: &OutputIndices) -> String {
    if o.output.is_probability() {
        ValueFormat::PERCENT_1.format(o.mean)
    } else {
        format!("{:.1}", o.mean)
    }
}

fn slug(output: &str) -> String {
    output
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Renders the report as a complete HTML document.
pub fn render(input: &SensitivityReportInput<'_>) -> String {
    let s = input.sensitivity;
    let k = s.parameters.len();
    let mut h = String::new();
    let heading = format!("{}: what drives the outcomes", s.scenario.title);
    page::open(&mut h, &s.brink_version, &heading);
    page::header(
        &mut h,
        "brink sensitivity report",
        &heading,
        &format!(
            "Scenario <code>{}</code> from <code>{}</code> &middot; {} uncertain parameters \
             &middot; {} rows &times; {} matrices &times; {} trials per point &middot; seed {} \
             &middot; brink {}",
            escape(&s.scenario.name),
            escape(&s.scenario.file),
            k,
            thousands(s.samples as u64),
            k + 2,
            thousands(s.trials_per_sample),
            s.seed,
            escape(&s.brink_version)
        ),
    );

    let _ = write!(
        h,
        "<section id=\"method\">\n<h2>What was done</h2>\n<p>Sobol sensitivity indices of \
         each outcome probability and of the mean escalation score over the scenario's {k} \
         uncertain parameters. A Saltelli design of two independent sample matrices of {n} \
         rows, drawn from the parameters' distributions, and one more matrix per parameter \
         gives {points} design points; at each, {t} trials ran with the parameters fixed \
         there, all points on the same trial streams of seed {seed} (common random numbers). \
         First-order indices use the Saltelli (2010) estimator, total-order indices Jansen's \
         (1999); the 95% intervals are percentiles of {b} bootstrap resamples of the design \
         rows. In all {total} trials.</p>\n<p>Parameters analysed: {params}.</p>\n</section>\n",
        n = thousands(s.samples as u64),
        points = thousands(s.evaluations),
        t = thousands(s.trials_per_sample),
        seed = s.seed,
        b = thousands(input.bootstrap as u64),
        total = thousands(s.evaluations * s.trials_per_sample),
        params = s
            .parameters
            .iter()
            .map(|p| format!("<code>{}</code>", escape(p)))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let _ = write!(
        h,
        "<section id=\"how-to-read\">\n<h2>How to read this</h2>\n<div class=\"howto\">\n<ul>\n\
         <li><strong>S1</strong>, the first-order index, is the share of an output's variance \
         that a parameter explains <em>alone</em>: fixing it, wherever in its range, would \
         remove that share of the variance on average.</li>\n\
         <li><strong>ST</strong>, the total-order index, is the share it explains \
         <em>including its interactions</em> with the others. A parameter with ST near 0 can \
         be fixed anywhere in its range without changing the output; that is the safest \
         conclusion the analysis gives.</li>\n\
         <li><strong>ST much larger than S1</strong>: the parameter matters mostly through \
         interactions (its effect depends on the others). The S1 of all parameters add up to \
         at most 1; what is missing is interaction.</li>\n\
         <li>The intervals come from resampling the {n} design rows ({b} times). S1 is the \
         noisier of the two: a negative S1 or an interval that spans zero means the design is \
         too small to tell a first-order effect apart from none; more <code>--samples</code> \
         narrow it.</li>\n\
         <li>Each design point is itself a Monte Carlo estimate from {t} trials. Every \
         point runs the same trial streams, so this inner noise does not add fresh variance at \
         each point; instead the outputs move in small steps as single trials change outcome, \
         which shows up as small spurious effects and interactions. More \
         <code>--trials-per-sample</code> smooth it. Rare outcomes (a few percent or less) \
         are dominated by these steps: read their indices with care.</li>\n</ul>\n</div>\n</section>\n",
        n = thousands(s.samples as u64),
        b = thousands(input.bootstrap as u64),
        t = thousands(s.trials_per_sample)
    );

    // Key figures: the strongest driver of each plotted output.
    h.push_str("<section id=\"key-figures\">\n<h2>Key figures</h2>\n<div class=\"cards\">\n");
    for (name, _) in SENSITIVITY_PLOTS {
        let Some(o) = s.outputs.iter().find(|o| o.output == name) else {
            continue;
        };
        if let Some(top) = ranked(o).first() {
            let _ = writeln!(
                h,
                "<div class=\"card\"><div class=\"value\">ST {}</div><div class=\"label\">\
                 the largest total-order index of {} (mean {}): <code>{}</code>, S1 {}</div>\
                 </div>",
                index(top.total.value),
                escape(&o.output.label()),
                escape(&mean_text(o)),
                escape(&top.parameter),
                index(top.first.value)
            );
        }
    }
    h.push_str("</div>\n</section>\n");

    h.push_str("<section id=\"indices\">\n<h2>Indices of every output</h2>\n");
    for o in &s.outputs {
        let _ = write!(
            h,
            "<h3 id=\"indices-{}\">{}</h3>\n<div class=\"scroll\"><table class=\"indices\">\n\
             <caption>Mean {} over the design, variance {}. Parameters ranked by total order; \
             95% bootstrap intervals under each index.</caption>\n<thead><tr>\
             <th>Parameter</th><th class=\"num\"><span class=\"swatch\" \
             style=\"background:{}\"></span>S1 (alone)</th><th class=\"num\"><span \
             class=\"swatch\" style=\"background:{}\"></span>ST (with interactions)</th>\
             <th class=\"num\">ST &minus; S1</th></tr></thead>\n<tbody>\n",
            slug(&o.output.label()),
            escape(&o.output.label()),
            escape(&mean_text(o)),
            escape(&format!("{:.4}", o.variance)),
            palette::hex(first_color()),
            palette::hex(total_color())
        );
        for p in ranked(o) {
            let _ = writeln!(
                h,
                "<tr><td><code>{}</code></td>{}{}<td class=\"num\">{}</td></tr>",
                escape(&p.parameter),
                estimate_cell(&p.first),
                estimate_cell(&p.total),
                index(p.total.value - p.first.value)
            );
        }
        let sum: f64 = o
            .indices
            .iter()
            .map(|p| p.first.value)
            .filter(|v| v.is_finite())
            .sum();
        let reading = if sum <= 1.0 {
            format!(
                "the remaining {} is the share of variance from interactions (or noise)",
                index(1.0 - sum)
            )
        } else {
            "above 1, which only estimation noise can give: read S1 with its intervals".into()
        };
        let _ = writeln!(
            h,
            "</tbody>\n</table></div>\n<p class=\"sub\">Sum of S1: {}; {}.</p>",
            index(sum),
            reading
        );
        if o.output.is_probability() && (o.mean < 0.02 || o.mean > 0.98) {
            let _ = writeln!(
                h,
                "<p class=\"sub\">A rare outcome: with {} trials per design point most points \
                 see it a few times at most, so these indices are dominated by that noise (an \
                 index above 1 or a very wide interval is the symptom). More \
                 <code>--trials-per-sample</code> would be needed to read them.</p>",
                thousands(s.trials_per_sample)
            );
        }
    }
    h.push_str("</section>\n");

    let m = input.manifest;
    page::end_analysis(
        &mut h,
        input.plots,
        "Reproducing this analysis",
        &page::manifest_settings(
            m,
            format!(
                "{} in all ({} design points &times; {})",
                thousands(m.trials),
                thousands(s.evaluations),
                thousands(s.trials_per_sample)
            ),
        ),
        m,
        "",
        "same scenario, design, seed and version give the same indices and plots",
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_indices_and_slugs() {
        assert_eq!(index(-0.001), "0.00");
        assert_eq!(index(0.456), "0.46");
        assert_eq!(index(f64::NAN), "-");
        assert_eq!(slug("P(regional war)"), "p-regional-war");
        assert_eq!(slug("mean escalation score"), "mean-escalation-score");
    }
}
