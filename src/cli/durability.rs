//! `--shard`, `--shards`, `--resume` and `--checkpoint-every`, resolved into
//! [`Durability`].

use std::path::Path;
use std::time::Duration;

use brink::shard::{CheckpointStore, Durability, Shard};

use super::args::DurabilityArgs;

/// The options as the library takes them; a message for bad input.
pub fn resolve(a: &DurabilityArgs) -> Result<Durability, String> {
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
             (pass --resume to continue it)",
            store.dir().display()
        );
    }
}
