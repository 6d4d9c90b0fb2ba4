//! Properties of `brink merge`: any split of a run into shards merges to
//! exactly the bytes of the unsharded run, and no edit of a shard, even
//! with its hashes fixed up to match, is silently accepted: the merge
//! either refuses it as bad input or (for an edit that changes nothing that
//! matters) writes exactly the untampered result.

mod common;

use common::shard_files::{manifest, write_manifest, write_rehashed};

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use brink::jobs::Cancel;
use brink::jobs::merge::{MergeOptions, merge};
use brink::jobs::run::{RunOptions, run_scenario};
use brink::scenario::Scenario;
use brink::shard::{Durability, Shard};
use proptest::prelude::*;
use serde_json::{Value, json};

fn scenario() -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot/small.toml");
    brink::scenario::load(&path).unwrap().0
}

fn options(out: &Path, trials: u64, shard: Option<Shard>) -> RunOptions {
    RunOptions {
        trials: Some(trials),
        seed: None,
        threads: 1,
        out_root: out.to_path_buf(),
        command: vec!["brink".into()],
        plots: false,
        precision: None,
        durability: Durability {
            shard,
            ..Durability::default()
        },
        format: brink::export::Format::Csv,
        spread: Default::default(),
        given: Vec::new(),
        no_trials_table: false,
    }
}

/// Runs the `n` shards of a run of `trials` trials into `out`; returns
/// their folders in shard order.
fn shards(s: &Scenario, out: &Path, trials: u64, n: u64) -> Vec<PathBuf> {
    (0..n)
        .map(|i| {
            let shard = Shard::new(i, n).unwrap();
            let r = run_scenario(
                s,
                &options(out, trials, Some(shard)),
                &mut |_| {},
                Cancel::never(),
            );
            r.unwrap().out_dir.unwrap()
        })
        .collect()
}

fn merged(dirs: &[PathBuf], out: &Path) -> io::Result<PathBuf> {
    let opts = MergeOptions {
        out_root: out.to_path_buf(),
        scenario: None,
        command: vec!["brink".into()],
        plots: false,
        spread: Default::default(),
    };
    merge(dirs, &opts).map(|r| r.dir)
}

/// The files that are not the same in two result folders (by name).
fn differing(a: &Path, b: &Path) -> Vec<String> {
    let (a, b) = (common::files(a), common::files(b));
    let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    names
        .into_iter()
        .filter(|n| a.get(*n) != b.get(*n))
        .cloned()
        .collect()
}

/// Counts of the aggregate that an edit may change (`var_sums`, fixed-point
/// sums of the state variables at each step, are not counts).
const COUNTS: [&str; 9] = [
    "trials",
    "outcome_counts",
    "outcome_steps",
    "max_rung_counts",
    "rung_occupancy",
    "escalation_hist",
    "move_counts",
    "move_trials",
    "incidents",
];

/// One edit of one shard.
#[derive(Debug, Clone)]
enum Tamper {
    /// Adds `delta` (wrapping, so also to the largest integer) to a count.
    Count { field: usize, at: usize, delta: u64 },
    /// Cuts off the last row of `trials.csv`.
    Truncate,
    /// Repeats a row of `trials.csv` in place of the next.
    Duplicate { at: usize },
    /// Drops a row of `trials.csv`.
    Drop { at: usize },
    /// Swaps the shard and range of this shard and another.
    SwapLabels { other: usize },
    /// Sets the range.
    Range { start: u64, end: u64 },
    /// Sets the total.
    Total { total: u64 },
    /// Sets the result folder name.
    Output { name: usize },
    /// Sets the seed of every shard.
    Seed { seed: u64 },
}

const NAMES: [&str; 6] = ["small", "Documents", "../small", ".small", "a/b", "small\n"];

fn tamper() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        4 => (
            0..COUNTS.len(),
            0usize..64,
            prop_oneof![Just(1u64), Just(u64::MAX), 1u64..5]
        )
            .prop_map(|(field, at, delta)| Tamper::Count { field, at, delta }),
        1 => Just(Tamper::Truncate),
        1 => (0usize..64).prop_map(|at| Tamper::Duplicate { at }),
        1 => (0usize..64).prop_map(|at| Tamper::Drop { at }),
        1 => (0usize..6).prop_map(|other| Tamper::SwapLabels { other }),
        1 => (0u64..40, 0u64..40).prop_map(|(start, end)| Tamper::Range { start, end }),
        1 => (0u64..40).prop_map(|total| Tamper::Total { total }),
        1 => (0..NAMES.len()).prop_map(|name| Tamper::Output { name }),
        1 => (40u64..45).prop_map(|seed| Tamper::Seed { seed }),
    ]
}

