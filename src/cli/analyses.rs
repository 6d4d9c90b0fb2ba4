//! `brink sweep`, `brink sensitivity`, `brink discover` and `brink calibrate`.

use std::path::{Path, PathBuf};

use brink::analysis::calibrate::CalibrateOptions;
use brink::analysis::calibrate::Calibration;
use brink::analysis::discovery::Discovery;
use brink::analysis::sensitivity::{Sensitivity, SensitivityOptions};
use brink::analysis::sweep::{self, Sweep, range_values};
use brink::analysis::targets::load_targets;
use brink::jobs::calibrate::CalibrateJob;
use brink::jobs::discover::DiscoverJob;
use brink::jobs::sensitivity::{
    SensitivityJob, SensitivityRun, run_sensitivity_job, sensitivity_dir_name,
};
use brink::jobs::sweep::{SweepJob, SweepRun, run_sweep_job, sweep_dir_name};
use brink::jobs::{Cancel, Job, JobOptions, JobRun, drive};
use brink::model::Model;
use brink::scenario::Scenario;
use brink::shard::Durability;
use brink::stats::prim::PrimOptions;
use brink::world::Outcome;

use super::args::{CalibrateArgs, CommonArgs, DiscoverArgs, SensitivityArgs, SweepArgs};
use super::durability::{note_checkpoint, note_leftovers, resolve};
use super::progress::trials_bar;
use super::run::load_all;
use super::signal::cancel_flag;
use super::{EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK};
use brink::format::percent as pct;
use brink::format::{ValueFormat, decimals_for, interval};
use brink::output::panels::Panels;

pub(super) fn load_one(path: &Path, common: &CommonArgs) -> Option<Scenario> {
    load_all(&[path], common.quiet, &common.load.options()).and_then(|mut v| v.pop())
}

/// Compiles `s` (read from `path`) for an analysis of its uncertain
/// parameters (`purpose`: "to search", ...); prints an error with a hint and
/// gives `None` when it has none.
fn compile_uncertain(s: &Scenario, path: &Path, purpose: &str) -> Option<Model> {
    let model = Model::compile(s);
    if model.params.uncertain().is_empty() {
        eprintln!(
            "error: {} has no uncertain parameters {purpose}\n  = hint: give numbers a distribution, e.g. `rationality = {{ dist = \"uniform\", low = 1, high = 2 }}`",
            path.display()
        );
        return None;
    }
    Some(model)
}

fn parse_range(text: &str) -> Result<Vec<f64>, String> {
    let parts: Vec<&str> = text.split(':').collect();
    let bad = || format!("--range `{text}` is not LOW:HIGH:N (for example 0:1:11)");
    let [lo, hi, n] = parts[..] else {
        return Err(bad());
    };
    let lo: f64 = lo.trim().parse().map_err(|_| bad())?;
    let hi: f64 = hi.trim().parse().map_err(|_| bad())?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    if !lo.is_finite() || !hi.is_finite() || n == 0 || n > 10_000 {
        return Err(bad());
    }
    if n == 1 || lo == hi {
        let why = if n == 1 {
            format!("one value, {lo}")
        } else {
            format!("LOW and HIGH are both {lo}")
        };
        eprintln!(
            "warning: --range `{text}` is degenerate ({why}); every point runs the same value\n  = hint: give N of 2 or more and HIGH different from LOW, e.g. 0:1:11"
        );
    }
    Ok(range_values(lo, hi, n))
}

