//! The driver every job runs through, written once: the result lock, the
//! shard's range, checkpoints and `--resume`, progress, cancellation, and
//! at the end either the shard folder (`partial.json` and `shard.json`) or
//! the command's result folder.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::export::Format;
use crate::output::{ResultFolder, ResultLock};
use crate::scenario::Scenario;
use crate::shard::checkpoint::CHECKPOINT_FILE;
use crate::shard::resume::refused;
use crate::shard::{
    CheckpointStore, CheckpointTimer, Durability, FORMAT, Shard, ShardManifest, WorkId,
};

use super::cancel::Cancel;
use super::job::{Advanced, Finish, Job};
use super::steps::Steps;

/// Where and how a job runs: the same for every command.
#[derive(Debug, Clone, Copy)]
pub struct JobOptions<'a> {
    /// Folder that receives the result folder.
    pub out_root: &'a Path,
    /// The command line, for the manifest.
    pub command: &'a [String],
    /// Draw the plots and write the report.
    pub plots: bool,
    /// Shard, checkpoints, resumption.
    pub durability: Durability,
    /// The format of the result's tables (recorded in a shard's manifest,
    /// so that `merge` writes the same).
    pub format: Format,
}

/// What a job produced.
#[derive(Debug, Clone, PartialEq)]
pub enum JobRun<O> {
    /// The whole work, written to `dir`.
    Done {
        /// The result.
        output: O,
        /// Its result folder.
        dir: PathBuf,
    },
    /// One shard, written to `dir`.
    Shard {
        /// The shard folder.
        dir: PathBuf,
        /// The units it covers.
        units: Range<u64>,
        /// Units in the whole work.
        total: u64,
    },
    /// Stopped by the cancel token; the work done is in the checkpoint,
    /// when checkpoints are kept, and nothing else was written.
    Cancelled,
}

/// A result being made: the lock on its folder, the range of units, and
/// its checkpoint folder.
#[derive(Debug)]
pub struct Session {
    lock: ResultLock,
    store: CheckpointStore,
    id: WorkId,
    range: Range<u64>,
    durability: Durability,
}

impl Session {
    /// Takes the lock on `out_root/<name>` (held until the session ends: no
    /// other command writes this result or its checkpoint) for the units
    /// `range` of work `id`.
    pub fn open(
        out_root: &Path,
        name: &str,
        id: WorkId,
        range: Range<u64>,
        durability: Durability,
    ) -> io::Result<Session> {
        let lock = ResultLock::acquire(&out_root.join(name))?;
        Ok(Session::locked(lock, out_root, name, id, range, durability))
    }

    /// Like [`Session::open`] with the lock on `out_root/<name>` already
    /// taken (work whose units are known only after some of it is done).
    pub fn locked(
        lock: ResultLock,
        out_root: &Path,
        name: &str,
        id: WorkId,
        range: Range<u64>,
        durability: Durability,
    ) -> Session {
        Session {
            lock,
            store: CheckpointStore::beside(out_root, name),
            id,
            range,
            durability,
        }
    }

    /// The lock on the result folder.
    pub fn lock(&self) -> &ResultLock {
        &self.lock
    }

    /// The checkpoint folder.
    pub fn store(&self) -> &CheckpointStore {
        &self.store
    }

    /// The work.
    pub fn id(&self) -> &WorkId {
        &self.id
    }

    /// The units of this session (all, or the shard's).
    pub fn range(&self) -> &Range<u64> {
        &self.range
    }

    /// A timer that says when checkpoints are due (never without them).
    pub fn timer(&self) -> CheckpointTimer {
        CheckpointTimer::new(self.durability.checkpoint_every)
    }

    /// True when checkpoints are kept.
    pub fn checkpoints(&self) -> bool {
        self.durability.checkpoint_every.is_some()
    }

    /// The state to continue from: with `--resume` and checkpoints, the
    /// saved state (read through a limit of `state_bytes` for the state
    /// itself), passed through `check`, which refuses it with bad input
    /// when unsound; otherwise `None`, after removing any earlier
    /// checkpoint and making the folder for the new ones.
    pub fn resume_checked<P: DeserializeOwned>(
        &self,
        state_bytes: u64,
        check: impl FnOnce(&P) -> io::Result<()>,
    ) -> io::Result<Option<P>> {
        if !self.checkpoints() {
            return Ok(None);
        }
        if self.durability.resume {
            let limit = CheckpointStore::limit(&self.id, state_bytes);
            if let Some(p) = self.store.load::<P>(&self.id, &self.range, limit)? {
                check(&p)?;
                return Ok(Some(p));
            }
        }
        self.store.start()?;
        Ok(None)
    }

