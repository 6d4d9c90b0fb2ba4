//! Question files: a title, events every answer is conditioned on, and a
//! list of dated questions, each an event of the event language.
//!
//! ```toml
//! title = "Muscat 2026: questions of February"
//! given = ["rung >= 4 by step 3"]
//!
//! [[question]]
//! id = "strike-march"
//! text = "Will the US or Israel strike Iran before 31 March 2026?"
//! event = "first_strike by 2026-03-31"
//! resolved = true
//! resolution = "..."
//! ```
//!
//! Every problem of a file is reported at once, each with its line, its
//! column (inside an event's text, at the offending word) and a hint.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::EventError;
use super::compile::{Event, compile};
use super::parse::{EventExpr, parse};
use crate::input::read_limited;
use crate::model::Model;
use crate::scenario::diagnostic::{
    Diagnostics, Severity, SourceFile, did_you_mean, suggestion_hint,
};

/// The largest question file read.
pub const MAX_QUESTION_FILE_BYTES: u64 = 1024 * 1024;

/// One question.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Identifier, `[a-z0-9_-]+`, unique in its file.
    pub id: String,
    /// The question in words.
    pub text: String,
    /// The event, as asked (with the question's `by` appended).
    pub event: String,
    /// The event compiled.
    pub compiled: Event,
    /// What happened, when known.
    pub resolved: Option<bool>,
    /// How it is known.
    pub resolution: Option<String>,
}

/// A question file, read and compiled against a model.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionFile {
    /// The file.
    pub path: PathBuf,
    /// sha256 of its bytes.
    pub sha256: String,
    /// Its title.
    pub title: Option<String>,
    /// The events every answer is conditioned on, as written.
    pub given: Vec<String>,
    /// The given events compiled.
    pub given_events: Vec<Event>,
    /// The questions, in file order.
    pub questions: Vec<Question>,
}

const TOP_KEYS: [&str; 3] = ["title", "given", "question"];
const QUESTION_KEYS: [&str; 6] = ["id", "text", "event", "by", "resolved", "resolution"];

/// Where the characters of a TOML string value are in the file: the start
/// of its contents when the string is written without escapes (so a byte
/// of the value is a byte of the file), else `None`.
fn content_start(file: &str, span: &Range<usize>, value: &str) -> Option<usize> {
    let raw = file.get(span.clone())?;
    for quote in ["\"\"\"", "'''", "\"", "'"] {
        if let Some(inner) = raw.strip_prefix(quote).and_then(|r| r.strip_suffix(quote)) {
            let skip = usize::from(quote.len() == 3 && inner.starts_with('\n'));
            return (inner[skip..] == *value).then_some(span.start + quote.len() + skip);
        }
    }
    None
}

struct Reader<'a> {
    src: &'a SourceFile,
    diags: &'a mut Diagnostics,
}

