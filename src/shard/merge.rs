//! `brink merge`: shard results into exactly the result folder the
//! unsharded command would have written.
//!
//! Before anything is written, the shards must be of the same work (program
//! version, scenario sha256, seed, trial counts, analysis; [`WorkId`]), made
//! by this version of brink, and cover the work's units exactly once: a
//! missing range or an overlap is refused, naming the shards concerned. The
//! scenario is read again (from where the shards ran, or `--scenario`) and
//! must still have the same sha256. Each data file must match the size and
//! sha256 its shard manifest lists. Then the exact integer aggregates are
//! added in trial order, the `trials.csv` parts are concatenated, and the
//! files are written by the same code as an unsharded run.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::analysis::PointCounts;
use crate::analysis::sensitivity::{SaltelliDesign, Sensitivity, SensitivityOptions, indices};
use crate::analysis::sweep::{self, Sweep, assemble};
use crate::model::Model;
use crate::output::{ResultLock, StagedDir};
use crate::pipeline::{
    AGGREGATE_JSON, RunFiles, TRIALS_CSV, finish_run, scenario_info, write_sensitivity_result,
    write_sweep_result,
};
use crate::scenario::{self, Scenario, load::to_hex};
use crate::stats::{RunAggregate, Summary};

use super::manifest::ShardDir;
use super::sweep::POINTS_JSON;
use super::{Work, WorkId, bad_input};

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
    let path = opts
        .scenario
        .clone()
        .unwrap_or_else(|| first.scenario_path.clone());
    let scenario = load_scenario(&path, &first.work)?;
    let model = Model::compile(&scenario);
    let lock = ResultLock::acquire(&opts.out_root.join(&first.output))?;
    let merged = match &first.work.work {
        Work::Run { .. } => {
            let total = add_run_aggregates(&model, &shards)?;
            let staged = StagedDir::create(&lock)?;
            concat_trials(&shards, &staged.path().join(TRIALS_CSV))?;
            let summary = Summary::build(&model, scenario_info(&scenario), first.work.seed, &total);
            let files = RunFiles {
                scenario: &scenario,
                summary: &summary,
                command: &opts.command,
                plots: opts.plots,
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
            let aggregates: Vec<RunAggregate> = points(&shards)?;
            let empty = RunAggregate::new(&model);
            for (a, s) in aggregates.iter().zip(values) {
                if !empty.same_shape(a) || a.trials != *trials {
                    return Err(damaged(&format!(
                        "the aggregate of the point {s} does not fit the scenario"
                    )));
                }
            }
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
            let dir = write_sweep_result(&lock, &scenario, &sw, &opts.command, opts.plots)?;
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
            let counts: Vec<PointCounts> = points(&shards)?;
            if counts.iter().any(|c| c.trials != *trials_per_sample) {
                return Err(damaged("a design point ran another number of trials"));
            }
            let s = indices(&model, scenario_info(&scenario), &options, &design, &counts);
            let dir = write_sensitivity_result(&lock, &scenario, &s, &opts.command, opts.plots)?;
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

/// All shards are of one work, made by this program.
fn check_same_work(shards: &[ShardDir]) -> io::Result<()> {
    let first = &shards[0];
    let m = &first.manifest;
    for s in &shards[1..] {
        let mut diffs = m.work.differences(&s.manifest.work);
        if m.output != s.manifest.output {
            diffs.push(format!(
                "result folder {} vs {}",
                m.output, s.manifest.output
            ));
        }
        if diffs.is_empty() && m.total != s.manifest.total {
            diffs.push(format!("units {} vs {}", m.total, s.manifest.total));
        }
        if !diffs.is_empty() {
            return Err(bad_input(
                format!(
                    "{} and {} are not shards of the same work: {}",
                    first.label(),
                    s.label(),
                    diffs.join(", ")
                ),
                "merge only the shards of one command: same scenario file, seed, trial \
                 counts and brink version",
            ));
        }
    }
    let ours = env!("CARGO_PKG_VERSION");
    if m.work.brink_version != ours {
        return Err(bad_input(
            format!(
                "the shards were made by brink {}; this is brink {ours}",
                m.work.brink_version
            ),
            "merge with the brink version that ran the shards: results may differ between versions",
        ));
    }
    let mut parts = Path::new(&m.output).components();
    if !matches!(
        (parts.next(), parts.next()),
        (Some(Component::Normal(_)), None)
    ) || m.output.starts_with('.')
    {
        return Err(bad_input(
            format!("{} names the result folder `{}`", first.label(), m.output),
            "the shard manifest is damaged; run the shard again",
        ));
    }
    Ok(())
}

/// Orders the shards by their ranges and checks that they cover the units
/// `0..total` exactly once.
fn check_cover(mut shards: Vec<ShardDir>) -> io::Result<Vec<ShardDir>> {
    for s in &shards {
        let m = &s.manifest;
        if m.shard.range(m.total) != m.units() {
            return Err(bad_input(
                format!(
                    "{} lists the range {}..{}, but shard {} of {} units is {:?}",
                    s.label(),
                    m.range[0],
                    m.range[1],
                    m.shard,
                    m.total,
                    m.shard.range(m.total)
                ),
                "the shard manifest is damaged; run the shard again",
            ));
        }
    }
    shards.sort_by_key(|s| (s.manifest.range, s.manifest.shard.count));
    let total = shards[0].manifest.total;
    let units = shards[0].manifest.work.work.units();
    let mut missing = Vec::new();
    let mut next = 0;
    let mut last: Option<&ShardDir> = None;
    for s in &shards {
        let r = s.manifest.units();
        if r.is_empty() {
            continue;
        }
        if r.start > next {
            missing.push(next..r.start);
        }
        if let Some(prev) = last
            && r.start < next
        {
            return Err(bad_input(
                format!(
                    "{} and {} both cover {units} {}..{}",
                    prev.label(),
                    s.label(),
                    r.start,
                    next.min(r.end)
                ),
                "give each shard once, all from one split (the same N in --shard I/N)",
            ));
        }
        next = r.end;
        last = Some(s);
    }
    if next < total {
        missing.push(next..total);
    }
    if missing.is_empty() {
        return Ok(shards);
    }
    let ranges: Vec<String> = missing
        .iter()
        .map(|r| format!("{}..{}", r.start, r.end))
        .collect();
    let count = shards[0].manifest.shard.count;
    let mut message = format!(
        "the shards do not cover {units} {} of 0..{total}",
        ranges.join(", ")
    );
    if shards.iter().all(|s| s.manifest.shard.count == count) {
        let absent: Vec<String> = (0..count)
            .filter(|&i| {
                let r = super::Shard { index: i, count }.range(total);
                !r.is_empty() && missing.iter().any(|m| m.start < r.end && r.start < m.end)
            })
            .map(|i| format!("{i}/{count}"))
            .collect();
        message.push_str(&format!(": missing shard(s) {}", absent.join(", ")));
    }
    Err(bad_input(
        message,
        "run the missing shards with the same options and merge all the folders",
    ))
}

/// Reloads the scenario and checks that it is the one the shards ran.
fn load_scenario(path: &Path, work: &WorkId) -> io::Result<Scenario> {
    let scenario = match scenario::load(path) {
        Ok((s, _warnings)) => s,
        Err(diags) => {
            return Err(bad_input(
                format!(
                    "cannot load the scenario of the shards, {}:\n{diags}",
                    path.display()
                ),
                "give the scenario file the shards ran with --scenario FILE",
            ));
        }
    };
    let here = WorkId::new(&scenario, work.seed, work.work.clone());
    let diffs = work.differences(&here);
    if !diffs.is_empty() {
        return Err(bad_input(
            format!(
                "{} is not the scenario the shards ran (shards vs file: {})",
                path.display(),
                diffs.join(", ")
            ),
            "give the scenario file the shards ran with --scenario FILE; \
             if it was edited since, run the shards again",
        ));
    }
    Ok(scenario)
}

/// Reads data file `name` of a shard and checks it against the manifest.
fn read_verified(s: &ShardDir, name: &str) -> io::Result<Vec<u8>> {
    let entry = s.manifest.file(name).ok_or_else(|| {
        bad_input(
            format!("{} lists no {name}", s.label()),
            "the shard is damaged; run it again",
        )
    })?;
    let bytes = std::fs::read(s.path.join(name)).map_err(|e| {
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

fn changed(s: &ShardDir, name: &str) -> io::Error {
    bad_input(
        format!(
            "{name} of {} does not match the size and sha256 in its shard.json",
            s.label()
        ),
        "the file was damaged or changed after the shard ran; run the shard again",
    )
}

fn parse<T: DeserializeOwned>(s: &ShardDir, name: &str, bytes: &[u8]) -> io::Result<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        bad_input(
            format!("{name} of {} cannot be read: {e}", s.label()),
            "the shard is damaged; run it again",
        )
    })
}

/// The design points of every shard, in order.
fn points<T: DeserializeOwned>(shards: &[ShardDir]) -> io::Result<Vec<T>> {
    let mut all = Vec::new();
    for s in shards {
        let v: Vec<T> = parse(s, POINTS_JSON, &read_verified(s, POINTS_JSON)?)?;
        let want = s.manifest.range[1] - s.manifest.range[0];
        if v.len() as u64 != want {
            return Err(bad_input(
                format!(
                    "{POINTS_JSON} of {} holds {} points, not {want}",
                    s.label(),
                    v.len()
                ),
                "the shard is damaged; run it again",
            ));
        }
        all.extend(v);
    }
    Ok(all)
}

/// The sum of the shards' exact aggregates.
fn add_run_aggregates(model: &Model, shards: &[ShardDir]) -> io::Result<RunAggregate> {
    let mut total = RunAggregate::new(model);
    for s in shards {
        let agg: RunAggregate = parse(s, AGGREGATE_JSON, &read_verified(s, AGGREGATE_JSON)?)?;
        let want = s.manifest.range[1] - s.manifest.range[0];
        if !total.same_shape(&agg) || agg.trials != want {
            return Err(bad_input(
                format!(
                    "{AGGREGATE_JSON} of {} does not fit the scenario and its {want} trials",
                    s.label()
                ),
                "the shard is damaged; run it again",
            ));
        }
        total.merge(&agg);
    }
    Ok(total)
}

/// Concatenates the shards' `trials.csv` into `path`: one header (the same
/// in every part), then every part's rows in trial order. Each part is
/// hashed as it is copied and checked against its manifest.
fn concat_trials(shards: &[ShardDir], path: &Path) -> io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut header: Option<Vec<u8>> = None;
    let mut buf = vec![0u8; 1 << 16];
    for s in shards {
        let entry = s.manifest.file(TRIALS_CSV).ok_or_else(|| {
            bad_input(
                format!("{} lists no {TRIALS_CSV}", s.label()),
                "the shard is damaged; run it again",
            )
        })?;
        let file = File::open(s.path.join(TRIALS_CSV)).map_err(|e| {
            bad_input(
                format!("cannot read {TRIALS_CSV} of {}: {e}", s.label()),
                "the shard is damaged; run it again",
            )
        })?;
        let mut r = BufReader::with_capacity(1 << 20, file);
        let mut hasher = Sha256::new();
        let mut line = Vec::new();
        r.read_until(b'\n', &mut line)?;
        hasher.update(&line);
        let mut bytes = line.len() as u64;
        match &header {
            None => {
                out.write_all(&line)?;
                header = Some(line);
            }
            Some(h) if *h == line => {}
            Some(_) => {
                return Err(bad_input(
                    format!(
                        "the columns of {TRIALS_CSV} of {} differ from the first shard's",
                        s.label()
                    ),
                    "run the shards again with the same options",
                ));
            }
        }
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n])?;
            bytes += n as u64;
        }
        if bytes != entry.bytes || to_hex(&hasher.finalize()) != entry.sha256 {
            return Err(changed(s, TRIALS_CSV));
        }
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shard::{Shard, ShardManifest};

    fn shard(index: u64, count: u64, total: u64) -> ShardDir {
        let s = Shard::new(index, count).unwrap();
        let r = s.range(total);
        ShardDir {
            path: PathBuf::from(format!("s{index}of{count}")),
            manifest: ShardManifest {
                program: "brink".into(),
                format: crate::shard::FORMAT,
                work: WorkId {
                    brink_version: env!("CARGO_PKG_VERSION").into(),
                    scenario: "s".into(),
                    scenario_file: "s.toml".into(),
                    scenario_sha256: "ab".into(),
                    seed: 1,
                    work: Work::Run { trials: total },
                },
                output: "s".into(),
                scenario_path: PathBuf::from("s.toml"),
                shard: s,
                total,
                range: [r.start, r.end],
                command: Vec::new(),
                files: Vec::new(),
            },
        }
    }

    fn cover(shards: &[(u64, u64)], total: u64) -> Result<Vec<String>, String> {
        let dirs = shards.iter().map(|&(i, n)| shard(i, n, total)).collect();
        check_cover(dirs)
            .map(|v| v.iter().map(|s| s.manifest.shard.to_string()).collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn shards_of_different_splits_may_tile_the_work() {
        assert_eq!(
            cover(&[(3, 4), (0, 2), (2, 4)], 5003),
            Ok(vec!["0/2".into(), "2/4".into(), "3/4".into()])
        );
        // More shards than trials: the empty ones fit anywhere.
        assert!(cover(&[(0, 5), (1, 5), (2, 5), (3, 5), (4, 5)], 2).is_ok());
        assert!(cover(&[(0, 1)], 0).is_ok());
    }

    #[test]
    fn gaps_and_overlaps_name_the_shards() {
        let err = cover(&[(0, 4), (3, 4)], 5003).unwrap_err();
        assert!(err.contains("do not cover trials 1250..3752"), "{err}");
        assert!(err.contains("missing shard(s) 1/4, 2/4"), "{err}");
        let err = cover(&[(0, 2), (1, 4), (1, 2)], 5003).unwrap_err();
        assert!(err.contains("both cover trials 1250..2501"), "{err}");
        let err = cover(&[(1, 2), (0, 3)], 5003).unwrap_err();
        assert!(err.contains("1667..2501"), "{err}");
        assert!(!err.contains("missing shard(s)"), "{err}");
    }
}
