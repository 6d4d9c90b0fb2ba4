//! The mechanisms of model 2 against answers known in closed form, asserted
//! on the milestones every trial records: the war-termination chain, the
//! same-step reaction, bargaining with fixed concessions, first-strike
//! hazards that peak early, late or never, and a war followed by settlement.
//! Tolerances are four (or, over many weeks, four and a half) Monte Carlo
//! standard errors computed from the closed-form answer itself.

use std::io;
use std::path::Path;

use brink::engine::{ParamSpace, RecordSink, RunPlan, TrialRecord, simulate};
use brink::model::Model;
use brink::world::Outcome;

mod common;

use common::markov::absorbing;

/// Every trial's outcome and milestones, by column name.
struct Milestones {
    names: Vec<String>,
    rows: Vec<(Outcome, Vec<Option<u32>>)>,
}

impl Milestones {
    fn column(&self, name: &str) -> impl Iterator<Item = Option<u32>> + '_ {
        let k = self
            .names
            .iter()
            .position(|n| n == name)
            .unwrap_or_else(|| panic!("no milestone {name} in {:?}", self.names));
        self.rows.iter().map(move |(_, m)| m[k])
    }

    fn share(&self, outcome: Outcome) -> f64 {
        self.rows.iter().filter(|(o, _)| *o == outcome).count() as f64 / self.rows.len() as f64
    }
}

impl RecordSink for Milestones {
    fn record(&mut self, r: &TrialRecord, _: &[u32], _: &[f64]) -> io::Result<()> {
        self.rows.push((r.outcome, r.milestone_steps().to_vec()));
        Ok(())
    }
}

fn run(fixture: &str, trials: u64, seed: u64) -> Milestones {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/model2")
        .join(fixture);
    let (scenario, warnings) = brink::scenario::load(&path).unwrap_or_else(|d| panic!("{d}"));
    assert!(!warnings.has_errors(), "{warnings}");
    let model = Model::compile(&scenario);
    let mut sink = Milestones {
        names: model
            .milestones
            .iter()
            .map(|m| m.column(&model.actors))
            .collect(),
        rows: Vec::new(),
    };
    let plan = RunPlan {
        seed,
        first_trial: 0,
        trials,
        threads: 2,
    };
    simulate(
        &model,
        &ParamSpace::of(&model),
        plan,
        &mut sink,
        &mut |_| {},
        None,
    )
    .unwrap();
    sink
}

/// Asserts that a share estimated from `n` trials is within `z` standard
/// errors of `p`.
fn assert_share(what: &str, got: f64, p: f64, n: usize, z: f64) {
    let se = (p * (1.0 - p) / n as f64).sqrt().max(1e-12);
    assert!(
        (got - p).abs() <= z * se,
        "{what}: {got} against {p} (±{:.5})",
        z * se
    );
}

/// The war chain of `war-chain.toml`: states war, ceasefire held 0, 1 and 2
/// steps (transient) and ended (absorbing), with ceasefire chance `c`,
/// collapse chance `k` and `h` = 3 holds to end the war.
fn war_chain(c: f64, k: f64) -> Vec<Vec<f64>> {
    // Rows and columns: war, held 0, held 1, held 2, ended.
    vec![
        vec![1.0 - c, c, 0.0, 0.0, 0.0],
        vec![k, 0.0, 1.0 - k, 0.0, 0.0],
        vec![k, 0.0, 0.0, 1.0 - k, 0.0],
        vec![k, 0.0, 0.0, 0.0, 1.0 - k],
        vec![0.0, 0.0, 0.0, 0.0, 1.0],
    ]
}

