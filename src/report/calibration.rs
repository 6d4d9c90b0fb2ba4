//! `report.html` of `brink calibrate`: the targets and how the rejection
//! ABC ran, whether it calibrated (or why not, with the closest fit), each
//! target against the prior predictive and the calibrated fit, each
//! parameter's prior against its calibrated distribution and how much the
//! targets narrowed it, the plots, the calibrated scenario and how to run
//! it, the limits of the method, and the manifest of the files written
//! before it.

use std::fmt::Write;

use crate::analysis::calibrate::{Calibration, ParamFit, Quantiles, TargetFit};
use crate::output::calibrated_scenario::scenario_root;
use crate::output::manifest::Manifest;
use crate::plot::discovery_plots::{bounds_text, decimals_for_span};
use crate::plot::run_plots::{RunPlot, thousands};

use super::html::escape;
use super::page::{self, pct};

/// The files around a calibration that its report names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalibrationFiles {
    /// File name of the targets file.
    pub targets: String,
    /// Its sha256.
    pub targets_sha256: String,
    /// File name of the calibrated scenario beside the report, when one
    /// was written.
    pub calibrated: Option<String>,
    /// The original scenario's path relative to the result folder, as the
    /// calibrated scenario's `extends` gives it.
    pub original: String,
}

/// Everything a calibration report shows.
#[derive(Debug, Clone, Copy)]
pub struct CalibrationReportInput<'a> {
    /// The results.
    pub calibration: &'a Calibration,
    /// The targets file and the calibrated scenario.
    pub files: &'a CalibrationFiles,
    /// The rendered plots, in display order.
    pub plots: &'a [RunPlot],
    /// The manifest of the files written before the report.
    pub manifest: &'a Manifest,
}

/// Accepted samples below which the ends of the calibrated 95% ranges rest
/// on so few samples that the report says so.
const FEW_ACCEPTED: usize = 100;

/// A key-figure card; both parts already HTML.
fn card(h: &mut String, value: &str, label: &str) {
    let _ = writeln!(
        h,
        "<div class=\"card\"><div class=\"value\">{value}</div><div class=\"label\">{label}</div></div>"
    );
}

/// A share's median over its central 95% range.
fn quantile_share(q: &Quantiles) -> String {
    page::share_cell(q.median, [q.q025, q.q975])
}

/// A parameter's median over the central 95% range of `q`, with the
/// decimals of its prior 95% range.
fn quantile_value(p: &ParamFit, q: &Quantiles) -> String {
    let span = p.prior.q975 - p.prior.q025;
    let d = decimals_for_span(span);
    page::stacked_cell(
        &format!("{:.d$}", q.median),
        &escape(&bounds_text(q.q025, q.q975, span)),
    )
}

/// A signed share: `+12.3%`, `-4.0%`.
fn signed_pct(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", pct(x))
    } else if x < 0.0 {
        format!("&minus;{}", pct(-x))
    } else {
        pct(0.0)
    }
}

/// The shift of a parameter's median from prior to calibrated, as a share
/// of its prior 95% range (none when nothing was accepted or the prior has
/// no width).
fn median_moved(p: &ParamFit) -> Option<f64> {
    let span = p.prior.q975 - p.prior.q025;
    p.posterior
        .filter(|_| span > 0.0)
        .map(|q| (q.median - p.prior.median) / span)
}

/// Standard error of a statistic estimated from `trials` trials, at the
/// target's value.
fn standard_error(t: &TargetFit, trials: u64) -> f64 {
    let p = t.target.value;
    (p * (1.0 - p) / trials.max(1) as f64).sqrt()
}

fn header(h: &mut String, c: &Calibration, files: &CalibrationFiles, heading: &str) {
    page::header(
        h,
        "brink calibration report",
        heading,
        &format!(
            "Scenario <code>{}</code> from <code>{}</code> &middot; targets <code>{}</code> \
             &middot; {} targets &middot; {} uncertain parameters &middot; {} samples &times; \
             {} trials &middot; seed {} &middot; brink {}",
            escape(&c.scenario.name),
            escape(&c.scenario.file),
            escape(&files.targets),
            c.targets.len(),
            c.parameters.len(),
            thousands(c.samples as u64),
            thousands(c.trials_per_sample),
            c.seed,
            escape(&c.brink_version)
        ),
    );
}

