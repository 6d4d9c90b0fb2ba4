//! Calibration on history (`brink calibrate --suite`): the posterior of a
//! shared parameter against its closed form, the fitted file loading
//! through `extends` and running, the same bytes on any thread count, and
//! bad suites refused with exit status 2 and a clear message.
//!
//! The closed-form suite (`tests/fixtures/suite/closed/`): a shared parent
//! whose incident hazard p ~ Uniform(0, 1) is exactly the probability of a
//! first strike in step 1 (the world starts at rung 3, an incident raises
//! it to 4), and six episodes that extend it unchanged, with the question
//! `first_strike by step 1` resolved yes in five and no in one. The
//! posterior of p is then Beta(1 + 5, 1 + 1) = Beta(6, 2).

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

const FIXTURE: &str = "tests/fixtures/suite/closed";

/// Copies the closed-form suite to `root/scenarios/closed` (so that a
/// fitted file written under `root/scenarios/out` and the suite share the
/// default scenario root) and gives its folder.
fn copy_suite(root: &Path) -> PathBuf {
    let dir = root.join("scenarios").join("closed");
    fs::create_dir_all(&dir).unwrap();
    for e in fs::read_dir(FIXTURE).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.join(e.file_name())).unwrap();
    }
    dir
}

fn brink() -> Command {
    Command::cargo_bin("brink").unwrap()
}

/// Runs the suite calibration of `dir` into `out` and reads suite-fit.json.
fn calibrate(dir: &Path, out: &Path, extra: &[&str]) -> serde_json::Value {
    let mut cmd = brink();
    cmd.arg("calibrate")
        .arg("--suite")
        .arg(dir)
        .arg("--out")
        .arg(out)
        .args(["--seed", "11", "-q"])
        .args(extra);
    cmd.assert().success();
    let text = fs::read_to_string(out.join("calibrate-suite-closed/suite-fit.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// I_x(a, b) for whole a, b: P(Binomial(a + b - 1, x) >= a).
fn beta_cdf(x: f64, a: u32, b: u32) -> f64 {
    let n = a + b - 1;
    let choose =
        |n: u32, k: u32| -> f64 { (0..k).map(|i| (n - i) as f64 / (i + 1) as f64).product() };
    (a..=n)
        .map(|k| choose(n, k) * x.powi(k as i32) * (1.0 - x).powi((n - k) as i32))
        .sum()
}

fn beta_quantile(q: f64, a: u32, b: u32) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if beta_cdf(mid, a, b) < q {
            lo = mid
        } else {
            hi = mid
        }
    }
    (lo + hi) / 2.0
}

fn beta_density(x: f64, a: u32, b: u32) -> f64 {
    let h = 1e-6;
    (beta_cdf(x + h, a, b) - beta_cdf(x - h, a, b)) / (2.0 * h)
}

/// The posterior of p matches Beta(6, 2). Two errors: importance
/// sampling (standard error sd/sqrt(ESS) for the mean, sqrt(q(1 − q)/ESS)
/// / f(x_q) for a quantile) and the Monte Carlo estimate of each question's
/// probability from M trials (common to all samples, it moves the
/// likelihood by at most about sqrt(p(1 − p)/M) <= 0.5/sqrt(M) in p, plus the
/// regularisation's 0.5/(M + 1)). Tolerance: four times their combined
/// standard error.
#[test]
fn the_posterior_of_a_shared_probability_is_the_beta_posterior() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_suite(tmp.path());
    let (samples, m) = (2000u32, 1000u32);
    let fit = calibrate(
        &dir,
        &tmp.path().join("out"),
        &[
            "--samples",
            &samples.to_string(),
            "--trials-per-sample",
            &m.to_string(),
        ],
    );
    assert_eq!(fit["schema"], "brink.suite-fit/1");
    assert_eq!(fit["status"], "calibrated");
    let ess = fit["ess"].as_f64().unwrap();
    // For Beta(6, 2) from a uniform prior, ESS / S = B(6,2)² / B(11,3) = 0.486.
    assert!(
        (ess / samples as f64 - 858.0 / 1764.0).abs() < 0.05,
        "ESS {ess} of {samples}"
    );
    let p = &fit["parameters"][0];
    assert_eq!(p["parameter"], "incidents.base");
    assert_eq!(p["prior_distribution"], "uniform(0, 1)");
    let post = &p["posterior"];
    let (a, b) = (6u32, 2u32);
    let inner = 0.5 / (m as f64).sqrt() + 0.5 / (m as f64 + 1.0);
    let mean = a as f64 / (a + b) as f64;
    let sd = ((a * b) as f64 / (((a + b) * (a + b)) as f64 * (a + b + 1) as f64)).sqrt();
    let tol_mean = 4.0 * ((sd * sd / ess) + inner * inner).sqrt();
    let got = post["mean"].as_f64().unwrap();
    assert!(
        (got - mean).abs() < tol_mean,
        "mean {got} vs {mean} ± {tol_mean}"
    );
    for (key, q) in [("q05", 0.05), ("median", 0.5), ("q95", 0.95)] {
        let x = beta_quantile(q, a, b);
        let se_is = (q * (1.0 - q) / ess).sqrt() / beta_density(x, a, b);
        let tol = 4.0 * (se_is * se_is + inner * inner).sqrt();
        let got = post[key].as_f64().unwrap();
        assert!((got - x).abs() < tol, "{key} {got} vs {x} ± {tol}");
    }
    // The prior is what was drawn: uniform, median 0.5.
    let prior = &p["prior"];
    assert!((prior["median"].as_f64().unwrap() - 0.5).abs() < 4.0 * 0.5 / (samples as f64).sqrt());
    // Predictive probabilities: prior 1/2; posterior E[p] = 3/4.
    for q in fit["questions"].as_array().unwrap() {
        assert!(
            (q["prior_predictive"].as_f64().unwrap() - 0.5).abs() < 0.03,
            "{q}"
        );
        let pp = q["posterior_predictive"].as_f64().unwrap();
        assert!((pp - mean).abs() < tol_mean, "{q}");
    }
    assert_eq!(fit["episodes"].as_array().unwrap().len(), 6);
    assert_eq!(fit["fitted_file"], "fitted.toml");
}

