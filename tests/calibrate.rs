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
    calibrate_with(dir, SCENARIO, targets_text, &["--samples", "600"])
}

/// Calibrates `scenario` (as `settle.toml`, named `settle`) against
/// `targets_text` in `dir`, 400 trials per sample, with `args` besides.
fn calibrate_with(
    dir: &Path,
    scenario: &str,
    targets_text: &str,
    args: &[&str],
) -> serde_json::Value {
    fs::write(dir.join("settle.toml"), scenario).unwrap();
    fs::write(dir.join("targets.toml"), targets_text).unwrap();
    Command::cargo_bin("brink")
        .unwrap()
        .current_dir(dir)
        .args([
            "calibrate",
            "settle.toml",
            "--targets",
            "targets.toml",
            "--trials-per-sample",
            "400",
            "--out",
            "out",
        ])
        .args(args)
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
    let c = calibrate_with(
        tmp.path(),
        SCENARIO,
        &targets(p1, 0.04),
        &["--samples", "2000"],
    );
    assert_eq!(c["status"], "calibrated");
    assert!(c["accepted"].as_u64().unwrap() >= 100, "{}", c["accepted"]);
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
        "<code>parent/settle.toml</code>",
        "<code>posterior.csv</code>",
        "<code>brink run settle-calibrated.toml</code>",
        "<code>brink compare parent/settle.toml settle-calibrated.toml</code>",
        "<code>actors.a.bias.settle</code>",
        "correlations between the parameters",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    // The calibrated scenario extends the copy of the original and runs as is.
    let calibrated = tmp
        .path()
        .join("out/calibrate-settle/settle-calibrated.toml");
    let text = fs::read_to_string(&calibrated).unwrap();
    assert!(text.contains("extends = \"parent/settle.toml\""), "{text}");
    assert!(
        text.contains("`brink run settle-calibrated.toml`"),
        "{text}"
    );
    assert_eq!(
        fs::read(tmp.path().join("out/calibrate-settle/parent/settle.toml")).unwrap(),
        SCENARIO.as_bytes()
    );
    Command::cargo_bin("brink")
        .unwrap()
        .args(["run", "--no-plots", "--quiet", "--trials", "2000", "--out"])
        .arg(tmp.path().join("runs"))
        .arg(&calibrated)
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(
        &fs::read(tmp.path().join("runs/settle-calibrated/summary.json")).unwrap(),
    )
    .unwrap();
    // Its first-week deal rate now sits near the target.
    let week1 = summary["series"]["steps"][1]["cumulative_outcomes"]["deal"]
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
        "<strong>Not calibrated.</strong>".to_string(),
        "not calibrated: no parameter value in the prior meets: deal in the first week".into(),
        "No calibrated scenario was written".into(),
        "<strong>cannot be met</strong>".into(),
        format!("closest {}", brink::format::percent(closest)),
        format!(
            "The nearest was sample {}",
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
            "--min-accepted",
            "5",
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
    assert_eq!(
        doc["extends"].as_str(),
        Some("parent/settle.toml"),
        "{text}"
    );
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
        .args(["validate"])
        .arg(&path)
        .assert()
        .success();
    assert!(text.contains("brink run settle-calibrated.toml"), "{text}");
}

/// A handful of accepted samples is no posterior: with three accepted the
/// calibration says "not calibrated" (exit 0), reports the closest fit (the
/// 100 samples nearest the targets) and writes no calibrated scenario.
#[test]
fn three_accepted_samples_are_not_calibrated() {
    let tmp = tempfile::tempdir().unwrap();
    let c = calibrate_with(
        tmp.path(),
        SCENARIO,
        &targets(0.269, 0.005),
        &["--samples", "400"],
    );
    assert_eq!(c["accepted"], 3, "the case this test is about");
    assert_eq!(c["calibrated"], false);
    assert_eq!(c["min_accepted"], 100);
    let status = c["status"].as_str().unwrap();
    assert!(
        status.starts_with("not calibrated: only 3 of 400 samples met every target"),
        "{status}"
    );
    // The closest fit: the 100 nearest samples, nearest first, the three
    // accepted among them.
    let closest: Vec<u64> = c["closest_fit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j.as_u64().unwrap())
        .collect();
    assert_eq!(closest.len(), 100);
    assert_eq!(closest[0], c["closest_sample"].as_u64().unwrap());
    let fit = &c["parameters"][0]["closest_fit"];
    assert!(fit["median"].as_f64().is_some(), "{fit}");
    let folder = tmp.path().join("out/calibrate-settle");
    assert!(!folder.join("settle-calibrated.toml").exists());
    assert!(!folder.join("posterior.csv").exists());
    let html = report(tmp.path());
    for needle in [
        "<strong>Not calibrated.</strong> 3 of 400 samples met the target, fewer than the 100 required",
        "<strong>closest fit</strong>: the 100 samples nearest the targets",
        "<th class=\"num\">Closest fit</th>",
        "No calibrated scenario was written: 3 accepted samples are fewer than the 100 required",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    // The console says so too.
    Command::cargo_bin("brink")
        .unwrap()
        .current_dir(tmp.path())
        .args([
            "calibrate",
            "settle.toml",
            "--targets",
            "targets.toml",
            "--samples",
            "400",
            "--trials-per-sample",
            "400",
            "--no-plots",
            "--out",
            "again",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "not calibrated: only 3 of 400 samples met every target",
        ))
        .stdout(predicate::str::contains("closest fit"))
        .stdout(predicate::str::contains(
            "no calibrated scenario written: 3 accepted samples, fewer than --min-accepted 100",
        ));
}

/// Two biases that trade off: the logit policy settles with probability
/// logistic(settle - wait), so a target on the first week's deals fixes
/// their difference and the accepted samples lie on a ridge.
fn ridge_scenario() -> String {
    SCENARIO.replace(
        "bias = { settle = { dist = \"uniform\", low = -3.0, high = 3.0 } }",
        "bias = { settle = { dist = \"uniform\", low = -3.0, high = 3.0 }, \
         wait = { dist = \"uniform\", low = -3.0, high = 3.0 } }",
    )
}

/// Pearson correlation of two columns.
fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    let syy: f64 = y.iter().map(|b| (b - my) * (b - my)).sum();
    sxy / (sxx * syy).sqrt()
}

/// Columns `names` of a CSV file.
fn columns(path: &Path, names: &[&str]) -> Vec<Vec<f64>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let at: Vec<usize> = names
        .iter()
        .map(|n| {
            header
                .iter()
                .position(|h| h == n)
                .unwrap_or_else(|| panic!("no {n}"))
        })
        .collect();
    let mut out = vec![Vec::new(); names.len()];
    for rec in r.records() {
        let rec = rec.unwrap();
        for (k, &i) in at.iter().enumerate() {
            out[k].push(rec[i].parse().unwrap());
        }
    }
    out
}

/// Runs the scenario at `path` for `trials` trials on `threads` threads
/// and returns the text of its `trials.csv`.
fn run_trials(path: &Path, out: &Path, trials: u32, threads: u32) -> String {
    Command::cargo_bin("brink")
        .unwrap()
        .args(["run", "--no-plots", "--quiet", "--trials"])
        .arg(trials.to_string())
        .arg("--threads")
        .arg(threads.to_string())
        .arg("--out")
        .arg(out)
        .arg(path)
        .assert()
        .success();
    fs::read_to_string(out.join("settle-calibrated/trials.csv")).unwrap()
}

/// The calibrated scenario keeps the joint distribution of the accepted
/// samples: a run of it draws whole rows of `posterior.csv`, so the drawn
/// biases keep the ridge's correlation (within Monte Carlo error: Fisher's
/// z of a sample correlation of n draws has standard error 1/sqrt(n - 3)),
/// the same on any number of threads; and the result folder, moved
/// elsewhere on its own, still loads and runs.
#[test]
fn the_calibrated_scenario_keeps_the_posteriors_correlation() {
    let tmp = tempfile::tempdir().unwrap();
    let c = calibrate_with(
        tmp.path(),
        &ridge_scenario(),
        &targets(0.5, 0.05),
        &["--samples", "2000", "--no-plots"],
    );
    assert_eq!(c["status"], "calibrated", "{}", c["status"]);
    let folder = tmp.path().join("out/calibrate-settle");
    // posterior.csv names its columns by path, dots written `__`.
    let (s, w) = ("actors__a__bias__settle", "actors__a__bias__wait");
    let posterior = columns(&folder.join("posterior.csv"), &[s, w]);
    let n_post = posterior[0].len();
    assert_eq!(n_post as u64, c["accepted"].as_u64().unwrap());
    let r_post = correlation(&posterior[0], &posterior[1]);
    assert!(
        r_post > 0.8,
        "the accepted samples lie on a ridge: r = {r_post}"
    );

    // Moved on its own, far from the original and from where it was written.
    let moved = tmp.path().join("elsewhere/deeper/result");
    fs::create_dir_all(moved.parent().unwrap()).unwrap();
    fs::rename(&folder, &moved).unwrap();
    fs::remove_file(tmp.path().join("settle.toml")).unwrap();
    let calibrated = moved.join("settle-calibrated.toml");
    Command::cargo_bin("brink")
        .unwrap()
        .arg("validate")
        .arg(&calibrated)
        .assert()
        .success();

    let trials = 4000;
    let one = run_trials(&calibrated, &tmp.path().join("runs1"), trials, 1);
    let two = run_trials(&calibrated, &tmp.path().join("runs2"), trials, 2);
    assert_eq!(one, two, "the same draws on one thread and on two");
    let drawn = columns(
        &tmp.path().join("runs1/settle-calibrated/trials.csv"),
        &[&format!("p_{s}"), &format!("p_{w}")],
    );
    // Every trial's pair is a row of posterior.csv.
    let rows: std::collections::BTreeSet<(u64, u64)> = posterior[0]
        .iter()
        .zip(&posterior[1])
        .map(|(a, b)| (a.to_bits(), b.to_bits()))
        .collect();
    assert!(
        drawn[0]
            .iter()
            .zip(&drawn[1])
            .all(|(a, b)| rows.contains(&(a.to_bits(), b.to_bits()))),
        "a drawn pair is not a row of posterior.csv"
    );
    // Rows are drawn uniformly: the drawn correlation estimates the
    // posterior's. Drawn independently, the two would be uncorrelated.
    let r_drawn = correlation(&drawn[0], &drawn[1]);
    let se = 1.0 / ((trials - 3) as f64).sqrt();
    let gap = (r_drawn.atanh() - r_post.atanh()).abs();
    assert!(
        gap < 4.0 * se,
        "drawn r = {r_drawn}, posterior r = {r_post}: Fisher z gap {gap} > 4 se ({se})"
    );
}

/// Problems of sample files are reported all at once, each with its file,
/// line and column, and the scenario refused with exit status 2.
#[test]
fn bad_sample_files_are_reported_all_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("good.csv"), "x,y\n0.1,0.2\n0.3,0.4\n").unwrap();
    fs::write(dir.join("bad.csv"), "x\n0.1\nzero point two\n").unwrap();
    fs::write(dir.join("empty.csv"), "").unwrap();
    let text = SCENARIO
        .replace(
            "trust_loss = { dist = \"uniform\", low = 0.0, high = 0.5 }",
            "trust_loss = { dist = \"samples\", file = \"bad.csv\", column = \"x\" }",
        )
        .replace(
            "bias = { settle = { dist = \"uniform\", low = -3.0, high = 3.0 } }",
            "bias = { settle = { dist = \"samples\", file = \"missing.csv\", column = \"x\" }, \
             wait = { dist = \"samples\", file = \"good.csv\", column = \"z\" } }",
        )
        .replace(
            "deescalation_base = 0\n",
            "deescalation_base = { dist = \"samples\", file = \"empty.csv\", column = \"x\" }\n",
        );
    fs::write(dir.join("s.toml"), text).unwrap();
    Command::cargo_bin("brink")
        .unwrap()
        .current_dir(dir)
        .args(["validate", "s.toml"])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("bad.csv:3:1"))
        .stdout(predicate::str::contains(
            "`zero point two` is not a finite number",
        ))
        .stdout(predicate::str::contains(
            "cannot read the sample file of `actors.a.bias.settle`",
        ))
        .stdout(predicate::str::contains(
            "the sample file `good.csv` has no column `z`",
        ))
        .stdout(
            predicate::str::contains("did you mean `y`?").or(predicate::str::contains("columns")),
        )
        .stdout(predicate::str::contains("the sample file is empty"));
}

