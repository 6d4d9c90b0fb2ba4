//! `brink compare`, `sweep`, `sensitivity`, `discover` and `calibrate` draw
//! their results:
//! plots as PNG and SVG, byte-identical whatever the thread count, and a
//! self-contained `report.html` written before the manifest (which lists
//! them all), all skipped with `--no-plots`.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use brink::format::percent as pct;
use common::report_without_command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn scenario(name: &str) -> String {
    format!("{ROOT}/scenarios/{name}.toml")
}

/// Runs brink with `args` into `out` and returns `out/dir`.
fn brink(out: &Path, dir: &str, args: &[&str]) -> PathBuf {
    cargo_bin_cmd!("brink")
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
    out.join(dir)
}

/// Paths listed in the directory's manifest.
fn manifest_files(dir: &Path) -> Vec<String> {
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

/// Width and height of a PNG.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    let info = png::Decoder::new(std::io::Cursor::new(bytes.to_vec()))
        .read_info()
        .unwrap()
        .info()
        .clone();
    (info.width, info.height)
}

/// Checks the plots and report of an output directory: every plot exists
/// as PNG and SVG, the manifest lists them and the report, and the report
/// inlines each PNG at its own size, refers to nothing outside itself and
/// shows the hashes of the files written before it.
fn check_outputs(dir: &Path, plots: &[&str], needles: &[&str]) {
    let files = manifest_files(dir);
    assert!(files.contains(&"report.html".to_string()), "{files:?}");
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    for name in plots {
        for ext in ["png", "svg"] {
            let rel = format!("plots/{name}.{ext}");
            assert!(files.contains(&rel), "{rel} not in {files:?}");
        }
        let png = fs::read(dir.join(format!("plots/{name}.png"))).unwrap();
        let (w, h) = png_size(&png);
        assert_eq!(w, 1200, "{name}.png width");
        assert!(
            html.contains(&format!("width=\"{w}\" height=\"{h}\"")),
            "{name}: the report declares another size than {w}x{h}"
        );
        let svg = fs::read_to_string(dir.join(format!("plots/{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{name}.svg");
        assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
    }
    assert_eq!(
        html.matches("<img src=\"data:image/png;base64,").count(),
        plots.len()
    );
    for needle in [
        "http://",
        "https://",
        "<link",
        "src=\"http",
        "@import",
        "<script",
    ] {
        assert!(
            !html.contains(needle),
            "report refers outside itself: {needle}"
        );
    }
    for needle in needles
        .iter()
        .chain(&["@media print", "<pre class=\"command\">"])
    {
        assert!(html.contains(needle), "report lacks {needle}");
    }
    // The files written before the report are listed with their hashes.
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    for f in manifest["files"].as_array().unwrap() {
        if f["path"] != "report.html" {
            assert!(
                html.contains(f["sha256"].as_str().unwrap()),
                "report lacks the hash of {}",
                f["path"]
            );
        }
    }
}

fn assert_same_plots(one: &Path, two: &Path, plots: &[&str]) {
    for name in plots {
        for ext in ["png", "svg"] {
            let rel = format!("plots/{name}.{ext}");
            let a = fs::read(one.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let b = fs::read(two.join(&rel)).unwrap();
            assert!(a == b, "{rel} differs between --threads 1 and --threads 2");
        }
    }
    assert_eq!(report_without_command(one), report_without_command(two));
}

const COMPARE_PLOTS: [&str; 5] = ["outcomes", "differences", "war", "milestones", "rungs"];
const SWEEP_PLOTS: [&str; 2] = ["outcomes", "escalation"];

#[test]
fn compare_plots_and_report_are_identical_with_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let (base, pause, oman) = (
        scenario("muscat-2026"),
        scenario("sanctions-pause"),
        scenario("no-oman"),
    );
    let dir = "compare-muscat-2026-vs-sanctions-pause-vs-no-oman";
    let run = |threads: &str| {
        brink(
            &tmp.path().join(threads),
            dir,
            &[
                "compare",
                &base,
                &pause,
                &oman,
                "--trials",
                "400",
                "--seed",
                "5",
                "--threads",
                threads,
            ],
        )
    };
    let (one, two) = (run("1"), run("2"));
    assert_same_plots(&one, &two, &COMPARE_PLOTS);
    check_outputs(
        &one,
        &COMPARE_PLOTS,
        &[
            "Outcome probabilities",
            "Paired differences from <code>muscat-2026</code>",
            "What pairing bought",
            "Reproducing this comparison",
            "US pauses new sanctions during talks",
            "<dt>Seed</dt><dd>5</dd>",
            "Mean escalation score (points)",
        ],
    );
    // The escalation rows show the numbers of comparison.json.
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(one.join("comparison.json")).unwrap()).unwrap();
    let html = fs::read_to_string(one.join("report.html")).unwrap();
    for d in json["differences"].as_array().unwrap() {
        let e = &d["escalation"];
        let diff = e["difference"].as_f64().unwrap();
        let ci: Vec<f64> = e["ci95"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert!(ci[0] <= diff && diff <= ci[1], "{e}");
        let shown = format!("[{:+.1}, {:+.1}]", ci[0], ci[1]);
        assert!(html.contains(&shown), "{shown} not in the report");
    }
    // The forest plot grows with the number of rows: taller than a default plot.
    let (_, h) = png_size(&fs::read(one.join("plots/differences.png")).unwrap());
    assert!(h > 700, "differences.png is {h} pixels tall");
}

#[test]
fn sweep_plots_and_report_are_identical_with_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let base = scenario("muscat-2026");
    let dir = "sweep-muscat-2026-actors-iran-reciprocity";
    let run = |threads: &str| {
        brink(
            &tmp.path().join(threads),
            dir,
            &[
                "sweep",
                &base,
                "--param",
                "actors.iran.reciprocity",
                "--range",
                "0:1.6:3",
                "--trials",
                "300",
                "--threads",
                threads,
            ],
        )
    };
    let (one, two) = (run("1"), run("2"));
    assert_same_plots(&one, &two, &SWEEP_PLOTS);
    check_outputs(
        &one,
        &SWEEP_PLOTS,
        &[
            "sweep of actors.iran.reciprocity",
            "Every point",
            "<td class=\"num\">0.8</td>",
            "Reproducing this sweep",
        ],
    );
    let svg = fs::read_to_string(one.join("plots/outcomes.svg")).unwrap();
    // The swept parameter is named by its label, made from its path.
    assert!(svg.contains("Iran: reciprocity (swept value)"), "{svg}");
}

#[test]
fn sensitivity_and_discovery_write_plots_and_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let base = scenario("muscat-2026");
    let sens = brink(
        tmp.path(),
        "sensitivity-muscat-2026",
        &[
            "sensitivity",
            &base,
            "--samples",
            "6",
            "--trials-per-sample",
            "10",
            "--bootstrap",
            "20",
        ],
    );
    check_outputs(
        &sens,
        &[
            "sobol-war-ongoing",
            "sobol-deal",
            "sobol-limited-strikes",
            "sobol-escalation",
        ],
        &[
            "How to read this",
            "including its interactions",
            "P(talks ongoing)",
            "20 bootstrap resamples",
        ],
    );
    let disc = brink(
        tmp.path(),
        "discover-muscat-2026-deal",
        &["discover", &base, "--outcome", "deal", "--trials", "500"],
    );
    check_outputs(
        &disc,
        &["trajectory", "box", "ranking"],
        &[
            "where deal is most likely",
            "The box",
            "Kolmogorov-Smirnov",
            "Reproducing this analysis",
        ],
    );
}