/// The fitted file extends the shared parent, says what it was fitted to,
/// loads and runs alone and as the parent of an episode; with
/// `--fitted-point` it fixes the parameter at the posterior median.
#[test]
fn the_fitted_file_loads_through_extends_and_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_suite(tmp.path());
    let out = tmp.path().join("scenarios").join("out");
    let fit = calibrate(
        &dir,
        &out,
        &["--samples", "300", "--trials-per-sample", "200"],
    );
    let folder = out.join("calibrate-suite-closed");
    let text = fs::read_to_string(folder.join("fitted.toml")).unwrap();
    assert!(
        text.contains("extends = \"../../closed/shared.toml\""),
        "{text}"
    );
    assert!(
        text.contains("The baseline (scenarios/muscat-2026.toml) does not use this file"),
        "{text}"
    );
    assert!(text.contains("6 episodes"), "{text}");
    assert!(text.contains("seed 11"), "{text}");
    assert!(text.contains("base = { dist = \"triangular\""), "{text}");
    for f in [
        "suite-fit.json",
        "samples.csv",
        "questions.csv",
        "manifest.json",
    ] {
        assert!(folder.join(f).is_file(), "{f}");
    }
    // Runs alone.
    brink()
        .args(["run", "--trials", "200", "-q", "--no-plots", "--out"])
        .arg(tmp.path().join("runs"))
        .arg(folder.join("fitted.toml"))
        .assert()
        .success();
    // And as the parent of an episode: the fitted distribution is inherited.
    let child = dir.join("after-fit.toml");
    fs::write(
        &child,
        "extends = \"../out/calibrate-suite-closed/fitted.toml\"\n\n[scenario]\nname = \"after-fit\"\n",
    )
    .unwrap();
    brink()
        .args(["run", "--trials", "200", "-q", "--no-plots", "--out"])
        .arg(tmp.path().join("runs"))
        .arg(&child)
        .assert()
        .success();
    let (s, _) = brink::scenario::load(&child).unwrap_or_else(|d| panic!("{d}"));
    let model = brink::model::Model::compile(&s);
    let slot = model.params.find("incidents.base").unwrap() as usize;
    let post = &fit["parameters"][0]["posterior"];
    match &model.params.dists[slot] {
        Some(brink::distribution::Distribution::Triangular { low, mode, high }) => {
            let near = |x: f64, key: &str| (x - post[key].as_f64().unwrap()).abs() < 1e-3;
            assert!(near(*low, "q05") && near(*mode, "median") && near(*high, "q95"));
        }
        d => panic!("not triangular: {d:?}"),
    }
    // --fitted-point: the posterior median as a fixed value.
    let out2 = tmp.path().join("scenarios").join("out2");
    let fit2 = calibrate(
        &dir,
        &out2,
        &[
            "--samples",
            "300",
            "--trials-per-sample",
            "200",
            "--fitted-point",
        ],
    );
    let text2 = fs::read_to_string(out2.join("calibrate-suite-closed/fitted.toml")).unwrap();
    let median = fit2["parameters"][0]["posterior"]["median"]
        .as_f64()
        .unwrap();
    let line = text2.lines().find(|l| l.starts_with("base = ")).unwrap();
    let written: f64 = line.trim_start_matches("base = ").parse().unwrap();
    assert!((written - median).abs() < 1e-3, "{line} vs {median}");
}

