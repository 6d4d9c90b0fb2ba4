//! `brink score`.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use brink::jobs::score::{ScoreOutput, score as run_score};
use brink::stats::forecast_file::read_forecasts;
use brink::stats::score_result::{ScoreOptions, Scoring};
use brink::stats::scoring::{Estimate, ScoreSet};

use super::analyses::report_error;
use brink::jobs::spread::SpreadOptions;

use super::args::{CommonArgs, LoadArgs, ScoreArgs, TableFormatArg};
use super::forecast::{answer, answers_text};
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

/// The question files of a history suite, `DIR/<stem>.questions.toml`,
/// each with its scenario `DIR/<stem>.toml`, in name order; every missing
/// scenario is reported.
fn suite_pairs(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut questions: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(QUESTIONS_SUFFIX))
        })
        .collect();
    questions.sort();
    if questions.is_empty() {
        return Err(format!(
            "{}: no question files (`<episode>{QUESTIONS_SUFFIX}`)\n  = hint: a history suite holds, for each episode, a scenario `<episode>.toml` and its resolved questions `<episode>{QUESTIONS_SUFFIX}`",
            dir.display()
        ));
    }
    let mut pairs = Vec::new();
    let mut missing = Vec::new();
    for q in questions {
        let name = q.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let stem = &name[..name.len() - QUESTIONS_SUFFIX.len()];
        let scenario = dir.join(format!("{stem}.toml"));
        if scenario.is_file() {
            pairs.push((scenario, q));
        } else {
            missing.push(format!(
                "{}: no scenario `{}` for its questions",
                q.display(),
                scenario.display()
            ));
        }
    }
    if missing.is_empty() {
        Ok(pairs)
    } else {
        Err(missing.join("\n"))
    }
}

/// Question files of a suite end so.
const QUESTIONS_SUFFIX: &str = ".questions.toml";

/// Runs `brink forecast` on every episode of the suite in `dir` and gives
/// the forecast files written.
fn forecast_suite(a: &ScoreArgs, dir: &Path) -> Result<Vec<PathBuf>, u8> {
    let pairs = suite_pairs(dir).map_err(|e| {
        eprintln!("error: {e}");
        EXIT_BAD_INPUT
    })?;
    let common = CommonArgs {
        seed: None,
        threads: a.threads,
        out: a.out.clone(),
        no_plots: a.no_plots,
        quiet: a.quiet,
        format: TableFormatArg::Csv,
        load: LoadArgs {
            scenario_root: None,
            set: Vec::new(),
        },
    };
    let mut files = Vec::new();
    for (scenario, questions) in pairs {
        let (fc, out) = answer(
            &scenario,
            &questions,
            &[],
            a.trials,
            SpreadOptions::default(),
            &common,
        )?;
        if !a.quiet {
            print!("{}", answers_text(&fc));
            println!("  wrote {}/", out.display());
        }
        files.push(out.join("forecast.json"));
    }
    Ok(files)
}

/// Runs `brink score`.
pub fn score(a: &ScoreArgs) -> u8 {
    let files = match &a.forecasts[..] {
        [dir] if dir.is_dir() => match forecast_suite(a, dir) {
            Ok(files) => files,
            Err(code) => return code,
        },
        _ => a.forecasts.clone(),
    };
    let forecasts = match read_forecasts(&files) {
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
