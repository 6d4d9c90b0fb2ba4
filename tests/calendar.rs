//! Calendar time end to end: a scenario with `[run] start` shows the date of
//! every step in `summary.json`, `timeseries.csv`, the trace and the printed
//! table; the dates are `start + step · step_days`; the outputs do not depend
//! on the thread count; a scenario without a start has no dates; bad
//! calendars are refused at their position with a hint.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use brink::scenario::{Calendar, load_str};
use chrono::{Days, NaiveDate};
use common::{files, without_command};

fn brink() -> Command {
    Command::cargo_bin("brink").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(scenario: &str, out: &Path, extra: &[&str]) -> PathBuf {
    brink()
        .current_dir(root())
        .args(["run", scenario, "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
    // Every scenario used here is named after its file.
    out.join(Path::new(scenario).file_stem().unwrap())
}

/// The `step` and `date` columns of a `timeseries.csv`.
fn steps_and_dates(csv: &str) -> Vec<(u32, String)> {
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("step,date,rung_0,"), "{header}");
    lines
        .map(|l| {
            let mut cells = l.split(',');
            let step = cells.next().unwrap().parse().unwrap();
            (step, cells.next().unwrap().to_string())
        })
        .collect()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

#[test]
fn timeseries_dates_are_the_start_plus_steps_of_the_step_length() {
    let tmp = tempfile::tempdir().unwrap();
    for (scenario, start, days, horizon) in [
        (
            "tests/fixtures/valid/daily-year.toml",
            "2026-02-07",
            1u64,
            365u32,
        ),
        ("scenarios/muscat-2026.toml", "2026-02-07", 7, 52),
    ] {
        let dir = run(scenario, tmp.path(), &["--trials", "300", "--no-plots"]);
        let rows = steps_and_dates(&std::fs::read_to_string(dir.join("timeseries.csv")).unwrap());
        assert_eq!(rows.len(), horizon as usize + 1, "{scenario}");
        for (step, date) in &rows {
            let expected = day(start)
                .checked_add_days(Days::new(u64::from(*step) * days))
                .unwrap();
            assert_eq!(day(date), expected, "{scenario} step {step}");
        }
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
        assert_eq!(summary["calendar"]["start"], start);
        assert_eq!(summary["calendar"]["step_days"], days);
        let steps = summary["series"]["steps"].as_array().unwrap();
        assert_eq!(steps.len(), rows.len());
        assert!(
            steps
                .iter()
                .zip(&rows)
                .all(|(s, (_, r))| s["date"] == r.as_str())
        );
        // Every time-to-outcome statistic has its date beside it.
        for o in summary["outcomes"].as_array().unwrap() {
            let Some(step) = o["step"].as_object() else {
                continue;
            };
            for key in ["p10", "p25", "median", "p75", "p90"] {
                let t = step[key].as_u64().unwrap() as usize;
                assert_eq!(step["dates"][key], rows[t].1.as_str(), "{scenario} {key}");
            }
        }
    }
    // The daily year crosses into 2027 and passes no 29 February (2026 and
    // 2027 are not leap years): 365 days after 2026-02-07 is 2027-02-07.
    let daily = std::fs::read_to_string(tmp.path().join("daily-year/timeseries.csv")).unwrap();
    let rows = steps_and_dates(&daily);
    assert_eq!(rows[327].1, "2026-12-31");
    assert_eq!(rows[328].1, "2027-01-01");
    assert_eq!(rows[365].1, "2027-02-07");
}

#[test]
fn dated_outputs_are_identical_with_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = "tests/fixtures/valid/daily-year.toml";
    let one = files(&run(scenario, &tmp.path().join("1"), &["--threads", "1"]));
    let two = files(&run(scenario, &tmp.path().join("2"), &["--threads", "2"]));
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    assert!(one.contains_key("plots/rungs.png"));
    for (name, bytes) in &one {
        match name.as_str() {
            // It records the command line, which names the thread count.
            "manifest.json" => {}
            "report.html" => assert_eq!(without_command(bytes), without_command(&two[name])),
            _ => assert!(
                bytes == &two[name],
                "{name} differs between 1 and 2 threads"
            ),
        }
    }
    let report = String::from_utf8(one["report.html"].clone()).unwrap();
    assert!(report.contains("Median date"), "the report shows dates");
    assert!(report.contains("365 days from 2026-02-07 to 2027-02-07"));
}

#[test]
fn a_scenario_without_a_start_has_no_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run(
        "tests/fixtures/valid/minimal.toml",
        tmp.path(),
        &["--trials", "50", "--no-plots"],
    );
    let csv = std::fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    assert!(csv.starts_with("step,rung_0,"), "{csv}");
    let summary = std::fs::read_to_string(dir.join("summary.json")).unwrap();
    assert!(!summary.contains("calendar") && !summary.contains("dates"));
}

#[test]
fn the_trace_dates_every_step() {
    let text = brink()
        .current_dir(root())
        .args(["trace", "scenarios/muscat-2026.toml", "--trial", "0"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("\nweek 0 (2026-02-07): rung 2"), "{text}");
    assert!(text.contains("\nweek 1 (2026-02-14): "), "{text}");
    let csv = brink()
        .current_dir(root())
        .args([
            "trace",
            "tests/fixtures/valid/daily-year.toml",
            "--trial",
            "0",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("step,date,rung_before,"));
    assert!(lines.next().unwrap().starts_with("0,2026-02-07,"));
    assert!(lines.next().unwrap().starts_with("1,2026-02-08,"));
}

const BASE: &str = include_str!("fixtures/valid/minimal.toml");

/// The minimal scenario with `[run]` replaced by `run`.
fn with_run(run: &str) -> String {
    let start = BASE.find("[run]").unwrap();
    let end = BASE.find("[initial]").unwrap();
    format!("{}{run}\n{}", &BASE[..start], &BASE[end..])
}

fn problems(run: &str) -> String {
    match load_str(Path::new("x.toml"), &with_run(run)) {
        Ok((_, diags)) => diags.to_string(),
        Err(diags) => diags.to_string(),
    }
}

fn calendar(run: &str) -> Calendar {
    let (s, _) = load_str(Path::new("x.toml"), &with_run(run)).unwrap();
    s.calendar.expect("a calendar")
}

#[test]
fn the_step_length_comes_from_the_step_or_step_days() {
    let c = calendar("[run]\nhorizon = 10\nstart = \"2028-02-26\"\nstep = \"day\"");
    assert_eq!((c.step_days(), c.date(3)), (1, "2028-02-29".to_string()));
    // A week is the default step.
    let c = calendar("[run]\nhorizon = 10\nstart = 2026-12-26");
    assert_eq!((c.step_days(), c.date(1)), (7, "2027-01-02".to_string()));
    let c = calendar(
        "[run]\nhorizon = 10\nstart = \"2026-02-07\"\nstep = \"fortnight\"\nstep_days = 14",
    );
    assert_eq!(c.date(2), "2026-03-07");
    let (s, _) = load_str(Path::new("x.toml"), &with_run("[run]\nhorizon = 10")).unwrap();
    assert_eq!(s.calendar, None);
}

#[test]
fn calendar_errors_are_positioned_with_hints() {
    let cases = [
        (
            "[run]\nhorizon = 10\nstart = \"2026-02-30\"",
            "x.toml:9:9: error: `run.start`: `2026-02-30` is not a day of the calendar",
            "hint: February 2026 has 28 days",
        ),
        (
            "[run]\nhorizon = 10\nstart = \"Feb 7\"",
            "x.toml:9:9: error: `run.start`: `Feb 7` is not a date in the form YYYY-MM-DD",
            "for example `start = \"2026-02-07\"`",
        ),
        (
            "[run]\nhorizon = 10\nstep = \"month\"\nstart = \"2026-02-07\"",
            "x.toml:9:8: error: a dated scenario needs the length of its step",
            "add `step_days = N`",
        ),
        (
            "[run]\nhorizon = 10\nstep = \"day\"\nstep_days = 2\nstart = \"2026-02-07\"",
            "x.toml:10:13: error: `run.step_days` is 2, but a day lasts 1 day",
            "remove `step_days`",
        ),
        (
            "[run]\nhorizon = 10\nstart = 7",
            "x.toml:9:9: error: `run.start` has the wrong type: expected a date such as \"2026-02-07\"",
            "hint:",
        ),
        (
            "[run]\nhorizon = 1000\nstart = \"9999-01-01\"",
            "x.toml:9:9: error: from 9999-01-01 the last step of the horizon falls after 9999-12-31",
            "start earlier",
        ),
        (
            "[run]\nhorizon = 10\nstep = \"week\"\nstep_days = 0\nstart = \"2026-02-07\"",
            "x.toml:10:13: error: `run.step_days` is 0, but must be between 1 and 366",
            "hint:",
        ),
        (
            "[run]\nhorizon = 10\nstep_days = 3",
            "x.toml:9:13: warning: `run.step_days` has no effect without `run.start`",
            "add `start = \"YYYY-MM-DD\"`",
        ),
    ];
    for (run, message, hint) in cases {
        let text = problems(run);
        assert!(text.contains(message), "{run}\n---\n{text}");
        assert!(text.contains(hint), "{run}\n---\n{text}");
    }
}
