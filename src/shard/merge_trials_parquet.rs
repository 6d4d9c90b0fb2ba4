//! Merging the `trials.parquet` files of a run's shards into one table
//! with the fixed row groups of the trials table, so that the merged bytes
//! are those of the unsharded run. Each shard's file is checked as it is
//! copied, as the CSV rows are: its size and sha256 against the manifest,
//! its columns against the scenario's, its row count and trial indices
//! (those of its range, in order), its outcome counts against its
//! aggregate, and its first and last rows against the same trials run
//! again.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read};
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Array, RecordBatch};
use sha2::{Digest, Sha256};

use crate::engine::{ParamSpace, RunPlan, simulate_until};
use crate::export::Value;
use crate::export::parquet::{TableWriter, read_batches, row_values, schema};
use crate::export::table::Column;
use crate::export::trials_parquet::{RecordRows, writer};
use crate::model::Model;
use crate::scenario::load::to_hex;
use crate::stats::RunAggregate;
use crate::world::{Outcome, PerOutcome};

use super::bad_input;
use super::data::{changed, file_label};
use super::manifest::ShardDir;

/// The file name of a shard's trials table in Parquet.
pub const TRIALS_PARQUET: &str = "trials.parquet";

/// Hint for a shard whose data does not hold together.
const EDITED: &str = "the shard is damaged or was edited; run it again";

/// The merged trials table being written.
pub struct ParquetMerge {
    columns: Vec<Column>,
    out: TableWriter<BufWriter<File>>,
}

impl std::fmt::Debug for ParquetMerge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetMerge")
            .field("columns", &self.columns.len())
            .finish()
    }
}

impl ParquetMerge {
    /// Starts the merged table at `path` with the trials table's `columns`.
    pub fn create(path: &Path, columns: Vec<Column>) -> io::Result<ParquetMerge> {
        let file = File::create(path)?;
        let out = writer(BufWriter::with_capacity(1 << 20, file), &columns)?;
        Ok(ParquetMerge { columns, out })
    }

    /// Checks shard `s` (with the aggregate `agg`, already checked) and
    /// appends its rows.
    pub fn append(
        &mut self,
        s: &ShardDir,
        agg: &RunAggregate,
        model: &Model,
        space: &ParamSpace,
    ) -> io::Result<()> {
        check_file(s)?;
        let units = s.manifest.units();
        let want_schema = schema(&self.columns);
        let mut next = units.start;
        let mut counts = PerOutcome::splat(0u64);
        let mut first: Option<Vec<Value>> = None;
        let mut last: Option<Vec<Value>> = None;
        let mut problem: Option<String> = None;
        let path = s.path.join(TRIALS_PARQUET);
        let out = &mut self.out;
        read_batches(&path, &mut |b: &RecordBatch| {
            if problem.is_some() {
                return Ok(());
            }
            if b.schema().fields() != want_schema.fields() {
                problem = Some("its columns are not those of this scenario's trials".into());
                return Ok(());
            }
            if let Err(e) = check_batch(b, &mut next, units.end, &mut counts) {
                problem = Some(e);
                return Ok(());
            }
            if b.num_rows() > 0 {
                if first.is_none() {
                    first = Some(row_values(b, 0));
                }
                last = Some(row_values(b, b.num_rows() - 1));
            }
            out.append(b)
        })
        .map_err(|e| {
            bad_input(
                format!("cannot read {}: {e}", file_label(s, TRIALS_PARQUET)),
                EDITED,
            )
        })?;
        if problem.is_none() && next != units.end {
            problem = Some(format!(
                "it holds {} rows for the {} trials of its range",
                next - units.start,
                units.end - units.start
            ));
        }
        if problem.is_none() && counts != agg.outcome_counts {
            problem = Some("its rows do not add up to the outcome counts of the aggregate".into());
        }
        if let Some(e) = problem {
            return Err(bad_input(
                format!(
                    "{} does not fit its shard: {e}",
                    file_label(s, TRIALS_PARQUET)
                ),
                EDITED,
            ));
        }
        let seed = s.manifest.work.seed;
        for (trial, stored) in [(units.start, first), (units.end - 1, last)] {
            let Some(stored) = stored else { continue };
            if rerun(model, space, &self.columns, seed, trial)? != stored {
                return Err(bad_input(
                    format!(
                        "{} does not hold this work's trials: its row of trial {trial} is not \
                         what this work's trial {trial} gives when run again",
                        file_label(s, TRIALS_PARQUET)
                    ),
                    "the shard was edited or made by other options; run it again",
                ));
            }
        }
        Ok(())
    }

