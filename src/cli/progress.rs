//! A progress bar on stderr, hidden when stderr is not a terminal.

use std::io::IsTerminal;

use brink::format::thousands;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// A progress bar for `total` trials of `name`.
pub fn trials_bar(name: &str, total: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{prefix} [{bar:40}] {human_pos}/{human_len} trials ({rate} trials/s, {eta} left)",
        )
        .map(|style| {
            // Whole trials per second with separators: `13,177`.
            style.with_key(
                "rate",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{}", thousands(state.per_sec().max(0.0).round() as u64));
                },
            )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.set_prefix(name.to_string());
    bar
}
