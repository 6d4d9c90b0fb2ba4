//! One writer per result: a command holds an advisory lock on
//! `OUT/.<name>.lock` for the whole of its work on `OUT/<name>` (the
//! result, its staging folders and its checkpoint). A second command that
//! would write the same result is refused at once, naming the holder,
//! instead of interleaving its files with the first one's.
//!
//! Taking the lock also checks that the result folder, if any, is one brink
//! may replace ([`super::marker::check_replaceable`]), so a user's folder is
//! refused before any work starts.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::io_error::at;
use super::marker::check_replaceable;

/// The lock on one result folder, released (and its file removed) on drop.
#[derive(Debug)]
pub struct ResultLock {
    target: PathBuf,
    path: PathBuf,
    file: Option<File>,
}

/// The lock file of the result folder `target`: `.<name>.lock` beside it.
pub fn lock_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.lock"))
}

/// Bad input when `dir` (or a folder above it) is a file, or a link to
/// nothing, where a folder is needed.
fn check_folder(dir: &Path) -> io::Result<()> {
    for d in dir.ancestors().filter(|d| !d.as_os_str().is_empty()) {
        let Ok(meta) = std::fs::symlink_metadata(d) else {
            continue;
        };
        let why = if meta.is_symlink() && !d.exists() {
            "is a link to something that does not exist"
        } else if !meta.is_dir() && !d.is_dir() {
            "is a file"
        } else {
            return Ok(());
        };
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} {why}, where brink needs a folder to write results in\n  = hint: choose a folder with --out",
                d.display()
            ),
        ));
    }
    Ok(())
}

/// Same file on disk (device and inode) where the system can tell.
#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_: &std::fs::Metadata, _: &std::fs::Metadata) -> bool {
    true
}

/// Replaces control characters, so text from a file cannot drive the terminal.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

impl ResultLock {
    /// Takes the lock on the result folder `target`, creating the folder
    /// that holds it when needed. Bad input when another process holds it
    /// (the message names that process and its command line) or when
    /// `target` is not a folder brink may replace.
    pub fn acquire(target: &Path) -> io::Result<ResultLock> {
        if let Some(parent) = target.parent()
            && !parent.as_os_str().is_empty()
        {
            check_folder(parent)?;
            std::fs::create_dir_all(parent).map_err(at("create the folder", parent))?;
        }
        let path = lock_path(target);
        // A holder removes the file as it releases it: a process that opened
        // the old file just before then finds the path changed, and tries again.
        for _ in 0..8 {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(at("open the lock file", &path))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    let holder = printable(holder.trim());
                    let holder = if holder.is_empty() {
                        "another process".to_string()
                    } else {
                        holder
                    };
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "{} is being written by another brink command ({holder}); its lock is {}\n  = hint: wait for it to finish, or write elsewhere with --out",
                            target.display(),
                            path.display()
                        ),
                    ));
                }
                Err(TryLockError::Error(e)) => return Err(at("lock", &path)(e)),
            }
            let still_there = std::fs::metadata(&path)
                .ok()
                .zip(file.metadata().ok())
                .is_some_and(|(on_disk, held)| same_file(&on_disk, &held));
            if !still_there {
                continue;
            }
            let holder = format!(
                "process {}: {}\n",
                std::process::id(),
                std::env::args().collect::<Vec<_>>().join(" ")
            );
            file.set_len(0)
                .and_then(|()| file.rewind())
                .and_then(|()| file.write_all(holder.as_bytes()))
                .map_err(at("write", &path))?;
            let lock = ResultLock {
                target: target.to_path_buf(),
                path,
                file: Some(file),
            };
            check_replaceable(target)?;
            return Ok(lock);
        }
        Err(io::Error::other(format!(
            "cannot lock {}: it keeps being replaced",
            path.display()
        )))
    }

    /// The result folder this lock is for.
    pub fn target(&self) -> &Path {
        &self.target
    }
}

impl Drop for ResultLock {
    fn drop(&mut self) {
        // Removed while still held, so no other process can take a lock on
        // a file that is about to disappear.
        let _ = std::fs::remove_file(&self.path);
        self.file.take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_naming_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out/r");
        let first = ResultLock::acquire(&target).unwrap();
        let e = ResultLock::acquire(&target).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        let msg = e.to_string();
        assert!(
            msg.contains(&format!("process {}", std::process::id())),
            "{msg}"
        );
        assert!(msg.contains(".r.lock"), "{msg}");
        drop(first);
        assert!(
            !lock_path(&target).exists(),
            "the lock file goes with the lock"
        );
        ResultLock::acquire(&target).unwrap();
    }

    #[test]
    fn locks_on_other_results_are_independent() {
        let dir = tempfile::tempdir().unwrap();
        let _a = ResultLock::acquire(&dir.path().join("a")).unwrap();
        let _b = ResultLock::acquire(&dir.path().join("b")).unwrap();
    }

    #[test]
    fn a_users_folder_is_refused_when_locking() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("w");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("thesis.docx"), "x").unwrap();
        let e = ResultLock::acquire(&target).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(target.join("thesis.docx").exists());
    }
}
