//! `brink forecast` and `--given` against answers known in closed form: a
//! ladder on the rung whose distribution at every step follows from powers
//! of its transition matrix (`tests/fixtures/forecast/ladder.toml`).
//! Tolerances are four Monte Carlo standard errors, computed from the
//! closed-form answer and the number of trials it is estimated from.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;

const UP: f64 = 0.3;
const DOWN: f64 = 0.25;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/forecast")
        .join(name)
}

fn brink(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .expect("brink runs")
}

/// The rung's distribution (rungs 0..=5; 0 and 5 absorb) after one step.
fn step(p: &[f64; 6]) -> [f64; 6] {
    let mut next = [0.0; 6];
    next[0] += p[0];
    next[5] += p[5];
    for r in 1..=4 {
        next[r + 1] += p[r] * UP;
        next[r - 1] += p[r] * DOWN;
        next[r] += p[r] * (1.0 - UP - DOWN);
    }
    next
}

/// The distribution after `steps` steps from rung `from`.
fn after(from: usize, steps: u32) -> [f64; 6] {
    let mut p = [0.0; 6];
    p[from] = 1.0;
    for _ in 0..steps {
        p = step(&p);
    }
    p
}

/// P(the rung is at least 3 for `n` consecutive steps among steps 1..=by),
/// from rung 2, by dynamic programming over (rung, current run).
fn run_probability(n: usize, by: u32) -> f64 {
    // state[r][k]: at rung r with a current run of k (< n), not yet done.
    let mut state = vec![vec![0.0; n]; 6];
    state[2][0] = 1.0;
    let mut done = 0.0;
    for _ in 1..=by {
        let mut next = vec![vec![0.0; n]; 6];
        for (r, row) in state.iter().enumerate() {
            for (k, &mass) in row.iter().enumerate() {
                if mass == 0.0 {
                    continue;
                }
                let moves: Vec<(usize, f64)> = if r == 0 || r == 5 {
                    vec![(r, 1.0)]
                } else {
                    vec![(r + 1, UP), (r - 1, DOWN), (r, 1.0 - UP - DOWN)]
                };
                for (to, p) in moves {
                    let run = if to >= 3 { k + 1 } else { 0 };
                    if run >= n {
                        done += mass * p;
                    } else {
                        next[to][run] += mass * p;
                    }
                }
            }
        }
        state = next;
    }
    done
}

