//! Reading back a `trials.csv` written by a shard or a checkpoint: streamed
//! row by row (the file can hold gigabytes), it must have the expected
//! header, exactly the expected number of rows, the trial indices of its
//! range in order, and rows whose outcomes, steps, rungs, escalation
//! scores, incidents, move counts and final states add up to the aggregate
//! stored beside it. Merge and resume refuse a file that fails any of these.

use std::io::{self, BufRead, Read, Write};
use std::ops::Range;

use sha2::{Digest, Sha256};

use crate::engine::{ParamSpace, RecordSink, RowEncoder, RunPlan, TrialRecord, simulate_until};
use crate::export::trials_csv::TrialRows;
use crate::model::Model;
use crate::scenario::load::to_hex;
use crate::stats::RunAggregate;
use crate::stats::aggregate::{EscalationBins, TRACKED_VARS, fixed_point};
use crate::stats::mean::IntegerSums;
use crate::world::{MAX_ACTIONS_PER_STEP, N_OUTCOMES, N_RUNGS, Outcome, PerOutcome, Var};

/// What a `trials.csv` must hold.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The header line, with its line end.
    pub header: &'a [u8],
    /// Index of the trial of the first row.
    pub first_trial: u64,
    /// Rows after the header.
    pub rows: u64,
    /// Steps per trial.
    pub horizon: u32,
    /// The lowest and highest escalation total of a trial.
    pub per_trial: [i64; 2],
    /// The layout of the escalation histograms.
    pub bins: EscalationBins,
}

/// The most bytes a field of a row takes, with its comma: integers have at
/// most 20 digits and a sign, floats at most 24 characters.
const MAX_FIELD_BYTES: u64 = 32;

/// What the rows of a `trials.csv` add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    /// Bytes read, header included.
    pub bytes: u64,
    /// Their lower-case hex sha256.
    pub sha256: String,
    /// Rows read.
    pub rows: u64,
    /// The first thing found wrong with the content, if any.
    pub problem: Option<String>,
    /// The first row, with its line end (empty without rows).
    pub first_row: Vec<u8>,
    /// The last row, with its line end (empty without rows).
    pub last_row: Vec<u8>,
    outcome_counts: PerOutcome<u64>,
    outcome_steps: Vec<u64>,
    max_rung_counts: [u64; N_RUNGS],
    move_counts: Vec<u64>,
    move_trials: Vec<u64>,
    incidents: u64,
    escalation: IntegerSums,
    /// The last step's rows of the rung, histogram and variable tables,
    /// which hold every trial's final state.
    final_rungs: [u64; N_RUNGS],
    final_hist: Vec<u64>,
    final_vars: [i128; TRACKED_VARS.len()],
}

impl Scanned {
    /// Checks that the rows add up to `agg` wherever a row tells: outcome,
    /// outcome-by-step and highest-rung counts, incidents, escalation sums,
    /// move counts, and the last step of the rung, histogram and variable
    /// tables (every trial's final state).
    pub fn check_against(&self, agg: &RunAggregate) -> Result<(), String> {
        let differs = |what: &str| {
            Err(format!(
                "its rows do not add up to the {what} of the aggregate"
            ))
        };
        if self.rows != agg.trials {
            return Err(format!(
                "it holds {} rows for the {} trials of the aggregate",
                self.rows, agg.trials
            ));
        }
        if self.outcome_counts != agg.outcome_counts || self.outcome_steps != agg.outcome_steps {
            return differs("outcome counts");
        }
        if self.max_rung_counts != agg.max_rung_counts {
            return differs("highest-rung counts");
        }
        if self.incidents != agg.incidents {
            return differs("incidents");
        }
        if self.escalation != agg.escalation {
            return differs("escalation scores");
        }
        if self.move_counts != agg.move_counts || self.move_trials != agg.move_trials {
            return differs("move counts");
        }
        let h = agg.horizon as usize;
        let bins = agg.escalation_bins.bins;
        let vars = TRACKED_VARS.len();
        if agg.rung_occupancy[h * N_RUNGS..(h + 1) * N_RUNGS] != self.final_rungs {
            return differs("final rung counts");
        }
        if agg.escalation_hist[h * bins..(h + 1) * bins] != self.final_hist[..] {
            return differs("final escalation histogram");
        }
        if agg.var_sums[h * vars..(h + 1) * vars] != self.final_vars {
            return differs("final variable sums");
        }
        Ok(())
    }
}

