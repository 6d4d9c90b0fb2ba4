//! `brink list`.

use brink::scenario::catalog::list_scenarios;

use super::args::ListArgs;
use super::output::emit;
use super::validate::count;
use super::{EXIT_BAD_INPUT, EXIT_OK};

/// Prints one line per scenario of the folder: file, name, title.
pub fn list(a: &ListArgs) -> u8 {
    let entries = match list_scenarios(&a.dir, &a.load.options()) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot list {}: {e}", a.dir.display());
            eprintln!("  = hint: run brink from the project folder, or pass --dir");
            return EXIT_BAD_INPUT;
        }
    };
    if entries.is_empty() {
        eprintln!("no scenario files (*.toml) in {}", a.dir.display());
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
