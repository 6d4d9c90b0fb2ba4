//! Reading a scenario file: bytes to text, text to a TOML tree, the tree to
//! typed sections. Every problem is collected; none stops the others from
//! being found, except a file that cannot be read or parsed at all.

use std::path::Path;

use crate::input::{ReadError, read_limited};

use super::diagnostic::{Diagnostics, Severity, SourceFile};
use super::extends::Chain;
use super::params::apply_overrides;
use super::raw::read_sections;
use super::strings::check_strings;
use super::text::{decode, whole_file};
use super::validate::validate;
use super::{Origin, Scenario};

pub use super::digest::{hex_sha256, to_hex};
pub use super::parent::LoadOptions;
pub use super::text::MAX_FILE_BYTES;

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
        Some(mut s) if !diags.has_errors() => match apply_overrides(&mut s, &options.set) {
            Ok(()) => Ok((s, diags)),
            Err(errors) => {
                for e in errors {
                    diags.push(chain.sources().diagnostic(
                        Severity::Error,
                        None,
                        e.message,
                        e.hint,
                    ));
                }
                Err(diags)
            }
        },
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