/// Runs `brink sweep`.
pub fn sweep(a: &SweepArgs) -> u8 {
    let Some(s) = load_one(&a.scenario, &a.common) else {
        return EXIT_BAD_INPUT;
    };
    let values = match &a.range {
        Some(r) => match parse_range(r) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_BAD_INPUT;
            }
        },
        None => a.values.clone(),
    };
    let model = Model::compile(&s);
    if let Err(e) = sweep::check_any(&s, &model, &a.param, &values) {
        eprintln!("error: {e}");
        return EXIT_BAD_INPUT;
    }
    let durability = match resolve(&a.durability) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let seed = a.common.seed.unwrap_or(s.seed);
    let trials = a.trials.unwrap_or(s.trials);
    let output = sweep_dir_name(&s.name, &a.param);
    note_checkpoint(
        &a.common.out,
        &durability.output_name(&output),
        &durability,
        a.common.quiet,
    );
    let n = values.len() as u64;
    let points = durability.shard.map_or(0..n, |sh| sh.range(n));
    let bar = trials_bar(
        &format!("{} {}", s.name, a.param),
        points.end - points.start,
        a.common.quiet,
    );
    let command: Vec<String> = std::env::args().collect();
    let job = SweepJob {
        scenario: &s,
        model: &model,
        parameter: &a.param,
        values: &values,
        seed,
        trials,
        threads: a.common.threads,
        out_root: &a.common.out,
        command: &command,
        plots: !a.common.no_plots,
        durability,
        format: a.common.format.format(),
    };
    let result = run_sweep_job(
        &job,
        &mut |done| bar.set_position(done),
        Cancel::on(cancel_flag()),
    );
    bar.finish_and_clear();
    match result {
        Ok(SweepRun::Done { sweep, dir }) => {
            if !a.common.quiet {
                print_sweep(&s, &sweep);
                println!("  wrote {}/", dir.display());
            }
            EXIT_OK
        }
        Ok(SweepRun::Shard { dir, points }) => {
            if !a.common.quiet {
                println!(
                    "shard {} of the sweep: values {}..{} of {n}",
                    durability.shard.map_or(String::new(), |sh| sh.to_string()),
                    points.start,
                    points.end
                );
                println!("  wrote {}/", dir.display());
            }
            EXIT_OK
        }
        Ok(SweepRun::Cancelled) => interrupted(&s.name),
        Err(e) => {
            note_leftovers(&a.common.out, &durability.output_name(&output));
            report_error(&e)
        }
    }
}

/// Says how to continue an interrupted analysis; its exit status.
pub fn interrupted(name: &str) -> u8 {
    eprintln!("interrupted: `{name}` stopped; run again with --resume to continue");
    EXIT_INTERRUPTED
}

/// Prints an error and returns its exit status (2 for bad input).
pub fn report_error(e: &std::io::Error) -> u8 {
    eprintln!("error: {e}");
    if e.kind() == std::io::ErrorKind::InvalidInput {
        EXIT_BAD_INPUT
    } else {
        EXIT_FAILURE
    }
}

/// The table of a sweep: one row per value, the share of each outcome.
pub fn print_sweep(s: &Scenario, sw: &Sweep) {
    println!(
        "{} ({}): sweep of {} with {} trials per value, seed {}",
        s.title, s.name, sw.parameter, sw.trials, sw.seed
    );
    println!("  share of trials by outcome at each value (95% Wilson interval)");
    // One column per value, in panels as wide as a terminal.
    let label = Outcome::ALL
        .iter()
        .map(|o| o.label().len())
        .max()
        .unwrap_or(0)
        .max("Escalation score".len())
        + 1;
    let mut table = Panels::new("outcome", label, &[]);
    let values: Vec<f64> = sw.points.iter().map(|p| p.value).collect();
    let d = decimals_for(&values);
    for v in &values {
        table.columns.push((format!("value {v:.d$}"), 27));
    }
    for (k, o) in Outcome::ALL.iter().enumerate() {
        let cells = sw
            .points
            .iter()
            .map(|p| {
                let x = &p.outcomes[k];
                format!("{} {}", pct(x.probability), interval(x.ci95, pct))
            })
            .collect();
        table.rows.push((o.label().to_string(), cells));
    }
    let fixed = |v: f64| ValueFormat::Fixed { decimals: 1 }.format(v);
    let cells = sw
        .points
        .iter()
        .map(|p| {
            format!(
                "{} {}",
                fixed(p.escalation_mean),
                interval(p.escalation_ci95, fixed)
            )
        })
        .collect();
    table.rows.push(("Escalation score".to_string(), cells));
    let mut out = String::new();
    table.write(&mut out);
    print!(
        "{}",
        out.lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect::<String>()
    );
}

