//! compare, discover and calibrate as jobs: merged shards, and runs
//! cancelled (through the cancel flag) or killed by SIGTERM then resumed,
//! write exactly the bytes of one uninterrupted run. (`tests/shards.rs`
//! proves the same of run, sweep and sensitivity.)

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin;
use brink::analysis::calibrate::CalibrateOptions;
use brink::analysis::targets::load_targets;
use brink::jobs::calibrate::CalibrateJob;
use brink::jobs::compare::{CompareOptions, compare};
use brink::jobs::discover::DiscoverJob;
use brink::jobs::{Cancel, Job, JobOptions, JobRun, drive};
use brink::model::Model;
use brink::scenario::Scenario;
use brink::shard::Durability;
use brink::stats::prim::PrimOptions;
use brink::world::Outcome;
use common::{files, without_command};
use predicates::prelude::*;

/// Variables that `--shard auto` reads, cleared so that the tests behave
/// the same inside a scheduler's job.
const SCHEDULER_VARS: [&str; 3] = [
    "SLURM_ARRAY_TASK_ID",
    "JOB_COMPLETION_INDEX",
    "BRINK_SHARDS",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped(name: &str) -> PathBuf {
    root().join(format!("scenarios/{name}.toml"))
}

fn targets() -> PathBuf {
    root().join("scenarios/targets/muscat-2026-experts.toml")
}

fn load(path: &Path) -> Scenario {
    brink::scenario::load(path).unwrap().0
}

fn brink() -> Command {
    let mut c = Command::cargo_bin("brink").unwrap();
    for v in SCHEDULER_VARS {
        c.env_remove(v);
    }
    c
}

/// The manifest without its command line (the one field that may differ).
fn manifest_without_command(bytes: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    v.as_object_mut().unwrap().remove("command");
    v["files"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["path"] != "report.html");
    v
}

/// Asserts that two result folders hold the same files with the same
/// bytes, except the command line in the manifest and in the report.
fn assert_same_result(expected: &Path, actual: &Path, what: &str) {
    let (a, b) = (files(expected), files(actual));
    assert!(!a.is_empty(), "{what}: {} holds files", expected.display());
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: the same files"
    );
    for (name, bytes) in &a {
        match name.as_str() {
            "manifest.json" => assert_eq!(
                manifest_without_command(bytes),
                manifest_without_command(&b[name]),
                "{what}: manifest.json lists other hashes"
            ),
            "report.html" => assert!(
                without_command(bytes) == without_command(&b[name]),
                "{what}: report.html differs beyond its command line"
            ),
            _ => assert!(bytes == &b[name], "{what}: {name} differs"),
        }
    }
}

/// Checkpoints only when cancelled (the interval is an hour).
fn on_cancel(resume: bool) -> Durability {
    Durability {
        shard: None,
        checkpoint_every: Some(Duration::from_secs(3600)),
        resume,
    }
}

fn saved_state(checkpoint: &Path) -> serde_json::Value {
    let text = fs::read(checkpoint.join("checkpoint.json")).unwrap();
    serde_json::from_slice::<serde_json::Value>(&text).unwrap()["state"].clone()
}

// ---- cancelled through the flag, then resumed (library) ----

#[test]
fn cancelled_comparison_resumes_to_the_uninterrupted_result() {
    let scenarios = [load(&shipped("muscat-2026")), load(&shipped("no-oman"))];
    let tmp = tempfile::tempdir().unwrap();
    let opts = |out: &Path, durability: Durability| CompareOptions {
        trials: Some(10_007),
        seed: Some(5),
        threads: 1,
        out_root: out.to_path_buf(),
        command: vec!["brink".into()],
        precision: None,
        plots: false,
        durability,
        format: brink::export::Format::Csv,
        at: Vec::new(),
        given: Vec::new(),
    };
    let out = tmp.path().join("resumed");
    let cancel = AtomicBool::new(false);
    let r = compare(
        &scenarios,
        &opts(&out, on_cancel(false)),
        &mut |done| cancel.store(done >= 1024, Ordering::Relaxed),
        Cancel::on(&cancel),
    )
    .unwrap();
    assert_eq!(r, JobRun::Cancelled);
    let dir = "compare-muscat-2026-vs-no-oman";
    assert!(
        !out.join(dir).exists(),
        "nothing written but the checkpoint"
    );
    let checkpoint = out.join(format!(".{dir}.checkpoint"));
    let done = saved_state(&checkpoint)["completed"].as_u64().unwrap();
    assert_eq!(done, 4096, "one batch of four chunks on one thread");
    let r = compare(
        &scenarios,
        &opts(&out, on_cancel(true)),
        &mut |_| {},
        Cancel::never(),
    );
    assert!(matches!(r.unwrap(), JobRun::Done { .. }));
    assert!(
        !checkpoint.exists(),
        "checkpoint removed with the result in place"
    );
    let single = tmp.path().join("single");
    let whole = opts(&single, Durability::default());
    compare(&scenarios, &whole, &mut |_| {}, Cancel::never()).unwrap();
    assert_same_result(&single.join(dir), &out.join(dir), "resumed comparison");
}

