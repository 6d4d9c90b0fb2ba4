//! Milestone curves against first-passage distributions known exactly.
//!
//! `fixtures/milestones/geometric-strike.toml`: one principal strikes with
//! probability p each step, so P(first strike by t) = 1 - (1-p)^t and its
//! hazard is p at every step. `two-stage.toml`: it climbs one rung with
//! probability u a step from rung 2, so the first strike (rung 4) is the
//! second climb and the war (rung 5) the third; their distributions come
//! from propagating the chain's state step by step. Tolerances come from
//! the Monte Carlo error of the closed-form answer: every step's estimate
//! must lie within `z` standard errors, `z` chosen so that all the steps
//! checked together fail with chance 1 in 1,000 (Bonferroni). The bands'
//! coverage is checked on independent replications, where the number of
//! bands covering the truth is binomial.

use std::path::{Path, PathBuf};

use brink::compare::run_comparison;
use brink::engine::{ParamSpace, RunPlan, simulate};
use brink::model::Model;
use brink::scenario::{Scenario, load};
use brink::stats::milestones::{MilestoneCurve, curves};
use brink::stats::{RunAggregate, Summary};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/milestones")
        .join(name)
}

fn scenario(name: &str) -> Scenario {
    let (s, warnings) = load(&fixture(name)).unwrap_or_else(|d| panic!("{d}"));
    assert!(!warnings.has_errors());
    s
}

fn aggregate(
    model: &Model,
    seed: u64,
    first_trial: u64,
    trials: u64,
    threads: usize,
) -> RunAggregate {
    let space = ParamSpace::of(model);
    let plan = RunPlan {
        seed,
        first_trial,
        trials,
        threads,
    };
    simulate(model, &space, plan, &mut (), &mut |_| {}, None)
        .unwrap()
        .aggregate
}

fn curve<'a>(all: &'a [MilestoneCurve], name: &str) -> &'a MilestoneCurve {
    all.iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("no milestone {name}"))
}

