//! `brink trace` tells the story of exactly the trial `brink run` recorded:
//! same outcome, step, highest rung, escalation, final values and move counts.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn brink(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("brink runs")
}

fn trace_json(scenario: &str, trial: u64, seed: u64) -> serde_json::Value {
    let out = brink(&[
        "trace",
        scenario,
        "--trial",
        &trial.to_string(),
        "--seed",
        &seed.to_string(),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("trace is JSON")
}

#[test]
fn a_trace_is_the_trial_that_run_recorded() {
    let out_dir = tempfile::tempdir().unwrap();
    let seed = 11;
    let scenario = "scenarios/muscat-2026.toml";
    let out = brink(&[
        "run",
        scenario,
        "--trials",
        "1500",
        "--seed",
        &seed.to_string(),
        "--threads",
        "2",
        "--quiet",
        "--out",
        out_dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let mut reader = csv::Reader::from_path(out_dir.path().join("muscat-2026/trials.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    // Trials from both chunks (1024 trials each) and the last one.
    let mut seen = std::collections::BTreeSet::new();
    for trial in [0u64, 1, 17, 1023, 1024, 1499] {
        let row = &rows[trial as usize];
        assert_eq!(row["trial"], trial.to_string());
        let t = trace_json(scenario, trial, seed);
        seen.insert(t["outcome"].as_str().unwrap().to_string());
        assert_eq!(t["trial"].as_u64(), Some(trial));
        assert_eq!(t["outcome"].as_str().unwrap(), row["outcome"]);
        for key in ["outcome_step", "max_rung", "escalation_total", "incidents"] {
            assert_eq!(t[key].to_string(), row[key], "trial {trial}: {key}");
        }
        for key in ["first_strike_step", "breakout_step"] {
            let v = if t[key].is_null() {
                String::new()
            } else {
                t[key].to_string()
            };
            assert_eq!(v, row[key], "trial {trial}: {key}");
        }
        let steps = t["steps"].as_array().unwrap();
        assert_eq!(steps.len().to_string(), row["steps"]);
        let end = &t["final_state"];
        assert_eq!(end["rung"].to_string(), row["final_rung"]);
        assert_eq!(
            u8::from(end["talks_active"].as_bool().unwrap()).to_string(),
            row["talks_active"]
        );
        for var in [
            "trust",
            "talks_progress",
            "stockpile",
            "sanctions",
            "us_posture",
            "iran_readiness",
        ] {
            let csv_value: f64 = row[&format!("final_{var}")].parse().unwrap();
            // trials.csv holds final values on the 1e-9 grid of brink's sums.
            assert_eq!(
                brink::output::digits::state_value(end[var].as_f64().unwrap()),
                csv_value,
                "trial {trial}: {var}"
            );
        }
        for m in t["moves"].as_array().unwrap() {
            let column = format!(
                "n_{}__{}",
                m["actor"].as_str().unwrap(),
                m["action"].as_str().unwrap()
            );
            assert_eq!(
                m["count"].to_string(),
                row[&column],
                "trial {trial}: {column}"
            );
        }
    }
    assert!(
        seen.len() >= 2,
        "the trials checked all end the same way: {seen:?}"
    );
}

#[test]
fn text_trace_of_a_small_scenario() {
    let out = brink(&["trace", "tests/fixtures/valid/minimal.toml", "--trial", "2"]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn csv_trace_has_a_row_per_step_and_a_column_set_per_actor() {
    let out = brink(&[
        "trace",
        "tests/fixtures/valid/minimal.toml",
        "--trial",
        "5",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let mut reader = csv::Reader::from_reader(&out.stdout[..]);
    let header = reader.headers().unwrap().clone();
    assert!(header.iter().any(|h| h == "us.probability"));
    assert!(header.iter().any(|h| h == "iran.action"));
    let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
    let json = trace_json("tests/fixtures/valid/minimal.toml", 5, 1);
    assert_eq!(rows.len(), json["steps"].as_array().unwrap().len() + 1);
    assert_eq!(&rows[0][0], "0");
}

#[test]
fn trace_refuses_an_invalid_scenario() {
    let out = brink(&["trace", "tests/fixtures/invalid/nan.toml", "--trial", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a finite number is required"));
    let out = brink(&["trace", "scenarios/muscat-2026.toml"]);
    assert_eq!(out.status.code(), Some(2), "--trial is required");
}
