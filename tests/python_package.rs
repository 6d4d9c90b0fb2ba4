//! brink's Python package (pyproject.toml, python/): built with maturin and
//! installed with pip into the test venv (`scripts/python-env.sh`), then
//! checked by pytest (tests/python/test_package.py): the same numbers as
//! the command line for the same seed, tables that load with clean types,
//! errors as Python exceptions, and the EMA Workbench adapter running
//! `perform_experiments`.
//!
//! The package is reinstalled from this checkout on every run, so the
//! tests never see a stale build. A skipped pytest test fails this test:
//! nothing passes unchecked.

use std::process::Command;

mod common;
use common::python_env::{python, root};

#[test]
fn python_package_installs_and_passes_its_tests() {
    let python = python("pyarrow, pandas, polars, pytest, ema_workbench, maturin, jsonschema");
    let bin = python.parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let install = Command::new(&python)
        .current_dir(root())
        .env("PATH", &path)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-build-isolation",
            "--no-deps",
            "--force-reinstall",
            ".",
        ])
        .output()
        .unwrap();
    assert!(
        install.status.success(),
        "`pip install .` of the Python package failed:\n{}{}",
        String::from_utf8_lossy(&install.stdout),
        String::from_utf8_lossy(&install.stderr)
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(&python)
        .current_dir(root())
        .env("PATH", &path)
        .env("BRINK_BIN", env!("CARGO_BIN_EXE_brink"))
        .env("BRINK_ROOT", root())
        .env("BRINK_TMP", tmp.path())
        .args([
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::UserWarning",
            "tests/python/test_package.py",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "pytest failed:\n{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !stdout.contains("skipped"),
        "pytest skipped tests, which must run:\n{stdout}"
    );
    let passed = stdout
        .lines()
        .find_map(|l| {
            l.split_whitespace()
                .collect::<Vec<_>>()
                .windows(2)
                .find(|w| w[1].starts_with("passed"))
                .and_then(|w| w[0].parse::<u32>().ok())
        })
        .unwrap_or(0);
    assert!(
        passed >= 8,
        "expected at least 8 pytest tests to pass:\n{stdout}"
    );
}
