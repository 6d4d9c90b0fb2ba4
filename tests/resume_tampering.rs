//! `--resume` never trusts an edited checkpoint: counts that do not add up
//! to the trials completed, a `completed` that disagrees with the aggregate
//! or with the rows of the checkpoint's `trials.csv`, and rows missing or
//! edited, are refused with exit status 2 and a message naming the file;
//! the checkpoint is kept.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use assert_cmd::Command;
use brink::jobs::Cancel;
use brink::jobs::run::{RunOptions, run_scenario};
use brink::shard::Durability;
use serde_json::{Value, json};

fn scenario_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shards/uncertain.toml")
}

const CHECKPOINT: &str = ".uncertain.checkpoint";

/// A run of 5003 trials cancelled after its first batch, leaving a
/// checkpoint of 4096 trials in `out`.
fn interrupted(out: &Path) {
    let (scenario, _) = brink::scenario::load(&scenario_path()).unwrap();
    let cancel = AtomicBool::new(false);
    let opts = RunOptions {
        trials: Some(5003),
        seed: None,
        threads: 1,
        out_root: out.to_path_buf(),
        command: vec!["brink".into()],
        plots: false,
        precision: None,
        durability: Durability {
            shard: None,
            checkpoint_every: Some(Duration::from_secs(3600)),
            resume: false,
        },
        format: brink::export::Format::Csv,
        spread: Default::default(),
        given: Vec::new(),
        no_trials_table: false,
    };
    let r = run_scenario(
        &scenario,
        &opts,
        &mut |done| cancel.store(done >= 1024, Ordering::Relaxed),
        Cancel::on(&cancel),
    )
    .unwrap();
    assert!(r.cancelled);
}

fn resume(out: &Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("brink")
        .unwrap()
        .arg("run")
        .arg(scenario_path())
        .args(["--trials", "5003", "--threads", "1", "--quiet"])
        .args([
            "--checkpoint-every",
            "3600",
            "--resume",
            "--no-plots",
            "--out",
        ])
        .arg(out)
        .assert()
}

fn checkpoint(out: &Path) -> Value {
    serde_json::from_slice(&fs::read(out.join(CHECKPOINT).join("checkpoint.json")).unwrap())
        .unwrap()
}

/// A checkpoint edited by `edit` is refused with a message holding every
/// part of `message`, and kept as it was.
fn refused(tag: &str, edit: impl FnOnce(&Path), message: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join(tag);
    interrupted(&out);
    edit(&out);
    let before = (
        fs::read(out.join(CHECKPOINT).join("checkpoint.json")).unwrap(),
        fs::read(out.join(CHECKPOINT).join("trials.csv")).unwrap(),
    );
    let a = resume(&out).code(2);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    for m in message {
        assert!(stderr.contains(m), "{tag}: `{m}` not in: {stderr}");
    }
    assert!(stderr.contains("hint:"), "{stderr}");
    let after = (
        fs::read(out.join(CHECKPOINT).join("checkpoint.json")).unwrap(),
        fs::read(out.join(CHECKPOINT).join("trials.csv")).unwrap(),
    );
    assert!(before == after, "{tag}: the checkpoint is kept as it was");
    assert!(!out.join("uncertain").exists(), "{tag}: no result");
}

fn edit_state(out: &Path, f: impl FnOnce(&mut Value)) {
    let mut v = checkpoint(out);
    f(&mut v["state"]);
    fs::write(
        out.join(CHECKPOINT).join("checkpoint.json"),
        serde_json::to_vec(&v).unwrap(),
    )
    .unwrap();
}

#[test]
fn an_untouched_checkpoint_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    interrupted(tmp.path());
    assert_eq!(checkpoint(tmp.path())["state"]["done"]["completed"], 4096);
    resume(tmp.path()).success();
    let csv = fs::read_to_string(tmp.path().join("uncertain/trials.csv")).unwrap();
    assert_eq!(csv.lines().count(), 5004);
}

#[test]
fn edited_checkpoint_counts_are_refused() {
    // More outcomes than trials.
    refused(
        "outcomes",
        |out| {
            edit_state(out, |s| {
                let c = &mut s["done"]["aggregate"]["outcome_counts"][0];
                *c = json!(c.as_u64().unwrap() + 5000);
            })
        },
        &["checkpoint.json", "outcome counts add up to 9096, not 4096"],
    );
    // A count that would wrap.
    refused(
        "wrap",
        |out| {
            edit_state(out, |s| {
                s["done"]["aggregate"]["max_rung_counts"][0] = json!(u64::MAX)
            })
        },
        &["checkpoint.json", "more than"],
    );
}

#[test]
fn a_reduced_completed_count_is_refused() {
    // `completed` alone: the aggregate disagrees.
    refused(
        "completed",
        |out| edit_state(out, |s| s["done"]["completed"] = json!(3000)),
        &["checkpoint.json", "4096 trials, not 3000"],
    );
    // `completed` and the aggregate's count: the counts disagree.
    refused(
        "both",
        |out| {
            edit_state(out, |s| {
                s["done"]["completed"] = json!(3000);
                s["done"]["aggregate"]["trials"] = json!(3000);
            })
        },
        &["checkpoint.json", "not 3000"],
    );
}

#[test]
fn a_checkpoint_trials_csv_that_disagrees_is_refused() {
    // Rows cut off, with the recorded length cut to match.
    refused(
        "cut",
        |out| {
            let path = out.join(CHECKPOINT).join("trials.csv");
            let csv = fs::read_to_string(&path).unwrap();
            let keep: usize = csv.lines().take(2049).map(|l| l.len() + 1).sum();
            edit_state(out, |s| s["trials_csv_bytes"] = json!(keep));
        },
        &["trials.csv", "2048 rows, not 4096"],
    );
    // A row repeated in place of another.
    refused(
        "repeated",
        |out| {
            let path = out.join(CHECKPOINT).join("trials.csv");
            let csv = fs::read_to_string(&path).unwrap();
            let mut lines: Vec<&str> = csv.lines().collect();
            lines[100] = lines[99];
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            fs::write(&path, &text).unwrap();
            edit_state(out, |s| s["trials_csv_bytes"] = json!(text.len()));
        },
        &["trials.csv", "not trial 99"],
    );
    // The last row checkpointed, edited where no total sees it (its talks flag).
    refused(
        "final",
        |out| {
            let path = out.join(CHECKPOINT).join("trials.csv");
            let csv = fs::read_to_string(&path).unwrap();
            let mut lines: Vec<String> = csv.lines().take(4097).map(String::from).collect();
            let last = lines.pop().unwrap();
            let mut fields: Vec<&str> = last.split(',').collect();
            let flipped = if fields[10] == "0" { "1" } else { "0" };
            fields[10] = flipped;
            lines.push(fields.join(","));
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            fs::write(&path, &text).unwrap();
            edit_state(out, |s| s["trials_csv_bytes"] = json!(text.len()));
        },
        &["trials.csv", "trial 4095", "when run again"],
    );
    // Longer than its file.
    refused(
        "long",
        |out| edit_state(out, |s| s["trials_csv_bytes"] = json!(1u64 << 40)),
        &["trials.csv", "bytes but its checkpoint recorded"],
    );
}
