//! `brink calibrate`: approximate Bayesian computation recovers parameters
//! that generated the targets, reports targets nobody can meet, and writes a
//! calibrated scenario that runs as is and a report that says all this.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

/// One actor settles (a deal) or waits each week for four weeks; its bias
/// towards settling is uncertain, uniform on [-3, 3]. A second, inert
/// parameter checks that calibration leaves what does not matter alone.
const SCENARIO: &str = r#"
[scenario]
name = "settle"

[run]
horizon = 4
seed = 5

[initial]
rung = 1
talks_active = true
trust = 0
talks_progress = 0
stockpile = 0
sanctions = 0
us_posture = 0
iran_readiness = 0

[outcomes]
absorbing = ["deal", "war"]
breakout_stockpile = 1e9

[dynamics]
deescalation_base = 0
deescalation_per_trust = 0

[incidents]
base = 0
trust_loss = { dist = "uniform", low = 0.0, high = 0.5 }

[[actions]]
id = "settle"
escalation = -2
effects = { talks_progress = 1.0 }

[[actions]]
id = "wait"
escalation = 0

[[actors]]
id = "a"
role = "principal"
actions = ["settle", "wait"]
bias = { settle = { dist = "uniform", low = -3.0, high = 3.0 } }
"#;

/// P(deal within one week) = logistic(bias); the targets come from bias = -1.
fn targets(p1: f64, tolerance: f64) -> String {
    format!(
        r#"
[[targets]]
name = "deal in the first week"
statistic = "outcome_by"
outcomes = ["deal"]
step = 1
value = {p1}
tolerance = {tolerance}
"#
    )
}

fn calibrate(dir: &Path, targets_text: &str) -> serde_json::Value {
    fs::write(dir.join("settle.toml"), SCENARIO).unwrap();
    fs::write(dir.join("targets.toml"), targets_text).unwrap();
    Command::cargo_bin("brink")
        .unwrap()
        .current_dir(dir)
        .args([
            "calibrate",
            "settle.toml",
            "--targets",
            "targets.toml",
            "--samples",
            "600",
            "--trials-per-sample",
            "400",
            "--out",
            "out",
        ])
        .assert()
        .success();
    serde_json::from_slice(&fs::read(dir.join("out/calibrate-settle/calibration.json")).unwrap())
        .unwrap()
}

/// The calibration's `report.html`, checked to refer to nothing outside itself.
fn report(dir: &Path) -> String {
    let html = fs::read_to_string(dir.join("out/calibrate-settle/report.html")).unwrap();
    for needle in ["http://", "https://", "<link", "<script", "@import"] {
        assert!(
            !html.contains(needle),
            "report refers outside itself: {needle}"
        );
    }
    html
}

