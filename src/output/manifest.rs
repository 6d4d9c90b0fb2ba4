//! `manifest.json`: what produced an output directory and the sha256 of
//! every file in it, so a colleague can check and reproduce the result.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};

use sha2::{Digest, Sha256};

use crate::scenario::load::to_hex;

/// One file of the output directory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileEntry {
    /// Path relative to the output directory.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Hex sha256.
    pub sha256: String,
}

/// The manifest of one output directory.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Manifest {
    /// Program name.
    pub program: String,
    /// What produced the directory: `run`, `sweep`, `sensitivity`, `discover`, ...
    pub kind: String,
    /// Program version.
    pub brink_version: String,
    /// Command line as typed (it is the one field that may differ between
    /// runs that produce identical results, e.g. by `--threads`).
    pub command: Vec<String>,
    /// Scenario name.
    pub scenario: String,
    /// Scenario file name.
    pub scenario_file: String,
    /// sha256 of the scenario file.
    pub scenario_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Trials (in all, for analyses that run many points).
    pub trials: u64,
    /// Files written, sorted by path.
    pub files: Vec<FileEntry>,
}

/// Lists every file under `dir` (recursively, sorted) with its hash.
pub fn hash_files(dir: &Path) -> io::Result<Vec<FileEntry>> {
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<FileEntry>) -> io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .and_then(|d| d.collect::<Result<_, _>>())
        .map_err(crate::output::io_error::at("list the folder", dir))?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, out)?;
        } else {
            let (bytes, sha256) = hash_file(&p)?;
            let rel = p.strip_prefix(root).unwrap_or(&p);
            out.push(FileEntry {
                path: rel.to_string_lossy().replace('\\', "/"),
                bytes,
                sha256,
            });
        }
    }
    Ok(())
}

/// Size and hex sha256 of a file, read in pieces so memory stays flat.
pub fn hash_file(path: &Path) -> io::Result<(u64, String)> {
    let mut hasher = Sha256::new();
    let at = crate::output::io_error::at;
    let mut file = fs::File::open(path).map_err(at("open", path))?;
    let mut buf = vec![0u8; 1 << 16];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(at("read", path))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((bytes, to_hex(&hasher.finalize())))
}

/// The file name of a path, for outputs that must not depend on the machine.
pub fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(
        || p.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
