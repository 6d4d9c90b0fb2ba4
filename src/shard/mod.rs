//! Work too large for one machine or one sitting: shards, checkpoints and
//! merges (`docs/distributed.md`).
//!
//! A shard runs a contiguous range of the work's units (trials of a run,
//! design points of a sweep or a sensitivity analysis; [`split`]) and
//! writes a shard result: exact integer aggregates and its part of the
//! trials, with a manifest ([`manifest`]). [`mod@merge`] checks that shards
//! belong together and cover the work once, then writes exactly what the
//! unsharded command would have written. A long run saves its progress at
//! batch boundaries ([`checkpoint`]) and resumes from it after a kill.
//! The scheduler (Slurm, Kubernetes) stays outside: brink only reads the
//! index it gives.

pub mod checkpoint;
pub mod data;
pub mod manifest;
pub mod merge_checks;
pub mod merge_run;
pub mod merge_trials_parquet;
pub mod resume;
pub mod rows;
pub mod split;
pub mod work;

use std::io;

pub use checkpoint::{CheckpointStore, CheckpointTimer, Partial, checkpoint_dir};
pub use manifest::{SHARD_FILE, ShardDir, ShardManifest};
pub use split::{SHARDS_ENV, Shard};
pub use work::{Work, WorkId};

/// Layout version of shard folders and checkpoints. Format 2 added the
/// milestone counts to every run aggregate; shards and checkpoints of
/// format 1 are refused with a message naming both formats.
pub const FORMAT: u32 = 2;

/// How a long piece of work is split and kept (options resolved from the
/// command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Durability {
    /// Do only this shard and write a shard result.
    pub shard: Option<Shard>,
    /// Save progress at most this often (`None`: no checkpoints).
    pub checkpoint_every: Option<std::time::Duration>,
    /// Continue from the checkpoint of an interrupted run of the same work.
    pub resume: bool,
}

impl Durability {
    /// The folder name of the result of work whose unsharded result is
    /// `output`: `output` itself, or the shard's folder.
    pub fn output_name(&self, output: &str) -> String {
        self.shard
            .map_or_else(|| output.to_string(), |s| s.dir_name(output))
    }
}

/// Bad input (exit status 2): `message`, then a hint line.
pub fn bad_input(message: impl Into<String>, hint: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("{}\n  = hint: {hint}", message.into()),
    )
}
