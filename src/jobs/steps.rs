//! What a job reports to after each batch: progress, the checkpoint timer
//! and store, and the cancel token.

use std::io;

use serde::Serialize;

use crate::shard::CheckpointTimer;

use super::cancel::Cancel;

/// The driver's side of a running job.
pub struct Steps<'a, P> {
    /// When checkpoints are due.
    pub timer: &'a mut CheckpointTimer,
    /// Saves a checkpoint of everything done so far.
    pub save: &'a dyn Fn(&P) -> io::Result<()>,
    /// Receives the units done of the range.
    pub progress: &'a mut dyn FnMut(u64),
    /// Asks the job to stop.
    pub cancel: Cancel<'a>,
}

impl<P: Serialize> Steps<'_, P> {
    /// After a batch: `done` units of the range are finished and `p` holds
    /// them; saves a checkpoint when one is due.
    pub fn batch(&mut self, done: u64, p: &P) -> io::Result<()> {
        (self.progress)(done);
        if self.timer.due() {
            (self.save)(p)?;
        }
        Ok(())
    }

    /// True once the job should stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.is_set()
    }
}
