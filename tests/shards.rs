//! Shards, merge, checkpoints and resume end to end: merged shards and
//! resumed runs write exactly the bytes of one uninterrupted run; merge
//! refuses shards that do not belong together; the shipped Slurm and
//! Kubernetes examples work.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use std::sync::atomic::{AtomicBool, Ordering};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin;
use brink::analysis::sensitivity::SensitivityOptions;
use brink::jobs::Cancel;
use brink::jobs::run::{RunOptions, run_scenario};
use brink::jobs::sensitivity::{SensitivityJob, SensitivityRun, run_sensitivity_job};
use brink::model::Model;
use brink::shard::Durability;
use common::{files, without_command};
use predicates::prelude::*;

/// Variables that `--shard auto` reads: cleared so that the tests behave
/// the same inside a Slurm job or a Kubernetes pod.
const SCHEDULER_VARS: [&str; 7] = [
    "SLURM_ARRAY_TASK_ID",
    "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_MAX",
    "SLURM_ARRAY_TASK_COUNT",
    "SLURM_ARRAY_TASK_STEP",
    "JOB_COMPLETION_INDEX",
    "BRINK_SHARDS",
];

fn brink() -> Command {
    let mut c = Command::cargo_bin("brink").unwrap();
    for v in SCHEDULER_VARS {
        c.env_remove(v);
    }
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Two uncertain parameters (so `trials.csv` has `p.` columns), and an
/// `extends` chain.
fn uncertain() -> PathBuf {
    root().join("tests/fixtures/shards/uncertain.toml")
}

fn baseline() -> PathBuf {
    root().join("scenarios/muscat-2026.toml")
}

/// The manifest without its command line (the one field that may differ).
fn manifest_without_command(bytes: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    v.as_object_mut().unwrap().remove("command");
    let files = v["files"].as_array_mut().unwrap();
    files.retain(|f| f["path"] != "report.html");
    v
}

/// Asserts that two result folders hold the same files with the same
/// bytes, except the command line in the manifest and in the report.
fn assert_same_result(expected: &Path, actual: &Path, what: &str) {
    let (a, b) = (files(expected), files(actual));
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

fn run(scenario: &Path, out: &Path, extra: &[&str]) {
    brink()
        .arg("run")
        .arg(scenario)
        .args(["--quiet", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

fn shard_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains(".shard-"))
        .collect();
    v.sort();
    v
}

fn merge(shards: &[PathBuf], out: &Path) -> assert_cmd::assert::Assert {
    brink()
        .arg("merge")
        .args(shards)
        .arg("--out")
        .arg(out)
        .assert()
}

#[test]
fn merged_shards_equal_a_single_run_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    run(
        &uncertain(),
        &single,
        &["--trials", "5003", "--threads", "2"],
    );
    for n in [1u32, 2, 3, 7] {
        let shards = tmp.path().join(format!("shards-{n}"));
        // Shards in reverse order, on one thread, to show neither matters.
        for i in (0..n).rev() {
            run(
                &uncertain(),
                &shards,
                &[
                    "--trials",
                    "5003",
                    "--threads",
                    "1",
                    "--shard",
                    &format!("{i}/{n}"),
                ],
            );
        }
        let dirs = shard_dirs(&shards);
        assert_eq!(dirs.len(), n as usize);
        let shard_files = files(&dirs[0]);
        assert_eq!(
            shard_files.keys().collect::<Vec<_>>(),
            ["aggregate.json", "shard.json", "trials.csv"],
            "a shard holds its aggregates, its trials and its manifest"
        );
        let merged = tmp.path().join(format!("merged-{n}"));
        merge(&dirs, &merged)
            .success()
            .stdout(predicate::str::contains(format!("merged {n} shards")));
        assert_same_result(
            &single.join("uncertain"),
            &merged.join("uncertain"),
            &format!("{n} shards"),
        );
    }
    let all = files(&single.join("uncertain"));
    assert!(all.contains_key("plots/outcomes.png") && all.contains_key("report.html"));
    let csv = String::from_utf8(all["trials.csv"].clone()).unwrap();
    assert_eq!(csv.lines().count(), 5004);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .contains("p_actors__west__rationality")
    );
}

#[test]
fn shard_manifest_records_what_merge_checks() {
    let tmp = tempfile::tempdir().unwrap();
    run(
        &uncertain(),
        tmp.path(),
        &["--trials", "5003", "--shard", "1/3", "--seed", "9"],
    );
    let dir = tmp.path().join("uncertain.shard-1-of-3");
    let m: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("shard.json")).unwrap()).unwrap();
    assert_eq!(m["shard"], serde_json::json!({"index": 1, "count": 3}));
    assert_eq!(m["range"], serde_json::json!([1667, 3335]));
    assert_eq!(m["total"], 5003);
    assert_eq!(m["work"]["seed"], 9);
    assert_eq!(
        m["work"]["work"],
        serde_json::json!({"kind": "run", "trials": 5003})
    );
    assert_eq!(m["work"]["brink_version"], env!("CARGO_PKG_VERSION"));
    let chain = brink::scenario::load(&uncertain()).unwrap().0.origin.sha256;
    assert_eq!(m["work"]["scenario_sha256"], chain.as_str());
    let agg: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("aggregate.json")).unwrap()).unwrap();
    assert_eq!(agg["trials"], 1668);
    let csv = fs::read_to_string(dir.join("trials.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1669);
    assert!(csv.lines().nth(1).unwrap().starts_with("1667,"));
}

/// Bad input, exit status 2, the message, and no result folder.
fn refused(shards: &[PathBuf], message: &str) {
    let out = tempfile::tempdir().unwrap();
    merge(shards, out.path())
        .code(2)
        .stderr(predicate::str::contains(message));
    assert_eq!(
        fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing written when refusing ({message})"
    );
}

#[test]
fn merge_refuses_shards_that_do_not_belong_together() {
    let tmp = tempfile::tempdir().unwrap();
    let small = root().join("tests/fixtures/snapshot/small.toml");
    let make = |dir: &str, scenario: &Path, extra: &[&str]| -> PathBuf {
        let out = tmp.path().join(dir);
        run(scenario, &out, extra);
        shard_dirs(&out).pop().unwrap()
    };
    let base = ["--trials", "3001", "--threads", "1"];
    let good: Vec<PathBuf> = (0..3)
        .map(|i| {
            make(
                &format!("good{i}"),
                &small,
                &[&base[..], &["--shard", &format!("{i}/3")]].concat(),
            )
        })
        .collect();
    let seed = make(
        "seed",
        &small,
        &[&base[..], &["--shard", "1/3", "--seed", "43"]].concat(),
    );
    let trials = make("trials", &small, &["--trials", "3002", "--shard", "1/3"]);
    let half = make("half", &small, &[&base[..], &["--shard", "0/2"]].concat());
    let edited = tmp.path().join("edited/small.toml");
    fs::create_dir_all(edited.parent().unwrap()).unwrap();
    fs::write(
        &edited,
        fs::read_to_string(&small).unwrap() + "\n# edited\n",
    )
    .unwrap();
    let other = make("other", &edited, &[&base[..], &["--shard", "1/3"]].concat());

    merge(&good, &tmp.path().join("ok")).success();
    let with = |k: usize, p: &PathBuf| {
        let mut v = good.clone();
        v[k] = p.clone();
        v
    };
    refused(&with(1, &seed), "seed 42 vs 43");
    refused(&with(1, &trials), "trials 3001 vs 3002");
    refused(&with(1, &other), "scenario sha256");
    refused(&good[..2], "missing shard(s) 2/3");
    refused(
        &[good[0].clone(), good[2].clone()],
        "do not cover trials 1000..2000",
    );
    refused(&[&good[..], &[half]].concat(), "both cover trials 0..1000");
    refused(
        &[&good[..], &good[1..2]].concat(),
        "both cover trials 1000..2000",
    );
    refused(&[tmp.path().join("good0")], "not a shard folder");

    // Another program version: one shard, then all of them.
    let copy = |from: &Path, to: &Path| {
        fs::create_dir_all(to).unwrap();
        for (name, bytes) in files(from) {
            fs::write(to.join(name), bytes).unwrap();
        }
    };
    let old: Vec<PathBuf> = good
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let to = tmp.path().join(format!("old{i}/small.shard-{i}-of-3"));
            copy(g, &to);
            let m = fs::read_to_string(to.join("shard.json")).unwrap();
            let v = format!("\"brink_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
            assert!(m.contains(&v));
            fs::write(
                to.join("shard.json"),
                m.replace(&v, "\"brink_version\": \"0.0.1\""),
            )
            .unwrap();
            to
        })
        .collect();
    refused(&with(1, &old[1]), "program version");
    refused(&old, "made by brink 0.0.1");

    // A damaged part of trials.csv.
    let damaged = tmp.path().join("damaged/small.shard-1-of-3");
    copy(&good[1], &damaged);
    let mut csv = fs::read(damaged.join("trials.csv")).unwrap();
    csv.truncate(csv.len() - 10);
    fs::write(damaged.join("trials.csv"), csv).unwrap();
    refused(&with(1, &damaged), "does not match the size and sha256");

    // The scenario file changed after the shards ran.
    brink()
        .arg("merge")
        .args(&good)
        .arg("--scenario")
        .arg(&edited)
        .arg("--out")
        .arg(tmp.path().join("changed"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "is not the scenario the shards ran",
        ));
    assert!(!tmp.path().join("changed").exists());
}

