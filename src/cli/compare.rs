//! `brink compare`.

use brink::jobs::compare::{CompareOptions, compare as run_compare};
use brink::jobs::{Cancel, JobRun};
use brink::output::comparison_table;

use super::analyses::{interrupted, report_error};
use super::args::CompareArgs;
use super::durability::{note_checkpoint, note_leftovers, resolve};
use super::progress::trials_bar;
use super::run::{load_all, precision_from};
use super::signal::cancel_flag;
use super::table::stopping_line;
use super::{EXIT_BAD_INPUT, EXIT_OK};

/// Runs `brink compare`.
pub fn compare(a: &CompareArgs) -> u8 {
    let Some(scenarios) = load_all(&a.scenarios, a.quiet, &a.load.options()) else {
        return EXIT_BAD_INPUT;
    };
    let first = &scenarios[0];
    if !a.quiet {
        for s in &scenarios[1..] {
            if s.horizon != first.horizon {
                eprintln!(
                    "warning: `{}` runs {} steps and the baseline `{}` {}: outcomes are compared at different horizons",
                    s.name, s.horizon, first.name, first.horizon
                );
            }
        }
    }
    let mut at = Vec::with_capacity(a.at.len());
    let mut bad = false;
    for text in &a.at {
        match brink::compare::resolve_at(text, first.calendar.as_ref(), first.horizon) {
            Ok(step) => at.push(step),
            Err(e) => {
                eprintln!("error: {}\n  = hint: {}", e.message, e.hint);
                bad = true;
            }
        }
    }
    if bad {
        return EXIT_BAD_INPUT;
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
            "error: --precision cannot be combined with --shard: where a comparison stops depends on all its trials"
        );
        return EXIT_BAD_INPUT;
    }
    let trials = if precision.is_some() {
        Some(a.max_trials)
    } else {
        a.trials
    };
    let opts = CompareOptions {
        trials,
        seed: a.seed,
        threads: a.threads,
        out_root: a.out.clone(),
        command: std::env::args().collect(),
        precision,
        plots: !a.no_plots,
        durability,
        format: a.format.format(),
        at,
        given: a.given.clone(),
    };
    let output = brink::jobs::compare::dir_name(&scenarios);
    let name = durability.output_name(&output);
    note_checkpoint(&a.out, &name, &durability, a.quiet);
    let total = trials.unwrap_or(first.trials);
    let range = durability.shard.map_or(0..total, |sh| sh.range(total));
    let bar = trials_bar("compare", range.end - range.start, a.quiet);
    let result = run_compare(
        &scenarios,
        &opts,
        &mut |done| bar.set_position(done),
        Cancel::on(cancel_flag()),
    );
    bar.finish_and_clear();
    match result {
        Ok(JobRun::Cancelled) => interrupted(&output),
        Ok(JobRun::Done { output: c, dir }) => {
            if !a.quiet {
                print!("{}", comparison_table::render(&c));
                if let Some(st) = &c.stopping {
                    println!("{}", stopping_line(st));
                }
                if let Some(k) = &c.conditioning {
                    print!("{}", conditioning_lines(&c, k));
                }
                println!("  wrote {}/", dir.display());
            }
            EXIT_OK
        }
        Ok(JobRun::Shard { dir, units, total }) => {
            if !a.quiet {
                println!(
                    "shard {} of the comparison: trials {}..{} of {total}",
                    durability.shard.map_or(String::new(), |sh| sh.to_string()),
                    units.start,
                    units.end
                );
                println!("  wrote {}/", dir.display());
            }
            EXIT_OK
        }
        Err(e) => {
            note_leftovers(&a.out, &name);
            report_error(&e)
        }
    }
}

/// The console's note on a conditioned comparison: the trials each
/// scenario kept and the pairs kept in both, with a warning when few were.
fn conditioning_lines(
    c: &brink::compare::Comparison,
    k: &brink::stats::comparison::CompareConditioning,
) -> String {
    let given: Vec<String> = k.given.iter().map(|g| format!("`{g}`")).collect();
    let mut out = format!(
        "  given {}, of {} trials:\n",
        given.join(" and "),
        k.trials_run
    );
    for (j, s) in c.scenarios.iter().enumerate() {
        let paired = if j == 0 {
            String::new()
        } else {
            format!(", {} paired with the baseline", k.paired[j])
        };
        out.push_str(&format!(
            "    {}: kept {}{paired}\n",
            s.scenario.name, k.kept[j]
        ));
    }
    let fewest = k.paired.iter().copied().min().unwrap_or(0);
    if let Some(w) = brink::question::kept_warning(k.trials_run, fewest) {
        out.push_str(&format!("  warning: {w}\n"));
    }
    out
}
