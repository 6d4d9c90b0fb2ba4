//! Control characters in the text of a scenario: names, ids, labels, titles
//! and step names end up in SVG plots, HTML reports, CSV files and on the
//! terminal, so none of them may hold one; the long texts (`description`,
//! `note`, `sources`) may hold line breaks and tabs, nothing else.
//!
//! The check walks the merged TOML tree, every key and every string, before
//! any field is read, so a field added to the format later is covered
//! without being listed here.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostics, Severity};
use super::sources::SourceMap;

/// Fields whose text may span lines (and hold tabs).
pub const LONG_TEXT_FIELDS: [&str; 3] = ["description", "note", "sources"];

/// Reports every key and string of `root` holding a character it may not.
pub(crate) fn check_strings(src: &SourceMap, root: &DeTable<'_>, diags: &mut Diagnostics) {
    let mut found = Vec::new();
    table(root, "", &mut found);
    for (span, path, c, long) in found {
        let what = if path.is_empty() {
            "a key".to_string()
        } else {
            format!("`{path}`")
        };
        let hint = if long {
            format!(
                "only line breaks and tabs may appear in {}; remove the character (written \\u{:04X} in TOML)",
                LONG_TEXT_FIELDS.join(", "),
                u32::from(c)
            )
        } else {
            format!(
                "names, ids, labels, titles and keys are one line of printable text; remove the character (written \\u{:04X} in TOML)",
                u32::from(c)
            )
        };
        diags.push(src.diagnostic(
            Severity::Error,
            Some(span),
            format!(
                "{what} contains the control character U+{:04X}",
                u32::from(c)
            ),
            Some(hint),
        ));
    }
}

type Found = Vec<(Range<usize>, String, char, bool)>;

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// The first character of `s` not allowed in a field of this kind.
fn bad_char(s: &str, long: bool) -> Option<char> {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let ok = match c {
            '\n' | '\t' => long,
            // CRLF inside a multi-line string.
            '\r' => long && chars.peek() == Some(&'\n'),
            c => !c.is_control(),
        };
        if !ok {
            return Some(c);
        }
    }
    None
}

fn table(t: &DeTable<'_>, path: &str, found: &mut Found) {
    for (key, value) in t {
        let name = key.get_ref().as_ref();
        if let Some(c) = bad_char(name, false) {
            found.push((key.span(), path.to_string(), c, false));
            // Its value is reported under a name that cannot be shown.
            continue;
        }
        let long = LONG_TEXT_FIELDS.contains(&name);
        self::value(value, &join(path, name), long, found);
    }
}

fn value(v: &Spanned<DeValue<'_>>, path: &str, long: bool, found: &mut Found) {
    match v.get_ref() {
        DeValue::String(s) => {
            if let Some(c) = bad_char(s, long) {
                found.push((v.span(), path.to_string(), c, long));
            }
        }
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let name = match item.get_ref().as_table().and_then(|t| t.get("id")) {
                    Some(id) => join(path, id.get_ref().as_str().unwrap_or("?")),
                    None => format!("{path}[{i}]"),
                };
                let name = if bad_char(&name, false).is_some() {
                    format!("{path}[{i}]")
                } else {
                    name
                };
                self::value(item, &name, long, found);
            }
        }
        DeValue::Table(t) => table(t, path, found),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::SourceFile;

    fn check(text: &str) -> Diagnostics {
        let src = SourceMap::new(SourceFile::new("x.toml", text));
        let (root, errors) = DeTable::parse_recoverable(text);
        assert!(errors.is_empty(), "{errors:?}");
        let mut d = Diagnostics::new();
        check_strings(&src, root.get_ref(), &mut d);
        d
    }

    #[test]
    fn control_characters_are_refused_where_the_string_is() {
        let d = check("[run]\nstep = \"week\\u0000\"\n");
        let first = d.iter().next().unwrap();
        assert_eq!((first.line, first.column), (2, 8));
        assert!(first.message.contains("`run.step`"), "{}", first.message);
        assert!(first.message.contains("U+0000"), "{}", first.message);
        let d = check("[[actors]]\nid = \"a\"\nname = \"A\\u001b[31m\"\n");
        assert!(
            d.iter().next().unwrap().message.contains("`actors.a.name`"),
            "{d}"
        );
        let d = check("\"k\\u0007\" = 1\n");
        assert_eq!(d.error_count(), 1, "{d}");
    }

    #[test]
    fn long_texts_may_hold_line_breaks_and_tabs_names_may_not() {
        let ok =
            "[scenario]\ndescription = \"\"\"\none\r\n\ttwo\n\"\"\"\nsources = [\"a\\tb\\nc\"]\n";
        assert!(check(ok).is_empty(), "{}", check(ok));
        let d = check("[scenario]\ntitle = \"a\\nb\"\nsources = [\"a\\u001bb\"]\n");
        assert_eq!(d.error_count(), 2, "{d}");
    }
}
