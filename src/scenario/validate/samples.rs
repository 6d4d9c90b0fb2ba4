//! `dist = "samples"`: the sample file is read (once per file, however many
//! parameters name it) relative to the folder of the scenario file that
//! names it, and the column looked up; the column's values must lie in the
//! parameter's valid range like any distribution's support.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::distribution::Distribution;
use crate::scenario::diagnostic::{show_number, suggestion_hint};
use crate::scenario::parent::clean;
use crate::scenario::sample_file::{SampleFileError, read_sample_file};

use super::Checker;

impl Checker<'_> {
    /// The samples distribution of `path` reading `column` of `file`, as
    /// written at `span`; `None` (reported) when the file or the column
    /// cannot be used.
    pub(super) fn sample_column(
        &mut self,
        span: Range<usize>,
        file: &str,
        column: &str,
        path: &str,
        (lo, hi): (f64, f64),
        range: &str,
    ) -> Option<Distribution> {
        let relative = "`file` is a path relative to the folder of the scenario file that names it";
        let given = Path::new(file);
        if given.has_root() || given.is_absolute() {
            self.error(
                span,
                format!("the sample file of `{path}` must be a relative path, not `{file}`"),
                Some(relative.into()),
            );
            return None;
        }
        if given.extension().is_none_or(|x| x != "csv") {
            self.error(
                span,
                format!("the sample file of `{path}`, `{file}`, is not a `.csv` file"),
                Some("a sample file is a CSV file: a header of column names, then one row of numbers per sample".into()),
            );
            return None;
        }
        let (i, _) = self.src.locate(span.start);
        let folder = self.src.files()[i]
            .path
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        let at = clean(&folder.join(given));
        let table = match self.tables.get(&at) {
            Some(t) => t.clone(),
            None => {
                let t = match read_sample_file(&at) {
                    Ok(t) => Some(Arc::new(t)),
                    Err(SampleFileError::Unreadable(e)) => {
                        self.error(
                            span.clone(),
                            format!("cannot read the sample file of `{path}`: {e}"),
                            Some(format!("{}; {relative}", e.hint())),
                        );
                        None
                    }
                    Err(SampleFileError::Invalid(problems)) => {
                        for d in problems {
                            self.diags.push(d);
                        }
                        None
                    }
                };
                self.tables.insert(at, t.clone());
                t
            }
        }?;
        let Some(index) = table.column(column) else {
            let names: Vec<&str> = table.columns.iter().map(String::as_str).collect();
            self.error(
                span,
                format!("the sample file `{file}` has no column `{column}`"),
                Some(suggestion_hint(column, &names, "columns")),
            );
            return None;
        };
        let (min, max) = table
            .values(index)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(x), b.max(x))
            });
        if min < lo || max > hi {
            self.error(
                span,
                format!(
                    "column `{column}` of `{file}` reaches outside the valid range of `{path}` (from {} to {})",
                    show_number(min),
                    show_number(max)
                ),
                Some(format!("`{path}` must be {range}")),
            );
            return None;
        }
        Some(Distribution::Samples {
            file: file.to_string(),
            column: column.to_string(),
            table,
            index,
        })
    }
}
