//! Reading a scenario file: bytes to text, text to a TOML tree, the tree to
//! typed sections. Every problem is collected; none stops the others from
//! being found, except a file that cannot be read or parsed at all.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml::de::DeTable;

use crate::input::{ReadError, read_limited};

use super::diagnostic::{Diagnostics, Severity, SourceFile};
use super::extends::Chain;
use super::format::{
    ActionEntry, ActorEntry, DynamicsSection, EventEntry, Header, IncidentsSection, InitialSection,
    OutcomesSection, RunSection, SECTIONS,
};
use super::guard::nesting_problem;
use super::sources::SourceMap;
use super::strings::check_strings;
use super::structure::Reader;
use super::text::{decode, whole_file};
use super::validate::validate;
use super::{Origin, Scenario};

pub use super::text::MAX_FILE_BYTES;

/// How the files of a scenario are found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// The folder that `extends` may not reach outside (`--scenario-root`).
    /// `None`: the nearest folder named `scenarios` holding the scenario
    /// asked for, else that scenario's own folder.
    pub scenario_root: Option<PathBuf>,
}

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
    /// Paths of fields dropped because they could not be read (`actors.us.actions`).
    pub dropped: std::collections::BTreeSet<String>,
}

/// Loads and checks a scenario file with the default [`LoadOptions`].
/// On success, also returns its warnings.
pub fn load(path: &Path) -> Result<(Scenario, Diagnostics), Diagnostics> {
    load_with(path, &LoadOptions::default())
}

/// Loads and checks a scenario file. On success, also returns its warnings.
///
/// The file is opened once, must be a regular file and is read through the
/// size limit: a FIFO, a device or a folder is refused without waiting.
pub fn load_with(
    path: &Path,
    options: &LoadOptions,
) -> Result<(Scenario, Diagnostics), Diagnostics> {
    match read_limited(path, MAX_FILE_BYTES as u64) {
        Ok(bytes) => load_bytes_with(path, &bytes, options),
        Err(e) => {
            let hint = match &e {
                ReadError::Io { error, .. } if error.kind() == std::io::ErrorKind::NotFound => {
                    "check the path; `brink list` shows the shipped scenarios"
                }
                ReadError::TooLarge { .. } => {
                    "a scenario is a short text file; is this the right file?"
                }
                _ => e.hint(),
            };
            let message = match &e {
                ReadError::TooLarge { .. } => format!(
                    "the file is larger than {MAX_FILE_BYTES} bytes, the limit for scenario files"
                ),
                ReadError::NotAFile { what, .. } => {
                    format!("cannot read the file: it is {what}, not a regular file")
                }
                ReadError::Io { error, .. } => format!("cannot read the file: {error}"),
            };
            let mut d = Diagnostics::new();
            d.push(whole_file(path, message, hint));
            Err(d)
        }
    }
}

/// Loads and checks the bytes of a scenario file read from `path`, with
/// the default [`LoadOptions`].
///
/// A UTF-8 byte-order mark at the start is accepted and ignored (editors on
/// Windows add one); the scenario hash is still that of the bytes as given.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<(Scenario, Diagnostics), Diagnostics> {
    load_bytes_with(path, bytes, &LoadOptions::default())
}

/// [`load_bytes`] with options.
pub fn load_bytes_with(
    path: &Path,
    bytes: &[u8],
    options: &LoadOptions,
) -> Result<(Scenario, Diagnostics), Diagnostics> {
    let text = decode(path, bytes).map_err(|d| {
        let mut all = Diagnostics::new();
        all.push(*d);
        all
    })?;
    load_text(path, text, hex_sha256(bytes), options)
}

/// Loads and checks scenario text as if read from `path`.
pub fn load_str(path: &Path, text: &str) -> Result<(Scenario, Diagnostics), Diagnostics> {
    load_bytes(path, text.as_bytes())
}

fn load_text(
    path: &Path,
    text: String,
    sha256: String,
    options: &LoadOptions,
) -> Result<(Scenario, Diagnostics), Diagnostics> {
    let src = SourceFile::new(path, text);
    let mut diags = Diagnostics::new();
    if !is_meaningful(&src, &mut diags) {
        return Err(diags);
    }
    // `extends`: the file and its parents, merged into one tree.
    let Some(chain) = Chain::read(src, sha256, options, &mut diags) else {
        return Err(diags);
    };
    let Some(root) = chain.merged(&mut diags) else {
        return Err(diags);
    };
    check_strings(chain.sources(), &root, &mut diags);
    let raw = read_sections(chain.sources(), root, &mut diags);
    let origin = Origin {
        path: path.to_path_buf(),
        sha256: chain.sha256(),
        chain: chain.files().to_vec(),
    };
    match validate(chain.sources(), raw, origin, &mut diags) {
        Some(s) if !diags.has_errors() => Ok((s, diags)),
        _ => {
            if !diags.has_errors() {
                // Every refusal must say why.
                diags.push(chain.sources().diagnostic(
                    Severity::Error,
                    None,
                    "the scenario is incomplete",
                    Some("compare it with the output of `brink init NAME`".into()),
                ));
            }
            Err(diags)
        }
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
    let mut reader = Reader::new(src, diags);
    for (key, value) in root {
        let name = key.get_ref().as_ref();
        let Some(&section) = SECTIONS.iter().find(|s| **s == name) else {
            reader.unknown_section(key.span(), name);
            continue;
        };
        raw.present.push(section);
        match section {
            "scenario" => raw.header = reader.read(value, section),
            "run" => raw.run = reader.read(value, section),
            "initial" => raw.initial = reader.read(value, section),
            "outcomes" => raw.outcomes = reader.read(value, section),
            "dynamics" => raw.dynamics = reader.read(value, section),
            "incidents" => raw.incidents = reader.read(value, section),
            "actions" => raw.actions = reader.read_entries(value, section),
            "actors" => raw.actors = reader.read_entries(value, section),
            _ => raw.events = reader.read_entries(value, section),
        }
    }
    raw.dropped = reader.into_dropped();
    raw
}

/// Parses one file of a scenario: refuses nesting too deep before parsing,
/// then reports the TOML syntax errors (the first twenty, and how many more).
pub(crate) fn parse_file<'i>(file: &'i SourceFile, diags: &mut Diagnostics) -> Option<DeTable<'i>> {
    if let Some((at, message)) = nesting_problem(&file.text) {
        diags.push(file.diagnostic(
            Severity::Error,
            Some(at..at + 1),
            message,
            Some("scenario files nest at most a few levels; is this the right file?".into()),
        ));
        return None;
    }
    let (root, errors) = DeTable::parse_recoverable(&file.text);
    if errors.is_empty() {
        return Some(root.into_inner());
    }
    // Text that is not TOML at all gives an error per line; the first ones tell the story.
    const SHOWN: usize = 20;
    if errors.len() > SHOWN {
        diags.push(file.diagnostic(
            Severity::Error,
            None,
            format!("{} more TOML syntax errors not shown", errors.len() - SHOWN),
            Some("is this a TOML scenario file?".into()),
        ));
    }
    for e in errors.into_iter().take(SHOWN) {
        diags.push(file.diagnostic(
            Severity::Error,
            e.span(),
            format!("invalid TOML: {}", e.message().trim()),
            Some("see https://toml.io for the syntax".into()),
        ));
    }
    None
}
