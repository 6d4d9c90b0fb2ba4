//! Writing to stdout without panicking: `brink trace ... | head` closes the
//! pipe early, which is not an error.

use std::io::{ErrorKind, Write};

use super::{EXIT_FAILURE, EXIT_OK};

/// Writes `bytes` to stdout; a closed pipe counts as success.
pub fn emit(bytes: &[u8]) -> u8 {
    // Text is made printable; anything else (a man page, a completion
    // script) is passed as it is.
    let text = std::str::from_utf8(bytes).map(super::terminal::printable);
    let bytes = match &text {
        Ok(t) => t.as_bytes(),
        Err(_) => bytes,
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("error: writing to stdout: {e}");
            EXIT_FAILURE
        }
    }
}