#[test]
fn a_war_ends_by_the_absorbing_chain_of_ceasefire_and_collapse() {
    let n = 40_000;
    let m = run("war-chain.toml", n as u64, 11);
    let p = war_chain(0.3, 0.2);
    // Mean war length `t = (I - Q)^-1 1` from "war" to "ended", and its
    // variance, over the transient states war and held 0, 1, 2.
    let q: Vec<Vec<f64>> = p[..4].iter().map(|row| row[..4].to_vec()).collect();
    let r: Vec<Vec<f64>> = p[..4].iter().map(|row| vec![row[4]]).collect();
    let (_, t, var) = absorbing(&q, &r);
    let var = var[0];

    let starts: Vec<u32> = m.column("war_start_step").map(Option::unwrap).collect();
    assert!(
        starts.iter().all(|&s| s == 1),
        "the forced fight starts every war in step 1"
    );
    let ends: Vec<u32> = m
        .column("war_end_step")
        .map(|e| e.expect("every war ends well before the horizon"))
        .collect();
    let mean = ends.iter().map(|&e| f64::from(e - 1)).sum::<f64>() / n as f64;
    let se = (var / n as f64).sqrt();
    assert!(
        (mean - t[0]).abs() <= 4.0 * se,
        "mean war length {mean} against {} (±{})",
        t[0],
        4.0 * se
    );

    // P(war ended by step 12) = the absorbed mass after 11 transitions.
    let mut dist = vec![1.0, 0.0, 0.0, 0.0, 0.0];
    for _ in 0..11 {
        dist = (0..5)
            .map(|j| (0..5).map(|i| dist[i] * p[i][j]).sum())
            .collect();
    }
    let by_12 = ends.iter().filter(|&&e| e <= 12).count() as f64 / n as f64;
    assert_share("war ended by step 12", by_12, dist[4], n, 4.0);

    // The first ceasefire is geometric: P(step 2) = 0.3, P(step 3) = 0.21.
    let ceasefires: Vec<Option<u32>> = m.column("ceasefire_step").collect();
    for (step, want) in [(2, 0.3), (3, 0.21), (4, 0.147)] {
        let got = ceasefires.iter().filter(|&&c| c == Some(step)).count() as f64 / n as f64;
        assert_share(
            &format!("first ceasefire in step {step}"),
            got,
            want,
            n,
            4.0,
        );
    }
    assert_eq!(m.share(Outcome::WarEnded), 1.0);
}

#[test]
fn retaliation_within_the_step_of_the_strike_is_the_product_of_the_choices() {
    let n = 100_000;
    let m = run("reaction.toml", n as u64, 5);
    let war_in_week_1 = m.column("war_start_step").filter(|&s| s == Some(1)).count() as f64;
    assert_share(
        "war in the week of the strike",
        war_in_week_1 / n as f64,
        0.2 * 0.75,
        n,
        4.0,
    );
    // Every strike is answered within the step: Iran's first strike comes
    // exactly when the US's does.
    let us: Vec<Option<u32>> = m.column("first_strike_us_step").collect();
    let iran: Vec<Option<u32>> = m.column("first_strike_iran_step").collect();
    assert_eq!(us, iran);
    let struck = us.iter().filter(|s| s.is_some()).count() as f64 / n as f64;
    assert_share("US strikes", struck, 0.2, n, 4.0);
}

#[test]
fn fixed_concessions_close_the_gap_in_a_known_step() {
    let m = run("bargain.toml", 1000, 3);
    assert!(
        m.column("deal_step").all(|d| d == Some(4)),
        "every trial agrees in step 4"
    );
    assert_eq!(m.share(Outcome::Deal), 1.0);
}

/// Empirical first-strike hazard of `column` in each step 1..=horizon: the
/// number of first strikes in the step and the number of trials at risk.
fn hazard(m: &Milestones, column: &str, horizon: u32) -> Vec<(u64, u64)> {
    let firsts: Vec<Option<u32>> = m.column(column).collect();
    (1..=horizon)
        .map(|t| {
            let at_risk = firsts.iter().filter(|f| f.is_none_or(|s| s >= t)).count() as u64;
            let struck = firsts.iter().filter(|&&f| f == Some(t)).count() as u64;
            (struck, at_risk)
        })
        .collect()
}

fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Checks each week's hazard against the exact one, `want(t)`, and returns
/// the week in which the exact hazard peaks.
fn check_hazard(fixture: &str, want: impl Fn(u32) -> f64) -> u32 {
    let m = run(fixture, 40_000, 17);
    for (t, (struck, at_risk)) in (1..).zip(hazard(&m, "first_strike_us_step", 52)) {
        if at_risk < 500 {
            break;
        }
        let h = struck as f64 / at_risk as f64;
        assert_share(
            &format!("{fixture}: hazard in week {t}"),
            h,
            want(t),
            at_risk as usize,
            4.5,
        );
    }
    (1..=52)
        .max_by(|&a, &b| want(a).total_cmp(&want(b)))
        .unwrap()
}

#[test]
fn a_flat_hazard_stays_flat() {
    check_hazard("hazard-flat.toml", |_| 0.03);
}

