//! `brink sweep`, `brink sensitivity` and `brink discover` end to end.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;

fn brink() -> Command {
    Command::cargo_bin("brink").unwrap()
}

fn baseline() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios/muscat-2026.toml")
}

fn json(path: PathBuf) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

#[test]
fn sweep_writes_a_point_per_value_and_is_thread_independent() {
    let tmp = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = tmp.path().join(threads);
        brink()
            .args([
                "sweep",
                "--param",
                "actors.iran.reciprocity",
                "--range",
                "0:1.6:3",
                "--trials",
                "1500",
                "--threads",
                threads,
                "--out",
            ])
            .arg(&out)
            .arg(baseline())
            .assert()
            .success()
            .stdout(predicate::str::contains("War ongoing"));
        let dir = out.join("sweep-muscat-2026-actors-iran-reciprocity");
        outputs.push((
            fs::read(dir.join("sweep.json")).unwrap(),
            fs::read(dir.join("sweep.csv")).unwrap(),
        ));
    }
    assert_eq!(outputs[0], outputs[1], "same bytes with 1 and 2 threads");
    let v: serde_json::Value = serde_json::from_slice(&outputs[0].0).unwrap();
    let points = v["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    assert_eq!(points[1]["value"], 0.8);
    // More reciprocity from Iran makes a deal more likely (common random numbers keep this sharp).
    let deal = |k: usize| points[k]["outcomes"][0]["probability"].as_f64().unwrap();
    assert!(deal(0) < deal(2), "deal {} -> {}", deal(0), deal(2));
}

#[test]
fn sweep_rejects_unknown_parameters_and_bad_values() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args([
            "sweep",
            "--param",
            "actors.iran.reciprocty",
            "--values",
            "0.1",
            "--out",
        ])
        .arg(tmp.path())
        .arg(baseline())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "did you mean `actors.iran.reciprocity`,",
        ));
    brink()
        .args([
            "sweep",
            "--param",
            "initial.trust",
            "--values",
            "0.1,1.5",
            "--out",
        ])
        .arg(tmp.path())
        .arg(baseline())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("outside the valid range"));
    brink()
        .args([
            "sweep",
            "--param",
            "initial.trust",
            "--range",
            "0:1",
            "--out",
        ])
        .arg(tmp.path())
        .arg(baseline())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("LOW:HIGH:N"));
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn sensitivity_reports_indices_for_every_uncertain_parameter() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args([
            "sensitivity",
            "--samples",
            "16",
            "--trials-per-sample",
            "40",
            "--bootstrap",
            "50",
            "--quiet",
            "--out",
        ])
        .arg(tmp.path())
        .arg(baseline())
        .assert()
        .success();
    let v = json(tmp.path().join("sensitivity-muscat-2026/sensitivity.json"));
    let params = v["parameters"].as_array().unwrap().len();
    assert!(params >= 5);
    assert_eq!(v["evaluations"], 16 * (params as u64 + 2));
    let outputs = v["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 9);
    for o in outputs {
        assert_eq!(o["indices"].as_array().unwrap().len(), params);
    }
    assert!(
        tmp.path()
            .join("sensitivity-muscat-2026/sensitivity.csv")
            .exists()
    );
}

#[test]
fn sensitivity_needs_uncertain_parameters() {
    let tmp = tempfile::tempdir().unwrap();
    let small =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/snapshot/small.toml");
    brink()
        .args(["sensitivity", "--out"])
        .arg(tmp.path())
        .arg(small)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no uncertain parameters"));
}

#[test]
fn discover_finds_a_box_and_ranks_parameters() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args(["discover", "--trials", "3000", "--out"])
        .arg(tmp.path())
        .arg(baseline())
        .assert()
        .success()
        .stdout(predicate::str::contains("PRIM box"));
    let v = json(
        tmp.path()
            .join("discover-muscat-2026-war_ongoing/discovery.json"),
    );
    let box_density = v["prim"]["pasted"]["density"].as_f64().unwrap();
    assert!(
        box_density > v["base_rate"].as_f64().unwrap(),
        "the box concentrates war"
    );
    let ranking = v["ranking"].as_array().unwrap();
    let ks: Vec<f64> = ranking.iter().map(|r| r["ks"].as_f64().unwrap()).collect();
    assert!(ks.windows(2).all(|w| w[0] >= w[1]), "sorted by separation");
}
