//! The spread over assumptions against answers known in closed form.
//!
//! `fixtures/spread/uniform-incident.toml` is one step in which nobody
//! moves and an incident happens with probability equal to the incident
//! hazard, drawn from Uniform(a, b) = Uniform(0.2, 0.6). Under draw k the
//! share of trials with an incident is therefore binomial with p_k = the
//! drawn hazard, and the spread of the `first_incident` figure over the
//! assumptions is Uniform(a, b): mean (a + b) / 2, sd (b − a) / √12, 5th
//! percentile a + 0.05 (b − a), 95th a + 0.95 (b − a).
//!
//! Tolerances come from the design's own error (K draws, M trials each):
//!
//! - the q-quantile of K values drawn from a density f has sampling sd
//!   √(q (1 − q) / K) / f at the quantile. The estimator takes quantiles of
//!   the shrunk shares, whose density near the 5th and 95th percentiles is
//!   at least half the uniform's, 1 / (2 (b − a)) (the noise, of sd
//!   √(p (1 − p) / M) ≤ 0.025 here, blurs the edges of the uniform at most
//!   to half height at the quantiles, which lie 0.05 (b − a) = 0.02 inside);
//! - shrinking keeps the shape of the noisy shares, whose standardised
//!   quantile lies between the uniform's (1.5588 at 5%) and the normal's
//!   (1.6449): a bias of at most (1.6449 − 1.5588) σ_p;
//! - so |estimate − truth| ≤ 4 √(q (1 − q) / K) · 2 (b − a) + 0.0861 σ_p,
//!   a four-sigma bound.

use std::path::{Path, PathBuf};

use brink::engine::nested::{NestedPlan, RecordFigures, simulate_nested};
use brink::engine::{KeyFigures, ParamSpace};
use brink::model::Model;
use brink::stats::spread::AssumptionSpread;

const A: f64 = 0.2;
const B: f64 = 0.6;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/spread")
        .join(name)
}

fn model(name: &str) -> Model {
    let scenario = brink::load(fixture(name)).expect("fixture loads");
    Model::compile(&scenario)
}

/// The `first_incident` figure's spread under a design of `k` draws of `m` trials.
fn incident_spread(name: &str, k: u64, m: u64, threads: usize) -> AssumptionSpread {
    let model = model(name);
    let space = ParamSpace::of(&model);
    let figures = KeyFigures::of(&model);
    let f = figures
        .figures
        .iter()
        .position(|f| f.name == "first_incident")
        .expect("a first_incident figure");
    let plan = NestedPlan {
        seed: 7,
        draws: k,
        trials_per_draw: m,
        threads,
    };
    let r = simulate_nested(&model, &space, plan, &figures, None).unwrap();
    assert!(!r.cancelled);
    r.spread(f)
}

#[test]
fn the_spread_of_a_uniform_assumption_is_its_percentiles() {
    let (k, m) = (1000u64, 400u64);
    let s = incident_spread("uniform-incident.toml", k, m, 0);
    let w = B - A;
    let sigma_p = w / 12f64.sqrt();
    let q_err = |q: f64| 4.0 * (q * (1.0 - q) / k as f64).sqrt() * 2.0 * w + 0.0861 * sigma_p;
    let (want_low, want_high) = (A + 0.05 * w, A + 0.95 * w);
    assert!(
        (s.low - want_low).abs() <= q_err(0.05),
        "5th percentile {} against {want_low} ± {}",
        s.low,
        q_err(0.05)
    );
    assert!(
        (s.high - want_high).abs() <= q_err(0.95),
        "95th percentile {} against {want_high} ± {}",
        s.high,
        q_err(0.95)
    );
    // The mean of K shares of total sd σ_x = √(σ_p² + E[p(1−p)]/M).
    let noise = (A + B) / 2.0 * (1.0 - (A + B) / 2.0) / m as f64;
    let sigma_x = (sigma_p * sigma_p + noise).sqrt();
    assert!(((s.mean - (A + B) / 2.0).abs()) <= 4.0 * sigma_x / (k as f64).sqrt());
    // The between-draw sd: the sample sd of K values has sd σ_x / √(2 (K − 1))
    // (normal theory; the uniform's is smaller), scaled by σ_x / σ_p through
    // between = observed − within.
    let sd_err = 4.0 * sigma_x * sigma_x / sigma_p / (2.0 * (k - 1) as f64).sqrt();
    assert!(
        (s.between_sd - sigma_p).abs() <= sd_err,
        "between sd {} against {sigma_p} ± {sd_err}",
        s.between_sd
    );
    // The within-draw noise: √(E[p (1 − p)] / M), E[p(1-p)] = m(1-m) - σ_p².
    let within = (((A + B) / 2.0 * (1.0 - (A + B) / 2.0) - sigma_p * sigma_p) / m as f64).sqrt();
    assert!(
        (s.within_sd - within).abs() < 0.1 * within,
        "within sd {}",
        s.within_sd
    );
    assert!(s.between_sd_high >= s.between_sd);
}

