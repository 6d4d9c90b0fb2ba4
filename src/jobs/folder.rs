//! The manifest of a command's result folder (written by the one
//! result-folder writer, [`crate::output::ResultFolder`]).

use crate::output::manifest::Manifest;
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
    Manifest::new(kind, scenario, command, seed, trials)
}
