//! From a checked scenario to the files of a run: compile, simulate with
//! records streamed to `trials.csv`, summarise, write, draw the plots and
//! the report, hash, commit.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crate::engine::{ParamSpace, RunPlan, simulate, simulate_until};
use crate::model::Model;
use crate::output::manifest::{Manifest, hash_files};
use crate::output::trials_csv::TrialsCsv;
use crate::output::{StagedDir, plots, timeseries_csv, write_atomic, write_json};
use crate::plot::run_plots::render_run_plots;
use crate::report::{self, ReportInput};
use crate::scenario::Scenario;
use crate::stats::Summary;
use crate::stats::precision::Precision;
use crate::stats::summary::ScenarioInfo;

/// How to run a scenario (options already resolved from the command line).
#[derive(Debug, Clone, PartialEq)]
pub struct RunOptions {
    /// Trials (default: the scenario's).
    pub trials: Option<u64>,
    /// Master seed (default: the scenario's).
    pub seed: Option<u64>,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Parent of the output directory; results go to `out_root/<scenario name>/`.
    pub out_root: PathBuf,
    /// The command line, for the manifest.
    pub command: Vec<String>,
    /// Stop early once outcome intervals are this narrow; `trials` is then the maximum.
    pub precision: Option<Precision>,
    /// Draw `plots/*.png|svg` and write `report.html`.
    pub plots: bool,
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// The summary written to `summary.json`.
    pub summary: Summary,
    /// The output directory (absent when cancelled).
    pub out_dir: Option<PathBuf>,
    /// True when stopped before the end; nothing was written.
    pub cancelled: bool,
}

/// The identity block of a scenario for summaries.
pub fn scenario_info(s: &Scenario) -> ScenarioInfo {
    ScenarioInfo {
        name: s.name.clone(),
        title: s.title.clone(),
        file: file_name(&s.origin.path),
        sha256: s.origin.sha256.clone(),
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Runs a scenario and writes `summary.json`, `trials.csv`, `timeseries.csv`,
/// with `opts.plots` the plots under `plots/` and `report.html`, and last
/// `manifest.json` (which lists them all) into `out_root/<name>/`,
/// atomically. When `cancel` is set before the result is committed, nothing
/// is written (a previous result stays as it was) and the result says
/// `cancelled`.
pub fn run_scenario(
    scenario: &Scenario,
    opts: &RunOptions,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<RunResult> {
    let model = Model::compile(scenario);
    let space = ParamSpace::of(&model);
    let seed = opts.seed.unwrap_or(scenario.seed);
    let trials = opts.trials.unwrap_or(scenario.trials);
    let staged = StagedDir::create(&opts.out_root.join(&scenario.name))?;
    let mut csv = TrialsCsv::create(
        &staged.path().join("trials.csv"),
        &model,
        &space.uncertain_paths(&model),
    )?;
    let plan = RunPlan {
        seed,
        first_trial: 0,
        trials,
        threads: opts.threads,
    };
    let sim = match &opts.precision {
        Some(p) => simulate_until(
            &model,
            &space,
            plan,
            &|agg| p.met(agg),
            &mut csv,
            progress,
            cancel,
        )?,
        None => simulate(&model, &space, plan, &mut csv, progress, cancel)?,
    };
    csv.finish()?;
    let mut summary = Summary::build(&model, scenario_info(scenario), seed, &sim.aggregate);
    summary.stopping = opts
        .precision
        .as_ref()
        .map(|p| p.report(&sim.aggregate, trials, sim.stopped));
    let trials = sim.completed;
    if sim.cancelled {
        return Ok(RunResult {
            summary,
            out_dir: None,
            cancelled: true,
        });
    }
    write_json(&staged.path().join("summary.json"), &summary)?;
    timeseries_csv::write(&staged.path().join("timeseries.csv"), &summary)?;
    let manifest = manifest_for("run", scenario, &opts.command, seed, trials);
    if opts.plots {
        let drawn = render_run_plots(&summary)?;
        plots::write(staged.path(), &drawn)?;
        // The report shows the manifest of everything written so far.
        let so_far = Manifest {
            files: hash_files(staged.path())?,
            ..manifest.clone()
        };
        let html = report::render(&ReportInput::new(scenario, &summary, &drawn, &so_far));
        write_atomic(&staged.path().join("report.html"), html.as_bytes())?;
    }
    // A signal while the files were written: drop them, keep the previous result.
    if cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed)) {
        return Ok(RunResult {
            summary,
            out_dir: None,
            cancelled: true,
        });
    }
    let out = commit_with_manifest(staged, manifest)?;
    Ok(RunResult {
        summary,
        out_dir: Some(out),
        cancelled: false,
    })
}

/// A manifest for a directory produced by `kind` from `scenario`; the file
/// list is filled in by [`commit_with_manifest`].
pub fn manifest_for(
    kind: &str,
    scenario: &Scenario,
    command: &[String],
    seed: u64,
    trials: u64,
) -> Manifest {
    Manifest {
        program: "brink".into(),
        kind: kind.into(),
        brink_version: env!("CARGO_PKG_VERSION").into(),
        command: command.to_vec(),
        scenario: scenario.name.clone(),
        scenario_file: file_name(&scenario.origin.path),
        scenario_sha256: scenario.origin.sha256.clone(),
        seed,
        trials,
        files: Vec::new(),
    }
}

/// Hashes every file of a staged directory into `manifest`, writes it as
/// `manifest.json`, and moves the directory into place.
pub fn commit_with_manifest(staged: StagedDir, mut manifest: Manifest) -> io::Result<PathBuf> {
    manifest.files = hash_files(staged.path())?;
    write_json(&staged.path().join("manifest.json"), &manifest)?;
    staged.commit()
}
