//! From a checked scenario to the files of a run: compile, simulate with
//! records streamed to `trials.csv`, summarise, write, draw the plots and
//! the report, hash, commit. A run may be one shard of a larger one, and may
//! keep checkpoints to resume from ([`crate::shard`]).

use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use crate::analysis::sensitivity::Sensitivity;
use crate::analysis::sweep::Sweep;
use crate::engine::ParamSpace;
use crate::export::Format;
use crate::export::trials::{TrialsMark, TrialsTable};
use crate::model::Model;
use crate::output::manifest::{Manifest, hash_files};
use crate::output::trials_csv;
use crate::output::{
    ResultLock, StagedDir, analysis_csv, analysis_report, plots, timeseries_csv, write_atomic,
    write_json,
};
use crate::plot::run_plots::render_run_plots;
use crate::report::{self, ReportInput};
use crate::scenario::Scenario;
use crate::shard::checkpoint::{CHECKPOINT_FILE, Continuation, continue_trials};
use crate::shard::manifest::commit_shard;
use crate::shard::resume;
use crate::shard::rows::Expected;
use crate::shard::{
    CheckpointStore, CheckpointTimer, Durability, Partial, Shard, ShardManifest, Work, WorkId,
    bad_input,
};
use crate::stats::precision::Precision;
use crate::stats::summary::ScenarioInfo;
use crate::stats::{RunAggregate, Summary};
use crate::world::N_OUTCOMES;

/// The trials of a run, one row each.
pub const TRIALS_CSV: &str = "trials.csv";
/// The exact aggregates of a shard's trials.
pub const AGGREGATE_JSON: &str = "aggregate.json";

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
    /// Shard, checkpoints and resumption (default: none of them).
    pub durability: Durability,
    /// The format of the tables (`trials`, `timeseries`).
    pub format: Format,
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// The summary written to `summary.json` (for a shard, of its trials).
    pub summary: Summary,
    /// The output directory (absent when cancelled).
    pub out_dir: Option<PathBuf>,
    /// True when stopped before the end; nothing was written but the checkpoint.
    pub cancelled: bool,
    /// Trials taken from a checkpoint rather than run.
    pub resumed: u64,
    /// The trial indices run (all of them, or the shard's).
    pub trials: Range<u64>,
}

/// The identity block of a scenario for summaries.
pub fn scenario_info(s: &Scenario) -> ScenarioInfo {
    ScenarioInfo::of(s)
}

/// The file name of a path, for outputs that must not depend on the machine.
pub fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// The state a run checkpoints.
#[derive(Debug, Serialize, Deserialize)]
struct RunProgress {
    /// Trials done and their aggregate.
    done: Partial,
    /// How far the checkpoint's trials table holds them.
    #[serde(flatten)]
    trials: TrialsMark,
}

