//! `trials.parquet`, streamed in trial order without holding the trials in
//! memory, and resumable from a checkpoint.
//!
//! Rows go to numbered part files in a folder beside the table
//! (`trials.parquet.parts/part-000000.parquet`, ...). A checkpoint closes
//! the part being written (a whole Parquet file, synced to disk) and
//! records how many parts and rows there are: that [`super::trials::TrialsMark`]
//! is all a resumed run needs, and it drops any part written after it. At
//! the end the parts are joined into one file with row groups of
//! [`ROW_GROUP_ROWS`] rows counted from the first trial, so its bytes do not
//! depend on where checkpoints fell; a single part already is that file
//! and is moved into place.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::engine::{RecordSink, TrialRecord};
use crate::output::io_error::at;
use arrow_array::RecordBatch;

use parquet::basic::Encoding;
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;

use super::parquet::{RowGroupBuffer, TableWriter, properties, read_batches, row_count};
use super::table::Column;
use crate::output::digits::{significant, state_value};

/// The settings of the trials table: the trial index as deltas (a run of
/// ones), and no dictionary for the parameter values drawn per trial
/// (`p_*`, nearly all distinct), which would only be tried and dropped.
fn trials_properties(columns: &[Column]) -> WriterProperties {
    let mut b = properties()
        .set_column_dictionary_enabled(ColumnPath::from("trial"), false)
        .set_column_encoding(ColumnPath::from("trial"), Encoding::DELTA_BINARY_PACKED);
    for c in columns.iter().filter(|c| c.name.starts_with("p_")) {
        b = b.set_column_dictionary_enabled(ColumnPath::from(c.name.as_str()), false);
    }
    b.build()
}

/// A writer of the trials table with `columns` into `out`, with the
/// table's settings: parts, the joined table and a merge of shards all
/// write through it, so that their bytes agree.
pub fn writer<W: Write + Send>(out: W, columns: &[Column]) -> io::Result<TableWriter<W>> {
    TableWriter::with_properties(out, columns, trials_properties(columns))
}

/// Streams trial records to a Parquet file through part files.
#[derive(Debug)]
pub struct TrialsParquet {
    path: PathBuf,
    parts: PathBuf,
    columns: Vec<Column>,
    current: Option<TableWriter<BufWriter<File>>>,
    closed: u32,
    rows: u64,
}

/// The folder of part files of the table at `path`.
pub fn parts_dir(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".parts");
    path.with_file_name(name)
}

fn part_name(k: u32) -> String {
    format!("part-{k:06}.parquet")
}

