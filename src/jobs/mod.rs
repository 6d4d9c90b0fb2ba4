//! Jobs: the work of every result-writing command (`run`, `compare`,
//! `sweep`, `experiment`, `sensitivity`, `discover`, `calibrate`) cut into numbered
//! units, and what is written once for all of them on top: the shard's
//! range (`--shard I/N|auto`), checkpoints and `--resume`, progress,
//! cancellation, the result folder, and `merge`.
//!
//! A [`Job`] runs a range of its units into an exact partial aggregate
//! and assembles the partial of all units into its result; [`drive`] runs
//! it (or its shard) with checkpoints, and [`mod@merge`] turns shard
//! folders into exactly the folder the unsharded command writes. Every
//! result folder and shard folder is written by
//! [`crate::output::ResultFolder`]. The run keeps its own loop over the
//! driver's [`Session`] (the lock, the range and the checkpoint folder):
//! its trials file grows beside the checkpoint and is resumed from a mark,
//! and its precision target stops it early.
//!
//! Layer: above `output`, `plot` and `report`; below the command line.
//! The lower pieces (the split into shards, work identities, the
//! checkpoint store, shard manifests, the checks of a merge) are in
//! [`crate::shard`].

pub mod calibrate;
pub mod cancel;
pub mod compare;
pub mod discover;
pub mod driver;
pub mod experiment;
pub mod forecast;
pub mod job;
pub mod merge;
pub mod run;
pub mod score;
pub mod sensitivity;
pub mod spread;
pub mod steps;
pub mod suite_calibrate;
pub mod sweep;

pub use cancel::Cancel;
pub use driver::{JobOptions, JobRun, Session, drive, drive_locked};
pub use job::{Advanced, Finish, Job};
pub use merge::{MergeOptions, Merged, merge};
pub use steps::Steps;
