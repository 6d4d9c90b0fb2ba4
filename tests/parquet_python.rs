//! Parquet tables load in pyarrow, pandas and polars with exactly the values
//! of the CSV tables (floats bit for bit), for every command that writes
//! tables.
//!
//! The Python side runs in the venv that `scripts/python-env.sh` makes in
//! `target/python-env` (`.ci/run` calls it before the tests). When it is
//! missing the test makes it (pip, from the Python package index); when
//! that fails the test fails, saying why: it never passes unchecked.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::python_env::root;

fn python() -> PathBuf {
    common::python_env::python("pyarrow, pandas, polars")
}

fn brink(dir: &Path, args: &[String]) {
    let out = Command::new(env!("CARGO_BIN_EXE_brink"))
        .current_dir(dir)
        .args(args)
        .args(["--quiet", "--no-plots"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "brink {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `args` with `--format csv` and `--format parquet` into two folders
/// and has Python compare every table of folder `result` in them.
fn check(args: &[&str], result: &str) {
    let python = python();
    let tmp = tempfile::tempdir().unwrap();
    for format in ["csv", "parquet"] {
        // Results go to the scratch folder; scenarios are read in place.
        let out = tmp.path().join(format).display().to_string();
        let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        a.extend(["--format".into(), format.into(), "--out".into(), out]);
        brink(&root(), &a);
    }
    let (csv, parquet) = (
        tmp.path().join("csv").join(result),
        tmp.path().join("parquet").join(result),
    );
    let tables = fs::read_dir(&parquet)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "parquet")
        })
        .count();
    assert!(tables > 0, "no Parquet table in {}", parquet.display());
    let out = Command::new(python)
        .arg(root().join("tests/python/check_parquet.py"))
        .args([&csv, &parquet])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}{}",
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok ")).count(),
        tables
    );
}

const BASE: &str = "scenarios/muscat-2026.toml";

#[test]
fn run_tables_round_trip() {
    // More trials than a row group, so the file has two.
    check(
        &["run", BASE, "--trials", "70000", "-j", "2"],
        "muscat-2026",
    );
}

#[test]
fn compare_table_round_trips() {
    check(
        &[
            "compare",
            BASE,
            "scenarios/no-oman.toml",
            "--trials",
            "2000",
        ],
        "compare-muscat-2026-vs-no-oman",
    );
}

#[test]
fn sweep_table_round_trips() {
    check(
        &[
            "sweep",
            BASE,
            "--param",
            "actors.iran.reciprocity",
            "--range",
            "0:1.6:3",
            "--trials",
            "300",
        ],
        "sweep-muscat-2026-actors-iran-reciprocity",
    );
}

#[test]
fn sensitivity_table_round_trips() {
    check(
        &[
            "sensitivity",
            BASE,
            "--samples",
            "8",
            "--trials-per-sample",
            "20",
            "--bootstrap",
            "50",
        ],
        "sensitivity-muscat-2026",
    );
}

#[test]
fn discovery_table_round_trips() {
    check(
        &["discover", BASE, "--trials", "1500"],
        "discover-muscat-2026-war_ongoing",
    );
}

#[test]
fn calibration_tables_round_trip() {
    check(
        &[
            "calibrate",
            BASE,
            "--targets",
            "scenarios/targets/muscat-2026-experts.toml",
            "--samples",
            "60",
            "--trials-per-sample",
            "40",
        ],
        "calibrate-muscat-2026",
    );
}
