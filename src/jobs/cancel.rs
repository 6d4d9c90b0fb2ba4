//! The one cancellation convention of brink: a [`Cancel`] token wraps the
//! flag a signal handler (or a caller) sets; work checks it between
//! batches and stops there, keeping what it finished.

use std::sync::atomic::{AtomicBool, Ordering};

/// Asks running work to stop at its next batch boundary.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cancel<'a> {
    flag: Option<&'a AtomicBool>,
}

impl<'a> Cancel<'a> {
    /// Work that is never cancelled.
    pub fn never() -> Cancel<'static> {
        Cancel { flag: None }
    }

    /// Work cancelled once `flag` is set.
    pub fn on(flag: &'a AtomicBool) -> Cancel<'a> {
        Cancel { flag: Some(flag) }
    }

    /// True once cancellation was asked for.
    pub fn is_set(&self) -> bool {
        self.flag.is_some_and(|f| f.load(Ordering::Relaxed))
    }

    /// The flag, for the engine's simulation loops.
    pub fn flag(&self) -> Option<&'a AtomicBool> {
        self.flag
    }
}

impl<'a> From<Option<&'a AtomicBool>> for Cancel<'a> {
    fn from(flag: Option<&'a AtomicBool>) -> Cancel<'a> {
        Cancel { flag }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_its_flag() {
        assert!(!Cancel::never().is_set());
        let flag = AtomicBool::new(false);
        let c = Cancel::on(&flag);
        assert!(!c.is_set());
        flag.store(true, Ordering::Relaxed);
        assert!(c.is_set() && Cancel::from(Some(&flag)).is_set());
        assert!(c.flag().is_some() && Cancel::never().flag().is_none());
    }
}
