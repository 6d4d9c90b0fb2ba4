//! Runs that stop at the precision asked for: where they stop follows from the
//! interval formula applied at chunk boundaries, and nothing else.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use brink::stats::wilson95_half_width;
use brink::world::Outcome;

fn brink() -> Command {
    Command::cargo_bin("brink").unwrap()
}

fn baseline() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/muscat-2026.toml")
}

fn outcomes_of(dir: &Path) -> Vec<String> {
    let mut r = csv::Reader::from_path(dir.join("trials.csv")).unwrap();
    r.records().map(|rec| rec.unwrap()[1].to_string()).collect()
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap()
}

/// The first multiple of 1024 trials at which every named outcome's 95%
/// half-width is at most `h`, computed from the outcomes of a longer run.
fn expected_stop(outcomes: &[String], keys: &[&str], h: f64) -> Option<usize> {
    (1..=outcomes.len() / 1024).map(|k| k * 1024).find(|&n| {
        keys.iter().all(|key| {
            let c = outcomes[..n].iter().filter(|o| o == key).count() as u64;
            wilson95_half_width(c, n as u64) <= h
        })
    })
}

/// Every outcome key, as `--precision-on` accepts them.
fn all_keys() -> Vec<&'static str> {
    Outcome::keys().to_vec()
}

#[test]
fn stops_where_the_interval_formula_says_whatever_the_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let full = tmp.path().join("full");
    brink()
        .args(["run", "--no-plots", "--quiet", "--trials", "12288", "--out"])
        .arg(&full)
        .arg(baseline())
        .assert()
        .success();
    let all = outcomes_of(&full.join("muscat-2026"));
    let h = 0.012;
    let expected = expected_stop(&all, &all_keys(), h).expect("reachable within 12288 trials");
    let mut bytes = Vec::new();
    for threads in ["1", "2"] {
        let out = tmp.path().join(threads);
        brink()
            .args([
                "run",
                "--no-plots",
                "--precision",
                "0.012",
                "--threads",
                threads,
                "--out",
            ])
            .arg(&out)
            .arg(baseline())
            .assert()
            .success()
            .stdout(predicates::str::contains(format!(
                "stopped after {expected} trials: target met"
            )));
        let dir = out.join("muscat-2026");
        let s = summary(&dir);
        assert_eq!(s["trials"], expected as u64);
        assert_eq!(s["stopping"]["trials_used"], expected as u64);
        assert_eq!(s["stopping"]["target_met"], true);
        assert!(s["stopping"]["widest_half_width"].as_f64().unwrap() <= h);
        // The trials are the first ones of the longer run.
        assert_eq!(outcomes_of(&dir), all[..expected].to_vec());
        bytes.push((
            fs::read(dir.join("summary.json")).unwrap(),
            fs::read(dir.join("trials.csv")).unwrap(),
        ));
    }
    assert!(
        bytes[0] == bytes[1],
        "identical outputs with 1 and 2 threads"
    );
}

#[test]
fn precision_on_named_outcomes_only() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args(["run", "--no-plots", "--quiet", "--trials", "8192", "--out"])
        .arg(tmp.path().join("full"))
        .arg(baseline())
        .assert()
        .success();
    let all = outcomes_of(&tmp.path().join("full/muscat-2026"));
    let expected = expected_stop(&all, &["war_ongoing"], 0.015).unwrap();
    assert!(expected < expected_stop(&all, &all_keys(), 0.015).unwrap_or(usize::MAX));
    brink()
        .args([
            "run",
            "--no-plots",
            "--quiet",
            "--precision",
            "0.015",
            "--precision-on",
            "war_ongoing",
            "--out",
        ])
        .arg(tmp.path().join("war"))
        .arg(baseline())
        .assert()
        .success();
    let s = summary(&tmp.path().join("war/muscat-2026"));
    assert_eq!(s["trials"], expected as u64);
    assert_eq!(
        s["stopping"]["outcomes"],
        serde_json::json!(["war_ongoing"])
    );
}

#[test]
fn max_trials_ends_a_run_that_cannot_reach_the_target() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args([
            "run",
            "--no-plots",
            "--precision",
            "0.001",
            "--max-trials",
            "3000",
            "--out",
        ])
        .arg(tmp.path())
        .arg(baseline())
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "stopped after 3000 trials: max trials reached",
        ));
    let s = summary(&tmp.path().join("muscat-2026"));
    assert_eq!(s["stopping"]["target_met"], false);
    assert_eq!(s["stopping"]["reason"], "max trials reached");
}

#[test]
fn precision_is_checked() {
    for bad in ["0", "-0.1", "0.7"] {
        brink()
            .args(["run", "--precision", bad])
            .arg(baseline())
            .assert()
            .code(2);
    }
    brink()
        .args(["run", "--precision", "0.01", "--trials", "100"])
        .arg(baseline())
        .assert()
        .code(2);
}
