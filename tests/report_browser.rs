//! Opens a run's `report.html` in headless Chromium (Debian's, driven by
//! playwright-core from `tests/browser/`) and checks that it rendered: no
//! console or page errors, no request leaving the file, every image loaded,
//! and a full-page screenshot that is not blank. With `CI=true` a missing
//! browser or driver fails the test; elsewhere it is skipped with a notice.

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

#[test]
fn report_renders_in_headless_chromium() {
    if let Some(why) = missing_tools() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("browser test cannot run in CI: {why}; .ci/run installs it");
        }
        eprintln!("\n**********\nSKIPPED report_renders_in_headless_chromium: {why}\n**********\n");
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

    let out = assert_cmd::Command::new("node")
        .arg(Path::new(ROOT).join("tests/browser/check_report.mjs"))
        .arg(&report)
        .arg(&shot)
        .arg(chromium())
        .timeout(Duration::from_secs(90))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "browser check failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(seen["console_errors"], serde_json::json!([]), "{seen}");
    assert_eq!(seen["page_errors"], serde_json::json!([]), "{seen}");
    assert_eq!(
        seen["blocked"],
        serde_json::json!([]),
        "report fetched: {seen}"
    );
    let images = seen["images"].as_array().unwrap();
    assert_eq!(images.len(), 5, "{seen}");
    for img in images {
        assert_eq!(img["complete"], true, "{img}");
        assert_eq!(img["natural_width"], 1200, "{img}");
        assert_eq!(img["natural_height"], 700, "{img}");
        assert!(img["shown_width"].as_f64().unwrap() > 600.0, "{img}");
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
