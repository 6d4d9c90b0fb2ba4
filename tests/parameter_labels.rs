//! Uncertain numbers carry labels into plots and reports: the file's
//! `label = "..."` beside a distribution, or words made from the path with
//! the names of the scenario's actors and actions.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use brink::scenario::load;
use brink::stats::summary::ScenarioInfo;
use predicates::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The minimal fixture with its initial trust made uncertain, with `label`.
fn minimal_with(label: &str) -> String {
    let text = fs::read_to_string(root().join("tests/fixtures/valid/minimal.toml")).unwrap();
    assert!(text.contains("trust = 0.2\n"));
    text.replacen(
        "trust = 0.2\n",
        &format!("trust = {{ dist = \"uniform\", low = 0.1, high = 0.3{label} }}\n"),
        1,
    )
}

#[test]
fn the_baseline_names_its_assumptions_in_words() {
    let (s, _) = load(&root().join("scenarios/muscat-2026.toml")).unwrap();
    let info = ScenarioInfo::of(&s);
    assert_eq!(info.parameters.len(), s.assumptions.len());
    assert!(!info.parameters.is_empty());
    for p in &info.parameters {
        assert!(!p.label.is_empty(), "{}", p.path);
        assert!(!p.label.contains("actors."), "{}: {}", p.path, p.label);
        assert_ne!(p.label, p.path);
    }
    let strike = info.label("actors.us.bias.strike");
    assert!(
        strike.starts_with("United States: leaning towards"),
        "{strike}"
    );
    // A path the scenario has no label for is still spelt out.
    assert_eq!(
        info.label("actors.us.rationality_x"),
        "actors us rationality x"
    );
}

#[test]
fn a_label_in_the_file_names_the_number() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labelled.toml");
    fs::write(&path, minimal_with(", label = \"Trust at the start\"")).unwrap();
    let (s, _) = load(&path).unwrap();
    let info = ScenarioInfo::of(&s);
    assert_eq!(info.label("initial.trust"), "Trust at the start");
    // And it reaches summary.json.
    let out = dir.path().join("out");
    Command::cargo_bin("brink")
        .unwrap()
        .args([
            "run",
            path.to_str().unwrap(),
            "--trials",
            "200",
            "--no-plots",
        ])
        .args(["--assumption-draws", "0", "-o", out.to_str().unwrap()])
        .assert()
        .success();
    let summary = fs::read_to_string(out.join("minimal/summary.json")).unwrap();
    assert!(
        summary.contains("\"label\": \"Trust at the start\""),
        "{summary}"
    );
}

#[test]
fn an_empty_label_is_refused_where_it_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty-label.toml");
    fs::write(&path, minimal_with(", label = \"  \"")).unwrap();
    Command::cargo_bin("brink")
        .unwrap()
        .args(["validate", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("empty-label.toml:15:"))
        .stdout(predicate::str::contains(
            "`label` must be between 1 and 60 characters",
        ));
}
