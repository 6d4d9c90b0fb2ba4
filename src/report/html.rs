//! The HTML side of the reports: the escaper every template uses, and the
//! text helpers that prepare values for the templates (paragraphs of a
//! description, a command line). Values are escaped by the template engine
//! when they are written into a template, never by hand.

use std::fmt;

/// The escaper of every report template (set for `.html` templates in
/// `askama.toml`): `&`, `<`, `>`, `"` and `'` become `&amp;`, `&lt;`,
/// `&gt;`, `&quot;` and `&#39;`, so that text is safe in element content
/// and in quoted attribute values.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

impl askama::filters::Escaper for Html {
    fn write_escaped_str<W: fmt::Write>(&self, mut dest: W, text: &str) -> fmt::Result {
        let mut last = 0;
        for (i, b) in text.bytes().enumerate() {
            let entity = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&#39;",
                _ => continue,
            };
            dest.write_str(&text[last..i])?;
            dest.write_str(entity)?;
            last = i + 1;
        }
        dest.write_str(&text[last..])
    }
}

/// The paragraphs of `text`, split at blank lines, with the single line
/// breaks inside a paragraph turned into spaces; empty paragraphs are left
/// out.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|para| para.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
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

    fn escape(text: &str) -> String {
        let mut out = String::new();
        askama::filters::Escaper::write_escaped_str(&Html, &mut out, text).unwrap();
        out
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x") & 'y'</script>"#),
            "&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;"
        );
        assert_eq!(escape("Muscat, 7 février"), "Muscat, 7 février");
        assert_eq!(escape(""), "");
        assert_eq!(escape("&&"), "&amp;&amp;");
    }

    #[test]
    fn splits_paragraphs() {
        assert_eq!(
            paragraphs("one\ntwo\n\n<three>\n"),
            vec!["one two".to_string(), "<three>".to_string()]
        );
        assert!(paragraphs("  \n").is_empty());
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