/// The same bytes with one thread or two, and when resumed from a
/// checkpoint is the business of the job driver; here the thread count.
#[test]
fn results_do_not_depend_on_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_suite(tmp.path());
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let out = tmp.path().join(format!("out{threads}"));
        calibrate(
            &dir,
            &out,
            &[
                "--samples",
                "100",
                "--trials-per-sample",
                "50",
                "--min-ess",
                "10",
                "--threads",
                threads,
            ],
        );
        let folder = out.join("calibrate-suite-closed");
        let read = |f: &str| fs::read(folder.join(f)).unwrap();
        files.push((
            read("suite-fit.json"),
            read("samples.csv"),
            read("fitted.toml"),
        ));
    }
    assert!(
        files[0] == files[1],
        "outputs differ between 1 and 2 threads"
    );
}

/// Runs a calibration of a broken suite and checks exit status 2 and that
/// stderr says `what`.
fn refused(dir: &Path, extra: &[&str], what: &str) {
    brink()
        .arg("calibrate")
        .arg("--suite")
        .arg(dir)
        .args([
            "--samples",
            "10",
            "--trials-per-sample",
            "10",
            "-q",
            "--out",
        ])
        .arg(dir.join("out"))
        .args(extra)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(what));
}

#[test]
fn a_question_file_without_a_scenario_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_suite(tmp.path());
    fs::copy(
        dir.join("e1.questions.toml"),
        dir.join("orphan.questions.toml"),
    )
    .unwrap();
    refused(
        &dir,
        &[],
        "orphan.questions.toml has no scenario: orphan.toml is missing",
    );
}

#[test]
fn a_suite_without_a_shared_parameter_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_suite(tmp.path());
    fs::write(
        dir.join("e6.toml"),
        "extends = \"shared.toml\"\n\n[scenario]\nname = \"closed-e6\"\n\n[incidents]\nbase = 0.5\n",
    )
    .unwrap();
    refused(
        &dir,
        &[],
        "no shared parameter: no uncertain parameter has the same distribution in every episode",
    );
}

#[test]
fn a_parameter_an_episode_changes_is_not_shared() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_suite(tmp.path());
    fs::write(
        dir.join("e3.toml"),
        "extends = \"shared.toml\"\n\n[scenario]\nname = \"closed-e3\"\n\n[incidents]\nbase = { dist = \"uniform\", low = 0.0, high = 0.5 }\n",
    )
    .unwrap();
    let shared = dir.join("shared.toml");
    refused(
        &dir,
        &["--shared", shared.to_str().unwrap()],
        "parameter `incidents.base` is not shared: episode",
    );
    // Without --shared the changed parameter is simply not common: nothing is left.
    refused(&dir, &[], "no shared parameter");
}

#[test]
fn a_shared_file_an_episode_does_not_extend_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_suite(tmp.path());
    let other = tmp.path().join("scenarios").join("other.toml");
    fs::copy(dir.join("shared.toml"), &other).unwrap();
    refused(
        &dir,
        &["--shared", other.to_str().unwrap()],
        "does not extend the shared file",
    );
}

#[test]
fn an_event_outside_the_episode_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_suite(tmp.path());
    fs::write(
        dir.join("e2.questions.toml"),
        "[[question]]\nid = \"q\"\ntext = \"t\"\nevent = \"first_strike by step 9\"\nresolved = true\n",
    )
    .unwrap();
    refused(&dir, &[], "the horizon");
}
