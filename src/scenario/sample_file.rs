//! The CSV files that `dist = "samples"` names: a header of column names,
//! then one row of numbers per draw (`posterior.csv` beside a calibrated
//! scenario). Read once when the scenario is checked, through the size
//! limit of [`crate::input`]; every problem of the file is reported with its
//! line and column, up to [`MAX_PROBLEMS`].

use std::path::Path;

use crate::distribution::SampleTable;
use crate::input::{ReadError, read_limited};

use super::diagnostic::{Diagnostic, Severity, SourceFile};
use super::digest::hex_sha256;

/// Largest sample file read, in bytes (about a million cells).
pub const MAX_SAMPLE_FILE_BYTES: u64 = 32 << 20;
/// Problems of one file reported before the rest are left out.
pub const MAX_PROBLEMS: usize = 10;

/// Why a sample file gave no table.
#[derive(Debug)]
pub enum SampleFileError {
    /// The file could not be read at all.
    Unreadable(ReadError),
    /// The file was read; these are its problems.
    Invalid(Vec<Diagnostic>),
}

/// The hint for a cell that is not a number.
const CELL_HINT: &str = "every cell below the header must be a finite number, such as 0.25";

/// Reads the sample table at `path`.
pub fn read_sample_file(path: &Path) -> Result<SampleTable, SampleFileError> {
    let bytes = read_limited(path, MAX_SAMPLE_FILE_BYTES).map_err(SampleFileError::Unreadable)?;
    let sha256 = hex_sha256(&bytes);
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
    let src = SourceFile::new(path, text);
    parse(&src, sha256).map_err(SampleFileError::Invalid)
}

/// Cells of a line, with their byte offsets in the file.
fn cells(line: &str, start: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = start;
    for cell in line.split(',') {
        out.push((at, cell));
        at += cell.len() + 1;
    }
    out
}

fn parse(src: &SourceFile, sha256: String) -> Result<SampleTable, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut problem = |span: Option<std::ops::Range<usize>>, message: String, hint: &str| {
        if problems.len() < MAX_PROBLEMS {
            problems.push(src.diagnostic(Severity::Error, span, message, Some(hint.into())));
        }
    };
    let text = src.text.as_str();
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split('\n') {
        lines.push((at, line.strip_suffix('\r').unwrap_or(line)));
        at += line.len() + 1;
    }
    while lines.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        lines.pop();
    }
    let Some(&(start, header)) = lines.first() else {
        problem(
            None,
            "the sample file is empty".into(),
            "it needs a header of column names, then one row of numbers per sample",
        );
        return Err(problems);
    };
    let mut columns: Vec<String> = Vec::new();
    for (at, name) in cells(header, start) {
        let name = name.trim().trim_matches('"').to_string();
        let span = Some(at..at + name.len().max(1));
        if name.is_empty() {
            problem(
                span,
                "a column of the header has no name".into(),
                "the first line names every column, separated by commas",
            );
        } else if columns.contains(&name) {
            problem(
                span,
                format!("the column `{name}` is named twice"),
                "give every column a name of its own",
            );
        }
        columns.push(name);
    }
    if lines.len() < 2 {
        problem(
            None,
            "the sample file has a header but no rows".into(),
            "add one row of numbers per sample below the header",
        );
    }
    let mut cells_out = Vec::with_capacity(columns.len() * lines.len().saturating_sub(1));
    for &(start, line) in &lines[1.min(lines.len())..] {
        let row = cells(line, start);
        if row.len() != columns.len() {
            problem(
                Some(start..start + line.len().max(1)),
                format!(
                    "this row has {} cells, but the header names {} columns",
                    row.len(),
                    columns.len()
                ),
                "every row holds one number per column, separated by commas",
            );
            continue;
        }
        for (at, cell) in row {
            let trimmed = cell.trim();
            match trimmed.parse::<f64>() {
                Ok(x) if x.is_finite() => cells_out.push(x),
                _ => {
                    let shown: String = trimmed.chars().take(24).collect();
                    let lead = cell.len() - cell.trim_start().len();
                    problem(
                        Some(at + lead..at + lead + trimmed.len().max(1)),
                        format!("`{shown}` is not a finite number"),
                        CELL_HINT,
                    );
                    cells_out.push(f64::NAN);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(SampleTable {
            columns,
            cells: cells_out,
            sha256,
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<SampleTable, Vec<Diagnostic>> {
        parse(&SourceFile::new("p.csv", text), "x".into())
    }

    #[test]
    fn a_table_reads_row_by_row() {
        let t = parsed("a,b\n0.1,2\n0.3,4\n\n").unwrap();
        assert_eq!(t.columns, ["a", "b"]);
        assert_eq!(t.cells, [0.1, 2.0, 0.3, 4.0]);
    }

    #[test]
    fn every_problem_is_reported_with_its_line_and_column() {
        let e = parsed("a,b\n0.1,x\n0.2\nnan,1\n").unwrap_err();
        let found: Vec<(usize, usize)> = e.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(found, [(2, 5), (3, 1), (4, 1)], "{e:?}");
        assert!(e[0].message.contains("`x` is not a finite number"));
        assert!(e[1].message.contains("1 cells"));
        let empty = parsed("\n\n").unwrap_err();
        assert!(empty[0].message.contains("empty"));
        let header = parsed("a,a\n").unwrap_err();
        assert!(header[0].message.contains("named twice"));
        assert!(header[1].message.contains("no rows"));
    }
}
