//! Uncertain parameters: drawn once per trial from their own sub-streams,
//! written to `trials.csv`, and checked like any other number.

use std::path::Path;

use assert_cmd::Command;
use brink::scenario::load_str;

const BASE: &str = include_str!("fixtures/snapshot/small.toml");

fn with(replacements: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in replacements {
        assert!(text.contains(from), "fixture contains {from}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// Runs a scenario text and returns the parsed `trials.csv`.
fn trials(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(&file, text).unwrap();
    Command::cargo_bin("brink")
        .unwrap()
        .args(["run", "--quiet", "--trials", "300", "--out"])
        .arg(dir.path())
        .arg(&file)
        .assert()
        .success();
    let mut r = csv::Reader::from_path(dir.path().join("small/trials.csv")).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], rows: &[Vec<String>], name: &str) -> Vec<f64> {
    let k = header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"));
    rows.iter().map(|r| r[k].parse().unwrap()).collect()
}

const RATIONALITY: (&str, &str) = (
    "rationality = 1.5\nreciprocity = 0.5\nrisk_aversion = 0.5\npreferences = { talks_progress = 10.0",
    "rationality = { dist = \"uniform\", low = 0.5, high = 2.5 }\nreciprocity = 0.5\nrisk_aversion = 0.5\npreferences = { talks_progress = 10.0",
);

#[test]
fn drawn_values_are_columns_of_trials_csv() {
    let (header, rows) = trials(&with(&[RATIONALITY]));
    let xs = column(&header, &rows, "p_actors__west__rationality");
    assert!(xs.iter().all(|x| (0.5..=2.5).contains(x)));
    let mean = xs.iter().sum::<f64>() / xs.len() as f64;
    assert!((mean - 1.5).abs() < 0.15, "uniform(0.5, 2.5) mean {mean}");
    let distinct: std::collections::BTreeSet<u64> = xs.iter().map(|x| x.to_bits()).collect();
    assert_eq!(distinct.len(), xs.len(), "a fresh draw every trial");
}

#[test]
fn adding_an_uncertain_parameter_leaves_the_others_draws_alone() {
    let (h1, r1) = trials(&with(&[RATIONALITY]));
    let (h2, r2) = trials(&with(&[
        RATIONALITY,
        (
            "base = 0.02",
            "base = { dist = \"triangular\", low = 0.0, mode = 0.02, high = 0.05 }",
        ),
    ]));
    assert!(h2.contains(&"p_incidents__base".to_string()));
    assert_eq!(
        column(&h1, &r1, "p_actors__west__rationality"),
        column(&h2, &r2, "p_actors__west__rationality")
    );
}

#[test]
fn every_distribution_is_accepted_and_checked() {
    for dist in [
        "{ dist = \"uniform\", low = 0.1, high = 0.3 }",
        "{ dist = \"normal\", mean = 0.2, sd = 0.05 }",
        "{ dist = \"triangular\", low = 0.1, mode = 0.2, high = 0.4 }",
        "{ dist = \"beta\", alpha = 2, beta = 8 }",
        "{ dist = \"lognormal\", median = 0.2, sigma = 0.3 }",
        "{ dist = \"choice\", values = [0.1, 0.2, 0.3], weights = [1, 2, 1] }",
    ] {
        let text = with(&[("trust = 0.2", &format!("trust = {dist}"))]);
        let (s, _) = load_str(Path::new("t.toml"), &text).unwrap_or_else(|d| panic!("{dist}: {d}"));
        let trust = &s.initial.vars[0];
        assert!(
            trust.dist.is_some() && (0.0..=1.0).contains(&trust.value),
            "{dist}"
        );
    }
}

#[test]
fn bad_distributions_are_reported_with_position() {
    for (dist, expect) in [
        (
            "{ dist = \"unifrom\", low = 0.1, high = 0.3 }",
            "did you mean `uniform`?",
        ),
        (
            "{ dist = \"uniform\", low = 0.5, high = 0.3 }",
            "must be below",
        ),
        (
            "{ dist = \"uniform\", low = 0.5, high = 1.3 }",
            "reaches outside its valid range",
        ),
        ("{ dist = \"normal\", mean = 0.2 }", "needs `mean` and `sd`"),
        (
            "{ dist = \"normal\", mean = 0.2, sd = 0.1, low = 0 }",
            "`low` does not apply",
        ),
        ("{ dist = \"choice\", values = [] }", "non-empty"),
        (
            "{ dist = \"beta\", alpha = -1, beta = 2 }",
            "must be positive",
        ),
    ] {
        let text = with(&[("trust = 0.2", &format!("trust = {dist}"))]);
        let err = load_str(Path::new("t.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains(expect), "{dist}: {err}");
        assert!(
            err.contains("t.toml:17:"),
            "{dist}: points at the line: {err}"
        );
    }
}

#[test]
fn fixed_policy_probabilities_cannot_be_uncertain() {
    let text = with(&[(
        "[[actors]]\nid = \"broker\"\nrole = \"mediator\"\nactions = [\"mediate\", \"hold\"]",
        "[[actors]]\nid = \"broker\"\nrole = \"mediator\"\npolicy = \"fixed\"\nprobabilities = { mediate = { dist = \"uniform\", low = 0.2, high = 0.8 }, hold = 0.5 }",
    )]);
    let err = load_str(Path::new("t.toml"), &text)
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot be uncertain"), "{err}");
}