#[test]
fn recovers_the_parameter_that_generated_the_targets() {
    let tmp = tempfile::tempdir().unwrap();
    let truth: f64 = -1.0;
    let p1 = 1.0 / (1.0 + (-truth).exp());
    let c = calibrate(tmp.path(), &targets(p1, 0.04));
    assert_eq!(c["status"], "calibrated");
    let param = |path: &str| {
        c["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["parameter"] == path)
            .unwrap()
            .clone()
    };
    let post = &param("actors.a.bias.settle")["posterior"];
    let (lo, hi) = (
        post["q025"].as_f64().unwrap(),
        post["q975"].as_f64().unwrap(),
    );
    assert!(
        lo <= truth && truth <= hi,
        "95% credible interval [{lo}, {hi}] holds {truth}"
    );
    assert!(
        hi - lo < 1.5,
        "and is much narrower than the prior's 6: [{lo}, {hi}]"
    );
    // The inert parameter keeps (roughly) its prior.
    let inert = &param("incidents.trust_loss")["posterior"];
    assert!(inert["q025"].as_f64().unwrap() < 0.05 && inert["q975"].as_f64().unwrap() > 0.45);

    // Marginal, pairwise and target-fit plots of prior against calibrated.
    for plot in ["marginals", "pairs", "targets"] {
        for ext in ["png", "svg"] {
            assert!(
                tmp.path()
                    .join(format!("out/calibrate-settle/plots/{plot}.{ext}"))
                    .exists()
            );
        }
    }
    // The report says where the calibrated scenario is and how to run it.
    let html = report(tmp.path());
    for needle in [
        "<strong>Calibrated.</strong>",
        "<code>settle-calibrated.toml</code>, beside this report",
        "<code>../../settle.toml</code>",
        "<code>brink run --scenario-root ../.. settle-calibrated.toml</code>",
        "<code>brink compare --scenario-root ../.. ../../settle.toml settle-calibrated.toml</code>",
        "<code>actors.a.bias.settle</code>",
        "correlations between accepted parameters",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    // The calibrated scenario extends the original and runs as is.
    let calibrated = tmp
        .path()
        .join("out/calibrate-settle/settle-calibrated.toml");
    let text = fs::read_to_string(&calibrated).unwrap();
    assert!(text.contains("extends = \"../../settle.toml\""), "{text}");
    assert!(
        text.contains("# `brink run --scenario-root ../.. settle-calibrated.toml`"),
        "{text}"
    );
    // Without the root that holds the original, its `extends` is refused.
    Command::cargo_bin("brink")
        .unwrap()
        .args(["validate"])
        .arg(&calibrated)
        .assert()
        .code(2)
        .stdout(predicates::str::contains("--scenario-root"));
    Command::cargo_bin("brink")
        .unwrap()
        .args(["run", "--no-plots", "--quiet", "--trials", "2000", "--out"])
        .arg(tmp.path().join("runs"))
        .arg("--scenario-root")
        .arg(tmp.path())
        .arg(&calibrated)
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(
        &fs::read(tmp.path().join("runs/settle-calibrated/summary.json")).unwrap(),
    )
    .unwrap();
    // Its first-week deal rate now sits near the target.
    let week1 = summary["series"]["cumulative_outcomes"][1][0]
        .as_f64()
        .unwrap();
    assert!(
        (week1 - p1).abs() < 0.06,
        "first-week deals {week1}, target {p1}"
    );
}

#[test]
fn a_target_nobody_can_meet_is_reported_with_the_closest_fit() {
    let tmp = tempfile::tempdir().unwrap();
    // logistic(3) = 0.953 is the most the prior allows.
    let c = calibrate(tmp.path(), &targets(0.999, 0.001));
    assert_eq!(c["accepted"], 0);
    assert!(
        c["status"]
            .as_str()
            .unwrap()
            .contains("no parameter value in the prior meets: deal in the first week")
    );
    let t = &c["targets"][0];
    assert_eq!(t["attainable"], false);
    let closest = t["closest"].as_f64().unwrap();
    assert!((0.9..0.999).contains(&closest), "closest {closest}");
    assert!(
        !tmp.path()
            .join("out/calibrate-settle/settle-calibrated.toml")
            .exists()
    );
    // The report says so, with the closest fit.
    let html = report(tmp.path());
    for needle in [
        "<strong>Not calibrated:</strong> no parameter value in the prior meets: deal in the \
         first week."
            .to_string(),
        "No calibrated scenario was written".into(),
        "<strong>cannot be met</strong>".into(),
        format!("closest {}", brink::format::percent(closest)),
        format!(
            "The closest fit was sample {}",
            c["closest_sample"].as_u64().unwrap()
        ),
        format!("{:.2}", c["closest_distance"].as_f64().unwrap()),
    ] {
        assert!(html.contains(&needle), "report lacks {needle}");
    }
    assert!(!html.contains("brink run settle-calibrated.toml"));
}

#[test]
fn bad_targets_are_reported_with_positions() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("settle.toml"), SCENARIO).unwrap();
    fs::write(
        tmp.path().join("targets.toml"),
        "[[targets]]\nname = \"x\"\nstatistic = \"outcom_by\"\noutcomes = [\"deel\"]\nstep = 9\nvalue = 1.5\ntolerance = 0.1\n",
    )
    .unwrap();
    Command::cargo_bin("brink")
        .unwrap()
        .current_dir(tmp.path())
        .args(["calibrate", "settle.toml", "--targets", "targets.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("targets.toml:3:"))
        .stderr(predicate::str::contains("did you mean `outcome_by`?"))
        .stderr(predicate::str::contains("did you mean `deal`?"))
        .stderr(predicate::str::contains("outside the scenario's horizon"))
        .stderr(predicate::str::contains("`value` is 1.5"));
}

/// Text of the scenario that looks like TOML (quotes, `#`, a line break
/// followed by `extends = ...` and a new table) stays text in the calibrated
/// scenario: it still extends the original, under its own name.
#[test]
fn the_calibrated_scenario_cannot_be_steered_by_the_originals_text() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let tricky = SCENARIO.replace(
        "name = \"settle\"",
        r#"name = "settle"
title = 'Settle "now" # or \ never'
description = """
One line.
extends = "/etc/passwd"
[scenario]
name = "hijacked"
"""
"#,
    );
    fs::write(dir.join("settle.toml"), &tricky).unwrap();
    fs::write(dir.join("targets.toml"), targets(0.27, 0.04)).unwrap();
    Command::cargo_bin("brink")
        .unwrap()
        .current_dir(dir)
        .args([
            "calibrate",
            "settle.toml",
            "--targets",
            "targets.toml",
            "--samples",
            "200",
            "--trials-per-sample",
            "200",
            "--no-plots",
            "--quiet",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let path = dir.join("out/calibrate-settle/settle-calibrated.toml");
    let text = fs::read_to_string(&path).unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(doc["extends"].as_str(), Some("../../settle.toml"), "{text}");
    let scenario = doc["scenario"].as_table().unwrap();
    assert_eq!(scenario["name"].as_str(), Some("settle-calibrated"));
    assert_eq!(
        scenario["title"].as_str(),
        Some(r#"Settle "now" # or \ never (calibrated)"#)
    );
    assert!(
        scenario["description"]
            .as_str()
            .unwrap()
            .contains("extends = \"/etc/passwd\"\n[scenario]")
    );
    Command::cargo_bin("brink")
        .unwrap()
        .current_dir(dir)
        .args(["validate", "--scenario-root", "."])
        .arg(&path)
        .assert()
        .success();
    assert!(
        text.contains("brink run --scenario-root ../.. settle-calibrated.toml"),
        "{text}"
    );
}
