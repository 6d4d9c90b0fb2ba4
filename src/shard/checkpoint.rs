//! Checkpoints: a long run saves what it has finished in a folder beside
//! its output, `OUT/.<name>.checkpoint/`, so that after a kill `--resume`
//! continues where it stopped and ends with the same bytes as a run that
//! was never interrupted.
//!
//! `checkpoint.json` holds the identity of the work ([`WorkId`]), the range
//! of units it covers and the state saved (for a run: the trials completed,
//! their exact [`RunAggregate`] and the length of `trials.csv` at that
//! point). It is replaced atomically (written beside, synced, renamed) at a
//! batch boundary, after the data it describes has been synced, so a kill
//! at any moment leaves either the previous checkpoint or the new one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::engine::{ParamSpace, RecordSink, RowEncoder, RunPlan, TrialRecord, simulate_given};
use crate::model::Model;
use crate::stats::{RunAggregate, Tally};
use crate::world::PerOutcome;

use super::work::WorkId;
use super::{FORMAT, bad_input};
use crate::output::io_error::at;

/// The file of a checkpoint folder that describes it.
pub const CHECKPOINT_FILE: &str = "checkpoint.json";

/// The checkpoint folder of work whose result goes to `out_root/<name>`.
pub fn checkpoint_dir(out_root: &Path, name: &str) -> PathBuf {
    out_root.join(format!(".{name}.checkpoint"))
}

#[derive(Serialize)]
struct FileOut<'a, T> {
    program: &'a str,
    format: u32,
    work: &'a WorkId,
    range: [u64; 2],
    state: &'a T,
}

/// What every checkpoint file starts with, read before the state so that
/// a checkpoint of another format is refused as such rather than as a state
/// that does not parse.
#[derive(Deserialize)]
struct Header {
    program: String,
    format: u32,
}

#[derive(Deserialize)]
struct FileIn<T> {
    work: WorkId,
    range: [u64; 2],
    state: T,
}

/// A checkpoint folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointStore {
    dir: PathBuf,
}

impl CheckpointStore {
    /// The checkpoint folder of work whose result goes to `out_root/<name>`.
    pub fn beside(out_root: &Path, name: &str) -> CheckpointStore {
        CheckpointStore {
            dir: checkpoint_dir(out_root, name),
        }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// True when an earlier run left a checkpoint to resume from.
    pub fn exists(&self) -> bool {
        self.dir.join(CHECKPOINT_FILE).exists()
    }

    /// Starts afresh: removes any earlier checkpoint and creates the folder.
    pub fn start(&self) -> io::Result<()> {
        self.remove()?;
        fs::create_dir_all(&self.dir).map_err(at("create the folder", &self.dir))
    }

    /// The state saved for `work` over `range`, or `None` when nothing was
    /// saved yet. The file is read through a size limit of `limit` bytes
    /// (what the largest state of this work can take, see
    /// [`CheckpointStore::limit`]). A checkpoint of other work is bad input,
    /// named with how it differs. The caller checks the state itself.
    pub fn load<T: DeserializeOwned>(
        &self,
        work: &WorkId,
        range: &Range<u64>,
        limit: u64,
    ) -> io::Result<Option<T>> {
        let path = self.dir.join(CHECKPOINT_FILE);
        let bytes = match crate::input::read_limited(&path, limit) {
            Ok(b) => b,
            Err(crate::input::ReadError::Io { error, .. })
                if error.kind() == io::ErrorKind::NotFound =>
            {
                return Ok(None);
            }
            Err(e) => return Err(e.into()),
        };
        let hint = "run without --resume to start afresh (the checkpoint is then discarded)";
        let not_ours = |e: serde_json::Error| {
            bad_input(
                format!("{} is not a brink checkpoint: {e}", path.display()),
                hint,
            )
        };
        let header: Header = serde_json::from_slice(&bytes).map_err(not_ours)?;
        if header.program != "brink" || header.format != FORMAT {
            return Err(bad_input(
                format!(
                    "{} has checkpoint format {} of `{}`; this program reads format {FORMAT}",
                    path.display(),
                    header.format,
                    header.program
                ),
                hint,
            ));
        }
        let file: FileIn<T> = serde_json::from_slice(&bytes).map_err(not_ours)?;
        let mut diffs = file.work.differences(work);
        if file.range != [range.start, range.end] {
            diffs.push(format!(
                "range {}..{} vs {}..{}",
                file.range[0], file.range[1], range.start, range.end
            ));
        }
        if !diffs.is_empty() {
            return Err(bad_input(
                format!(
                    "the checkpoint in {} is of other work (checkpoint vs this run: {})",
                    self.dir.display(),
                    diffs.join(", ")
                ),
                hint,
            ));
        }
        Ok(Some(file.state))
    }

    /// The size limit of a `checkpoint.json` whose state takes at most
    /// `state` bytes: the state, the work's identity (a sweep lists its
    /// values, each at most 32 characters) and 64 KiB for the rest.
    pub fn limit(work: &WorkId, state: u64) -> u64 {
        let values = match &work.work {
            super::Work::Sweep { values, .. } => values.len() as u64 * 32,
            _ => 0,
        };
        state.saturating_add(values).saturating_add(64 << 10)
    }

    /// Saves `state` for `work` over `range`, replacing the previous
    /// checkpoint atomically.
    pub fn save<T: Serialize>(
        &self,
        work: &WorkId,
        range: &Range<u64>,
        state: &T,
    ) -> io::Result<()> {
        let file = FileOut {
            program: "brink",
            format: FORMAT,
            work,
            range: [range.start, range.end],
            state,
        };
        let bytes = serde_json::to_vec(&file).map_err(io::Error::other)?;
        write_durable(&self.dir.join(CHECKPOINT_FILE), &bytes)
    }

    /// Removes the folder (after the result is committed).
    pub fn remove(&self) -> io::Result<()> {
        match fs::remove_dir_all(&self.dir) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(at("remove", &self.dir)(e)),
            _ => Ok(()),
        }
    }
}

