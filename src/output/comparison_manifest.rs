//! `manifest.json` of a comparison: what produced the directory, every
//! scenario with the files of its `extends` chain, and the sha256 of every
//! file written.

use std::io;
use std::path::Path;

use serde::Serialize;

use crate::scenario::Scenario;

use super::manifest::{FileEntry, file_name, hash_files};

/// One file of a scenario's chain.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ChainEntry {
    /// File name.
    pub file: String,
    /// sha256 of its bytes.
    pub sha256: String,
}

/// One compared scenario.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ManifestScenario {
    /// Scenario name.
    pub name: String,
    /// File name.
    pub file: String,
    /// Scenario identity: the file's sha256, or the chain's (docs/scenario-format.md).
    pub sha256: String,
    /// The files read: its own, then its parent, and so on.
    pub chain: Vec<ChainEntry>,
}

/// The manifest of a comparison directory.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ComparisonManifest {
    /// Program name.
    pub program: String,
    /// Program version.
    pub brink_version: String,
    /// Command line as typed (the one field that may differ between runs
    /// with identical results, e.g. by `--threads`).
    pub command: Vec<String>,
    /// What was run.
    pub kind: String,
    /// The scenarios, the baseline first.
    pub scenarios: Vec<ManifestScenario>,
    /// Master seed shared by all scenarios.
    pub seed: u64,
    /// Paired trials.
    pub trials: u64,
    /// Files written, sorted by path.
    pub files: Vec<FileEntry>,
}

impl ComparisonManifest {
    /// The manifest of the files already written in `dir`.
    pub fn new(
        scenarios: &[Scenario],
        command: &[String],
        seed: u64,
        trials: u64,
        dir: &Path,
    ) -> io::Result<Self> {
        Ok(ComparisonManifest {
            program: "brink".into(),
            brink_version: env!("CARGO_PKG_VERSION").into(),
            command: command.to_vec(),
            kind: "compare".into(),
            scenarios: scenarios
                .iter()
                .map(|s| ManifestScenario {
                    name: s.name.clone(),
                    file: file_name(&s.origin.path),
                    sha256: s.origin.sha256.clone(),
                    chain: s
                        .origin
                        .chain
                        .iter()
                        .map(|f| ChainEntry {
                            file: file_name(&f.path),
                            sha256: f.sha256.clone(),
                        })
                        .collect(),
                })
                .collect(),
            seed,
            trials,
            files: hash_files(dir)?,
        })
    }
}
