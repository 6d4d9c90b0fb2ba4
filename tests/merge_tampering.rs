//! `brink merge` never trusts edited shard data: an aggregate, a part of
//! `trials.csv` or a `shard.json` edited with its hashes fixed up to match
//! is refused with exit status 2 and a message naming the file, and nothing
//! is written.

mod common;

use common::shard_files::{manifest, write_manifest, write_rehashed};

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{Value, json};

fn brink() -> Command {
    let mut c = Command::cargo_bin("brink").unwrap();
    for v in [
        "SLURM_ARRAY_TASK_ID",
        "JOB_COMPLETION_INDEX",
        "BRINK_SHARDS",
    ] {
        c.env_remove(v);
    }
    c
}

fn small() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot/small.toml")
}

/// The three shards of a 3000-trial run of the small scenario.
fn shards(tmp: &Path) -> Vec<PathBuf> {
    let out = tmp.join("shards");
    (0..3)
        .map(|i| {
            brink()
                .arg("run")
                .arg(small())
                .args(["--trials", "3000", "--threads", "1", "--quiet"])
                .args(["--shard", &format!("{i}/3"), "--out"])
                .arg(&out)
                .assert()
                .success();
            out.join(format!("small.shard-{i}-of-3"))
        })
        .collect()
}

/// A copy of shard folder `from` at `to`.
fn copy(from: &Path, to: &Path) -> PathBuf {
    fs::create_dir_all(to).unwrap();
    for (name, bytes) in common::files(from) {
        fs::write(to.join(name), bytes).unwrap();
    }
    to.to_path_buf()
}

/// Merging `dirs` fails with exit status 2, a message holding every part
/// of `message`, and writes nothing.
fn refused(dirs: &[PathBuf], message: &[&str]) -> String {
    let out = tempfile::tempdir().unwrap();
    let a = brink()
        .arg("merge")
        .args(dirs)
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    for m in message {
        assert!(stderr.contains(m), "`{m}` not in: {stderr}");
    }
    assert!(stderr.contains("hint:"), "{stderr}");
    assert_eq!(fs::read_dir(out.path()).unwrap().count(), 0, "{stderr}");
    stderr
}

/// `dirs` with shard `k` replaced by a copy edited by `edit`.
fn with_edited(
    tmp: &Path,
    dirs: &[PathBuf],
    k: usize,
    tag: &str,
    edit: impl FnOnce(&Path),
) -> Vec<PathBuf> {
    let to = copy(
        &dirs[k],
        &tmp.join(tag).join(format!("small.shard-{k}-of-3")),
    );
    edit(&to);
    let mut v = dirs.to_vec();
    v[k] = to;
    v
}

fn aggregate(dir: &Path) -> Value {
    serde_json::from_slice(&fs::read(dir.join("aggregate.json")).unwrap()).unwrap()
}

fn write_aggregate(dir: &Path, v: &Value) {
    write_rehashed(dir, "aggregate.json", &serde_json::to_vec(v).unwrap());
}

#[test]
fn edited_aggregate_with_a_matching_hash_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path());
    brink()
        .arg("merge")
        .args(&dirs)
        .arg("--out")
        .arg(tmp.path().join("ok"))
        .assert()
        .success();

    // A count set to the largest integer: it would wrap when added.
    let max = with_edited(tmp.path(), &dirs, 1, "max", |d| {
        let mut a = aggregate(d);
        a["outcome_counts"][0] = json!(u64::MAX);
        write_aggregate(d, &a);
    });
    refused(
        &max,
        &["aggregate.json", "small.shard-1-of-3", "outcome counts"],
    );

    // One trial moved from one outcome to another: the totals still add up,
    // but not the outcome-by-step counts.
    let moved = |a: &mut Value| {
        let counts = a["outcome_counts"].as_array_mut().unwrap();
        let from = counts.iter().position(|c| c.as_u64().unwrap() > 0).unwrap();
        let to = (from + 1) % counts.len();
        counts[from] = json!(counts[from].as_u64().unwrap() - 1);
        counts[to] = json!(counts[to].as_u64().unwrap() + 1);
        (from, to)
    };
    let shifted = with_edited(tmp.path(), &dirs, 1, "shifted", |d| {
        let mut a = aggregate(d);
        moved(&mut a);
        write_aggregate(d, &a);
    });
    refused(&shifted, &["aggregate.json", "step counts of outcome"]);

    // The same, with the outcome-by-step counts edited to match: the rows
    // of trials.csv tell.
    let covered = with_edited(tmp.path(), &dirs, 1, "covered", |d| {
        let mut a = aggregate(d);
        let (from, to) = moved(&mut a);
        let steps = a["horizon"].as_u64().unwrap() as usize + 1;
        let table = a["outcome_steps"].as_array_mut().unwrap();
        let t = (0..steps)
            .find(|&t| table[from * steps + t].as_u64().unwrap() > 0)
            .unwrap();
        table[from * steps + t] = json!(table[from * steps + t].as_u64().unwrap() - 1);
        table[to * steps + t] = json!(table[to * steps + t].as_u64().unwrap() + 1);
        write_aggregate(d, &a);
    });
    refused(
        &covered,
        &["trials.csv", "small.shard-1-of-3", "outcome counts"],
    );

    // More trials than the shard's range.
    let more = with_edited(tmp.path(), &dirs, 2, "more", |d| {
        let mut a = aggregate(d);
        a["trials"] = json!(1001);
        write_aggregate(d, &a);
    });
    refused(&more, &["aggregate.json", "1001 trials, not 1000"]);
}

