//! `report.html` of `brink sensitivity`: the design and estimators, a short
//! guide to reading Sobol indices, the strongest driver of each output, the
//! table of first- and total-order indices with bootstrap intervals for
//! every output, the warnings on indices that cannot be read as they stand,
//! the plots, and the manifest of the files written before it.

use askama::Template;

use crate::analysis::sensitivity::{IndexWarning, OutputIndices, ParamIndices, Sensitivity};
use crate::format::ValueFormat;
use crate::output::drawn::RunPlot;
use crate::output::manifest::Manifest;
use crate::plot::palette;
use crate::plot::sensitivity_plots::{SENSITIVITY_PLOTS, first_color, ranked, total_color};

use super::{filters, page};

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

/// A key figure: the strongest driver of one output.
struct DriverCard<'a> {
    output: String,
    mean: String,
    parameter: &'a str,
    total: f64,
    first: f64,
}

/// One output's table of indices.
struct OutputTable<'a> {
    name: String,
    slug: String,
    mean: String,
    variance: f64,
    ranked: Vec<&'a ParamIndices>,
    /// Sum of the finite first-order indices.
    first_sum: f64,
    /// A probability so close to 0 or 1 that the indices are mostly noise.
    rare: bool,
    /// The noise of the points' own trials, as a share of `variance`.
    noise_share: f64,
    /// The warnings on this output's indices.
    warnings: Vec<&'a IndexWarning>,
}

impl OutputTable<'_> {
    /// True when a warning names `parameter`.
    fn flagged(&self, parameter: &str) -> bool {
        self.warnings
            .iter()
            .any(|w| w.parameter.as_deref() == Some(parameter))
    }
}

/// The sensitivity report's template and what it shows.
#[derive(Template)]
#[template(path = "report/sensitivity.html")]
struct SensitivityPage<'a> {
    s: &'a Sensitivity,
    heading: String,
    k: usize,
    bootstrap: usize,
    total_trials: u64,
    cards: Vec<DriverCard<'a>>,
    outputs: Vec<OutputTable<'a>>,
    first_colour: String,
    total_colour: String,
    plots: &'a [RunPlot],
    m: &'a Manifest,
}

/// Renders the report as a complete HTML document.
pub fn render(input: &SensitivityReportInput<'_>) -> String {
    let s = input.sensitivity;
    let cards = SENSITIVITY_PLOTS
        .iter()
        .filter_map(|(name, _)| {
            let o = s.outputs.iter().find(|o| o.output == *name)?;
            let top = ranked(o).into_iter().next()?;
            Some(DriverCard {
                output: o.output.label(),
                mean: mean_text(o),
                parameter: &top.parameter,
                total: top.total.value,
                first: top.first.value,
            })
        })
        .collect();
    let outputs = s
        .outputs
        .iter()
        .map(|o| OutputTable {
            name: o.output.label(),
            slug: slug(&o.output.label()),
            mean: mean_text(o),
            variance: o.variance,
            ranked: ranked(o),
            first_sum: o
                .indices
                .iter()
                .map(|p| p.first.value)
                .filter(|v| v.is_finite())
                .sum(),
            rare: o.output.is_probability() && (o.mean < 0.02 || o.mean > 0.98),
            noise_share: if o.variance > 0.0 {
                (o.noise_variance / o.variance).min(1.0)
            } else {
                0.0
            },
            warnings: s.warnings.iter().filter(|w| w.output == o.output).collect(),
        })
        .collect();
    page::render_page(&SensitivityPage {
        s,
        heading: format!("{}: what drives the outcomes", s.scenario.title),
        k: s.parameters.len(),
        bootstrap: input.bootstrap,
        total_trials: s.evaluations * s.trials_per_sample,
        cards,
        outputs,
        first_colour: palette::hex(first_color()),
        total_colour: palette::hex(total_color()),
        plots: input.plots,
        m: input.manifest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_slugs() {
        assert_eq!(slug("P(regional war)"), "p-regional-war");
        assert_eq!(slug("mean escalation score"), "mean-escalation-score");
    }
}
