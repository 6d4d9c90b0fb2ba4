//! `trials.csv`: one row per trial, streamed to disk in trial order. A
//! checkpointed run syncs the file at each checkpoint and records its length,
//! so that a resumed run can cut off what was written after it and append.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::output::hashing::HashingWriter;
use crate::output::io_error::at;

use crate::engine::{RecordSink, RowEncoder, TrialRecord};
use crate::export::Column;
use crate::model::Model;
use crate::output::digits::{significant, state_value};
use crate::output::names::column_name;

/// Streams trial records to a CSV file, hashing its bytes as they are
/// written (the manifest then need not read the file again).
#[derive(Debug)]
pub struct TrialsCsv {
    out: BufWriter<HashingWriter<File>>,
    row: Vec<u8>,
    path: PathBuf,
}

impl TrialsCsv {
    /// Creates the file and writes the header.
    /// `params` names the drawn parameters, written as `p_<path>` columns.
    pub fn create(path: &Path, model: &Model, params: &[String]) -> io::Result<TrialsCsv> {
        let line = header(model, params)?;
        let file = File::create(path).map_err(at("create", path))?;
        let mut out = BufWriter::with_capacity(1 << 20, HashingWriter::new(file));
        out.write_all(&line).map_err(at("write", path))?;
        Ok(TrialsCsv {
            out,
            row: Vec::new(),
            path: path.to_path_buf(),
        })
    }

    /// Reopens a file written up to a checkpoint: keeps its first `bytes`
    /// bytes (the header and the rows of the checkpointed trials), drops
    /// anything after them, and appends from there (the kept bytes are read
    /// once, to continue the file's hash).
    pub fn resume(path: &Path, bytes: u64) -> io::Result<TrialsCsv> {
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(at("open", path))?;
        let len = file.metadata().map_err(at("read", path))?.len();
        if len < bytes {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} holds {len} bytes but its checkpoint recorded {bytes}",
                    path.display()
                ),
            ));
        }
        file.set_len(bytes)
            .and_then(|()| file.seek(SeekFrom::Start(bytes)))
            .map_err(at("truncate", path))?;
        let hashing = HashingWriter::resumed(file, bytes).map_err(at("read", path))?;
        Ok(TrialsCsv {
            out: BufWriter::with_capacity(1 << 20, hashing),
            row: Vec::new(),
            path: path.to_path_buf(),
        })
    }

    /// Writes everything so far through to the disk and returns the file's
    /// length, the point a resumed run continues from.
    pub fn sync(&mut self) -> io::Result<u64> {
        let synced = (|| {
            self.out.flush()?;
            let file = self.out.get_ref().get_ref();
            file.sync_data()?;
            Ok(file.metadata()?.len())
        })();
        synced.map_err(at("write", &self.path))
    }

    /// Hands everything so far to the system (no fsync) and returns the
    /// file's length with a handle on the file: syncing that handle makes
    /// the rows up to the length durable, off the writer's path.
    pub fn mark(&mut self) -> io::Result<(u64, File)> {
        let marked = (|| {
            self.out.flush()?;
            let file = self.out.get_ref().get_ref();
            Ok((file.metadata()?.len(), file.try_clone()?))
        })();
        marked.map_err(at("write", &self.path))
    }

    /// Flushes and closes the file; returns its size and hex sha256.
    pub fn finish(mut self) -> io::Result<(u64, String)> {
        self.out.flush().map_err(at("write", &self.path))?;
        Ok(self.out.get_ref().digest())
    }
}

/// The columns of the trials table for `model` with the drawn parameters
/// `params`: the trial's fields, its final state, its move counts
/// (`n_<move>`) and its parameter values (`p_<path>`), dotted names
/// written as `export::names::column_name` does.
pub fn columns(model: &Model, params: &[String]) -> Vec<Column> {
    let mut columns: Vec<Column> = vec![Column::int("trial"), Column::text("outcome")];
    columns.extend(
        [
            "outcome_step",
            "max_rung",
            "escalation_total",
            "first_strike_step",
            "breakout_step",
            "incidents",
            "steps",
            "final_rung",
            "talks_active",
        ]
        .map(Column::int),
    );
    columns.extend(
        model
            .milestones
            .iter()
            .map(|m| Column::int(m.column(&model.actors))),
    );
    columns.extend(
        model
            .vars
            .iter()
            .map(|v| Column::float(format!("final_{}", v.name))),
    );
    columns.extend(
        model
            .move_names()
            .into_iter()
            .map(|n| Column::int(format!("n_{}", column_name(&n)))),
    );
    columns.extend(
        params
            .iter()
            .map(|p| Column::float(format!("p_{}", column_name(p)))),
    );
    columns
}

