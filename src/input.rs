//! Reading the files a user hands brink (scenarios and their parents,
//! calibration targets, shard and checkpoint files): each is looked at
//! before it is opened, so a FIFO, a device such as `/dev/zero` or a folder
//! is refused without blocking or reading; then opened once, checked again
//! through the open handle, and read through a size limit, so a huge file is
//! refused after reading at most one byte more than the limit.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The path names something other than a regular file.
    NotAFile {
        /// The path as given.
        path: PathBuf,
        /// What it is instead ("a folder", "a FIFO", "a device", ...).
        what: &'static str,
    },
    /// The file is larger than the limit.
    TooLarge {
        /// The path as given.
        path: PathBuf,
        /// The limit in bytes.
        limit: u64,
    },
    /// The operating system refused an operation.
    Io {
        /// The path as given.
        path: PathBuf,
        /// What was being done ("open", "read", ...).
        operation: &'static str,
        /// The system's error.
        error: io::Error,
    },
}

impl ReadError {
    /// A hint for the user, fitting the error.
    pub fn hint(&self) -> &'static str {
        match self {
            ReadError::NotAFile { .. } => "name a regular file",
            ReadError::TooLarge { .. } => "is this the right file?",
            ReadError::Io { error, .. } => match error.kind() {
                io::ErrorKind::NotFound => "check the spelling and the folder it is relative to",
                io::ErrorKind::PermissionDenied => "check the file's permissions",
                _ => "check that the file can be read",
            },
        }
    }

    /// The path concerned.
    pub fn path(&self) -> &Path {
        match self {
            ReadError::NotAFile { path, .. }
            | ReadError::TooLarge { path, .. }
            | ReadError::Io { path, .. } => path,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotAFile { path, what } => {
                write!(f, "{} is {what}, not a regular file", path.display())
            }
            ReadError::TooLarge { path, limit } => write!(
                f,
                "{} is larger than {limit} bytes, the limit for this kind of file",
                path.display()
            ),
            ReadError::Io {
                path,
                operation,
                error,
            } => write!(f, "cannot {operation} {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<ReadError> for io::Error {
    /// Bad input (exit 2 on the command line), the message ending in the hint.
    fn from(e: ReadError) -> io::Error {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{e}\n  = hint: {}", e.hint()),
        )
    }
}

fn kind_of(meta: &fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_char_device() || t.is_block_device() {
            return Some("a device");
        }
        if t.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a regular file")
}

/// Reads the whole of the regular file at `path`, refusing anything else
/// and any file of more than `limit` bytes (having read at most `limit + 1`).
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io_err = |operation, error| ReadError::Io {
        path: path.to_path_buf(),
        operation,
        error,
    };
    // `metadata` follows links without opening: a FIFO is refused before
    // an `open` that would wait for a writer.
    let meta = fs::metadata(path).map_err(|e| io_err("read", e))?;
    if let Some(what) = kind_of(&meta) {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            what,
        });
    }
    let file = File::open(path).map_err(|e| io_err("open", e))?;
    // The path may have been swapped between the look and the open.
    let meta = file.metadata().map_err(|e| io_err("read", e))?;
    if let Some(what) = kind_of(&meta) {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            what,
        });
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_err("read", e))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_limited`] for a file that must be UTF-8 text without NUL bytes;
/// the message of a failure names the first bad byte's offset.
pub fn read_text_limited(path: &Path, limit: u64) -> Result<String, io::Error> {
    let bytes = read_limited(path, limit)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is not UTF-8 text (invalid byte at offset {})\n  = hint: is this the right file?",
                path.display(),
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    if let Some(at) = text.find('\0') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} contains a NUL byte (offset {at}): it looks binary, not text\n  = hint: is this the right file?",
                path.display()
            ),
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_within_the_limit_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.toml");
        fs::write(&p, "x = 1\n").unwrap();
        assert_eq!(read_limited(&p, 6).unwrap(), b"x = 1\n");
        assert!(matches!(
            read_limited(&p, 5),
            Err(ReadError::TooLarge { limit: 5, .. })
        ));
    }

    #[test]
    fn folders_devices_and_missing_files_are_refused_with_their_path() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_limited(dir.path(), 100).unwrap_err();
        assert!(matches!(
            e,
            ReadError::NotAFile {
                what: "a folder",
                ..
            }
        ));
        assert!(e.to_string().contains(&dir.path().display().to_string()));
        let missing = dir.path().join("none.toml");
        let e = read_limited(&missing, 100).unwrap_err();
        assert!(e.to_string().contains("none.toml"), "{e}");
        if Path::new("/dev/zero").exists() {
            let e = read_limited(Path::new("/dev/zero"), 100).unwrap_err();
            assert!(matches!(
                e,
                ReadError::NotAFile {
                    what: "a device",
                    ..
                }
            ));
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pipe.toml");
        let made = std::process::Command::new("mkfifo").arg(&p).status();
        if !made.is_ok_and(|s| s.success()) {
            panic!("mkfifo is needed for this test");
        }
        let e = read_limited(&p, 100).unwrap_err();
        assert!(matches!(e, ReadError::NotAFile { .. }), "{e}");
    }

    #[test]
    fn text_with_a_nul_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        fs::write(&p, "{\0}").unwrap();
        let e = read_text_limited(&p, 100).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        assert!(e.to_string().contains("NUL"));
    }
}