fn outcome_of(key: &[u8]) -> Option<Outcome> {
    Outcome::ALL.into_iter().find(|o| o.key().as_bytes() == key)
}

fn number<T: std::str::FromStr>(field: &[u8]) -> Option<T> {
    std::str::from_utf8(field).ok()?.parse().ok()
}

/// Reads `r` to its end, checks it against `want`, copies the rows (not
/// the header) to `out` if given, and returns what its rows add up to. The
/// first problem found is kept in [`Scanned::problem`]; the rest of the
/// stream is then only hashed (and no longer copied), so that the caller
/// can tell a damaged file (other size or sha256) from an edited one.
pub fn scan(
    r: &mut impl BufRead,
    want: &Expected<'_>,
    mut out: Option<&mut dyn Write>,
) -> io::Result<Scanned> {
    let mut hasher = Sha256::new();
    let mut line = Vec::with_capacity(4096);
    // No line is read beyond what it can hold, so a file without line ends
    // is never taken into memory whole.
    (&mut *r)
        .take(want.header.len() as u64)
        .read_until(b'\n', &mut line)?;
    hasher.update(&line);
    let columns: Vec<&[u8]> = want
        .header
        .strip_suffix(b"\n")
        .unwrap_or(want.header)
        .split(|&b| b == b',')
        .collect();
    let moves: Vec<usize> = (0..columns.len())
        .filter(|&i| columns[i].starts_with(b"n_"))
        .collect();
    // (tracked variable, its column), for the columns present.
    let finals: Vec<(usize, usize)> = TRACKED_VARS
        .iter()
        .enumerate()
        .filter_map(|(k, v)| {
            let name = format!("final_{}", Var::BUILTIN_NAMES[v.index()]);
            let col = columns.iter().position(|c| *c == name.as_bytes())?;
            Some((k, col))
        })
        .collect();
    let steps = want.horizon as usize + 1;
    let mut s = Scanned {
        bytes: line.len() as u64,
        sha256: String::new(),
        rows: 0,
        problem: None,
        first_row: Vec::new(),
        last_row: Vec::new(),
        outcome_counts: PerOutcome::splat(0),
        outcome_steps: vec![0; N_OUTCOMES * steps],
        max_rung_counts: [0; N_RUNGS],
        move_counts: vec![0; moves.len()],
        move_trials: vec![0; moves.len()],
        incidents: 0,
        escalation: IntegerSums::default(),
        final_rungs: [0; N_RUNGS],
        final_hist: vec![0; want.bins.bins],
        final_vars: [0; TRACKED_VARS.len()],
    };
    if line != want.header {
        s.problem = Some("its header is not the header of this scenario's trials".into());
    }
    let mut fields: Vec<Range<usize>> = Vec::with_capacity(columns.len());
    let longest = MAX_FIELD_BYTES * columns.len() as u64;
    loop {
        if s.problem.is_some() {
            // Only the size and sha256 are still of use.
            let n = {
                let buf = r.fill_buf()?;
                hasher.update(buf);
                buf.len()
            };
            if n == 0 {
                break;
            }
            r.consume(n);
            s.bytes += n as u64;
            continue;
        }
        line.clear();
        let n = (&mut *r).take(longest).read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        s.bytes += n as u64;
        hasher.update(&line);
        if n as u64 == longest && line.last() != Some(&b'\n') {
            s.problem = Some(format!(
                "its row {} is longer than any row can be",
                s.rows + 1
            ));
            continue;
        }
        match s.add_row(&line, &columns, (&moves, &finals), want, &mut fields) {
            Ok(()) => {
                if s.rows == 1 {
                    s.first_row = line.clone();
                }
                s.last_row.clear();
                s.last_row.extend_from_slice(&line);
                if let Some(o) = out.as_deref_mut() {
                    o.write_all(&line)?;
                }
            }
            Err(p) => s.problem = Some(p),
        }
    }
    if s.problem.is_none() && s.rows != want.rows {
        s.problem = Some(format!("it holds {} rows, not {}", s.rows, want.rows));
    }
    s.sha256 = to_hex(&hasher.finalize());
    Ok(s)
}

