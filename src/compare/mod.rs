//! `brink compare`: scenarios side by side, run in lockstep with common
//! random numbers, with paired differences from the first scenario.
//!
//! Flow: checked scenarios -> compiled models -> [`simulate_paired`] (joint
//! outcome counts) -> [`Comparison`] -> `comparison.json`,
//! `comparison.csv`, plots and `report.html`, and `manifest.json` in
//! `out_root/compare-<names>/`, written atomically.

use std::io;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use crate::engine::{PairedArm, ParamSpace, RunPlan, simulate_paired, simulate_paired_until};
use crate::model::Model;
use crate::output::comparison_manifest::ComparisonManifest;
use crate::output::{ResultLock, StagedDir, comparison_csv, plots, write_atomic, write_json};
use crate::pipeline::scenario_info;
use crate::plot::compare_plots::render_compare_plots;
use crate::report::{self, compare::CompareReportInput};
use crate::scenario::Scenario;
use crate::scenario::load::hex_sha256;
use crate::stats::precision::Precision;

pub use crate::stats::comparison::{
    Comparison, Methods, OutcomeDifference, OutcomeName, OutcomeShare, PairedOutcomes,
    ScenarioOutcomes,
};

/// Output folder names longer than this are shortened with a hash.
const MAX_DIR_NAME: usize = 120;

/// How to run a comparison (options already resolved from the command line).
#[derive(Debug, Clone, PartialEq)]
pub struct CompareOptions {
    /// Paired trials (default: the first scenario's `run.trials`).
    pub trials: Option<u64>,
    /// Master seed shared by all scenarios (default: the first scenario's `run.seed`).
    pub seed: Option<u64>,
    /// Worker threads (0 = all cores); results do not depend on it.
    pub threads: usize,
    /// Parent of the output directory; results go to `out_root/compare-<names>/`.
    pub out_root: PathBuf,
    /// The command line, for the manifest.
    pub command: Vec<String>,
    /// Stop once every paired difference against the first scenario is
    /// known this precisely; `trials` is then the maximum.
    pub precision: Option<Precision>,
    /// Draw `plots/*.png|svg` and write `report.html`.
    pub plots: bool,
    /// The format of the `comparison` table.
    pub format: crate::export::Format,
}

/// What a comparison produced.
#[derive(Debug, Clone)]
pub struct CompareResult {
    /// The comparison written to `comparison.json`.
    pub comparison: Comparison,
    /// The output directory (absent when cancelled).
    pub out_dir: Option<PathBuf>,
    /// True when stopped before the end; nothing was written.
    pub cancelled: bool,
}

/// The name of the output folder: `compare-<a>-vs-<b>...`, shortened to
/// `compare-<a>-vs-<n>-more-<hash>` when too long for a file name.
pub fn dir_name(scenarios: &[Scenario]) -> String {
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    let full = format!("compare-{}", names.join("-vs-"));
    if full.len() <= MAX_DIR_NAME {
        return full;
    }
    let hash = hex_sha256(names.join("\n").as_bytes());
    format!(
        "compare-{}-vs-{}-more-{}",
        names[0],
        names.len() - 1,
        &hash[..12]
    )
}

/// Runs the scenarios in lockstep and builds their [`Comparison`], writing
/// nothing. Returns it with `true` when cancelled (then it covers only the
/// trials completed).
///
/// # Panics
///
/// If `scenarios` is empty.
pub fn run_comparison(
    scenarios: &[Scenario],
    seed: u64,
    trials: u64,
    threads: usize,
    precision: Option<&Precision>,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<(Comparison, bool)> {
    let models: Vec<Model> = scenarios.iter().map(Model::compile).collect();
    let spaces: Vec<ParamSpace> = models.iter().map(ParamSpace::of).collect();
    let arms: Vec<PairedArm> = models
        .iter()
        .zip(&spaces)
        .map(|(model, space)| PairedArm { model, space })
        .collect();
    let plan = RunPlan {
        seed,
        first_trial: 0,
        trials,
        threads,
    };
    let sim = match precision {
        Some(p) => {
            simulate_paired_until(&arms, plan, &|joint| p.met_paired(joint), progress, cancel)?
        }
        None => simulate_paired(&arms, plan, progress, cancel)?,
    };
    let refs: Vec<&Model> = models.iter().collect();
    let infos = scenarios.iter().map(scenario_info).collect();
    let mut comparison = Comparison::build(&refs, infos, seed, &sim);
    comparison.stopping = precision.map(|p| p.report_paired(&sim.joint, trials, sim.stopped));
    Ok((comparison, sim.cancelled))
}

/// Runs a comparison and writes `comparison.json`, `comparison.csv`, with
/// `opts.plots` the plots under `plots/` and `report.html`, and last
/// `manifest.json` into `out_root/compare-<names>/`, atomically.
///
/// # Panics
///
/// If `scenarios` is empty.
pub fn compare(
    scenarios: &[Scenario],
    opts: &CompareOptions,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<CompareResult> {
    let first = &scenarios[0];
    let seed = opts.seed.unwrap_or(first.seed);
    let trials = opts.trials.unwrap_or(first.trials);
    // Held to the end: no other command writes this result.
    let lock = ResultLock::acquire(&opts.out_root.join(dir_name(scenarios)))?;
    let (comparison, cancelled) = run_comparison(
        scenarios,
        seed,
        trials,
        opts.threads,
        opts.precision.as_ref(),
        progress,
        cancel,
    )?;
    let trials = comparison.trials;
    if cancelled {
        return Ok(CompareResult {
            comparison,
            out_dir: None,
            cancelled: true,
        });
    }
    let staged = StagedDir::create(&lock)?;
    write_json(&staged.path().join("comparison.json"), &comparison)?;
    comparison_csv::write(staged.path(), &comparison, opts.format)?;
    if opts.plots {
        let drawn = render_compare_plots(&comparison)?;
        plots::write(staged.path(), &drawn)?;
        // The report shows the manifest of everything written so far.
        let so_far =
            ComparisonManifest::new(scenarios, &opts.command, seed, trials, staged.path())?;
        let html = report::compare::render(&CompareReportInput {
            comparison: &comparison,
            scenarios,
            plots: &drawn,
            manifest: &so_far,
        });
        write_atomic(&staged.path().join("report.html"), html.as_bytes())?;
    }
    let manifest = ComparisonManifest::new(scenarios, &opts.command, seed, trials, staged.path())?;
    write_json(&staged.path().join("manifest.json"), &manifest)?;
    let out = staged.commit()?;
    Ok(CompareResult {
        comparison,
        out_dir: Some(out),
        cancelled: false,
    })
}
