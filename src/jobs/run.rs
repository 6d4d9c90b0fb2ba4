//! `brink run` as a job: from a checked scenario to the files of a run.
//! Compile, simulate with records streamed to the trials sink, summarise,
//! write, draw the plots and the report, hash, commit. The units are
//! trials; the partial is the exact [`RunAggregate`] of the trials done
//! and the length of the trials file holding them. The lock, the shard's
//! range and the checkpoint folder are the driver's [`Session`]; the
//! trials file grows in the checkpoint folder when there is one, so that a
//! resumed run appends to it.

use std::fs;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::ParamSpace;
use crate::export::Format;
use crate::export::timeseries;
use crate::export::trials::{TrialsMark, TrialsTable};
use crate::export::trials_csv;
use crate::model::Model;
use crate::output::ResultFolder;
use crate::output::manifest::Manifest;
use crate::plot::run_plots::render_run_plots;
use crate::question::EventSet;
use crate::report::{self, ReportInput};
use crate::scenario::Scenario;
use crate::shard::checkpoint::{CHECKPOINT_FILE, Continuation, continue_trials};
use crate::shard::resume;
use crate::shard::rows::Expected;
use crate::shard::{CheckpointStore, Partial, Work, WorkId, bad_input};
use crate::stats::precision::Precision;
use crate::stats::summary::{Conditioning, ScenarioInfo};
use crate::stats::{RunAggregate, Summary};
use crate::world::PerOutcome;

use super::cancel::Cancel;
use super::driver::{Session, shard_manifest};
use super::spread::{SpreadOptions, key_figure_spread};

pub use crate::shard::Durability;
pub use crate::shard::data::{AGGREGATE_JSON, TRIALS_CSV};

