//! Opens the `report.html` of a run, a comparison and the analyses in
//! headless Chromium (Debian's, driven by playwright-core from
//! `tests/browser/`) and checks that they rendered: no console or page
//! errors, no request leaving the file, every image loaded at its declared
//! size, and a full-page screenshot that is not blank. With `CI=true` a
//! missing browser or driver fails the test; elsewhere it is skipped with a
//! notice.

use std::fs;
use std::path::Path;
use std::time::Duration;

use assert_cmd::cargo::cargo_bin_cmd;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn chromium() -> String {
    std::env::var("BRINK_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// Why the browser check cannot run here, if it cannot.
fn missing_tools() -> Option<String> {
    let driver = Path::new(ROOT).join("tests/browser/node_modules/playwright-core");
    if !Path::new(&chromium()).exists() {
        return Some(format!(
            "no Chromium at {} (apt-get install -y chromium)",
            chromium()
        ));
    }
    if !driver.exists() {
        return Some(
            "playwright-core is not installed (npm install --prefix tests/browser)".into(),
        );
    }
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        return Some("node is not installed".into());
    }
    None
}

/// True when the browser check can run; otherwise skips (or, in CI, fails)
/// the test called `name`.
fn tools_ready(name: &str) -> bool {
    if let Some(why) = missing_tools() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("browser test cannot run in CI: {why}; .ci/run installs it");
        }
        eprintln!("\n**********\nSKIPPED {name}: {why}\n**********\n");
        return false;
    }
    true
}

