//! Long horizons: the engine records a trial that ends early once and fills
//! its remaining steps in when a batch is settled. Its aggregates must be
//! the very integers of the reference, which fills every step up to the
//! horizon as each trial ends, for any thread count and stopping point.

use std::path::Path;

use brink::engine::{ParamSpace, ParameterDraws, RunPlan, TrialRunner, simulate, simulate_until};
use brink::model::Model;
use brink::scenario::load_str;
use brink::stats::{Aggregator, RunAggregate};

fn baseline_at(horizon: u32) -> Model {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/muscat-2026.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen("horizon = 52 ", &format!("horizon = {horizon} "), 1);
    let model = Model::compile(&load_str(&path, &text).unwrap().0);
    assert_eq!(model.horizon, horizon);
    model
}

/// The aggregates of trials `0..trials` filled step by step, one trial
/// after the other on one thread: the reference.
fn reference(model: &Model, seed: u64, trials: u64) -> RunAggregate {
    let space = ParamSpace::of(model);
    let mut agg = RunAggregate::new(model);
    let mut runner = TrialRunner::new(model, seed);
    let mut draws = ParameterDraws::new(model, &space, seed);
    let mut counts = vec![0u32; model.n_moves()];
    for trial in 0..trials {
        counts.fill(0);
        let coef = draws.coefficients(trial);
        runner.run(coef, trial, &mut counts, &mut Aggregator::new(&mut agg));
        agg.add_moves(&counts);
    }
    agg
}

fn engine(model: &Model, seed: u64, trials: u64, threads: usize) -> RunAggregate {
    let space = ParamSpace::of(model);
    let plan = RunPlan {
        seed,
        first_trial: 0,
        trials,
        threads,
    };
    simulate(model, &space, plan, &mut (), &mut |_| {}, None)
        .unwrap()
        .aggregate
}

#[test]
fn long_horizon_aggregates_are_those_filled_step_by_step() {
    for horizon in [52, 1000] {
        let model = baseline_at(horizon);
        // Whole chunks and a part: three batches on one thread, two on two.
        let trials = 9 * 1024 + 300;
        let want = reference(&model, 11, trials);
        // Most trials end before the horizon: the fill is what is tested.
        let steps = horizon as usize + 1;
        let early: u64 = want
            .outcome_steps
            .chunks(steps)
            .map(|row| row[..steps - 1].iter().sum::<u64>())
            .sum();
        assert_eq!(want.trials, trials);
        assert!(early > trials / 2, "{early} of {trials} trials end early");
        for threads in [1, 2] {
            let got = engine(&model, 11, trials, threads);
            assert!(
                got == want,
                "horizon {horizon}, {threads} threads: aggregates differ from the reference"
            );
        }
    }
}

#[test]
fn a_stopped_run_holds_exactly_the_chunks_before_its_stop() {
    let model = baseline_at(700);
    let space = ParamSpace::of(&model);
    let plan = RunPlan {
        seed: 5,
        first_trial: 0,
        trials: 40 * 1024,
        threads: 2,
    };
    // Stops after the third chunk of the first batch (8 chunks on 2 threads).
    let sim = simulate_until(
        &model,
        &space,
        plan,
        &|t| t.trials >= 3 * 1024,
        &mut (),
        &mut |_| {},
        None,
    )
    .unwrap();
    assert!(sim.stopped);
    assert_eq!(sim.completed, 3 * 1024);
    assert!(sim.aggregate == reference(&model, 5, 3 * 1024));
}

fn run_baseline(
    out: &Path,
    horizon: u32,
    trials: u64,
    no_table: bool,
    every: Option<u64>,
) -> std::path::PathBuf {
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let text = std::fs::read_to_string(scenarios.join("muscat-2026.toml")).unwrap();
    let text = text.replacen("horizon = 52 ", &format!("horizon = {horizon} "), 1);
    let scenario = load_str(&scenarios.join("muscat-2026.toml"), &text)
        .unwrap()
        .0;
    let opts = brink::RunOptions {
        trials: Some(trials),
        threads: 2,
        out_root: out.to_path_buf(),
        plots: horizon > 52,
        no_trials_table: no_table,
        // The spread over assumptions runs trials of its own: not tested here.
        spread: brink::jobs::spread::SpreadOptions {
            draws: 0,
            trials_per_draw: 2,
        },
        durability: brink::Durability {
            checkpoint_every: every.map(std::time::Duration::from_secs),
            ..Default::default()
        },
        ..Default::default()
    };
    let r = brink::run(&scenario, &opts, brink::Cancel::never()).unwrap();
    r.out_dir.unwrap()
}

#[test]
fn without_the_trials_table_every_other_file_is_the_same() {
    let with = tempfile::tempdir().unwrap();
    let without = tempfile::tempdir().unwrap();
    let a = run_baseline(with.path(), 52, 5000, false, None);
    // Checkpoints after every batch: the mark says there is no table.
    let b = run_baseline(without.path(), 52, 5000, true, Some(0));
    assert!(a.join("trials.csv").exists());
    assert!(!b.join("trials.csv").exists() && !b.join("trials.parquet").exists());
    for name in ["summary.json", "timeseries.csv"] {
        assert_eq!(
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name}"
        );
    }
    let manifest = std::fs::read_to_string(b.join("manifest.json")).unwrap();
    assert!(!manifest.contains("trials.csv"));
}

#[test]
fn the_manifest_hash_of_the_trials_table_is_that_of_its_bytes() {
    use sha2::Digest;
    for every in [None, Some(0)] {
        let dir = tempfile::tempdir().unwrap();
        let out = run_baseline(dir.path(), 52, 3000, false, every);
        let bytes = std::fs::read(out.join("trials.csv")).unwrap();
        let want: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let m: brink::output::manifest::Manifest =
            serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap())
                .unwrap();
        let entry = m.files.iter().find(|f| f.path == "trials.csv").unwrap();
        assert_eq!(
            (entry.bytes, entry.sha256.as_str()),
            (bytes.len() as u64, want.as_str())
        );
    }
}

#[test]
fn a_run_of_ten_years_of_daily_steps_finishes_with_its_plots() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_baseline(dir.path(), 3650, 300, false, None);
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(
        summary.contains("\"horizon\": 3650"),
        "summary of a 3650-step run"
    );
    let plots: Vec<_> = std::fs::read_dir(out.join("plots")).unwrap().collect();
    assert!(!plots.is_empty());
    assert!(out.join("report.html").exists());
}
