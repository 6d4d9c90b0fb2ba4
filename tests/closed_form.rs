//! The engine against answers known in closed form: absorbing Markov chains
//! built from fixed-policy actors, and the logit choice rule. Tolerances are
//! four Monte Carlo standard errors of the estimate, computed from the
//! closed-form answer itself.

use std::path::Path;

use brink::engine::{ParamSpace, RunPlan, simulate};
use brink::model::Model;
use brink::scenario::load_str;
use brink::stats::RunAggregate;
use brink::world::Outcome;

mod common;

use common::markov::absorbing;

const PREAMBLE: &str = r#"
[scenario]
name = "closed-form"

[initial]
rung = 2
talks_active = true
trust = 0
talks_progress = 0
stockpile = 0
sanctions = 0
us_posture = 0
iran_readiness = 0

[outcomes]
absorbing = ["deal", "war"]
breakout_stockpile = 1e9

[dynamics]
deescalation_base = 0
deescalation_per_trust = 0

[incidents]
base = 0
"#;

/// A ladder on the rung: up one, down one (to a deal below rung 1), or stay.
const LADDER: &str = r#"
[[actions]]
id = "up"
escalation = 12
rung_change = 1

[[actions]]
id = "down"
escalation = -2
rung_change = -1
requires = ["rung >= 2"]

[[actions]]
id = "settle"
escalation = -2
rung_change = -1
requires = ["rung <= 1"]
effects = { talks_progress = 1.0 }

[[actions]]
id = "stay"
escalation = 0
"#;

fn run(text: &str, trials: u64, seed: u64) -> (Model, RunAggregate) {
    let (scenario, warnings) =
        load_str(Path::new("test.toml"), text).unwrap_or_else(|d| panic!("{d}"));
    assert!(!warnings.has_errors());
    let model = Model::compile(&scenario);
    let space = ParamSpace::of(&model);
    let plan = RunPlan {
        seed,
        first_trial: 0,
        trials,
        threads: 2,
    };
    let sim = simulate(&model, &space, plan, &mut (), &mut |_| {}, None).unwrap();
    (model, sim.aggregate)
}

fn assert_within(name: &str, estimate: f64, truth: f64, se: f64) {
    let z = (estimate - truth) / se;
    assert!(
        z.abs() < 4.0,
        "{name}: estimate {estimate}, closed form {truth}, {z:.2} standard errors away"
    );
}

fn mean_outcome_step(agg: &RunAggregate, outcomes: &[Outcome]) -> f64 {
    let mut sum = 0u64;
    let mut n = 0u64;
    for o in outcomes {
        for (t, &c) in agg.outcome_step_row(*o).iter().enumerate() {
            sum += t as u64 * c;
            n += c;
        }
    }
    sum as f64 / n as f64
}

#[test]
fn gamblers_ruin_ladder_matches_closed_form() {
    // Up with u, down with d at every rung; deal below rung 1, war at rung 5.
    let (u, d) = (0.30, 0.25);
    let text = format!(
        r#"{PREAMBLE}
[run]
horizon = 1000

{LADDER}
[[actors]]
id = "a"
role = "principal"
policy = "fixed"
probabilities = {{ up = {u}, down = {d}, settle = {d}, stay = {s} }}
"#,
        s = 1.0 - u - 2.0 * d
    );
    let n = 40_000;
    let (_, agg) = run(&text, n, 11);
    let (i, top) = (2.0, 5.0);
    let r: f64 = d / u;
    let p_war = (1.0 - r.powf(i)) / (1.0 - r.powf(top));
    let war = agg.outcome_counts[Outcome::WarOngoing] as f64 / n as f64;
    assert_within(
        "P(war)",
        war,
        p_war,
        (p_war * (1.0 - p_war) / n as f64).sqrt(),
    );
    assert_eq!(
        agg.outcome_counts[Outcome::Deal] + agg.outcome_counts[Outcome::WarOngoing],
        n,
        "every trial absorbs well before the horizon"
    );

    // Mean absorption time from the fundamental matrix of the same chain (rungs 1..=4 transient).
    let s = 1.0 - u - d;
    let q: Vec<Vec<f64>> = (1..=4)
        .map(|from: i32| {
            (1..=4)
                .map(|to: i32| match to - from {
                    0 => s,
                    1 => u,
                    -1 => d,
                    _ => 0.0,
                })
                .collect()
        })
        .collect();
    let r_mat: Vec<Vec<f64>> = (1..=4)
        .map(|from| {
            vec![
                if from == 1 { d } else { 0.0 },
                if from == 4 { u } else { 0.0 },
            ]
        })
        .collect();
    let (b, t, var) = absorbing(&q, &r_mat);
    assert!(
        (b[1][1] - p_war).abs() < 1e-12,
        "matrix and gambler's-ruin formula agree"
    );
    let mean = mean_outcome_step(&agg, &[Outcome::Deal, Outcome::WarOngoing]);
    assert_within(
        "mean absorption step",
        mean,
        t[1],
        (var[1] / n as f64).sqrt(),
    );
}

