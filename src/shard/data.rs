//! Reading the data files of a shard folder: each checked against the
//! size and sha256 its `shard.json` lists before it is parsed.

use std::io;

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::input::read_limited;
use crate::scenario::load::to_hex;

use super::bad_input;
use super::manifest::ShardDir;

/// The trials of a run or a shard of one, one row each.
pub const TRIALS_CSV: &str = "trials.csv";
/// The exact aggregates of a run shard's trials.
pub const AGGREGATE_JSON: &str = "aggregate.json";
/// The data file of a sweep or sensitivity shard: its design points, in order.
pub const POINTS_JSON: &str = "points.json";
/// The data file of a compare, discover or calibrate shard: the exact
/// partial aggregate of its units.
pub const PARTIAL_JSON: &str = "partial.json";

/// A data file of a shard, for messages: its path and the shard.
pub fn file_label(s: &ShardDir, name: &str) -> String {
    format!(
        "{} (shard {})",
        s.path.join(name).display(),
        s.manifest.shard
    )
}

/// Reads data file `name` of a shard, a regular file of at most `limit`
/// bytes, and checks it against the size and sha256 in the manifest.
pub fn read_verified(s: &ShardDir, name: &str, limit: u64) -> io::Result<Vec<u8>> {
    let entry = s.manifest.file(name).ok_or_else(|| {
        bad_input(
            format!("{} lists no {name}", s.label()),
            "the shard is damaged; run it again",
        )
    })?;
    let bytes = read_limited(&s.path.join(name), limit).map_err(|e| {
        bad_input(
            format!("cannot read {name} of {}: {e}", s.label()),
            "the shard is damaged; run it again",
        )
    })?;
    if bytes.len() as u64 != entry.bytes || to_hex(&Sha256::digest(&bytes)) != entry.sha256 {
        return Err(changed(s, name));
    }
    Ok(bytes)
}

pub fn changed(s: &ShardDir, name: &str) -> io::Error {
    bad_input(
        format!(
            "{name} of {} does not match the size and sha256 in its shard.json",
            s.label()
        ),
        "the file was damaged or changed after the shard ran; run the shard again",
    )
}

pub fn parse<T: DeserializeOwned>(s: &ShardDir, name: &str, bytes: &[u8]) -> io::Result<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        bad_input(
            format!("{name} of {} cannot be read: {e}", s.label()),
            "the shard is damaged; run it again",
        )
    })
}
