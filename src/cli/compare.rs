//! `brink compare`.

use brink::compare::{CompareOptions, compare as run_compare};
use brink::output::comparison_table;

use super::args::CompareArgs;
use super::progress::trials_bar;
use super::run::{load_all, precision_from};
use super::signal::cancel_flag;
use super::table::stopping_line;
use super::{EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK};

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
    let Ok(precision) = precision_from(a.precision, &a.precision_on) else {
        return EXIT_BAD_INPUT;
    };
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
        format: a.format.format(),
    };
    let bar = trials_bar("compare", trials.unwrap_or(first.trials), a.quiet);
    let result = run_compare(
        &scenarios,
        &opts,
        &mut |done| bar.set_position(done),
        Some(cancel_flag()),
    );
    bar.finish_and_clear();
    match result {
        Ok(r) if r.cancelled => {
            eprintln!("interrupted: the comparison stopped before the end; nothing written");
            EXIT_INTERRUPTED
        }
        Ok(r) => {
            if !a.quiet {
                print!("{}", comparison_table::render(&r.comparison));
                if let Some(st) = &r.comparison.stopping {
                    println!("{}", stopping_line(st));
                }
                if let Some(dir) = &r.out_dir {
                    println!("  wrote {}/", dir.display());
                }
            }
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: comparing scenarios: {e}");
            if e.kind() == std::io::ErrorKind::InvalidInput {
                EXIT_BAD_INPUT
            } else {
                EXIT_FAILURE
            }
        }
    }
}
