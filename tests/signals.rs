//! A run interrupted by SIGTERM or SIGINT (Ctrl-C) stops promptly, says so,
//! exits with 130, and leaves the previous complete result untouched, with
//! no half-written or hidden staging folder.
#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(out: &Path, trials: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_brink"));
    c.args([
        "run",
        "scenarios/muscat-2026.toml",
        "--trials",
        trials,
        "--quiet",
        "--out",
    ])
    .arg(out)
    .current_dir(repo());
    c
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn interrupt_midway(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let first = run(out, "500").output().unwrap();
    assert_eq!(first.status.code(), Some(0));
    let result = out.join("muscat-2026");
    let manifest = std::fs::read(result.join("manifest.json")).unwrap();
    let trials = std::fs::read(result.join("trials.csv")).unwrap();

    // Far more trials than can finish before the signal.
    let child = run(out, "1000000000")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    // Wait until it is simulating: its checkpoint (or staging) folder exists.
    while !entries(out)
        .iter()
        .any(|e| e.contains(".partial-") || e.ends_with(".checkpoint"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the run never started"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(500));
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let killed = Instant::now();
    let output = child.wait_with_output().unwrap();
    assert!(
        killed.elapsed() < Duration::from_secs(5),
        "took {:?} to stop",
        killed.elapsed()
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The previous result, whole, and nothing else but the hidden
    // checkpoint that `--resume` continues from.
    assert_eq!(
        entries(out),
        vec![
            ".muscat-2026.checkpoint".to_string(),
            "muscat-2026".to_string()
        ]
    );
    assert_eq!(
        std::fs::read(result.join("manifest.json")).unwrap(),
        manifest
    );
    assert_eq!(std::fs::read(result.join("trials.csv")).unwrap(), trials);
}

#[test]
fn sigterm_stops_a_run_and_keeps_the_previous_result() {
    interrupt_midway("-TERM");
}

#[test]
fn sigint_stops_a_run_and_keeps_the_previous_result() {
    interrupt_midway("-INT");
}

#[test]
fn an_interrupted_first_run_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("results");
    let mut child = run(&out, "1000000000")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !out.exists() || entries(&out).is_empty() {
        assert!(started.elapsed() < Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    // No result, nothing half-written: only the hidden checkpoint that
    // `--resume` continues from.
    assert!(
        entries(&out)
            .iter()
            .all(|e| e.starts_with('.') && e.ends_with(".checkpoint")),
        "{:?}",
        entries(&out)
    );
}