/// Runs a scenario and writes `summary.json`, `trials.csv`, `timeseries.csv`,
/// with `opts.plots` the plots under `plots/` and `report.html`, and last
/// `manifest.json` (which lists them all) into `out_root/<name>/`,
/// atomically. When `cancel` is set before the result is committed, nothing
/// is written (a previous result stays as it was) and the result says
/// `cancelled`.
///
/// With a shard in `opts.durability`, runs only the shard's trials and
/// writes a shard result instead (`aggregate.json`, `trials.csv`,
/// `shard.json`) into `out_root/<name>.shard-I-of-N/`, for
/// [`crate::shard::merge()`]. With checkpoints, `trials.csv` is written in the
/// checkpoint folder `out_root/.<folder>.checkpoint/` with the progress
/// beside it, and moved into the result at the end; a cancelled run saves a
/// last checkpoint. A checkpoint of other work is refused as
/// [`io::ErrorKind::InvalidInput`]. With `opts.precision`, the run stops at
/// the first chunk boundary where the outcome intervals are narrow enough,
/// counting checkpointed trials too; it cannot be sharded.
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
    let dur = opts.durability;
    let range = dur.shard.map_or(0..trials, |s| s.range(trials));
    if dur.shard.is_some() && opts.format != Format::Csv {
        return Err(bad_input(
            format!(
                "a shard writes its trials as CSV; --format {} cannot be sharded yet",
                opts.format.name()
            ),
            "run the shards with --format csv (the default), or run without --shard",
        ));
    }
    let name = dur.output_name(&scenario.name);
    let target = opts.out_root.join(&name);
    // Held to the end: no other command writes this result or its checkpoint.
    let lock = ResultLock::acquire(&target)?;
    let id = WorkId::new(scenario, seed, Work::Run { trials });
    let mut timer = CheckpointTimer::new(dur.checkpoint_every);
    let store = CheckpointStore::beside(&opts.out_root, &name);

    // Where the trials table grows: in the checkpoint folder when there is
    // one (it must outlive this process), else directly in the staged result.
    let trials_file = TrialsTable::file_name(opts.format);
    let (mut staged, csv_path) = if timer.enabled() {
        (None, store.dir().join(&trials_file))
    } else {
        let staged = StagedDir::create(&lock)?;
        let path = staged.path().join(&trials_file);
        (Some(staged), path)
    };
    let params = space.uncertain_paths(&model);
    let saved = if dur.resume && timer.enabled() {
        let limit = CheckpointStore::limit(&id, RunAggregate::new(&model).max_json_bytes());
        store.load::<RunProgress>(&id, &range, limit)?
    } else {
        None
    };
    let (from, mut csv) = match saved {
        Some(p) => {
            let work = resume::RunWork {
                model: &model,
                space: &space,
                seed,
            };
            if p.trials.format() != opts.format {
                return Err(bad_input(
                    format!(
                        "the checkpoint in {} holds {} trials, not {}",
                        store.dir().display(),
                        p.trials.format().name(),
                        opts.format.name()
                    ),
                    &format!(
                        "resume with --format {}, or run without --resume to start afresh",
                        p.trials.format().name()
                    ),
                ));
            }
            check_run_checkpoint(&store, work, &params, &range, &p, &csv_path)?;
            let csv = TrialsTable::resume(&csv_path, p.trials, &model, &params).map_err(|e| {
                bad_input(
                    format!("cannot resume from {}: {e}", store.dir().display()),
                    "run without --resume to start afresh",
                )
            })?;
            (p.done, csv)
        }
        None => {
            if timer.enabled() {
                store.start()?;
            }
            let csv = TrialsTable::create(&csv_path, opts.format, &model, &params)?;
            (Partial::empty(&model), csv)
        }
    };
    let resumed = from.completed;
    let continuation = Continuation {
        model: &model,
        space: &space,
        seed,
        threads: opts.threads,
        trials: &range,
    };
    let stop = |counts: &[u64; N_OUTCOMES], n: u64| {
        opts.precision
            .as_ref()
            .is_some_and(|p| p.met_counts(counts, n))
    };
    let run = continue_trials(
        continuation,
        &from,
        &mut csv,
        &mut timer,
        &stop,
        &mut |csv: &mut TrialsTable, done: &Partial| {
            let trials = csv.sync()?;
            store.save(
                &id,
                &range,
                &RunProgress {
                    done: done.clone(),
                    trials,
                },
            )
        },
        progress,
        cancel,
    )?;
    // A signal after the last trial keeps the previous result too; either
    // way the trials table stays as the last checkpoint left it.
    let late = cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed));
    if !run.cancelled && !late {
        csv.finish()?;
    }
    let total = run.done.aggregate;
    let mut summary = Summary::build(&model, scenario_info(scenario), seed, &total);
    summary.stopping = opts
        .precision
        .as_ref()
        .map(|p| p.report(&total, range.end - range.start, run.stopped));
    if run.cancelled {
        return Ok(RunResult {
            summary,
            out_dir: None,
            cancelled: true,
            resumed,
            trials: range,
        });
    }
    // A signal after the last trial: keep the previous result.
    if late {
        return Ok(RunResult {
            summary,
            out_dir: None,
            cancelled: true,
            resumed,
            trials: range,
        });
    }
    let staged = match staged.take() {
        Some(s) => s,
        None => {
            let s = StagedDir::create(&lock)?;
            fs::rename(&csv_path, s.path().join(&trials_file)).map_err(
                crate::output::io_error::at("move into the result", &csv_path),
            )?;
            s
        }
    };
    let out = match dur.shard {
        Some(shard) => {
            write_compact_json(&staged.path().join(AGGREGATE_JSON), &total)?;
            let manifest =
                shard_manifest(scenario, &opts.command, id, &scenario.name, shard, trials);
            commit_shard(staged, manifest)?
        }
        None => finish_run(
            staged,
            &RunFiles {
                scenario,
                summary: &summary,
                command: &opts.command,
                plots: opts.plots,
                format: opts.format,
            },
        )?,
    };
    if timer.enabled() {
        store.remove()?;
    }
    Ok(RunResult {
        summary,
        out_dir: Some(out),
        cancelled: false,
        resumed,
        trials: range,
    })
}

/// Checks a run's checkpoint before resuming from it (and before its
/// `trials.csv` is cut back): the saved aggregate is consistent with the
/// trials completed, and the file's first `trials_csv_bytes` bytes are the
/// header and exactly the rows of those trials, adding up to the aggregate,
/// the first and last of them as they are when run again.
fn check_run_checkpoint(
    store: &CheckpointStore,
    work: resume::RunWork<'_>,
    params: &[String],
    range: &Range<u64>,
    p: &RunProgress,
    csv_path: &Path,
) -> io::Result<()> {
    let (model, file) = (work.model, store.dir().join(CHECKPOINT_FILE));
    p.done
        .check(model, range.end - range.start)
        .map_err(|e| resume::refused(&file, &e))?;
    let trials_csv_bytes = match p.trials {
        TrialsMark::Csv { trials_csv_bytes } => trials_csv_bytes,
        // Its parts are checked as they are reopened.
        TrialsMark::Parquet {
            trials_parquet_rows,
            ..
        } if trials_parquet_rows == p.done.completed => return Ok(()),
        TrialsMark::Parquet {
            trials_parquet_rows,
            ..
        } => {
            return Err(resume::refused(
                &file,
                &format!(
                    "its trials table holds {trials_parquet_rows} rows for {} trials done",
                    p.done.completed
                ),
            ));
        }
    };
    let header = trials_csv::header(model, params)?;
    let want = Expected {
        header: &header,
        first_trial: range.start,
        rows: p.done.completed,
        horizon: model.horizon,
        per_trial: p.done.aggregate.escalation_per_trial(),
        bins: p.done.aggregate.escalation_bins,
    };
    resume::check_trials_prefix(csv_path, trials_csv_bytes, &want, &p.done, work)
}