/// Runs `brink sensitivity`.
pub fn sensitivity(a: &SensitivityArgs) -> u8 {
    let Some(s) = load_one(&a.scenario, &a.common) else {
        return EXIT_BAD_INPUT;
    };
    let Some(model) = compile_uncertain(&s, &a.scenario, "to vary") else {
        return EXIT_BAD_INPUT;
    };
    let k = model.params.uncertain().len();
    let durability = match resolve(&a.durability) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    let seed = a.common.seed.unwrap_or(s.seed);
    let opts = SensitivityOptions {
        samples: a.samples as usize,
        trials_per_sample: a.trials_per_sample,
        bootstrap: a.bootstrap as usize,
        seed,
        threads: a.common.threads,
    };
    note_checkpoint(
        &a.common.out,
        &durability.output_name(&sensitivity_dir_name(&s.name)),
        &durability,
        a.common.quiet,
    );
    let total = a.samples * (k as u64 + 2);
    let points = durability.shard.map_or(0..total, |sh| sh.range(total));
    let bar = trials_bar(
        &format!("{} design points", s.name),
        points.end - points.start,
        a.common.quiet,
    );
    let command: Vec<String> = std::env::args().collect();
    let job = SensitivityJob {
        scenario: &s,
        model: &model,
        options: opts,
        out_root: &a.common.out,
        command: &command,
        plots: !a.common.no_plots,
        durability,
        format: a.common.format.format(),
    };
    let result = run_sensitivity_job(
        &job,
        &mut |done| bar.set_position(done),
        Cancel::on(cancel_flag()),
    );
    bar.finish_and_clear();
    match result {
        Ok(SensitivityRun::Done { sensitivity, dir }) => {
            if !a.common.quiet {
                print_sensitivity(&s, &sensitivity);
                println!("  wrote {}/", dir.display());
            }
            EXIT_OK
        }
        Ok(SensitivityRun::Shard { dir, points, total }) => {
            if !a.common.quiet {
                println!(
                    "shard {} of the sensitivity analysis: design points {}..{} of {total}",
                    durability.shard.map_or(String::new(), |sh| sh.to_string()),
                    points.start,
                    points.end
                );
                println!("  wrote {}/", dir.display());
            }
            EXIT_OK
        }
        Ok(SensitivityRun::Cancelled) => interrupted(&s.name),
        Err(e) => {
            let output = sensitivity_dir_name(&s.name);
            note_leftovers(&a.common.out, &durability.output_name(&output));
            report_error(&e)
        }
    }
}

/// The indices of a sensitivity analysis, per output, strongest first.
pub fn print_sensitivity(s: &Scenario, sens: &Sensitivity) {
    println!(
        "{} ({}): Sobol indices from {} base samples, {} design points each \
         ({} parameters + 2), {} trials a point ({} trials), seed {}",
        s.title,
        s.name,
        sens.samples,
        sens.parameters.len() + 2,
        sens.parameters.len(),
        sens.trials_per_sample,
        sens.samples as u64 * (sens.parameters.len() as u64 + 2) * sens.trials_per_sample,
        sens.seed
    );
    for o in &sens.outputs {
        println!("  {} (mean {:.3})", o.output, o.mean);
        let mut rows: Vec<_> = o.indices.iter().collect();
        rows.sort_by(|x, y| y.total.value.total_cmp(&x.total.value));
        for ix in rows {
            println!(
                "    {:<44} S1 {:>6.3} [{:>6.3}, {:>6.3}]  ST {:>6.3} [{:>6.3}, {:>6.3}]",
                ix.parameter,
                ix.first.value,
                ix.first.low,
                ix.first.high,
                ix.total.value,
                ix.total.low,
                ix.total.high
            );
        }
        for w in sens.warnings.iter().filter(|w| w.output == o.output) {
            println!(
                "    warning: {}; needs about --samples {} --trials-per-sample {}",
                w.message, w.samples, w.trials_per_sample
            );
        }
    }
    if !sens.warnings.is_empty() {
        println!(
            "  {} warning{} on these indices (also in sensitivity.json and the report)",
            sens.warnings.len(),
            if sens.warnings.len() == 1 { "" } else { "s" }
        );
    }
}

