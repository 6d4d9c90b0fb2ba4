//! `--format parquet`: every table of a result is `<name>.parquet`, listed in
//! the manifest, and its bytes depend only on the rows: not on the thread
//! count, on where checkpoints fell, or on an interruption and `--resume`.
//! Shards keep their `trials.parquet`, and `merge` joins them into the
//! bytes of the unsharded run.

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
        spread: Default::default(),
        given: Vec::new(),
        no_trials_table: false,
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

/// The files of a result folder, by relative path, but for the manifest's
/// and report's command line (a merge records `brink merge`).
fn result_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let mut bytes = fs::read(&p).unwrap();
            if name == "manifest.json" {
                let mut m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                m.as_object_mut().unwrap().remove("command");
                bytes = serde_json::to_vec(&m).unwrap();
            }
            (name, bytes)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn parquet_shards_merge_to_the_unsharded_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    run_cli(&single, &[]);
    let shards = tmp.path().join("shards");
    // Shard boundaries (46,667 and 93,334) fall inside the row groups.
    for i in 0..3 {
        run_cli(&shards, &["--shard", &format!("{i}/3")]);
    }
    let mut dirs: Vec<PathBuf> = fs::read_dir(&shards)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 3);
    for d in &dirs {
        assert!(
            d.join("trials.parquet").is_file(),
            "{} keeps trials.parquet",
            d.display()
        );
        assert!(!d.join("trials.csv").exists());
    }
    let merged = tmp.path().join("merged");
    brink()
        .arg("merge")
        .args(&dirs)
        .args(["--no-plots", "--quiet", "--out"])
        .arg(&merged)
        .assert()
        .success();
    let (a, b) = (
        result_files(&single.join("muscat-2026")),
        result_files(&merged.join("muscat-2026")),
    );
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b));
    assert!(names(&a).contains(&"trials.parquet".to_string()));
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{name} differs between the merge and the single run"
        );
    }
}

#[test]
fn a_parquet_shard_is_not_merged_with_a_csv_shard() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("shards");
    let shard = |i: u32, format: &str| {
        brink()
            .args(["run", BASE, "--trials", "2000", "--quiet", "--no-plots"])
            .args(["--shard", &format!("{i}/2"), "--format", format, "--out"])
            .arg(&out)
            .assert()
            .success();
    };
    shard(0, "parquet");
    shard(1, "csv");
    merge_is_refused(&shard_dirs(&out), tmp.path(), "tables as parquet vs csv");
}

/// The shard folders under `out`, in name order.
fn shard_dirs(out: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    dirs
}

/// Merging `dirs` into a folder under `tmp` fails with exit status 2 and a
/// message holding `message`.
fn merge_is_refused(dirs: &[PathBuf], tmp: &Path, message: &str) {
    brink()
        .arg("merge")
        .args(dirs)
        .args(["--quiet", "--out"])
        .arg(tmp.join("merged"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(message));
}

#[test]
fn an_edited_parquet_shard_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("shards");
    for i in 0..2 {
        brink()
            .args(["run", BASE, "--trials", "2000", "--quiet", "--no-plots"])
            .args(["--shard", &format!("{i}/2"), "--format", "parquet", "--out"])
            .arg(&out)
            .assert()
            .success();
    }
    let dirs = shard_dirs(&out);
    // The second shard's table replaced by the first's: a valid Parquet
    // file, of the wrong size and hash.
    fs::copy(
        dirs[0].join("trials.parquet"),
        dirs[1].join("trials.parquet"),
    )
    .unwrap();
    merge_is_refused(&dirs, tmp.path(), "trials.parquet");
}

#[test]
fn reports_name_the_tables_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .args([
            "discover", BASE, "--trials", "1500", "--quiet", "--format", "parquet",
        ])
        .arg("--out")
        .arg(tmp.path())
        .assert()
        .success();
    let dir = tmp.path().join("discover-muscat-2026-war_ongoing");
    assert!(dir.join("discovery.parquet").is_file());
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("<code>discovery.parquet</code>"));
    assert!(!html.contains("discovery.csv"));
    brink()
        .args([
            "calibrate",
            BASE,
            "--targets",
            "scenarios/targets/muscat-2026-experts.toml",
        ])
        .args(["--samples", "60", "--trials-per-sample", "40", "--quiet"])
        .args(["--format", "parquet", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    let dir = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("calibrat")
        })
        .unwrap();
    assert!(dir.join("samples.parquet").is_file());
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(
        html.contains("<code>accepted.parquet</code>")
            || html.contains("<code>samples.parquet</code>")
    );
    assert!(!html.contains("samples.csv") && !html.contains("accepted.csv"));
}

#[test]
fn a_sweep_sharded_in_parquet_merges_to_parquet() {
    let tmp = tempfile::tempdir().unwrap();
    let sweep = |out: &Path, extra: &[&str]| {
        brink()
            .args(["sweep", BASE, "--param", "actors.iran.reciprocity"])
            .args(["--range", "0:1.6:3", "--trials", "300", "--quiet"])
            .args(["--no-plots", "--format", "parquet", "--out"])
            .arg(out)
            .args(extra)
            .assert()
            .success();
    };
    let single = tmp.path().join("single");
    sweep(&single, &[]);
    let shards = tmp.path().join("shards");
    for i in 0..2 {
        sweep(&shards, &["--shard", &format!("{i}/2")]);
    }
    let mut dirs: Vec<PathBuf> = fs::read_dir(&shards)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let merged = tmp.path().join("merged");
    brink()
        .arg("merge")
        .args(&dirs)
        .args(["--no-plots", "--quiet", "--out"])
        .arg(&merged)
        .assert()
        .success();
    let name = "sweep-muscat-2026-actors-iran-reciprocity";
    let (a, b) = (
        result_files(&single.join(name)),
        result_files(&merged.join(name)),
    );
    assert!(a.iter().any(|f| f.0 == "sweep.parquet"));
    assert_eq!(a, b, "the merged sweep differs from the single one");
}
