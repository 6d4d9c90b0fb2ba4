//! Every report escapes what comes from the user: a scenario whose title,
//! description and sources (and a targets file whose names and sources)
//! hold markup, ampersands and quotes gives reports that show that text
//! literally, in every report kind that shows it, and never a `<script>`.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The hostile text, and how it must appear in HTML.
const HOSTILE: &str = r#"<script>alert('x')</script> & "quoted""#;
const ESCAPED: &str = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;";

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    format!("\"{escaped}\"")
}

/// A scratch folder with the baseline scenario, a hostile copy of it
/// (`hostile.toml`, named `hostile`) and a hostile targets file.
fn scratch() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let base = fs::read_to_string(format!("{ROOT}/scenarios/muscat-2026.toml")).unwrap();
    fs::write(tmp.path().join("muscat-2026.toml"), &base).unwrap();
    let start = base.find("description = \"\"\"").unwrap();
    let end = start + base[start..].find("\"\"\"\n").unwrap() + 4;
    let end = end + base[end..].find("\"\"\"").unwrap() + 3;
    let hostile = format!(
        "{}description = {}{}",
        &base[..start],
        toml_string(&format!("{HOSTILE}\n\nA second {HOSTILE} paragraph.")),
        &base[end..]
    )
    .replace(
        "title = \"Muscat talks, February 2026 (baseline)\"",
        &format!("title = {}", toml_string(HOSTILE)),
    )
    .replace("name = \"muscat-2026\"", "name = \"hostile\"")
    .replace(
        "sources = [\n",
        &format!("sources = [\n    {},\n", toml_string(HOSTILE)),
    );
    fs::write(tmp.path().join("hostile.toml"), hostile).unwrap();
    let targets = fs::read_to_string(format!("{ROOT}/scenarios/targets/muscat-2026-experts.toml"))
        .unwrap()
        .replace(
            "name = \"A deal within the year\"",
            &format!("name = {}", toml_string(HOSTILE)),
        )
        .replace(
            "source = \"assumption: illustrative expert judgement\"",
            &format!("source = {}", toml_string(HOSTILE)),
        );
    fs::write(tmp.path().join("targets.toml"), targets).unwrap();
    tmp
}

/// Runs brink in `dir` and returns the one `report.html` it wrote under
/// `dir/out/<kind>`.
fn report(dir: &Path, kind: &str, args: &[&str]) -> String {
    let out = dir.join("out").join(kind);
    cargo_bin_cmd!("brink")
        .current_dir(dir)
        .args(args)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let found: Vec<PathBuf> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path().join("report.html"))
        .filter(|p| p.exists())
        .collect();
    assert_eq!(found.len(), 1, "{kind}: {found:?}");
    fs::read_to_string(&found[0]).unwrap()
}

/// The checks every report passes: no markup from the scenario, the title
/// escaped in the document title and heading.
fn check(kind: &str, html: &str) {
    assert!(
        !html.contains("<script"),
        "{kind}: scenario text must be escaped"
    );
    assert!(!html.contains(HOSTILE), "{kind}: raw hostile text");
    assert!(
        html.contains(&format!("<title>{ESCAPED}")),
        "{kind}: the document title"
    );
    assert!(
        html.contains(&format!("<h1>{ESCAPED}")),
        "{kind}: the heading"
    );
}

#[test]
fn every_report_escapes_scenario_and_target_text() {
    let tmp = scratch();
    let dir = tmp.path();

    let run = report(dir, "run", &["run", "hostile.toml", "--trials", "200"]);
    check("run", &run);
    assert!(
        run.contains(&format!("<p>{ESCAPED}</p>")),
        "run: description"
    );
    assert!(
        run.contains(&format!("<p>A second {ESCAPED} paragraph.</p>")),
        "run: description"
    );
    assert!(run.contains(&format!("<li>{ESCAPED}</li>")), "run: sources");

    let compare = report(
        dir,
        "compare",
        &[
            "compare",
            "hostile.toml",
            "muscat-2026.toml",
            "--trials",
            "200",
        ],
    );
    check("compare", &compare);
    assert!(
        compare.contains(&format!("<h3><code>hostile</code>: {ESCAPED}</h3>")),
        "compare: the scenario's heading"
    );
    assert!(
        compare.contains(&format!("<td>{ESCAPED}</td>")),
        "compare: the scenarios table"
    );
    assert!(
        compare.contains(&format!("<p>{ESCAPED}</p>")),
        "compare: description"
    );

    let sweep = report(
        dir,
        "sweep",
        &[
            "sweep",
            "hostile.toml",
            "--param",
            "actors.iran.reciprocity",
            "--range",
            "0:1:2",
            "--trials",
            "50",
        ],
    );
    check("sweep", &sweep);

    let sensitivity = report(
        dir,
        "sensitivity",
        &[
            "sensitivity",
            "hostile.toml",
            "--samples",
            "4",
            "--trials-per-sample",
            "10",
            "--bootstrap",
            "10",
        ],
    );
    check("sensitivity", &sensitivity);

    let discover = report(
        dir,
        "discover",
        &["discover", "hostile.toml", "--trials", "300"],
    );
    check("discover", &discover);

    let calibrate = report(
        dir,
        "calibrate",
        &[
            "calibrate",
            "hostile.toml",
            "--targets",
            "targets.toml",
            "--samples",
            "20",
            "--trials-per-sample",
            "20",
        ],
    );
    check("calibrate", &calibrate);
    assert!(
        calibrate.contains(&format!("<tr><td>{ESCAPED}<br>")),
        "calibrate: the target's name"
    );
    assert!(
        calibrate.contains(&format!("<span class=\"sub\">source: {ESCAPED}</span>")),
        "calibrate: the target's source"
    );
}
