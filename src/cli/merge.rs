//! `brink merge`.

use brink::jobs::merge::{MergeOptions, Merged, merge as merge_shards};

use super::EXIT_OK;
use super::analyses::{
    print_calibration, print_discovery, print_sensitivity, print_sweep, report_error,
};
use super::args::MergeArgs;
use super::table::{milestone_table, outcome_table};

/// Runs `brink merge`.
pub fn merge(a: &MergeArgs) -> u8 {
    let opts = MergeOptions {
        out_root: a.out.clone(),
        scenario: a.scenario.clone(),
        command: std::env::args().collect(),
        plots: !a.no_plots,
        spread: a.spread.options(),
    };
    let r = match merge_shards(&a.shards, &opts) {
        Ok(r) => r,
        Err(e) => return report_error(&e),
    };
    if !a.quiet {
        println!("merged {} shards", r.shards);
        match &r.merged {
            Merged::Run(summary) => {
                print!("{}", outcome_table(summary));
                print!("{}", milestone_table(summary));
            }
            Merged::Sweep(sw) => print_sweep(&r.scenario, sw),
            Merged::Sensitivity(s) => print_sensitivity(&r.scenario, s),
            Merged::Compare(c) => {
                print!("{}", brink::output::comparison_table::render(c));
                if let Some(st) = &c.stopping {
                    println!("{}", super::table::stopping_line(st));
                }
            }
            Merged::Discover(d) => print_discovery(&r.scenario, d),
            Merged::Calibrate(c) => print_calibration(&r.scenario, c),
            Merged::Experiment(e) => super::experiment::print_experiment(e),
        }
        println!("  wrote {}/", r.dir.display());
    }
    EXIT_OK
}
