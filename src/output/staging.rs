//! Atomic output directories: everything is written into a hidden staging
//! directory beside the target, which replaces the target only once complete.
//! An interrupted run leaves the previous complete result, or nothing.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A directory being written, that becomes `target` on [`StagedDir::commit`].
#[derive(Debug)]
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = target.parent().unwrap_or_else(|| Path::new("."));
    parent.join(format!(".{name}.{tag}-{}", std::process::id()))
}

impl StagedDir {
    /// Starts writing a new version of `target`.
    pub fn create(target: &Path) -> io::Result<StagedDir> {
        let parent = target.parent().unwrap_or_else(|| Path::new("."));
        if !parent.as_os_str().is_empty() {
            fs::create_dir_all(parent)?;
        }
        let staging = sibling(target, "partial");
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        fs::create_dir_all(&staging)?;
        Ok(StagedDir {
            target: target.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// Where to write the files.
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// The final location.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the complete result into place, replacing any previous one.
    pub fn commit(mut self) -> io::Result<PathBuf> {
        let old = sibling(&self.target, "old");
        let had_old = self.target.exists();
        if had_old {
            if old.exists() {
                fs::remove_dir_all(&old)?;
            }
            fs::rename(&self.target, &old)?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old)?;
        }
        Ok(self.target.clone())
    }
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// A hidden temporary path beside `path`, unique to this process.
pub fn temp_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Writes a file atomically: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_beside(path);
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_staging_leaves_previous_result() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let s = StagedDir::create(&target).unwrap();
        fs::write(s.path().join("a.txt"), "one").unwrap();
        s.commit().unwrap();
        let s = StagedDir::create(&target).unwrap();
        fs::write(s.path().join("a.txt"), "two").unwrap();
        drop(s);
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "one");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the committed directory remains");
    }

    #[test]
    fn commit_replaces_previous_result() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        for text in ["one", "two"] {
            let s = StagedDir::create(&target).unwrap();
            fs::write(s.path().join("a.txt"), text).unwrap();
            s.commit().unwrap();
        }
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "two");
    }
}
