//! The result folder of a command: files written into a staged folder,
//! then `manifest.json` listing every file with its sha256, then the
//! atomic commit that moves the folder into place.

use std::io;
use std::path::PathBuf;

use crate::output::manifest::{Manifest, file_name, hash_files};
use crate::output::{StagedDir, write_json};
use crate::scenario::Scenario;

/// A manifest for a folder produced by `kind` from `scenario`; the file
/// list is filled in by [`commit_with_manifest`].
pub fn manifest_for(
    kind: &str,
    scenario: &Scenario,
    command: &[String],
    seed: u64,
    trials: u64,
) -> Manifest {
    Manifest {
        program: "brink".into(),
        kind: kind.into(),
        brink_version: env!("CARGO_PKG_VERSION").into(),
        command: command.to_vec(),
        scenario: scenario.name.clone(),
        scenario_file: file_name(&scenario.origin.path),
        scenario_sha256: scenario.origin.sha256.clone(),
        seed,
        trials,
        files: Vec::new(),
    }
}

/// Hashes every file of a staged folder into `manifest`, writes it as
/// `manifest.json`, and moves the folder into place.
pub fn commit_with_manifest(staged: StagedDir, mut manifest: Manifest) -> io::Result<PathBuf> {
    manifest.files = hash_files(staged.path())?;
    write_json(&staged.path().join("manifest.json"), &manifest)?;
    staged.commit()
}