fn forecast(args: &[&str]) -> Value {
    let out = brink(args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = args
        .iter()
        .position(|&a| a == "--out")
        .map(|k| PathBuf::from(args[k + 1]))
        .unwrap();
    let text = std::fs::read_to_string(dir.join("forecast-ladder-forecast/forecast.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn assert_within(name: &str, estimate: f64, truth: f64, n: f64) {
    let se = (truth * (1.0 - truth) / n).sqrt();
    let z = (estimate - truth) / se;
    assert!(
        z.abs() < 4.0,
        "{name}: estimate {estimate}, closed form {truth}, {z:.2} standard errors away"
    );
}

#[test]
fn answers_match_the_chain() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().to_str().unwrap();
    let scenario = fixture("ladder.toml");
    let questions = fixture("ladder.questions.toml");
    let f = forecast(&[
        "forecast",
        scenario.to_str().unwrap(),
        "--questions",
        questions.to_str().unwrap(),
        "--out",
        out,
        "--no-plots",
    ]);
    assert_eq!(f["schema"], "brink.forecast/1");
    assert_eq!(f["start"], "2026-01-03");
    let n = f["trials"].as_f64().unwrap();
    assert_eq!(f["kept"].as_f64().unwrap(), n);
    let q = |k: usize, key: &str| f["questions"][k][key].clone();
    let war10 = after(2, 10)[5];
    assert_within(
        "P(war by step 10)",
        q(0, "probability").as_f64().unwrap(),
        war10,
        n,
    );
    assert_eq!(q(0, "date"), "2026-03-14");
    assert_eq!(q(0, "step"), 10);
    assert_eq!(q(0, "resolved"), true);
    assert_eq!(q(0, "spread_low"), Value::Null);
    // The same event through a date gives the same trials.
    assert_eq!(q(1, "hits"), q(0, "hits"));
    assert_eq!(q(1, "event"), "war_start by 2026-03-14");
    assert_within(
        "P(rung >= 3 for 3 steps by step 10)",
        q(2, "probability").as_f64().unwrap(),
        run_probability(3, 10),
        n,
    );
    // A deal exactly at step 3: reached rung 0 for the first time at step 3.
    let deal3 = after(2, 3)[0] - after(2, 2)[0];
    assert_within(
        "P(deal at step 3)",
        q(3, "probability").as_f64().unwrap(),
        deal3,
        n,
    );
    // The Wilson interval holds the estimate.
    for k in 0..4 {
        let p = q(k, "probability").as_f64().unwrap();
        assert!(q(k, "mc_low").as_f64().unwrap() <= p && p <= q(k, "mc_high").as_f64().unwrap());
    }
}

#[test]
fn conditioning_matches_the_chain_started_from_the_condition() {
    // P(war by step 10 | rung 4 at step 3) is P(war within 7 steps | rung 4).
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().to_str().unwrap();
    let scenario = fixture("ladder.toml");
    let questions = fixture("ladder.conditioned.toml");
    let f = forecast(&[
        "forecast",
        scenario.to_str().unwrap(),
        "--questions",
        questions.to_str().unwrap(),
        "--out",
        out,
        "--trials",
        "40000",
    ]);
    let kept = f["kept"].as_f64().unwrap();
    let at4 = after(2, 3)[4];
    assert_within("P(rung 4 at step 3)", kept / 40_000.0, at4, 40_000.0);
    let truth = after(4, 7)[5];
    let p = f["questions"][0]["probability"].as_f64().unwrap();
    assert_within("P(war by 10 | rung 4 at 3)", p, truth, kept);
    // Not the unconditional answer: the condition carries information.
    assert!((truth - after(2, 10)[5]).abs() > 0.1);
    assert_eq!(f["given"][0], "rung == 4 at step 3");

    // `run --given` keeps the same trials, and its war share is the same
    // conditional probability up to the horizon (17 steps from rung 4).
    let run = brink(&[
        "run",
        scenario.to_str().unwrap(),
        "--given",
        "rung == 4 at step 3",
        "--trials",
        "40000",
        "--out",
        out,
        "--no-plots",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let console = String::from_utf8_lossy(&run.stdout);
    assert!(
        console.contains(&format!("kept {} of 40000 trials", kept)),
        "{console}"
    );
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("forecast-ladder/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["conditioning"]["kept"].as_f64().unwrap(), kept);
    assert_eq!(summary["conditioning"]["trials_run"], 40_000);
    assert_eq!(summary["trials"].as_f64().unwrap(), kept);
    let war = summary["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["outcome"] == "war_ongoing")
        .map(|o| o["probability"].as_f64().unwrap())
        .unwrap();
    assert_within("P(war by 20 | rung 4 at 3)", war, after(4, 17)[5], kept);
    // trials.csv holds only kept trials, with their indices.
    let csv = std::fs::read_to_string(tmp.path().join("forecast-ladder/trials.csv")).unwrap();
    assert_eq!(csv.lines().count() as f64 - 1.0, kept);
}

#[test]
fn too_few_kept_trials_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = fixture("ladder.toml");
    let out = brink(&[
        "run",
        scenario.to_str().unwrap(),
        "--given",
        "rung == 4 at step 3",
        "--trials",
        "300",
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("at least 100 are needed"), "{err}");
    assert!(err.contains("hint: run more trials"), "{err}");
    assert!(!tmp.path().join("forecast-ladder").exists());
    // A bad event points under the text.
    let out = brink(&[
        "run",
        scenario.to_str().unwrap(),
        "--given",
        "rung == 4 at stp 3",
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rung == 4 at stp 3\n               ^^^"),
        "{err}"
    );
    // Shards and conditions do not mix.
    let out = brink(&[
        "run",
        scenario.to_str().unwrap(),
        "--given",
        "war",
        "--shard",
        "1/2",
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--given cannot be combined with --shard")
    );
}

#[test]
fn forecast_outputs_do_not_depend_on_the_thread_count() {
    let scenario = fixture("ladder.toml");
    let questions = fixture("ladder.questions.toml");
    let dirs: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    for (threads, dir) in ["1", "2"].iter().zip(&dirs) {
        let out = brink(&[
            "forecast",
            scenario.to_str().unwrap(),
            "--questions",
            questions.to_str().unwrap(),
            "--given",
            "rung >= 3 by step 2",
            "--trials",
            "5000",
            "--threads",
            threads,
            "--out",
            dir.path().to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // report.html records the command line, which names the thread count.
    for file in ["forecast.json", "forecast.csv"] {
        let read = |d: &tempfile::TempDir| {
            std::fs::read(d.path().join("forecast-ladder-forecast").join(file)).unwrap()
        };
        assert_eq!(read(&dirs[0]), read(&dirs[1]), "{file}");
    }
}

#[test]
fn bad_question_files_report_every_problem_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = fixture("ladder.toml");
    let questions = fixture("bad.questions.toml");
    let out = brink(&[
        "forecast",
        scenario.to_str().unwrap(),
        "--questions",
        questions.to_str().unwrap(),
        "--out",
        tmp.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for want in [
        "bad.questions.toml:1:1: error: unknown key `titel`",
        "did you mean `title`?",
        "bad.questions.toml:4:6: error: `Bad Id` is not a question id",
        "bad.questions.toml:6:10: error: unknown name `war_strat`",
        "did you mean `war_start`?",
        "bad.questions.toml:11:18: error: this is step",
        "a question needs `text`",
        "bad.questions.toml:16:1: error: unknown key `colour` in a question",
        "invalid, 6 errors",
    ] {
        assert!(err.contains(want), "missing {want:?} in\n{err}");
    }
}
