//! The one job abstraction: work split into numbered units (trials,
//! design points, samples), run over a range into an exact partial
//! aggregate that a checkpoint saves and a shard writes, and assembled
//! into the command's result. Partials of consecutive ranges append into
//! the partial of their union, which is why a sharded or resumed job ends
//! with the bytes of one uninterrupted run.

use std::io;
use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::output::ResultFolder;
use crate::scenario::Scenario;
use crate::shard::WorkId;
use crate::shard::data::{PARTIAL_JSON, file_label, parse, read_verified};
use crate::shard::manifest::ShardDir;

use super::steps::Steps;

/// How a call to [`Job::advance`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advanced {
    /// The range is done (or a stopping rule ended it early).
    Finished,
    /// Stopped by the cancel token; the partial holds what was finished.
    Cancelled,
}

/// What the files of a finished job need besides its result.
#[derive(Debug, Clone, Copy)]
pub struct Finish<'a> {
    /// The command line, for the manifest.
    pub command: &'a [String],
    /// Draw the plots and write the report.
    pub plots: bool,
    /// The format of the result's tables.
    pub format: crate::export::Format,
}

/// A piece of work of one of brink's commands.
pub trait Job {
    /// The exact aggregate of the units done from the start of a range:
    /// what a checkpoint saves and a shard writes (`partial.json`).
    type Partial: Serialize + DeserializeOwned;
    /// The result of the whole work.
    type Output;

    /// The identity of the work: shards merge, and checkpoints resume,
    /// only into work with the same identity.
    fn work(&self) -> &WorkId;

    /// The (first) scenario, whose path a shard's manifest records.
    fn scenario(&self) -> &Scenario;

    /// Other input files a merge reads again (the other scenarios of a
    /// comparison, the targets of a calibration).
    fn inputs(&self) -> Vec<PathBuf> {
        Vec::new()
    }

    /// Units in the whole work.
    fn units(&self) -> u64;

    /// Nothing done yet.
    fn fresh(&self) -> Self::Partial;

    /// Units done of a partial.
    fn completed(&self, p: &Self::Partial) -> u64;

    /// The largest JSON size of a partial of `units` units, the limit its
    /// checkpoint or shard file is read through.
    fn max_partial_bytes(&self, units: u64) -> u64;

    /// Checks a partial read back (from a checkpoint or a shard) of the
    /// range `units`: at most its length done, consistent tallies that fit
    /// this work. Says what is wrong.
    fn check(&self, p: &Self::Partial, units: &Range<u64>) -> Result<(), String>;

    /// Runs the units of `units` not yet in `p` into it, reporting to
    /// `steps` after each batch (progress, checkpoints) and stopping when
    /// it is cancelled.
    fn advance(
        &self,
        units: &Range<u64>,
        p: &mut Self::Partial,
        steps: &mut Steps<'_, Self::Partial>,
    ) -> io::Result<Advanced>;

    /// Appends the partial of the range just after `total`'s.
    fn append(&self, total: &mut Self::Partial, next: Self::Partial);

    /// Assembles the result from the partial of all units, writes its
    /// files into `folder` and commits it; returns it and its folder.
    fn finish(
        &self,
        p: Self::Partial,
        folder: ResultFolder,
        f: Finish<'_>,
    ) -> io::Result<(Self::Output, PathBuf)>;

    /// Writes the data files of a shard that did the units of `p` into
    /// its shard folder: by default the partial as `partial.json`.
    fn write_shard(&self, p: &Self::Partial, folder: &ResultFolder) -> io::Result<()> {
        folder.compact_json(PARTIAL_JSON, p)
    }

    /// Reads back the partial of a shard folder (its files checked against
    /// its manifest), refusing as bad input one that fails [`Job::check`]
    /// or does not hold exactly the units of its range. By default from
    /// `partial.json`.
    fn read_shard(&self, s: &ShardDir) -> io::Result<Self::Partial> {
        let units = s.manifest.units();
        let len = units.end - units.start;
        let limit = self.max_partial_bytes(len).saturating_add(1024);
        let p: Self::Partial = parse(s, PARTIAL_JSON, &read_verified(s, PARTIAL_JSON, limit)?)?;
        let bad = |why: String| {
            crate::shard::bad_input(
                format!("{} is inconsistent: {why}", file_label(s, PARTIAL_JSON)),
                "the shard is damaged or was edited; run it again",
            )
        };
        self.check(&p, &units).map_err(bad)?;
        if self.completed(&p) != len {
            return Err(bad(format!(
                "it holds {} units, not {len}",
                self.completed(&p)
            )));
        }
        Ok(p)
    }
}
