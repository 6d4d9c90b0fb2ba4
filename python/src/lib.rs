//! `brink._native`: the compiled half of brink's Python package.
//!
//! Each function calls brink's library API (never the command line) and
//! writes the same result folder `brink` would, with its tables in
//! Parquet; the Python half (`python/brink/`) reads them back as
//! DataFrames through Arrow. The GIL is released while trials run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pyo3::exceptions::{PyKeyboardInterrupt, PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;

/// A brink error as the Python exception a user expects: bad input is a
/// `ValueError` (its message names the file, line and column and ends in
/// a hint), a failed read or write an `OSError`.
fn to_py(e: brink::Error) -> PyErr {
    let message = e.to_string();
    match e {
        brink::Error::BadInput { .. } => PyValueError::new_err(message),
        brink::Error::Io { .. } => PyOSError::new_err(message),
        brink::Error::Cancelled => PyKeyboardInterrupt::new_err(message),
        _ => PyRuntimeError::new_err(message),
    }
}

/// The scenario at `path`, with `set` applied (path -> value), checked.
fn load(path: &Path, set: &BTreeMap<String, f64>) -> brink::Result<brink::Scenario> {
    let options = brink::LoadOptions {
        set: assignments(set),
        ..Default::default()
    };
    brink::load_with(path, &options)
}

/// `set` as the `PATH=VALUE` assignments of `--set`, in path order (a
/// float's shortest round-trip form, so the value is exactly the one given).
fn assignments(set: &BTreeMap<String, f64>) -> Vec<String> {
    set.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

/// The command line `brink` would have been given, for the manifest.
fn command(
    words: &[&str],
    trials: Option<u64>,
    seed: Option<u64>,
    set: &BTreeMap<String, f64>,
) -> Vec<String> {
    let mut line: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    if let Some(n) = trials {
        line.extend(["--trials".into(), n.to_string()]);
    }
    if let Some(s) = seed {
        line.extend(["--seed".into(), s.to_string()]);
    }
    for a in assignments(set) {
        line.extend(["--set".into(), a]);
    }
    line.extend(["--format".into(), "parquet".into()]);
    line
}

/// Runs a scenario into `out/<name>/` (summary.json, trials.parquet,
/// timeseries.parquet, manifest.json; plots and report when `plots`) and
/// returns that folder.
#[pyfunction]
#[pyo3(signature = (scenario, out, trials=None, seed=None, threads=0, set=BTreeMap::new(), plots=false, trials_table=true, assumption_draws=None, trials_per_draw=None))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario: PathBuf,
    out: PathBuf,
    trials: Option<u64>,
    seed: Option<u64>,
    threads: usize,
    set: BTreeMap<String, f64>,
    plots: bool,
    trials_table: bool,
    assumption_draws: Option<u64>,
    trials_per_draw: Option<u64>,
) -> PyResult<PathBuf> {
    py.detach(|| {
        let s = load(&scenario, &set)?;
        let text = scenario.display().to_string();
        let default = brink::jobs::spread::SpreadOptions::default();
        let spread = brink::jobs::spread::SpreadOptions {
            draws: assumption_draws.unwrap_or(default.draws),
            trials_per_draw: trials_per_draw.unwrap_or(default.trials_per_draw),
        };
        let mut line = command(&["brink", "run", &text], trials, seed, &set);
        if let Some(k) = assumption_draws {
            line.extend(["--assumption-draws".into(), k.to_string()]);
        }
        if let Some(m) = trials_per_draw {
            line.extend(["--trials-per-draw".into(), m.to_string()]);
        }
        if !trials_table {
            line.push("--no-trials-table".into());
        }
        let opts = brink::RunOptions {
            trials,
            seed,
            threads,
            out_root: out,
            command: line,
            plots,
            spread,
            format: brink::export::Format::Parquet,
            no_trials_table: !trials_table,
            ..Default::default()
        };
        let result = brink::run(&s, &opts, brink::Cancel::never())?;
        result
            .out_dir
            .ok_or_else(|| brink::Error::Internal("a finished run has no folder".into()))
    })
    .map_err(to_py)
}

/// Runs scenarios side by side with common random numbers into
/// `out/compare-<names>/` and returns that folder.
#[pyfunction]
#[pyo3(signature = (scenarios, out, trials=None, seed=None, threads=0, set=BTreeMap::new(), plots=false))]
#[allow(clippy::too_many_arguments)]
fn compare(
    py: Python<'_>,
    scenarios: Vec<PathBuf>,
    out: PathBuf,
    trials: Option<u64>,
    seed: Option<u64>,
    threads: usize,
    set: BTreeMap<String, f64>,
    plots: bool,
) -> PyResult<PathBuf> {
    py.detach(|| {
        let loaded = scenarios
            .iter()
            .map(|p| load(p, &set))
            .collect::<brink::Result<Vec<_>>>()?;
        let texts: Vec<String> = scenarios.iter().map(|p| p.display().to_string()).collect();
        let mut words = vec!["brink", "compare"];
        words.extend(texts.iter().map(String::as_str));
        let opts = brink::CompareOptions {
            trials,
            seed,
            threads,
            out_root: out,
            command: command(&words, trials, seed, &set),
            plots,
            format: brink::export::Format::Parquet,
            ..Default::default()
        };
        brink::compare(&loaded, &opts, brink::Cancel::never()).map(|(_, dir)| dir)
    })
    .map_err(to_py)
}

/// Runs an experiment file (levers x design points) into
/// `out/experiment-<name>/` and returns that folder.
#[pyfunction]
#[pyo3(signature = (file, out, trials=None, seed=None, threads=0, plots=false))]
fn experiment(
    py: Python<'_>,
    file: PathBuf,
    out: PathBuf,
    trials: Option<u64>,
    seed: Option<u64>,
    threads: usize,
    plots: bool,
) -> PyResult<PathBuf> {
    py.detach(|| {
        let text = file.display().to_string();
        let opts = brink::ExperimentOptions {
            trials,
            seed,
            threads,
            out_root: out,
            plots,
            format: brink::export::Format::Parquet,
            command: command(
                &["brink", "experiment", &text],
                trials,
                seed,
                &BTreeMap::new(),
            ),
            ..Default::default()
        };
        brink::experiment(&file, &opts).map(|(_, dir)| dir)
    })
    .map_err(to_py)
}

/// The parameter catalogue of a scenario (`brink params SCENARIO --json`),
/// as JSON text.
#[pyfunction]
#[pyo3(signature = (scenario, set=BTreeMap::new()))]
fn params(py: Python<'_>, scenario: PathBuf, set: BTreeMap<String, f64>) -> PyResult<String> {
    py.detach(|| {
        let s = load(&scenario, &set)?;
        let file = brink::scenario::params::CatalogueFile::of(&s);
        serde_json::to_string(&file).map_err(|e| brink::Error::Internal(e.to_string()))
    })
    .map_err(to_py)
}

/// Checks a scenario file (with `set` applied); raises `ValueError`
/// naming every problem, with its line and column.
#[pyfunction]
#[pyo3(signature = (scenario, set=BTreeMap::new()))]
fn validate(py: Python<'_>, scenario: PathBuf, set: BTreeMap<String, f64>) -> PyResult<()> {
    py.detach(|| load(&scenario, &set).map(|_| ()))
        .map_err(to_py)
}

/// The version of brink compiled into this package.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The compiled half of the `brink` Python package.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(experiment, m)?)?;
    m.add_function(wrap_pyfunction!(params, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    Ok(())
}