#[test]
fn a_degenerate_assumption_has_no_spread_beyond_one_draws_noise() {
    // p = 0.4 in every draw. Under no spread, observed − within has sd
    // W √(2 / (K − 1)) with W = p (1 − p) / M, so (three sigmas) the
    // estimated between-draw sd is at most √(3 W √(2 / (K − 1))); the
    // 5th and 95th percentiles of the shrunk shares lie within 2 of those
    // sds of their mean, and the mean within 3 √(W / K) of p. For K = 100,
    // M = 200 that is 1.6 √W, inside the 95% Monte Carlo interval of a
    // single draw, p ± 1.96 √W.
    let (k, m, p) = (100u64, 200u64, 0.4);
    let s = incident_spread("degenerate-incident.toml", k, m, 0);
    let w = p * (1.0 - p) / m as f64;
    let mc_half = 1.96 * w.sqrt();
    assert!(s.low >= p - mc_half && s.high <= p + mc_half, "{s:?}");
    let between_max = (3.0 * w * (2.0 / (k - 1) as f64).sqrt()).sqrt();
    assert!(s.between_sd <= between_max, "{s:?}");
    // Uncorrected, the shares' own 5th-95th percentiles are ±1.645 √W wide:
    // the correction removes (most of) that noise.
    assert!(s.high - s.low < 2.0 * 1.645 * w.sqrt(), "{s:?}");
}

#[test]
fn nothing_uncertain_means_no_spread_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = brink::load(fixture("fixed-incident.toml")).unwrap();
    let opts = brink::RunOptions {
        trials: Some(500),
        out_root: dir.path().to_path_buf(),
        plots: false,
        ..Default::default()
    };
    let r = brink::run(&scenario, &opts, brink::Cancel::never()).unwrap();
    assert!(r.summary.assumption_spread.is_none());
    assert!(r.summary.outcomes.iter().all(|o| o.spread_low.is_none()));
    let json = std::fs::read_to_string(r.out_dir.unwrap().join("summary.json")).unwrap();
    assert!(!json.contains("assumption_spread"));
    assert!(json.contains("\"spread_low\": null"));
}

#[test]
fn the_run_reports_the_spread_and_the_design_is_the_same_for_any_thread_count() {
    let scenario = brink::load(fixture("uniform-incident.toml")).unwrap();
    let mut bytes = Vec::new();
    for threads in [1, 2] {
        let dir = tempfile::tempdir().unwrap();
        let opts = brink::RunOptions {
            trials: Some(2000),
            threads,
            out_root: dir.path().to_path_buf(),
            plots: false,
            ..Default::default()
        };
        let r = brink::run(&scenario, &opts, brink::Cancel::never()).unwrap();
        let sp = r.summary.assumption_spread.as_ref().expect("a spread");
        assert_eq!((sp.draws, sp.trials_per_draw), (100, 200));
        assert_eq!(sp.parameters, ["incidents.base"]);
        let f = sp.figure("milestone", "first_incident").unwrap();
        assert!(f.low < f.high && f.low > 0.1 && f.high < 0.7, "{f:?}");
        bytes.push(std::fs::read(r.out_dir.unwrap().join("summary.json")).unwrap());
    }
    assert_eq!(bytes[0], bytes[1]);
    let a = incident_spread("uniform-incident.toml", 40, 50, 1);
    let b = incident_spread("uniform-incident.toml", 40, 50, 2);
    assert_eq!(a, b);
}

#[test]
fn draw_k_uses_the_values_of_main_trial_k() {
    let model = model("uniform-incident.toml");
    let space = ParamSpace::of(&model);
    let figures = RecordFigures::new(0, |_: &brink::engine::TrialRecord, _: &mut [u64]| {});
    let plan = NestedPlan {
        seed: 7,
        draws: 5,
        trials_per_draw: 2,
        threads: 1,
    };
    let r = simulate_nested(&model, &space, plan, &figures, None).unwrap();
    let mut draws = brink::engine::ParameterDraws::new(&model, &space, 7);
    for k in 0..5u64 {
        draws.coefficients(k);
        assert_eq!(r.params[k as usize], draws.drawn()[0]);
    }
}
