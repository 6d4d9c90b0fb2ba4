//! `report.html` of `brink calibrate`: the targets and how the rejection
//! ABC ran, whether it calibrated (or why not, with the closest fit), each
//! target against the prior predictive and the calibrated fit, each
//! parameter's prior against its calibrated distribution and how much the
//! targets narrowed it, the plots, the calibrated scenario and how to run
//! it, the limits of the method, and the manifest of the files written
//! before it.

use askama::Template;

use crate::analysis::calibrate::{Calibration, ParamFit, Quantiles, TargetFit};
use crate::format::{bounds_text, decimals_for_span};
use crate::output::calibrated_scenario::{PARENT_FOLDER, POSTERIOR_FILE};
use crate::output::drawn::RunPlot;
use crate::output::manifest::Manifest;

use super::{filters, page};

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
    /// The path of the copy of the original scenario relative to the
    /// result folder, as the calibrated scenario's `extends` gives it
    /// (empty when none was written).
    pub original: String,
    /// File name of the table of every sample (`samples.csv`).
    pub samples: String,
    /// File name of the table of the accepted samples (`accepted.csv`).
    pub accepted: String,
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

/// The sign of a share written with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sign {
    Plus,
    Minus,
    Zero,
}

/// A signed share: its sign (written `+` or `&minus;`) and magnitude.
#[derive(Debug, Clone, Copy, PartialEq)]
struct SignedShare {
    sign: Sign,
    magnitude: f64,
}

impl SignedShare {
    fn of(x: f64) -> SignedShare {
        let sign = if x > 0.0 {
            Sign::Plus
        } else if x < 0.0 {
            Sign::Minus
        } else {
            Sign::Zero
        };
        SignedShare {
            sign,
            magnitude: if sign == Sign::Zero { 0.0 } else { x.abs() },
        }
    }
}

/// A parameter's median over the central 95% range of `q`, with the
/// decimals of its prior 95% range: (`1.53`, `1.40 to 1.90`).
fn quantile_value(p: &ParamFit, q: &Quantiles) -> (String, String) {
    let span = p.prior.q975 - p.prior.q025;
    let d = decimals_for_span(span);
    (
        format!("{:.d$}", q.median),
        bounds_text(q.q025, q.q975, span),
    )
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

/// One target's row.
struct TargetRow<'a> {
    fit: &'a TargetFit,
    /// The ends of the tolerance, within 0 and 1.
    low: f64,
    high: f64,
    standard_error: f64,
    /// The statistic over the accepted samples, or when not calibrated over
    /// the closest fit.
    shown: Option<Quantiles>,
}

/// The row of target `t`, whose statistics come from `trials` trials.
fn target_row(t: &TargetFit, trials: u64, calibrated: bool) -> TargetRow<'_> {
    TargetRow {
        // A target no sample meets says so, with the closest value reached.
        shown: if !t.attainable {
            None
        } else if calibrated {
            t.posterior
        } else {
            t.closest_fit
        },
        fit: t,
        low: (t.target.value - t.target.tolerance).max(0.0),
        high: (t.target.value + t.target.tolerance).min(1.0),
        standard_error: standard_error(t, trials),
    }
}

/// One parameter's row: prior and calibrated medians over their ranges,
/// and how far the median moved.
struct ParameterRow<'a> {
    fit: &'a ParamFit,
    prior: (String, String),
    posterior: Option<(String, String)>,
    /// The share of the prior 95% range kept (when calibrated).
    kept: Option<f64>,
    moved: Option<SignedShare>,
}

/// The parameter whose median moved the most.
struct MostMoved<'a> {
    shift: SignedShare,
    parameter: &'a str,
}

