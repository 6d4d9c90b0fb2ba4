//! The errors of brink's library API, one enum for every function the
//! facade in [`crate`] offers.
//!
//! - [`Error::BadInput`]: what the user handed brink is wrong (a scenario
//!   file, an option, a checkpoint or shard of other work, a folder that is
//!   not brink's to replace). It carries a message and a hint; the command
//!   line exits with status 2.
//! - [`Error::Io`]: the machine failed brink (disk full, permission
//!   denied), with the operation and the path.
//! - [`Error::Cancelled`]: the caller's cancel token was set; nothing was
//!   committed (a checkpoint may have been kept).
//! - [`Error::Internal`]: a bug in brink.
//!
//! Lower layers still report through [`std::io::Error`] (whose
//! [`io::ErrorKind::InvalidInput`] marks bad input, with the hint on a line
//! `  = hint: ...`); [`Error::from`] turns those into the typed variants, so
//! the boundary of the library is the only place that convention is read.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// What went wrong in a call to brink's library.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The input is wrong; the user can fix it.
    BadInput {
        /// What is wrong, naming the file or option.
        message: String,
        /// What to do about it.
        hint: Option<String>,
    },
    /// An operating-system error while reading or writing a file.
    Io {
        /// What brink was doing (`write`, `create the folder`, ...), if known.
        operation: Option<String>,
        /// The file or folder, if known.
        path: Option<PathBuf>,
        /// The error the system gave.
        source: io::Error,
    },
    /// Stopped by the caller's cancel token before anything was committed.
    Cancelled,
    /// A bug in brink: an invariant that should hold did not.
    Internal(String),
}

/// The result of brink's library calls.
pub type Result<T> = std::result::Result<T, Error>;

/// The line that introduces a hint in messages of bad input.
const HINT: &str = "\n  = hint: ";

impl Error {
    /// Bad input with a hint.
    pub fn bad_input(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error::BadInput {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// An I/O error while doing `operation` on `path`.
    pub fn io(operation: impl Into<String>, path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io {
            operation: Some(operation.into()),
            path: Some(path.into()),
            source,
        }
    }

    /// The exit status of the command line for this error: 2 for bad input,
    /// 130 when cancelled (as after Ctrl-C), 1 otherwise.
    pub fn exit_status(&self) -> u8 {
        match self {
            Error::BadInput { .. } => 2,
            Error::Cancelled => 130,
            Error::Io { .. } | Error::Internal(_) => 1,
        }
    }

    /// True for [`Error::BadInput`].
    pub fn is_bad_input(&self) -> bool {
        matches!(self, Error::BadInput { .. })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::BadInput { message, hint } => {
                write!(f, "{message}")?;
                if let Some(h) = hint {
                    write!(f, "{HINT}{h}")?;
                }
                Ok(())
            }
            Error::Io {
                operation,
                path,
                source,
            } => match (operation, path) {
                (Some(op), Some(p)) => write!(f, "cannot {op} {}: {source}", p.display()),
                (None, Some(p)) => write!(f, "{}: {source}", p.display()),
                _ => write!(f, "{source}"),
            },
            Error::Cancelled => write!(f, "cancelled; nothing was written"),
            Error::Internal(m) => write!(f, "internal error (a bug in brink): {m}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    /// `InvalidInput` is bad input (its message split at the hint line);
    /// `Interrupted` is cancellation; anything else is an I/O error whose
    /// message already names the path where the lower layer knew it.
    fn from(e: io::Error) -> Error {
        match e.kind() {
            io::ErrorKind::InvalidInput => {
                let text = e.to_string();
                match text.split_once(HINT) {
                    Some((message, hint)) => Error::BadInput {
                        message: message.to_string(),
                        hint: Some(hint.to_string()),
                    },
                    None => Error::BadInput {
                        message: text,
                        hint: None,
                    },
                }
            }
            io::ErrorKind::Interrupted => Error::Cancelled,
            _ => Error::Io {
                operation: None,
                path: None,
                source: e,
            },
        }
    }
}

impl From<Error> for io::Error {
    /// Back to the lower layers' convention (for callers that mix both).
    fn from(e: Error) -> io::Error {
        match e {
            Error::Io { source, .. } => source,
            Error::BadInput { .. } => io::Error::new(io::ErrorKind::InvalidInput, e.to_string()),
            Error::Cancelled => io::Error::new(io::ErrorKind::Interrupted, e.to_string()),
            Error::Internal(_) => io::Error::other(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_round_trips_through_io_error() {
        let e = Error::bad_input("the seed is not a number", "give --seed an integer");
        assert_eq!(e.exit_status(), 2);
        let text = e.to_string();
        assert_eq!(
            text,
            "the seed is not a number\n  = hint: give --seed an integer"
        );
        let io: io::Error = e.into();
        assert_eq!(io.kind(), io::ErrorKind::InvalidInput);
        match Error::from(io) {
            Error::BadInput { message, hint } => {
                assert_eq!(message, "the seed is not a number");
                assert_eq!(hint.as_deref(), Some("give --seed an integer"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn kinds_map_to_variants_and_exit_statuses() {
        let plain = io::Error::new(io::ErrorKind::InvalidInput, "no hint here");
        assert!(matches!(
            Error::from(plain),
            Error::BadInput { hint: None, .. }
        ));
        let cancelled = Error::from(io::Error::new(io::ErrorKind::Interrupted, "x"));
        assert!(matches!(cancelled, Error::Cancelled));
        assert_eq!(cancelled.exit_status(), 130);
        let denied = Error::from(io::Error::new(io::ErrorKind::PermissionDenied, "no"));
        assert!(matches!(denied, Error::Io { .. }));
        assert_eq!(denied.exit_status(), 1);
        let at = Error::io(
            "write",
            "/x/summary.json",
            io::Error::new(io::ErrorKind::StorageFull, "disk full"),
        );
        assert_eq!(at.to_string(), "cannot write /x/summary.json: disk full");
        assert!(std::error::Error::source(&at).is_some());
        assert_eq!(Error::Internal("x".into()).exit_status(), 1);
    }
}