const CALIBRATION_PLOTS: [&str; 3] = ["marginals", "pairs", "targets"];
const TARGETS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/scenarios/targets/muscat-2026-experts.toml"
);

/// Calibrates the baseline against the shipped expert targets into `out`,
/// with `args` after; returns the result folder.
fn calibrate(out: &Path, args: &[&str]) -> PathBuf {
    let base = scenario("muscat-2026");
    let mut all = vec!["calibrate", &base, "--targets", TARGETS];
    all.extend(args);
    brink(out, "calibrate-muscat-2026", &all)
}

#[test]
fn calibration_plots_and_report_are_identical_with_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        // Few samples, so few accepted: --min-accepted 1 keeps the result
        // calibrated, with its calibrated scenario.
        let size = [
            "--samples",
            "120",
            "--trials-per-sample",
            "60",
            "--min-accepted",
            "1",
        ];
        calibrate(
            &tmp.path().join(threads),
            &[&size[..], &["--threads", threads]].concat(),
        )
    };
    let (one, two) = (run("1"), run("2"));
    assert_same_plots(&one, &two, &CALIBRATION_PLOTS);
    let (_, targets_sha) = brink::output::manifest::hash_file(Path::new(TARGETS)).unwrap();
    check_outputs(
        &one,
        &CALIBRATION_PLOTS,
        &[
            "calibration against expert targets",
            "What was done",
            "Reproducing this calibration",
            "targets <code>muscat-2026-experts.toml</code>",
            &targets_sha,
            "120 samples &times; 60 trials",
            "correlations between the parameters",
        ],
    );

    // The key numbers are those of calibration.json.
    let html = fs::read_to_string(one.join("report.html")).unwrap();
    let c: serde_json::Value =
        serde_json::from_slice(&fs::read(one.join("calibration.json")).unwrap()).unwrap();
    let f = |v: &serde_json::Value| v.as_f64().unwrap();
    let accepted = c["accepted"].as_u64().unwrap();
    assert!(accepted > 0, "the test wants a calibrated result: {c}");
    assert!(html.contains("<strong>Calibrated.</strong>"));
    assert!(html.contains(&format!(
        "{accepted} of 120 samples ({})",
        pct(f(&c["acceptance_rate"]))
    )));
    let span =
        |q: &serde_json::Value| format!("{}&ndash;{}", pct(f(&q["q025"])), pct(f(&q["q975"])));
    for t in c["targets"].as_array().unwrap() {
        let g = &t["target"];
        for needle in [
            g["name"].as_str().unwrap().to_string(),
            format!(
                "{} &plusmn; {}",
                pct(f(&g["value"])),
                pct(f(&g["tolerance"]))
            ),
            format!(
                "{}<br><span class=\"sub\">{}",
                pct(f(&t["prior"]["median"])),
                span(&t["prior"])
            ),
            format!(
                "{}<br><span class=\"sub\">{}",
                pct(f(&t["posterior"]["median"])),
                span(&t["posterior"])
            ),
            format!("<td class=\"num\">{}</td>", pct(f(&t["prior_within"]))),
        ] {
            assert!(html.contains(&needle), "report lacks {needle}");
        }
    }
    for p in c["parameters"].as_array().unwrap() {
        let width = |q: &serde_json::Value| f(&q["q975"]) - f(&q["q025"]);
        let kept = width(&p["posterior"]) / width(&p["prior"]);
        let row = format!("<code>{}</code>", p["parameter"].as_str().unwrap());
        let at = html.find(&format!("<tr><td>{row}")).expect(&row);
        let end = at + html[at..].find("</tr>").unwrap();
        assert!(
            html[at..end].contains(&format!("<td class=\"num\">{}</td>", pct(kept))),
            "{row}: range kept {} in {}",
            pct(kept),
            &html[at..end]
        );
    }
    // The calibrated scenario beside the report, and how to run it.
    assert!(one.join("muscat-2026-calibrated.toml").exists());
    // It extends a copy of the original in the folder: it runs from there.
    assert!(one.join("parent/muscat-2026.toml").exists());
    assert!(one.join("posterior.csv").exists());
    assert!(html.contains("<code>brink run muscat-2026-calibrated.toml</code>"));
}