/// The header line of `trials.csv` (with its line end) for `model` with the
/// drawn parameters `params`.
pub fn header(model: &Model, params: &[String]) -> io::Result<Vec<u8>> {
    let mut line = csv::Writer::from_writer(Vec::new());
    line.write_record(columns(model, params).iter().map(|c| c.name.as_str()))
        .map_err(io::Error::other)?;
    line.into_inner()
        .map_err(|e| io::Error::other(e.to_string()))
}

/// The rows of `trials.csv`. No field ever needs quoting (numbers, outcome
/// keys and empty fields), so a row is its fields joined by commas.
#[derive(Debug, Clone, Copy)]
pub struct TrialRows;

impl TrialRows {
    fn int(out: &mut Vec<u8>, v: impl itoa::Integer) {
        out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
        out.push(b',');
    }

    /// A float in its shortest round-trip form (ryu: the same bytes on every
    /// machine, and several times faster than `Display`).
    fn float(out: &mut Vec<u8>, x: f64) {
        out.extend_from_slice(ryu::Buffer::new().format(x).as_bytes());
        out.push(b',');
    }
}

impl RowEncoder for TrialRows {
    fn encode(&self, r: &TrialRecord, counts: &[u32], params: &[f64], out: &mut Vec<u8>) {
        Self::int(out, r.trial);
        out.extend_from_slice(r.outcome.key().as_bytes());
        out.push(b',');
        Self::int(out, r.outcome_step);
        Self::int(out, r.max_rung);
        Self::int(out, r.escalation_total);
        for step in [r.first_strike_step, r.breakout_step] {
            match step {
                Some(s) => Self::int(out, s),
                None => out.push(b','),
            }
        }
        Self::int(out, r.incidents);
        Self::int(out, r.steps);
        Self::int(out, r.final_rung);
        Self::int(out, u8::from(r.talks_active));
        for step in r.milestone_steps() {
            match step {
                Some(s) => Self::int(out, *s),
                None => out.push(b','),
            }
        }
        for &v in r.vars() {
            Self::float(out, state_value(v));
        }
        for &c in counts {
            Self::int(out, c);
        }
        for &p in params {
            Self::float(out, significant(p));
        }
        // The last field's comma becomes the end of the line.
        if let Some(last) = out.last_mut() {
            *last = b'\n';
        }
    }
}

impl RecordSink for TrialsCsv {
    fn encoder(&self) -> Option<&'static dyn RowEncoder> {
        Some(&TrialRows)
    }

    fn rows(&mut self, bytes: &[u8], _trials: u64) -> io::Result<()> {
        self.out.write_all(bytes).map_err(at("write", &self.path))
    }

    fn record(&mut self, r: &TrialRecord, counts: &[u32], params: &[f64]) -> io::Result<()> {
        self.row.clear();
        TrialRows.encode(r, counts, params, &mut self.row);
        self.out
            .write_all(&self.row)
            .map_err(at("write", &self.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::{MAX_MILESTONES, N_VARS, Outcome};

    #[test]
    fn a_row_is_its_fields_joined_by_commas() {
        let mut final_vars = [0.0; N_VARS];
        final_vars[0] = 0.25;
        final_vars[1] = 1e-7;
        let record = TrialRecord {
            trial: 42,
            outcome: Outcome::TalksOngoing,
            outcome_step: 52,
            max_rung: 3,
            escalation_total: -7,
            first_strike_step: None,
            breakout_step: Some(9),
            incidents: 2,
            steps: 52,
            final_rung: 1,
            talks_active: true,
            final_vars,
            n_vars: 6,
            milestones: {
                let mut m = [None; MAX_MILESTONES];
                m[1] = Some(4);
                m
            },
            n_milestones: 3,
        };
        let mut row = Vec::new();
        TrialRows.encode(&record, &[0, 5], &[1.5], &mut row);
        let zeros = ",0.0".repeat(4);
        let expected = format!(
            "42,{},52,3,-7,,9,2,52,1,1,,4,,0.25,1e-7{zeros},0,5,1.5\n",
            Outcome::TalksOngoing.key()
        );
        assert_eq!(String::from_utf8(row).unwrap(), expected);

        // The csv crate reads it back field for field.
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(expected.as_bytes());
        let fields = reader.records().next().unwrap().unwrap();
        assert_eq!(fields.len(), 11 + 3 + 6 + 3);
        assert_eq!(&fields[5], "");
    }
}
