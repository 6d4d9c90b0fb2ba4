//! What `brink merge` checks of the shard manifests before it reads any
//! data: the shards are of one work made by this program, every field it
//! uses is sound (the result folder is the plain name the work implies, the
//! unit count is the work's, each range is its shard's), the ranges tile
//! the work exactly once (ordered by range, never by label), and the
//! scenario file is the one the shards ran.

use std::io;
use std::path::Path;

use crate::input::read_limited;
use crate::scenario::Scenario;
use crate::scenario::load::{MAX_FILE_BYTES, hex_sha256, load_bytes};

use super::manifest::ShardDir;
use super::{Work, WorkId, bad_input};

/// All shards are of one work, made by this program.
pub fn check_same_work(shards: &[ShardDir]) -> io::Result<()> {
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
        if m.table_format != s.manifest.table_format {
            diffs.push(format!(
                "tables as {} vs {}",
                m.table_format.name(),
                s.manifest.table_format.name()
            ));
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
                 counts, --format and brink version",
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
    let expected = expected_output(&m.work);
    if m.output != expected {
        return Err(bad_input(
            format!(
                "{} names the result folder `{}`, but its work's is `{expected}`",
                first.label(),
                m.output.escape_debug()
            ),
            "the shard manifest is damaged or was edited; run the shard again",
        ));
    }
    if let Some(units) = units_of(&m.work.work)
        && m.total != units
    {
        return Err(bad_input(
            format!(
                "{} counts {} {} in all, but its work has {units}",
                first.label(),
                m.total,
                m.work.work.units()
            ),
            "the shard manifest is damaged or was edited; run the shard again",
        ));
    }
    Ok(())
}

/// Orders the shards by their ranges and checks that they cover the units
/// `0..total` exactly once.
pub fn check_cover(mut shards: Vec<ShardDir>) -> io::Result<Vec<ShardDir>> {
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

/// The result folder the work's merged result goes to: the scenario's
/// name for a run, `sweep-<scenario>-<parameter>` or
/// `sensitivity-<scenario>`.
pub fn expected_output(work: &WorkId) -> String {
    work.output()
}

/// The units of the whole work, where the work alone tells (the design
/// points of a sensitivity analysis need the scenario).
fn units_of(work: &Work) -> Option<u64> {
    match work {
        Work::Run { trials }
        | Work::Compare { trials, .. }
        | Work::Discover { trials, .. }
        | Work::Forecast { trials, .. } => Some(*trials),
        Work::Sweep { values, .. } => Some(values.len() as u64),
        Work::Experiment { points, .. } => Some(*points),
        Work::Calibrate { samples, .. } | Work::SuiteCalibrate { samples, .. } => {
            Some((*samples).max(1))
        }
        Work::Sensitivity { .. } => None,
    }
}

/// Reloads the scenario from `path` (`source` says where the path comes
/// from, for messages) and checks that it is the one the shards ran. The file must be a regular `.toml` file within the size of
/// scenario files. Nothing of its content is shown unless its sha256 is the
/// one the shards ran with: a file that is not the scenario (a damaged
/// `scenario_path`, a wrong `--scenario`) is named, never quoted.
pub fn load_scenario(path: &Path, source: &str, work: &WorkId) -> io::Result<Scenario> {
    let hint = "give the scenario file the shards ran with --scenario FILE";
    if path.extension().is_none_or(|e| e != "toml") {
        return Err(bad_input(
            format!(
                "the scenario file {} ({source}) is not a .toml file",
                path.display()
            ),
            hint,
        ));
    }
    let bytes = read_limited(path, MAX_FILE_BYTES as u64)
        .map_err(|e| bad_input(format!("cannot read the scenario ({source}): {e}"), hint))?;
    let own = hex_sha256(&bytes);
    let not_it = |detail: String| {
        bad_input(
            format!(
                "{} ({source}) is not the scenario the shards ran ({detail})",
                path.display()
            ),
            "give the scenario file the shards ran with --scenario FILE; \
             if it was edited since, run the shards again",
        )
    };
    let scenario = match load_bytes(path, &bytes) {
        Ok((s, _warnings)) => s,
        // Quoted only when it is the very file the shards ran.
        Err(diags) if own == work.scenario_sha256 => {
            return Err(bad_input(
                format!(
                    "cannot load the scenario of the shards, {}:\n{diags}",
                    path.display()
                ),
                hint,
            ));
        }
        Err(_) => {
            return Err(not_it(format!(
                "it does not load, and its sha256 {own} is not the shards' {}",
                work.scenario_sha256
            )));
        }
    };
    let mut scenario = scenario;
    let assignments: Vec<String> = work
        .scenario_overrides
        .iter()
        .map(|o| format!("{}={:?}", o.path, o.value))
        .collect();
    if let Err(errors) = crate::scenario::params::apply_overrides(&mut scenario, &assignments) {
        let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(not_it(format!(
            "the values the shards set do not apply: {}",
            all.join("; ")
        )));
    }
    let here = WorkId::new(&scenario, work.seed, work.work.clone());
    let diffs = work.differences(&here);
    if !diffs.is_empty() {
        return Err(not_it(format!("shards vs file: {}", diffs.join(", "))));
    }
    Ok(scenario)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shard::{Shard, ShardManifest};
    use std::path::PathBuf;

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
                    scenario_overrides: Vec::new(),
                    seed: 1,
                    work: Work::Run { trials: total },
                },
                table_format: crate::export::Format::Csv,
                output: "s".into(),
                scenario_path: PathBuf::from("s.toml"),
                shard: s,
                total,
                range: [r.start, r.end],
                inputs: Vec::new(),
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
