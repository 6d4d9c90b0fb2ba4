//! The manifest of a command's result folder (written by the one
//! result-folder writer, [`crate::output::ResultFolder`]).

use crate::output::manifest::{Manifest, file_name};
use crate::scenario::Scenario;

/// A manifest for a folder produced by `kind` from `scenario`; the file
/// list is filled in when the folder is committed.
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