/// Resolves `--shard`, `--resume` and `--checkpoint-every`, saying what
/// happens to a checkpoint left for `output`; the exit status for bad input.
pub(super) fn durability_for(
    a: &super::args::DurabilityArgs,
    common: &CommonArgs,
    output: &str,
) -> Result<Durability, u8> {
    let d = resolve(a).map_err(|e| {
        eprintln!("error: {e}");
        EXIT_BAD_INPUT
    })?;
    note_checkpoint(&common.out, &d.output_name(output), &d, common.quiet);
    Ok(d)
}

/// Runs a job with a progress bar of `label` and the options of `common`;
/// its output and folder when done, else the exit status (already
/// reported: a shard written, an interruption, an error).
pub(super) fn run_job<J: Job>(
    job: &J,
    common: &CommonArgs,
    durability: Durability,
    label: &str,
) -> Result<(J::Output, PathBuf), u8> {
    let output = job.work().output();
    let total = job.units();
    let range = durability.shard.map_or(0..total, |sh| sh.range(total));
    let bar = trials_bar(label, range.end - range.start, common.quiet);
    let command: Vec<String> = std::env::args().collect();
    let opts = JobOptions {
        out_root: &common.out,
        command: &command,
        plots: !common.no_plots,
        durability,
        format: common.format.format(),
    };
    let result = drive(
        job,
        &opts,
        &mut |done| bar.set_position(done),
        Cancel::on(cancel_flag()),
    );
    bar.finish_and_clear();
    match result {
        Ok(JobRun::Done { output, dir }) => Ok((output, dir)),
        Ok(JobRun::Shard { dir, units, total }) => {
            if !common.quiet {
                println!(
                    "shard {} of `{output}`: {} {}..{} of {total}",
                    durability.shard.map_or(String::new(), |sh| sh.to_string()),
                    job.work().work.units(),
                    units.start,
                    units.end
                );
                println!("  wrote {}/", dir.display());
            }
            Err(EXIT_OK)
        }
        Ok(JobRun::Cancelled) => Err(interrupted(&output)),
        Err(e) => {
            note_leftovers(&common.out, &durability.output_name(&output));
            Err(report_error(&e))
        }
    }
}

/// Runs `brink discover`.
pub fn discover(a: &DiscoverArgs) -> u8 {
    let Some(s) = load_one(&a.scenario, &a.common) else {
        return EXIT_BAD_INPUT;
    };
    let outcome = a.outcome.0;
    if !(0.0..=1.0).contains(&a.min_coverage) {
        eprintln!("error: --min-coverage must be between 0 and 1");
        return EXIT_BAD_INPUT;
    }
    let Some(model) = compile_uncertain(&s, &a.scenario, "to search") else {
        return EXIT_BAD_INPUT;
    };
    let seed = a.common.seed.unwrap_or(s.seed);
    let trials = a.trials.unwrap_or(s.trials);
    let opts = PrimOptions {
        min_coverage: a.min_coverage,
        ..PrimOptions::default()
    };
    let job = match DiscoverJob::new(&s, &model, outcome, seed, trials, a.common.threads, opts) {
        Ok(j) => j,
        Err(e) => return report_error(&e),
    };
    let durability = match durability_for(&a.durability, &a.common, &job.work().output()) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let (d, dir) = match run_job(&job, &a.common, durability, &s.name) {
        Ok(done) => done,
        Err(code) => return code,
    };
    if !a.common.quiet {
        print_discovery(&s, &d);
        println!("  wrote {}/", dir.display());
    }
    EXIT_OK
}

/// The PRIM box and the ranking of a discovery.
pub fn print_discovery(s: &Scenario, d: &Discovery) {
    let b = &d.prim.pasted;
    let outcome = d.outcome.label();
    println!(
        "{} ({}): where {} is most likely ({} trials, base rate {})",
        s.title,
        s.name,
        outcome,
        d.trials,
        pct(d.base_rate)
    );
    println!(
        "  PRIM box: density {} (vs {}), coverage {}, support {}",
        pct(b.density),
        pct(d.base_rate),
        pct(b.coverage),
        pct(b.support)
    );
    for (j, p) in d.parameters.iter().enumerate() {
        if d.prim.restricted[j] {
            println!(
                "    {:<44} {:.4} .. {:.4}",
                p, b.bounds[j][0], b.bounds[j][1]
            );
        }
    }
    println!("  parameters by separation (Kolmogorov-Smirnov distance):");
    for r in &d.ranking {
        println!(
            "    {:<44} {:.3}  (mean {:.3} with, {:.3} without)",
            r.parameter, r.ks, r.mean_with, r.mean_without
        );
    }
}

