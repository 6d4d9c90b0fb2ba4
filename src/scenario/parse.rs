//! One file of a scenario, from text to a TOML tree: nesting too deep is
//! refused before parsing, and the first syntax errors are reported.

use toml::de::DeTable;

use super::diagnostic::{Diagnostics, Severity, SourceFile};
use super::guard::nesting_problem;

/// Parses one file of a scenario: refuses nesting too deep before parsing,
/// then reports the TOML syntax errors (the first twenty, and how many more).
pub(crate) fn parse_file<'i>(file: &'i SourceFile, diags: &mut Diagnostics) -> Option<DeTable<'i>> {
    if let Some((at, message)) = nesting_problem(&file.text) {
        diags.push(file.diagnostic(
            Severity::Error,
            Some(at..at + 1),
            message,
            Some("scenario files nest at most a few levels; is this the right file?".into()),
        ));
        return None;
    }
    let (root, errors) = DeTable::parse_recoverable(&file.text);
    if errors.is_empty() {
        return Some(root.into_inner());
    }
    // Text that is not TOML at all gives an error per line; the first ones tell the story.
    const SHOWN: usize = 20;
    if errors.len() > SHOWN {
        diags.push(file.diagnostic(
            Severity::Error,
            None,
            format!("{} more TOML syntax errors not shown", errors.len() - SHOWN),
            Some("is this a TOML scenario file?".into()),
        ));
    }
    for e in errors.into_iter().take(SHOWN) {
        diags.push(file.diagnostic(
            Severity::Error,
            e.span(),
            format!("invalid TOML: {}", e.message().trim()),
            Some("see https://toml.io for the syntax".into()),
        ));
    }
    None
}