/// How to run a scenario (options already resolved from the command line).
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// The nested design of the spread over assumptions, run after the
    /// trials when the scenario has uncertain numbers (never by a shard:
    /// `merge` runs it).
    pub spread: SpreadOptions,
    /// Keep only the trials that satisfy every one of these events
    /// (`--given`, in the event language).
    pub given: Vec<String>,
    /// Write no trials table (`--no-trials-table`): the summary, time
    /// series, plots and report are the same; a shard cannot skip it.
    pub no_trials_table: bool,
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
/// counting checkpointed trials too; it cannot be sharded. After the
/// trials, a scenario with uncertain numbers gets the spread of its key
/// figures over the assumptions (`opts.spread`, [`key_figure_spread`]);
/// a shard leaves that to the merge.
pub fn run_scenario(
    scenario: &Scenario,
    opts: &RunOptions,
    progress: &mut dyn FnMut(u64),
    cancel: Cancel<'_>,
) -> io::Result<RunResult> {
    let model = Model::compile(scenario);
    let space = ParamSpace::of(&model);
    let seed = opts.seed.unwrap_or(scenario.seed);
    let trials = opts.trials.unwrap_or(scenario.trials);
    let mut dur = opts.durability;
    let given = given_set(&opts.given, &model, dur, opts.precision.is_some())?;
    if given.is_some() {
        // A conditioned run is written whole: no checkpoints to resume from.
        dur.checkpoint_every = None;
    }
    if opts.no_trials_table && dur.shard.is_some() {
        return Err(bad_input(
            "--no-trials-table cannot be combined with --shard",
            "a shard's trials table is how `brink merge` checks it against its aggregate; run the shards with their tables",
        ));
    }
    let table = (!opts.no_trials_table).then_some(opts.format);
    let range = dur.shard.map_or(0..trials, |s| s.range(trials));
    let id = WorkId::new(scenario, seed, Work::Run { trials });
    let session = Session::open(
        &opts.out_root,
        &dur.output_name(&id.output()),
        id.clone(),
        range.clone(),
        dur,
    )?;
    let store = session.store();
    let mut timer = session.timer();

    // Where the trials file grows: in the checkpoint folder when there is
    // one (it must outlive this process), else directly in the staged result.
    let trials_file = TrialsTable::file_name(opts.format);
    let (mut staged, trials_path) = if session.checkpoints() {
        (None, store.dir().join(&trials_file))
    } else {
        let folder = ResultFolder::stage(session.lock())?;
        let path = folder.path().join(&trials_file);
        (Some(folder), path)
    };
    let params = space.uncertain_paths(&model);
    let state_bytes = RunAggregate::new(&model).max_json_bytes();
    let work = resume::RunWork {
        model: &model,
        space: &space,
        seed,
    };
    let saved = session.resume_checked(state_bytes, |p: &RunProgress| {
        check_format(store, p.trials, table)?;
        check_run_checkpoint(store, work, &params, &range, p, &trials_path)
    })?;
    let mark = saved.as_ref().map(|p| p.trials);
    let mut sink = match table {
        Some(format) => open_trials(&trials_path, format, &model, &params, mark, store)?,
        None => TrialsTable::Skipped,
    };
    let from = saved.map_or_else(|| Partial::empty(&model), |p| p.done);
    let resumed = from.completed;
    let continuation = Continuation {
        model: &model,
        space: &space,
        seed,
        threads: opts.threads,
        trials: &range,
        given: given.as_ref(),
    };
    let stop = |counts: &PerOutcome<u64>, n: u64| {
        opts.precision
            .as_ref()
            .is_some_and(|p| p.met_counts(counts, n))
    };
    // A checkpoint hands the trials table to the system and records its
    // length at once; the fsync of the table and the writing of the
    // checkpoint that names it go to a thread of their own, so neither the
    // writer nor the workers wait on the disk. The next checkpoint waits
    // for the last one.
    let saver = &session;
    let table_path = trials_path.as_path();
    let run = std::thread::scope(|scope| -> io::Result<_> {
        let mut pending: Option<std::thread::ScopedJoinHandle<'_, io::Result<()>>> = None;
        let finished = |p: Option<std::thread::ScopedJoinHandle<'_, io::Result<()>>>| {
            p.map_or(Ok(()), |h| {
                h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
            })
        };
        let run = continue_trials(
            continuation,
            &from,
            &mut sink,
            &mut timer,
            &stop,
            &mut |sink: &mut TrialsTable, done: &Partial| {
                finished(pending.take())?;
                let (trials, file) = sink.mark()?;
                let state = RunProgress {
                    done: done.clone(),
                    trials,
                };
                pending = Some(scope.spawn(move || {
                    if let Some(file) = file {
                        file.sync_data()
                            .map_err(crate::output::io_error::at("write", table_path))?;
                    }
                    saver.save(&state)
                }));
                Ok(())
            },
            progress,
            cancel.flag(),
        );
        finished(pending.take())?;
        run
    })?;
    // A signal after the last trial keeps the previous result too; either
    // way the trials table stays as the last checkpoint left it.
    let digest = if !run.cancelled && !cancel.is_set() {
        sink.finish()?
    } else {
        None
    };
    let total = run.done.aggregate;
    let mut summary = Summary::build(&model, ScenarioInfo::of(scenario), seed, &total);
    if given.is_some() && !run.cancelled && !cancel.is_set() {
        crate::question::check_kept(&opts.given, run.done.completed, total.trials)?;
        summary.conditioning = Some(Conditioning {
            given: opts.given.clone(),
            trials_run: run.done.completed,
            kept: total.trials,
        });
    }
    summary.stopping = opts
        .precision
        .as_ref()
        .map(|p| p.report(&total, range.end - range.start, run.stopped));
    // The spread over assumptions, after the trials; a shard leaves it to
    // the merge, which sees the whole run.
    if dur.shard.is_none()
        && !run.cancelled
        && !cancel.is_set()
        && let Some(spread) =
            key_figure_spread(&model, seed, opts.spread, opts.threads, cancel.flag())?
    {
        summary.attach_spread(spread);
    }
    // Cancelled, or a signal after the last trial: keep the previous result.
    if run.cancelled || cancel.is_set() {
        return Ok(RunResult {
            summary,
            out_dir: None,
            cancelled: true,
            resumed,
            trials: range,
        });
    }
    let folder = match staged.take() {
        Some(f) => f,
        None => {
            let f = ResultFolder::stage(session.lock())?;
            if table.is_some() {
                fs::rename(&trials_path, f.path().join(&trials_file)).map_err(
                    crate::output::io_error::at("move into the result", &trials_path),
                )?;
            }
            f
        }
    };
    // The trials table was hashed as it was written: the manifest does not
    // read it again.
    if let Some((bytes, sha256)) = digest {
        folder.hashed(&trials_file, bytes, sha256);
    }
    let out = match dur.shard {
        Some(shard) => {
            folder.compact_json(AGGREGATE_JSON, &total)?;
            let mut manifest = shard_manifest(scenario, &opts.command, id, shard, trials);
            manifest.table_format = opts.format;
            folder.commit(manifest)?
        }
        None => finish_run(
            folder,
            &RunFiles {
                scenario,
                summary: &summary,
                command: &opts.command,
                plots: opts.plots,
                format: opts.format,
            },
        )?,
    };
    session.close()?;
    Ok(RunResult {
        summary,
        out_dir: Some(out),
        cancelled: false,
        resumed,
        trials: range,
    })
}