#[test]
fn a_deadline_front_loads_the_hazard() {
    // Utility of striking: -4.5, plus 1.0 ramping up over the two weeks
    // before week 4, plus 3.5 from week 4 fading over six weeks.
    let bonus = |t: u32| match t {
        2 => 0.5,
        3 => 1.0,
        4..=9 => 3.5 * (1.0 - f64::from(t - 4) / 6.0),
        _ => 0.0,
    };
    let peak = check_hazard("hazard-front.toml", |t| logistic(-4.5 + bonus(t)));
    assert_eq!(peak, 4);
}

#[test]
fn a_build_up_makes_the_hazard_late() {
    // Readiness 0.02 * (t - 1) at the start of week t, worth 5 per unit.
    let peak = check_hazard("hazard-late.toml", |t| {
        logistic(-4.5 + 5.0 * (0.02 * f64::from(t - 1)).min(1.0))
    });
    assert_eq!(peak, 52);
}

#[test]
fn a_long_enough_war_is_followed_by_settlement() {
    let n = 20_000;
    let m = run("war-settlement.toml", n as u64, 23);
    let ceasefire: Vec<Option<u32>> = m.column("ceasefire_step").collect();
    let war_end: Vec<Option<u32>> = m.column("war_end_step").collect();
    let deal: Vec<Option<u32>> = m.column("deal_step").collect();
    // Each war step the ceasefire chance is 0.4 * 0.4 (both agree) plus
    // 2 * 0.4 * 0.6 * 0.5 (one agrees, the mediator brokers) = 0.4.
    let short = ceasefire.iter().filter(|&&c| c == Some(2)).count() as f64 / n as f64;
    assert_share("ceasefire in the first week of war", short, 0.4, n, 4.0);
    for k in 0..n {
        // Three steps of war soften the reservation points enough to
        // overlap; a shorter war leaves no agreement possible.
        if ceasefire[k] == Some(2) {
            assert_eq!(deal[k], None, "trial {k}: a deal without overlap");
        }
        if let Some(d) = deal[k] {
            let (c, e) = (ceasefire[k].unwrap(), war_end[k].unwrap());
            assert!(1 < c && c < e && e < d, "trial {k}: {c} {e} {d}");
        }
    }
    let settled = m.share(Outcome::WarThenSettlement);
    let ended = m.share(Outcome::WarEnded);
    assert!(settled > 0.3, "war then settlement {settled}");
    assert!((settled + ended + m.share(Outcome::WarOngoing) - 1.0).abs() < 1e-12);
    assert!(ended >= 0.4 - 4.0 * (0.24 / n as f64).sqrt());
}

/// `brink sweep` over a model-2 number: the more a week of war softens both
/// sides' reservation points, the likelier a settlement after the war.
#[test]
fn sweeping_war_softening_moves_settlement_after_war() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/model2/war-settlement.toml");
    assert_cmd::Command::cargo_bin("brink")
        .unwrap()
        .args([
            "sweep",
            "--param",
            "bargaining.war_softening",
            "--range",
            "0:0.1:3",
            "--trials",
            "2000",
            "--quiet",
            "--no-plots",
            "--out",
        ])
        .arg(tmp.path())
        .arg(&fixture)
        .assert()
        .success();
    let dir = tmp
        .path()
        .join("sweep-war-settlement-bargaining-war_softening");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("sweep.json")).unwrap()).unwrap();
    let settled: Vec<f64> = v["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let o = p["outcomes"].as_array().unwrap();
            let k = Outcome::WarThenSettlement.index();
            assert_eq!(o[k]["outcome"], "war_then_settlement");
            o[k]["probability"].as_f64().unwrap()
        })
        .collect();
    // Without softening the reservation points (0.3 against 0.6) never meet.
    assert_eq!(settled[0], 0.0);
    assert!(
        settled[0] < settled[1] && settled[1] < settled[2],
        "{settled:?}"
    );
}

#[test]
fn an_ally_joins_a_strike_within_the_step_with_its_reaction_probability() {
    let n = 100_000;
    let m = run("join.toml", n as u64, 9);
    let us: Vec<Option<u32>> = m.column("first_strike_us_step").collect();
    let israel: Vec<Option<u32>> = m.column("first_strike_israel_step").collect();
    // Israel never strikes alone: only in a step the US strikes.
    assert!(israel.iter().zip(&us).all(|(i, u)| i.is_none() || i == u));
    let joint = israel.iter().filter(|s| **s == Some(1)).count() as f64 / n as f64;
    assert_share("joint strike in step 1", joint, 0.2 * 0.75, n, 4.0);
}
