//! `brink merge`: shard results into exactly the result folder the
//! unsharded command would have written.
//!
//! Before anything is written, the shards must be of the same work (program
//! version, scenario sha256, seed, trial counts, analysis; [`super::WorkId`]), made
//! by this version of brink, with every manifest field merge uses sound, and
//! cover the work's units exactly once, ordered by range: a missing range
//! or an overlap is refused, naming the shards concerned
//! ([`super::merge_checks`]). The scenario is read again (from where the
//! shards ran, or `--scenario`) and must still have the same sha256. Each
//! data file must match the size and sha256 its shard manifest lists, and
//! its content must hold together: aggregates consistent with their trials,
//! `trials.csv` rows of the shard's range in order adding up to its
//! aggregate ([`super::merge_run`]). Then the exact integer aggregates are
//! added in trial order without overflow, the `trials.csv` parts are
//! concatenated, and the files are written by the same code as an unsharded
//! run.

use std::io;
use std::path::PathBuf;

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::analysis::PointCounts;
// Shards are written as CSV only, and so is their merge.
use crate::analysis::sensitivity::{SaltelliDesign, Sensitivity, SensitivityOptions, indices};
use crate::analysis::sweep::{self, Sweep, assemble};
use crate::export::Format;
use crate::input::read_limited;
use crate::model::Model;
use crate::output::{ResultLock, StagedDir};
use crate::pipeline::{
    RunFiles, TRIALS_CSV, finish_run, scenario_info, write_sensitivity_result, write_sweep_result,
};
use crate::scenario::{Scenario, load::to_hex};
use crate::stats::{RunAggregate, Summary};

use super::manifest::{SHARD_FILE, ShardDir};
use super::merge_checks::{check_cover, check_same_work, load_scenario};
use super::merge_run::merge_run;
use super::sweep::POINTS_JSON;
use super::{Work, bad_input};

/// How to merge (options resolved from the command line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeOptions {
    /// Folder that receives the result folder.
    pub out_root: PathBuf,
    /// The scenario file, if not where the shards ran.
    pub scenario: Option<PathBuf>,
    /// The command line, for the manifest.
    pub command: Vec<String>,
    /// Draw the plots and write the report of a run.
    pub plots: bool,
}

/// The merged result.
#[derive(Debug, Clone, PartialEq)]
pub enum Merged {
    /// A run: its summary.
    Run(Box<Summary>),
    /// A sweep.
    Sweep(Sweep),
    /// A sensitivity analysis.
    Sensitivity(Box<Sensitivity>),
}

/// What a merge wrote.
#[derive(Debug, Clone)]
pub struct MergeResult {
    /// The result.
    pub merged: Merged,
    /// Its folder.
    pub dir: PathBuf,
    /// The scenario.
    pub scenario: Scenario,
    /// Shards merged.
    pub shards: usize,
}

/// Checks the shard folders `dirs` and merges them into
/// `opts.out_root/<name>/`. Shards that do not belong together, do not
/// cover the work exactly once, or whose files are damaged, are refused
/// with [`io::ErrorKind::InvalidInput`] and nothing is written.
pub fn merge(dirs: &[PathBuf], opts: &MergeOptions) -> io::Result<MergeResult> {
    if dirs.is_empty() {
        return Err(bad_input(
            "no shard folders to merge",
            "give every shard folder, e.g. `brink merge output/muscat-2026.shard-*`",
        ));
    }
    let shards = dirs
        .iter()
        .map(|d| ShardDir::open(d))
        .collect::<io::Result<Vec<_>>>()?;
    check_same_work(&shards)?;
    let shards = check_cover(shards)?;
    let first = &shards[0].manifest;
    let (path, source) = match &opts.scenario {
        Some(p) => (p.clone(), "given with --scenario".to_string()),
        None => (
            first.scenario_path.clone(),
            format!("named by {}", shards[0].path.join(SHARD_FILE).display()),
        ),
    };
    let scenario = load_scenario(&path, &source, &first.work)?;
    let model = Model::compile(&scenario);
    let lock = ResultLock::acquire(&opts.out_root.join(&first.output))?;
    let merged = match &first.work.work {
        Work::Run { trials } => {
            let staged = StagedDir::create(&lock)?;
            let total = merge_run(&model, &shards, *trials, &staged.path().join(TRIALS_CSV))?;
            let summary = Summary::build(&model, scenario_info(&scenario), first.work.seed, &total);
            let files = RunFiles {
                scenario: &scenario,
                summary: &summary,
                command: &opts.command,
                plots: opts.plots,
                format: Format::Csv,
            };
            let dir = finish_run(staged, &files)?;
            (Merged::Run(Box::new(summary)), dir)
        }
        Work::Sweep {
            parameter,
            values,
            trials,
        } => {
            let slot = sweep::check(&model, parameter, values)
                .map_err(|e| bad_input(e.to_string(), "the scenario no longer fits the shards"))?;
            let empty = RunAggregate::new(&model);
            let aggregates: Vec<RunAggregate> =
                points(&shards, empty.max_json_bytes(), |a: &RunAggregate| {
                    if !empty.same_shape(a) {
                        return Err("its tables do not fit the scenario".into());
                    }
                    a.check_consistent(*trials)
                })?;
            let info = scenario_info(&scenario);
            let seed = first.work.seed;
            let sw = assemble(
                &model,
                info,
                parameter,
                slot,
                values,
                seed,
                *trials,
                &aggregates,
            );
            let dir = write_sweep_result(
                &lock,
                &scenario,
                &sw,
                &opts.command,
                opts.plots,
                Format::Csv,
            )?;
            (Merged::Sweep(sw), dir)
        }
        Work::Sensitivity {
            samples,
            trials_per_sample,
            bootstrap,
        } => {
            let options = SensitivityOptions {
                samples: *samples as usize,
                trials_per_sample: *trials_per_sample,
                bootstrap: *bootstrap as usize,
                seed: first.work.seed,
                threads: 0,
            };
            let design = SaltelliDesign::new(&model, options.samples, options.seed)
                .map_err(|e| bad_input(e.to_string(), "the scenario no longer fits the shards"))?;
            if design.points() != first.total {
                return Err(damaged(&format!(
                    "the shards count {} design points, the scenario's design {}",
                    first.total,
                    design.points()
                )));
            }
            let per_trial = RunAggregate::new(&model).escalation_per_trial();
            let counts: Vec<PointCounts> =
                points(&shards, PointCounts::MAX_JSON_BYTES, |c: &PointCounts| {
                    c.check_consistent(*trials_per_sample, per_trial)
                })?;
            let s = indices(&model, scenario_info(&scenario), &options, &design, &counts);
            let dir = write_sensitivity_result(
                &lock,
                &scenario,
                &s,
                &opts.command,
                opts.plots,
                Format::Csv,
            )?;
            (Merged::Sensitivity(Box::new(s)), dir)
        }
    };
    Ok(MergeResult {
        merged: merged.0,
        dir: merged.1,
        shards: shards.len(),
        scenario,
    })
}