/// The index of a part file from its name.
fn part_index(name: &str) -> Option<u32> {
    name.strip_prefix("part-")?
        .strip_suffix(".parquet")?
        .parse()
        .ok()
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

impl TrialsParquet {
    /// Starts the table at `path` with `columns` (the columns of
    /// [`crate::export::trials_csv::columns`]); parts an earlier run left
    /// are removed.
    pub fn create(path: &Path, columns: Vec<Column>) -> io::Result<TrialsParquet> {
        let parts = parts_dir(path);
        if parts.exists() {
            fs::remove_dir_all(&parts).map_err(at("remove", &parts))?;
        }
        fs::create_dir_all(&parts).map_err(at("create", &parts))?;
        Ok(TrialsParquet {
            path: path.to_path_buf(),
            parts,
            columns,
            current: None,
            closed: 0,
            rows: 0,
        })
    }

    /// Reopens a table checkpointed with `parts` parts holding `rows` rows:
    /// checks that those parts are there and hold exactly that many rows,
    /// and removes any part written after the checkpoint.
    pub fn resume(
        path: &Path,
        columns: Vec<Column>,
        parts: u32,
        rows: u64,
    ) -> io::Result<TrialsParquet> {
        let dir = parts_dir(path);
        let mut found = 0;
        for k in 0..parts {
            let p = dir.join(part_name(k));
            found += row_count(&p).map_err(|e| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("cannot read {}: {e}", p.display()),
                )
            })?;
        }
        if found != rows {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the parts in {} hold {found} rows but the checkpoint recorded {rows}",
                    dir.display()
                ),
            ));
        }
        for entry in fs::read_dir(&dir).map_err(at("read", &dir))? {
            let entry = entry.map_err(at("read", &dir))?;
            let name = entry.file_name();
            let later = name
                .to_str()
                .and_then(part_index)
                .is_none_or(|k| k >= parts);
            if later {
                fs::remove_file(entry.path()).map_err(at("remove", &entry.path()))?;
            }
        }
        Ok(TrialsParquet {
            path: path.to_path_buf(),
            parts: dir,
            columns,
            current: None,
            closed: parts,
            rows,
        })
    }

    /// Closes the part being written, if any, syncing it to the disk.
    fn close_part(&mut self, durable: bool) -> io::Result<()> {
        if let Some(w) = self.current.take() {
            let rows = w.rows();
            let path = self.parts.join(part_name(self.closed));
            let file = w
                .finish()?
                .into_inner()
                .map_err(|e| at("write", &path)(e.into_error()))?;
            if durable {
                file.sync_all().map_err(at("write", &path))?;
                sync_dir(&self.parts);
            }
            self.closed += 1;
            self.rows += rows;
        }
        Ok(())
    }

    /// Writes everything so far through to the disk and returns the parts
    /// and rows written, the point a resumed run continues from.
    pub fn sync(&mut self) -> io::Result<(u32, u64)> {
        self.close_part(true)?;
        Ok((self.closed, self.rows))
    }

    /// Joins the parts into the table file and removes them.
    pub fn finish(mut self) -> io::Result<()> {
        self.close_part(false)?;
        let path = self.path.clone();
        if self.closed == 1 {
            let part = self.parts.join(part_name(0));
            fs::rename(&part, &path).map_err(at("move", &part))?;
        } else {
            let file = File::create(&path).map_err(at("create", &path))?;
            let mut w = writer(BufWriter::with_capacity(1 << 20, file), &self.columns)?;
            for k in 0..self.closed {
                let part = self.parts.join(part_name(k));
                read_batches(&part, &mut |b| w.append(b)).map_err(at("read", &part))?;
            }
            w.finish()?.flush().map_err(at("write", &path))?;
        }
        fs::remove_dir_all(&self.parts).map_err(at("remove", &self.parts))
    }

    /// Appends one trial's row.
    pub fn record(&mut self, r: &TrialRecord, counts: &[u32], params: &[f64]) -> io::Result<()> {
        if self.current.is_none() {
            let path = self.parts.join(part_name(self.closed));
            let file = File::create(&path).map_err(at("create", &path))?;
            self.current = Some(writer(
                BufWriter::with_capacity(1 << 20, file),
                &self.columns,
            )?);
        }
        let Some(w) = self.current.as_mut() else {
            return Err(io::Error::other("no part to write to"));
        };
        fill_row(w.buffer(), r, counts, params);
        w.end_row()
    }
}

/// Appends the values of one trial's row to `b` (the row is not closed).
pub fn fill_row(b: &mut RowGroupBuffer, r: &TrialRecord, counts: &[u32], params: &[f64]) {
    {
        let steps = |s: Option<u32>| s.map(i64::from);
        b.int(0, Some(i64::try_from(r.trial).unwrap_or(i64::MAX)));
        b.text(1, Some(r.outcome.key()));
        b.int(2, Some(r.outcome_step.into()));
        b.int(3, Some(r.max_rung.into()));
        b.int(4, Some(r.escalation_total));
        b.int(5, steps(r.first_strike_step));
        b.int(6, steps(r.breakout_step));
        b.int(7, Some(r.incidents.into()));
        b.int(8, Some(r.steps.into()));
        b.int(9, Some(r.final_rung.into()));
        b.int(10, Some(i64::from(r.talks_active)));
        let mut k = 11;
        for &s in r.milestone_steps() {
            b.int(k, steps(s));
            k += 1;
        }
        for &v in r.vars() {
            b.float(k, Some(state_value(v)));
            k += 1;
        }
        for &c in counts {
            b.int(k, Some(c.into()));
            k += 1;
        }
        for &p in params {
            b.float(k, Some(significant(p)));
            k += 1;
        }
    }
}

/// Trial records collected as rows of the trials table, in memory (a
/// handful of trials run again to check stored rows).
#[derive(Debug)]
pub struct RecordRows {
    buffer: RowGroupBuffer,
}

impl RecordRows {
    /// An empty collection of rows with `columns`.
    pub fn new(columns: &[Column]) -> RecordRows {
        RecordRows {
            buffer: RowGroupBuffer::new(columns),
        }
    }

    /// The rows collected, as a batch; the collection is left empty.
    pub fn take(&mut self) -> io::Result<RecordBatch> {
        self.buffer.take()
    }
}

impl RecordSink for RecordRows {
    fn record(&mut self, r: &TrialRecord, counts: &[u32], params: &[f64]) -> io::Result<()> {
        fill_row(&mut self.buffer, r, counts, params);
        self.buffer.end_row();
        Ok(())
    }
}