#[test]
fn no_plots_skips_plots_and_reports_of_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let (base, oman) = (scenario("muscat-2026"), scenario("no-oman"));
    let dirs = [
        brink(
            out,
            "compare-muscat-2026-vs-no-oman",
            &["compare", &base, &oman, "--trials", "50", "--no-plots"],
        ),
        brink(
            out,
            "sweep-muscat-2026-initial-trust",
            &[
                "sweep",
                &base,
                "--param",
                "initial.trust",
                "--values",
                "0.1",
                "--trials",
                "50",
                "--no-plots",
            ],
        ),
        brink(
            out,
            "sensitivity-muscat-2026",
            &[
                "sensitivity",
                &base,
                "--samples",
                "2",
                "--trials-per-sample",
                "5",
                "--bootstrap",
                "2",
                "--no-plots",
            ],
        ),
        brink(
            out,
            "discover-muscat-2026-war_ongoing",
            &["discover", &base, "--trials", "100", "--no-plots"],
        ),
        calibrate(
            out,
            &["--samples", "4", "--trials-per-sample", "5", "--no-plots"],
        ),
    ];
    for dir in dirs {
        assert!(dir.join("manifest.json").exists(), "{}", dir.display());
        assert!(!dir.join("plots").exists(), "{}", dir.display());
        assert!(!dir.join("report.html").exists(), "{}", dir.display());
        let files = manifest_files(&dir);
        assert!(
            files
                .iter()
                .all(|f| !f.starts_with("plots/") && f != "report.html"),
            "{files:?}"
        );
    }
}

#[test]
fn compare_report_escapes_scenario_text() {
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(scenario("no-oman")).unwrap().replace(
        "title = \"Oman stops mediating\"",
        "title = \"<script>alert('x')</script> & \\\"Oman\\\"\"",
    );
    // `extends` stays in the scenario's folder: its parent is copied beside it.
    fs::copy(scenario("muscat-2026"), tmp.path().join("muscat-2026.toml")).unwrap();
    let hostile = tmp.path().join("hostile.toml");
    fs::write(&hostile, text).unwrap();
    let dir = brink(
        &tmp.path().join("out"),
        "compare-muscat-2026-vs-no-oman",
        &[
            "compare",
            &scenario("muscat-2026"),
            hostile.to_str().unwrap(),
            "--trials",
            "100",
        ],
    );
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(!html.contains("<script"), "scenario text must be escaped");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Oman&quot;")
    );
}
