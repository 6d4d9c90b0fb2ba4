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

/// The error for file `name` of shard `s` that no longer matches the size
/// and hash its `shard.json` lists.
pub fn changed(s: &ShardDir, name: &str) -> io::Error {
    bad_input(
        format!(
            "{name} of {} does not match the size and sha256 in its shard.json",
            s.label()
        ),
        "the file was damaged or changed after the shard ran; run the shard again",
    )
}

/// Reads JSON `bytes` of file `name` of shard `s`; a file that does not
/// parse is bad input naming the shard.
pub fn parse<T: DeserializeOwned>(s: &ShardDir, name: &str, bytes: &[u8]) -> io::Result<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        bad_input(
            format!("{name} of {} cannot be read: {e}", s.label()),
            "the shard is damaged; run it again",
        )
    })
}

/// The design points of every shard, in order: each shard's `points.json`
/// (at most `each` bytes a point) must hold exactly the points of its
/// range, each passing `check`.
pub fn read_points<T: DeserializeOwned>(
    shards: &[ShardDir],
    each: u64,
    check: impl Fn(&T) -> Result<(), String>,
) -> io::Result<Vec<T>> {
    let mut all = Vec::new();
    for s in shards {
        let want = s.manifest.range[1] - s.manifest.range[0];
        let limit = want.saturating_mul(each).saturating_add(1024);
        let v: Vec<T> = parse(s, POINTS_JSON, &read_verified(s, POINTS_JSON, limit)?)?;
        let bad = |why: String| {
            bad_input(
                format!("{} is inconsistent: {why}", file_label(s, POINTS_JSON)),
                "the shard is damaged or was edited; run it again",
            )
        };
        if v.len() as u64 != want {
            return Err(bad(format!("it holds {} points, not {want}", v.len())));
        }
        for (k, p) in v.iter().enumerate() {
            check(p).map_err(|e| bad(format!("its point {k}: {e}")))?;
        }
        all.extend(v);
    }
    Ok(all)
}