/// Runs `job` into `out` with `durability`, cancelled once `cancel_at`
/// units are done (never with `None`).
fn run_job<J: Job>(
    job: &J,
    out: &Path,
    durability: Durability,
    cancel_at: Option<u64>,
) -> JobRun<J::Output> {
    let command = vec!["brink".to_string()];
    let opts = JobOptions {
        out_root: out,
        command: &command,
        plots: true,
        durability,
        format: brink::export::Format::Csv,
    };
    let flag = AtomicBool::new(false);
    let mut progress = |done: u64| {
        if cancel_at.is_some_and(|at| done >= at) {
            flag.store(true, Ordering::Relaxed);
        }
    };
    drive(job, &opts, &mut progress, Cancel::on(&flag)).unwrap()
}

/// Cancels `job` once `cancel_at` units are done, resumes it, and checks
/// the result against an uninterrupted run's. Returns the units the
/// checkpoint held.
fn cancel_and_resume<J: Job>(job: &J, cancel_at: u64, units_saved: &str) -> u64 {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("resumed");
    let dir = job.work().output();
    assert!(matches!(
        run_job(job, &out, on_cancel(false), Some(cancel_at)),
        JobRun::Cancelled
    ));
    assert!(
        !out.join(&dir).exists(),
        "nothing written but the checkpoint"
    );
    let checkpoint = out.join(format!(".{dir}.checkpoint"));
    let state = saved_state(&checkpoint);
    let saved = match &state[units_saved] {
        serde_json::Value::Array(v) => v.len() as u64,
        v => v.as_u64().unwrap(),
    };
    assert!(
        saved >= cancel_at && saved < job.units(),
        "cancelled midway: {saved} of {} units saved",
        job.units()
    );
    assert!(matches!(
        run_job(job, &out, on_cancel(true), None),
        JobRun::Done { .. }
    ));
    assert!(
        !checkpoint.exists(),
        "checkpoint removed with the result in place"
    );
    let single = tmp.path().join("single");
    run_job(job, &single, Durability::default(), None);
    assert_same_result(&single.join(&dir), &out.join(&dir), &dir);
    saved
}

#[test]
fn cancelled_discovery_resumes_to_the_uninterrupted_result() {
    let s = load(&shipped("muscat-2026"));
    let model = Model::compile(&s);
    let prim = PrimOptions {
        min_coverage: 0.4,
        ..PrimOptions::default()
    };
    let job = DiscoverJob::new(&s, &model, Outcome::WarOngoing, 9, 9_001, 1, prim).unwrap();
    let saved = cancel_and_resume(&job, 1, "completed");
    assert_eq!(saved % 1024, 0, "whole chunks saved");
}

#[test]
fn cancelled_calibration_resumes_to_the_uninterrupted_result() {
    let s = load(&shipped("muscat-2026"));
    let model = Model::compile(&s);
    let t = load_targets(&targets(), s.horizon).unwrap();
    let opts = CalibrateOptions {
        samples: 150,
        trials_per_sample: 25,
        seed: 4,
        threads: 1,
        min_accepted: 100,
    };
    let job = CalibrateJob::new(&s, &model, &t, &targets(), opts).unwrap();
    assert_eq!(
        cancel_and_resume(&job, 1, "hits"),
        64,
        "one batch of samples"
    );
}

// ---- shards merged (command line) ----

/// Runs `args` whole (on two threads), and in `n` shards (in reverse
/// order, on one thread) merged; the two result folders `dir` must hold
/// the same bytes.
fn shards_merge_to_the_whole(args: &[&str], n: u32, dir: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    brink()
        .args(args)
        .args(["--quiet", "--threads", "2", "--out"])
        .arg(&whole)
        .assert()
        .success();
    let shards = tmp.path().join("shards");
    let mut dirs = Vec::new();
    for i in (0..n).rev() {
        brink()
            .args(args)
            .args(["--threads", "1", "--shard", &format!("{i}/{n}"), "--out"])
            .arg(&shards)
            .assert()
            .success()
            .stdout(predicate::str::contains(format!("shard {i}/{n}")));
        dirs.push(shards.join(format!("{dir}.shard-{i}-of-{n}")));
    }
    let merged = tmp.path().join("merged");
    brink()
        .arg("merge")
        .args(&dirs)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("merged {n} shards")));
    assert_same_result(&whole.join(dir), &merged.join(dir), dir);
}

#[test]
fn comparison_shards_merge_to_the_unsharded_result() {
    let (a, b) = (shipped("muscat-2026"), shipped("second-carrier"));
    let args = [
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--trials",
        "5003",
    ];
    shards_merge_to_the_whole(&args, 3, "compare-muscat-2026-vs-second-carrier");
}

