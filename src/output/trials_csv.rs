//! `trials.csv`: one row per trial, streamed to disk in trial order. A
//! checkpointed run syncs the file at each checkpoint and records its length,
//! so that a resumed run can cut off what was written after it and append.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use crate::engine::{RecordSink, TrialRecord};
use crate::model::Model;
use crate::world::Var;

/// Streams trial records to a CSV file.
#[derive(Debug)]
pub struct TrialsCsv {
    out: csv::Writer<BufWriter<File>>,
    scratch: String,
}

impl TrialsCsv {
    /// Creates the file and writes the header.
    /// `params` names the drawn parameters, written as `p.<path>` columns.
    pub fn create(path: &Path, model: &Model, params: &[String]) -> io::Result<TrialsCsv> {
        let mut out =
            csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, File::create(path)?));
        let mut header: Vec<String> = [
            "trial",
            "outcome",
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
        .iter()
        .map(|s| s.to_string())
        .collect();
        header.extend(Var::ALL.iter().map(|v| format!("final_{}", v.name())));
        header.extend(model.move_names().into_iter().map(|n| format!("n.{n}")));
        header.extend(params.iter().map(|p| format!("p.{p}")));
        out.write_record(&header).map_err(io::Error::other)?;
        Ok(TrialsCsv {
            out,
            scratch: String::new(),
        })
    }

    /// Reopens a file written up to a checkpoint: keeps its first `bytes`
    /// bytes (the header and the rows of the checkpointed trials), drops
    /// anything after them, and appends from there.
    pub fn resume(path: &Path, bytes: u64) -> io::Result<TrialsCsv> {
        let mut file = OpenOptions::new().read(true).write(true).open(path)?;
        let len = file.metadata()?.len();
        if len < bytes {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "{} holds {len} bytes but its checkpoint recorded {bytes}",
                    path.display()
                ),
            ));
        }
        file.set_len(bytes)?;
        file.seek(SeekFrom::Start(bytes))?;
        Ok(TrialsCsv {
            out: csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, file)),
            scratch: String::new(),
        })
    }

    /// Writes everything so far through to the disk and returns the file's
    /// length, the point a resumed run continues from.
    pub fn sync(&mut self) -> io::Result<u64> {
        self.out.flush()?;
        let file = self.out.get_ref().get_ref();
        file.sync_data()?;
        Ok(file.metadata()?.len())
    }

    /// Flushes and closes the file.
    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()?;
        self.out
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?
            .flush()
    }
}

impl TrialsCsv {
    /// Writes a float in its shortest round-trip form (ryu: the same bytes on
    /// every machine, and several times faster than `Display`).
    fn float(&mut self, x: f64) -> io::Result<()> {
        let mut b = ryu::Buffer::new();
        self.out.write_field(b.format(x)).map_err(io::Error::other)
    }

    /// Writes one field from its `Display` form through a reused buffer.
    fn field(&mut self, v: impl std::fmt::Display) -> io::Result<()> {
        use std::fmt::Write as _;
        self.scratch.clear();
        let _ = write!(self.scratch, "{v}");
        self.out
            .write_field(&self.scratch)
            .map_err(io::Error::other)
    }
}

impl RecordSink for TrialsCsv {
    // Fields are formatted one by one into a reused buffer: no allocation per row.
    fn record(&mut self, r: &TrialRecord, counts: &[u32], params: &[f64]) -> io::Result<()> {
        self.field(r.trial)?;
        self.field(r.outcome.key())?;
        self.field(r.outcome_step)?;
        self.field(r.max_rung)?;
        self.field(r.escalation_total)?;
        for step in [r.first_strike_step, r.breakout_step] {
            match step {
                Some(s) => self.field(s)?,
                None => self.field("")?,
            }
        }
        self.field(r.incidents)?;
        self.field(r.steps)?;
        self.field(r.final_rung)?;
        self.field(u8::from(r.talks_active))?;
        for v in r.final_vars {
            self.float(v)?;
        }
        for c in counts {
            self.field(c)?;
        }
        for &p in params {
            self.float(p)?;
        }
        self.out
            .write_record(None::<&[u8]>)
            .map_err(io::Error::other)
    }
}
