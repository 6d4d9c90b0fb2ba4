//! `brink run` draws its results: six plots (the milestone plot when a
//! milestone occurs) as PNG and SVG plus a self-contained `report.html`,
//! byte-identical whatever the thread count, listed in the manifest, and
//! skipped with `--no-plots`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use common::report_without_command;

const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/muscat-2026.toml");
const PLOTS: [&str; 6] = [
    "outcomes",
    "rungs",
    "escalation",
    "cumulative",
    "milestones",
    "actions",
];

fn run(scenario: &Path, out: &Path, extra: &[&str]) -> PathBuf {
    let mut cmd = cargo_bin_cmd!("brink");
    cmd.arg("run")
        .arg(scenario)
        .args(["--trials", "600", "--seed", "11", "--quiet", "--out"])
        .arg(out)
        .args(extra);
    cmd.assert().success();
    let name = fs::read_to_string(scenario)
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("name = \"")
                .map(|r| r.trim_end_matches('"').to_string())
        })
        .unwrap();
    out.join(name)
}

#[test]
fn plots_are_identical_with_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let one = run(
        Path::new(SCENARIO),
        &tmp.path().join("t1"),
        &["--threads", "1"],
    );
    let two = run(
        Path::new(SCENARIO),
        &tmp.path().join("t2"),
        &["--threads", "2"],
    );
    for name in PLOTS {
        for ext in ["png", "svg"] {
            let rel = format!("plots/{name}.{ext}");
            let a = fs::read(one.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let b = fs::read(two.join(&rel)).unwrap();
            assert!(a == b, "{rel} differs between --threads 1 and --threads 2");
        }
        let png = fs::read(one.join(format!("plots/{name}.png"))).unwrap();
        let info = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap()
            .info()
            .clone();
        let size = if name == "milestones" {
            (1200, 1100)
        } else {
            (1200, 700)
        };
        assert_eq!((info.width, info.height), size, "{name}.png size");
        let svg = fs::read_to_string(one.join(format!("plots/{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{name}.svg");
        assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
    }
    assert_eq!(report_without_command(&one), report_without_command(&two));
}

#[test]
fn manifest_lists_plots_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run(Path::new(SCENARIO), tmp.path(), &[]);
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let files: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    for name in PLOTS {
        assert!(
            files.contains(&format!("plots/{name}.png").as_str()),
            "{files:?}"
        );
        assert!(
            files.contains(&format!("plots/{name}.svg").as_str()),
            "{files:?}"
        );
    }
    assert!(files.contains(&"report.html"));
    // The report shows the hashes of the files written before it.
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    let summary = &manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "summary.json")
        .unwrap()["sha256"];
    assert!(html.contains(summary.as_str().unwrap()));
}

#[test]
fn report_is_self_contained_and_escapes_scenario_text() {
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(SCENARIO)
        .unwrap()
        .replace(
            "title = \"Muscat talks, February 2026 (baseline)\"",
            "title = \"<script>alert('x')</script> & \\\"talks\\\"\"",
        )
        .replace("name = \"muscat-2026\"", "name = \"hostile-title\"");
    let scenario = tmp.path().join("hostile.toml");
    fs::write(&scenario, text).unwrap();
    let dir = run(&scenario, &tmp.path().join("out"), &[]);
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(!html.contains("<script"), "scenario text must be escaped");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;talks&quot;")
    );
    assert_eq!(html.matches("<img src=\"data:image/png;base64,").count(), 6);
    for needle in ["http://", "https://", "<link", "src=\"http", "@import"] {
        assert!(
            !html.contains(needle),
            "report refers outside itself: {needle}"
        );
    }
    for needle in [
        "Reproducing this run",
        "Sources",
        "95% interval",
        "@media print",
    ] {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    assert!(html.contains("<dt>Seed</dt><dd>11</dd>"));
}

#[test]
fn no_plots_skips_plots_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run(Path::new(SCENARIO), tmp.path(), &["--no-plots"]);
    assert!(dir.join("summary.json").exists());
    assert!(!dir.join("plots").exists());
    assert!(!dir.join("report.html").exists());
}