impl Scanned {
    fn add_row(
        &mut self,
        line: &[u8],
        columns: &[&[u8]],
        (moves, finals): (&[usize], &[(usize, usize)]),
        want: &Expected<'_>,
        spans: &mut Vec<Range<usize>>,
    ) -> Result<(), String> {
        let trial = want.first_trial + self.rows;
        let row = self.rows + 1;
        if self.rows == want.rows {
            return Err(format!(
                "it holds more than the {} rows expected",
                want.rows
            ));
        }
        let Some(body) = line.strip_suffix(b"\n") else {
            return Err(format!("its row {row} is cut short (no line end)"));
        };
        spans.clear();
        let mut start = 0;
        for (i, &b) in body.iter().enumerate() {
            if b == b',' {
                spans.push(start..i);
                start = i + 1;
            }
        }
        spans.push(start..body.len());
        let field = |k: usize| &body[spans[k].clone()];
        if spans.len() != columns.len() {
            return Err(format!(
                "its row {row} has {} fields, not {}",
                spans.len(),
                columns.len()
            ));
        }
        if number::<u64>(field(0)) != Some(trial) {
            return Err(format!(
                "its row {row} is of trial `{}`, not trial {trial}: rows are missing, \
                 repeated or out of order",
                String::from_utf8_lossy(field(0))
            ));
        }
        let unreadable = || format!("its row {row} (trial {trial}) cannot be read");
        let parsed = (
            outcome_of(field(1)),
            number::<u32>(field(2)).filter(|&t| t <= want.horizon),
            number::<usize>(field(3)).filter(|&r| r < N_RUNGS),
            number::<i64>(field(4)).filter(|e| (want.per_trial[0]..=want.per_trial[1]).contains(e)),
            number::<u32>(field(7)),
        );
        let (Some(o), Some(t), Some(rung), Some(esc), Some(inc)) = parsed else {
            return Err(unreadable());
        };
        let final_rung = number::<usize>(field(9))
            .filter(|&r| r < N_RUNGS)
            .ok_or_else(unreadable)?;
        let mut vars = [0i128; TRACKED_VARS.len()];
        for &(k, col) in finals {
            let x = number::<f64>(field(col))
                .filter(|x| x.is_finite() && x.abs() < 1e9)
                .ok_or_else(unreadable)?;
            vars[k] = fixed_point(x);
        }
        let steps = want.horizon as usize + 1;
        self.outcome_counts[o] += 1;
        self.outcome_steps[o.index() * steps + t as usize] += 1;
        self.max_rung_counts[rung] += 1;
        self.incidents += u64::from(inc);
        self.escalation.add(esc);
        self.final_rungs[final_rung] += 1;
        self.final_hist[want.bins.bin(want.horizon, esc)] += 1;
        for (sum, v) in self.final_vars.iter_mut().zip(vars) {
            *sum += v;
        }
        for (j, &col) in moves.iter().enumerate() {
            let c = number::<u32>(field(col))
                .filter(|&c| u64::from(c) <= u64::from(want.horizon) * MAX_ACTIONS_PER_STEP)
                .ok_or_else(unreadable)?;
            self.move_counts[j] += u64::from(c);
            self.move_trials[j] += u64::from(c > 0);
        }
        self.rows += 1;
        Ok(())
    }
}

/// [`scan`] of the first `bytes` bytes of `r` only; a shorter stream or
/// any problem is an error (the message says what is wrong).
pub fn scan_prefix(
    r: impl Read,
    bytes: u64,
    want: &Expected<'_>,
) -> io::Result<Result<Scanned, String>> {
    let mut limited = io::BufReader::with_capacity(1 << 20, r.take(bytes));
    let s = scan(&mut limited, want, None)?;
    if s.bytes != bytes {
        return Ok(Err(format!(
            "it is shorter than the {bytes} bytes recorded"
        )));
    }
    Ok(match &s.problem {
        Some(p) => Err(p.clone()),
        None => Ok(s),
    })
}

/// Collects the encoded rows of a simulation.
struct Rows(Vec<u8>);

impl RecordSink for Rows {
    fn encoder(&self) -> Option<&'static dyn RowEncoder> {
        Some(&TrialRows)
    }

    fn rows(&mut self, bytes: &[u8], _trials: u64) -> io::Result<()> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }

    fn record(&mut self, _: &TrialRecord, _: &[u32], _: &[f64]) -> io::Result<()> {
        Err(io::Error::other("rows are collected encoded"))
    }
}

