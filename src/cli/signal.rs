//! Ctrl-C and SIGTERM: the first signal sets a flag that a running simulation
//! checks after every trial; the run then stops, drops its unfinished output
//! and the binary exits with status 130.

use std::sync::atomic::{AtomicBool, Ordering};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler (once) and returns the flag it sets.
pub fn cancel_flag() -> &'static AtomicBool {
    // Failing to install (a handler already set) leaves the default behaviour:
    // the process dies and the staged output is left as a hidden `.partial` folder.
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
    &INTERRUPTED
}

/// True once a signal has arrived.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}
