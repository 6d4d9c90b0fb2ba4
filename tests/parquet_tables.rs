//! `--format parquet`: every table of a result is `<name>.parquet`, listed in
//! the manifest, and its bytes depend only on the rows: not on the thread
//! count, on where checkpoints fell, or on an interruption and `--resume`.
//! Sharding, which writes CSV tables only, is refused with exit status 2.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use assert_cmd::Command;
use brink::export::Format;
use brink::jobs::Cancel;
use brink::jobs::run::{RunOptions, run_scenario};
use brink::shard::Durability;

const BASE: &str = "scenarios/muscat-2026.toml";
/// More than two row groups of 65,536 rows.
const TRIALS: u64 = 140_000;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn brink() -> Command {
    let mut c = Command::cargo_bin("brink").unwrap();
    c.current_dir(root());
    c
}

fn run_cli(out: &Path, extra: &[&str]) {
    brink()
        .args(["run", BASE, "--trials", &TRIALS.to_string(), "--quiet"])
        .args(["--no-plots", "--format", "parquet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

fn options(out: &Path, every: Duration, resume: bool) -> RunOptions {
    RunOptions {
        trials: Some(TRIALS),
        seed: None,
        threads: 2,
        out_root: out.to_path_buf(),
        command: vec!["brink".into()],
        plots: false,
        precision: None,
        durability: Durability {
            shard: None,
            checkpoint_every: Some(every),
            resume,
        },
        format: Format::Parquet,
    }
}

fn scenario() -> brink::scenario::Scenario {
    brink::scenario::load(&root().join(BASE)).unwrap().0
}

#[test]
fn every_table_is_parquet_and_in_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    run_cli(tmp.path(), &[]);
    let dir = tmp.path().join("muscat-2026");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "manifest.json",
            "summary.json",
            "timeseries.parquet",
            "trials.parquet"
        ]
    );
    let manifest = fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(manifest.contains("\"trials.parquet\""), "{manifest}");
    assert!(manifest.contains("\"timeseries.parquet\""), "{manifest}");
    let bytes = fs::read(dir.join("trials.parquet")).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    assert_eq!(&bytes[bytes.len() - 4..], b"PAR1");
}

#[test]
fn bytes_do_not_depend_on_threads_or_checkpoints() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    // One thread, no checkpoint during the run: a single part.
    run_cli(&a, &["-j", "1", "--checkpoint-every", "100000"]);
    // Two threads, a checkpoint (a new part) after every batch.
    run_cli(&b, &["-j", "2", "--checkpoint-every", "0"]);
    for table in ["trials.parquet", "timeseries.parquet", "summary.json"] {
        let (x, y) = (
            fs::read(a.join("muscat-2026").join(table)).unwrap(),
            fs::read(b.join("muscat-2026").join(table)).unwrap(),
        );
        assert!(x == y, "{table} differs between the runs");
    }
    assert!(!b.join(".muscat-2026.checkpoint").exists());
}

#[test]
fn an_interrupted_run_resumes_to_the_same_bytes() {
    let s = scenario();
    let tmp = tempfile::tempdir().unwrap();
    let straight = tmp.path().join("straight");
    let r = run_scenario(
        &s,
        &options(&straight, Duration::from_secs(3600), false),
        &mut |_| {},
        Cancel::never(),
    )
    .unwrap();
    assert!(!r.cancelled);

    let resumed = tmp.path().join("resumed");
    let cancel = AtomicBool::new(false);
    // Checkpoints after every batch; stopped past the first row group.
    let r = run_scenario(
        &s,
        &options(&resumed, Duration::ZERO, false),
        &mut |done| cancel.store(done >= 70_000, Ordering::Relaxed),
        Cancel::from(Some(&cancel)),
    )
    .unwrap();
    assert!(r.cancelled);
    let parts = resumed.join(".muscat-2026.checkpoint/trials.parquet.parts");
    assert!(fs::read_dir(&parts).unwrap().count() > 1, "several parts");
    let r = run_scenario(
        &s,
        &options(&resumed, Duration::ZERO, true),
        &mut |_| {},
        Cancel::never(),
    )
    .unwrap();
    assert!(!r.cancelled);
    assert!(r.resumed >= 70_000, "resumed {} trials", r.resumed);
    for table in ["trials.parquet", "timeseries.parquet"] {
        let (x, y) = (
            fs::read(straight.join("muscat-2026").join(table)).unwrap(),
            fs::read(resumed.join("muscat-2026").join(table)).unwrap(),
        );
        assert!(x == y, "{table} differs after resuming");
    }
}

#[test]
fn a_checkpoint_is_resumed_only_in_its_own_format() {
    let s = scenario();
    let tmp = tempfile::tempdir().unwrap();
    let cancel = AtomicBool::new(false);
    let r = run_scenario(
        &s,
        &options(tmp.path(), Duration::ZERO, false),
        &mut |done| cancel.store(done >= 10_000, Ordering::Relaxed),
        Cancel::from(Some(&cancel)),
    )
    .unwrap();
    assert!(r.cancelled);
    brink()
        .args(["run", BASE, "--trials", &TRIALS.to_string(), "--quiet"])
        .args(["--no-plots", "--resume", "--format", "csv", "--out"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("holds parquet trials, not csv"))
        .stderr(predicates::str::contains("resume with --format parquet"));
    assert!(tmp.path().join(".muscat-2026.checkpoint").exists());
}

#[test]
fn sharding_with_parquet_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["run", BASE, "--trials", "100"][..],
        &[
            "sweep",
            BASE,
            "--param",
            "initial.trust",
            "--values",
            "0.1,0.2",
            "--trials",
            "100",
        ],
    ] {
        brink()
            .args(args)
            .args(["--shard", "0/2", "--format", "parquet", "--out"])
            .arg(tmp.path())
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "--shard cannot be combined with --format parquet",
            ))
            .stderr(predicates::str::contains("hint: shard with --format csv"));
    }
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}
