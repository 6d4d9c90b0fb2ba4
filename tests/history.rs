//! Starting mid-crisis (`[history]`) against answers known in closed form:
//! a war started before the start and in a ceasefire ends as the war chain
//! says, counting the steps the ceasefire has already held; a run started
//! from a state gives the distribution of a run that reaches the state,
//! conditioned on it; strikes before the start are the first strike of every
//! trial; a last move before the start is what reciprocity answers in step 1;
//! and the outputs say what had happened. Tolerances are Monte Carlo standard
//! errors computed from the closed-form answer itself.

use std::path::{Path, PathBuf};
use std::process::Command;

use brink::engine::simulate;
use brink::engine::{ParamSpace, RunPlan, StepView, TrialObserver, TrialRecord, TrialRunner};
use brink::model::Model;
use brink::scenario::load_str;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn model(fixture: &str) -> Model {
    let (scenario, warnings) =
        brink::scenario::load(&root().join(fixture)).unwrap_or_else(|d| panic!("{d}"));
    assert!(!warnings.has_errors(), "{warnings}");
    Model::compile(&scenario)
}

/// The index of the milestone column `name` (`war_end_step`).
fn column(m: &Model, name: &str) -> usize {
    m.milestones
        .iter()
        .position(|x| x.column(&m.actors) == name)
        .unwrap_or_else(|| panic!("no milestone {name}"))
}

/// Ceasefire flags at the end of steps 0..=3, kept per trial.
#[derive(Default)]
struct EarlyCeasefire {
    flags: [bool; 4],
}

impl TrialObserver for EarlyCeasefire {
    fn on_start(&mut self, view: &StepView) {
        self.flags = [view.ceasefire, false, false, false];
    }

    fn on_step(&mut self, view: &StepView) {
        if let Some(f) = self.flags.get_mut(view.step as usize) {
            *f = view.ceasefire;
        }
    }
}

/// Runs `n` trials of `m`, returning each trial's record and its
/// ceasefire flags at steps 0..=3.
fn trials(m: &Model, n: u64, seed: u64) -> Vec<(TrialRecord, [bool; 4])> {
    let coef = m.base_coefficients();
    let mut runner = TrialRunner::new(m, seed);
    let mut counts = vec![0u32; m.n_moves()];
    let mut obs = EarlyCeasefire::default();
    (0..n)
        .map(|i| {
            let r = runner.run(&coef, i, &mut counts, &mut obs);
            (r, obs.flags)
        })
        .collect()
}

/// The war chain with ceasefire chance `c`, collapse chance `k` and 3 holds
/// to end a war: states war, held 0, held 1, held 2, ended.
fn war_chain(c: f64, k: f64) -> [[f64; 5]; 5] {
    [
        [1.0 - c, c, 0.0, 0.0, 0.0],
        [k, 0.0, 1.0 - k, 0.0, 0.0],
        [k, 0.0, 0.0, 1.0 - k, 0.0],
        [k, 0.0, 0.0, 0.0, 1.0 - k],
        [0.0, 0.0, 0.0, 0.0, 1.0],
    ]
}

/// P(the war has ended by `t` steps from `state`), for t = 0..=steps.
fn ended_by(p: &[[f64; 5]; 5], state: usize, steps: usize) -> Vec<f64> {
    let mut dist = [0.0; 5];
    dist[state] = 1.0;
    let mut out = vec![dist[4]];
    for _ in 0..steps {
        dist = std::array::from_fn(|j| (0..5).map(|i| dist[i] * p[i][j]).sum());
        out.push(dist[4]);
    }
    out
}

/// Share of `ends` (steps counted from the start) at or before `t`.
fn share_by(ends: &[Option<u32>], t: u32) -> f64 {
    ends.iter().filter(|e| e.is_some_and(|e| e <= t)).count() as f64 / ends.len() as f64
}

fn assert_share(what: &str, got: f64, p: f64, n: usize, z: f64) {
    let se = (p * (1.0 - p) / n as f64).sqrt().max(1e-12);
    assert!(
        (got - p).abs() <= z * se,
        "{what}: {got} against {p} (±{:.5})",
        z * se
    );
}

