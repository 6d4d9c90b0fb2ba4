//! `brink forecast`.

use brink::jobs::forecast::ForecastJob;
use brink::model::Model;
use brink::question::forecast::Forecast;
use brink::question::{file, given_events, kept_warning};
use brink::shard::Durability;

use super::EXIT_BAD_INPUT;
use super::EXIT_OK;
use super::analyses::{load_one, report_error, run_job};
use super::args::ForecastArgs;
use super::validate::count;

/// Runs `brink forecast`.
pub fn forecast(a: &ForecastArgs) -> u8 {
    let Some(s) = load_one(&a.scenario, &a.common) else {
        return EXIT_BAD_INPUT;
    };
    let model = Model::compile(&s);
    let questions = match file::load(&a.questions, &model) {
        Ok(q) => q,
        Err(diags) => {
            eprint!("{diags}");
            eprintln!(
                "{}: invalid, {}",
                a.questions.display(),
                count(diags.error_count(), "error")
            );
            return EXIT_BAD_INPUT;
        }
    };
    let given = match given_events(&a.given, &model) {
        Ok(g) => g,
        Err(e) => return report_error(&e),
    };
    let seed = a.common.seed.unwrap_or(s.seed);
    let trials = a.trials.unwrap_or(s.trials);
    let job = ForecastJob::new(
        &s,
        &model,
        &questions,
        &a.given,
        &given,
        seed,
        trials,
        a.common.threads,
    );
    let (fc, dir) = match run_job(&job, &a.common, Durability::default(), &s.name) {
        Ok(done) => done,
        Err(code) => return code,
    };
    if !a.common.quiet {
        print!("{}", answers_text(&fc));
        println!("  wrote {}/", dir.display());
    }
    EXIT_OK
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
