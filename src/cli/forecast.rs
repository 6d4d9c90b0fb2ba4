//! `brink forecast`.

use std::path::{Path, PathBuf};

use brink::jobs::forecast::ForecastJob;
use brink::jobs::spread::SpreadOptions;
use brink::model::Model;
use brink::question::forecast::Forecast;
use brink::question::{file, given_events, kept_warning};
use brink::shard::Durability;

use super::EXIT_BAD_INPUT;
use super::EXIT_OK;
use super::analyses::{load_one, report_error, run_job};
use super::args::{CommonArgs, ForecastArgs};
use super::validate::count;

/// Runs `brink forecast`.
pub fn forecast(a: &ForecastArgs) -> u8 {
    let spread = a.spread.options();
    match answer(
        &a.scenario,
        &a.questions,
        &a.given,
        a.trials,
        spread,
        &a.common,
    ) {
        Ok((fc, dir)) => {
            if !a.common.quiet {
                print!("{}", answers_text(&fc));
                println!("  wrote {}/", dir.display());
            }
            EXIT_OK
        }
        Err(code) => code,
    }
}

/// Answers the questions of `questions` on `scenario` and writes the
/// forecast folder; on failure the error is printed and its exit code
/// returned.
pub fn answer(
    scenario: &Path,
    questions: &Path,
    given: &[String],
    trials: Option<u64>,
    spread: SpreadOptions,
    common: &CommonArgs,
) -> Result<(Forecast, PathBuf), u8> {
    let Some(s) = load_one(scenario, common) else {
        return Err(EXIT_BAD_INPUT);
    };
    let model = Model::compile(&s);
    let file = match file::load(questions, &model) {
        Ok(q) => q,
        Err(diags) => {
            eprint!("{diags}");
            eprintln!(
                "{}: invalid, {}",
                questions.display(),
                count(diags.error_count(), "error")
            );
            return Err(EXIT_BAD_INPUT);
        }
    };
    let events = match given_events(given, &model) {
        Ok(g) => g,
        Err(e) => return Err(report_error(&e)),
    };
    let seed = common.seed.unwrap_or(s.seed);
    let trials = trials.unwrap_or(s.trials);
    let job = ForecastJob::new(
        &s,
        &model,
        &file,
        given,
        &events,
        seed,
        trials,
        common.threads,
    )
    .with_spread(spread);
    run_job(&job, common, Durability::default(), &s.name)
}

/// The console's answers: a heading, the condition and the trials kept,
/// then one line per question with its probability and intervals.
pub fn answers_text(fc: &Forecast) -> String {
    let mut out = format!(
        "{} ({}): {} questions, {} trials, seed {}\n",
        fc.scenario.name,
        fc.scenario.id,
        fc.questions.len(),
        fc.trials,
        fc.seed
    );
    if !fc.given.is_empty() {
        let given: Vec<String> = fc.given.iter().map(|g| format!("`{g}`")).collect();
        out.push_str(&format!(
            "  given {}: kept {} of {} trials\n",
            given.join(" and "),
            fc.kept,
            fc.trials
        ));
        if let Some(w) = kept_warning(fc.trials, fc.kept) {
            out.push_str(&format!("  warning: {w}\n"));
        }
    }
    let width = fc.questions.iter().map(|q| q.id.len()).max().unwrap_or(0);
    for q in &fc.questions {
        let when = match (&q.date, q.step) {
            (Some(d), _) => format!("  (to {d})"),
            (None, Some(s)) => format!("  (to step {s})"),
            _ => String::new(),
        };
        let spread = match (q.spread_low, q.spread_high) {
            (Some(lo), Some(hi)) => format!(", assumptions {} to {}", pct(lo), pct(hi)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "  {:<width$}  {:>6}  [{} to {}]{spread}{when}\n",
            q.id,
            pct(q.probability),
            pct(q.mc_low),
            pct(q.mc_high),
        ));
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}