#[test]
fn a_war_in_a_ceasefire_at_the_start_ends_as_the_chain_says_counting_the_weeks_held() {
    let m = model("tests/fixtures/valid/history-ceasefire.toml");
    let n = 40_000;
    let runs = trials(&m, n, 5);
    let (start, cease, end) = (
        column(&m, "war_start_step"),
        column(&m, "ceasefire_step"),
        column(&m, "war_end_step"),
    );
    for (r, flags) in &runs {
        assert_eq!(
            r.milestones[start],
            Some(0),
            "the war began before the start"
        );
        assert_eq!(r.milestones[cease], Some(0), "so did the ceasefire");
        assert_eq!(r.first_strike_step, Some(0), "a war implies a first strike");
        assert!(flags[0], "the ceasefire holds at the start");
    }
    let ends: Vec<Option<u32>> = runs.iter().map(|(r, _)| r.milestones[end]).collect();
    // Held one week of three: the war cannot end in week 1, and ends in
    // week 2 unless the ceasefire collapses in week 1 or 2: 0.8^2.
    assert_eq!(share_by(&ends, 1), 0.0);
    let n = n as usize;
    assert_share("war ended in week 2", share_by(&ends, 2), 0.64, n, 4.0);
    // Week 1 collapses with the declared chance.
    let held_week_1 = runs.iter().filter(|(_, f)| f[1]).count() as f64 / n as f64;
    assert_share(
        "ceasefire still holds after week 1",
        held_week_1,
        0.8,
        n,
        4.0,
    );
    // And every later week follows the chain from "held 1".
    let exact = ended_by(&war_chain(0.3, 0.2), 2, 12);
    for (t, &p) in exact.iter().enumerate().skip(3) {
        assert_share(
            &format!("war ended by week {t}"),
            share_by(&ends, t as u32),
            p,
            n,
            4.5,
        );
    }
}

/// A run started mid-crisis from a state gives the distribution of a run
/// that reaches the state and is conditioned on it: `war-chain.toml` forces
/// a war in step 1; the trials whose first ceasefire (step 2) still holds at
/// the end of step 3 are in the state "war in a ceasefire held one step",
/// the start of `history-ceasefire.toml`. Both match the chain from that state.
#[test]
fn starting_from_a_state_is_conditioning_on_reaching_it() {
    let full = model("tests/fixtures/model2/war-chain.toml");
    let end_full = column(&full, "war_end_step");
    let kept: Vec<Option<u32>> = trials(&full, 100_000, 9)
        .into_iter()
        .filter(|(r, f)| r.milestones[column(&full, "ceasefire_step")] == Some(2) && f[2] && f[3])
        .map(|(r, _)| r.milestones[end_full].map(|e| e - 3))
        .collect();
    // 0.3 (ceasefire in step 2) * 0.8 (no collapse in step 3) of the trials.
    assert_share(
        "trials in the state",
        kept.len() as f64 / 100_000.0,
        0.24,
        100_000,
        4.0,
    );

    let mid = model("tests/fixtures/valid/history-ceasefire.toml");
    let end_mid = column(&mid, "war_end_step");
    let started: Vec<Option<u32>> = trials(&mid, 40_000, 13)
        .into_iter()
        .map(|(r, _)| r.milestones[end_mid])
        .collect();

    let exact = ended_by(&war_chain(0.3, 0.2), 2, 15);
    for t in 1..=15u32 {
        let p = exact[t as usize];
        let a = share_by(&kept, t);
        let b = share_by(&started, t);
        assert_share(&format!("conditioned, by step {t}"), a, p, kept.len(), 4.5);
        assert_share(
            &format!("started mid-crisis, by step {t}"),
            b,
            p,
            started.len(),
            4.5,
        );
        let se = (p * (1.0 - p) * (1.0 / kept.len() as f64 + 1.0 / started.len() as f64)).sqrt();
        assert!(
            (a - b).abs() <= 4.5 * se.max(1e-12),
            "by step {t}: conditioned {a}, started {b} (±{})",
            4.5 * se
        );
    }
}

#[test]
fn strikes_before_the_start_are_every_trials_first_strike() {
    let m = model("tests/fixtures/valid/history-strikes.toml");
    let (israel, us, iran, incident) = (
        column(&m, "first_strike_israel_step"),
        column(&m, "first_strike_us_step"),
        column(&m, "first_strike_iran_step"),
        column(&m, "first_incident_step"),
    );
    let runs = trials(&m, 4_000, 3);
    for (r, _) in &runs {
        assert_eq!(r.first_strike_step, Some(0), "declared on 2026-01-20");
        assert_eq!(r.milestones[israel], Some(0), "declared");
        // The US's last move before the start was a strike aimed at Iran,
        // and so was Iran's: both have struck by the start.
        assert_eq!(r.milestones[us], Some(0));
        assert_eq!(r.milestones[iran], Some(0));
        assert_eq!(r.milestones[incident], Some(0), "declared at week -4");
    }
    // The US strikes again in half the weeks: later strikes do not move
    // the first one (checked above), and they happen.
    let struck_again = runs.iter().filter(|(r, _)| r.max_rung >= 4).count();
    assert!(struck_again > 3_900, "{struck_again}");
}