/// The `--given` events of a run compiled into one set (`None` without
/// any), refused with shards, `--resume` and a precision target: those
/// count trials run, and a condition keeps only some of them. A
/// conditioned run keeps no checkpoints.
pub fn given_set(
    given: &[String],
    model: &Model,
    dur: Durability,
    precision: bool,
) -> io::Result<Option<EventSet>> {
    if given.is_empty() {
        return Ok(None);
    }
    let refuse = |what: &str| {
        bad_input(
            format!("--given cannot be combined with {what}"),
            "run the conditioned analysis in one piece, without --shard, --checkpoint-every, --resume or --precision",
        )
    };
    if dur.shard.is_some() {
        return Err(refuse("--shard"));
    }
    if dur.resume {
        return Err(refuse("--resume"));
    }
    if precision {
        return Err(refuse("--precision"));
    }
    let events = crate::question::given_events(given, model)?;
    Ok(Some(EventSet::new(events, model.horizon)))
}

/// The trials sink of a run: a fresh file in `format`, or with `mark`
/// (from a checkpoint) the file of the checkpoint folder `store` cut back
/// to it. The one place the run job opens the trials table.
fn open_trials(
    path: &Path,
    format: Format,
    model: &Model,
    params: &[String],
    mark: Option<TrialsMark>,
    store: &CheckpointStore,
) -> io::Result<TrialsTable> {
    match mark {
        None => TrialsTable::create(path, format, model, params),
        Some(mark) => TrialsTable::resume(path, mark, model, params).map_err(|e| {
            bad_input(
                format!("cannot resume from {}: {e}", store.dir().display()),
                "run without --resume to start afresh",
            )
        }),
    }
}

/// Refuses a checkpoint whose trials table is in another format than the
/// one asked for (`None`: no table).
fn check_format(
    store: &CheckpointStore,
    mark: TrialsMark,
    format: Option<Format>,
) -> io::Result<()> {
    if mark.format() == format {
        return Ok(());
    }
    let (message, hint) = match (mark.format(), format) {
        (Some(saved), Some(asked)) => (
            format!("{} trials, not {}", saved.name(), asked.name()),
            format!(
                "resume with --format {}, or run without --resume to start afresh",
                saved.name()
            ),
        ),
        (Some(saved), None) => (
            format!(
                "{} trials, and --no-trials-table asks for none",
                saved.name()
            ),
            format!(
                "resume with --format {} and without --no-trials-table, or run without --resume to start afresh",
                saved.name()
            ),
        ),
        (None, _) => (
            "no trials table (--no-trials-table)".to_owned(),
            "resume with --no-trials-table, or run without --resume to start afresh".to_owned(),
        ),
    };
    Err(bad_input(
        format!(
            "the checkpoint in {} holds {message}",
            store.dir().display()
        ),
        &hint,
    ))
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
        TrialsMark::Skipped { .. } => return Ok(()),
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

/// Writes the files of a finished run beside its `trials.csv` in `folder`:
/// `summary.json`, `timeseries.csv`, with `plots` the plots and
/// `report.html`, and last `manifest.json`; then commits. `brink run` and
/// `brink merge` both end here, which is why their outputs are identical.
pub fn finish_run(folder: ResultFolder, f: &RunFiles<'_>) -> io::Result<PathBuf> {
    let summary = f.summary;
    folder.json("summary.json", summary)?;
    timeseries::write(folder.path(), summary, f.format)?;
    let manifest = Manifest::new("run", f.scenario, f.command, summary.seed, summary.trials);
    if f.plots {
        let drawn = render_run_plots(summary)?;
        // The report shows the manifest of everything written so far.
        folder.plots_and_report(&drawn, &manifest, |so_far| {
            report::render(&ReportInput::new(f.scenario, summary, &drawn, so_far))
        })?;
    }
    folder.commit(manifest)
}
