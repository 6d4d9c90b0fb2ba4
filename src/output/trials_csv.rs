//! `trials.csv`: one row per trial, streamed to disk in trial order.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use crate::engine::{RecordSink, TrialRecord};
use crate::model::Model;
use crate::world::Var;

/// Streams trial records to a CSV file.
#[derive(Debug)]
pub struct TrialsCsv {
    out: csv::Writer<BufWriter<File>>,
    row: Vec<String>,
}

fn opt(v: Option<u32>) -> String {
    v.map_or_else(String::new, |s| s.to_string())
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
        Ok(TrialsCsv { out, row: header })
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

impl RecordSink for TrialsCsv {
    fn record(&mut self, r: &TrialRecord, counts: &[u32], params: &[f64]) -> io::Result<()> {
        self.row.clear();
        self.row.extend([
            r.trial.to_string(),
            r.outcome.key().to_string(),
            r.outcome_step.to_string(),
            r.max_rung.to_string(),
            r.escalation_total.to_string(),
            opt(r.first_strike_step),
            opt(r.breakout_step),
            r.incidents.to_string(),
            r.steps.to_string(),
            r.final_rung.to_string(),
            u8::from(r.talks_active).to_string(),
        ]);
        self.row.extend(r.final_vars.iter().map(|v| v.to_string()));
        self.row.extend(counts.iter().map(|c| c.to_string()));
        self.row.extend(params.iter().map(|p| p.to_string()));
        self.out.write_record(&self.row).map_err(io::Error::other)
    }
}