fn method(h: &mut String, c: &Calibration, files: &CalibrationFiles) {
    let _ = write!(
        h,
        "<section id=\"method\">\n<h2>What was done</h2>\n<p>Rejection approximate Bayesian \
         computation against the {n} targets of <code>{targets}</code>. {samples} vectors of \
         the scenario's {k} uncertain parameters were drawn from the scenario's own \
         distributions (the prior); each ran {trials} trials, all samples on the same trial \
         streams of seed {seed} (common random numbers), and every target statistic was \
         estimated from those trials. A sample's distance to the targets is the largest, over \
         the targets, of |statistic &minus; target| / tolerance; the sample is accepted when \
         that distance is at most 1, that is when every statistic lies within its target's \
         tolerance. The accepted samples approximate the distribution of the parameters given \
         the targets (the calibrated distribution); all samples together show the prior. In \
         all {total} trials.</p>\n</section>\n",
        n = c.targets.len(),
        targets = escape(&files.targets),
        samples = thousands(c.samples as u64),
        k = c.parameters.len(),
        trials = thousands(c.trials_per_sample),
        seed = c.seed,
        total = thousands(c.samples as u64 * c.trials_per_sample),
    );
}

fn result(h: &mut String, c: &Calibration) {
    h.push_str("<section id=\"result\">\n<h2>Result</h2>\n");
    if c.accepted > 0 {
        let _ = writeln!(
            h,
            "<div class=\"howto\"><p><strong>Calibrated.</strong> {} of {} samples ({}) met \
             {}.</p></div>",
            thousands(c.accepted as u64),
            thousands(c.samples as u64),
            pct(c.acceptance_rate),
            match c.targets.len() {
                1 => "the target".to_string(),
                2 => "both targets at once".to_string(),
                n => format!("all {n} targets at once"),
            }
        );
    } else {
        let _ = writeln!(
            h,
            "<div class=\"howto alert\"><p><strong>Not calibrated:</strong> {}.</p><p>No \
             sample met every target, so there is no calibrated distribution and no \
             calibrated scenario was written. The closest fit was sample {} (counting from \
             0, as in <code>samples.csv</code>), at distance {:.2}: its farthest statistic lay \
             {:.2} tolerances from its target. The targets table gives the closest value any \
             sample reached for each target. Widen the prior, raise <code>--samples</code>, \
             or revisit the targets and their tolerances.</p></div>",
            escape(&c.status),
            c.closest_sample,
            c.closest_distance,
            c.closest_distance
        );
    }
    h.push_str("<div class=\"cards\">\n");
    card(
        h,
        &format!(
            "{} of {}",
            thousands(c.accepted as u64),
            thousands(c.samples as u64)
        ),
        &format!(
            "samples accepted ({}): every target within its tolerance",
            pct(c.acceptance_rate)
        ),
    );
    if c.accepted == 0 {
        card(
            h,
            &format!("{:.2}", c.closest_distance),
            "smallest distance of any sample (1: at the edge of a tolerance)",
        );
    }
    if c.accepted > 0
        && let Some(&k) = c.by_narrowing().first()
    {
        let p = &c.parameters[k];
        card(
            h,
            &pct(p.width_kept()),
            &format!(
                "of its prior 95% range kept by the most narrowed parameter, <code>{}</code>",
                escape(&p.parameter)
            ),
        );
    }
    let moved = c
        .parameters
        .iter()
        .filter_map(|p| median_moved(p).map(|m| (m, p)))
        .max_by(|a, b| a.0.abs().total_cmp(&b.0.abs()));
    if let Some((m, p)) = moved {
        card(
            h,
            &signed_pct(m),
            &format!(
                "of its prior 95% range: how far the median of <code>{}</code> moved, the most \
                 of any parameter",
                escape(&p.parameter)
            ),
        );
    }
    let unmet = c.targets.iter().filter(|t| !t.attainable).count();
    card(
        h,
        &format!("{} of {}", c.targets.len() - unmet, c.targets.len()),
        "targets that some sample met on its own",
    );
    h.push_str("</div>\n</section>\n");
}

