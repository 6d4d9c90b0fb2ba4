//! brink: a seeded Monte Carlo scenario-escalation simulator.
//!
//! The flow of a run, one module per stage:
//! [`scenario`] file -> checked [`scenario::Scenario`] -> compiled
//! [`model::Model`] -> [`engine`] trials -> [`stats`] aggregates -> [`output`] files.
//! [`pipeline`] strings the stages together for the command line;
//! [`compare`] does the same for several scenarios run in lockstep, and
//! [`analysis`] for sweeps, sensitivity analyses, scenario discovery and
//! calibration. [`trace`] tells the story of a single trial.
//! [`plot`] draws the aggregates and [`report`] writes them up as one HTML page.
//! [`shard`] splits work too large for one machine into shards, merges
//! them, and keeps checkpoints that a killed run resumes from.

pub mod analysis;
pub mod compare;
pub mod distribution;
pub mod engine;
pub mod export;
pub mod input;
pub mod limits;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod plot;
pub mod report;
pub mod scenario;
pub mod shard;
pub mod stats;
pub mod trace;
pub mod world;
