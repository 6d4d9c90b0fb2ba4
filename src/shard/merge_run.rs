//! Merging the shards of a run: each shard's aggregate is read (through a
//! size limit), checked against its own trials, and its `trials.csv` part
//! is streamed into the result while its rows are checked (the trial
//! indices of its range, in order, adding up to its aggregate, its first
//! and last trial giving the same rows when run again); then the
//! aggregates are added without wrapping. Nothing trusted is taken from a
//! shard that fails a check.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Write};
use std::path::Path;

use crate::engine::ParamSpace;
use crate::export::Format;
use crate::export::trials_csv;
use crate::model::Model;
use crate::stats::RunAggregate;

use super::bad_input;
use super::data::{AGGREGATE_JSON, TRIALS_CSV, changed, file_label, parse, read_verified};
use super::manifest::ShardDir;
use super::merge_trials_parquet::ParquetMerge;
use super::rows::{Expected, Scanned, scan, spot_check};

/// Hint for a shard whose data does not hold together.
const EDITED: &str = "the shard is damaged or was edited; run it again";

/// Reads, checks and adds the shards' aggregates (in range order) and
/// writes their trials tables in `format` as one table to `path`: the
/// `trials.csv` parts under one header, or the `trials.parquet` rows in
/// the table's row groups ([`ParquetMerge`]). Returns the aggregate of all
/// `trials` trials.
pub fn merge_run(
    model: &Model,
    shards: &[ShardDir],
    trials: u64,
    path: &Path,
    format: Format,
) -> io::Result<RunAggregate> {
    let empty = RunAggregate::new(model);
    let space = ParamSpace::of(model);
    let params = space.uncertain_paths(model);
    let header = trials_csv::header(model, &params)?;
    let mut sink = match format {
        Format::Csv => {
            let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
            out.write_all(&header)?;
            Sink::Csv(out)
        }
        Format::Parquet => Sink::Parquet(Box::new(ParquetMerge::create(
            path,
            trials_csv::columns(model, &params),
        )?)),
    };
    let mut total = empty.clone();
    for s in shards {
        let units = s.manifest.units();
        let bytes = read_verified(s, AGGREGATE_JSON, empty.max_json_bytes())?;
        let agg: RunAggregate = parse(s, AGGREGATE_JSON, &bytes)?;
        let inconsistent = |why: String| {
            bad_input(
                format!("{} is inconsistent: {why}", file_label(s, AGGREGATE_JSON)),
                EDITED,
            )
        };
        if !empty.same_shape(&agg) {
            return Err(inconsistent("its tables do not fit the scenario".into()));
        }
        agg.check_consistent(units.end - units.start)
            .map_err(inconsistent)?;
        match &mut sink {
            Sink::Csv(out) => copy_checked_rows(s, &header, &agg, model, &space, out)?,
            Sink::Parquet(p) => p.append(s, &agg, model, &space)?,
        }
        total.try_merge(&agg).map_err(|e| {
            bad_input(
                format!("{} cannot be added: {e}", file_label(s, AGGREGATE_JSON)),
                EDITED,
            )
        })?;
    }
    total
        .check_consistent(trials)
        .map_err(|e| bad_input(format!("the shards' aggregates do not add up: {e}"), EDITED))?;
    match sink {
        Sink::Parquet(p) => p.finish()?,
        Sink::Csv(out) => out.into_inner().map_err(|e| e.into_error())?.sync_all()?,
    }
    Ok(total)
}

/// Where the merged trials table is written.
enum Sink {
    /// `trials.csv`, its header written.
    Csv(BufWriter<File>),
    /// `trials.parquet` (boxed: its writer is large).
    Parquet(Box<ParquetMerge>),
}

/// Copies shard `s`'s `trials.csv` rows into `out`, checked against its
/// aggregate `agg` and, first and last, against the trials run again.
fn copy_checked_rows(
    s: &ShardDir,
    header: &[u8],
    agg: &RunAggregate,
    model: &Model,
    space: &ParamSpace,
    out: &mut BufWriter<File>,
) -> io::Result<()> {
    let units = s.manifest.units();
    {
        let want = Expected {
            header,
            first_trial: units.start,
            rows: units.end - units.start,
            horizon: model.horizon,
            per_trial: agg.escalation_per_trial(),
            bins: agg.escalation_bins,
        };
        let scanned = copy_rows(s, &want, agg, out)?;
        spot_check(&scanned, units.start, model, space, s.manifest.work.seed)?.map_err(|e| {
            bad_input(
                format!(
                    "{} does not hold this work's trials: {e}",
                    file_label(s, TRIALS_CSV)
                ),
                "the shard was edited or made by other options; run it again",
            )
        })?;
    }
    Ok(())
}

/// Streams a shard's `trials.csv` rows into `out`, checking its size and
/// sha256 against the manifest and its rows against `want` and `agg`.
fn copy_rows(
    s: &ShardDir,
    want: &Expected<'_>,
    agg: &RunAggregate,
    out: &mut dyn Write,
) -> io::Result<Scanned> {
    let entry = s
        .manifest
        .file(TRIALS_CSV)
        .ok_or_else(|| bad_input(format!("{} lists no {TRIALS_CSV}", s.label()), EDITED))?;
    let path = s.path.join(TRIALS_CSV);
    let unreadable = |e: String| {
        bad_input(
            format!("cannot read {}: {e}", file_label(s, TRIALS_CSV)),
            EDITED,
        )
    };
    // Looked at before it is opened: a FIFO would block the open.
    let meta = std::fs::metadata(&path).map_err(|e| unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(unreadable("it is not a regular file".into()));
    }
    let file = File::open(&path).map_err(|e| unreadable(e.to_string()))?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(unreadable("it is not a regular file".into()));
    }
    if meta.len() != entry.bytes {
        return Err(changed(s, TRIALS_CSV));
    }
    let mut r = BufReader::with_capacity(1 << 20, file);
    let scanned = scan(&mut r, want, Some(out))?;
    if scanned.bytes != entry.bytes || scanned.sha256 != entry.sha256 {
        return Err(changed(s, TRIALS_CSV));
    }
    let problem = scanned
        .problem
        .clone()
        .map_or_else(|| scanned.check_against(agg), Err);
    problem.map_err(|e| {
        bad_input(
            format!("{} does not fit its shard: {e}", file_label(s, TRIALS_CSV)),
            EDITED,
        )
    })?;
    Ok(scanned)
}
