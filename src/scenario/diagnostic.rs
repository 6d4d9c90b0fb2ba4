//! Problems found in a scenario file, located by line and column, with a hint.
//!
//! Every stage of loading (reading, TOML syntax, structure, meaning) reports
//! into a [`Diagnostics`] list instead of stopping at the first problem, so a
//! scenario author sees everything that is wrong with a file at once.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The file cannot be run.
    Error,
    /// The file runs, but probably not as its author meant.
    Warning,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters), 0 when the problem concerns the whole file.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
    /// The offending source line (or, for a long line, the part of it
    /// around the problem), shown under the message with a caret.
    pub source_line: Option<String>,
    /// 1-based column of the caret within `source_line`.
    pub source_column: usize,
    /// Width of the caret underline, in characters.
    pub underline: usize,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // A message may quote a key or value of the file: no escape
        // sequence reaches the terminal through it.
        let message = printable_lines(&self.message);
        let file = printable_lines(&self.file.display().to_string());
        if self.line == 0 {
            writeln!(f, "{file}: {kind}: {message}")?;
        } else {
            writeln!(f, "{file}:{}:{}: {kind}: {message}", self.line, self.column,)?;
        }
        if let Some(src) = &self.source_line {
            let gutter = self.line.to_string();
            let pad = " ".repeat(gutter.len());
            writeln!(f, "{pad} |")?;
            writeln!(f, "{gutter} | {src}")?;
            let lead: String = src
                .chars()
                .take(self.source_column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} | {lead}{}", "^".repeat(self.underline.max(1)))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {}", printable_lines(hint))?;
        }
        Ok(())
    }
}

/// The source text of one file, able to turn byte spans into positions.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as given by the user.
    pub path: PathBuf,
    /// Full text (after removing a UTF-8 byte-order mark, if any).
    pub text: String,
}

impl SourceFile {
    /// Wraps a file's path and text.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }

    /// The text of `line` to show for a problem at `column`: the whole line,
    /// or for a long one a window of it around the column, with the
    /// column of the problem within what is shown.
    fn line_text_at(&self, line: usize, column: usize) -> Option<(String, usize)> {
        const WIDTH: usize = 120;
        let text = self.text.lines().nth(line.checked_sub(1)?)?;
        let text = text.trim_end_matches('\r');
        let len = text.chars().count();
        if len <= WIDTH {
            return Some((printable(text), column));
        }
        let start = column
            .saturating_sub(WIDTH / 2 + 1)
            .min(len.saturating_sub(WIDTH));
        let mut shown: String = text.chars().skip(start).take(WIDTH).collect();
        let mut col = column - start;
        if start > 0 {
            shown.insert(0, '…');
            col += 1;
        }
        if start + WIDTH < len {
            shown.push('…');
        }
        Some((printable(&shown), col))
    }

    /// A diagnostic pointing at `span` in this file.
    pub fn diagnostic(
        &self,
        severity: Severity,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        let Some(span) = span else {
            return Diagnostic {
                severity,
                file: self.path.clone(),
                line: 0,
                column: 0,
                message: message.into(),
                hint,
                source_line: None,
                source_column: 0,
                underline: 0,
            };
        };
        let (line, column) = self.position(span.start);
        let (source_line, source_column) = match self.line_text_at(line, column) {
            Some((text, col)) => (Some(text), col),
            None => (None, column),
        };
        let end = floor_char_boundary(&self.text, span.end.min(self.text.len()));
        let start = floor_char_boundary(&self.text, span.start.min(end));
        let spanned = &self.text[start..end];
        let first_line = spanned.split('\n').next().unwrap_or("");
        let underline = first_line.chars().count().clamp(1, 60);
        Diagnostic {
            severity,
            file: self.path.clone(),
            line,
            column,
            message: message.into(),
            hint,
            source_line,
            source_column,
            underline,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Control characters (other than tab) replaced, so that a binary file
/// cannot send escape sequences to the terminal; one character for one, so
/// the caret stays aligned.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// [`printable`], keeping line breaks.
fn printable_lines(s: &str) -> String {
    s.split('\n').map(printable).collect::<Vec<_>>().join("\n")
}

/// All problems found while loading one or more files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds all problems of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// True when at least one problem is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The problems, errors first, each group in file order.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (a.severity, &a.file, a.line, a.column).cmp(&(b.severity, &b.file, b.line, b.column))
        });
        v
    }

    /// Iterates over the problems in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.sorted() {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely misspelling.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(&str, f64)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&word.to_lowercase(), &c.to_lowercase());
        if score > 0.8 && best.is_none_or(|(_, s)| score > s) {
            best = Some((c, score));
        }
    }
    best.map(|(c, _)| c)
}

/// A hint naming the likely intended word, or listing what is allowed.
pub fn suggestion_hint(word: &str, candidates: &[&str], what: &str) -> String {
    match did_you_mean(word, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None if candidates.is_empty() => format!("there are no {what}"),
        None => {
            let mut unique: Vec<&str> = Vec::new();
            for c in candidates {
                if !unique.contains(c) {
                    unique.push(c);
                }
            }
            format!("known {what}: {}", unique.join(", "))
        }
    }
}

/// A number for a message: short, without float noise (`0.7`, not
/// `0.7000000000000001`), in scientific notation when very large or small.
pub fn show_number(x: f64) -> String {
    let a = x.abs();
    if a != 0.0 && !(1e-6..1e15).contains(&a) {
        return format!("{x:e}");
    }
    let s = format!("{x:.10}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// Path of a file relative to nothing in particular: used in messages as typed.
pub fn display_path(p: &Path) -> String {
    p.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let f = SourceFile::new("x.toml", "a = 1\nbé = 2\n");
        assert_eq!(f.position(0), (1, 1));
        assert_eq!(f.position(6), (2, 1));
        // `=` after the two-byte `é`
        assert_eq!(f.position(10), (2, 4));
    }

    #[test]
    fn caret_is_drawn_under_the_span() {
        let f = SourceFile::new("x.toml", "horizon = -3\n");
        let d = f.diagnostic(Severity::Error, Some(10..12), "must be positive", None);
        let text = d.to_string();
        assert!(text.starts_with("x.toml:1:11: error: must be positive"));
        assert!(text.contains("1 | horizon = -3"));
        assert!(text.contains("  |           ^^"));
    }

    #[test]
    fn numbers_are_shown_without_noise() {
        assert_eq!(show_number(0.1 + 0.2 + 0.4), "0.7");
        assert_eq!(show_number(1e300), "1e300");
        assert_eq!(show_number(-3.0), "-3");
        assert_eq!(show_number(1e9), "1000000000");
        assert_eq!(show_number(2.5e-9), "2.5e-9");
    }

    #[test]
    fn did_you_mean_finds_close_words_only() {
        assert_eq!(
            did_you_mean("rationalty", ["rationality", "reciprocity"]),
            Some("rationality")
        );
        assert_eq!(did_you_mean("zzz", ["rationality", "reciprocity"]), None);
    }
}
