//! `brink validate` on every fixture: each invalid one is refused with exit
//! status 2 and a located, snapshot-tested message, never a panic; each
//! valid one is accepted. Plus inputs generated here rather than committed
//! (a 10 MB file, a device, a folder).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Runs brink in the fixtures folder, so messages show paths like `invalid/nan.toml`.
fn brink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .current_dir(fixtures())
        .output()
        .expect("brink runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn toml_files(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixtures().join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_invalid_fixture_is_refused_with_located_messages() {
    let files = toml_files("invalid");
    assert!(files.len() >= 40, "only {} invalid fixtures", files.len());
    for name in &files {
        let rel = format!("invalid/{name}");
        let out = brink(&["validate", &rel]);
        let stdout = text(&out.stdout);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{rel}:\n{stdout}{stderr}");
        assert!(!stderr.contains("panicked"), "{rel}: {stderr}");
        assert!(
            stdout.contains(": error: "),
            "{rel}: no error shown:\n{stdout}"
        );
        let verdict = stdout.lines().last().unwrap_or_default();
        assert!(
            verdict.starts_with(&format!("{rel}: invalid, ")),
            "{rel}: no verdict:\n{stdout}"
        );
        let stem = name.trim_end_matches(".toml");
        insta::assert_snapshot!(format!("invalid-{stem}"), stdout);
    }
}

/// The diagnostics of `validate` output whose first line says `error`,
/// each with the lines that follow it (excerpt, caret, hint).
fn error_blocks(stdout: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    for line in stdout.lines() {
        let starts = line.contains(": error: ") || line.contains(": warning: ");
        if starts || blocks.is_empty() {
            blocks.push(String::new());
        }
        let last = blocks.last_mut().unwrap();
        last.push_str(line);
        last.push('\n');
    }
    blocks.retain(|b| b.lines().next().is_some_and(|l| l.contains(": error: ")));
    blocks
}

#[test]
fn every_error_of_every_invalid_fixture_has_a_hint() {
    let mut missing = Vec::new();
    let mut errors = 0;
    for name in toml_files("invalid") {
        let rel = format!("invalid/{name}");
        let stdout = text(&brink(&["validate", &rel]).stdout);
        for block in error_blocks(&stdout) {
            errors += 1;
            if !block.contains("\n  = hint: ") {
                missing.push(block);
            }
        }
    }
    assert!(errors > 100, "only {errors} errors found");
    assert!(
        missing.is_empty(),
        "{} of {errors} errors without a hint:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn every_valid_fixture_is_accepted() {
    for name in toml_files("valid") {
        let rel = format!("valid/{name}");
        let out = brink(&["validate", &rel]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{rel}:\n{stdout}");
        assert!(!stdout.contains(": error: "), "{stdout}");
        let stem = name.trim_end_matches(".toml");
        insta::assert_snapshot!(format!("valid-{stem}"), stdout);
    }
}

#[test]
fn the_fixtures_of_other_tests_are_valid() {
    for dir in ["shards", "snapshot", "milestones"] {
        for name in toml_files(dir) {
            let rel = format!("{dir}/{name}");
            let out = brink(&["validate", &rel]);
            assert_eq!(out.status.code(), Some(0), "{rel}:\n{}", text(&out.stdout));
        }
    }
}

#[test]
fn the_shipped_scenarios_are_valid_without_warnings() {
    let out = brink(&["validate", "../../scenarios/muscat-2026.toml"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).ends_with("valid, 0 warnings\n"));
}

#[test]
fn several_files_are_checked_in_one_pass() {
    let out = brink(&[
        "validate",
        "valid/minimal.toml",
        "invalid/nan.toml",
        "invalid/unknown-actor.toml",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("valid/minimal.toml: valid, 0 warnings"));
    assert!(stdout.contains("invalid/nan.toml: invalid, 2 errors"));
    assert!(stdout.contains("invalid/unknown-actor.toml: invalid, 2 errors"));
}

#[test]
fn run_refuses_what_validate_refuses_with_the_same_messages() {
    let out_dir = tempfile::tempdir().unwrap();
    for rel in [
        "invalid/unknown-fields-in-actor.toml",
        "invalid/wrong-types.toml",
    ] {
        let v = brink(&["validate", rel]);
        let r = brink(&["run", rel, "--out", out_dir.path().to_str().unwrap()]);
        assert_eq!(r.status.code(), Some(2));
        let problems = |s: &str| -> String {
            s.lines()
                .filter(|l| !l.starts_with(&format!("{rel}: ")))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(problems(&text(&v.stdout)), problems(&text(&r.stderr)));
    }
    assert_eq!(std::fs::read_dir(out_dir.path()).unwrap().count(), 0);
}

#[test]
fn a_10_mb_file_is_refused_before_parsing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.toml");
    let line = format!("# {}\n", "x".repeat(98));
    std::fs::write(&path, line.repeat(100_000)).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() >= 10_000_000);
    let out = brink(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("the file is larger than 1048576 bytes"),
        "{stdout}"
    );
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_refused_without_reading_it_all() {
    let out = brink(&["validate", "/dev/zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("it is a device, not a regular file"));
}

#[test]
fn folders_and_missing_files_are_refused() {
    let out = brink(&["validate", "valid"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("cannot read the file: it is a folder, not a regular file"));
    let out = brink(&["validate", "no-such-file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("`brink list` shows the shipped scenarios"));
}

#[test]
fn deep_nesting_far_beyond_the_limit_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.toml");
    let n = 400_000;
    std::fs::write(&path, format!("a = {}{}\n", "[".repeat(n), "]".repeat(n))).unwrap();
    let out = brink(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stdout).contains("brackets nest deeper than 32 levels"));
}