#[test]
fn swapped_shard_labels_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path());
    let a = copy(&dirs[0], &tmp.path().join("swap/a"));
    let b = copy(&dirs[2], &tmp.path().join("swap/b"));
    let (mut ma, mut mb) = (manifest(&a), manifest(&b));
    for field in ["shard", "range"] {
        let t = ma[field].clone();
        ma[field] = mb[field].clone();
        mb[field] = t;
    }
    write_manifest(&a, &ma);
    write_manifest(&b, &mb);
    refused(
        &[a.clone(), dirs[1].clone(), b.clone()],
        &["trials.csv", "not trial 0", "out of order"],
    );

    // A label that disagrees with its range.
    let mut m = manifest(&dirs[1]);
    m["shard"]["index"] = json!(2);
    let c = copy(&dirs[1], &tmp.path().join("label/c"));
    write_manifest(&c, &m);
    refused(
        &[dirs[0].clone(), c, dirs[2].clone()],
        &["label/c", "lists the range 1000..2000"],
    );
}

#[test]
fn trials_csv_with_missing_or_repeated_rows_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path());
    let csv = fs::read_to_string(dirs[1].join("trials.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    let join = |rows: &[&str]| rows.iter().map(|l| format!("{l}\n")).collect::<String>();

    let half = with_edited(tmp.path(), &dirs, 1, "half", |d| {
        write_rehashed(d, "trials.csv", join(&lines[..501]).as_bytes());
    });
    refused(
        &half,
        &["trials.csv", "small.shard-1-of-3", "500 rows, not 1000"],
    );

    let mut dropped = lines.clone();
    dropped.remove(300);
    let dropped = with_edited(tmp.path(), &dirs, 1, "dropped", |d| {
        write_rehashed(d, "trials.csv", join(&dropped).as_bytes());
    });
    refused(&dropped, &["trials.csv", "not trial 1299"]);

    let mut repeated = lines.clone();
    repeated.insert(300, lines[300]);
    repeated.pop();
    let repeated = with_edited(tmp.path(), &dirs, 1, "repeated", |d| {
        write_rehashed(d, "trials.csv", join(&repeated).as_bytes());
    });
    refused(&repeated, &["trials.csv", "repeated"]);

    // A row edited to another outcome.
    let row = lines[10];
    let fields: Vec<&str> = row.split(',').collect();
    let other = if fields[1] == "standoff" {
        "deal"
    } else {
        "standoff"
    };
    let edited_row = row.replacen(fields[1], other, 1);
    let edited = with_edited(tmp.path(), &dirs, 1, "edited", |d| {
        let mut v = lines.clone();
        v[10] = &edited_row;
        write_rehashed(d, "trials.csv", join(&v).as_bytes());
    });
    refused(&edited, &["trials.csv", "outcome counts"]);

    // A final state variable of a row in the middle: the last step's sums.
    let trust = lines[0]
        .split(',')
        .position(|c| c == "final_trust")
        .unwrap();
    let mut fields: Vec<&str> = lines[10].split(',').collect();
    fields[trust] = "0.123456789";
    let edited_row = fields.join(",");
    let edited = with_edited(tmp.path(), &dirs, 1, "final", |d| {
        let mut v = lines.clone();
        v[10] = &edited_row;
        write_rehashed(d, "trials.csv", join(&v).as_bytes());
    });
    refused(&edited, &["trials.csv", "final variable sums"]);
}

#[test]
fn shard_manifest_fields_are_checked_before_use() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path());
    let edit = |tag: &str, f: &dyn Fn(&mut Value)| {
        with_edited(tmp.path(), &dirs, 0, tag, |d| {
            let mut m = manifest(d);
            f(&mut m);
            write_manifest(d, &m);
        })
    };

    // `output` must be the plain folder name the work implies: an existing
    // folder of that name is never touched.
    let out = tmp.path().join("out");
    fs::create_dir_all(out.join("Documents")).unwrap();
    fs::write(out.join("Documents/keep.txt"), "mine").unwrap();
    let documents: Vec<PathBuf> = dirs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let to = copy(d, &tmp.path().join(format!("docs/small.shard-{i}-of-3")));
            let mut m = manifest(&to);
            m["output"] = json!("Documents");
            write_manifest(&to, &m);
            to
        })
        .collect();
    brink()
        .arg("merge")
        .args(&documents)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("shard.json").or(predicate::str::contains("shard 0/3")))
        .stderr(predicate::str::contains("`Documents`"));
    assert_eq!(
        fs::read_to_string(out.join("Documents/keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);

    for bad in ["../small", ".small", "a/small", "small\u{7}", "..", ""] {
        let v = edit("output", &|m| m["output"] = json!(bad));
        refused(&v, &["shard.json", "not a plain folder name"]);
    }

    // The shard and its range.
    let v = edit("count", &|m| m["shard"]["count"] = json!(0));
    refused(&v, &["shard.json", "at least 1"]);
    let v = edit("index", &|m| m["shard"]["index"] = json!(5));
    refused(&v, &["shard.json", "does not exist"]);
    let v = edit("label", &|m| {
        m["total"] = json!(3300);
        m["range"] = json!([0, 1100]);
    });
    refused(&v, &["label", "units 3300 vs 3000"]);

    // `scenario_path`: never read unless a .toml file, never quoted unless
    // it is the scenario the shards ran.
    let v = edit("passwd", &|m| m["scenario_path"] = json!("/etc/passwd"));
    let err = refused(&v, &["/etc/passwd", "not a .toml file", "shard.json"]);
    assert!(!err.contains("root:"), "{err}");
    let secret = tmp.path().join("secret.toml");
    fs::write(&secret, "root:x:0:0:root:/root:/bin/bash\n[scenario]\n").unwrap();
    let v = edit("secret", &|m| m["scenario_path"] = json!(secret));
    let err = refused(&v, &["secret.toml", "is not the scenario the shards ran"]);
    assert!(!err.contains("root:x"), "{err}");
    let v = edit("folder", &|m| {
        m["scenario_path"] = json!(tmp.path().join("shards"))
    });
    refused(&v, &["not a .toml file"]);
    let folder = tmp.path().join("folder.toml");
    fs::create_dir_all(&folder).unwrap();
    let v = edit("folder2", &|m| m["scenario_path"] = json!(folder));
    refused(&v, &["folder.toml", "not a regular file"]);
}

#[test]
fn shards_relabelled_with_another_seed_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dirs = shards(tmp.path());
    // Every shard says seed 43; their trials ran with the scenario's 42.
    let relabelled: Vec<PathBuf> = dirs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let to = copy(d, &tmp.path().join(format!("seed/small.shard-{i}-of-3")));
            let mut m = manifest(&to);
            assert_eq!(m["work"]["seed"], 42);
            m["work"]["seed"] = json!(43);
            write_manifest(&to, &m);
            to
        })
        .collect();
    refused(
        &relabelled,
        &["trials.csv", "small.shard-0-of-3", "when run again"],
    );

    // A field no total checks (the last row's talks flag), edited.
    let csv = fs::read_to_string(dirs[2].join("trials.csv")).unwrap();
    let mut lines: Vec<String> = csv.lines().map(String::from).collect();
    let last = lines.pop().unwrap();
    let mut fields: Vec<&str> = last.split(',').collect();
    let flipped = if fields[10] == "0" { "1" } else { "0" };
    fields[10] = flipped;
    lines.push(fields.join(","));
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let edited = with_edited(tmp.path(), &dirs, 2, "final", |d| {
        write_rehashed(d, "trials.csv", text.as_bytes());
    });
    refused(
        &edited,
        &["trials.csv", "row of trial 2999", "when run again"],
    );
}
