//! Many trials in parallel. Trials are cut into fixed-size chunks that do not
//! depend on the number of threads; chunks run on a rayon pool in batches,
//! and each batch is handed on in chunk order, so records are written in trial
//! order and the aggregates are the same for any thread count.
//!
//! Each worker thread adds its trials into its own [`Accumulator`], which is
//! settled into the run's aggregate at every batch boundary: the aggregates
//! are integers, so the order in which threads add them does not matter,
//! and memory holds one accumulator per thread whatever the number of
//! chunks in flight. What must follow trial order (the records, and the
//! stopping rule's counts) goes with each chunk.

use std::io;
use std::ops::Range;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::model::Model;
use crate::question::EventSet;
use crate::stats::accumulator::fill_ended_scores;
use crate::stats::{Accumulator, RunAggregate, Tally};

use super::draws::{ParamSpace, ParameterDraws};
use super::trial::TrialRunner;
use crate::observe::TrialRecord;

/// Trials per chunk.
pub const CHUNK_TRIALS: u64 = 1024;

/// Which trials to run and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunPlan {
    /// Master seed.
    pub seed: u64,
    /// Trial indices to run.
    pub first_trial: u64,
    /// Number of trials from `first_trial`.
    pub trials: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
}

/// Turns one trial's record into bytes (a row of a file). The workers call it
/// on the chunks they ran, so the thread that hands records on in trial
/// order only copies bytes.
pub trait RowEncoder: Sync {
    /// Appends the row of one trial (its record, move counts and drawn
    /// parameter values, as in [`RecordSink::record`]) to `out`.
    fn encode(&self, record: &TrialRecord, move_counts: &[u32], params: &[f64], out: &mut Vec<u8>);
}

/// Receives trial records in trial order.
pub trait RecordSink {
    /// The encoder of this sink's rows, when it takes bytes. Each chunk's
    /// records are then encoded by the worker that ran it and handed on to
    /// [`RecordSink::rows`] instead of [`RecordSink::record`].
    fn encoder(&self) -> Option<&'static dyn RowEncoder> {
        None
    }

    /// The rows of `trials` consecutive trials, encoded by [`RecordSink::encoder`].
    fn rows(&mut self, bytes: &[u8], trials: u64) -> io::Result<()> {
        let _ = (bytes, trials);
        Err(io::Error::other(
            "this sink takes records, not encoded rows",
        ))
    }

    /// One trial's record, its move counts, and the values drawn for its
    /// uncertain parameters (in the order of `ParamSpace::uncertain`).
    fn record(
        &mut self,
        record: &TrialRecord,
        move_counts: &[u32],
        params: &[f64],
    ) -> io::Result<()>;

    /// Called after each batch, once its records are in: `completed` trials
    /// of the plan are done and `aggregate` holds them. Checkpoints are
    /// written here; the default does nothing.
    fn on_batch(&mut self, completed: u64, aggregate: &RunAggregate) -> io::Result<()> {
        let _ = (completed, aggregate);
        Ok(())
    }
}

impl RecordSink for () {
    fn record(&mut self, _: &TrialRecord, _: &[u32], _: &[f64]) -> io::Result<()> {
        Ok(())
    }
}

/// Collects every record in memory (small runs and tests).
impl RecordSink for Vec<TrialRecord> {
    fn record(&mut self, record: &TrialRecord, _: &[u32], _: &[f64]) -> io::Result<()> {
        self.push(*record);
        Ok(())
    }
}

/// What a simulation produced.
#[derive(Debug, Clone)]
pub struct Simulation {
    /// Aggregates of all completed trials.
    pub aggregate: RunAggregate,
    /// Trials completed (all of them unless cancelled).
    pub completed: u64,
    /// True when stopped by the cancel flag.
    pub cancelled: bool,
    /// True when the stopping rule of [`simulate_until`] ended the run.
    pub stopped: bool,
}

struct ChunkResult {
    /// Trials run (kept or not).
    run: u64,
    records: Vec<TrialRecord>,
    counts: Vec<u32>,
    params: Vec<f64>,
    /// The encoded rows of the chunk's trials, when the sink takes bytes.
    rows: Vec<u8>,
}

fn is_set(cancel: Option<&AtomicBool>) -> bool {
    cancel.is_some_and(|c| c.load(Ordering::Relaxed))
}