/// Runs `brink calibrate SCENARIO --targets T` (`--suite` is
/// `suite::calibrate_suite`).
pub fn calibrate(a: &CalibrateArgs) -> u8 {
    let (Some(scenario), Some(targets_path)) = (&a.scenario, &a.targets) else {
        eprintln!("error: give a SCENARIO and --targets, or --suite DIR");
        return EXIT_BAD_INPUT;
    };
    let Some(s) = load_one(scenario, &a.common) else {
        return EXIT_BAD_INPUT;
    };
    let targets = match load_targets(targets_path, s.horizon) {
        Ok(t) => t,
        Err(d) => {
            eprint!("{d}");
            return EXIT_BAD_INPUT;
        }
    };
    let Some(model) = compile_uncertain(&s, scenario, "to calibrate") else {
        return EXIT_BAD_INPUT;
    };
    let seed = a.common.seed.unwrap_or(s.seed);
    let opts = CalibrateOptions {
        samples: a.samples as usize,
        trials_per_sample: a.trials_per_sample,
        seed,
        threads: a.common.threads,
        min_accepted: a.min_accepted as usize,
    };
    let job = match CalibrateJob::new(&s, &model, &targets, targets_path, opts) {
        Ok(j) => j,
        Err(e) => return report_error(&e),
    };
    let durability = match durability_for(&a.durability, &a.common, &job.work().output()) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let label = format!("{} samples", s.name);
    let (cal, dir) = match run_job(&job, &a.common, durability, &label) {
        Ok(done) => done,
        Err(code) => return code,
    };
    if !a.common.quiet {
        print_calibration(&s, &cal);
        println!("  wrote {}/", dir.display());
        print_calibrated_scenario(&s, &cal, &dir);
    }
    EXIT_OK
}

/// Where the calibrated scenario is and the command that runs it; or that
/// none was written.
pub fn print_calibrated_scenario(s: &Scenario, cal: &Calibration, dir: &std::path::Path) {
    if cal.calibrated {
        let path = dir.join(brink::output::calibrated_scenario::file_name(s));
        println!("  calibrated scenario: {}", path.display());
        println!("  run it with: brink run {}", path.display());
    } else {
        println!(
            "  no calibrated scenario written: {} accepted samples, fewer than --min-accepted {}",
            cal.accepted, cal.min_accepted
        );
    }
}

/// The fit of every target and the narrowed parameters of a calibration.
pub fn print_calibration(s: &Scenario, cal: &Calibration) {
    println!(
        "{} ({}): ABC calibration, {} samples x {} trials, seed {}: {} accepted ({})",
        s.title,
        s.name,
        cal.samples,
        cal.trials_per_sample,
        cal.seed,
        cal.accepted,
        pct(cal.acceptance_rate)
    );
    println!("  {}", cal.status);
    let fit = if cal.calibrated {
        "calibrated"
    } else {
        "closest fit"
    };
    for t in &cal.targets {
        let q = if cal.calibrated {
            t.posterior
        } else {
            t.closest_fit
        };
        let after = q.map_or("-".to_string(), |q| {
            format!("{} [{}, {}]", pct(q.median), pct(q.q025), pct(q.q975))
        });
        println!(
            "  {:<40} target {} ± {}: prior {} [{}, {}], {fit} {}{}",
            t.target.name,
            pct(t.target.value),
            pct(t.target.tolerance),
            pct(t.prior.median),
            pct(t.prior.q025),
            pct(t.prior.q975),
            after,
            if t.attainable {
                String::new()
            } else {
                format!(" (cannot be met; closest {})", pct(t.closest))
            }
        );
    }
    for p in &cal.parameters {
        let q = if cal.calibrated {
            p.posterior
        } else {
            p.closest_fit
        };
        if let Some(q) = q {
            println!(
                "    {:<44} prior [{:.3}, {:.3}] -> {fit} [{:.3}, {:.3}], median {:.3}",
                p.parameter, p.prior.q025, p.prior.q975, q.q025, q.q975, q.median
            );
        }
    }
}
