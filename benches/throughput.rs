//! Throughput of the baseline scenario: compiling it, one trial, 100,000
//! trials on one and two threads, writing the outputs (100,000 `trials.csv`
//! rows; the summary, time series, plots, report and manifest of a finished
//! run), and a full run that does all of it.
//!
//! `cargo bench --bench throughput`; `scripts/bench.sh` prints trials per
//! second and peak memory of the binary itself.

use std::hint::black_box;
use std::path::Path;

use brink::engine::{ParamSpace, RecordSink, RunPlan, TrialRecord, TrialRunner, simulate};
use brink::export::trials_csv::TrialsCsv;
use brink::jobs::Cancel;
use brink::jobs::run::{RunFiles, RunOptions, finish_run, run_scenario};
use brink::model::Model;
use brink::output::{ResultFolder, ResultLock};
use brink::scenario::{Scenario, load};
use brink::stats::summary::ScenarioInfo;
use brink::stats::{Aggregator, RunAggregate, Summary};
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

/// 100,000 baseline records with their move counts and drawn parameters.
struct Records {
    records: Vec<TrialRecord>,
    counts: Vec<u32>,
    params: Vec<f64>,
}

fn writing_outputs(c: &mut Criterion) {
    let scenario = baseline();
    let model = Model::compile(&scenario);
    let space = ParamSpace::of(&model);
    let trials = 100_000u64;
    let n = model.n_moves();
    let k = space.uncertain.len();
    let mut draws = brink::engine::ParameterDraws::new(&model, &space, 1);
    let mut runner = TrialRunner::new(&model, 1);
    let mut aggregate = RunAggregate::new(&model);
    let mut data = Records {
        records: Vec::new(),
        counts: vec![0; n * trials as usize],
        params: Vec::new(),
    };
    for t in 0..trials {
        let row = &mut data.counts[t as usize * n..(t as usize + 1) * n];
        let coef = draws.coefficients(t);
        let record = runner.run(coef, t, row, &mut Aggregator::new(&mut aggregate));
        aggregate.add_moves(row);
        data.records.push(record);
        data.params.extend_from_slice(draws.drawn());
    }
    let summary = Summary::build(&model, ScenarioInfo::of(&scenario), 1, &aggregate);
    let dir = tempfile::tempdir().unwrap();
    let paths = space.uncertain_paths(&model);

    let mut group = c.benchmark_group("writing outputs");
    group.sample_size(10);
    group.throughput(Throughput::Elements(trials));
    group.bench_function("100k trials.csv rows", |b| {
        b.iter(|| {
            let path = dir.path().join("trials.csv");
            let mut csv = TrialsCsv::create(&path, &model, &paths).unwrap();
            for (i, r) in data.records.iter().enumerate() {
                csv.record(
                    r,
                    &data.counts[i * n..(i + 1) * n],
                    &data.params[i * k..(i + 1) * k],
                )
                .unwrap();
            }
            csv.finish().unwrap();
        })
    });
    group.throughput(Throughput::Elements(1));
    let lock = ResultLock::acquire(&dir.path().join("run")).unwrap();
    group.bench_function("summary, time series, plots, report, manifest", |b| {
        b.iter(|| {
            let folder = ResultFolder::stage(&lock).unwrap();
            let files = RunFiles {
                scenario: &scenario,
                summary: &summary,
                command: &["bench".to_string()],
                plots: true,
                format: brink::export::Format::Csv,
            };
            finish_run(folder, &files).unwrap()
        })
    });
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
                format: brink::export::Format::Csv,
                spread: Default::default(),
                given: Vec::new(),
                no_trials_table: false,
            };
            run_scenario(&scenario, &opts, &mut |_| {}, Cancel::never()).unwrap()
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    compile,
    one_trial,
    many_trials,
    writing_outputs,
    full_run
);
criterion_main!(benches);