#[test]
fn two_actor_chain_matches_fundamental_matrix() {
    // Two fixed actors move the rung at once; their moves add up.
    let a = [
        ("up", 1, 0.25),
        ("down", -1, 0.20),
        ("settle", -1, 0.20),
        ("stay", 0, 0.35),
    ];
    let b = [("jump", 2, 0.10), ("calm", -1, 0.30), ("wait", 0, 0.60)];
    let text = format!(
        r#"{PREAMBLE}
[run]
horizon = 1000

{LADDER}
[[actions]]
id = "jump"
escalation = 28
rung_change = 2

[[actions]]
id = "calm"
escalation = -2
rung_change = -1
requires = ["rung >= 2"]

[[actions]]
id = "wait"
escalation = 0

[[actors]]
id = "a"
role = "principal"
policy = "fixed"
probabilities = {{ up = 0.25, down = 0.20, settle = 0.20, stay = 0.35 }}

[[actors]]
id = "b"
role = "principal"
policy = "fixed"
probabilities = {{ jump = 0.10, calm = 0.30, wait = 0.60 }}
"#
    );
    // Transient rungs 0..=4; absorbing: deal (settle taken), war (rung 5 without a deal).
    let open = |name: &str, rung: i32| match name {
        "down" | "calm" => rung >= 2,
        "settle" => rung <= 1,
        _ => true,
    };
    let mut q = vec![vec![0.0; 5]; 5];
    let mut r = vec![vec![0.0; 2]; 5];
    for from in 0..5i32 {
        for &(na, da, pa) in &a {
            for &(nb, db, pb) in &b {
                let p = pa * pb;
                let change =
                    if open(na, from) { da } else { 0 } + if open(nb, from) { db } else { 0 };
                let to = (from + change).clamp(0, 5);
                if na == "settle" && open(na, from) {
                    r[from as usize][0] += p;
                } else if to == 5 {
                    r[from as usize][1] += p;
                } else {
                    q[from as usize][to as usize] += p;
                }
            }
        }
    }
    let (absorb, t, var) = absorbing(&q, &r);
    let n = 40_000;
    let (_, agg) = run(&text, n, 5);
    for (k, outcome) in [Outcome::Deal, Outcome::WarOngoing].into_iter().enumerate() {
        let p = absorb[2][k];
        let est = agg.outcome_counts[outcome] as f64 / n as f64;
        assert_within(outcome.key(), est, p, (p * (1.0 - p) / n as f64).sqrt());
    }
    let mean = mean_outcome_step(&agg, &[Outcome::Deal, Outcome::WarOngoing]);
    assert_within(
        "mean absorption step",
        mean,
        t[2],
        (var[2] / n as f64).sqrt(),
    );
}

/// Three actions for the logit tests: talk (builds trust), wait (costs 0.3)
/// and threaten (costs trust); `threaten_extra` adds lines to threaten.
fn talk_wait_threaten(threaten_extra: &str) -> String {
    format!(
        r#"
[[actions]]
id = "talk"
escalation = -2
effects = {{ trust = 0.1 }}

[[actions]]
id = "wait"
escalation = 0
cost = 0.3

[[actions]]
id = "threaten"
escalation = 12
effects = {{ trust = -0.1 }}
{threaten_extra}"#
    )
}

/// Shares of each move in a one-step scenario with three actions and the given actor,
/// starting on rung 2 with zero trust; `dynamics` is added to the `[dynamics]` table.
fn first_step_shares(actor: &str, dynamics: &str, n: u64) -> Vec<f64> {
    let preamble = PREAMBLE.replace(
        "deescalation_per_trust = 0",
        &format!("deescalation_per_trust = 0\n{dynamics}"),
    );
    let actions = talk_wait_threaten("rung_at_least = 3");
    let text = format!("{preamble}\n[run]\nhorizon = 1\n{actions}\n{actor}");
    let (model, agg) = run(&text, n, 3);
    let total: u64 = agg.move_counts.iter().sum();
    assert_eq!(total, n, "one choice per trial");
    (0..model.n_moves())
        .map(|j| agg.move_counts[j] as f64 / n as f64)
        .collect()
}

