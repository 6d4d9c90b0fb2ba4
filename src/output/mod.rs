//! Files of a run, one module per file, all written into an atomically
//! committed directory.

pub mod calibrated_scenario;
pub mod comparison_table;
pub mod digits;
pub mod drawn;
pub mod fitted_scenario;
pub mod folder;
pub mod hashing;
pub mod io_error;
pub mod lock;
pub mod manifest;
pub mod marker;
pub mod names;
pub mod panels;
pub mod plots;
pub mod staging;

use std::io;
use std::path::Path;

use serde::Serialize;

pub use folder::{FolderManifest, ResultFolder};
pub use lock::ResultLock;
pub use staging::{StagedDir, write_atomic};

/// Writes any serialisable value as pretty JSON followed by a newline.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    bytes.push(b'\n');
    write_atomic(path, &bytes)
}