    /// Like [`Session::resume_checked`], with a `check` that says what is
    /// wrong; the checkpoint is then refused naming its file.
    pub fn resume<P: DeserializeOwned>(
        &self,
        state_bytes: u64,
        check: impl FnOnce(&P) -> Result<(), String>,
    ) -> io::Result<Option<P>> {
        let file = self.store.dir().join(CHECKPOINT_FILE);
        self.resume_checked(state_bytes, |p| check(p).map_err(|e| refused(&file, &e)))
    }

    /// Saves `state` as the checkpoint (nothing without checkpoints).
    pub fn save<P: Serialize>(&self, state: &P) -> io::Result<()> {
        if self.checkpoints() {
            self.store.save(&self.id, &self.range, state)?;
        }
        Ok(())
    }

    /// Ends the session after its result is committed: the checkpoint is
    /// no longer needed.
    pub fn close(self) -> io::Result<()> {
        if self.checkpoints() {
            self.store.remove()?;
        }
        Ok(())
    }
}

/// Runs `job` (or the shard of it `opts` names), keeping checkpoints and
/// resuming as `opts` asks, and writes its result folder or shard folder.
/// `progress` receives the units done of the range run. A checkpoint of
/// other work, or an unsound one, is refused as
/// [`io::ErrorKind::InvalidInput`].
pub fn drive<J: Job>(
    job: &J,
    opts: &JobOptions<'_>,
    progress: &mut dyn FnMut(u64),
    cancel: Cancel<'_>,
) -> io::Result<JobRun<J::Output>> {
    let lock = ResultLock::acquire(&opts.out_root.join(result_name(job.work(), opts)))?;
    drive_locked(job, opts, lock, progress, cancel)
}

/// The folder name of the result (or shard) of work `id` run with `opts`.
pub fn result_name(id: &WorkId, opts: &JobOptions<'_>) -> String {
    opts.durability.output_name(&id.output())
}

/// Like [`drive`], with the lock on the folder ([`result_name`]) already
/// taken: work that must hold it before it can tell its units (the design
/// of a sensitivity analysis) takes it first.
pub fn drive_locked<J: Job>(
    job: &J,
    opts: &JobOptions<'_>,
    lock: ResultLock,
    progress: &mut dyn FnMut(u64),
    cancel: Cancel<'_>,
) -> io::Result<JobRun<J::Output>> {
    let dur = opts.durability;
    let total = job.units();
    let range = dur.shard.map_or(0..total, |s| s.range(total));
    let len = range.end - range.start;
    let session = Session::locked(
        lock,
        opts.out_root,
        &result_name(job.work(), opts),
        job.work().clone(),
        range.clone(),
        dur,
    );
    let saved = session.resume(job.max_partial_bytes(len), |p| job.check(p, &range))?;
    let mut p = saved.unwrap_or_else(|| job.fresh());
    let mut timer = session.timer();
    let save = |p: &J::Partial| session.save(p);
    let mut steps = Steps {
        timer: &mut timer,
        save: &save,
        progress,
        cancel,
    };
    let advanced = job.advance(&range, &mut p, &mut steps)?;
    // Cancelled, or a signal after the last unit: keep the previous result.
    if advanced == Advanced::Cancelled || cancel.is_set() {
        session.save(&p)?;
        return Ok(JobRun::Cancelled);
    }
    let folder = ResultFolder::stage(session.lock())?;
    let result = match dur.shard {
        Some(shard) => {
            job.write_shard(&p, &folder)?;
            let mut manifest = shard_manifest(
                job.scenario(),
                opts.command,
                job.work().clone(),
                shard,
                total,
            );
            manifest.inputs = job.inputs();
            manifest.table_format = opts.format;
            JobRun::Shard {
                dir: folder.commit(manifest)?,
                units: range,
                total,
            }
        }
        None => {
            let f = Finish {
                command: opts.command,
                plots: opts.plots,
                format: opts.format,
            };
            let (output, dir) = job.finish(p, folder, f)?;
            JobRun::Done { output, dir }
        }
    };
    session.close()?;
    Ok(result)
}

/// The manifest of a shard of `id`; the files are filled in when its
/// folder is committed ([`ResultFolder::commit`]).
pub fn shard_manifest(
    scenario: &Scenario,
    command: &[String],
    id: WorkId,
    shard: Shard,
    total: u64,
) -> ShardManifest {
    let range = shard.range(total);
    ShardManifest {
        program: "brink".into(),
        format: FORMAT,
        output: id.output(),
        work: id,
        scenario_path: std::path::absolute(&scenario.origin.path)
            .unwrap_or_else(|_| scenario.origin.path.clone()),
        shard,
        total,
        range: [range.start, range.end],
        inputs: Vec::new(),
        command: command.to_vec(),
        table_format: Format::Csv,
        files: Vec::new(),
    }
}
