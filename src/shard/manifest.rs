//! `shard.json`: what a shard result is (the work, the shard and the range
//! of units it covers), where its scenario file was, and the sha256 of its
//! data files, so that `brink merge` can check shards before combining them.

use crate::export::Format;
use std::io;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::input::{ReadError, read_limited};
use crate::output::FolderManifest;
use crate::output::manifest::FileEntry;

use super::split::Shard;
use super::work::WorkId;
use super::{FORMAT, bad_input};

/// The manifest file of a shard folder.
pub const SHARD_FILE: &str = "shard.json";

/// The size limit of `shard.json`: a few KiB, more for a sweep of many
/// values (each at most 32 characters); 16 MiB is a sweep of half a
/// million values.
pub const MAX_SHARD_FILE_BYTES: u64 = 16 << 20;

/// The manifest of a shard result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardManifest {
    /// Program name (`brink`).
    pub program: String,
    /// Layout version of shard folders.
    pub format: u32,
    /// The work this shard is part of.
    pub work: WorkId,
    /// Folder name of the merged result (`muscat-2026`, `sweep-...`).
    pub output: String,
    /// Absolute path of the scenario file when the shard ran; `brink merge`
    /// reads it from there unless given `--scenario`.
    pub scenario_path: PathBuf,
    /// Which shard.
    pub shard: Shard,
    /// Units (trials or design points) in the whole work.
    pub total: u64,
    /// Indices of the units this shard covers, `[start, end)`.
    pub range: [u64; 2],
    /// Absolute paths of the other input files when the shard ran (the
    /// other scenarios of a comparison, the targets of a calibration);
    /// absent for work that reads only its scenario.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<PathBuf>,
    /// The command line that ran the shard.
    pub command: Vec<String>,
    /// The format of the merged result's tables; left out for CSV, so a
    /// CSV shard's manifest is as it always was.
    #[serde(default, skip_serializing_if = "Format::is_csv")]
    pub table_format: Format,
    /// The data files, with their sizes and sha256.
    pub files: Vec<FileEntry>,
}

impl ShardManifest {
    /// The units covered.
    pub fn units(&self) -> Range<u64> {
        self.range[0]..self.range[1]
    }

    /// The entry of data file `path`.
    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// A shard folder with its manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardDir {
    /// The folder.
    pub path: PathBuf,
    /// Its `shard.json`.
    pub manifest: ShardManifest,
}

impl ShardDir {
    /// Reads the manifest of a shard folder; anything else than a shard
    /// folder of this format is bad input.
    pub fn open(path: &Path) -> io::Result<ShardDir> {
        let file = path.join(SHARD_FILE);
        let bytes = read_limited(&file, MAX_SHARD_FILE_BYTES).map_err(|e| {
            let what = match &e {
                ReadError::Io { error, .. } if path.is_dir() => format!(
                    "{} is not a shard folder: no {SHARD_FILE} ({error})",
                    path.display()
                ),
                ReadError::Io { error, .. } => {
                    format!("cannot read the shard folder {}: {error}", path.display())
                }
                _ => e.to_string(),
            };
            bad_input(
                what,
                "give the folders written by `brink <command> --shard I/N`",
            )
        })?;
        let manifest: ShardManifest = serde_json::from_slice(&bytes).map_err(|e| {
            bad_input(
                format!("{} is not a brink shard manifest: {e}", file.display()),
                "the file may be damaged; run the shard again",
            )
        })?;
        if manifest.program != "brink" || manifest.format != FORMAT {
            return Err(bad_input(
                format!(
                    "{} has shard format {} of `{}`; this program reads format {FORMAT}",
                    file.display(),
                    manifest.format,
                    manifest.program
                ),
                "merge with the brink version that made the shards",
            ));
        }
        let damaged = "the file is damaged or was edited; run the shard again";
        if let Err(e) = Shard::new(manifest.shard.index, manifest.shard.count) {
            return Err(bad_input(format!("{}: {e}", file.display()), damaged));
        }
        if !is_plain_name(&manifest.output) {
            return Err(bad_input(
                format!(
                    "{} names the result folder `{}`, which is not a plain folder name",
                    file.display(),
                    manifest.output.escape_debug()
                ),
                damaged,
            ));
        }
        if manifest.range[0] > manifest.range[1] || manifest.range[1] > manifest.total {
            return Err(bad_input(
                format!(
                    "{} gives the range {}..{} of {} units",
                    file.display(),
                    manifest.range[0],
                    manifest.range[1],
                    manifest.total
                ),
                "the file may be damaged; run the shard again",
            ));
        }
        Ok(ShardDir {
            path: path.to_path_buf(),
            manifest,
        })
    }

    /// A short name for messages: the folder and its shard.
    pub fn label(&self) -> String {
        format!("{} (shard {})", self.path.display(), self.manifest.shard)
    }
}

/// A shard folder ends with `shard.json`, written by the one result-folder
/// writer ([`crate::output::ResultFolder::commit`]).
impl FolderManifest for ShardManifest {
    const FILE: &'static str = SHARD_FILE;

    fn set_files(&mut self, files: Vec<FileEntry>) {
        self.files = files;
    }
}
/// True for a plain folder name: one path component, not `.` or `..`, no
/// leading dot (hidden, or a checkpoint folder), no separator and no
/// control character.
pub fn is_plain_name(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(
        (parts.next(), parts.next()),
        (Some(Component::Normal(_)), None)
    ) && !name.starts_with('.')
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
}