fn damaged(what: &str) -> io::Error {
    bad_input(
        format!("the shards do not fit together: {what}"),
        "run the shards again with the same options",
    )
}

/// A data file of a shard, for messages: its path and the shard.
pub(super) fn file_label(s: &ShardDir, name: &str) -> String {
    format!(
        "{} (shard {})",
        s.path.join(name).display(),
        s.manifest.shard
    )
}

/// Reads data file `name` of a shard, a regular file of at most `limit`
/// bytes, and checks it against the size and sha256 in the manifest.
pub(super) fn read_verified(s: &ShardDir, name: &str, limit: u64) -> io::Result<Vec<u8>> {
    let entry = s.manifest.file(name).ok_or_else(|| {
        bad_input(
            format!("{} lists no {name}", s.label()),
            "the shard is damaged; run it again",
        )
    })?;
    let bytes = read_limited(&s.path.join(name), limit).map_err(|e| {
        bad_input(
            format!("cannot read {name} of {}: {e}", s.label()),
            "the shard is damaged; run it again",
        )
    })?;
    if bytes.len() as u64 != entry.bytes || to_hex(&Sha256::digest(&bytes)) != entry.sha256 {
        return Err(changed(s, name));
    }
    Ok(bytes)
}

pub(super) fn changed(s: &ShardDir, name: &str) -> io::Error {
    bad_input(
        format!(
            "{name} of {} does not match the size and sha256 in its shard.json",
            s.label()
        ),
        "the file was damaged or changed after the shard ran; run the shard again",
    )
}

pub(super) fn parse<T: DeserializeOwned>(s: &ShardDir, name: &str, bytes: &[u8]) -> io::Result<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        bad_input(
            format!("{name} of {} cannot be read: {e}", s.label()),
            "the shard is damaged; run it again",
        )
    })
}

/// The design points of every shard, in order: each shard's `points.json`
/// (at most `each` bytes a point) must hold exactly the points of its
/// range, each passing `check`.
fn points<T: DeserializeOwned>(
    shards: &[ShardDir],
    each: u64,
    check: impl Fn(&T) -> Result<(), String>,
) -> io::Result<Vec<T>> {
    let mut all = Vec::new();
    for s in shards {
        let want = s.manifest.range[1] - s.manifest.range[0];
        let limit = want.saturating_mul(each).saturating_add(1024);
        let v: Vec<T> = parse(s, POINTS_JSON, &read_verified(s, POINTS_JSON, limit)?)?;
        let bad = |why: String| {
            bad_input(
                format!("{} is inconsistent: {why}", file_label(s, POINTS_JSON)),
                "the shard is damaged or was edited; run it again",
            )
        };
        if v.len() as u64 != want {
            return Err(bad(format!("it holds {} points, not {want}", v.len())));
        }
        for (k, p) in v.iter().enumerate() {
            check(p).map_err(|e| bad(format!("its point {k}: {e}")))?;
        }
        all.extend(v);
    }
    Ok(all)
}