/// Runs the trials of one chunk, adding them to `acc`; stops early (with an
/// incomplete result, which the caller discards) when `cancel` is set. With `given`, each trial
/// is first run with only the events' tracker, and run again (it is the
/// same trial: its streams are its index's) with the aggregates and its
/// record only when it satisfies every event.
#[allow(clippy::too_many_arguments)]
fn run_chunk(
    model: &Model,
    space: &ParamSpace,
    seed: u64,
    trials: Range<u64>,
    given: Option<&EventSet>,
    encoder: Option<&dyn RowEncoder>,
    cancel: Option<&AtomicBool>,
    acc: &Mutex<Accumulator>,
) -> ChunkResult {
    let n = model.moves.len();
    let k_params = space.uncertain.len();
    let len = (trials.end - trials.start) as usize;
    // Each thread has its own accumulator: the lock is never contended.
    let mut acc = acc
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut runner = TrialRunner::new(model, seed);
    let mut draws = ParameterDraws::new(model, space, seed);
    let mut counts = vec![0u32; n * len];
    let mut params = Vec::with_capacity(k_params * len);
    let mut records = Vec::with_capacity(len);
    let mut tracker = given.map(EventSet::tracker);
    let mut run = 0;
    for trial in trials {
        if is_set(cancel) {
            break;
        }
        run += 1;
        let k = records.len();
        let row = &mut counts[k * n..(k + 1) * n];
        let coef = draws.coefficients(trial);
        if let Some(t) = tracker.as_mut() {
            runner.run(coef, trial, row, t);
            row.fill(0);
            if !t.all(0..t.len()) {
                continue;
            }
        }
        let record = runner.run(coef, trial, row, &mut acc.aggregator());
        acc.add_moves(row);
        params.extend_from_slice(draws.drawn());
        records.push(record);
    }
    counts.truncate(records.len() * n);
    let mut rows = Vec::new();
    if let Some(encoder) = encoder {
        for (k, record) in records.iter().enumerate() {
            encoder.encode(
                record,
                &counts[k * n..(k + 1) * n],
                &params[k * k_params..(k + 1) * k_params],
                &mut rows,
            );
        }
    }
    ChunkResult {
        run,
        records,
        counts,
        params,
        rows,
    }
}

