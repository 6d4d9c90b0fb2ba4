//! The files a scenario was read from, laid end to end in one offset space.
//!
//! A scenario that `extends` another is merged from several files before it
//! is deserialized. Each file's spans are shifted by the file's base offset,
//! so a span in the merged tree still says which file, line and column a
//! value came from: an error in an inherited value points into the parent.

use std::ops::Range;

use super::diagnostic::{Diagnostic, Severity, SourceFile};

/// Several source files with disjoint offset ranges. File 0 is the scenario
/// that was asked for; whole-file problems are reported against it.
#[derive(Debug, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    bases: Vec<usize>,
}

impl SourceMap {
    /// A map holding one file at base offset 0.
    pub fn new(first: SourceFile) -> Self {
        Self {
            files: vec![first],
            bases: vec![0],
        }
    }

    /// Adds a file after the others and returns its base offset.
    pub fn push(&mut self, file: SourceFile) -> usize {
        let last = self.files.len() - 1;
        // One byte of gap, so an empty span at the end of a file still maps to it.
        let base = self.bases[last] + self.files[last].text.len() + 1;
        self.files.push(file);
        self.bases.push(base);
        base
    }

    /// The files, in the order they were added.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Base offset of file `i`.
    pub fn base(&self, i: usize) -> usize {
        self.bases[i]
    }

    /// The file holding global offset `offset`, and the offset within it.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let i = self
            .bases
            .partition_point(|&b| b <= offset)
            .saturating_sub(1);
        (i, offset - self.bases[i])
    }

    /// A diagnostic pointing at a global `span`, in whichever file holds it.
    pub fn diagnostic(
        &self,
        severity: Severity,
        span: Option<Range<usize>>,
        message: impl Into<String>,
        hint: Option<String>,
    ) -> Diagnostic {
        let Some(span) = span else {
            return self.files[0].diagnostic(severity, None, message, hint);
        };
        let (i, start) = self.locate(span.start);
        let end = span.end.saturating_sub(self.bases[i]).max(start);
        self.files[i].diagnostic(severity, Some(start..end), message, hint)
    }
}

impl From<SourceFile> for SourceMap {
    fn from(file: SourceFile) -> Self {
        SourceMap::new(file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_reported_in_the_file_that_holds_them() {
        let mut m = SourceMap::new(SourceFile::new("child.toml", "a = 1\n"));
        let base = m.push(SourceFile::new("parent.toml", "x = 2\ny = 3\n"));
        assert_eq!(base, 7);
        let d = m.diagnostic(Severity::Error, Some(base + 6..base + 7), "bad", None);
        assert_eq!(d.file.to_str(), Some("parent.toml"));
        assert_eq!((d.line, d.column), (2, 1));
        let d = m.diagnostic(Severity::Error, Some(4..5), "bad", None);
        assert_eq!(d.file.to_str(), Some("child.toml"));
        assert_eq!((d.line, d.column), (1, 5));
        let d = m.diagnostic(Severity::Error, None, "whole", None);
        assert_eq!((d.file.to_str(), d.line), (Some("child.toml"), 0));
    }
}
