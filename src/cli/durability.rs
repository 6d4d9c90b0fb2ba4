//! `--shard`, `--shards`, `--resume` and `--checkpoint-every`, resolved into
//! [`Durability`].

use std::path::Path;
use std::time::Duration;

use brink::export::Format;
use brink::shard::{CheckpointStore, Durability, Shard};

use super::args::DurabilityArgs;

/// The options as the library takes them; a message for bad input. A
/// shard writes its tables as CSV, so `format` must be CSV to shard.
pub fn resolve(a: &DurabilityArgs, format: Format) -> Result<Durability, String> {
    if a.shard.is_some() && format != Format::Csv {
        return Err(format!(
            "--shard cannot be combined with --format {}: shards and `brink merge` \
             write CSV tables only\n  = hint: shard with --format csv (the default), \
             or run without --shard",
            format.name()
        ));
    }
    let shard = match a.shard.as_deref() {
        None => None,
        Some("auto") => Some(Shard::from_env(&|name| std::env::var(name).ok(), a.shards)?),
        Some(text) => {
            if a.shards.is_some() {
                return Err("--shards goes with --shard auto; --shard I/N names the count".into());
            }
            Some(Shard::parse(text)?)
        }
    };
    let every = a.checkpoint_every;
    if !(0.0..=1e9).contains(&every) {
        return Err(format!(
            "--checkpoint-every {every} is not a number of seconds (0 saves after every batch)"
        ));
    }
    Ok(Durability {
        shard,
        checkpoint_every: Some(Duration::from_secs_f64(every)),
        resume: a.resume,
    })
}

/// Bytes held by the files under `dir` (0 when it cannot be read).
fn folder_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => folder_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// After a failure (a full disk, say), tells what is left behind for
/// `out_root/<name>`: the checkpoint, with its size, which `--resume`
/// continues from and which may be removed to free the space.
pub fn note_leftovers(out_root: &Path, name: &str) {
    let store = CheckpointStore::beside(out_root, name);
    if !store.dir().exists() {
        return;
    }
    eprintln!(
        "note: {} ({}) holds the work done so far: free space and run again with --resume \
         to continue, or remove it",
        store.dir().display(),
        brink::limits::human_bytes(u128::from(folder_bytes(store.dir())))
    );
}

/// Tells what will happen to a checkpoint an earlier run left for
/// `out_root/<name>`.
pub fn note_checkpoint(out_root: &Path, name: &str, d: &Durability, quiet: bool) {
    let store = CheckpointStore::beside(out_root, name);
    if quiet || !store.exists() {
        return;
    }
    if d.resume {
        eprintln!("note: resuming from {}", store.dir().display());
    } else {
        eprintln!(
            "note: starting afresh; discarding the checkpoint an interrupted run left in {} \
             (pass --resume \
         to continue it)",
            store.dir().display()
        );
    }
}