/// Runs the trials of `plan` over the parameter `space`, sending records to
/// `sink` in trial order and calling `progress` with the number of trials
/// done after each batch. Stops soon after `cancel` is set (every trial
/// checks it), discarding the unfinished batch: the records and aggregates
/// returned then cover the completed batches only.
pub fn simulate(
    model: &Model,
    space: &ParamSpace,
    plan: RunPlan,
    sink: &mut dyn RecordSink,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<Simulation> {
    simulate_until(model, space, plan, &|_| false, sink, progress, cancel)
}

/// Like [`simulate`], but checks `stop` on the counts of the trials kept so
/// far after every chunk, in trial order, and ends at the first chunk
/// boundary where it holds. The stopping point depends only on the counts,
/// never on the thread count: chunks computed past it are discarded.
pub fn simulate_until(
    model: &Model,
    space: &ParamSpace,
    plan: RunPlan,
    stop: &dyn Fn(&Tally) -> bool,
    sink: &mut dyn RecordSink,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<Simulation> {
    simulate_given(model, space, plan, None, stop, sink, progress, cancel)
}

/// Like [`simulate_until`], keeping only the trials that satisfy every
/// event of `given` (all of them when `None`): the aggregate and the
/// records cover the kept trials, [`Simulation::completed`] counts every
/// trial run. Which trials are kept depends only on their indices, so the
/// result is the same for any thread count.
#[allow(clippy::too_many_arguments)]
pub fn simulate_given(
    model: &Model,
    space: &ParamSpace,
    plan: RunPlan,
    given: Option<&EventSet>,
    stop: &dyn Fn(&Tally) -> bool,
    sink: &mut dyn RecordSink,
    progress: &mut dyn FnMut(u64),
    cancel: Option<&AtomicBool>,
) -> io::Result<Simulation> {
    let pool = crate::limits::thread_pool(plan.threads)?;
    let threads = pool.current_num_threads().max(1);
    // Trial indices must fit in u64 (a trial's index is its stream).
    let end = plan
        .first_trial
        .checked_add(plan.trials)
        .ok_or_else(|| io::Error::other("trial indices beyond 2^64"))?;
    let mut total = RunAggregate::new(model);
    let mut tally = Tally::new();
    let mut done = 0;
    let n = model.moves.len();
    let k_params = space.uncertain.len();
    // One accumulator per worker thread, settled into `total` once a batch
    // is computed (the pool is then idle), before it is written.
    let accs: Vec<Mutex<Accumulator>> = (0..threads)
        .map(|_| Mutex::new(Accumulator::new(model)))
        .collect();
    let mut scores = Vec::new();
    // Batches are made as they are needed: a run of 10^12 trials must not
    // hold a list of all its chunks. Batch k is written to the sink on this
    // thread while the pool computes batch k + 1, so writing never idles the
    // workers; results are still handed on strictly in chunk order.
    let per_batch = threads as u64 * 4;
    let encoder = sink.encoder();
    let mut next = plan.first_trial;
    let mut pending: Option<(Vec<Range<u64>>, Vec<ChunkResult>)> = None;
    loop {
        let mut batch: Vec<Range<u64>> = Vec::new();
        while next < end && (batch.len() as u64) < per_batch {
            let stop = next.saturating_add(CHUNK_TRIALS).min(end);
            batch.push(next..stop);
            next = stop;
        }
        if batch.is_empty() && pending.is_none() {
            break;
        }
        let (computed, written) = std::thread::scope(|scope| {
            let worker = (!batch.is_empty()).then(|| {
                scope.spawn(|| {
                    pool.install(|| {
                        batch
                            .par_iter()
                            .map(|r| {
                                let slot = rayon::current_thread_index().unwrap_or(0) % accs.len();
                                run_chunk(
                                    model,
                                    space,
                                    plan.seed,
                                    r.clone(),
                                    given,
                                    encoder,
                                    cancel,
                                    &accs[slot],
                                )
                            })
                            .collect::<Vec<ChunkResult>>()
                    })
                })
            });
            let written = match &pending {
                Some((_, results)) => write_batch(
                    results, &total, &mut tally, &mut done, n, k_params, stop, sink, progress,
                ),
                None => Ok(None),
            };
            let computed =
                worker.map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
            (computed, written)
        });
        if let Some(last) = written? {
            // `total` holds the whole written batch: take away its chunks
            // after the stopping point (run again: a trial is its index).
            if let Some((ranges, _)) = &pending {
                let acc = Mutex::new(Accumulator::new(model));
                for r in &ranges[last + 1..] {
                    run_chunk(model, space, plan.seed, r.clone(), given, None, None, &acc);
                }
                let mut after = RunAggregate::new(model);
                let mut acc = acc
                    .into_inner()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                acc.settle_into(&mut after, &mut scores);
                fill_ended_scores(&mut after, &mut scores);
                total.subtract(&after);
            }
            debug_assert_eq!(total.trials, tally.trials);
            return Ok(Simulation {
                aggregate: total,
                completed: done,
                cancelled: false,
                stopped: true,
            });
        }
        // A batch computed while the flag was set may be incomplete: drop it.
        if is_set(cancel) {
            return Ok(Simulation {
                aggregate: total,
                completed: done,
                cancelled: true,
                stopped: false,
            });
        }
        if computed.is_some() {
            for acc in &accs {
                acc.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .settle_into(&mut total, &mut scores);
            }
            fill_ended_scores(&mut total, &mut scores);
        }
        pending = computed.map(|c| (batch, c));
    }
    debug_assert_eq!(total.trials, tally.trials);
    Ok(Simulation {
        aggregate: total,
        completed: done,
        cancelled: false,
        stopped: false,
    })
}

/// Hands one computed batch on in chunk order: counts its trials in
/// `tally`, sends its records to `sink`, and checks `stop` after every
/// chunk; `total` already holds the batch's aggregates (for the sink's
/// checkpoint). Returns the index of the chunk after which `stop` ended the
/// run, if it did.
#[allow(clippy::too_many_arguments)]
fn write_batch(
    results: &[ChunkResult],
    total: &RunAggregate,
    tally: &mut Tally,
    done: &mut u64,
    n: usize,
    k_params: usize,
    stop: &dyn Fn(&Tally) -> bool,
    sink: &mut dyn RecordSink,
    progress: &mut dyn FnMut(u64),
) -> io::Result<Option<usize>> {
    for (i, r) in results.iter().enumerate() {
        for record in &r.records {
            tally.add(record);
        }
        if sink.encoder().is_some() {
            sink.rows(&r.rows, r.records.len() as u64)?;
        } else {
            for (k, record) in r.records.iter().enumerate() {
                sink.record(
                    record,
                    &r.counts[k * n..(k + 1) * n],
                    &r.params[k * k_params..(k + 1) * k_params],
                )?;
            }
        }
        *done += r.run;
        if stop(tally) {
            progress(*done);
            return Ok(Some(i));
        }
    }
    sink.on_batch(*done, total)?;
    progress(*done);
    Ok(None)
}