/// Writes a file so that it survives a crash whole or not at all: a
/// temporary file beside it, synced, then renamed over it.
pub fn write_durable(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = crate::output::staging::temp_beside(path);
    let written = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    written
        .and_then(|()| fs::rename(&tmp, path))
        .map_err(at("write", path))
        .inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })?;
    // The rename itself reaches the disk with the folder.
    if let Some(dir) = path.parent()
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// When to save: at most once every `every` (`None`: never; zero: after
/// every batch).
#[derive(Debug, Clone, Copy)]
pub struct CheckpointTimer {
    every: Option<Duration>,
    last: Instant,
}

impl CheckpointTimer {
    /// Saves at most once every `every`; `None` never saves.
    pub fn new(every: Option<Duration>) -> CheckpointTimer {
        CheckpointTimer {
            every,
            last: Instant::now(),
        }
    }

    /// True when checkpoints are kept at all.
    pub fn enabled(&self) -> bool {
        self.every.is_some()
    }

    /// True when a checkpoint is due; the clock restarts.
    pub fn due(&mut self) -> bool {
        match self.every {
            Some(every) if self.last.elapsed() >= every => {
                self.last = Instant::now();
                true
            }
            _ => false,
        }
    }
}

/// Trials of a range done so far: how many from its start, and their aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial {
    /// Trials completed from the start of the range.
    pub completed: u64,
    /// Their aggregate.
    pub aggregate: RunAggregate,
}

impl Partial {
    /// Nothing done yet.
    pub fn empty(model: &Model) -> Partial {
        Partial {
            completed: 0,
            aggregate: RunAggregate::new(model),
        }
    }
}

/// Forwards records and saves a [`Partial`] when the timer says so.
struct Saving<'a, S> {
    inner: &'a mut S,
    from: &'a Partial,
    timer: &'a mut CheckpointTimer,
    save: &'a mut dyn FnMut(&mut S, &Partial) -> io::Result<()>,
}

impl<S: RecordSink> RecordSink for Saving<'_, S> {
    fn encoder(&self) -> Option<&'static dyn RowEncoder> {
        self.inner.encoder()
    }

    fn rows(&mut self, bytes: &[u8], trials: u64) -> io::Result<()> {
        self.inner.rows(bytes, trials)
    }

    fn record(&mut self, r: &TrialRecord, counts: &[u32], params: &[f64]) -> io::Result<()> {
        self.inner.record(r, counts, params)
    }

    fn on_batch(&mut self, completed: u64, aggregate: &RunAggregate) -> io::Result<()> {
        if self.timer.due() {
            let mut total = self.from.aggregate.clone();
            total.merge(aggregate);
            let p = Partial {
                completed: self.from.completed + completed,
                aggregate: total,
            };
            (self.save)(self.inner, &p)?;
        }
        Ok(())
    }
}

/// How to continue the trials `trials` of a run.
#[derive(Debug, Clone, Copy)]
pub struct Continuation<'a> {
    /// The compiled scenario.
    pub model: &'a Model,
    /// Parameter values and the uncertain ones drawn per trial.
    pub space: &'a ParamSpace,
    /// Master seed.
    pub seed: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Trial indices of the whole range.
    pub trials: &'a Range<u64>,
    /// Keep only the trials that satisfy every one of these events.
    pub given: Option<&'a crate::question::EventSet>,
}