/// Two columns of one sample file are drawn from the same row in every
/// trial, the same on one thread and on two.
#[test]
fn the_samples_form_draws_whole_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // The second column is the first's square: any row mixed with another
    // breaks the relation.
    let mut csv = String::from("b,t\n");
    // The rows as trials.csv writes the values drawn (12 significant digits).
    let mut rows = std::collections::BTreeSet::new();
    for k in 0..50 {
        let b = -2.0 + 0.08 * k as f64;
        csv.push_str(&format!("{b:?},{:?}\n", b * b / 10.0));
        let digits = brink::output::digits::significant;
        rows.insert((digits(b).to_bits(), digits(b * b / 10.0).to_bits()));
    }
    fs::write(dir.join("rows.csv"), &csv).unwrap();
    let text = SCENARIO
        .replace("name = \"settle\"", "name = \"settle-calibrated\"")
        .replace(
            "trust_loss = { dist = \"uniform\", low = 0.0, high = 0.5 }",
            "trust_loss = { dist = \"samples\", file = \"rows.csv\", column = \"t\" }",
        )
        .replace(
            "bias = { settle = { dist = \"uniform\", low = -3.0, high = 3.0 } }",
            "bias = { settle = { dist = \"samples\", file = \"rows.csv\", column = \"b\" } }",
        );
    fs::write(dir.join("s.toml"), text).unwrap();
    let one = run_trials(&dir.join("s.toml"), &dir.join("one"), 2000, 1);
    let two = run_trials(&dir.join("s.toml"), &dir.join("two"), 2000, 2);
    assert_eq!(one, two);
    let drawn = columns(
        &dir.join("one/settle-calibrated/trials.csv"),
        &["p_actors__a__bias__settle", "p_incidents__trust_loss"],
    );
    assert!(
        drawn[0]
            .iter()
            .zip(&drawn[1])
            .all(|(b, t)| rows.contains(&(b.to_bits(), t.to_bits()))),
        "a trial mixed two rows"
    );
    // Every one of the 50 rows is drawn with probability 1/50: in 2000
    // trials each is expected 40 times (sd about 6.2).
    let mut counts = std::collections::BTreeMap::new();
    for b in &drawn[0] {
        *counts.entry(b.to_bits()).or_insert(0u32) += 1;
    }
    assert_eq!(counts.len(), 50);
    assert!(
        counts.values().all(|&n| (15..=65).contains(&n)),
        "{counts:?}"
    );
}
