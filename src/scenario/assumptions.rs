//! Where each uncertain number of a scenario was written and what the file
//! says about it, for the report's list of assumptions.
//!
//! Scenarios give their sources on the line of a number (a trailing
//! comment: `collapse = { dist = "uniform", ... }  # assumption: weekly
//! chance a ceasefire breaks down`) or in the `note` of its table (a red
//! line's `note = "..."`). The source of an uncertain number is, in that
//! order: the trailing comment of its line, the `note` of the table it is
//! written in, or the comment lines just above it.

use std::ops::Range;

use super::sources::SourceMap;

/// One uncertain number: where it was written and its source in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumptionSource {
    /// The parameter path (`actors.us.bias.strike`).
    pub path: String,
    /// The file it was written in (its name, without folders).
    pub file: String,
    /// Its line (1-based).
    pub line: usize,
    /// What the file says about it (empty when nothing).
    pub note: String,
    /// What plots and reports call it: the file's `label`, or one made
    /// from the path ([`super::labels`]).
    pub label: String,
}

/// The sources of the uncertain numbers written at `spans` (global offsets
/// of `src`), one per path, in the order given.
pub(crate) fn find_sources(
    src: &SourceMap,
    spans: &[(String, Range<usize>)],
) -> Vec<AssumptionSource> {
    let mut out: Vec<AssumptionSource> = Vec::new();
    for (path, span) in spans {
        if out.iter().any(|a| &a.path == path) {
            continue;
        }
        let (i, offset) = src.locate(span.start);
        let Some(file) = src.files().get(i) else {
            continue;
        };
        let text = &file.text;
        let offset = offset.min(text.len());
        let line = text[..offset].matches('\n').count();
        let lines: Vec<&str> = text.lines().collect();
        out.push(AssumptionSource {
            path: path.clone(),
            file: file.path.file_name().map_or_else(
                || file.path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            line: line + 1,
            note: note_of(&lines, line),
            label: String::new(),
        });
    }
    out
}

/// The note of the number on line `at` (0-based) of `lines`.
fn note_of(lines: &[&str], at: usize) -> String {
    if let Some(c) = lines.get(at).and_then(|l| trailing_comment(l)) {
        return c;
    }
    if let Some(n) = table_note(lines, at) {
        return n;
    }
    let mut above = Vec::new();
    for l in lines[..at.min(lines.len())].iter().rev() {
        match l.trim().strip_prefix('#') {
            Some(c) if !c.trim().starts_with('-') => above.push(c.trim()),
            _ => break,
        }
    }
    above.reverse();
    above.join(" ")
}

/// The text after a `#` outside quotes, trimmed; `None` when there is none
/// or it is empty.
fn trailing_comment(line: &str) -> Option<String> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (k, ch) in line.char_indices() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if ch == '\\' && q == '"' {
                    escaped = true;
                } else if ch == q {
                    quote = None;
                }
            }
            None if ch == '"' || ch == '\'' => quote = Some(ch),
            None if ch == '#' => {
                let c = line[k + 1..].trim();
                return (!c.is_empty()).then(|| c.to_string());
            }
            None => {}
        }
    }
    None
}

/// The `note = "..."` of the table holding line `at`: the lines from the
/// table's header to the next one.
fn table_note(lines: &[&str], at: usize) -> Option<String> {
    let is_header = |l: &str| l.trim_start().starts_with('[');
    let start = (0..=at.min(lines.len().saturating_sub(1)))
        .rev()
        .find(|&k| is_header(lines[k]))
        .unwrap_or(0);
    let end = (at + 1..lines.len())
        .find(|&k| is_header(lines[k]))
        .unwrap_or(lines.len());
    lines[start..end].iter().find_map(|l| {
        let rest = l
            .trim()
            .strip_prefix("note")?
            .trim_start()
            .strip_prefix('=')?;
        let rest = rest.trim().strip_prefix('"')?;
        let end = rest.rfind('"')?;
        Some(rest[..end].replace("\\\"", "\""))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_comment_is_the_source() {
        let lines = ["x = { dist = \"uniform\", low = 0, high = 1 }  # assumption: why"];
        assert_eq!(note_of(&lines, 0), "assumption: why");
    }

    #[test]
    fn hashes_in_strings_are_not_comments() {
        assert_eq!(trailing_comment("note = \"a # b\""), None);
        assert_eq!(trailing_comment("x = 'a # b' # c"), Some("c".into()));
    }

    #[test]
    fn the_table_note_comes_next() {
        let lines = [
            "[[actors.red_lines]]",
            "when = \"x >= 1\"",
            "favour = { strike = { dist = \"uniform\", low = 1, high = 3 } }",
            "note = \"assumption: a line\"",
            "[[actors.red_lines]]",
            "note = \"another\"",
        ];
        assert_eq!(note_of(&lines, 2), "assumption: a line");
    }

    #[test]
    fn comments_above_come_last() {
        let lines = [
            "[war]",
            "# weekly chance",
            "# of collapse",
            "collapse = 0.1",
        ];
        assert_eq!(note_of(&lines, 3), "weekly chance of collapse");
        assert_eq!(note_of(&["[war]", "collapse = 0.1"], 1), "");
    }
}
