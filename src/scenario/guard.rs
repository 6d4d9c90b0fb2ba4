//! Cheap checks on the raw text before it is parsed.
//!
//! The TOML parser has its own recursion limit, but reports a key nested too
//! deeply without a location. A scenario nests a few levels at most
//! (`[[actors.red_lines]]` with `favour = { ... }`), so anything deeper is
//! refused here, with its line and column, before any parsing happens.

/// Deepest nesting of `[`/`{` and longest dotted key accepted.
pub const MAX_NESTING: usize = 32;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Normal,
    Comment,
    Basic,
    Literal,
    MultiBasic,
    MultiLiteral,
}

/// The byte offset and description of the first place where `text` nests
/// deeper than [`MAX_NESTING`], if any.
pub fn nesting_problem(text: &str) -> Option<(usize, String)> {
    let b = text.as_bytes();
    let mut state = State::Normal;
    let mut depth = 0usize;
    let mut dots = 0usize;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match state {
            State::Normal => match c {
                b'#' => state = State::Comment,
                b'"' if b[i..].starts_with(b"\"\"\"") => {
                    state = State::MultiBasic;
                    i += 2;
                }
                b'"' => state = State::Basic,
                b'\'' if b[i..].starts_with(b"'''") => {
                    state = State::MultiLiteral;
                    i += 2;
                }
                b'\'' => state = State::Literal,
                b'[' | b'{' => {
                    depth += 1;
                    dots = 0;
                    if depth > MAX_NESTING {
                        return Some((
                            i,
                            format!("brackets nest deeper than {MAX_NESTING} levels"),
                        ));
                    }
                }
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    dots = 0;
                }
                b'.' => {
                    dots += 1;
                    if dots >= MAX_NESTING {
                        return Some((
                            i,
                            format!("a dotted key has more than {MAX_NESTING} parts"),
                        ));
                    }
                }
                b'=' | b',' | b'\n' => dots = 0,
                _ => {}
            },
            State::Comment => {
                if c == b'\n' {
                    state = State::Normal;
                    dots = 0;
                }
            }
            State::Basic => match c {
                b'\\' => i += 1,
                b'"' => state = State::Normal,
                // An unterminated string: the parser reports it; resume scanning.
                b'\n' => {
                    state = State::Normal;
                    dots = 0;
                }
                _ => {}
            },
            State::Literal => match c {
                b'\'' => state = State::Normal,
                b'\n' => {
                    state = State::Normal;
                    dots = 0;
                }
                _ => {}
            },
            State::MultiBasic => match c {
                b'\\' => i += 1,
                b'"' if b[i..].starts_with(b"\"\"\"") => {
                    state = State::Normal;
                    i += closing_quotes(&b[i..], b'"') - 1;
                }
                _ => {}
            },
            State::MultiLiteral => {
                if b[i..].starts_with(b"'''") {
                    state = State::Normal;
                    i += closing_quotes(&b[i..], b'\'') - 1;
                }
            }
        }
        i += 1;
    }
    None
}

/// How many quotes close a multi-line string at the start of `rest`: three,
/// and up to two more, which belong to the string (`"""x""""` is `x"`).
fn closing_quotes(rest: &[u8], quote: u8) -> usize {
    rest.iter().take(5).take_while(|&&c| c == quote).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_files_pass() {
        let text = include_str!("../../scenarios/muscat-2026.toml");
        assert_eq!(nesting_problem(text), None);
        assert_eq!(nesting_problem("a = \"[[[[[\" # {{{{{\nb = 1.5\n"), None);
        let deep_in_string = format!("a = '{}'\n", "[".repeat(100));
        assert_eq!(nesting_problem(&deep_in_string), None);
    }

    #[test]
    fn deep_brackets_are_found_where_they_start() {
        let text = format!("x = 1\na = {}{}\n", "[".repeat(1000), "]".repeat(1000));
        let (at, message) = nesting_problem(&text).unwrap();
        assert_eq!(at, 6 + 4 + MAX_NESTING);
        assert!(message.contains("nest deeper"));
        let text = format!("a = {}1{}\n", "{b=".repeat(100), "}".repeat(100));
        assert!(nesting_problem(&text).is_some());
    }

    #[test]
    fn quotes_closing_a_multi_line_string_are_counted_whole() {
        let key = ["a"; 100].join(".");
        for quotes in ["\"\"\"x\"\"\"\"", "\"\"\"x\"\"\"\"\"", "\'\'\'x\'\'\'\'"] {
            let text = format!("zz = [{quotes}, {{{key} = 1}}]\n");
            assert!(nesting_problem(&text).is_some(), "{text}");
        }
        assert_eq!(nesting_problem("a = \"\"\"x\"\"\"\"\nb = 1\n"), None);
    }

    #[test]
    fn long_dotted_keys_are_found() {
        let key = ["a"; 1000].join(".");
        assert!(nesting_problem(&format!("[{key}]\n")).is_some());
        assert!(nesting_problem(&format!("{key} = 1\n")).is_some());
        let ok = ["a"; 10].join(".");
        assert_eq!(nesting_problem(&format!("{ok} = 1.5\n")), None);
    }
}
