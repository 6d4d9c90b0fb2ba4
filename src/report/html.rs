//! Small helpers for writing HTML by hand: escaping of user text and a few
//! element builders. Every piece of text that comes from a scenario file
//! or the command line goes through [`escape`].

use std::fmt::Write;

/// Escapes `&`, `<`, `>`, `"` and `'` so that text is safe in element
/// content and in quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escaped text split into `<p>` paragraphs at blank lines; single line
/// breaks inside a paragraph become spaces.
pub fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        let joined = para.split_whitespace().collect::<Vec<_>>().join(" ");
        if !joined.is_empty() {
            let _ = writeln!(out, "<p>{}</p>", escape(&joined));
        }
    }
    out
}

/// A command line as one would type it in a POSIX shell: arguments with
/// characters other than a safe set are single-quoted.
pub fn shell_words(args: &[String]) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./=:,+@%".contains(c);
    args.iter()
        .map(|a| {
            if !a.is_empty() && a.chars().all(safe) {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', r"'\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(escape("Muscat, 7 février"), "Muscat, 7 février");
    }

    #[test]
    fn splits_paragraphs() {
        assert_eq!(
            paragraphs("one\ntwo\n\n<three>\n"),
            "<p>one two</p>\n<p>&lt;three&gt;</p>\n"
        );
        assert_eq!(paragraphs("  \n"), "");
    }

    #[test]
    fn quotes_shell_words() {
        let args: Vec<String> = ["brink", "run", "my file.toml", "--seed", "7", "it's"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            shell_words(&args),
            r"brink run 'my file.toml' --seed 7 'it'\''s'"
        );
    }
}
