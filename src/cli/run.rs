//! `brink run`.

use std::path::Path;

use brink::jobs::Cancel;
use brink::jobs::run::{RunOptions, run_scenario};
use brink::scenario::{self, LoadOptions, Scenario};
use brink::stats::precision::Precision;

use super::args::{OutcomeArg, RunArgs};
use super::durability::{note_checkpoint, note_leftovers, resolve};
use super::output::emit;
use super::progress::trials_bar;
use super::signal::{cancel_flag, interrupted};
use super::table::{milestone_table, outcome_table, stopping_line};
use super::validate::count;
use super::{EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK};

/// Loads every scenario, printing all problems; `None` if any has errors.
/// A problem in a file that several scenarios extend is printed once.
pub fn load_all(
    paths: &[impl AsRef<Path>],
    quiet: bool,
    options: &LoadOptions,
) -> Option<Vec<Scenario>> {
    let mut ok = Vec::new();
    let mut failed = false;
    let mut shown = std::collections::HashSet::new();
    let mut show = |diags: &scenario::Diagnostics| {
        for d in diags.sorted() {
            let text = d.to_string();
            if shown.insert(text.clone()) {
                eprintln!("{text}");
            }
        }
    };
    for p in paths {
        match scenario::load_with(p.as_ref(), options) {
            Ok((s, warnings)) => {
                if !quiet {
                    show(&warnings);
                }
                ok.push(s);
            }
            Err(diags) => {
                show(&diags);
                eprintln!(
                    "{}: invalid, {}, {}",
                    p.as_ref().display(),
                    count(diags.error_count(), "error"),
                    count(diags.warning_count(), "warning")
                );
                failed = true;
            }
        }
    }
    (!failed).then_some(ok)
}

/// Runs `brink run`.
pub fn run(a: &RunArgs) -> u8 {
    let Some(scenarios) = load_all(&a.scenarios, a.quiet, &a.load.options()) else {
        return EXIT_BAD_INPUT;
    };
    let mut names = std::collections::BTreeSet::new();
    for s in &scenarios {
        if !names.insert(s.name.clone()) {
            eprintln!(
                "error: two scenarios are named `{}`; their outputs would overwrite each other",
                s.name
            );
            return EXIT_BAD_INPUT;
        }
    }
    let Ok(precision) = precision_from(a.precision, &a.precision_on) else {
        return EXIT_BAD_INPUT;
    };
    let durability = match resolve(&a.durability) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    if precision.is_some() && durability.shard.is_some() {
        eprintln!(
            "error: --precision cannot be combined with --shard: where a run stops depends on all its trials"
        );
        return EXIT_BAD_INPUT;
    }
    if durability.shard.is_some() && a.spread.given() {
        eprintln!(
            "error: --assumption-draws and --trials-per-draw are not for shards: the spread over assumptions is estimated when the shards are merged\n  = hint: give them to `brink merge` instead"
        );
        return EXIT_BAD_INPUT;
    }
    let cancel = cancel_flag();
    for s in &scenarios {
        let target = a.out.join(&s.name);
        if interrupted() {
            eprintln!(
                "interrupted: `{}` not run; nothing written to {}",
                s.name,
                target.display()
            );
            return EXIT_INTERRUPTED;
        }
        let trials = if precision.is_some() {
            a.max_trials
        } else {
            a.trials.unwrap_or(s.trials)
        };
        let range = durability.shard.map_or(0..trials, |sh| sh.range(trials));
        note_checkpoint(
            &a.out,
            &durability.output_name(&s.name),
            &durability,
            a.quiet,
        );
        let opts = RunOptions {
            trials: Some(trials),
            seed: a.seed,
            threads: a.threads,
            out_root: a.out.clone(),
            command: std::env::args().collect(),
            plots: !a.no_plots,
            precision: precision.clone(),
            durability,
            format: a.format.format(),
            spread: a.spread.options(),
            given: a.given.clone(),
            no_trials_table: a.no_trials_table,
        };
        let bar = trials_bar(&s.name, range.end - range.start, a.quiet);
        let result = run_scenario(
            s,
            &opts,
            &mut |done| bar.set_position(done),
            Cancel::on(cancel),
        );
        bar.finish_and_clear();
        match result {
            Ok(r) if r.cancelled => {
                if durability.checkpoint_every.is_some() {
                    eprintln!(
                        "interrupted: `{}` stopped after {} trials; run again with --resume to continue ({} left as it was)",
                        s.name,
                        r.summary.trials,
                        target.display()
                    );
                } else {
                    eprintln!(
                        "interrupted: `{}` stopped before the end; nothing written, {} left as it was",
                        s.name,
                        target.display()
                    );
                }
                return EXIT_INTERRUPTED;
            }
            Ok(r) => {
                if !a.quiet {
                    let mut text = String::new();
                    if r.resumed > 0 {
                        text.push_str(&format!(
                            "{}: resumed after {} trials from the checkpoint\n",
                            s.name, r.resumed
                        ));
                    }
                    if let Some(shard) = durability.shard {
                        text.push_str(&format!(
                            "{}: shard {shard}, trials {}..{} of {trials}\n",
                            s.name, r.trials.start, r.trials.end
                        ));
                    }
                    text.push_str(&outcome_table(&r.summary));
                    text.push_str(&milestone_table(&r.summary));
                    if let Some(c) = &r.summary.conditioning {
                        text.push_str(&conditioning_line(c));
                    }
                    if let Some(st) = &r.summary.stopping {
                        text.push_str(&stopping_line(st));
                        text.push('\n');
                    }
                    if let Some(dir) = &r.out_dir {
                        text.push_str(&format!("  wrote {}/\n", dir.display()));
                    }
                    // The results are on disk: a closed stdout does not undo them.
                    let _ = emit(text.as_bytes());
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                eprintln!("error: {}: {e}", s.name);
                return EXIT_BAD_INPUT;
            }
            Err(e) => {
                eprintln!("error: running {}: {e}", s.name);
                note_leftovers(&a.out, &durability.output_name(&s.name));
                return EXIT_FAILURE;
            }
        }
    }
    EXIT_OK
}

/// The precision rule of `--precision H [--precision-on KEYS]`; an error
/// (already reported) when H is out of range.
pub fn precision_from(half_width: Option<f64>, on: &[OutcomeArg]) -> Result<Option<Precision>, ()> {
    match half_width {
        Some(h) if !(h > 0.0 && h < 0.5) => {
            eprintln!(
                "error: --precision must be between 0 and 0.5 (0.005 is half a percentage point)"
            );
            Err(())
        }
        Some(h) => Ok(Some(Precision {
            half_width: h,
            outcomes: on.iter().map(|a| a.0).collect(),
        })),
        None => Ok(None),
    }
}

/// The console's note on a conditioned result: how many trials were kept,
/// with a warning when few were.
pub fn conditioning_line(c: &brink::stats::summary::Conditioning) -> String {
    let mut line = format!(
        "  given {}: kept {} of {} trials\n",
        c.given
            .iter()
            .map(|g| format!("`{g}`"))
            .collect::<Vec<_>>()
            .join(" and "),
        c.kept,
        c.trials_run
    );
    if let Some(w) = brink::question::kept_warning(c.trials_run, c.kept) {
        line.push_str(&format!("  warning: {w}\n"));
    }
    line
}
