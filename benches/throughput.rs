//! Throughput of the baseline scenario: compiling it, one trial, 100,000
//! trials on one and two threads, and a full run that writes every output.
//!
//! `cargo bench --bench throughput`; `scripts/bench.sh` prints trials per
//! second and peak memory of the binary itself.

use std::hint::black_box;
use std::path::Path;

use brink::engine::{ParamSpace, RunPlan, TrialRunner, simulate};
use brink::model::Model;
use brink::pipeline::{RunOptions, run_scenario};
use brink::scenario::{Scenario, load};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn baseline() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/muscat-2026.toml");
    load(&path).expect("baseline loads").0
}

fn compile(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/muscat-2026.toml");
    c.bench_function("load and compile baseline", |b| {
        b.iter(|| Model::compile(&load(black_box(&path)).unwrap().0))
    });
}

fn one_trial(c: &mut Criterion) {
    let model = Model::compile(&baseline());
    let coef = model.base_coefficients();
    let mut runner = TrialRunner::new(&model, 1);
    let mut counts = vec![0u32; model.n_moves()];
    let mut trial = 0u64;
    c.bench_function("one baseline trial", |b| {
        b.iter(|| {
            trial += 1;
            runner.run(&coef, black_box(trial), &mut counts, &mut ())
        })
    });
}

fn many_trials(c: &mut Criterion) {
    let model = Model::compile(&baseline());
    let space = ParamSpace::of(&model);
    let trials = 100_000;
    let mut group = c.benchmark_group("100k baseline trials");
    group.sample_size(10);
    group.throughput(Throughput::Elements(trials));
    for threads in [1, 2] {
        group.bench_function(format!("{threads} thread(s)"), |b| {
            b.iter(|| {
                let plan = RunPlan {
                    seed: 1,
                    first_trial: 0,
                    trials,
                    threads,
                };
                simulate(&model, &space, plan, &mut (), &mut |_| {}, None).unwrap()
            })
        });
    }
    group.finish();
}

fn full_run(c: &mut Criterion) {
    let scenario = baseline();
    let dir = tempfile::tempdir().unwrap();
    let trials = 100_000;
    let mut group = c.benchmark_group("100k baseline trials with outputs");
    group.sample_size(10);
    group.throughput(Throughput::Elements(trials));
    group.bench_function("2 threads", |b| {
        b.iter(|| {
            let opts = RunOptions {
                trials: Some(trials),
                seed: Some(1),
                threads: 2,
                out_root: dir.path().to_path_buf(),
                command: vec!["bench".into()],
                plots: true,
                precision: None,
                durability: Default::default(),
            };
            run_scenario(&scenario, &opts, &mut |_| {}, None).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, compile, one_trial, many_trials, full_run);
criterion_main!(benches);