#[test]
fn discovery_shards_merge_to_the_unsharded_result() {
    let s = shipped("muscat-2026");
    let args = [
        "discover",
        s.to_str().unwrap(),
        "--trials",
        "3001",
        "--seed",
        "3",
    ];
    shards_merge_to_the_whole(&args, 3, "discover-muscat-2026-war_ongoing");
}

#[test]
fn calibration_shards_merge_to_the_unsharded_result() {
    let (s, t) = (shipped("muscat-2026"), targets());
    let args = [
        "calibrate",
        s.to_str().unwrap(),
        "--targets",
        t.to_str().unwrap(),
        "--samples",
        "130",
        "--trials-per-sample",
        "20",
    ];
    shards_merge_to_the_whole(&args, 2, "calibrate-muscat-2026");
}

#[test]
fn merge_refuses_a_calibration_whose_targets_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path().join("targets.toml");
    fs::copy(targets(), &t).unwrap();
    let s = shipped("muscat-2026");
    let shards = tmp.path().join("shards");
    for i in 0..2 {
        brink()
            .args(["calibrate", s.to_str().unwrap(), "--targets"])
            .arg(&t)
            .args(["--samples", "20", "--trials-per-sample", "5", "--quiet"])
            .args(["--shard", &format!("{i}/2"), "--out"])
            .arg(&shards)
            .assert()
            .success();
    }
    let mut text = fs::read_to_string(&t).unwrap();
    text.push_str("\n# edited\n");
    fs::write(&t, text).unwrap();
    brink()
        .arg("merge")
        .arg(shards.join("calibrate-muscat-2026.shard-0-of-2"))
        .arg(shards.join("calibrate-muscat-2026.shard-1-of-2"))
        .arg("--out")
        .arg(tmp.path().join("merged"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("targets sha256"));
    assert!(!tmp.path().join("merged/calibrate-muscat-2026").exists());
}

// ---- killed by SIGTERM, then resumed (command line) ----

/// Starts `args` into `out` on one thread with a checkpoint after every
/// batch, sends SIGTERM once it is at work, and checks that it stops
/// promptly, says so, exits 130 and leaves only its checkpoint. Then
/// resumes it to the end and compares with an uninterrupted run.
#[cfg(unix)]
fn sigterm_then_resume(args: &[&str], dir: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("killed");
    let checkpoint = out.join(format!(".{dir}.checkpoint"));
    let mut c = std::process::Command::new(cargo_bin("brink"));
    for v in SCHEDULER_VARS {
        c.env_remove(v);
    }
    let child = c
        .args(args)
        .args(["--threads", "1", "--checkpoint-every", "0", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !checkpoint.exists() {
        assert!(started.elapsed() < Duration::from_secs(30), "never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let killed = Instant::now();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(killed.elapsed() < Duration::from_secs(10), "slow to stop");
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(stderr.contains("--resume"), "{stderr}");
    assert!(checkpoint.join("checkpoint.json").exists(), "progress kept");
    assert!(!out.join(dir).exists(), "no result after the signal");

    // A checkpoint of other work is refused, and kept.
    brink()
        .args(args)
        .args(["--resume", "--seed", "5", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("vs 5"));
    assert!(checkpoint.join("checkpoint.json").exists());

    brink()
        .args(args)
        .args(["--resume", "--quiet", "--threads", "2", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(
        !checkpoint.exists(),
        "checkpoint removed with the result in place"
    );
    let single = tmp.path().join("single");
    brink()
        .args(args)
        .args(["--quiet", "--out"])
        .arg(&single)
        .assert()
        .success();
    assert_same_result(&single.join(dir), &out.join(dir), dir);
}

#[cfg(unix)]
#[test]
fn comparison_killed_by_sigterm_resumes_to_the_same_bytes() {
    let (a, b) = (shipped("muscat-2026"), shipped("no-oman"));
    let args = [
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--trials",
        "24000",
        "--no-plots",
    ];
    sigterm_then_resume(&args, "compare-muscat-2026-vs-no-oman");
}

#[cfg(unix)]
#[test]
fn discovery_killed_by_sigterm_resumes_to_the_same_bytes() {
    let s = shipped("muscat-2026");
    let args = [
        "discover",
        s.to_str().unwrap(),
        "--trials",
        "30000",
        "--no-plots",
    ];
    sigterm_then_resume(&args, "discover-muscat-2026-war_ongoing");
}

#[cfg(unix)]
#[test]
fn calibration_killed_by_sigterm_resumes_to_the_same_bytes() {
    let (s, t) = (shipped("muscat-2026"), targets());
    let args = [
        "calibrate",
        s.to_str().unwrap(),
        "--targets",
        t.to_str().unwrap(),
        "--samples",
        "400",
        "--trials-per-sample",
        "80",
        "--no-plots",
    ];
    sigterm_then_resume(&args, "calibrate-muscat-2026");
}