/// The standard normal distribution function (Abramowitz & Stegun 26.2.17,
/// absolute error below 7.5e-8).
fn normal_cdf(z: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.231_641_9 * z.abs());
    let poly = t
        * (0.319_381_530
            + t * (-0.356_563_782
                + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    let tail = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * poly;
    if z >= 0.0 { 1.0 - tail } else { tail }
}

/// The `z` for which `checks` two-sided tests at `z` all pass with chance
/// at least `1 - alpha` (Bonferroni), by bisection.
fn bonferroni_z(checks: usize, alpha: f64) -> f64 {
    let target = alpha / (2.0 * checks as f64);
    let (mut lo, mut hi) = (0.0, 10.0);
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if 1.0 - normal_cdf(mid) > target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// P(X <= k) for X ~ Binomial(n, p), each term in logarithms (the
/// smallest underflow otherwise).
fn binomial_cdf(k: u64, n: u64, p: f64) -> f64 {
    let mut log_choose = 0.0;
    let mut sum = 0.0;
    for i in 0..=k {
        if i > 0 {
            log_choose += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        sum += (log_choose + i as f64 * p.ln() + (n - i) as f64 * (1.0 - p).ln()).exp();
    }
    sum
}

/// Checks every step's share and hazard against the truth (`cdf[t]` =
/// P(reached by t), `hazard[t]` its hazard), within `z` standard errors of
/// the closed form, `z` allowing for every step checked.
fn assert_curve_matches(m: &MilestoneCurve, cdf: &[f64], hazard: &[f64], n: u64) {
    let steps = cdf.len() - 1;
    let z = bonferroni_z(2 * steps, 1e-3);
    for t in 1..=steps {
        let c = &m.cumulative[t];
        let se = (cdf[t] * (1.0 - cdf[t]) / n as f64).sqrt();
        assert!(
            (c.share - cdf[t]).abs() <= z * se,
            "{} by step {t}: {} vs {} ({:.2} standard errors, limit {z:.2})",
            m.name,
            c.share,
            cdf[t],
            (c.share - cdf[t]) / se
        );
        let h = &m.hazard[t];
        // The hazard's error given the trials at risk.
        let se_h = (hazard[t] * (1.0 - hazard[t]) / h.at_risk as f64).sqrt();
        let est = h.hazard.expect("trials at risk");
        assert!(
            (est - hazard[t]).abs() <= z * se_h,
            "{} hazard at step {t}: {est} vs {} ({:.2} standard errors, limit {z:.2})",
            m.name,
            hazard[t],
            (est - hazard[t]) / se_h
        );
        assert_eq!(h.at_risk, n - m.cumulative[t - 1].reached);
    }
    assert_eq!(m.cumulative[0].reached, 0);
}

#[test]
fn geometric_first_strike_matches_its_closed_form() {
    let s = scenario("geometric-strike.toml");
    let model = Model::compile(&s);
    let n = 40_000;
    let agg = aggregate(&model, 20_260_207, 0, n, 2);
    let all = curves(&model, &agg);
    let p: f64 = 0.06;
    let cdf: Vec<f64> = (0..=model.horizon)
        .map(|t| 1.0 - (1.0 - p).powi(t as i32))
        .collect();
    let hazard = vec![p; cdf.len()];
    let m = curve(&all, "first_strike");
    assert_curve_matches(m, &cdf, &hazard, n);
    // The principal's own first strike is the same event here.
    assert_eq!(
        curve(&all, "first_strike_hawk").reached,
        0,
        "no target: not aimed at an actor"
    );
    // Dates: step t ends 7t days after the start.
    assert_eq!(m.cumulative[8].date.as_deref(), Some("2026-04-04"));
    // The median among trials that struck: the first t with
    // P(T <= t | T <= 30) >= 1/2.
    let total = cdf[30];
    let median = (1..=30).find(|&t| cdf[t] / total >= 0.5).unwrap() as u32;
    let got = m.median_step_if_reached.unwrap();
    assert!(
        got.abs_diff(median) <= 1,
        "median {got}, closed form {median}"
    );
}

/// The distribution of the step at which a chain that climbs one rung with
/// probability `u` a step first has climbed `k` times, by propagating the
/// number of climbs step by step: `(P(T <= t), hazard at t)` for `t` in
/// `0..=steps`.
fn climbs(u: f64, k: usize, steps: usize) -> (Vec<f64>, Vec<f64>) {
    // state[j] = P(j climbs so far and fewer than k), j < k.
    let mut state = vec![0.0; k];
    state[0] = 1.0;
    let mut cdf = vec![0.0];
    let mut hazard = vec![0.0];
    for _ in 1..=steps {
        let alive: f64 = state.iter().sum();
        let reached = state[k - 1] * u;
        for j in (1..k).rev() {
            state[j] = state[j] * (1.0 - u) + state[j - 1] * u;
        }
        state[0] *= 1.0 - u;
        cdf.push(cdf.last().unwrap() + reached);
        hazard.push(reached / alive);
    }
    (cdf, hazard)
}

#[test]
fn two_stage_chain_matches_its_first_passage_distributions() {
    let s = scenario("two-stage.toml");
    let model = Model::compile(&s);
    let n = 40_000;
    let agg = aggregate(&model, 7, 0, n, 2);
    let all = curves(&model, &agg);
    let u: f64 = 0.15;
    let steps = model.horizon as usize;
    let (strike, strike_hazard) = climbs(u, 2, steps);
    // The propagation agrees with P(Binomial(t, u) >= 2).
    for (t, &p) in strike.iter().enumerate().skip(1) {
        let tf = t as f64;
        let closed = 1.0 - (1.0 - u).powi(t as i32) - tf * u * (1.0 - u).powi(t as i32 - 1);
        assert!((p - closed).abs() < 1e-12);
    }
    assert_curve_matches(curve(&all, "first_strike"), &strike, &strike_hazard, n);
    let (war, war_hazard) = climbs(u, 3, steps);
    assert_curve_matches(curve(&all, "war_start"), &war, &war_hazard, n);
}

#[test]
fn bands_cover_the_truth_as_often_as_they_say() {
    // Independent replications; in each, one step's band (a different step
    // each time), so the number covering the truth is Binomial(R, 0.95)
    // when the bands are right. The same for the hazard's band.
    let s = scenario("geometric-strike.toml");
    let model = Model::compile(&s);
    let p: f64 = 0.06;
    let replications = 300u64;
    let trials = 800;
    let (mut covered, mut hazard_covered) = (0u64, 0u64);
    for r in 0..replications {
        let agg = aggregate(&model, 1_000 + r, 0, trials, 1);
        let all = curves(&model, &agg);
        let m = curve(&all, "first_strike");
        let t = 1 + (r as usize % model.horizon as usize);
        let truth = 1.0 - (1.0 - p).powi(t as i32);
        let band = m.cumulative[t].ci95;
        covered += u64::from(band[0] <= truth && truth <= band[1]);
        let h = m.hazard[t].ci95.unwrap();
        hazard_covered += u64::from(h[0] <= p && p <= h[1]);
    }
    // Refuse only what a 95% band would do with chance below 1 in 1,000,
    // either way (Wilson bands are close to, not exactly at, 95%).
    let low = (0..=replications)
        .find(|&k| binomial_cdf(k, replications, 0.95) > 5e-4)
        .unwrap();
    let high = (0..=replications)
        .find(|&k| binomial_cdf(k, replications, 0.95) >= 1.0 - 5e-4)
        .unwrap();
    for (what, k) in [("share", covered), ("hazard", hazard_covered)] {
        assert!(
            (low..=high).contains(&k),
            "{what}: {k} of {replications} bands cover the truth, expected {low}..={high}"
        );
    }
}

#[test]
fn aggregates_merge_exactly_across_splits_and_threads() {
    let s = scenario("two-stage.toml");
    let model = Model::compile(&s);
    let whole = aggregate(&model, 3, 0, 9_001, 2);
    assert!(whole.milestone_steps.iter().sum::<u64>() > 0);
    for cuts in [vec![4_500], vec![1, 2_048, 7_777]] {
        let mut merged = RunAggregate::new(&model);
        let mut start = 0;
        for end in cuts.iter().copied().chain([9_001]) {
            merged.merge(&aggregate(&model, 3, start, end - start, 1));
            start = end;
        }
        assert_eq!(merged.milestone_steps, whole.milestone_steps);
        assert_eq!(merged, whole);
    }
    let info = brink::stats::summary::ScenarioInfo::of(&s);
    let summary = Summary::build(&model, info, 3, &whole);
    assert_eq!(summary.milestones, curves(&model, &whole));
}

#[test]
fn paired_difference_at_a_step_matches_its_closed_form() {
    // Strikes with probability 0.06 against 0.09 a week: by week t the
    // difference is 0.94^t - 0.91^t.
    let scenarios = [
        scenario("geometric-strike.toml"),
        scenario("geometric-strike-more.toml"),
    ];
    let n = 30_000;
    let (c, cancelled) = run_comparison(&scenarios, 11, n, 2, None, &mut |_| {}, None).unwrap();
    assert!(!cancelled);
    let steps: Vec<u32> = c.milestone_steps.iter().map(|a| a.step).collect();
    assert_eq!(
        steps,
        [8, 15, 23, 30],
        "quarter points of 30 weeks and the horizon"
    );
    let d = &c.differences[0];
    let m = d
        .milestones
        .iter()
        .find(|m| m.name == "first_strike")
        .unwrap();
    let z = bonferroni_z(m.at.len(), 1e-3);
    for at in &m.at {
        let t = at.step as i32;
        let (f1, f2) = (1.0 - 0.94f64.powi(t), 1.0 - 0.91f64.powi(t));
        let truth = f2 - f1;
        // The standard error of a paired difference from its own table.
        let b = at.baseline_only as f64 / n as f64;
        let cc = at.scenario_only as f64 / n as f64;
        let se = ((b + cc - (cc - b) * (cc - b)) / n as f64).sqrt();
        assert!(
            (at.difference - truth).abs() <= z * se,
            "week {t}: difference {} vs {truth} ({:.2} standard errors)",
            at.difference,
            (at.difference - truth) / se
        );
        assert!((at.baseline_probability - f1).abs() <= z * (f1 * (1.0 - f1) / n as f64).sqrt());
        assert!((at.probability - f2).abs() <= z * (f2 * (1.0 - f2) / n as f64).sqrt());
        assert!(at.difference_ci95[0] <= at.difference && at.difference <= at.difference_ci95[1]);
        assert!(at.date.is_some());
    }
}
