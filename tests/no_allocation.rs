//! A trial allocates nothing, parameter draws included: all scratch space
//! belongs to the runner and the draws.
//! This test binary counts every allocation made by its own thread.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

use brink::engine::{ParamSpace, ParameterDraws, TrialRunner};
use brink::model::Model;
use brink::scenario::load;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

#[test]
fn baseline_trials_allocate_nothing() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/muscat-2026.toml");
    let model = Model::compile(&load(&path).unwrap().0);
    let space = ParamSpace::of(&model);
    assert!(
        !space.uncertain.is_empty(),
        "the baseline draws parameters per trial"
    );
    let mut draws = ParameterDraws::new(&model, &space, 7);
    let mut runner = TrialRunner::new(&model, 7);
    let mut counts = vec![0u32; model.n_moves()];
    let _ = draws.coefficients(0);
    let before = allocations();
    for trial in 0..2000 {
        counts.fill(0);
        let coef = draws.coefficients(trial);
        std::hint::black_box(runner.run(coef, trial, &mut counts, &mut ()));
    }
    assert_eq!(allocations() - before, 0, "allocations during 2000 trials");
    // The counter does count: building a runner allocates.
    let before = allocations();
    let _other = TrialRunner::new(&model, 8);
    assert!(allocations() > before);
}

#[test]
fn the_event_tracker_allocates_nothing_per_trial() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/muscat-2026.toml");
    let model = Model::compile(&load(&path).unwrap().0);
    let space = ParamSpace::of(&model);
    let texts = [
        "first_strike by 2026-03-31",
        "war for 8 weeks",
        "hormuz_shipping <= 0.2 for 1 week",
        "not deal by step 30 and talks suspended at step 5",
        "first_strike_step == 3",
    ];
    let events = texts
        .iter()
        .map(|t| brink::question::event(t, &model).unwrap())
        .collect();
    let set = brink::question::EventSet::new(events, model.horizon);
    let mut tracker = set.tracker();
    let mut draws = ParameterDraws::new(&model, &space, 7);
    let mut runner = TrialRunner::new(&model, 7);
    let mut counts = vec![0u32; model.n_moves()];
    let _ = draws.coefficients(0);
    let before = allocations();
    let mut held = 0;
    for trial in 0..2000 {
        let coef = draws.coefficients(trial);
        runner.run(coef, trial, &mut counts, &mut tracker);
        held += usize::from(tracker.holds(0));
    }
    assert_eq!(allocations() - before, 0, "allocations during 2000 trials");
    assert!(held > 0);
}

#[test]
fn trials_started_mid_crisis_allocate_nothing() {
    for fixture in [
        "tests/fixtures/valid/history-ceasefire.toml",
        "tests/fixtures/valid/history-strikes.toml",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture);
        let model = Model::compile(&load(&path).unwrap().0);
        assert!(model.history.is_some(), "{fixture} has [history]");
        let coef = model.base_coefficients();
        let mut runner = TrialRunner::new(&model, 7);
        let mut counts = vec![0u32; model.n_moves()];
        let before = allocations();
        for trial in 0..500 {
            counts.fill(0);
            std::hint::black_box(runner.run(&coef, trial, &mut counts, &mut ()));
        }
        assert_eq!(
            allocations() - before,
            0,
            "{fixture}: allocations during 500 trials"
        );
    }
}
