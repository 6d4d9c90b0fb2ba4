//! The scenarios in a folder, with their titles: what `brink list` shows.

use std::io;
use std::path::{Path, PathBuf};

use super::load::{LoadOptions, MAX_FILE_BYTES, load_with};
use crate::input::read_text_limited;

/// One scenario file of a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    /// Path of the file.
    pub path: PathBuf,
    /// `[scenario] name`, when the file could be read.
    pub name: Option<String>,
    /// `[scenario] title` (the name when it has none), when the file could be read.
    pub title: Option<String>,
    /// Errors found by validation (0 for a valid file).
    pub errors: usize,
}

/// Every `*.toml` file of `dir` but question files (`*.questions.toml`),
/// in file-name order, loaded and checked.
pub fn list_scenarios(dir: &Path, options: &LoadOptions) -> io::Result<Vec<CatalogEntry>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        // A history suite's question files sit beside its scenarios.
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".questions.toml"))
        })
        .collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|path| match load_with(&path, options) {
            Ok((s, _)) => CatalogEntry {
                name: Some(s.name),
                title: Some(s.title),
                errors: 0,
                path,
            },
            Err(d) => {
                let (name, title) = raw_header(&path);
                CatalogEntry {
                    name,
                    title,
                    errors: d.error_count(),
                    path,
                }
            }
        })
        .collect())
}

/// Name and title of a file that does not validate, read as plain TOML.
fn raw_header(path: &Path) -> (Option<String>, Option<String>) {
    let Ok(text) = read_text_limited(path, MAX_FILE_BYTES as u64) else {
        return (None, None);
    };
    let Ok(table) = text.parse::<toml::Table>() else {
        return (None, None);
    };
    let header = table.get("scenario").and_then(|h| h.as_table());
    let get = |k: &str| {
        header
            .and_then(|h| h.get(k))
            .and_then(|v| v.as_str())
            // An invalid file's text is not shown if it could drive the terminal.
            .filter(|s| !s.chars().any(char::is_control))
            .map(str::to_string)
    };
    (get("name"), get("title"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_shipped_scenarios() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let list = list_scenarios(&dir, &LoadOptions::default()).unwrap();
        let muscat = list
            .iter()
            .find(|e| e.name.as_deref() == Some("muscat-2026"))
            .unwrap();
        assert_eq!(muscat.errors, 0);
        assert!(muscat.title.as_deref().unwrap().starts_with("Muscat talks"));
    }
}