#[test]
fn logit_rule_with_two_actions_matches_logistic_formula() {
    let n = 50_000;
    let actor = r#"
[[actors]]
id = "a"
role = "principal"
actions = ["talk", "wait"]
rationality = 1.7
preferences = { trust = 4.0 }
"#;
    let shares = first_step_shares(actor, "", n);
    // U(talk) = 4 * 0.1 = 0.4; U(wait) = -0.3; P(talk) = 1 / (1 + exp(-beta (0.4 + 0.3)))
    let p = 1.0 / (1.0 + (-1.7f64 * 0.7).exp());
    assert_within("P(talk)", shares[0], p, (p * (1.0 - p) / n as f64).sqrt());
}

#[test]
fn logit_rule_includes_aversion_distrust_and_rung() {
    // On rung 2 with trust 0, every documented utility term is active.
    let n = 60_000;
    let actor = r#"
[[actors]]
id = "a"
role = "principal"
actions = ["talk", "wait", "threaten"]
rationality = 1.2
risk_aversion = 0.8
distrust = 0.5
preferences = { trust = 4.0, rung = -0.3 }
"#;
    let shares = first_step_shares(actor, "aversion_per_rung = 0.25", n);
    let (beta, kappa, gamma, lambda, rung, trust_gap): (f64, f64, f64, f64, f64, f64) =
        (1.2, 0.8, 0.5, 0.25, 2.0, 1.0);
    // Cooperativeness: +1 for de-escalation, 0 for the status quo, -12/28 for a threat.
    let (c_talk, c_threaten) = (1.0, -12.0 / 28.0);
    let u_talk = 4.0 * 0.1 - gamma * c_talk * trust_gap;
    let u_wait = -0.3;
    // threaten: trust effect, rung 2 -> 3 weighted -0.3, aversion, distrust pull.
    let u_threaten = 4.0 * -0.1
        - 0.3 * 1.0
        - kappa * (12.0 / 28.0) * (1.0 + lambda * rung)
        - gamma * c_threaten * trust_gap;
    let weights: Vec<f64> = [u_talk, u_wait, u_threaten]
        .iter()
        .map(|u| (beta * u).exp())
        .collect();
    let total: f64 = weights.iter().sum();
    for (k, w) in weights.iter().enumerate() {
        let p = w / total;
        assert_within(
            &format!("P(action {k})"),
            shares[k],
            p,
            (p * (1.0 - p) / n as f64).sqrt(),
        );
    }
}

#[test]
fn logit_rule_includes_reciprocity_and_red_lines() {
    // Actor b always talks. In step 2, actor a reciprocates b's talk and, if
    // trust reached 0.05 (a did not threaten in step 1), its red line favours waiting.
    let n = 60_000;
    let actors = r#"
[[actors]]
id = "a"
role = "principal"
actions = ["talk", "wait", "threaten"]
responds_to = ["b"]
rationality = 1.0
reciprocity = 0.7
preferences = { trust = 4.0 }
[[actors.red_lines]]
when = "trust >= 0.05"
favour = { wait = 1.0 }

[[actors]]
id = "b"
role = "principal"
policy = "fixed"
probabilities = { talk = 1.0 }
"#;
    let actions = talk_wait_threaten("");
    let text = format!("{PREAMBLE}\n[run]\nhorizon = 2\n{actions}\n{actors}");
    let (_, agg) = run(&text, n, 21);
    let softmax = |u: [f64; 3]| {
        let w = u.map(f64::exp);
        let t: f64 = w.iter().sum();
        w.map(|x| x / t)
    };
    let base = [0.4, -0.3, -0.4];
    let p1 = softmax(base);
    let recip = [0.7 * 1.0, 0.0, 0.7 * (-12.0 / 28.0)];
    let step2 = |first: usize| {
        let red_line = if first != 2 {
            [0.0, 1.0, 0.0]
        } else {
            [0.0; 3]
        };
        softmax([0, 1, 2].map(|k| base[k] + recip[k] + red_line[k]))
    };
    for k in 0..3 {
        // X = times a took action k in the two steps.
        let both: f64 = p1[k] * step2(k)[k];
        let p2: f64 = (0..3).map(|first| p1[first] * step2(first)[k]).sum();
        let mean = p1[k] + p2;
        let var = mean + 2.0 * both - mean * mean;
        let est = agg.move_counts[k] as f64 / n as f64;
        assert_within(
            &format!("E[times action {k}]"),
            est,
            mean,
            (var / n as f64).sqrt(),
        );
    }
}
