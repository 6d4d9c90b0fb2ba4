//! `report.html` of `brink calibrate --suite`: how the fit ran, whether it
//! calibrated (with its effective sample size), each shared parameter's
//! prior and posterior, each resolved question's prior and posterior
//! predictive probability, the fitted file and the rule that the baseline
//! does not use it, the limits, and the manifest of the files written
//! before it.

use askama::Template;

use crate::analysis::suite::SuiteCalibration;
use crate::analysis::suite_fit::FitResult;
use crate::output::manifest::Manifest;

use super::{filters, page};

#[derive(Template)]
#[template(path = "report/suite.html")]
struct SuitePage<'a> {
    c: &'a SuiteCalibration,
    f: &'a FitResult,
    heading: String,
    m: &'a Manifest,
}

/// Renders the report of `c` as a complete HTML document, listing the
/// files of `manifest`.
pub fn render(c: &SuiteCalibration, manifest: &Manifest) -> String {
    page::render_page(&SuitePage {
        c,
        f: &c.fit,
        heading: format!("Calibration on history: {}", c.suite),
        m: manifest,
    })
}