/// The `trials.csv` row of trial `trial` of `model` with `seed`, run again
/// (one trial: a spot check that stored rows are those of this work).
pub fn rerun_row(model: &Model, space: &ParamSpace, seed: u64, trial: u64) -> io::Result<Vec<u8>> {
    let plan = RunPlan {
        seed,
        first_trial: trial,
        trials: 1,
        threads: 1,
    };
    let mut rows = Rows(Vec::new());
    simulate_until(model, space, plan, &|_| false, &mut rows, &mut |_| {}, None)?;
    Ok(rows.0)
}

/// Runs the first and last trial of `scanned`'s rows again (the rows of
/// trials `first_trial..`) and compares them with the stored rows.
pub fn spot_check(
    scanned: &Scanned,
    first_trial: u64,
    model: &Model,
    space: &ParamSpace,
    seed: u64,
) -> io::Result<Result<(), String>> {
    if scanned.rows == 0 {
        return Ok(Ok(()));
    }
    let last = first_trial + scanned.rows - 1;
    for (trial, stored) in [(first_trial, &scanned.first_row), (last, &scanned.last_row)] {
        if rerun_row(model, space, seed, trial)? != *stored {
            return Ok(Err(format!(
                "its row of trial {trial} is not what this work's trial {trial} gives \
                 when run again"
            )));
        }
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[u8] = b"trial,outcome,outcome_step,max_rung,escalation_total,\
first_strike_step,breakout_step,incidents,steps,final_rung,talks_active,n_a\n";

    fn want() -> Expected<'static> {
        Expected {
            header: HEADER,
            first_trial: 5,
            rows: 2,
            horizon: 3,
            per_trial: [-10, 10],
            bins: EscalationBins {
                step_min: -4,
                step_max: 4,
                bins: 8,
            },
        }
    }

    fn scanned(rows: &[u8]) -> Scanned {
        let bytes = [HEADER, rows].concat();
        let mut out = Vec::new();
        let s = scan(&mut &bytes[..], &want(), Some(&mut out)).unwrap();
        assert_eq!(s.bytes, bytes.len() as u64, "every byte is hashed");
        assert_eq!(s.sha256, to_hex(&Sha256::digest(&bytes)));
        s
    }

    const GOOD: &[u8] = b"5,deal,2,1,4,,,0,2,1,0,1\n6,standoff,3,0,-2,,,1,3,0,1,0\n";

    #[test]
    fn rows_in_order_are_tallied() {
        let s = scanned(GOOD);
        assert_eq!((s.rows, s.problem.as_deref()), (2, None));
        assert_eq!(s.first_row, b"5,deal,2,1,4,,,0,2,1,0,1\n");
        assert_eq!(s.last_row, b"6,standoff,3,0,-2,,,1,3,0,1,0\n");
        assert_eq!(s.outcome_counts[Outcome::Deal], 1);
        assert_eq!((s.incidents, s.escalation.sum, s.move_trials[0]), (1, 2, 1));
    }

    #[test]
    fn missing_repeated_cut_and_endless_rows_are_problems() {
        let problem = |rows: &[u8]| scanned(rows).problem.unwrap_or_default();
        assert!(problem(&GOOD[..25]).contains("1 rows, not 2"));
        assert!(problem(&GOOD[..GOOD.len() - 1]).contains("row 2 is cut short"));
        let repeated = b"5,deal,2,1,4,,,0,2,1,0,1\n5,deal,2,1,4,,,0,2,1,0,1\n";
        assert!(problem(repeated).contains("of trial `5`, not trial 6"));
        assert!(problem(&[GOOD, b"7,deal,1,1,1,,,0,1,1,0,1\n"].concat()).contains("more than"));
        assert!(problem(b"5,deal,9,1,4,,,0,2,1,0,1\n").contains("cannot be read"));
        assert!(problem(b"5,deal,2,1,400,,,0,2,1,0,1\n").contains("cannot be read"));
        let endless = vec![b'7'; 100_000];
        assert!(problem(&endless).contains("longer than any row"));
        let other = scan(&mut &b"trial\n"[..], &want(), None).unwrap();
        assert!(other.problem.unwrap().contains("header"));
    }
}
