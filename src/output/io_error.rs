//! I/O errors that say what failed: the operation, the path, and a hint
//! fitting the kind of error, so that "No space left on device" never comes
//! without the file it was writing.

use std::io;
use std::path::Path;

/// Adds the operation, the path and a hint fitting the error to an I/O
/// error, keeping its kind.
pub fn at(operation: &str, path: &Path) -> impl FnOnce(io::Error) -> io::Error {
    let context = format!("cannot {operation} {}", path.display());
    move |e| {
        let hint = io_hint(e.kind());
        io::Error::new(e.kind(), format!("{context}: {e}\n  = hint: {hint}"))
    }
}

/// What a user can do about an I/O error of this kind.
fn io_hint(kind: io::ErrorKind) -> &'static str {
    use io::ErrorKind as K;
    match kind {
        K::StorageFull | K::FileTooLarge | K::QuotaExceeded => {
            "free some space (or raise the limit), or write elsewhere with --out"
        }
        K::PermissionDenied | K::ReadOnlyFilesystem => {
            "write where you may, e.g. a folder of your own with --out"
        }
        K::NotFound => "check that the folder exists and is spelled as meant",
        K::NotADirectory | K::AlreadyExists => {
            "a file stands where a folder is needed; check --out"
        }
        _ => "check the folder given with --out and the disk it is on",
    }
}
