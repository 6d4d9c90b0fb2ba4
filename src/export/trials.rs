//! The trials table, one row per trial, streamed to disk in trial order as
//! CSV or Parquet, and resumable from a small serialisable [`TrialsMark`].

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::engine::{RecordSink, RowEncoder, TrialRecord};
use crate::export::trials_csv::{self, TrialsCsv};
use crate::model::Model;

use super::Format;
use super::trials_parquet::TrialsParquet;

/// The table's name (its file's stem).
pub const TRIALS: &str = "trials";

/// How far a trials table was written at a checkpoint: all a resumed run
/// needs to continue it. Saved flattened into the checkpoint, so a CSV
/// mark reads `"trials_csv_bytes": N` as it always has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum TrialsMark {
    /// `trials.csv`: its length in bytes (the header and the rows so far).
    Csv {
        /// The file's length.
        trials_csv_bytes: u64,
    },
    /// `trials.parquet`: the part files closed, and the rows they hold.
    Parquet {
        /// Part files closed.
        trials_parquet_parts: u32,
        /// Rows they hold.
        trials_parquet_rows: u64,
    },
    /// No trials table (`--no-trials-table`): saved as
    /// `"no_trials_table": true`.
    Skipped {
        /// Always true.
        no_trials_table: bool,
    },
}

impl TrialsMark {
    /// The format of the table this mark is of (`None` without a table).
    pub fn format(&self) -> Option<Format> {
        match self {
            TrialsMark::Csv { .. } => Some(Format::Csv),
            TrialsMark::Parquet { .. } => Some(Format::Parquet),
            TrialsMark::Skipped { .. } => None,
        }
    }
}

/// A trials table being written.
#[derive(Debug)]
pub enum TrialsTable {
    /// `trials.csv`.
    Csv(TrialsCsv),
    /// `trials.parquet` (boxed: its writer is large).
    Parquet(Box<TrialsParquet>),
    /// No table: the records are dropped (`--no-trials-table`).
    Skipped,
}

impl TrialsTable {
    /// The file name of the trials table in `format`.
    pub fn file_name(format: Format) -> String {
        format.file_name(TRIALS)
    }

    /// Starts the table at `path` in `format`, for `model` with the drawn
    /// parameters `params`.
    pub fn create(
        path: &Path,
        format: Format,
        model: &Model,
        params: &[String],
    ) -> io::Result<TrialsTable> {
        Ok(match format {
            Format::Csv => TrialsTable::Csv(TrialsCsv::create(path, model, params)?),
            Format::Parquet => TrialsTable::Parquet(Box::new(TrialsParquet::create(
                path,
                trials_csv::columns(model, params),
            )?)),
        })
    }

    /// Reopens the table at `path` as it was at the checkpoint `mark`.
    pub fn resume(
        path: &Path,
        mark: TrialsMark,
        model: &Model,
        params: &[String],
    ) -> io::Result<TrialsTable> {
        Ok(match mark {
            TrialsMark::Skipped { .. } => TrialsTable::Skipped,
            TrialsMark::Csv { trials_csv_bytes } => {
                TrialsTable::Csv(TrialsCsv::resume(path, trials_csv_bytes)?)
            }
            TrialsMark::Parquet {
                trials_parquet_parts,
                trials_parquet_rows,
            } => TrialsTable::Parquet(Box::new(TrialsParquet::resume(
                path,
                trials_csv::columns(model, params),
                trials_parquet_parts,
                trials_parquet_rows,
            )?)),
        })
    }

    /// Writes everything so far through to the disk and returns the mark a
    /// resumed run continues from.
    pub fn sync(&mut self) -> io::Result<TrialsMark> {
        Ok(match self {
            TrialsTable::Skipped => TrialsMark::Skipped {
                no_trials_table: true,
            },
            TrialsTable::Csv(t) => TrialsMark::Csv {
                trials_csv_bytes: t.sync()?,
            },
            TrialsTable::Parquet(t) => {
                let (trials_parquet_parts, trials_parquet_rows) = t.sync()?;
                TrialsMark::Parquet {
                    trials_parquet_parts,
                    trials_parquet_rows,
                }
            }
        })
    }

    /// The mark a resumed run would continue from, with the file to sync
    /// before a checkpoint may name it (none when the mark is already
    /// durable: Parquet parts are synced as they are closed). Unlike
    /// [`TrialsTable::sync`], the CSV's fsync is left to the caller, which
    /// can run it on another thread while the trials go on.
    pub fn mark(&mut self) -> io::Result<(TrialsMark, Option<std::fs::File>)> {
        match self {
            TrialsTable::Csv(t) => {
                let (trials_csv_bytes, file) = t.mark()?;
                Ok((TrialsMark::Csv { trials_csv_bytes }, Some(file)))
            }
            _ => Ok((self.sync()?, None)),
        }
    }

    /// Completes the file; returns its size and hex sha256 when they were
    /// computed as it was written (CSV), for the manifest.
    pub fn finish(self) -> io::Result<Option<(u64, String)>> {
        match self {
            TrialsTable::Csv(t) => t.finish().map(Some),
            TrialsTable::Parquet(t) => t.finish().map(|()| None),
            TrialsTable::Skipped => Ok(None),
        }
    }
}

impl RecordSink for TrialsTable {
    fn encoder(&self) -> Option<&'static dyn RowEncoder> {
        match self {
            TrialsTable::Csv(t) => t.encoder(),
            TrialsTable::Parquet(_) | TrialsTable::Skipped => None,
        }
    }

    fn rows(&mut self, bytes: &[u8], trials: u64) -> io::Result<()> {
        match self {
            TrialsTable::Csv(t) => t.rows(bytes, trials),
            TrialsTable::Parquet(_) | TrialsTable::Skipped => Err(io::Error::other(
                "trials.parquet takes records, not encoded rows",
            )),
        }
    }

    fn record(&mut self, r: &TrialRecord, counts: &[u32], params: &[f64]) -> io::Result<()> {
        match self {
            TrialsTable::Csv(t) => t.record(r, counts, params),
            TrialsTable::Parquet(t) => t.record(r, counts, params),
            TrialsTable::Skipped => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_mark_is_saved_as_it_always_was() {
        let mark = TrialsMark::Csv {
            trials_csv_bytes: 42,
        };
        let json = serde_json::to_string(&mark).unwrap();
        assert_eq!(json, r#"{"trials_csv_bytes":42}"#);
        let back: TrialsMark = serde_json::from_str(&json).unwrap();
        assert_eq!(back, mark);
        let p: TrialsMark =
            serde_json::from_str(r#"{"trials_parquet_parts":2,"trials_parquet_rows":9}"#).unwrap();
        assert_eq!(p.format(), Some(Format::Parquet));
        let skipped = TrialsMark::Skipped {
            no_trials_table: true,
        };
        let json = serde_json::to_string(&skipped).unwrap();
        assert_eq!(json, r#"{"no_trials_table":true}"#);
        assert_eq!(serde_json::from_str::<TrialsMark>(&json).unwrap(), skipped);
    }
}
