//! Input that must never be trusted: scenario files and their parents that
//! are devices, FIFOs, huge or binary files, `extends` lines that reach
//! outside the scenario root, control characters in names, broken line
//! endings. Each is refused quickly, with exit status 2, a position where
//! there is one and a hint, never a hang or a panic.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// brink in `dir`, stopped after 20 seconds: an input that makes it wait or
/// read forever fails the test instead of hanging it.
fn brink(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("brink").unwrap();
    c.current_dir(dir).timeout(Duration::from_secs(20));
    c
}

struct Out {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Out {
    let o = brink(dir).args(args).output().unwrap();
    Out {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn validate(dir: &Path, file: &str) -> Out {
    run(dir, &["validate", file])
}

fn minimal() -> String {
    fs::read_to_string(repo().join("tests/fixtures/valid/minimal.toml")).unwrap()
}

fn child(extends: &str) -> String {
    format!("# a child\nextends = {extends:?}\n\n[scenario]\nname = \"child\"\n")
}

#[cfg(unix)]
fn mkfifo(p: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(p)
        .status()
        .unwrap();
    assert!(ok.success(), "mkfifo is needed for this test");
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_without_waiting_as_scenarios_and_parents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    mkfifo(&dir.join("pipe.toml"));
    for args in [
        vec!["validate", "pipe.toml"],
        vec!["run", "pipe.toml", "--out", "out"],
        vec!["validate", "/dev/urandom"],
    ] {
        let o = run(dir, &args);
        assert_eq!(o.code, Some(2), "{args:?}: {}{}", o.stdout, o.stderr);
        let all = format!("{}{}", o.stdout, o.stderr);
        assert!(all.contains("not a regular file"), "{args:?}: {all}");
        assert!(all.contains("= hint: "), "{args:?}: {all}");
    }
    // As a parent.
    fs::write(dir.join("child.toml"), child("pipe.toml")).unwrap();
    let o = validate(dir, "child.toml");
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(
        o.stdout.contains(
            "child.toml:2:11: error: cannot read the parent scenario `pipe.toml`: it is a FIFO"
        ),
        "{}",
        o.stdout
    );
    // In a listed folder.
    let o = run(dir, &["list", "--dir", "."]);
    assert_eq!(o.code, Some(0), "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("child.toml"), "{}", o.stdout);
    assert!(o.stdout.contains("[invalid: 1 error"), "{}", o.stdout);
}

#[test]
fn a_parent_that_is_an_endless_device_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("child.toml"), child("/dev/zero")).unwrap();
    let o = validate(tmp.path(), "child.toml");
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(
        o.stdout.contains("child.toml:2:11: error: "),
        "{}",
        o.stdout
    );
}

#[test]
fn a_huge_parent_is_refused_unread() {
    let tmp = tempfile::tempdir().unwrap();
    // Sparse: 200 MB that take no room on disk.
    let big = fs::File::create(tmp.path().join("big.toml")).unwrap();
    big.set_len(200_000_000).unwrap();
    fs::write(tmp.path().join("child.toml"), child("big.toml")).unwrap();
    let o = validate(tmp.path(), "child.toml");
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(
        o.stdout.contains("child.toml:2:11: error: cannot read the parent scenario `big.toml`: it is larger than 1048576 bytes"),
        "{}",
        o.stdout
    );
}

#[test]
fn calibration_targets_that_are_a_device_are_refused() {
    let o = run(
        &repo(),
        &[
            "calibrate",
            "scenarios/muscat-2026.toml",
            "--targets",
            "/dev/zero",
            "--out",
            "/nonexistent-brink-out",
        ],
    );
    assert_eq!(o.code, Some(2), "{}", o.stderr);
    assert!(
        o.stderr
            .contains("cannot read the targets file: /dev/zero is a device"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("= hint: "), "{}", o.stderr);
}

/// A folder `scenarios` (the default root) inside a temporary folder,
/// with the minimal scenario as `base.toml` and a secret beside it.
fn tree() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("scenarios");
    fs::create_dir_all(root.join("history")).unwrap();
    fs::write(root.join("base.toml"), minimal()).unwrap();
    fs::write(
        tmp.path().join("secret.toml"),
        "password = \"hunter2\"\n[scenario]\nname = \"x\"\n",
    )
    .unwrap();
    (tmp, root)
}

#[test]
fn extends_stays_inside_the_scenario_root() {
    let (tmp, root) = tree();
    // A subfolder may extend a shared file of `scenarios/`.
    fs::write(root.join("history/a.toml"), child("../base.toml")).unwrap();
    let o = validate(&root, "history/a.toml");
    assert_eq!(o.code, Some(0), "{}", o.stdout);

    for (target, file) in [
        ("/etc/passwd", "abs.toml"),
        ("/proc/self/environ", "proc.toml"),
        ("../secret.toml", "up.toml"),
        ("../../secret.toml", "history/up.toml"),
    ] {
        fs::write(root.join(file), child(target)).unwrap();
        let o = validate(&root, file);
        assert_eq!(o.code, Some(2), "{target}: {}", o.stdout);
        assert!(
            o.stdout.contains(&format!("{file}:2:11: error: ")),
            "{target}: {}",
            o.stdout
        );
        assert!(
            o.stdout.contains("--scenario-root"),
            "{target}: {}",
            o.stdout
        );
        assert!(!o.stdout.contains("root:x:"), "{}", o.stdout);
        assert!(!o.stdout.contains("hunter2"), "{}", o.stdout);
    }
    // A link inside the root to a file outside does not get out either.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tmp.path().join("secret.toml"), root.join("link.toml")).unwrap();
        fs::write(root.join("via-link.toml"), child("link.toml")).unwrap();
        let o = validate(&root, "via-link.toml");
        assert_eq!(o.code, Some(2), "{}", o.stdout);
        assert!(
            o.stdout.contains("outside the scenario root"),
            "{}",
            o.stdout
        );
        assert!(!o.stdout.contains("hunter2"), "{}", o.stdout);
    }
    // --scenario-root widens the root; the secret is then read (and fails
    // as a scenario, which shows it was reached).
    let o = run(&root, &["validate", "--scenario-root", "..", "up.toml"]);
    assert!(
        !o.stdout.contains("outside the scenario root"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("secret.toml"), "{}", o.stdout);
}

#[test]
fn without_a_scenarios_folder_the_root_is_the_scenario_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("mine");
    fs::create_dir_all(&dir).unwrap();
    fs::write(tmp.path().join("base.toml"), minimal()).unwrap();
    fs::write(dir.join("base.toml"), minimal()).unwrap();
    fs::write(dir.join("near.toml"), child("base.toml")).unwrap();
    fs::write(dir.join("far.toml"), child("../base.toml")).unwrap();
    assert_eq!(validate(&dir, "near.toml").code, Some(0));
    let o = validate(&dir, "far.toml");
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(o.stdout.contains("far.toml:2:11: error: "), "{}", o.stdout);
    // The option is accepted by every command that loads scenarios.
    let root = tmp.path().to_str().unwrap();
    let o = run(
        &dir,
        &["trace", "far.toml", "--trial", "0", "--scenario-root", root],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let o = run(
        &dir,
        &[
            "run",
            "far.toml",
            "--trials",
            "10",
            "--no-plots",
            "-q",
            "--scenario-root",
            root,
        ],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
}

#[test]
fn extends_naming_a_folder_or_a_non_toml_file_is_located() {
    let (_tmp, root) = tree();
    fs::write(root.join("notes.txt"), "x = 1\n").unwrap();
    for (target, needle) in [
        (".", "names a folder"),
        ("history", "names a folder"),
        ("notes.txt", "does not name a `.toml` file"),
    ] {
        fs::write(root.join("c.toml"), child(target)).unwrap();
        let o = validate(&root, "c.toml");
        assert_eq!(o.code, Some(2), "{target}: {}", o.stdout);
        assert!(
            o.stdout.contains("c.toml:2:11: error: ") && o.stdout.contains(needle),
            "{target}: {}",
            o.stdout
        );
        assert!(o.stdout.contains("= hint: "), "{}", o.stdout);
    }
}

#[test]
fn a_parent_with_a_nul_byte_is_refused_without_an_excerpt() {
    let (_tmp, root) = tree();
    fs::write(root.join("bin.toml"), "[scenario]\nname = \"\0\x1b[2J\"\n").unwrap();
    fs::write(root.join("c.toml"), child("bin.toml")).unwrap();
    let o = validate(&root, "c.toml");
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(o.stdout.contains("NUL byte at line 2"), "{}", o.stdout);
    assert!(!o.stdout.contains('\x1b'), "{}", o.stdout);
}

#[test]
fn a_child_needs_a_name_other_than_its_parents() {
    let (_tmp, root) = tree();
    let text = "extends = \"base.toml\"\n\n[scenario]\nname = \"minimal\"\n";
    fs::write(root.join("same.toml"), text).unwrap();
    let o = validate(&root, "same.toml");
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(
        o.stdout
            .contains("same.toml:4:8: error: the scenario has the name of its parent"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("= hint: "), "{}", o.stdout);
}

#[test]
fn control_characters_in_names_are_refused_where_they_are() {
    let tmp = tempfile::tempdir().unwrap();
    let text = minimal()
        .replace("horizon = 20", "horizon = 20\nstep = \"week\\u0000\"")
        .replace(
            "title = \"Minimal test scenario\"",
            "title = \"Minimal\"\ndescription = \"\"\"\nTwo lines,\n\ttabbed.\n\"\"\"",
        )
        .replace("id = \"hold\"", "id = \"hold\"\nlabel = \"\\u001b[31mred\"");
    fs::write(tmp.path().join("ctl.toml"), &text).unwrap();
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let o = validate(tmp.path(), "ctl.toml");
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(
        o.stdout.contains(&format!(
            "ctl.toml:{}:8: error: `run.step` contains the control character U+0000",
            line("step = ")
        )),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains(&format!(
            "ctl.toml:{}:9: error: `actions.hold.label` contains the control character U+001B",
            line("label = ")
        )),
        "{}",
        o.stdout
    );
    assert_eq!(o.stdout.matches(": error: ").count(), 2, "{}", o.stdout);
    assert!(!o.stdout.contains('\x1b'), "{}", o.stdout);
    assert!(!o.stdout.contains('\0'), "{}", o.stdout);
    // Also through `run`, on stderr.
    let o = run(tmp.path(), &["run", "ctl.toml", "--out", "out"]);
    assert_eq!(o.code, Some(2));
    assert!(!o.stderr.contains('\x1b'), "{}", o.stderr);
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn plots_of_names_with_xml_special_characters_are_well_formed_xml() {
    let tmp = tempfile::tempdir().unwrap();
    let text = minimal()
        .replace(
            "title = \"Minimal test scenario\"",
            "title = \"Tom & Jerry's <war> \\\"é\\\"\"",
        )
        .replace("horizon = 20", "horizon = 20\nstep = \"sémaine <&>\"")
        .replace(
            "id = \"hold\"",
            "id = \"hold\"\nlabel = \"<hold> & 'wait' \\\"é\\\"\"",
        );
    let text = text.replacen(
        "[[actors]]\nid = \"",
        "[[actors]]\nname = \"Ré<p>ublique & \\\"Co\\\" 'x'\"\nid = \"",
        1,
    );
    fs::write(tmp.path().join("xml.toml"), &text).unwrap();
    let o = run(
        tmp.path(),
        &["run", "xml.toml", "--trials", "200", "--out", "out", "-q"],
    );
    assert_eq!(o.code, Some(0), "{}", o.stderr);
    let mut svgs = 0;
    let mut stack = vec![tmp.path().join("out")];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "svg") {
                let svg = fs::read_to_string(&p).unwrap();
                if let Err(e) = roxmltree::Document::parse(&svg) {
                    panic!("{} is not XML: {e}", p.display());
                }
                svgs += 1;
            }
        }
    }
    assert!(svgs > 0, "no SVG written");
}

#[test]
fn bare_cr_line_endings_are_named_with_a_position() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("cr.toml"), minimal().replace('\n', "\r")).unwrap();
    let o = validate(tmp.path(), "cr.toml");
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(
        o.stdout.contains("cr.toml:1:") && o.stdout.contains("bare carriage return"),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("empty"), "{}", o.stdout);
    assert!(o.stdout.contains("= hint: "), "{}", o.stdout);
}

#[test]
fn a_deep_key_after_a_string_ending_in_extra_quotes_is_located() {
    let tmp = tempfile::tempdir().unwrap();
    let key = ["a"; 200].join(".");
    let text = format!("zz = [\"\"\"x\"\"\"\", {{{key} = 1}}]\n");
    fs::write(tmp.path().join("deep.toml"), text).unwrap();
    let o = validate(tmp.path(), "deep.toml");
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(o.stdout.contains("deep.toml:1:"), "{}", o.stdout);
    assert!(!o.stdout.contains("recursion limit"), "{}", o.stdout);
}

#[test]
fn two_byte_order_marks_are_refused_at_the_start() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("bom2.toml"),
        format!("\u{feff}\u{feff}{}", minimal()),
    )
    .unwrap();
    let o = validate(tmp.path(), "bom2.toml");
    assert_eq!(o.code, Some(2), "{}", o.stdout);
    assert!(
        o.stdout
            .contains("bom2.toml:1:1: error: a second byte-order mark"),
        "{}",
        o.stdout
    );
}