impl Reader<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) {
        let d = self
            .src
            .diagnostic(Severity::Error, Some(span), message, Some(hint.into()));
        self.diags.push(d);
    }

    /// Reports an event error found in a string written at `span`.
    fn event_error(&mut self, span: &Range<usize>, value: &str, e: &EventError) {
        let at = match content_start(&self.src.text, span, value) {
            Some(start) if e.span.end <= value.len() => {
                start + e.span.start..start + e.span.end.max(e.span.start + 1)
            }
            _ => span.clone(),
        };
        self.error(at, e.message.clone(), e.hint.clone());
    }

    fn string(&mut self, key: &str, v: &Spanned<DeValue<'_>>) -> Option<String> {
        match v.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            _ => {
                self.error(
                    v.span(),
                    format!("`{key}` must be a string"),
                    format!("write it in quotes: {key} = \"...\""),
                );
                None
            }
        }
    }

    fn event(&mut self, v: &Spanned<DeValue<'_>>) -> Option<(String, EventExpr)> {
        let text = self.string("event", v)?;
        match parse(&text) {
            Ok(e) => Some((text, e)),
            Err(e) => {
                self.event_error(&v.span(), &text, &e);
                None
            }
        }
    }

    fn compile(
        &mut self,
        model: &Model,
        span: &Range<usize>,
        text: &str,
        expr: &EventExpr,
    ) -> Option<Event> {
        match compile(expr, model, model.calendar.as_ref()) {
            Ok(e) => Some(e),
            Err(e) => {
                self.event_error(span, text, &e);
                None
            }
        }
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Reads and compiles a question file for `model`, or every problem of it.
pub fn load(path: &Path, model: &Model) -> Result<QuestionFile, Diagnostics> {
    let whole = |message: String, hint: &str| {
        let mut d = Diagnostics::new();
        d.push(SourceFile::new(path, "").diagnostic(
            Severity::Error,
            None,
            message,
            Some(hint.into()),
        ));
        d
    };
    let bytes = read_limited(path, MAX_QUESTION_FILE_BYTES).map_err(|e| {
        let hint = e.hint();
        whole(format!("cannot read the question file: {e}"), hint)
    })?;
    let text = String::from_utf8(bytes.clone()).map_err(|_| {
        whole(
            "the question file is not UTF-8 text".into(),
            "question files are TOML text saved as UTF-8",
        )
    })?;
    let sha256 = crate::scenario::load::hex_sha256(&bytes);
    load_str(path, &text, sha256, model)
}

/// Like [`load`], from the file's text (`sha256` is recorded as given).
pub fn load_str(
    path: &Path,
    text: &str,
    sha256: String,
    model: &Model,
) -> Result<QuestionFile, Diagnostics> {
    let src = SourceFile::new(path, text.trim_start_matches('\u{feff}'));
    let mut diags = Diagnostics::new();
    let (root, errors) = DeTable::parse_recoverable(&src.text);
    if !errors.is_empty() {
        for e in errors.into_iter().take(20) {
            diags.push(src.diagnostic(
                Severity::Error,
                e.span(),
                format!("invalid TOML: {}", e.message().trim()),
                Some("see https://toml.io for the syntax".into()),
            ));
        }
        return Err(diags);
    }
    let root = root.into_inner();
    let mut r = Reader {
        src: &src,
        diags: &mut diags,
    };
    let mut title = None;
    let mut given = Vec::new();
    let mut given_events = Vec::new();
    let mut questions = Vec::new();
    let mut seen: Vec<(String, Range<usize>)> = Vec::new();
    let mut any_question = false;
    for (k, v) in &root {
        let key: &str = k.get_ref();
        match key {
            "title" => title = r.string("title", v),
            "given" => {
                let DeValue::Array(items) = v.get_ref() else {
                    r.error(
                        v.span(),
                        "`given` must be a list of events",
                        "for example given = [\"rung >= 4 by step 3\"]",
                    );
                    continue;
                };
                for item in items {
                    if let Some((text, expr)) = r.event(item)
                        && let Some(e) = r.compile(model, &item.span(), &text, &expr)
                    {
                        given.push(text);
                        given_events.push(e);
                    }
                }
            }
            "question" => {
                let DeValue::Array(items) = v.get_ref() else {
                    r.error(
                        v.span(),
                        "`question` must be a list of tables",
                        "write each question as a [[question]] table",
                    );
                    continue;
                };
                any_question = true;
                for item in items {
                    let DeValue::Table(t) = item.get_ref() else {
                        r.error(
                            item.span(),
                            "a question must be a table",
                            "write each question as a [[question]] table",
                        );
                        continue;
                    };
                    if let Some(q) = read_question(&mut r, model, t, item.span(), &mut seen) {
                        questions.push(q);
                    }
                }
            }
            other => {
                let hint = suggestion_hint(other, &TOP_KEYS, "keys");
                r.error(k.span(), format!("unknown key `{other}`"), hint);
            }
        }
    }
    if !any_question {
        r.error(
            0..0,
            "the file asks no question",
            "add a [[question]] table with `id`, `text` and `event`",
        );
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(QuestionFile {
        path: path.to_path_buf(),
        sha256,
        title,
        given,
        given_events,
        questions,
    })
}

fn read_question(
    r: &mut Reader<'_>,
    model: &Model,
    t: &DeTable<'_>,
    span: Range<usize>,
    seen: &mut Vec<(String, Range<usize>)>,
) -> Option<Question> {
    let mut id = None;
    let mut text = None;
    let mut event: Option<(String, EventExpr, Range<usize>)> = None;
    let mut by: Option<(String, Range<usize>)> = None;
    let mut resolved = None;
    let mut resolution = None;
    let mut ok = true;
    for (k, v) in t {
        let key: &str = k.get_ref();
        match key {
            "id" => {
                id = r.string("id", v);
                if let Some(i) = &id {
                    if !valid_id(i) {
                        r.error(
                            v.span(),
                            format!("`{i}` is not a question id"),
                            "ids use lower-case letters, digits, `_` and `-`, for example \"strike-march\"",
                        );
                        ok = false;
                    } else if let Some((_, first)) = seen.iter().find(|(s, _)| s == i) {
                        let (line, _) = r.src.position(first.start);
                        r.error(
                            v.span(),
                            format!("question id `{i}` is used twice"),
                            format!("it was first used on line {line}; ids must be unique"),
                        );
                        ok = false;
                    } else {
                        seen.push((i.clone(), v.span()));
                    }
                }
            }
            "text" => text = r.string("text", v),
            "event" => match r.event(v) {
                Some((s, e)) => event = Some((s, e, v.span())),
                None => ok = false,
            },
            "by" => match v.get_ref() {
                DeValue::String(s) => by = Some((s.to_string(), v.span())),
                DeValue::Integer(i) => match i.as_str().parse::<u32>() {
                    Ok(n) if i.radix() == 10 => by = Some((format!("step {n}"), v.span())),
                    _ => {
                        r.error(
                            v.span(),
                            "`by` must be a step of 0 or more",
                            "for example by = 12",
                        );
                        ok = false;
                    }
                },
                _ => {
                    r.error(
                        v.span(),
                        "`by` must be a date or a step",
                        "for example by = \"2026-03-31\" or by = 12",
                    );
                    ok = false;
                }
            },
            "resolved" => match v.get_ref() {
                DeValue::Boolean(b) => resolved = Some(*b),
                _ => {
                    r.error(
                        v.span(),
                        "`resolved` must be true or false",
                        "leave it out while the answer is not known",
                    );
                    ok = false;
                }
            },
            "resolution" => resolution = r.string("resolution", v),
            other => {
                let hint = match did_you_mean(other, QUESTION_KEYS) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!("a question has {}", QUESTION_KEYS.join(", ")),
                };
                r.error(
                    k.span(),
                    format!("unknown key `{other}` in a question"),
                    hint,
                );
                ok = false;
            }
        }
    }
    let header = span.start..span.start;
    for (name, missing) in [
        ("id", id.is_none()),
        ("text", text.is_none()),
        ("event", event.is_none() && ok),
    ] {
        if missing {
            r.error(
                header.clone(),
                format!("a question needs `{name}`"),
                "each [[question]] has `id`, `text` and `event`",
            );
            ok = false;
        }
    }
    let (event_text, expr, event_span) = event?;
    let written = event_text.len();
    let mut by_span = None;
    let (event_text, expr) = match by {
        None => (event_text, expr),
        Some((when, by_span_of)) => {
            if expr.has_window() {
                r.error(
                    by_span_of,
                    "the event already gives its own moment",
                    "drop `by`, or drop the moment from the event",
                );
                return None;
            }
            by_span = Some(by_span_of.clone());
            let joined = format!("{event_text} by {when}");
            match parse(&joined) {
                Ok(e) => (joined, e),
                Err(e) => {
                    let at = if e.span.start >= event_text.len() {
                        by_span_of
                    } else {
                        event_span
                    };
                    r.error(at, e.message, e.hint);
                    return None;
                }
            }
        }
    };
    let compiled = match compile(&expr, model, model.calendar.as_ref()) {
        Ok(c) => c,
        Err(e) => {
            match by_span {
                Some(at) if e.span.start >= written => r.error(at, e.message, e.hint),
                _ => r.event_error(&event_span, &event_text[..written], &e),
            }
            return None;
        }
    };
    if !ok {
        return None;
    }
    Some(Question {
        id: id?,
        text: text?,
        event: event_text,
        compiled,
        resolved,
        resolution,
    })
}