/// Runs the trials of `c.trials` not yet in `from`, sending their records to
/// `sink` and calling `save` with everything done so far when the timer is
/// due, and once more when cancelled. `progress` receives the trials done
/// in the whole range. After every chunk, `stop` sees the outcome counts and
/// trials of everything done (checkpointed trials included) and may end the
/// run there. Returns everything done: the whole range unless cancelled or
/// stopped.
#[allow(clippy::too_many_arguments)]
pub fn continue_trials<S: RecordSink>(
    c: Continuation<'_>,
    from: &Partial,
    sink: &mut S,
    timer: &mut CheckpointTimer,
    stop: &dyn Fn(&PerOutcome<u64>, u64) -> bool,
    save: &mut dyn FnMut(&mut S, &Partial) -> io::Result<()>,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<Continued> {
    let len = c.trials.end - c.trials.start;
    if from.completed > len {
        return Err(bad_input(
            format!(
                "the checkpoint records {} trials done of {len}",
                from.completed
            ),
            "run without --resume to start afresh",
        ));
    }
    let plan = RunPlan {
        seed: c.seed,
        first_trial: c.trials.start + from.completed,
        trials: len - from.completed,
        threads: c.threads,
    };
    let mut saving = Saving {
        inner: sink,
        from,
        timer,
        save,
    };
    let done = from.completed;
    let before = from.aggregate.outcome_counts;
    let rule = |tally: &Tally| {
        let mut counts = before;
        for (c, a) in counts
            .values_mut()
            .iter_mut()
            .zip(tally.outcome_counts.values())
        {
            *c += a;
        }
        stop(&counts, done + tally.trials)
    };
    let sim = simulate_given(
        c.model,
        c.space,
        plan,
        c.given,
        &rule,
        &mut saving,
        &mut |d| progress(done + d),
        cancel,
    )?;
    let mut aggregate = from.aggregate.clone();
    aggregate.merge(&sim.aggregate);
    let done = Partial {
        completed: done + sim.completed,
        aggregate,
    };
    if sim.cancelled && saving.timer.enabled() {
        (saving.save)(saving.inner, &done)?;
    }
    Ok(Continued {
        done,
        cancelled: sim.cancelled,
        stopped: sim.stopped,
    })
}

/// What [`continue_trials`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Continued {
    /// Everything done in the range, checkpointed trials included.
    pub done: Partial,
    /// True when stopped by the cancel flag before the end of the range.
    pub cancelled: bool,
    /// True when `stop` ended the run before the end of the range.
    pub stopped: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shard::work::Work;

    fn id(seed: u64) -> WorkId {
        WorkId {
            brink_version: env!("CARGO_PKG_VERSION").into(),
            scenario: "s".into(),
            scenario_file: "s.toml".into(),
            scenario_sha256: "ab".into(),
            scenario_overrides: Vec::new(),
            seed,
            work: Work::Run { trials: 10 },
        }
    }

    #[test]
    fn saves_loads_and_refuses_other_work() {
        let tmp = tempfile::tempdir().unwrap();
        let store = CheckpointStore::beside(tmp.path(), "s");
        assert_eq!(store.dir(), tmp.path().join(".s.checkpoint"));
        assert!(!store.exists());
        store.start().unwrap();
        assert!(!store.exists(), "a folder without a checkpoint yet");
        assert_eq!(store.load::<u64>(&id(1), &(0..10), 1 << 16).unwrap(), None);
        store.save(&id(1), &(0..10), &7u64).unwrap();
        assert_eq!(
            store.load::<u64>(&id(1), &(0..10), 1 << 16).unwrap(),
            Some(7)
        );
        let err = store.load::<u64>(&id(2), &(0..10), 1 << 16).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("seed 1 vs 2"), "{err}");
        let err = store.load::<u64>(&id(1), &(0..5), 1 << 16).unwrap_err();
        assert!(err.to_string().contains("range 0..10 vs 0..5"), "{err}");
        fs::write(store.dir().join(CHECKPOINT_FILE), "{").unwrap();
        let err = store.load::<u64>(&id(1), &(0..10), 1 << 16).unwrap_err();
        assert!(err.to_string().contains("not a brink checkpoint"), "{err}");
        assert!(store.exists());
        store.remove().unwrap();
        assert!(!store.exists() && !store.dir().exists());
        store.remove().unwrap();
    }

    #[test]
    fn a_checkpoint_of_the_previous_format_is_refused_as_such() {
        // Format 1 had no milestone counts in its aggregates: its state no
        // longer parses, and the message must say why rather than name a
        // missing field.
        #[derive(Debug, serde::Deserialize)]
        struct NeedsMore {
            _milestone_steps: Vec<u64>,
        }
        let tmp = tempfile::tempdir().unwrap();
        let store = CheckpointStore::beside(tmp.path(), "s");
        store.start().unwrap();
        let old = serde_json::json!({
            "program": "brink",
            "format": 1,
            "work": id(1),
            "range": [0, 10],
            "state": { "trials": 3 },
        });
        fs::write(store.dir().join(CHECKPOINT_FILE), old.to_string()).unwrap();
        let err = store
            .load::<NeedsMore>(&id(1), &(0..10), 1 << 16)
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        let text = err.to_string();
        assert!(
            text.contains(&format!(
                "checkpoint format 1 of `brink`; this program reads format {FORMAT}"
            )),
            "{text}"
        );
        assert!(text.contains("run without --resume"), "{text}");
    }

    #[test]
    fn timer_zero_is_always_due_and_none_never() {
        let mut t = CheckpointTimer::new(Some(Duration::ZERO));
        assert!(t.due() && t.due());
        let mut t = CheckpointTimer::new(None);
        assert!(!t.due() && !t.enabled());
        let mut t = CheckpointTimer::new(Some(Duration::from_secs(3600)));
        assert!(!t.due());
    }
}
