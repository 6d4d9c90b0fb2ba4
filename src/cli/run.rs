//! `brink run`.

use std::path::Path;

use brink::pipeline::{RunOptions, run_scenario};
use brink::scenario::{self, Scenario};

use super::args::RunArgs;
use super::progress::trials_bar;
use super::table::outcome_table;
use super::{EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK};

/// Loads every scenario, printing all problems; `None` if any has errors.
pub fn load_all(paths: &[impl AsRef<Path>], quiet: bool) -> Option<Vec<Scenario>> {
    let mut ok = Vec::new();
    let mut failed = false;
    for p in paths {
        match scenario::load(p.as_ref()) {
            Ok((s, warnings)) => {
                if !quiet && !warnings.is_empty() {
                    eprint!("{warnings}");
                }
                ok.push(s);
            }
            Err(diags) => {
                eprint!("{diags}");
                eprintln!(
                    "{}: {} error(s), {} warning(s)",
                    p.as_ref().display(),
                    diags.error_count(),
                    diags.warning_count()
                );
                failed = true;
            }
        }
    }
    (!failed).then_some(ok)
}

/// Runs `brink run`.
pub fn run(a: &RunArgs) -> u8 {
    let Some(scenarios) = load_all(&a.scenarios, a.quiet) else {
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
    for s in &scenarios {
        let opts = RunOptions {
            trials: a.trials,
            seed: a.seed,
            threads: a.threads,
            out_root: a.out.clone(),
            command: std::env::args().collect(),
            plots: !a.no_plots,
        };
        let bar = trials_bar(&s.name, a.trials.unwrap_or(s.trials), a.quiet);
        let result = run_scenario(s, &opts, &mut |done| bar.set_position(done), None);
        bar.finish_and_clear();
        match result {
            Ok(r) => {
                if !a.quiet {
                    print!("{}", outcome_table(&r.summary));
                    if let Some(dir) = &r.out_dir {
                        println!("  wrote {}/", dir.display());
                    }
                }
            }
            Err(e) => {
                eprintln!("error: running {}: {e}", s.name);
                return EXIT_FAILURE;
            }
        }
    }
    EXIT_OK
}