fn apply(t: &Tamper, dirs: &[PathBuf], k: usize) {
    let dir = &dirs[k];
    let rows = |dir: &Path| -> Vec<String> {
        let csv = fs::read_to_string(dir.join("trials.csv")).unwrap();
        csv.lines().map(|l| format!("{l}\n")).collect()
    };
    match t {
        Tamper::Count { field, at, delta } => {
            let mut a: Value =
                serde_json::from_slice(&fs::read(dir.join("aggregate.json")).unwrap()).unwrap();
            let v = &mut a[COUNTS[*field]];
            let cell = if v.is_array() {
                let cells = v.as_array_mut().unwrap();
                let i = at % cells.len();
                &mut cells[i]
            } else {
                v
            };
            *cell = json!(cell.as_u64().unwrap().wrapping_add(*delta));
            write_rehashed(dir, "aggregate.json", &serde_json::to_vec(&a).unwrap());
        }
        Tamper::Truncate | Tamper::Duplicate { .. } | Tamper::Drop { .. } => {
            let mut r = rows(dir);
            let n = r.len() - 1;
            if n > 0 {
                match t {
                    Tamper::Truncate => {
                        r.pop();
                    }
                    Tamper::Duplicate { at } => {
                        let at = 1 + at % n;
                        let row = r[at].clone();
                        r.insert(at, row);
                        r.pop();
                    }
                    Tamper::Drop { at } => {
                        r.remove(1 + at % n);
                    }
                    _ => unreachable!(),
                }
            }
            write_rehashed(dir, "trials.csv", r.concat().as_bytes());
        }
        Tamper::SwapLabels { other } => {
            let other = &dirs[other % dirs.len()];
            let (mut a, mut b) = (manifest(dir), manifest(other));
            for field in ["shard", "range"] {
                let t = a[field].clone();
                a[field] = b[field].clone();
                b[field] = t;
            }
            write_manifest(dir, &a);
            write_manifest(other, &b);
        }
        Tamper::Range { start, end } => {
            let mut m = manifest(dir);
            m["range"] = json!([start, end]);
            write_manifest(dir, &m);
        }
        Tamper::Total { total } => {
            let mut m = manifest(dir);
            m["total"] = json!(total);
            write_manifest(dir, &m);
        }
        Tamper::Seed { seed } => {
            for d in dirs {
                let mut m = manifest(d);
                m["work"]["seed"] = json!(seed);
                write_manifest(d, &m);
            }
        }
        Tamper::Output { name } => {
            let mut m = manifest(dir);
            m["output"] = json!(NAMES[*name]);
            write_manifest(dir, &m);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_split_merges_to_the_single_run(trials in 0u64..40, n in 1u64..6) {
        let s = scenario();
        let tmp = tempfile::tempdir().unwrap();
        let single = run_scenario(&s, &options(&tmp.path().join("single"), trials, None), &mut |_| {}, Cancel::never())
            .unwrap()
            .out_dir
            .unwrap();
        let dirs = shards(&s, &tmp.path().join("shards"), trials, n);
        let mut reversed = dirs.clone();
        reversed.reverse();
        let dir = merged(&reversed, &tmp.path().join("merged")).unwrap();
        let differ = differing(&single, &dir);
        prop_assert!(differ.is_empty(), "{} shards differ in {:?}", n, differ);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn tampered_shards_are_never_silently_accepted(
        trials in 1u64..40,
        n in 1u64..6,
        k in 0usize..6,
        t in tamper(),
    ) {
        let s = scenario();
        let tmp = tempfile::tempdir().unwrap();
        let dirs = shards(&s, &tmp.path().join("shards"), trials, n);
        let good = merged(&dirs, &tmp.path().join("good")).unwrap();
        let k = k % dirs.len();
        apply(&t, &dirs, k);
        match merged(&dirs, &tmp.path().join("tampered")) {
            Err(e) => prop_assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{}", e),
            Ok(dir) => {
                let differ = differing(&good, &dir);
                prop_assert!(
                    differ.is_empty(),
                    "{:?} of shard {} accepted with another {:?}",
                    t,
                    k,
                    differ
                );
            }
        }
    }
}