fn targets(h: &mut String, c: &Calibration) {
    let _ = write!(
        h,
        "<section id=\"targets\">\n<h2>Targets</h2>\n<div class=\"scroll\"><table \
         class=\"targets\">\n<caption>Each target with its tolerance; the statistic over all \
         samples (prior predictive) and over the accepted ones (calibrated), as the median \
         over the central 95% range; the share of samples within this target's tolerance \
         alone (met alone); and the Monte Carlo standard error (MC s.e.) of a statistic at the \
         target's value from {} trials, which should be well inside the tolerance.</caption>\n\
         <thead><tr><th>Target</th><th class=\"num\">Target &plusmn; tolerance</th>\
         <th class=\"num\">Prior predictive</th><th class=\"num\">Met alone</th>\
         <th class=\"num\">Calibrated</th><th class=\"num\">MC s.e.</th></tr></thead>\n\
         <tbody>\n",
        thousands(c.trials_per_sample)
    );
    for t in &c.targets {
        let g = &t.target;
        let source = g.source.as_ref().map_or(String::new(), |s| {
            format!("<br><span class=\"sub\">source: {}</span>", escape(s))
        });
        let calibrated = match (&t.posterior, t.attainable) {
            (Some(q), _) => quantile_share(q),
            (None, true) => page::stacked_cell("-", &format!("closest {}", pct(t.closest))),
            (None, false) => page::stacked_cell(
                "<strong>cannot be met</strong>",
                &format!("closest {}", pct(t.closest)),
            ),
        };
        let _ = writeln!(
            h,
            "<tr><td>{}<br><span class=\"sub\">{}</span>{}</td>{}{}<td class=\"num\">{}</td>\
             {}<td class=\"num\">{}</td></tr>",
            escape(&g.name),
            escape(&t.description),
            source,
            page::stacked_cell(
                &format!("{} &plusmn; {}", pct(g.value), pct(g.tolerance)),
                &format!(
                    "{}&ndash;{}",
                    pct((g.value - g.tolerance).max(0.0)),
                    pct((g.value + g.tolerance).min(1.0))
                ),
            ),
            quantile_share(&t.prior),
            pct(t.prior_within),
            calibrated,
            pct(standard_error(t, c.trials_per_sample))
        );
    }
    h.push_str("</tbody>\n</table></div>\n</section>\n");
}

fn parameters(h: &mut String, c: &Calibration) {
    let _ = write!(
        h,
        "<section id=\"parameters\">\n<h2>Parameters</h2>\n<div class=\"scroll\"><table \
         class=\"compact parameters\">\n<caption>Each uncertain parameter over all samples (prior) and \
         over the accepted ones (calibrated): the median over the central 95% range. Range kept: the width of the calibrated 95% range as a share \
         of the prior's (small: the targets pin the parameter down; near 100%: they say \
         little about it). Median moved: the shift of the median as a share of the prior's \
         95% range. {}.</caption>\n<thead><tr><th>Parameter</th><th class=\"num\">Prior</th>\
         <th class=\"num\">Calibrated</th><th class=\"num\">Range kept</th>\
         <th class=\"num\">Median moved</th></tr></thead>\n<tbody>\n",
        if c.accepted > 0 {
            "Most narrowed first"
        } else {
            "In the scenario's order"
        }
    );
    for k in c.by_narrowing() {
        let p = &c.parameters[k];
        let prior = quantile_value(p, &p.prior);
        let after = match &p.posterior {
            Some(q) => {
                let moved = median_moved(p).map_or("-".into(), signed_pct);
                format!(
                    "{}<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                    quantile_value(p, q),
                    pct(p.width_kept()),
                    moved
                )
            }
            None => "<td class=\"num\">-</td>".repeat(3),
        };
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td>{}{}</tr>",
            escape(&p.parameter),
            prior,
            after
        );
    }
    h.push_str("</tbody>\n</table></div>\n");
    if c.accepted > 0 && c.accepted < FEW_ACCEPTED {
        let _ = writeln!(
            h,
            "<p class=\"sub\">Only {} samples were accepted: each end of a calibrated 95% \
             range rests on about {} of them. More <code>--samples</code> steady the \
             calibrated ranges.</p>",
            c.accepted,
            (c.accepted as f64 * 0.025).ceil().max(1.0)
        );
    }
    h.push_str("</section>\n");
}

