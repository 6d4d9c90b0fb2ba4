//! `brink validate`.

use brink::scenario;

use super::args::ValidateArgs;
use super::output::emit;
use super::{EXIT_BAD_INPUT, EXIT_OK};

/// `3 errors`, `1 warning`.
pub fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// Checks every file, printing its problems and a verdict on stdout.
pub fn validate(a: &ValidateArgs) -> u8 {
    let mut failed = false;
    let mut out = String::new();
    let options = a.load.options();
    for path in &a.files {
        let (verdict, diags) = match scenario::load_with(path, &options) {
            Ok((_, warnings)) => (
                format!(
                    "{}: valid, {}",
                    path.display(),
                    count(warnings.warning_count(), "warning")
                ),
                warnings,
            ),
            Err(diags) => {
                failed = true;
                (
                    format!(
                        "{}: invalid, {}, {}",
                        path.display(),
                        count(diags.error_count(), "error"),
                        count(diags.warning_count(), "warning")
                    ),
                    diags,
                )
            }
        };
        if !a.quiet {
            out.push_str(&diags.to_string());
        }
        out.push_str(&verdict);
        out.push('\n');
    }
    match emit(out.as_bytes()) {
        EXIT_OK if failed => EXIT_BAD_INPUT,
        code => code,
    }
}
