//! brink never deletes or replaces what it did not write, and two commands
//! writing the same result never mix their files: every result-writing
//! command refuses a folder that is not a brink result (exit 2, naming it)
//! and takes a lock on its result for the whole of its work.
#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn brink(args: &[&str], out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .arg("--out")
        .arg(out)
        .current_dir(repo())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// A user's folder: a document and a data file in a subfolder.
fn plant_users_files(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    fs::create_dir_all(dir.join("data")).unwrap();
    let files = vec![
        (dir.join("thesis.docx"), "four years of work"),
        (dir.join("data/x.csv"), "a,b\n1,2\n"),
    ];
    for (p, text) in &files {
        fs::write(p, text).unwrap();
    }
    files
}

fn assert_kept(files: &[(PathBuf, &str)]) {
    for (p, text) in files {
        assert_eq!(
            fs::read_to_string(p).unwrap(),
            *text,
            "{} was changed",
            p.display()
        );
    }
}

/// Each result-writing command with small work, and the folder it writes.
fn commands() -> Vec<(Vec<&'static str>, &'static str)> {
    let base = "scenarios/muscat-2026.toml";
    vec![
        (
            vec!["run", base, "--trials", "200", "--no-plots", "--quiet"],
            "muscat-2026",
        ),
        (
            vec![
                "compare",
                base,
                "scenarios/no-oman.toml",
                "--trials",
                "200",
                "--no-plots",
                "--quiet",
            ],
            "compare-muscat-2026-vs-no-oman",
        ),
        (
            vec![
                "sweep",
                base,
                "--param",
                "initial.trust",
                "--values",
                "0.1,0.2",
                "--trials",
                "100",
                "--no-plots",
                "--quiet",
            ],
            "sweep-muscat-2026-initial-trust",
        ),
        (
            vec![
                "sensitivity",
                base,
                "--samples",
                "8",
                "--trials-per-sample",
                "10",
                "--bootstrap",
                "10",
                "--no-plots",
                "--quiet",
            ],
            "sensitivity-muscat-2026",
        ),
        (
            vec!["discover", base, "--trials", "500", "--no-plots", "--quiet"],
            "discover-muscat-2026-war_ongoing",
        ),
        (
            vec![
                "calibrate",
                base,
                "--targets",
                "scenarios/targets/muscat-2026-experts.toml",
                "--samples",
                "20",
                "--trials-per-sample",
                "20",
                "--no-plots",
                "--quiet",
            ],
            "calibrate-muscat-2026",
        ),
    ]
}

#[test]
fn a_users_folder_in_the_way_of_any_result_is_refused_and_kept() {
    for (args, folder) in commands() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join(folder);
        let files = plant_users_files(&target);
        let out = brink(&args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(folder),
            "{args:?} names the folder: {stderr}"
        );
        assert!(stderr.contains("hint"), "{args:?}: {stderr}");
        assert_kept(&files);
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec![folder.to_string()], "{args:?} left {names:?}");
    }
}

#[test]
fn every_command_replaces_its_own_earlier_result() {
    for (args, folder) in commands() {
        let dir = tempfile::tempdir().unwrap();
        for _ in 0..2 {
            let out = brink(&args, dir.path());
            assert_eq!(
                out.status.code(),
                Some(0),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(dir.path().join(folder).join("manifest.json").is_file());
    }
}

#[test]
fn files_a_user_added_to_a_result_folder_are_not_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let (args, folder) = commands().remove(0);
    assert_eq!(brink(&args, dir.path()).status.code(), Some(0));
    let notes = dir.path().join(folder).join("notes.txt");
    fs::write(&notes, "my reading of the result").unwrap();
    let out = brink(&args, dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("notes.txt"), "{stderr}");
    assert_eq!(
        fs::read_to_string(&notes).unwrap(),
        "my reading of the result"
    );
}

#[test]
fn a_file_where_the_result_goes_is_refused_and_nothing_is_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let (args, folder) = commands().remove(0);
    let file = dir.path().join(folder);
    fs::write(&file, "not a folder").unwrap();
    for _ in 0..2 {
        let out = brink(&args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("is a file"), "{stderr}");
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "not a folder");
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec![folder.to_string()]);
}

#[test]
fn a_link_where_the_result_goes_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    let files = plant_users_files(&elsewhere);
    let out_root = dir.path().join("out");
    fs::create_dir_all(&out_root).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out_root.join("muscat-2026")).unwrap();
    let (args, _) = commands().remove(0);
    let out = brink(&args, &out_root);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
    assert_kept(&files);
}

/// The result folder's files all match the hashes its manifest lists.
fn manifest_matches(dir: &Path) -> serde_json::Value {
    let m: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    for f in m["files"].as_array().unwrap() {
        let path = dir.join(f["path"].as_str().unwrap());
        let bytes = fs::read(&path).unwrap();
        assert_eq!(
            bytes.len() as u64,
            f["bytes"].as_u64().unwrap(),
            "{}",
            path.display()
        );
    }
    m
}