/// The calibration report's template and what it shows.
#[derive(Template)]
#[template(path = "report/calibration.html")]
struct CalibrationPage<'a> {
    c: &'a Calibration,
    files: &'a CalibrationFiles,
    heading: String,
    total_trials: u64,
    /// "both targets at once", ...
    met_phrase: String,
    most_narrowed: Option<&'a ParamFit>,
    most_moved: Option<MostMoved<'a>>,
    /// Targets that no sample met even alone.
    unmet: usize,
    targets: Vec<TargetRow<'a>>,
    parameters: Vec<ParameterRow<'a>>,
    few_accepted: usize,
    /// Accepted samples behind each end of a calibrated 95% range.
    ends: f64,
    /// Heading of the fitted column: "Calibrated", or "Closest fit".
    fit_label: &'static str,
    /// The file of accepted samples the calibrated scenario draws from.
    posterior_file: &'static str,
    /// The folder of the copy of the original.
    parent_folder: &'static str,
    /// The target whose statistic is noisiest.
    noisiest: Option<TargetRow<'a>>,
    plots: &'a [RunPlot],
    m: &'a Manifest,
}

/// Renders the report as a complete HTML document.
pub fn render(input: &CalibrationReportInput<'_>) -> String {
    let c = input.calibration;
    let target_row = |t| target_row(t, c.trials_per_sample, c.calibrated);
    let targets: Vec<TargetRow<'_>> = c.targets.iter().map(target_row).collect();
    let noisiest = c
        .targets
        .iter()
        .map(target_row)
        .max_by(|a, b| a.standard_error.total_cmp(&b.standard_error));
    let most_narrowed = if c.calibrated {
        c.by_narrowing().first().map(|&k| &c.parameters[k])
    } else {
        None
    };
    let most_moved = c
        .parameters
        .iter()
        .filter(|_| c.calibrated)
        .filter_map(|p| median_moved(p).map(|m| (m, p)))
        .max_by(|a, b| a.0.abs().total_cmp(&b.0.abs()))
        .map(|(m, p)| MostMoved {
            shift: SignedShare::of(m),
            parameter: &p.parameter,
        });
    let parameters = c
        .by_narrowing()
        .into_iter()
        .map(|k| {
            let p = &c.parameters[k];
            ParameterRow {
                fit: p,
                prior: quantile_value(p, &p.prior),
                posterior: if c.calibrated {
                    p.posterior
                } else {
                    p.closest_fit
                }
                .as_ref()
                .map(|q| quantile_value(p, q)),
                kept: c.calibrated.then(|| p.width_kept()),
                moved: median_moved(p)
                    .filter(|_| c.calibrated)
                    .map(SignedShare::of),
            }
        })
        .collect();
    page::render_page(&CalibrationPage {
        c,
        files: input.files,
        heading: format!("{}: calibration against expert targets", c.scenario.title),
        total_trials: c.samples as u64 * c.trials_per_sample,
        met_phrase: match c.targets.len() {
            1 => "the target".to_string(),
            2 => "both targets at once".to_string(),
            n => format!("all {n} targets at once"),
        },
        most_narrowed,
        most_moved,
        unmet: c.targets.iter().filter(|t| !t.attainable).count(),
        targets,
        parameters,
        few_accepted: FEW_ACCEPTED,
        ends: (c.accepted as f64 * 0.025).ceil().max(1.0),
        fit_label: if c.calibrated {
            "Calibrated"
        } else {
            "Closest fit"
        },
        posterior_file: POSTERIOR_FILE,
        parent_folder: PARENT_FOLDER,
        noisiest,
        plots: input.plots,
        m: input.manifest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_shares() {
        let plus = SignedShare::of(0.123);
        assert_eq!((plus.sign, plus.magnitude), (Sign::Plus, 0.123));
        let minus = SignedShare::of(-0.04);
        assert_eq!((minus.sign, minus.magnitude), (Sign::Minus, 0.04));
        let zero = SignedShare::of(-0.0);
        assert_eq!((zero.sign, zero.magnitude), (Sign::Zero, 0.0));
    }
}
