//! `brink list`.

use std::path::PathBuf;

use brink::scenario::builtin::BUILTIN;
use brink::scenario::catalog::list_scenarios;

use super::args::ListArgs;
use super::output::emit;
use super::validate::count;
use super::{EXIT_BAD_INPUT, EXIT_OK};

/// The folder listed when none is named.
const DEFAULT_DIR: &str = "scenarios";

/// Prints one line per scenario of the folder: file, name, title; or, with
/// no folder named and no `scenarios/` here, the built-in scenarios.
pub fn list(a: &ListArgs) -> u8 {
    let dir = match &a.dir {
        Some(d) => d.clone(),
        None if PathBuf::from(DEFAULT_DIR).is_dir() => PathBuf::from(DEFAULT_DIR),
        None => return list_builtin(),
    };
    let entries = match list_scenarios(&dir, &a.load.options()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot list {}: {e}", dir.display());
            eprintln!(
                "  = hint: check the folder; without --dir, brink lists ./scenarios, or its built-in scenarios where there is none"
            );
            return EXIT_BAD_INPUT;
        }
    };
    if entries.is_empty() {
        eprintln!("no scenario files (*.toml) in {}", dir.display());
        return EXIT_OK;
    }
    let width = entries
        .iter()
        .map(|e| e.path.display().to_string().chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for e in &entries {
        let title = e.title.as_deref().unwrap_or("(no title)");
        let note = if e.errors > 0 {
            format!(
                "  [invalid: {}; see brink validate]",
                count(e.errors, "error")
            )
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{:<width$}  {title}{note}\n",
            e.path.display().to_string()
        ));
    }
    emit(out.as_bytes())
}

/// The scenarios built into brink, for a folder without `scenarios/`.
fn list_builtin() -> u8 {
    let width = BUILTIN
        .iter()
        .map(|b| b.name().chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from(
        "built-in scenarios (there is no scenarios/ folder here); \
         `brink init NAME --from SCENARIO` writes one as a file to run and edit:\n",
    );
    for b in BUILTIN {
        let parent = b
            .parent()
            .map(|p| format!("  [extends {}]", p.name()))
            .unwrap_or_default();
        out.push_str(&format!("{:<width$}  {}{parent}\n", b.name(), b.title()));
    }
    emit(out.as_bytes())
}
