//! From the bytes of a scenario file (the scenario asked for or one of its
//! parents) to text the TOML parser may see: the size limit, UTF-8, no NUL
//! byte, at most one byte-order mark, no bare carriage return.
//!
//! A file that fails a check is reported without an excerpt of its text
//! unless the text up to the problem passed the checks before it, so a
//! binary file never reaches the terminal.

use std::path::Path;

use super::diagnostic::{Diagnostic, Severity, SourceFile};

/// Files larger than this are refused before parsing (1 MiB: the baseline
/// scenario is about 15 KiB).
pub const MAX_FILE_BYTES: usize = 1024 * 1024;

const HINT: &str = "scenario files are TOML text saved as UTF-8";

/// A problem concerning a whole file, shown without an excerpt.
pub(crate) fn whole_file(path: &Path, message: String, hint: &str) -> Diagnostic {
    SourceFile::new(path, "").diagnostic(Severity::Error, None, message, Some(hint.into()))
}

/// The text of the bytes of a scenario file read from `path`, without its
/// byte-order mark, or the first reason it is not scenario text.
pub(crate) fn decode(path: &Path, bytes: &[u8]) -> Result<String, Box<Diagnostic>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Box::new(whole_file(
            path,
            format!("the file is larger than {MAX_FILE_BYTES} bytes, the limit for scenario files"),
            "a scenario is a short text file; is this the right file?",
        )));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            let valid = String::from_utf8_lossy(&bytes[..at]);
            let (line, column) = SourceFile::new(path, valid).position(at);
            return Err(Box::new(whole_file(
                path,
                format!(
                    "the file is not UTF-8 text: invalid byte 0x{:02x} at line {line}, column {column} (offset {at})",
                    bytes[at]
                ),
                HINT,
            )));
        }
    };
    if let Some(at) = text.find('\0') {
        let (line, column) = SourceFile::new(path, &text[..at]).position(at);
        return Err(Box::new(whole_file(
            path,
            format!(
                "the file contains a NUL byte at line {line}, column {column} (offset {at}): \
                 it looks binary, not TOML text"
            ),
            HINT,
        )));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.starts_with('\u{feff}') {
        let src = SourceFile::new(path, text);
        return Err(Box::new(src.diagnostic(
            Severity::Error,
            Some(0..'\u{feff}'.len_utf8()),
            "a second byte-order mark: only one is allowed, at the very start of the file",
            Some("remove the extra mark (re-save the file as UTF-8 in your editor)".into()),
        )));
    }
    if let Some(at) = bare_cr(text) {
        let src = SourceFile::new(path, text);
        return Err(Box::new(src.diagnostic(
            Severity::Error,
            Some(at..at + 1),
            "a bare carriage return (CR without LF): TOML does not take it as a line break",
            Some("save the file with LF (Unix) or CRLF (Windows) line endings".into()),
        )));
    }
    Ok(text.to_string())
}

/// Offset of the first `\r` not followed by `\n`.
fn bare_cr(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    (0..b.len()).find(|&i| b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> Diagnostic {
        *decode(Path::new("x.toml"), bytes).unwrap_err()
    }

    #[test]
    fn one_bom_is_dropped_a_second_is_refused_at_its_place() {
        assert_eq!(
            decode(Path::new("x"), "\u{feff}a = 1\n".as_bytes()).unwrap(),
            "a = 1\n"
        );
        let d = err("\u{feff}\u{feff}a = 1\n".as_bytes());
        assert_eq!((d.line, d.column), (1, 1));
        assert!(d.message.contains("second byte-order mark"), "{d}");
    }

    #[test]
    fn bare_cr_is_refused_with_its_position_crlf_is_not() {
        assert!(decode(Path::new("x"), b"a = 1\r\nb = 2\r\n").is_ok());
        let d = err(b"# c\ra = 1\r");
        assert_eq!((d.line, d.column), (1, 4));
        assert!(d.message.contains("bare carriage return"), "{d}");
        assert!(d.hint.is_some());
    }

    #[test]
    fn nul_and_invalid_utf8_are_refused_without_an_excerpt() {
        let d = err(b"a = \"x\0\"\n");
        assert!(d.message.contains("line 1, column 7"), "{d}");
        assert!(d.source_line.is_none());
        let d = err(b"a = \xff\n");
        assert!(d.message.contains("0xff"), "{d}");
        assert!(d.source_line.is_none());
    }
}