fn calibrated_scenario(h: &mut String, c: &Calibration, files: &CalibrationFiles) {
    h.push_str("<section id=\"calibrated-scenario\">\n<h2>The calibrated scenario</h2>\n");
    let Some(file) = &files.calibrated else {
        h.push_str(
            "<p>No calibrated scenario was written: no sample met every target.</p>\n\
             </section>\n",
        );
        return;
    };
    let root = match scenario_root(&files.original) {
        Some(r) => format!("--scenario-root {} ", escape(&r)),
        None => String::new(),
    };
    let (file, original) = (escape(file), escape(&files.original));
    let _ = write!(
        h,
        "<p><code>{file}</code>, beside this report, <code>extends</code> the original \
         scenario (<code>{original}</code>, relative to this folder) and replaces the \
         distribution of each calibrated parameter by a triangular one over the central 95% \
         of the {accepted} accepted samples, peaking at their median. Everything else is the \
         original's.</p>\n<div class=\"howto\">\n<p>Run it, from this folder:</p>\n\
         <p><code>brink run {root}{file}</code></p>\n<p>Set it beside the original, paired trial by \
         trial:</p>\n<p><code>brink compare {root}{original} {file}</code></p>\n<p>Its \
         <code>extends</code> line names the original by a path relative to this folder: \
         edit that line when moving either file. <code>--scenario-root</code> lets \
         <code>extends</code> reach a parent outside the scenario's own folder.</p>\n</div>\n</section>\n",
        accepted = thousands(c.accepted as u64)
    );
}

fn limits(h: &mut String, c: &Calibration) {
    let widest = c
        .targets
        .iter()
        .map(|t| (standard_error(t, c.trials_per_sample), t))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let noise = widest.map_or(String::new(), |(se, t)| {
        format!(
            " Here, with {} trials per sample, the largest is &plusmn;{} (one standard error) \
             at the target &ldquo;{}&rdquo;, against its tolerance of {}.",
            thousands(c.trials_per_sample),
            pct(se),
            escape(&t.target.name),
            pct(t.target.tolerance)
        )
    });
    let _ = write!(
        h,
        "<section id=\"limits\">\n<h2>Limits</h2>\n<ul>\n\
         <li>The tolerance matters as much as the targets: the calibrated distribution is the \
         prior restricted to the tolerance region, not a likelihood-based posterior.</li>\n\
         <li>Each statistic is a Monte Carlo estimate with standard error about \
         &radic;(p(1&minus;p)/M) for M trials per sample.{noise} Noise well inside the \
         tolerance keeps the acceptance honest; more <code>--trials-per-sample</code> lower \
         it.</li>\n\
         <li>Rejection is exact for the tolerance but wasteful when the targets lie in the \
         prior's tail: widen the prior, or raise <code>--samples</code>.</li>\n\
         <li>The calibrated scenario keeps the marginals only: correlations between accepted \
         parameters (visible in <code>accepted.csv</code> and in the plot of accepted pairs) \
         are lost, and each marginal is approximated by a triangular distribution.</li>\n\
         <li>Values set by scripted events are not narrowed (<code>extends</code> cannot \
         address them); the calibrated scenario names any it left at their prior.</li>\n\
         </ul>\n</section>\n"
    );
}

/// Renders the report as a complete HTML document.
pub fn render(input: &CalibrationReportInput<'_>) -> String {
    let c = input.calibration;
    let files = input.files;
    let mut h = String::new();
    let heading = format!("{}: calibration against expert targets", c.scenario.title);
    page::open(&mut h, &c.brink_version, &heading);
    header(&mut h, c, files, &heading);
    method(&mut h, c, files);
    result(&mut h, c);
    targets(&mut h, c);
    parameters(&mut h, c);
    calibrated_scenario(&mut h, c, files);
    limits(&mut h, c);
    let m = input.manifest;
    let mut settings = page::manifest_settings(
        m,
        format!(
            "{} in all ({} samples &times; {})",
            thousands(m.trials),
            thousands(c.samples as u64),
            thousands(c.trials_per_sample)
        ),
    );
    settings.push((
        "Targets",
        format!("<code>{}</code>", escape(&files.targets)),
    ));
    settings.push((
        "Targets sha256",
        format!("<code>{}</code>", escape(&files.targets_sha256)),
    ));
    page::end_analysis(
        &mut h,
        input.plots,
        "Reproducing this calibration",
        &settings,
        m,
        &format!(
            " and targets <code>{}</code> (sha256 <code>{}</code>)",
            escape(&files.targets),
            escape(&files.targets_sha256)
        ),
        "same scenario, targets, seed and version give the same numbers and plots",
    );
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_shares() {
        assert_eq!(signed_pct(0.123), "+12.3%");
        assert_eq!(signed_pct(-0.04), "&minus;4.0%");
        assert_eq!(signed_pct(0.0), "0.0%");
    }
}
