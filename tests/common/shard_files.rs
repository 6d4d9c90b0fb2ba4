//! Editing a shard folder as someone covering their tracks would: its
//! `shard.json`, and a data file with its size and hash fixed to match.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The shard's `shard.json`.
pub fn manifest(dir: &Path) -> Value {
    serde_json::from_slice(&fs::read(dir.join("shard.json")).unwrap()).unwrap()
}

/// Replaces the shard's `shard.json`.
pub fn write_manifest(dir: &Path, m: &Value) {
    fs::write(dir.join("shard.json"), serde_json::to_vec(m).unwrap()).unwrap();
}

/// Writes data file `name` of a shard and fixes its size and sha256 in
/// `shard.json`.
pub fn write_rehashed(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).unwrap();
    let mut m = manifest(dir);
    let sha: String = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    for f in m["files"].as_array_mut().unwrap() {
        if f["path"] == name {
            f["bytes"] = json!(bytes.len());
            f["sha256"] = json!(sha);
        }
    }
    write_manifest(dir, &m);
}
