//! Atomic output directories: everything is written into a hidden staging
//! directory beside the target, which replaces the target only once complete.
//! An interrupted run leaves the previous complete result, or nothing.
//! Only the holder of the result's [`ResultLock`] stages it, and the folder
//! replaced must be one brink wrote ([`check_replaceable`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::io_error::at;
use super::lock::ResultLock;
use super::marker::check_replaceable;

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
    /// Starts writing a new version of the result folder `lock` is for.
    pub fn create(lock: &ResultLock) -> io::Result<StagedDir> {
        let target = lock.target();
        let parent = target.parent().unwrap_or_else(|| Path::new("."));
        if !parent.as_os_str().is_empty() {
            fs::create_dir_all(parent).map_err(at("create the folder", parent))?;
        }
        clear_stale(target)?;
        let staging = sibling(target, "partial");
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(at("remove", &staging))?;
        }
        fs::create_dir_all(&staging).map_err(at("create the folder", &staging))?;
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

    /// Moves the complete result into place, replacing any previous one
    /// (checked again to be a folder brink may replace: files may have been
    /// added to it while the result was being written).
    pub fn commit(mut self) -> io::Result<PathBuf> {
        check_replaceable(&self.target)?;
        let old = sibling(&self.target, "old");
        let had_old = fs::symlink_metadata(&self.target).is_ok();
        if had_old {
            if old.exists() {
                fs::remove_dir_all(&old).map_err(at("remove", &old))?;
            }
            fs::rename(&self.target, &old).map_err(at("move aside", &self.target))?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(at("move the finished result to", &self.target)(e));
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).map_err(at("remove the previous result", &old))?;
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

/// Whether process `pid` is still running, when the system can tell (Linux,
/// through `/proc`); `None` elsewhere.
fn process_alive(pid: u32) -> Option<bool> {
    Path::new("/proc/self")
        .exists()
        .then(|| Path::new(&format!("/proc/{pid}")).exists())
}

/// Tidies what a killed process (`kill -9`, power loss) left beside `target`:
/// if it died between moving the previous result aside and moving the new one
/// in, the previous result is put back; its unfinished staging folders are
/// removed. Folders of processes still running are left alone, and nothing
/// is touched where the system cannot tell which processes are alive.
fn clear_stale(target: &Path) -> io::Result<()> {
    let Some(name) = target.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Ok(());
    };
    let parent = target.parent().unwrap_or_else(|| Path::new("."));
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some((tag, pid)) = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.rsplit_once('-'))
        else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if pid == std::process::id() || process_alive(pid) != Some(false) {
            continue;
        }
        let path = entry.path();
        match tag {
            "old" if !target.exists() => fs::rename(&path, target).map_err(at("restore", &path))?,
            "old" | "partial" => fs::remove_dir_all(&path).map_err(at("remove", &path))?,
            _ => {}
        }
    }
    Ok(())
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
    fs::write(&tmp, bytes)
        .map_err(at("write", path))
        .and_then(|()| fs::rename(&tmp, path).map_err(at("write", path)))
        .inspect_err(|_| {
            let _ = fs::remove_file(&tmp);
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `a.txt` and a manifest that lists it, as a result would.
    fn write_result(dir: &Path, text: &str) {
        fs::write(dir.join("a.txt"), text).unwrap();
        let manifest = r#"{"program":"brink","files":[{"path":"a.txt"}]}"#;
        fs::write(dir.join("manifest.json"), manifest).unwrap();
    }

    #[test]
    fn dropped_staging_leaves_previous_result() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let lock = ResultLock::acquire(&target).unwrap();
        let s = StagedDir::create(&lock).unwrap();
        write_result(s.path(), "one");
        s.commit().unwrap();
        let s = StagedDir::create(&lock).unwrap();
        write_result(s.path(), "two");
        drop(s);
        drop(lock);
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "one");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "only the committed directory remains");
    }

    #[test]
    fn leftovers_of_a_killed_process_are_tidied() {
        if process_alive(1) != Some(true) {
            return; // the system cannot tell which processes run
        }
        // Process ids are below 2^22 on Linux: this one never runs.
        let dead = 4_294_967_000u32;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let partial = dir.path().join(format!(".out.partial-{dead}"));
        let old = dir.path().join(format!(".out.old-{dead}"));
        let running = dir.path().join(".out.partial-1");
        for (d, text) in [(&partial, "half"), (&old, "previous"), (&running, "live")] {
            fs::create_dir_all(d).unwrap();
            fs::write(d.join("a.txt"), text).unwrap();
        }
        // Killed between moving the old result aside and the new one in:
        // the previous result comes back, the unfinished one goes.
        let lock = ResultLock::acquire(&target).unwrap();
        let s = StagedDir::create(&lock).unwrap();
        drop(s);
        assert_eq!(
            fs::read_to_string(target.join("a.txt")).unwrap(),
            "previous"
        );
        assert!(!partial.exists() && !old.exists());
        assert!(running.exists(), "a running process keeps its folder");
    }

    #[test]
    fn commit_replaces_previous_result() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let lock = ResultLock::acquire(&target).unwrap();
        for text in ["one", "two"] {
            let s = StagedDir::create(&lock).unwrap();
            write_result(s.path(), text);
            s.commit().unwrap();
        }
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "two");
    }

    #[test]
    fn a_folder_that_gained_foreign_files_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out");
        let lock = ResultLock::acquire(&target).unwrap();
        let s = StagedDir::create(&lock).unwrap();
        write_result(s.path(), "one");
        s.commit().unwrap();
        let s = StagedDir::create(&lock).unwrap();
        write_result(s.path(), "two");
        // Added while the new result was being written.
        fs::write(target.join("notes.txt"), "mine").unwrap();
        let e = s.commit().unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(
            fs::read_to_string(target.join("notes.txt")).unwrap(),
            "mine"
        );
        assert_eq!(fs::read_to_string(target.join("a.txt")).unwrap(), "one");
    }
}
