//! brink: a seeded Monte Carlo scenario-escalation simulator.
//!
//! The flow of a run, one module per stage:
//! [`scenario`] file -> checked [`scenario::Scenario`] -> compiled
//! [`model::Model`] -> [`engine`] trials -> [`stats`] aggregates -> [`output`] files.
//! [`compare`] runs several scenarios in lockstep, and [`analysis`] does
//! sweeps, sensitivity analyses, scenario discovery and calibration.
//! [`trace`] tells the story of a single trial. [`plot`] draws the
//! aggregates and [`report`] writes them up as one HTML page. [`jobs`]
//! strings the stages together for each command: one job model that
//! shards, checkpoints, resumes and merges every command's work, on the
//! lower pieces of [`shard`].

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod analysis;
pub mod compare;
pub mod distribution;
pub mod engine;
pub mod error;
pub mod export;
pub mod format;
pub mod input;
pub mod jobs;
pub mod limits;
pub mod model;
pub mod observe;
pub mod outcome;
pub mod output;
pub mod plot;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod shard;
pub mod stats;
pub mod trace;
pub mod world;

pub use error::{Error, Result};
