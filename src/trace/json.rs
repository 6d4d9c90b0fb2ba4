//! A trace as JSON: the [`Trace`] structure as it is, for programs.

use super::Trace;

/// Renders a trace as pretty JSON followed by a newline.
pub fn render(t: &Trace) -> String {
    // A Trace holds only strings, numbers, booleans and lists: it always serialises.
    let mut s = serde_json::to_string_pretty(t).unwrap_or_default();
    s.push('\n');
    s
}