/// The manifest of a shard of `id`, whose merged result goes to folder
/// `output`; the files are filled in by [`commit_shard`].
pub fn shard_manifest(
    scenario: &Scenario,
    command: &[String],
    id: WorkId,
    output: &str,
    shard: Shard,
    total: u64,
) -> ShardManifest {
    let range = shard.range(total);
    ShardManifest {
        program: "brink".into(),
        format: crate::shard::FORMAT,
        work: id,
        output: output.into(),
        scenario_path: std::path::absolute(&scenario.origin.path)
            .unwrap_or_else(|_| scenario.origin.path.clone()),
        shard,
        total,
        range: [range.start, range.end],
        command: command.to_vec(),
        files: Vec::new(),
    }
}

/// Writes a value as compact JSON (aggregates are large tables of integers).
pub fn write_compact_json<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}

/// What the files of a finished run are made from.
#[derive(Debug, Clone, Copy)]
pub struct RunFiles<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The summary of all its trials.
    pub summary: &'a Summary,
    /// The command line, for the manifest.
    pub command: &'a [String],
    /// Draw the plots and write the report.
    pub plots: bool,
    /// The format of the tables.
    pub format: Format,
}

/// Writes the files of a finished run beside its `trials.csv` in `staged`:
/// `summary.json`, `timeseries.csv`, with `plots` the plots and
/// `report.html`, and last `manifest.json`; then commits. `brink run` and
/// `brink merge` both end here, which is why their outputs are identical.
pub fn finish_run(staged: StagedDir, f: &RunFiles<'_>) -> io::Result<PathBuf> {
    let summary = f.summary;
    write_json(&staged.path().join("summary.json"), summary)?;
    timeseries_csv::write(staged.path(), summary, f.format)?;
    let manifest = manifest_for("run", f.scenario, f.command, summary.seed, summary.trials);
    if f.plots {
        let drawn = render_run_plots(summary)?;
        plots::write(staged.path(), &drawn)?;
        // The report shows the manifest of everything written so far.
        let so_far = Manifest {
            files: hash_files(staged.path())?,
            ..manifest.clone()
        };
        let html = report::render(&ReportInput::new(f.scenario, summary, &drawn, &so_far));
        write_atomic(&staged.path().join("report.html"), html.as_bytes())?;
    }
    commit_with_manifest(staged, manifest)
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

/// Writes the result folder of a sweep (`sweep-<scenario>-<parameter>/`,
/// the folder `lock` is for): `sweep.json`, `sweep.csv` and `manifest.json`,
/// atomically.
pub fn write_sweep_result(
    lock: &ResultLock,
    scenario: &Scenario,
    sweep: &Sweep,
    command: &[String],
    plots: bool,
    format: Format,
) -> io::Result<PathBuf> {
    let staged = StagedDir::create(lock)?;
    write_json(&staged.path().join("sweep.json"), sweep)?;
    analysis_csv::write_sweep(staged.path(), sweep, format)?;
    let trials = sweep.trials * sweep.points.len() as u64;
    let manifest = manifest_for("sweep", scenario, command, sweep.seed, trials);
    if plots {
        analysis_report::write_sweep(staged.path(), sweep, &manifest)?;
    }
    commit_with_manifest(staged, manifest)
}

/// Writes the result folder of a sensitivity analysis
/// (`sensitivity-<scenario>/`, the folder `lock` is for): `sensitivity.json`,
/// `sensitivity.csv`, with `plots` the plots and `report.html`, and
/// `manifest.json`, atomically.
pub fn write_sensitivity_result(
    lock: &ResultLock,
    scenario: &Scenario,
    s: &Sensitivity,
    command: &[String],
    plots: bool,
    format: Format,
) -> io::Result<PathBuf> {
    let staged = StagedDir::create(lock)?;
    write_json(&staged.path().join("sensitivity.json"), s)?;
    analysis_csv::write_sensitivity(staged.path(), s, format)?;
    let trials = s.evaluations * s.trials_per_sample;
    let manifest = manifest_for("sensitivity", scenario, command, s.seed, trials);
    if plots {
        analysis_report::write_sensitivity(staged.path(), s, s.bootstrap, &manifest)?;
    }
    commit_with_manifest(staged, manifest)
}
