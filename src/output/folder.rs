//! The one writer of result folders, for every command and for shards:
//! files go into a hidden staged folder, then the manifest listing every
//! file with its size and sha256, then an atomic commit moves the folder
//! into place (replacing a previous result only once the new one is whole).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Serialize;

use super::lock::ResultLock;
use super::manifest::{FileEntry, Manifest, hash_files_known};
use super::plots;
use super::staging::{StagedDir, write_atomic};
use super::write_json;
use crate::output::drawn::RunPlot;

/// A manifest a result folder ends with.
pub trait FolderManifest: Serialize + Clone {
    /// Its file name in the folder.
    const FILE: &'static str;

    /// Sets the list of the folder's files, sorted by path.
    fn set_files(&mut self, files: Vec<FileEntry>);
}

impl FolderManifest for Manifest {
    const FILE: &'static str = "manifest.json";

    fn set_files(&mut self, files: Vec<FileEntry>) {
        self.files = files;
    }
}

/// A result folder being written.
#[derive(Debug)]
pub struct ResultFolder {
    staged: StagedDir,
    /// Files hashed as they were written, which the manifest lists without
    /// reading them again.
    known: Mutex<Vec<FileEntry>>,
}

impl ResultFolder {
    /// Starts the folder `lock` is for, in a hidden staging folder.
    pub fn stage(lock: &ResultLock) -> io::Result<ResultFolder> {
        Ok(ResultFolder {
            staged: StagedDir::create(lock)?,
            known: Mutex::new(Vec::new()),
        })
    }

    /// Records the size and hex sha256 of file `name` (relative to the
    /// folder), computed as it was written: the manifest takes them instead
    /// of reading the file again, as long as its size is still `bytes`.
    pub fn hashed(&self, name: &str, bytes: u64, sha256: String) {
        self.known_files().push(FileEntry {
            path: name.to_owned(),
            bytes,
            sha256,
        });
    }

    fn known_files(&self) -> std::sync::MutexGuard<'_, Vec<FileEntry>> {
        self.known
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn hash_files(&self) -> io::Result<Vec<FileEntry>> {
        hash_files_known(self.path(), &self.known_files())
    }

    /// Where to write its files.
    pub fn path(&self) -> &Path {
        self.staged.path()
    }

    /// Where it goes once committed.
    pub fn target(&self) -> &Path {
        self.staged.target()
    }

    /// Writes `value` as pretty JSON into file `name`.
    pub fn json<T: Serialize>(&self, name: &str, value: &T) -> io::Result<()> {
        write_json(&self.path().join(name), value)
    }

    /// Writes `value` as compact JSON into file `name` (large tables of
    /// integers: aggregates, partials).
    pub fn compact_json<T: Serialize>(&self, name: &str, value: &T) -> io::Result<()> {
        let mut bytes = serde_json::to_vec(value).map_err(io::Error::other)?;
        bytes.push(b'\n');
        write_atomic(&self.path().join(name), &bytes)
    }

    /// Writes the plots under `plots/`, then `report.html` as `render`
    /// makes it from `manifest` listing every file written so far.
    pub fn plots_and_report<M: FolderManifest>(
        &self,
        drawn: &[RunPlot],
        manifest: &M,
        render: impl FnOnce(&M) -> String,
    ) -> io::Result<()> {
        plots::write(self.path(), drawn)?;
        let mut so_far = manifest.clone();
        so_far.set_files(self.hash_files()?);
        write_atomic(&self.path().join("report.html"), render(&so_far).as_bytes())
    }

    /// Lists every file in `manifest`, writes it last, and moves the folder
    /// into place.
    pub fn commit<M: FolderManifest>(self, mut manifest: M) -> io::Result<PathBuf> {
        manifest.set_files(self.hash_files()?);
        write_json(&self.path().join(M::FILE), &manifest)?;
        self.staged.commit()
    }
}
