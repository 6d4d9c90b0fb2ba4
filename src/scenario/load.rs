//! Reading a scenario file: bytes to text, text to a TOML tree, the tree to
//! typed sections. Every problem is collected; none stops the others from
//! being found, except a file that cannot be read or parsed at all.

use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::diagnostic::{Diagnostics, Severity, SourceFile, suggestion_hint};
use super::extends::Chain;
use super::format::{
    ActionEntry, ActorEntry, DynamicsSection, EventEntry, Header, IncidentsSection, InitialSection,
    OutcomesSection, RunSection, SECTIONS,
};
use super::sources::SourceMap;
use super::validate::validate;
use super::{Origin, Scenario};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;

/// Typed sections of a file, each present only if it could be read.
#[derive(Debug, Default)]
pub(crate) struct RawScenario {
    pub header: Option<Header>,
    pub run: Option<RunSection>,
    pub initial: Option<InitialSection>,
    pub outcomes: Option<OutcomesSection>,
    pub dynamics: Option<DynamicsSection>,
    pub incidents: Option<IncidentsSection>,
    pub actions: Vec<ActionEntry>,
    pub actors: Vec<ActorEntry>,
    pub events: Vec<EventEntry>,
    /// Which required sections were present (even if unreadable).
    pub present: Vec<&'static str>,
}

/// Loads and checks a scenario file. On success, also returns its warnings.
pub fn load(path: &Path) -> Result<(Scenario, Diagnostics), Diagnostics> {
    let fail = |message: String, hint: Option<String>| {
        let mut d = Diagnostics::new();
        d.push(SourceFile::new(path, "").diagnostic(Severity::Error, None, message, hint));
        d
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let hint = match e.kind() {
                std::io::ErrorKind::NotFound => {
                    Some("check the path; `brink list` shows the shipped scenarios".to_string())
                }
                _ => None,
            };
            return Err(fail(format!("cannot read the file: {e}"), hint));
        }
    };
    if bytes.len() > MAX_FILE_BYTES {
        return Err(fail(
            format!(
                "the file is {} bytes; scenario files are limited to {} bytes",
                bytes.len(),
                MAX_FILE_BYTES
            ),
            Some("a scenario is a short text file; is this the right file?".into()),
        ));
    }
    let sha256 = hex_sha256(&bytes);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            return Err(fail(
                format!("the file is not UTF-8 text (invalid byte at offset {at})"),
                Some("scenario files are TOML text saved as UTF-8".into()),
            ));
        }
    };
    load_text(path, text, sha256)
}

/// Loads and checks scenario text as if read from `path`.
pub fn load_str(path: &Path, text: &str) -> Result<(Scenario, Diagnostics), Diagnostics> {
    load_text(path, text.to_string(), hex_sha256(text.as_bytes()))
}

fn load_text(
    path: &Path,
    text: String,
    sha256: String,
) -> Result<(Scenario, Diagnostics), Diagnostics> {
    let text = match text.strip_prefix('\u{feff}') {
        Some(t) => t.to_string(),
        None => text,
    };
    let src = SourceFile::new(path, text);
    let mut diags = Diagnostics::new();
    if !is_meaningful(&src, &mut diags) {
        return Err(diags);
    }
    // `extends`: the file and its parents, merged into one tree.
    let Some(chain) = Chain::read(src, sha256, &mut diags) else {
        return Err(diags);
    };
    let Some(root) = chain.merged(&mut diags) else {
        return Err(diags);
    };
    let raw = read_sections(chain.sources(), root, &mut diags);
    let origin = Origin {
        path: path.to_path_buf(),
        sha256: chain.sha256(),
        chain: chain.files().to_vec(),
    };
    match validate(chain.sources(), raw, origin, &mut diags) {
        Some(s) if !diags.has_errors() => Ok((s, diags)),
        _ => Err(diags),
    }
}

/// Hex sha256 of bytes.
pub fn hex_sha256(bytes: &[u8]) -> String {
    to_hex(&Sha256::digest(bytes))
}

/// Lower-case hex of bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn is_meaningful(src: &SourceFile, diags: &mut Diagnostics) -> bool {
    let meaningful = src
        .text
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if !meaningful {
        diags.push(src.diagnostic(
            Severity::Error,
            None,
            "the file is empty",
            Some("start from `brink init NAME`, or copy scenarios/muscat-2026.toml".into()),
        ));
    }
    meaningful
}

fn read_sections(src: &SourceMap, root: DeTable<'_>, diags: &mut Diagnostics) -> RawScenario {
    let mut raw = RawScenario::default();
    for (key, value) in root {
        let name = key.get_ref().as_ref();
        let Some(&section) = SECTIONS.iter().find(|s| **s == name) else {
            diags.push(src.diagnostic(
                Severity::Error,
                Some(key.span()),
                format!("unknown section `{name}`"),
                Some(suggestion_hint(name, SECTIONS, "sections")),
            ));
            continue;
        };
        raw.present.push(section);
        match section {
            "scenario" => raw.header = typed(src, value, diags),
            "run" => raw.run = typed(src, value, diags),
            "initial" => raw.initial = typed(src, value, diags),
            "outcomes" => raw.outcomes = typed(src, value, diags),
            "dynamics" => raw.dynamics = typed(src, value, diags),
            "incidents" => raw.incidents = typed(src, value, diags),
            "actions" => raw.actions = entries(src, section, value, diags),
            "actors" => raw.actors = entries(src, section, value, diags),
            _ => raw.events = entries(src, section, value, diags),
        }
    }
    raw
}

fn typed<'i, T: Deserialize<'i>>(
    src: &SourceMap,
    value: Spanned<DeValue<'i>>,
    diags: &mut Diagnostics,
) -> Option<T> {
    let span = value.span();
    match T::deserialize(ValueDeserializer::from(value)) {
        Ok(t) => Some(t),
        Err(e) => {
            let (message, hint) = explain_serde_error(e.message());
            diags.push(src.diagnostic(Severity::Error, e.span().or(Some(span)), message, hint));
            None
        }
    }
}

fn entries<'i, T: Deserialize<'i>>(
    src: &SourceMap,
    section: &str,
    value: Spanned<DeValue<'i>>,
    diags: &mut Diagnostics,
) -> Vec<T> {
    let span = value.span();
    match value.into_inner() {
        DeValue::Array(items) => items
            .into_iter()
            .filter_map(|item| typed(src, item, diags))
            .collect(),
        other => {
            diags.push(src.diagnostic(
                Severity::Error,
                Some(span),
                format!(
                    "`{section}` must be a list of tables, found {}",
                    other.type_str()
                ),
                Some(format!("write each entry as a `[[{section}]]` table")),
            ));
            Vec::new()
        }
    }
}

/// Turns serde's wording into a message and a hint.
fn explain_serde_error(message: &str) -> (String, Option<String>) {
    let message = message.trim().to_string();
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once('`')
    {
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = if candidates.is_empty() {
            None
        } else {
            Some(suggestion_hint(field, &candidates, "fields"))
        };
        return (format!("unknown field `{field}`"), hint);
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        return (
            format!("missing field `{field}`"),
            Some(format!(
                "add `{field} = ...`; docs/scenario-format.md describes it"
            )),
        );
    }
    if message.starts_with("invalid type") {
        return (
            message,
            Some("check the value's type against docs/scenario-format.md".into()),
        );
    }
    (message, None)
}