/// Reciprocity in step 1 answers the last move `[history]` gives: `b`
/// chooses `talk` with utility `reciprocity * cooperativeness(a's move)`,
/// against 0 for `wait`, so P(talk) = 1 / (1 + e^-2) after `a` conceded,
/// and 1/2 with no last move.
#[test]
fn a_last_move_before_the_start_is_answered_in_step_1() {
    let text = |history: &str| {
        format!(
            r#"
[scenario]
name = "reciprocity"
[run]
horizon = 1
[initial]
rung = 1
talks_active = true
trust = 0
talks_progress = 0
stockpile = 0
sanctions = 0
us_posture = 0
iran_readiness = 0
[outcomes]
breakout_stockpile = 1e9
[incidents]
base = 0
{history}
[[actions]]
id = "concede"
escalation = -2
[[actions]]
id = "talk"
escalation = -2
[[actions]]
id = "wait"
escalation = 0
[[actors]]
id = "a"
role = "principal"
policy = "fixed"
probabilities = {{ concede = 0.0, wait = 1.0 }}
[[actors]]
id = "b"
role = "principal"
actions = ["talk", "wait"]
responds_to = ["a"]
reciprocity = 2.0
"#
        )
    };
    let n = 40_000u64;
    for (history, want) in [
        (
            "[history]\nlast_moves = { a = \"concede\" }",
            1.0 / (1.0 + (-2.0f64).exp()),
        ),
        ("", 0.5),
    ] {
        let (s, _) =
            load_str(Path::new("t.toml"), &text(history)).unwrap_or_else(|d| panic!("{d}"));
        let m = Model::compile(&s);
        let plan = RunPlan {
            seed: 4,
            first_trial: 0,
            trials: n,
            threads: 2,
        };
        let sim = simulate(&m, &ParamSpace::of(&m), plan, &mut (), &mut |_| {}, None).unwrap();
        let talk = m.move_names().iter().position(|x| x == "b.talk").unwrap();
        let got = sim.aggregate.move_counts[talk] as f64 / n as f64;
        assert_share(
            &format!("P(talk) with {history:?}"),
            got,
            want,
            n as usize,
            4.0,
        );
    }
}

fn brink() -> Command {
    Command::new(env!("CARGO_BIN_EXE_brink"))
}

#[test]
fn outputs_say_what_had_happened_by_the_start() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = root().join("tests/fixtures/valid/history-strikes.toml");
    let out = brink()
        .args(["run", "--trials", "300", "--quiet", "--out"])
        .arg(tmp.path())
        .arg(&fixture)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = tmp.path().join("history-strikes");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let h = &summary["history"];
    let names: Vec<&str> = h["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "first_strike",
            "first_strike_us",
            "first_strike_iran",
            "first_strike_israel",
            "first_incident"
        ]
    );
    assert_eq!(h["milestones"][0]["date"], "2026-01-20");
    assert_eq!(h["milestones"][0]["step"], -2);
    assert_eq!(h["milestones"][4]["step"], -4);
    assert_eq!(h["milestones"][4]["date"], serde_json::Value::Null);
    assert_eq!(h["milestones"][1]["implied"], true);
    assert_eq!(h["milestones"][3]["date"], "2026-01-20");
    assert_eq!(h["last_moves"]["us"], "strike");
    assert_eq!(h["war"], "none");

    let csv = std::fs::read_to_string(dir.join("trials.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let k = header
        .iter()
        .position(|c| *c == "first_strike_step")
        .unwrap();
    let j = header
        .iter()
        .position(|c| *c == "first_strike_israel_step")
        .unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 300);
    assert!(rows.iter().all(|r| r[k] == "0" && r[j] == "0"));

    let report = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(report.contains("History at the start"), "report");
    assert!(report.contains("<code>first_strike_israel</code>"));

    let trace = brink()
        .args(["trace", "--trial", "0"])
        .arg(&fixture)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&trace.stdout);
    assert!(
        text.contains("milestones passed (recorded at week 0): first strike 2026-01-20 (week -2)"),
        "{text}"
    );
    assert!(
        text.contains("last moves: iran retaliate, us strike"),
        "{text}"
    );
    assert!(
        text.contains("first strike israel 0 (2026-02-07)"),
        "{text}"
    );
}
