//! `fitted.toml`: the shared assumptions of a suite, fitted on history, as a
//! file that `extends` the suite's shared parent and replaces each fitted
//! parameter by its posterior: triangular over the posterior's 5th to 95th
//! percentiles with its peak at the posterior median, or (`point`) the
//! posterior median as a fixed value. Scenarios use it by naming it in their
//! `extends` in place of the shared parent.

use std::collections::BTreeMap;
use std::path::Path;

use toml_edit::{DocumentMut, Item, Table, Value};

use crate::analysis::suite_fit::FitResult;
use crate::distribution::Distribution;
use crate::scenario::Scenario;

use super::calibrated_scenario::{distribution, place_values, relative_path, scenario_root};

/// The file name of the fitted assumptions.
pub const FILE_NAME: &str = "fitted.toml";

/// What the header of a fitted file says it was fitted to.
#[derive(Debug, Clone)]
pub struct FittedOrigin<'a> {
    /// The suite folder, as given.
    pub suite: &'a Path,
    /// The scenario names of the episodes.
    pub episodes: Vec<String>,
    /// The seed.
    pub seed: u64,
    /// The scenario name the file gives itself.
    pub name: String,
}

/// Rounds to four significant digits (plenty for a fitted assumption),
/// kept inside `bounds`.
fn round(x: f64, bounds: (f64, f64)) -> f64 {
    format!("{x:.3e}")
        .parse::<f64>()
        .unwrap_or(x)
        .clamp(bounds.0, bounds.1)
}

/// Text for a comment line (control characters become spaces).
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The fitted file, to be saved in folder `dir`: it extends `parent` (the
/// shared parent) and states, for every parameter of `fit`, its posterior
/// summary; `shape` is a scenario with the parent's actors (an episode),
/// `bounds` each parameter's valid range.
pub fn render(
    fit: &FitResult,
    origin: &FittedOrigin<'_>,
    parent: &Path,
    shape: &Scenario,
    bounds: &[(f64, f64)],
    point: bool,
    dir: &Path,
) -> String {
    let mut narrowed = BTreeMap::new();
    let mut not_placed = Vec::new();
    for (p, &b) in fit.parameters.iter().zip(bounds) {
        let q = &p.posterior;
        let (low, mode, high) = (round(q.q05, b), round(q.median, b), round(q.q95, b));
        let v = if point || high <= low {
            Value::from(mode)
        } else {
            distribution(&Distribution::Triangular {
                low,
                mode: mode.clamp(low, high),
                high,
            })
        };
        if p.parameter.contains(".red_lines.") {
            not_placed.push(p.parameter.clone());
        } else {
            narrowed.insert(p.parameter.clone(), v);
        }
    }
    let extends = relative_path(dir, parent)
        .to_string_lossy()
        .replace('\\', "/");
    let how = if point {
        "Each fitted parameter is fixed at its posterior median."
    } else {
        "Each fitted parameter is triangular over the 5th-95th percentiles of its posterior,\n# peaking at the posterior median."
    };
    let n_questions = fit.questions.len();
    let mut header = format!(
        "# Shared assumptions fitted on history by `brink calibrate --suite {}`\n\
         # to the {n_questions} resolved questions of {} episodes ({}),\n\
         # {} samples from the prior x {} trials per episode, seed {}, effective sample size {:.1}.\n\
         # {how}\n\
         # Prior and posterior of every parameter, and every question: suite-fit.json beside this file.\n\
         #\n\
         # The baseline (scenarios/muscat-2026.toml) does not use this file: it stays built from\n\
         # information up to 7 February 2026. Point a scenario's `extends` here to use the fit.\n\n",
        comment(&origin.suite.display().to_string()),
        origin.episodes.len(),
        comment(&origin.episodes.join(", ")),
        fit.samples,
        fit.trials_per_sample,
        origin.seed,
        fit.ess,
    );
    if let Some(root) = scenario_root(&extends) {
        header.push_str(&format!(
            "# Its parent lies outside this folder: load it from here with `--scenario-root {root}`.\n\n"
        ));
    }
    let mut doc = DocumentMut::new();
    doc.insert("extends", Item::Value(Value::from(extends)));
    if let Some(mut key) = doc.key_mut("extends") {
        key.leaf_decor_mut().set_prefix(header);
    }
    let mut scenario = Table::new();
    scenario.insert("name", Item::Value(Value::from(origin.name.as_str())));
    doc.insert("scenario", Item::Table(scenario));
    place_values(&mut doc, shape, &narrowed);
    if !not_placed.is_empty() {
        let before = doc.trailing().as_str().unwrap_or_default().to_string();
        doc.set_trailing(format!(
            "{before}\n# Not written (a red line has no id that `extends` could merge into): {}\n",
            comment(&not_placed.join(", "))
        ));
    }
    doc.to_string()
}

/// Reads back the fitted file written at `path` (in a folder beside its
/// final place `dir`, so that its `extends` resolves the same): it must be
/// TOML and, when its parent is a whole scenario, load as one. An internal
/// error otherwise, never a file left that does not work.
pub fn check_written(path: &Path, parent: &Path, dir: &Path) -> std::io::Result<()> {
    let internal = |why: String| {
        std::io::Error::other(format!(
            "the fitted file {} {why}; this is a bug in brink",
            path.display()
        ))
    };
    let text = std::fs::read_to_string(path)?;
    text.parse::<DocumentMut>()
        .map_err(|e| internal(format!("is not TOML: {e}")))?;
    let default = crate::scenario::load::LoadOptions::default();
    if crate::scenario::load::load_with(parent, &default).is_ok() {
        let folder = path.parent().unwrap_or(Path::new("."));
        let rel = relative_path(dir, parent)
            .to_string_lossy()
            .replace('\\', "/");
        let options = crate::scenario::load::LoadOptions {
            scenario_root: scenario_root(&rel).map(|r| folder.join(r)),
            ..Default::default()
        };
        crate::scenario::load::load_with(path, &options)
            .map_err(|d| internal(format!("does not load:\n{d}")))?;
    }
    Ok(())
}

/// The identifier `<folder>-fitted` for the suite in `dir` (letters other
/// than `a-z`, digits, `_` and `-` become `-`; `suite-` in front of a name
/// that does not start with a letter).
pub fn fitted_name(dir: &Path) -> String {
    let base: String = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(50)
        .collect();
    let base = if base.starts_with(|c: char| c.is_ascii_lowercase()) {
        base
    } else {
        format!("suite-{base}")
    };
    format!("{base}-fitted")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_identifiers() {
        assert_eq!(
            fitted_name(Path::new("scenarios/history")),
            "history-fitted"
        );
        assert_eq!(
            fitted_name(Path::new("x/2019 Episodes")),
            "suite-2019-episodes-fitted"
        );
    }

    #[test]
    fn rounding_keeps_four_digits_inside_the_range() {
        assert_eq!(round(0.123456, (0.0, 1.0)), 0.1235);
        assert_eq!(round(0.99999, (0.0, 1.0)), 1.0);
    }
}
