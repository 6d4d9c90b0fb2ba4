//! `brink trace`.

use brink::scenario;
use brink::trace::{TraceFormat, render, trace_trial};

use super::EXIT_BAD_INPUT;
use super::args::{TraceArgs, TraceFormatArg};
use super::output::emit;
use super::validate::count;

/// Prints the story of one trial.
pub fn trace(a: &TraceArgs) -> u8 {
    let s = match scenario::load_with(&a.scenario, &a.load.options()) {
        Ok((s, _)) => s,
        Err(diags) => {
            eprint!("{diags}");
            eprintln!(
                "{}: invalid, {}",
                a.scenario.display(),
                count(diags.error_count(), "error")
            );
            return EXIT_BAD_INPUT;
        }
    };
    let format = match a.format {
        TraceFormatArg::Text => TraceFormat::Text,
        TraceFormatArg::Json => TraceFormat::Json,
        TraceFormatArg::Csv => TraceFormat::Csv,
    };
    emit(render(&trace_trial(&s, a.seed, a.trial), format).as_bytes())
}