/// Waits until `child` has written a checkpoint, then kills it (SIGKILL).
fn kill_after_checkpoint(mut child: Child, checkpoint: &Path) {
    let start = Instant::now();
    while !checkpoint.join("checkpoint.json").exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before its first checkpoint"
        );
        assert!(start.elapsed() < Duration::from_secs(60), "no checkpoint");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed before the end");
}

fn spawn(args: &[&str], out: &Path) -> Child {
    let mut c = std::process::Command::new(cargo_bin("brink"));
    for v in SCHEDULER_VARS {
        c.env_remove(v);
    }
    c.args(args)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The number in "resumed after N trials" on stdout.
fn resumed_after(stdout: &[u8]) -> u64 {
    let text = String::from_utf8_lossy(stdout);
    let at = text.find("resumed after ").expect("resumed") + "resumed after ".len();
    text[at..].split(' ').next().unwrap().parse().unwrap()
}

#[test]
fn killed_run_resumes_to_the_bytes_of_an_uninterrupted_run() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = baseline();
    let s = scenario.to_str().unwrap();
    let args = ["run", s, "--trials", "30011", "--checkpoint-every", "0"];
    let out = tmp.path().join("killed");
    let first = [&args[..], &["--threads", "1"]].concat();
    kill_after_checkpoint(spawn(&first, &out), &out.join(".muscat-2026.checkpoint"));
    assert!(!out.join("muscat-2026").exists(), "no result after a kill");

    // A checkpoint of other work is refused, and kept.
    brink()
        .args(args)
        .args(["--resume", "--seed", "5", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("seed 20260207 vs 5"));
    assert!(out.join(".muscat-2026.checkpoint/checkpoint.json").exists());

    let resumed = brink()
        .args(args)
        .args(["--resume", "--threads", "2", "--out"])
        .arg(&out)
        .assert()
        .success();
    let n = resumed_after(&resumed.get_output().stdout);
    assert!(n > 0 && n < 30011, "resumed midway, after {n} trials");
    assert!(
        !out.join(".muscat-2026.checkpoint").exists(),
        "checkpoint removed once the result is in place"
    );
    let single = tmp.path().join("single");
    run(&scenario, &single, &["--trials", "30011"]);
    assert_same_result(
        &single.join("muscat-2026"),
        &out.join("muscat-2026"),
        "resumed run",
    );
}

#[test]
fn killed_sweep_resumes_to_the_bytes_of_an_uninterrupted_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = baseline();
    let s = scenario.to_str().unwrap();
    let sweep = [
        "sweep",
        s,
        "--param",
        "initial.trust",
        "--values",
        "0.05,0.2,0.4",
        "--trials",
        "9000",
    ];
    let args = [&sweep[..], &["--threads", "1", "--checkpoint-every", "0"]].concat();
    let out = tmp.path().join("killed");
    let checkpoint = out.join(".sweep-muscat-2026-initial-trust.checkpoint");
    kill_after_checkpoint(spawn(&args, &out), &checkpoint);
    brink()
        .args(&args)
        .args(["--resume", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let single = tmp.path().join("single");
    brink()
        .args(sweep)
        .args(["--quiet", "--out"])
        .arg(&single)
        .assert()
        .success();
    let dir = "sweep-muscat-2026-initial-trust";
    assert_same_result(&single.join(dir), &out.join(dir), "resumed sweep");
}

#[test]
fn sweep_and_sensitivity_shards_merge_to_the_unsharded_results() {
    let tmp = tempfile::tempdir().unwrap();
    let s = uncertain();
    let s = s.to_str().unwrap();
    let sweep = [
        "sweep",
        s,
        "--param",
        "initial.trust",
        "--range",
        "0.05:0.45:5",
        "--trials",
        "1100",
    ];
    let sensitivity = [
        "sensitivity",
        s,
        "--samples",
        "24",
        "--trials-per-sample",
        "30",
        "--bootstrap",
        "40",
    ];
    for (args, dir, splits) in [
        (&sweep[..], "sweep-uncertain-initial-trust", [2, 3]),
        (&sensitivity[..], "sensitivity-uncertain", [3, 5]),
    ] {
        let single = tmp.path().join(format!("{dir}-single"));
        brink()
            .args(args)
            .args(["--quiet", "--out"])
            .arg(&single)
            .assert()
            .success();
        for n in splits {
            let shards = tmp.path().join(format!("{dir}-shards-{n}"));
            for i in 0..n {
                brink()
                    .args(args)
                    .args(["--quiet", "--shard", &format!("{i}/{n}"), "--out"])
                    .arg(&shards)
                    .assert()
                    .success();
            }
            let merged = tmp.path().join(format!("{dir}-merged-{n}"));
            merge(&shard_dirs(&shards), &merged).success();
            assert_same_result(
                &single.join(dir),
                &merged.join(dir),
                &format!("{dir}, {n} shards"),
            );
        }
    }
}

#[test]
fn slurm_array_tasks_run_side_by_side_and_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let shards = tmp.path().join("shards");
    let n = 4;
    // Tasks counted from 1 (--array=1-4), all started at once.
    let tasks: Vec<Child> = (1..=n)
        .map(|id| {
            let mut c = std::process::Command::new("bash");
            for v in SCHEDULER_VARS {
                c.env_remove(v);
            }
            c.arg(root().join("examples/slurm/brink-array.sh"))
                .env("BRINK", cargo_bin("brink"))
                .env("SCENARIO", uncertain())
                .env("TRIALS", "5003")
                .env("OUT", &shards)
                .env("SLURM_ARRAY_TASK_ID", id.to_string())
                .env("SLURM_ARRAY_TASK_MIN", "1")
                .env("SLURM_ARRAY_TASK_MAX", n.to_string())
                .env("SLURM_ARRAY_TASK_COUNT", n.to_string())
                .env("SLURM_CPUS_PER_TASK", "1")
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut t in tasks {
        assert!(t.wait().unwrap().success(), "array task failed");
    }
    assert_eq!(shard_dirs(&shards).len(), n);
    let results = tmp.path().join("results");
    let status = std::process::Command::new("bash")
        .arg(root().join("examples/slurm/brink-merge.sh"))
        .env("BRINK", cargo_bin("brink"))
        .env("OUT", &shards)
        .env("RESULTS", &results)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "merge job failed");
    let single = tmp.path().join("single");
    run(&uncertain(), &single, &["--trials", "5003"]);
    assert_same_result(
        &single.join("uncertain"),
        &results.join("uncertain"),
        "Slurm array",
    );
}

#[test]
fn kubernetes_indexed_pods_run_side_by_side_and_merge() {
    let tmp = tempfile::tempdir().unwrap();
    let shards = tmp.path().join("shards");
    let n = 3;
    let pods: Vec<Child> = (0..n)
        .map(|k| {
            let mut c = std::process::Command::new(cargo_bin("brink"));
            for v in SCHEDULER_VARS {
                c.env_remove(v);
            }
            c.arg("run")
                .arg(uncertain())
                .args([
                    "--trials",
                    "5003",
                    "--shard",
                    "auto",
                    "--resume",
                    "--threads",
                    "1",
                ])
                .arg("--out")
                .arg(&shards)
                .env("JOB_COMPLETION_INDEX", k.to_string())
                .env("BRINK_SHARDS", n.to_string())
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut p in pods {
        assert!(p.wait().unwrap().success(), "pod failed");
    }
    let merged = tmp.path().join("merged");
    merge(&shard_dirs(&shards), &merged).success();
    let single = tmp.path().join("single");
    run(&uncertain(), &single, &["--trials", "5003"]);
    assert_same_result(
        &single.join("uncertain"),
        &merged.join("uncertain"),
        "Indexed Job",
    );

    // The shipped manifest tells brink the number of shards it gives Kubernetes.
    let yaml =
        fs::read_to_string(root().join("examples/kubernetes/brink-indexed-job.yaml")).unwrap();
    let value_after = |key: &str| -> String {
        let at = yaml
            .find(key)
            .unwrap_or_else(|| panic!("{key} in the manifest"))
            + key.len();
        yaml[at..]
            .split_whitespace()
            .next()
            .unwrap()
            .trim_matches('"')
            .to_string()
    };
    assert_eq!(
        value_after("completions:"),
        value_after("BRINK_SHARDS\n              value:")
    );
    assert!(yaml.contains("completionMode: Indexed") && yaml.contains("--shard=auto"));
}

#[test]
fn shard_auto_without_a_scheduler_is_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .arg("run")
        .arg(uncertain())
        .args(["--shard", "auto", "--out"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("SLURM_ARRAY_TASK_ID"))
        .stderr(predicate::str::contains("JOB_COMPLETION_INDEX"));
    brink()
        .arg("run")
        .arg(uncertain())
        .args(["--shard", "auto", "--out"])
        .arg(tmp.path())
        .env("JOB_COMPLETION_INDEX", "1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--shards N or set BRINK_SHARDS"));
    brink()
        .arg("run")
        .arg(uncertain())
        .args(["--shard", "3/3", "--out"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("0/3 to 2/3"));
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "nothing written"
    );
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
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(checkpoint.join("checkpoint.json")).unwrap()).unwrap();
    v["state"].clone()
}

#[test]
fn cancelled_run_saves_a_checkpoint_and_resumes_from_it() {
    let (scenario, _) = brink::scenario::load(&uncertain()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let opts = |out: &Path, durability: Durability| RunOptions {
        trials: Some(5003),
        seed: None,
        threads: 1,
        out_root: out.to_path_buf(),
        command: vec!["brink".into()],
        plots: false,
        precision: None,
        durability,
        format: brink::export::Format::Csv,
        spread: Default::default(),
        given: Vec::new(),
        no_trials_table: false,
    };
    let out = tmp.path().join("resumed");
    let cancel = AtomicBool::new(false);
    let stop = |done: u64| cancel.store(done >= 1024, Ordering::Relaxed);
    let r = run_scenario(
        &scenario,
        &opts(&out, on_cancel(false)),
        &mut { stop },
        Cancel::on(&cancel),
    )
    .unwrap();
    assert!(r.cancelled && r.out_dir.is_none());
    let done = saved_state(&out.join(".uncertain.checkpoint"))["done"]["completed"]
        .as_u64()
        .unwrap();
    assert_eq!(done, 4096, "one batch of four chunks on one thread");
    let r = run_scenario(
        &scenario,
        &opts(&out, on_cancel(true)),
        &mut |_| {},
        Cancel::never(),
    )
    .unwrap();
    assert_eq!((r.resumed, r.cancelled), (4096, false));
    let single = tmp.path().join("single");
    run_scenario(
        &scenario,
        &opts(&single, Durability::default()),
        &mut |_| {},
        Cancel::never(),
    )
    .unwrap();
    assert_same_result(
        &single.join("uncertain"),
        &out.join("uncertain"),
        "resumed run",
    );
    assert!(!out.join(".uncertain.checkpoint").exists());
}

#[test]
fn cancelled_sensitivity_resumes_to_the_same_indices() {
    let (scenario, _) = brink::scenario::load(&uncertain()).unwrap();
    let model = Model::compile(&scenario);
    let tmp = tempfile::tempdir().unwrap();
    let options = SensitivityOptions {
        samples: 40,
        trials_per_sample: 25,
        bootstrap: 30,
        seed: 3,
        threads: 1,
    };
    let command = vec!["brink".to_string()];
    let job = |out: &Path, durability: Durability| {
        run_sensitivity_job(
            &SensitivityJob {
                scenario: &scenario,
                model: &model,
                options,
                out_root: out,
                command: &command,
                plots: false,
                durability,
                format: brink::export::Format::Csv,
            },
            &mut |_| {},
            Cancel::never(),
        )
        .unwrap()
    };
    let out = tmp.path().join("resumed");
    let cancel = AtomicBool::new(false);
    let interrupted = run_sensitivity_job(
        &SensitivityJob {
            scenario: &scenario,
            model: &model,
            options,
            out_root: &out,
            command: &command,
            plots: false,
            durability: on_cancel(false),
            format: brink::export::Format::Csv,
        },
        &mut |done| cancel.store(done >= 64, Ordering::Relaxed),
        Cancel::on(&cancel),
    )
    .unwrap();
    assert_eq!(interrupted, SensitivityRun::Cancelled);
    let saved = saved_state(&out.join(".sensitivity-uncertain.checkpoint"));
    assert_eq!(
        saved.as_array().unwrap().len(),
        64,
        "the first batch of points"
    );
    assert!(matches!(
        job(&out, on_cancel(true)),
        SensitivityRun::Done { .. }
    ));
    let single = tmp.path().join("single");
    job(&single, Durability::default());
    assert_same_result(
        &single.join("sensitivity-uncertain"),
        &out.join("sensitivity-uncertain"),
        "resumed sensitivity",
    );
}