/// Opens every `(report, screenshot)` in one browser session and returns
/// what it saw on each page.
fn check_in_browser(pages: &[(&Path, &Path)]) -> Vec<serde_json::Value> {
    let mut cmd = assert_cmd::Command::new("node");
    cmd.arg(Path::new(ROOT).join("tests/browser/check_report.mjs"))
        .arg(pages[0].0)
        .arg(pages[0].1)
        .arg(chromium());
    for (report, shot) in &pages[1..] {
        cmd.arg(report).arg(shot);
    }
    let out = cmd.timeout(Duration::from_secs(90)).output().unwrap();
    assert!(
        out.status.success(),
        "browser check failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(seen.len(), pages.len(), "{seen:?}");
    seen
}

/// The page had no errors, fetched nothing and showed `images` images,
/// each loaded at the size its tag declares.
fn assert_clean(seen: &serde_json::Value, images: usize) {
    assert_eq!(seen["console_errors"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["page_errors"], serde_json::json!([]), "{seen}");
    assert_eq!(
        seen["blocked"],
        serde_json::json!([]),
        "report fetched: {seen}"
    );
    let imgs = seen["images"].as_array().unwrap();
    assert_eq!(imgs.len(), images, "{seen}");
    for img in imgs {
        assert_eq!(img["complete"], true, "{img}");
        assert_eq!(img["natural_width"], img["attr_width"], "{img}");
        assert_eq!(img["natural_height"], img["attr_height"], "{img}");
        assert!(img["shown_width"].as_f64().unwrap() > 600.0, "{img}");
    }
}

fn brink_into(out: &Path, args: &[&str]) {
    cargo_bin_cmd!("brink")
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out)
        .assert()
        .success();
}

#[test]
fn report_renders_in_headless_chromium() {
    if !tools_ready("report_renders_in_headless_chromium") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    cargo_bin_cmd!("brink")
        .args(["run", "--trials", "500", "--seed", "3", "--quiet", "--out"])
        .arg(tmp.path())
        .arg(Path::new(ROOT).join("scenarios/muscat-2026.toml"))
        .assert()
        .success();
    let report = tmp.path().join("muscat-2026/report.html");
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshot.png");
    let seen = check_in_browser(&[(&report, &shot)]).remove(0);
    assert_clean(&seen, 6);
    for img in seen["images"].as_array().unwrap() {
        assert_eq!(img["natural_width"], 1200, "{img}");
        // The milestones plot has two panels (curves and hazard).
        let milestones = img["alt"].as_str().unwrap().starts_with("Milestones");
        assert_eq!(
            img["natural_height"],
            if milestones { 1100 } else { 700 },
            "{img}"
        );
    }
    assert!(seen["title"].as_str().unwrap().contains("Muscat talks"));

    // The screenshot: a long page with ink on it and the plots' colours.
    let decoder = png::Decoder::new(std::io::Cursor::new(fs::read(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buf).unwrap();
    let channels = frame.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..frame.buffer_size()].chunks(channels).collect();
    assert!(
        frame.width >= 1200 && frame.height > 3000,
        "{}x{}",
        frame.width,
        frame.height
    );
    let ink = pixels
        .iter()
        .filter(|p| p[..3].iter().any(|&c| c < 200))
        .count();
    let share = ink as f64 / pixels.len() as f64;
    assert!(
        share > 0.03,
        "screenshot looks blank: {:.1}% ink",
        share * 100.0
    );
    let near = |p: &[u8], rgb: [u8; 3]| p.iter().zip(rgb).all(|(&a, b)| a.abs_diff(b) <= 4);
    for (what, rgb) in [
        ("deal bar", [0x00, 0x72, 0xb2]),
        ("war", [0xd5, 0x5e, 0x00]),
    ] {
        assert!(
            pixels.iter().filter(|p| near(p, rgb)).count() > 500,
            "no {what} colour in the screenshot"
        );
    }
    eprintln!("report screenshot: {}", shot.display());
}

#[test]
fn compare_and_analysis_reports_render_in_headless_chromium() {
    if !tools_ready("compare_and_analysis_reports_render_in_headless_chromium") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    let baseline = Path::new(ROOT).join("scenarios/muscat-2026.toml");
    let baseline = baseline.to_str().unwrap();
    let no_oman = Path::new(ROOT).join("scenarios/no-oman.toml");
    brink_into(
        out,
        &[
            "compare",
            baseline,
            no_oman.to_str().unwrap(),
            "--trials",
            "300",
        ],
    );
    brink_into(
        out,
        &[
            "sweep",
            baseline,
            "--param",
            "initial.trust",
            "--values",
            "0.05,0.3",
            "--trials",
            "200",
        ],
    );
    brink_into(
        out,
        &[
            "sensitivity",
            baseline,
            "--samples",
            "6",
            "--trials-per-sample",
            "10",
            "--bootstrap",
            "20",
        ],
    );
    brink_into(out, &["discover", baseline, "--trials", "400"]);
    let targets = Path::new(ROOT).join("scenarios/targets/muscat-2026-experts.toml");
    brink_into(
        out,
        &[
            "calibrate",
            baseline,
            "--targets",
            targets.to_str().unwrap(),
            "--samples",
            "100",
            "--trials-per-sample",
            "50",
        ],
    );
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let reports = [
        ("compare-muscat-2026-vs-no-oman", 5, "against 1 alternative"),
        (
            "sweep-muscat-2026-initial-trust",
            2,
            "sweep of initial.trust",
        ),
        ("sensitivity-muscat-2026", 4, "what drives the outcomes"),
        (
            "discover-muscat-2026-war_ongoing",
            3,
            "where war ongoing is most likely",
        ),
        (
            "calibrate-muscat-2026",
            3,
            "calibration against expert targets",
        ),
    ];
    let files: Vec<(std::path::PathBuf, std::path::PathBuf)> = reports
        .iter()
        .map(|(dir, _, _)| {
            (
                out.join(dir).join("report.html"),
                shots.join(format!("{dir}-screenshot.png")),
            )
        })
        .collect();
    let pages: Vec<(&Path, &Path)> = files
        .iter()
        .map(|(r, s)| (r.as_path(), s.as_path()))
        .collect();
    let seen = check_in_browser(&pages);
    for ((dir, images, title), seen) in reports.iter().zip(&seen) {
        assert_clean(seen, *images);
        assert!(
            seen["title"].as_str().unwrap().contains(title),
            "{dir}: {}",
            seen["title"]
        );
        assert!(seen["scroll_height"].as_f64().unwrap() > 2000.0, "{dir}");
    }
    eprintln!("screenshots: {}", shots.display());
}
