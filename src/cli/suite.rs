//! `brink calibrate --suite DIR`: calibration on history.

use std::path::Path;

use brink::analysis::suite::{Suite, SuiteCalibration, SuiteOptions};
use brink::format::percent as pct;
use brink::jobs::Job;
use brink::jobs::suite_calibrate::SuiteCalibrateJob;

use super::analyses::{durability_for, report_error, run_job};
use super::args::CalibrateArgs;
use super::{EXIT_BAD_INPUT, EXIT_OK};

/// The default smallest effective sample size.
const DEFAULT_MIN_ESS: f64 = 100.0;

/// Runs `brink calibrate --suite DIR`.
pub fn calibrate_suite(a: &CalibrateArgs, dir: &Path) -> u8 {
    let min_ess = a.min_ess.unwrap_or(DEFAULT_MIN_ESS);
    if !min_ess.is_finite() || min_ess < 1.0 {
        eprintln!("error: --min-ess must be a number of at least 1");
        return EXIT_BAD_INPUT;
    }
    if a.durability.shard.is_some() {
        eprintln!(
            "error: a suite calibration cannot be sharded\n  = hint: run it on one machine; it keeps checkpoints and continues with --resume"
        );
        return EXIT_BAD_INPUT;
    }
    let suite = match Suite::load(dir, a.shared.as_deref(), &a.common.load.options()) {
        Ok(s) => s,
        Err(e) => {
            eprint!("{e}");
            return EXIT_BAD_INPUT;
        }
    };
    let seed = a.common.seed.unwrap_or(suite.episodes[0].scenario.seed);
    let opts = SuiteOptions {
        samples: a.samples as usize,
        trials_per_sample: a.trials_per_sample,
        seed,
        threads: a.common.threads,
        min_ess,
    };
    let job = match SuiteCalibrateJob::new(&suite, opts, a.fitted_point) {
        Ok(j) => j,
        Err(e) => return report_error(&e),
    };
    let durability = match durability_for(&a.durability, &a.common, &job.work().output()) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let label = format!("{} samples", job.work().output());
    let (cal, out) = match run_job(&job, &a.common, durability, &label) {
        Ok(done) => done,
        Err(code) => return code,
    };
    if !a.common.quiet {
        print_suite_calibration(&cal);
        println!("  wrote {}/", out.display());
    }
    EXIT_OK
}

/// The fitted parameters and the questions of a suite calibration.
pub fn print_suite_calibration(c: &SuiteCalibration) {
    let f = &c.fit;
    println!(
        "suite {}: {} episodes, {} resolved questions; {} samples x {} trials per episode, seed {}",
        c.suite,
        c.episodes.len(),
        f.questions.len(),
        f.samples,
        f.trials_per_sample,
        c.seed
    );
    println!(
        "  effective sample size {:.1} (at least {} asked): {}",
        f.ess, f.min_ess, f.status
    );
    println!(
        "  {:<40} {:>22} {:>10} {:>22} {:>8}",
        "parameter", "prior (90%)", "posterior", "posterior 90%", "ESS"
    );
    for p in &f.parameters {
        println!(
            "  {:<40} {:>22} {:>10.4} {:>22} {:>8.1}",
            p.parameter,
            format!("{:.4} .. {:.4}", p.prior.q05, p.prior.q95),
            p.posterior.median,
            format!("{:.4} .. {:.4}", p.posterior.q05, p.posterior.q95),
            f.ess
        );
    }
    println!(
        "  {:<40} {:>8} {:>10} {:>10}",
        "question", "resolved", "prior", "posterior"
    );
    for q in &f.questions {
        println!(
            "  {:<40} {:>8} {:>10} {:>10}",
            format!("{}/{}", q.episode, q.id),
            if q.resolved { "yes" } else { "no" },
            pct(q.prior_predictive),
            pct(q.posterior_predictive)
        );
    }
    match &c.fitted_file {
        Some(name) => println!(
            "  {name}: the fitted assumptions, extending {} (the baseline does not use it)",
            c.parent.as_deref().unwrap_or("-")
        ),
        None => println!("  no fitted file written"),
    }
}
