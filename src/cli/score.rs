//! `brink score`.

use std::fmt::Write;

use brink::jobs::score::{ScoreOutput, score as run_score};
use brink::stats::forecast_file::read_forecasts;
use brink::stats::score_result::{ScoreOptions, Scoring};
use brink::stats::scoring::{Estimate, ScoreSet};

use super::analyses::report_error;
use super::args::ScoreArgs;
use super::{EXIT_BAD_INPUT, EXIT_OK};

/// A score with its interval: `0.123 [0.050, 0.200]`.
fn with_interval(e: &Estimate) -> String {
    format!("{:.3} [{:.3}, {:.3}]", e.value, e.ci95[0], e.ci95[1])
}

/// The table printed after scoring: one row per scenario and one for all
/// questions.
pub fn score_table(s: &Scoring) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "scores of {} resolved questions from {} forecast file(s), {} happened; {} not resolved (skipped); bootstrap seed {}, {} resamples",
        s.overall.questions,
        s.forecasts.len(),
        s.overall.resolved_true,
        s.skipped.len(),
        s.seed,
        s.resamples
    );
    let width = s
        .scenarios
        .iter()
        .map(|c| c.scenario.chars().count())
        .max()
        .unwrap_or(0)
        .max("scenario".len());
    let _ = writeln!(
        out,
        "  {:<width$} {:>9}  {:<22}  {:<22}  {:>15}  skill vs base rate [95%]",
        "scenario", "questions", "Brier [95%]", "log score [95%]", "base-rate Brier"
    );
    let mut line = |name: &str, set: &ScoreSet| {
        let _ = writeln!(
            out,
            "  {:<width$} {:>9}  {:<22}  {:<22}  {:>15.3}  {}",
            name,
            set.questions,
            with_interval(&set.brier),
            with_interval(&set.log),
            set.base_rate.brier.value,
            with_interval(&set.skill.brier_vs_base_rate)
        );
    };
    for c in &s.scenarios {
        line(&c.scenario, &c.scores);
    }
    if s.scenarios.len() > 1 {
        line("all", &s.overall);
    }
    let _ = writeln!(
        out,
        "  lower scores are better; 50% every time scores Brier 0.250, log 0.693; skill > 0: better than the base rate"
    );
    out
}

/// Runs `brink score`.
pub fn score(a: &ScoreArgs) -> u8 {
    let forecasts = match read_forecasts(&a.forecasts) {
        Ok(f) => f,
        Err(diags) => {
            for d in diags.sorted() {
                eprint!("{d}");
            }
            eprintln!(
                "error: {} problem(s) in the forecast files; nothing was scored",
                diags.error_count()
            );
            return EXIT_BAD_INPUT;
        }
    };
    let command: Vec<String> = std::env::args().collect();
    let out = ScoreOutput {
        out_root: &a.out,
        command: &command,
        plots: !a.no_plots,
    };
    let opts = ScoreOptions {
        seed: a.seed,
        resamples: a.bootstrap as usize,
    };
    match run_score(&forecasts, opts, &out) {
        Ok((s, dir)) => {
            if !a.quiet {
                print!("{}", score_table(&s));
                for q in &s.skipped {
                    println!("  skipped {}/{}: {}", q.scenario, q.id, q.reason);
                }
                println!("  wrote {}/", dir.display());
            }
            EXIT_OK
        }
        Err(e) => report_error(&e),
    }
}