fn spawn_run(out: &Path, seed: &str, trials: &str) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args([
            "run",
            "scenarios/muscat-2026.toml",
            "--no-plots",
            "--quiet",
            "--seed",
            seed,
            "--trials",
            trials,
            "--out",
        ])
        .arg(out)
        .current_dir(repo())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_second_run_on_the_same_result_is_refused_while_the_first_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    // Long enough to be running when the second starts.
    let first = spawn_run(out, "1", "300000");
    let lock = out.join(".muscat-2026.lock");
    let started = Instant::now();
    while !fs::read_to_string(&lock).is_ok_and(|t| t.contains("process")) {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the first run never took its lock"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    let second = spawn_run(out, "2", "900").wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("process {}", first.id())),
        "names the holder: {stderr}"
    );
    assert!(stderr.contains("muscat-2026"), "{stderr}");
    let first = first.wait_with_output().unwrap();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let result = out.join("muscat-2026");
    let m = manifest_matches(&result);
    assert_eq!(m["seed"], 1);
    assert_eq!(m["trials"], 300000);
    let rows = fs::read_to_string(result.join("trials.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(rows, 300001, "the first run's rows, and only those");
    assert!(!lock.exists(), "the lock goes with the run");
}

/// Sizes far beyond the machine are refused before anything is allocated
/// or spawned, naming the figure asked for and the limit.
#[test]
fn sizes_beyond_the_machine_are_refused_before_any_work() {
    let base = "scenarios/muscat-2026.toml";
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["discover", base, "--trials", "1000000000000"],
            "trials",
        ),
        (
            vec![
                "calibrate",
                base,
                "--targets",
                "scenarios/targets/muscat-2026-experts.toml",
                "--samples",
                "1000000000000",
            ],
            "samples",
        ),
        (
            vec!["sensitivity", base, "--samples", "1000000000"],
            "samples",
        ),
        (vec!["run", base, "--threads", "1000000"], "threads"),
        (
            vec!["compare", base, base, "--threads", "1000000"],
            "threads",
        ),
    ];
    for (args, unit) in cases {
        let dir = tempfile::tempdir().unwrap();
        let started = Instant::now();
        let out = brink(&args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(unit), "{args:?}: {stderr}");
        assert!(
            stderr.contains("available") || stderr.contains("more than"),
            "{args:?} names the limit: {stderr}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
}

/// A write that fails (here: past a file-size limit, as on a full disk)
/// names the file and the operation, gives a hint, and says what it left
/// behind and how large it is.
#[test]
fn a_failed_write_names_the_file_and_reports_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let script = format!(
        "trap '' XFSZ; ulimit -f 200; exec '{}' run scenarios/muscat-2026.toml \
         --trials 20000 --no-plots --quiet --out '{}'",
        env!("CARGO_BIN_EXE_brink"),
        dir.path().display()
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .current_dir(repo())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot write") && stderr.contains("trials.csv"),
        "{stderr}"
    );
    assert!(stderr.contains("hint"), "{stderr}");
    assert!(
        stderr.contains(".muscat-2026.checkpoint (") && stderr.contains("kB)"),
        "{stderr}"
    );
    assert!(!dir.path().join(".muscat-2026.lock").exists());
}

#[test]
fn an_out_folder_that_is_a_file_or_a_broken_link_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("afile");
    fs::write(&file, "x").unwrap();
    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink("/nonexistent/brink/dir", &dangling).unwrap();
    let (args, _) = commands().remove(0);
    for (out_root, why) in [
        (file.clone(), "is a file"),
        (file.join("sub"), "is a file"),
        (dangling, "does not exist"),
    ] {
        let out = brink(&args, &out_root);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(why) && stderr.contains("hint"), "{stderr}");
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
}

/// Drawing a large sensitivity design takes a while: SIGTERM still stops it
/// at once.
#[test]
fn a_large_sensitivity_design_stops_promptly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args([
            "sensitivity",
            "scenarios/muscat-2026.toml",
            "--samples",
            "1000000",
            "--trials-per-sample",
            "1",
            "--quiet",
            "--out",
        ])
        .arg(dir.path())
        .current_dir(repo())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lock = dir.path().join(".sensitivity-muscat-2026.lock");
    let started = Instant::now();
    while !lock.exists() {
        assert!(started.elapsed() < Duration::from_secs(30), "never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(200));
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let killed = Instant::now();
    let out = child.wait_with_output().unwrap();
    assert!(
        killed.elapsed() < Duration::from_secs(3),
        "took {:?} to stop",
        killed.elapsed()
    );
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A control character in a path or a file (here an escape sequence in a
/// file's name) is printed as an escape, never sent to the terminal.
#[test]
fn control_characters_never_reach_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let name = "red\u{1b}[31m.toml";
    fs::write(dir.path().join(name), "[scenario]\nname = \"x\"\n").unwrap();
    for args in [
        vec![
            "validate".to_string(),
            dir.path().join(name).display().to_string(),
        ],
        vec![
            "list".into(),
            "--dir".into(),
            dir.path().display().to_string(),
        ],
        vec!["run".into(), dir.path().join(name).display().to_string()],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_brink"))
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        for stream in [&out.stdout, &out.stderr] {
            let text = String::from_utf8_lossy(stream);
            assert!(
                !text.contains('\u{1b}'),
                "{args:?} printed an escape: {text}"
            );
        }
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(all.contains("red\\u{1b}[31m.toml"), "{args:?}: {all}");
    }
}
