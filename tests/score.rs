//! `brink score` checked against scores computed by hand, and end to end:
//! exit codes, error messages, the files written.
//!
//! The fixtures `tests/fixtures/score/{alpha,beta}.forecast.json` hold five
//! resolved questions. Each forecast is scored as `q = (hits + 1/2) /
//! (kept + 1)`:
//!
//! | question | hits / kept | q     | happened | Brier (q - y)^2 | log score -ln q(y)        |
//! |----------|-------------|-------|----------|-----------------|---------------------------|
//! | alpha/a1 | 7 / 9       | 0.75  | yes      | 0.0625          | -ln 0.75  = 0.287682072   |
//! | alpha/a2 | 2 / 9       | 0.25  | no       | 0.0625          | -ln 0.75  = 0.287682072   |
//! | alpha/a3 | 0 / 9       | 0.05  | yes      | 0.9025          | -ln 0.05  = 2.995732274   |
//! | beta/b1  | 3 / 3       | 0.875 | yes      | 0.015625        | -ln 0.875 = 0.133531393   |
//! | beta/b2  | 1 / 3       | 0.375 | no       | 0.140625        | -ln 0.625 = 0.470003629   |
//!
//! (alpha/a4 and beta/b3 are not resolved and are skipped.)
//!
//! Mean Brier = (0.0625 + 0.0625 + 0.9025 + 0.015625 + 0.140625) / 5 =
//! 1.18375 / 5 = 0.23675. Mean log = 4.174631440 / 5 = 0.834926288.
//!
//! Base rate, leave-one-out, 3 of 5 happened: a question that happened
//! sees 2 of the 4 others, `(2 + 1/2) / (4 + 1) = 0.5`; one that did not
//! sees 3 of 4, `(3 + 1/2) / 5 = 0.7`. Its Brier scores: 0.25 three times
//! and 0.7^2 = 0.49 twice, mean 1.73 / 5 = 0.346; its log scores: ln 2 three
//! times and -ln 0.3 = 1.203972804 twice, mean 4.487387150 / 5 = 0.897477430.
//!
//! Skill: Brier vs base rate 1 - 0.23675 / 0.346 = 0.315751445; Brier vs
//! 0.5: 1 - 0.23675 / 0.25 = 0.053; log vs base rate 1 - 0.834926288 /
//! 0.897477430 = 0.069696...; log vs 0.5: 1 - 0.834926288 / 0.693147181.
//!
//! Alpha alone: Brier (0.0625 + 0.0625 + 0.9025) / 3 = 0.3425.
//!
//! Reliability bins (width 0.1): 0.05 -> bin 0, 0.25 -> bin 2, 0.375 -> bin
//! 3, 0.75 -> bin 7, 0.875 -> bin 8, one question each; observed 1, 0, 0, 1, 1.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn brink() -> Command {
    Command::cargo_bin("brink").unwrap()
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/score")
        .join(name)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn close(v: &serde_json::Value, want: f64) {
    let got = v.as_f64().unwrap_or(f64::NAN);
    assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
}

fn score_fixtures(out: &Path) -> serde_json::Value {
    brink()
        .args(["score", "--out"])
        .arg(out)
        .arg(fixture("alpha.forecast.json"))
        .arg(fixture("beta.forecast.json"))
        .assert()
        .success()
        .stdout(predicate::str::contains("skipped alpha/a4: not resolved"))
        .stdout(predicate::str::contains("0.237"));
    json(&out.join("score/score.json"))
}

