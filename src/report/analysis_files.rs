//! Plots and `report.html` of the analyses (`sweep`, `sensitivity`,
//! `discover`, `calibrate`): each function draws the plots into `plots/`,
//! then writes the report, which shows the manifest of every file written
//! before it.

use std::io;
use std::path::Path;

use crate::analysis::calibrate::Calibration;
use crate::analysis::discovery::Discovery;
use crate::analysis::experiment::Experiment;
use crate::analysis::sensitivity::Sensitivity;
use crate::analysis::sweep::Sweep;
use crate::export::Format;
use crate::output::drawn::RunPlot;
use crate::plot::calibration_plots::render_calibration_plots;
use crate::plot::discovery_plots::render_discovery_plots;
use crate::plot::experiment_plots::render_experiment_plots;
use crate::plot::sensitivity_plots::render_sensitivity_plots;
use crate::plot::sweep_plots::render_sweep_plots;
use crate::report::calibration::{CalibrationFiles, CalibrationReportInput};
use crate::report::discovery::DiscoveryReportInput;
use crate::report::experiment::{self, ExperimentReportInput};
use crate::report::sensitivity::SensitivityReportInput;
use crate::report::sweep::SweepReportInput;
use crate::report::{calibration, discovery, sensitivity, sweep};

use crate::output::manifest::{Manifest, hash_files};
use crate::output::{plots, write_atomic};

/// Writes `drawn` under `dir/plots/`, then `report.html` as `render` writes
/// it from `manifest` with the files written so far.
fn write_with_report(
    dir: &Path,
    drawn: &[RunPlot],
    manifest: &Manifest,
    render: impl FnOnce(&Manifest) -> String,
) -> io::Result<()> {
    plots::write(dir, drawn)?;
    let so_far = Manifest {
        files: hash_files(dir)?,
        ..manifest.clone()
    };
    write_atomic(&dir.join("report.html"), render(&so_far).as_bytes())
}

/// The plots and report of a sweep, into `dir`.
pub fn write_sweep(dir: &Path, s: &Sweep, manifest: &Manifest) -> io::Result<()> {
    let drawn = render_sweep_plots(s)?;
    write_with_report(dir, &drawn, manifest, |m| {
        sweep::render(&SweepReportInput {
            sweep: s,
            plots: &drawn,
            manifest: m,
        })
    })
}

/// The plots and report of an experiment, into `dir`.
pub fn write_experiment(dir: &Path, e: &Experiment, manifest: &Manifest) -> io::Result<()> {
    let drawn = render_experiment_plots(e)?;
    write_with_report(dir, &drawn, manifest, |m| {
        experiment::render(&ExperimentReportInput {
            experiment: e,
            plots: &drawn,
            manifest: m,
        })
    })
}

/// The plots and report of a sensitivity analysis (whose intervals come
/// from `bootstrap` resamples), into `dir`.
pub fn write_sensitivity(
    dir: &Path,
    s: &Sensitivity,
    bootstrap: usize,
    manifest: &Manifest,
) -> io::Result<()> {
    let drawn = render_sensitivity_plots(s)?;
    write_with_report(dir, &drawn, manifest, |m| {
        sensitivity::render(&SensitivityReportInput {
            sensitivity: s,
            bootstrap,
            plots: &drawn,
            manifest: m,
        })
    })
}

/// The plots and report of a discovery run, into `dir`; the report names
/// the discovery table as written in `format`.
pub fn write_discovery(
    dir: &Path,
    d: &Discovery,
    manifest: &Manifest,
    format: Format,
) -> io::Result<()> {
    let table = format.file_name("discovery");
    let drawn = render_discovery_plots(d)?;
    write_with_report(dir, &drawn, manifest, |m| {
        discovery::render(&DiscoveryReportInput {
            discovery: d,
            plots: &drawn,
            manifest: m,
            table: &table,
        })
    })
}

/// The plots and report of a calibration, with the targets file and the
/// calibrated scenario named in `files`, into `dir`.
pub fn write_calibration(
    dir: &Path,
    c: &Calibration,
    files: &CalibrationFiles,
    manifest: &Manifest,
) -> io::Result<()> {
    let drawn = render_calibration_plots(c)?;
    write_with_report(dir, &drawn, manifest, |m| {
        calibration::render(&CalibrationReportInput {
            calibration: c,
            files,
            plots: &drawn,
            manifest: m,
        })
    })
}