    /// Completes the merged table and syncs it to the disk.
    pub fn finish(self) -> io::Result<()> {
        let out = self.out.finish()?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}

/// Checks that a batch's trial indices continue from `next` (below `end`)
/// one by one, and counts its outcomes.
fn check_batch(
    b: &RecordBatch,
    next: &mut u64,
    end: u64,
    counts: &mut PerOutcome<u64>,
) -> Result<(), String> {
    let trials = b
        .column(0)
        .as_primitive_opt::<Int64Type>()
        .ok_or("its trial column is not of integers")?;
    let outcomes = b
        .column(1)
        .as_string_opt::<i32>()
        .ok_or("its outcome column is not of text")?;
    for i in 0..b.num_rows() {
        let trial = (!trials.is_null(i)).then(|| trials.value(i));
        if *next >= end || trial != i64::try_from(*next).ok() {
            return Err(format!(
                "its row {} is not of trial {} (trials must follow in order)",
                *next, *next
            ));
        }
        let key = (!outcomes.is_null(i)).then(|| outcomes.value(i));
        let Some(o) = key.and_then(|k| Outcome::ALL.into_iter().find(|o| o.key() == k)) else {
            return Err(format!("its row of trial {} has no known outcome", *next));
        };
        counts[o] += 1;
        *next += 1;
    }
    Ok(())
}

/// Checks a shard's `trials.parquet` against its manifest: a regular file
/// of the size and sha256 listed.
fn check_file(s: &ShardDir) -> io::Result<()> {
    let entry = s
        .manifest
        .file(TRIALS_PARQUET)
        .ok_or_else(|| bad_input(format!("{} lists no {TRIALS_PARQUET}", s.label()), EDITED))?;
    let path = s.path.join(TRIALS_PARQUET);
    let unreadable = |e: String| {
        bad_input(
            format!("cannot read {}: {e}", file_label(s, TRIALS_PARQUET)),
            EDITED,
        )
    };
    // Looked at before it is opened: a FIFO would block the open.
    let meta = std::fs::metadata(&path).map_err(|e| unreadable(e.to_string()))?;
    if !meta.is_file() {
        return Err(unreadable("it is not a regular file".into()));
    }
    if meta.len() != entry.bytes {
        return Err(changed(s, TRIALS_PARQUET));
    }
    let mut r = BufReader::with_capacity(1 << 20, File::open(&path)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    if to_hex(&hasher.finalize()) != entry.sha256 {
        return Err(changed(s, TRIALS_PARQUET));
    }
    Ok(())
}

/// The values of trial `trial`'s row, run again.
fn rerun(
    model: &Model,
    space: &ParamSpace,
    columns: &[Column],
    seed: u64,
    trial: u64,
) -> io::Result<Vec<Value>> {
    let plan = RunPlan {
        seed,
        first_trial: trial,
        trials: 1,
        threads: 1,
    };
    let mut rows = RecordRows::new(columns);
    simulate_until(model, space, plan, &|_| false, &mut rows, &mut |_| {}, None)?;
    let b = rows.take()?;
    Ok(row_values(&b, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Int64Array, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use std::sync::Arc;

    fn batch(trials: &[i64], outcomes: &[&str]) -> RecordBatch {
        let schema = Schema::new(vec![
            Field::new("trial", DataType::Int64, true),
            Field::new("outcome", DataType::Utf8, true),
        ]);
        RecordBatch::try_new(
            Arc::new(schema),
            vec![
                Arc::new(Int64Array::from(trials.to_vec())),
                Arc::new(StringArray::from(outcomes.to_vec())),
            ],
        )
        .unwrap()
    }

    #[test]
    fn trial_indices_must_follow_in_order() {
        let key = Outcome::ALL[0].key();
        let mut counts = PerOutcome::splat(0);
        let mut next = 5;
        check_batch(&batch(&[5, 6], &[key, key]), &mut next, 9, &mut counts).unwrap();
        assert_eq!((next, counts[Outcome::ALL[0]]), (7, 2));
        let gap = check_batch(&batch(&[8], &[key]), &mut next, 9, &mut counts);
        assert!(gap.unwrap_err().contains("trial 7"));
        let mut next = 8;
        let past = check_batch(&batch(&[8, 9], &[key, key]), &mut next, 9, &mut counts);
        assert!(past.is_err());
        let mut next = 0;
        let unknown = check_batch(&batch(&[0], &["nope"]), &mut next, 9, &mut counts);
        assert!(unknown.unwrap_err().contains("no known outcome"));
    }
}
