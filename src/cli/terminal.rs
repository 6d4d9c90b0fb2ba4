//! Text for the terminal: scenario files, paths and lock files are the
//! user's (or anyone's) text, and a control character in them (an escape
//! sequence, a carriage return, a NUL) must not drive the terminal. Every
//! line the command line prints goes through [`printable`], by way of the
//! `println!`/`eprintln!`/`print!`/`eprint!` macros this module's parent
//! defines for all of `cli`.

use std::borrow::Cow;

/// `text` with every control character other than newline and tab shown
/// as an escape (`\u{1b}`), so it prints as the characters it holds.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if hidden(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn hidden(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(printable("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(printable("a\u{1b}[31mred"), "a\\u{1b}[31mred");
        assert_eq!(printable("nul\0 cr\r"), "nul\\u{0} cr\\u{d}");
        assert_eq!(printable("c1\u{9b}"), "c1\\u{9b}");
    }
}