#[test]
fn scores_match_the_hand_computed_values() {
    let tmp = tempfile::tempdir().unwrap();
    let s = score_fixtures(tmp.path());
    assert_eq!(s["schema"], "brink.score/1");
    let all = &s["overall"];
    assert_eq!(all["questions"], 5);
    assert_eq!(all["resolved_true"], 3);
    close(&all["brier"]["value"], 0.23675);
    close(&all["log"]["value"], 4.174_631_440_327_811 / 5.0);
    close(&all["base_rate"]["brier"]["value"], 0.346);
    close(
        &all["base_rate"]["log"]["value"],
        4.487_387_150_331_708 / 5.0,
    );
    close(&all["uniform"]["brier"]["value"], 0.25);
    close(&all["uniform"]["log"]["value"], std::f64::consts::LN_2);
    close(
        &all["skill"]["brier_vs_base_rate"]["value"],
        1.0 - 0.23675 / 0.346,
    );
    close(&all["skill"]["brier_vs_uniform"]["value"], 0.053);
    close(
        &all["skill"]["log_vs_base_rate"]["value"],
        1.0 - 4.174_631_440_327_811 / 4.487_387_150_331_708,
    );
    close(
        &all["skill"]["log_vs_uniform"]["value"],
        1.0 - 4.174_631_440_327_811 / 5.0 / std::f64::consts::LN_2,
    );
    // Each interval holds its estimate.
    for key in ["brier", "log"] {
        let e = &all[key];
        let (v, lo, hi) = (
            e["value"].as_f64().unwrap(),
            e["ci95"][0].as_f64().unwrap(),
            e["ci95"][1].as_f64().unwrap(),
        );
        assert!(lo <= v && v <= hi && lo < hi, "{key}: {e}");
    }
    // Per question, in file order.
    let q = s["questions"].as_array().unwrap();
    let ids: Vec<&str> = q.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a1", "a2", "a3", "b1", "b2"]);
    let scored = [0.75, 0.25, 0.05, 0.875, 0.375];
    let brier = [0.0625, 0.0625, 0.9025, 0.015625, 0.140625];
    let log = [
        -(0.75f64.ln()),
        -(0.75f64.ln()),
        -(0.05f64.ln()),
        -(0.875f64.ln()),
        -(0.625f64.ln()),
    ];
    let base = [0.5, 0.7, 0.5, 0.5, 0.7];
    for k in 0..5 {
        close(&q[k]["scored"], scored[k]);
        close(&q[k]["brier"], brier[k]);
        close(&q[k]["log"], log[k]);
        close(&q[k]["base_rate"], base[k]);
    }
    // Per scenario.
    let sc = s["scenarios"].as_array().unwrap();
    assert_eq!(sc.len(), 2);
    assert_eq!(sc[0]["scenario"], "alpha");
    assert_eq!(sc[0]["questions"], 3);
    close(&sc[0]["brier"]["value"], 0.3425);
    // Reliability bins.
    let bins = s["reliability"].as_array().unwrap();
    let lows: Vec<f64> = bins.iter().map(|b| b["low"].as_f64().unwrap()).collect();
    assert_eq!(lows.len(), 5);
    for (lo, want) in lows.iter().zip([0.0, 0.2, 0.3, 0.7, 0.8]) {
        assert!((lo - want).abs() < 1e-12, "{lows:?}");
    }
    let observed: Vec<f64> = bins
        .iter()
        .map(|b| b["observed"].as_f64().unwrap())
        .collect();
    assert_eq!(observed, [1.0, 0.0, 0.0, 1.0, 1.0]);
    // Skipped.
    let skipped: Vec<&str> = s["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["a4", "b3"]);
}

#[test]
fn the_folder_holds_every_output_and_is_reproducible() {
    let tmp = tempfile::tempdir().unwrap();
    score_fixtures(&tmp.path().join("one"));
    score_fixtures(&tmp.path().join("two"));
    let dir = tmp.path().join("one/score");
    for f in [
        "score.json",
        "score.csv",
        "plots/reliability.png",
        "plots/reliability.svg",
        "report.html",
        "manifest.json",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
        if f != "manifest.json" && f != "report.html" {
            assert_eq!(
                fs::read(dir.join(f)).unwrap(),
                fs::read(tmp.path().join("two/score").join(f)).unwrap(),
                "{f} differs between two runs"
            );
        }
    }
    let csv = fs::read_to_string(dir.join("score.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "scenario,question,date,probability,hits,trials,scored,outcome,brier,log_score,base_rate,base_rate_brier,base_rate_log_score"
    );
    assert_eq!(lines.count(), 5);
    let m = json(&dir.join("manifest.json"));
    assert_eq!(m["kind"], "score");
    assert_eq!(m["scenarios"][1]["name"], "beta");
    let files: Vec<&str> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"score.csv") && files.contains(&"report.html"));
    let report = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(report.contains("Scores of 5 resolved questions from 2 scenario(s)"));
    assert!(report.contains("0.237"));
}

#[test]
fn bad_files_are_all_reported_with_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args(["score", "--out"])
        .arg(tmp.path())
        .arg(fixture("invalid/syntax.forecast.json"))
        .arg(fixture("invalid/numbers.forecast.json"))
        .arg(fixture("invalid/types.forecast.json"))
        .arg(fixture("missing.forecast.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "syntax.forecast.json:9:3: error: trailing comma",
        ))
        .stderr(predicate::str::contains(
            "numbers.forecast.json:2:13: error: schema `brink.forecast/2` is not `brink.forecast/1`",
        ))
        .stderr(predicate::str::contains(
            "question `d2` holds in 11 trials of 10 kept",
        ))
        .stderr(predicate::str::contains(
            "question `d3` has probability 0.9 but holds in 2 of 10 kept trials",
        ))
        .stderr(predicate::str::contains("types.forecast.json:8:66: error: invalid type: string \"yes\", expected a boolean"))
        .stderr(predicate::str::contains("missing.forecast.json: error: cannot read"))
        .stderr(predicate::str::contains("6 problem(s)"));
    assert!(!tmp.path().join("score").exists(), "nothing written");
}

#[test]
fn nothing_resolved_and_a_file_named_twice_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args(["score", "--out"])
        .arg(tmp.path())
        .arg(fixture("unresolved.forecast.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to score"));
    brink()
        .args(["score", "--out"])
        .arg(tmp.path())
        .arg(fixture("alpha.forecast.json"))
        .arg(fixture("alpha.forecast.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "question `a1` of scenario `alpha` is also in",
        ));
    assert!(!tmp.path().join("score").exists());
}

#[test]
fn no_plots_leaves_out_the_diagram_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args(["score", "--no-plots", "--quiet", "--out"])
        .arg(tmp.path())
        .arg(fixture("beta.forecast.json"))
        .assert()
        .success()
        .stdout("");
    let dir = tmp.path().join("score");
    assert!(dir.join("score.json").is_file() && !dir.join("report.html").exists());
    assert!(!dir.join("plots").exists());
}
