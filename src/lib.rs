//! brink: a seeded Monte Carlo scenario-escalation simulator.
//!
//! # Using brink as a library
//!
//! The functions at the root are the front door ([`facade`]): [`load`] a
//! scenario, [`compile`] it, [`simulate`] it in memory, [`run`] it into a
//! result folder, [`compare`] scenarios, run an [`experiment`] file, [`merge`] shards, and read results
//! back ([`read_summary`], [`read_manifest`]). Every one returns
//! [`Result`], whose [`Error`] tells bad input (with a hint) from an I/O
//! failure (with the operation and path) and from cancellation; work is
//! cancelled through one token, [`Cancel`]. The analyses (sweep,
//! sensitivity, discovery, calibration) are jobs under [`jobs`].
//!
//! ```
//! let scenario = brink::load("scenarios/muscat-2026.toml")?;
//! let summary = brink::simulate(&scenario, &brink::Simulate { trials: Some(1_000), ..Default::default() })?;
//! for o in brink::Outcome::ALL {
//!     let s = summary.outcome(o);
//!     println!("{:<16} {:5.1}%", o.label(), 100.0 * s.probability);
//! }
//! # Ok::<(), brink::Error>(())
//! ```
//!
//! # The layers
//!
//! Each module imports only modules below it (`docs/architecture.md`;
//! `tests/layers.rs` checks it): [`outcome`] and the vocabulary
//! ([`world`], [`distribution`], [`rng`], [`format`], [`error`]) ->
//! [`observe`] -> [`scenario`] file -> checked [`scenario::Scenario`] ->
//! compiled [`model::Model`] -> [`stats`] aggregates <- [`engine`] trials ->
//! [`analysis`], [`compare`] and [`trace`] -> [`output`] files, [`plot`]s
//! and the HTML [`report`] -> [`shard`] -> [`jobs`], one job model that
//! shards, checkpoints, resumes and merges every command's work -> the
//! command line.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod analysis;
pub mod compare;
pub mod distribution;
pub mod engine;
pub mod error;
pub mod export;
pub mod facade;
pub mod format;
pub mod input;
pub mod jobs;
pub mod limits;
pub mod model;
pub mod observe;
pub mod outcome;
pub mod output;
pub mod plot;
pub mod question;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod shard;
pub mod stats;
pub mod trace;
pub mod world;

pub use analysis::experiment::Experiment;
pub use error::{Error, Result};
pub use facade::{
    ExperimentOptions, Simulate, compare, compile, experiment, load, load_with, merge, params,
    read_manifest, read_summary, run, set, simulate,
};
pub use jobs::Cancel;
pub use jobs::compare::CompareOptions;
pub use jobs::merge::MergeOptions;
pub use jobs::run::RunOptions;
pub use model::Model;
pub use outcome::{Outcome, PerOutcome};
pub use scenario::params::{ParamInfo, ParamKind};
pub use scenario::{LoadOptions, Scenario};
pub use shard::{Durability, Shard};
pub use stats::Summary;
