//! `brink run` end to end: outputs, reproducibility across thread counts,
//! every shipped scenario, and bad input.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{files, without_command};
use predicates::prelude::*;

fn brink() -> Command {
    Command::cargo_bin("brink").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run_baseline(out: &Path, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    brink()
        .current_dir(root())
        .args([
            "run",
            "scenarios/muscat-2026.toml",
            "--trials",
            "3000",
            "--out",
        ])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    files(&out.join("muscat-2026"))
}

#[test]
fn same_seed_gives_identical_bytes_with_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let one = run_baseline(&tmp.path().join("one"), &["--threads", "1", "--seed", "9"]);
    let two = run_baseline(&tmp.path().join("two"), &["--threads", "2", "--seed", "9"]);
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    // The manifest and the report record the command line, which names the
    // thread count: the report is compared without it, the manifest by the
    // hashes it lists for every other file.
    for (name, bytes) in &one {
        match name.as_str() {
            "manifest.json" => {}
            "report.html" => assert_eq!(
                without_command(bytes),
                without_command(&two[name]),
                "report.html differs beyond its command line"
            ),
            _ => assert!(
                bytes == &two[name],
                "{name} differs between 1 and 2 threads"
            ),
        }
    }
    let files_of = |m: &BTreeMap<String, Vec<u8>>| {
        let v: serde_json::Value = serde_json::from_slice(&m["manifest.json"]).unwrap();
        let mut files = v["files"].as_array().unwrap().clone();
        files.retain(|f| f["path"] != "report.html");
        files
    };
    assert_eq!(
        files_of(&one),
        files_of(&two),
        "manifests list the same hashes"
    );
    for required in [
        "summary.json",
        "trials.csv",
        "timeseries.csv",
        "manifest.json",
    ] {
        assert!(one.contains_key(required), "{required} written");
    }
}

#[test]
fn a_different_seed_gives_different_trials() {
    let tmp = tempfile::tempdir().unwrap();
    let a = run_baseline(&tmp.path().join("a"), &["--seed", "1"]);
    let b = run_baseline(&tmp.path().join("b"), &["--seed", "2"]);
    assert_ne!(a["trials.csv"], b["trials.csv"]);
}

#[test]
fn manifest_hashes_match_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_baseline(tmp.path(), &[]);
    let manifest: serde_json::Value = serde_json::from_slice(&out["manifest.json"]).unwrap();
    assert_eq!(manifest["seed"], 20_260_207);
    assert_eq!(manifest["trials"], 3000);
    for f in manifest["files"].as_array().unwrap() {
        let bytes = &out[f["path"].as_str().unwrap()];
        assert_eq!(
            f["sha256"].as_str().unwrap(),
            brink::scenario::load::hex_sha256(bytes)
        );
    }
    let csv = String::from_utf8(out["trials.csv"].clone()).unwrap();
    assert_eq!(csv.lines().count(), 3001, "header plus one row per trial");
}

#[test]
fn prints_outcomes_with_intervals() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .current_dir(root())
        .args([
            "run",
            "scenarios/muscat-2026.toml",
            "--trials",
            "1000",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("War ongoing"))
        .stdout(predicate::str::contains("95% interval"));
}

#[test]
fn every_shipped_scenario_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let mut n = 0;
    for e in fs::read_dir(root().join("scenarios")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "toml") {
            n += 1;
            brink()
                .args(["run", "--trials", "500", "--quiet", "--out"])
                .arg(tmp.path())
                .arg(&p)
                .assert()
                .success();
        }
    }
    assert!(n >= 1);
}

#[test]
fn small_scenario_summary_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args(["run", "--quiet", "--out"])
        .arg(tmp.path())
        .arg(root().join("tests/fixtures/snapshot/small.toml"))
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(tmp.path().join("small/summary.json")).unwrap()).unwrap();
    insta::assert_json_snapshot!("small_summary", summary, {".brink_version" => "[version]"});
}

#[test]
fn missing_file_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args(["run", "no/such/file.toml", "--out"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/file.toml"))
        .stderr(predicate::str::contains("cannot read"));
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn unknown_field_is_reported_with_position_and_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let original = fs::read_to_string(root().join("scenarios/muscat-2026.toml")).unwrap();
    let text = original.replacen("\nrationality = ", "\nrationalty = ", 1);
    assert_ne!(
        text, original,
        "the baseline has a `rationality` field to misspell"
    );
    let file = tmp.path().join("typo.toml");
    fs::write(&file, text).unwrap();
    brink()
        .args(["run", "--out"])
        .arg(tmp.path().join("out"))
        .arg(&file)
        .assert()
        .code(2)
        .stderr(
            predicate::str::is_match(r"typo\.toml:\d+:\d+: error: unknown field `rationalty`")
                .unwrap(),
        )
        .stderr(predicate::str::contains("did you mean `rationality`?"));
    assert!(
        !tmp.path().join("out").exists(),
        "no output directory for bad input"
    );
}
