//! `brink experiment`.

use brink::analysis::experiment::{Experiment, load_experiment};
use brink::jobs::Cancel;
use brink::jobs::experiment::{
    ExperimentJob, ExperimentRun, experiment_dir_name, run_experiment_job,
};
use brink::plot::experiment_plots::label_of;

use super::analyses::{interrupted, report_error};
use super::args::ExperimentArgs;
use super::durability::{note_checkpoint, note_leftovers, resolve};
use super::progress::trials_bar;
use super::signal::cancel_flag;
use super::{EXIT_BAD_INPUT, EXIT_OK};
use brink::format::percent as pct;

/// Runs `brink experiment`.
pub fn experiment(a: &ExperimentArgs) -> u8 {
    let input = match load_experiment(&a.file, &a.common.load.options()) {
        Ok(i) => i,
        Err(d) => {
            eprint!("{d}");
            eprintln!(
                "{}: invalid, {} error{}",
                a.file.display(),
                d.error_count(),
                if d.error_count() == 1 { "" } else { "s" }
            );
            return EXIT_BAD_INPUT;
        }
    };
    let durability = match resolve(&a.durability) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let output = experiment_dir_name(&input.spec.name);
    note_checkpoint(
        &a.common.out,
        &durability.output_name(&output),
        &durability,
        a.common.quiet,
    );
    let command: Vec<String> = std::env::args().collect();
    let job = ExperimentJob {
        input: &input,
        seed: a.common.seed,
        trials: a.trials,
        threads: a.common.threads,
        out_root: &a.common.out,
        command: &command,
        plots: !a.common.no_plots,
        durability,
        format: a.common.format.format(),
    };
    let n = brink::jobs::experiment::ExperimentWork::new(&job)
        .plan()
        .units();
    let points = durability.shard.map_or(0..n, |sh| sh.range(n));
    let bar = trials_bar(
        &format!("experiment {}", input.spec.name),
        points.end - points.start,
        a.common.quiet,
    );
    let result = run_experiment_job(
        &job,
        &mut |done| bar.set_position(done),
        Cancel::on(cancel_flag()),
    );
    bar.finish_and_clear();
    match result {
        Ok(ExperimentRun::Done { experiment, dir }) => {
            if !a.common.quiet {
                print_experiment(&experiment);
                println!("  wrote {}/", dir.display());
            }
            EXIT_OK
        }
        Ok(ExperimentRun::Shard { dir, points }) => {
            if !a.common.quiet {
                println!(
                    "shard {} of the experiment: design points {}..{} of {n}",
                    durability.shard.map_or(String::new(), |sh| sh.to_string()),
                    points.start,
                    points.end
                );
                println!("  wrote {}/", dir.display());
            }
            EXIT_OK
        }
        Ok(ExperimentRun::Cancelled) => interrupted(&input.spec.name),
        Err(e) => {
            note_leftovers(&a.common.out, &durability.output_name(&output));
            report_error(&e)
        }
    }
}

/// The lever x outcome table: each lever's mean share over the design
/// points with its 95% interval, one row per outcome and key figure.
pub fn print_experiment(e: &Experiment) {
    println!(
        "{} ({}): experiment {}, {} levers x {} design points, {} trials per point, seed {}",
        e.scenario.title,
        e.scenario.name,
        e.name,
        e.levers.len(),
        e.design.points_per_lever,
        e.trials,
        e.seed
    );
    println!("  mean share of trials over the design points (95% interval)");
    let names: Vec<String> = e
        .levers
        .first()
        .map(|l| l.shares.0.iter().map(|(n, _)| n.clone()).collect())
        .unwrap_or_default();
    let width = names
        .iter()
        .map(|n| label_of(n).len())
        .max()
        .unwrap_or(0)
        .max("Escalation score".len())
        + 2;
    let col = e
        .levers
        .iter()
        .map(|l| l.lever.chars().count())
        .max()
        .unwrap_or(0)
        .max(22);
    let mut head = format!("  {:<width$}", "outcome");
    for l in &e.levers {
        head.push_str(&format!(" {:>col$}", l.lever));
    }
    println!("{head}");
    for (k, name) in names.iter().enumerate() {
        let mut line = format!("  {:<width$}", label_of(name));
        for l in &e.levers {
            let s = l.shares.0[k].1;
            let cell = format!("{} ({}-{})", pct(s.mean), pct(s.low), pct(s.high));
            line.push_str(&format!(" {cell:>col$}"));
        }
        println!("{line}");
    }
    let mut line = format!("  {:<width$}", "Escalation score");
    for l in &e.levers {
        let m = l.escalation_mean;
        let cell = format!("{:.1} ({:.1} to {:.1})", m.mean, m.low, m.high);
        line.push_str(&format!(" {cell:>col$}"));
    }
    println!("{line}");
}
