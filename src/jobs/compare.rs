//! `brink compare` as a job: the units are paired trials, run in lockstep
//! for every scenario in segments; the partial holds the exact integer
//! tallies of the trials done (each scenario's aggregate, the joint outcome
//! tables and the escalation differences against the first scenario).

use std::io;
use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::compare::Comparison;
use crate::engine::montecarlo::CHUNK_TRIALS;
use crate::engine::{PairedArm, PairedSimulation, ParamSpace, RunPlan, simulate_paired_given};
use crate::export::comparison;
use crate::model::Model;
use crate::output::ResultFolder;
use crate::output::manifest::Manifest;
use crate::plot::compare_plots::render_compare_plots;
use crate::question::EventSet;
use crate::report::{self, compare::CompareReportInput};
use crate::scenario::Scenario;
use crate::shard::work::Arm;
use crate::shard::{Durability, Work, WorkId};
use crate::stats::RunAggregate;
use crate::stats::comparison::CompareConditioning;
use crate::stats::mean::IntegerSums;
use crate::stats::paired::{JointCounts, MilestonePairing};
use crate::stats::precision::Precision;
use crate::stats::summary::ScenarioInfo;
use crate::world::Outcome;

use super::cancel::Cancel;
use super::driver::{JobOptions, JobRun, drive};
use super::job::{Advanced, Finish, Job};
use super::steps::Steps;

/// The name of the output folder: `compare-<a>-vs-<b>...`, shortened to
/// `compare-<a>-vs-<n>-more-<hash>` when too long for a file name.
pub fn dir_name(scenarios: &[Scenario]) -> String {
    let names: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
    crate::shard::work::compare_dir_name(&names)
}

/// Chunks per worker thread in a segment: the paired trials run between
/// two checkpoint chances are one batch of the engine (a whole number of
/// chunks, so that segments change nothing in the results).
const SEGMENT_CHUNKS_PER_THREAD: u64 = 4;

/// How to run a comparison (options already resolved from the command line).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompareOptions {
    /// Paired trials (default: the first scenario's `run.trials`).
    pub trials: Option<u64>,
    /// Master seed shared by all scenarios (default: the first scenario's `run.seed`).
    pub seed: Option<u64>,
    /// Worker threads (0 = all cores); results do not depend on it.
    pub threads: usize,
    /// Parent of the output directory; results go to `out_root/compare-<names>/`.
    pub out_root: PathBuf,
    /// The command line, for the manifest.
    pub command: Vec<String>,
    /// Stop once every paired difference against the first scenario is
    /// known this precisely; `trials` is then the maximum. It cannot be sharded.
    pub precision: Option<Precision>,
    /// Draw `plots/*.png|svg` and write `report.html`.
    pub plots: bool,
    /// Shard, checkpoints and resumption (default: none of them).
    pub durability: Durability,
    /// The format of the result's tables.
    pub format: crate::export::Format,
    /// The steps at which milestones are compared (empty: the quarter
    /// points of the baseline's horizon and the horizon). They change only
    /// what is reported, not the trials, so they are not part of the work's
    /// identity: shards and checkpoints of any `--at` merge.
    pub at: Vec<u32>,
    /// Keep, in each scenario, only the trials that satisfy every one of
    /// these events (`--given`); pairs are the trial indices kept in both.
    pub given: Vec<String>,
}

/// The paired trials of a range done so far: exact integer tallies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairedPartial {
    /// Trials completed from the start of the range.
    pub completed: u64,
    /// True when the stopping rule ended the comparison here.
    #[serde(default)]
    pub stopped: bool,
    /// Each scenario's aggregate.
    pub aggregates: Vec<RunAggregate>,
    /// Each scenario's joint outcome table against the first.
    pub joint: Vec<JointCounts>,
    /// Each scenario's paired milestone counts against the first
    /// ([`MilestonePairing`]).
    pub milestone_joint: Vec<Vec<u64>>,
    /// Each scenario's escalation differences against the first.
    pub escalation_differences: Vec<IntegerSums>,
}

/// A comparison of scenarios, as a job.
#[derive(Debug)]
pub struct CompareJob<'a> {
    scenarios: &'a [Scenario],
    models: Vec<Model>,
    spaces: Vec<ParamSpace>,
    id: WorkId,
    seed: u64,
    trials: u64,
    threads: usize,
    precision: Option<Precision>,
    at: Vec<u32>,
    /// The `--given` events as written, and compiled for each scenario.
    given: Vec<String>,
    given_sets: Vec<EventSet>,
}

impl<'a> CompareJob<'a> {
    /// The comparison of `scenarios` (the first is the baseline) with the
    /// seed, trials, threads and precision of `opts`.
    ///
    /// # Panics
    ///
    /// If `scenarios` is empty.
    pub fn new(scenarios: &'a [Scenario], opts: &CompareOptions) -> CompareJob<'a> {
        let first = &scenarios[0];
        let seed = opts.seed.unwrap_or(first.seed);
        let trials = opts.trials.unwrap_or(first.trials);
        let models: Vec<Model> = scenarios.iter().map(Model::compile).collect();
        let spaces = models.iter().map(ParamSpace::of).collect();
        let work = Work::Compare {
            trials,
            others: scenarios[1..].iter().map(Arm::of).collect(),
        };
        CompareJob {
            scenarios,
            models,
            spaces,
            id: WorkId::new(first, seed, work),
            seed,
            trials,
            threads: opts.threads,
            precision: opts.precision.clone(),
            at: opts.at.clone(),
            given: Vec::new(),
            given_sets: Vec::new(),
        }
    }

    /// The comparison keeping, in each scenario, only the trials that
    /// satisfy every event of `given` (compiled against each scenario);
    /// bad input naming the first event that fails.
    pub fn conditioned(mut self, given: &[String]) -> io::Result<Self> {
        if given.is_empty() {
            return Ok(self);
        }
        self.given_sets = self
            .models
            .iter()
            .map(|m| {
                Ok(EventSet::new(
                    crate::question::given_events(given, m)?,
                    m.horizon,
                ))
            })
            .collect::<io::Result<_>>()?;
        self.given = given.to_vec();
        Ok(self)
    }

    fn simulation(&self, p: PairedPartial) -> PairedSimulation {
        PairedSimulation {
            aggregates: p.aggregates,
            joint: p.joint,
            milestone_joint: p.milestone_joint,
            escalation_differences: p.escalation_differences,
            completed: p.completed,
            cancelled: false,
            stopped: p.stopped,
        }
    }

    /// The comparison of the trials of `p` (all of them, from trial 0).
    pub fn comparison(&self, p: PairedPartial) -> Comparison {
        let refs: Vec<&Model> = self.models.iter().collect();
        let infos = self.scenarios.iter().map(ScenarioInfo::of).collect();
        let sim = self.simulation(p);
        let mut c = Comparison::build_at(&refs, infos, self.seed, &sim, &self.at);
        if !self.given.is_empty() {
            c.conditioning = Some(CompareConditioning {
                given: self.given.clone(),
                trials_run: sim.completed,
                kept: sim.aggregates.iter().map(|a| a.trials).collect(),
                paired: sim.joint.iter().map(JointCounts::total).collect(),
            });
            // The milestone tables pair each arm's marginal counts over all
            // its kept trials, not over the pairs kept in both arms: under a
            // condition they would not describe the same trials, so the
            // paired milestone differences are left out (the curves remain).
            for d in &mut c.differences {
                d.milestones.clear();
            }
        }
        c.stopping = self
            .precision
            .as_ref()
            .map(|pr| pr.report_paired(&sim.joint, self.trials, sim.stopped));
        c
    }
}

impl Job for CompareJob<'_> {
    type Partial = PairedPartial;
    type Output = Comparison;

    fn work(&self) -> &WorkId {
        &self.id
    }

    fn scenario(&self) -> &Scenario {
        &self.scenarios[0]
    }

    fn inputs(&self) -> Vec<PathBuf> {
        self.scenarios[1..]
            .iter()
            .map(|s| std::path::absolute(&s.origin.path).unwrap_or_else(|_| s.origin.path.clone()))
            .collect()
    }

    fn units(&self) -> u64 {
        self.trials
    }

    fn fresh(&self) -> PairedPartial {
        let n = self.models.len();
        PairedPartial {
            completed: 0,
            stopped: false,
            aggregates: self.models.iter().map(RunAggregate::new).collect(),
            joint: vec![JointCounts::default(); n],
            milestone_joint: self
                .models
                .iter()
                .map(|m| vec![0; MilestonePairing::new(&self.models[0], m).len()])
                .collect(),
            escalation_differences: vec![IntegerSums::default(); n],
        }
    }

    fn completed(&self, p: &PairedPartial) -> u64 {
        p.completed
    }

    fn max_partial_bytes(&self, _units: u64) -> u64 {
        let arms = self.models.len() as u64;
        let aggregates: u64 = self
            .models
            .iter()
            .map(|m| RunAggregate::new(m).max_json_bytes())
            .sum();
        let paired: u64 = self
            .models
            .iter()
            .map(|m| MilestonePairing::new(&self.models[0], m).len() as u64 * 21)
            .sum();
        aggregates
            .saturating_add(paired)
            .saturating_add(arms * 4096)
            .saturating_add(1024)
    }

    fn check(&self, p: &PairedPartial, units: &Range<u64>) -> Result<(), String> {
        check_paired(&self.models, p, units.end - units.start)
    }

    fn advance(
        &self,
        units: &Range<u64>,
        p: &mut PairedPartial,
        steps: &mut Steps<'_, PairedPartial>,
    ) -> io::Result<Advanced> {
        let arms: Vec<PairedArm> = self
            .models
            .iter()
            .zip(&self.spaces)
            .map(|(model, space)| PairedArm { model, space })
            .collect();
        let len = units.end - units.start;
        let workers = crate::limits::thread_pool(self.threads)?.current_num_threads();
        let segment = workers.max(1) as u64 * SEGMENT_CHUNKS_PER_THREAD * CHUNK_TRIALS;
        while p.completed < len && !p.stopped {
            if steps.cancelled() {
                return Ok(Advanced::Cancelled);
            }
            let plan = RunPlan {
                seed: self.seed,
                first_trial: units.start + p.completed,
                trials: segment.min(len - p.completed),
                threads: self.threads,
            };
            let before = &p.joint;
            let stop = |joint: &[JointCounts]| {
                self.precision.as_ref().is_some_and(|pr| {
                    let mut total = before.clone();
                    for (t, j) in total.iter_mut().zip(joint) {
                        t.merge(j);
                    }
                    pr.met_paired(&total)
                })
            };
            let done = p.completed;
            let progress = &mut *steps.progress;
            let given = (!self.given_sets.is_empty()).then_some(&self.given_sets[..]);
            let sim = simulate_paired_given(
                &arms,
                plan,
                given,
                &stop,
                &mut |d| progress(done + d),
                steps.cancel.flag(),
            )?;
            add_simulation(p, &sim);
            if sim.cancelled {
                return Ok(Advanced::Cancelled);
            }
            p.stopped = sim.stopped;
            steps.batch(p.completed, p)?;
        }
        Ok(Advanced::Finished)
    }

    fn append(&self, total: &mut PairedPartial, next: PairedPartial) {
        let sim = self.simulation(next);
        add_simulation(total, &sim);
    }

    fn finish(
        &self,
        p: PairedPartial,
        folder: ResultFolder,
        f: Finish<'_>,
    ) -> io::Result<(Comparison, PathBuf)> {
        if !self.given.is_empty() {
            let fewest = p.joint.iter().map(JointCounts::total).min().unwrap_or(0);
            crate::question::check_kept(&self.given, p.completed, fewest)?;
        }
        let comparison = self.comparison(p);
        let dir = write_comparison(folder, self.scenarios, &comparison, f)?;
        Ok((comparison, dir))
    }
}

/// Adds the tallies of a segment to a partial.
fn add_simulation(p: &mut PairedPartial, sim: &PairedSimulation) {
    for (t, a) in p.aggregates.iter_mut().zip(&sim.aggregates) {
        t.merge(a);
    }
    for (t, j) in p.joint.iter_mut().zip(&sim.joint) {
        t.merge(j);
    }
    for (t, j) in p.milestone_joint.iter_mut().zip(&sim.milestone_joint) {
        for (a, b) in t.iter_mut().zip(j) {
            *a += b;
        }
    }
    for (t, d) in p
        .escalation_differences
        .iter_mut()
        .zip(&sim.escalation_differences)
    {
        t.merge(d);
    }
    p.completed += sim.completed;
}

/// Checks the tallies of a comparison's partial of a range of `len`
/// trials: one of each per scenario, fitting its model, all counting the
/// trials completed, the joint tables agreeing with the outcome counts.
fn check_paired(models: &[Model], p: &PairedPartial, len: u64) -> Result<(), String> {
    let n = models.len();
    if p.completed > len {
        return Err(format!("it records {} trials done of {len}", p.completed));
    }
    if p.aggregates.len() != n
        || p.joint.len() != n
        || p.milestone_joint.len() != n
        || p.escalation_differences.len() != n
    {
        return Err(format!("it holds tallies of other than {n} scenarios"));
    }
    for (k, (model, agg)) in models.iter().zip(&p.aggregates).enumerate() {
        if !RunAggregate::new(model).same_shape(agg) {
            return Err(format!("the aggregate of scenario {k} does not fit it"));
        }
        agg.check_consistent(p.completed)
            .map_err(|e| format!("the aggregate of scenario {k} is inconsistent: {e}"))?;
        let joint = &p.joint[k];
        if joint.total() != p.completed || p.escalation_differences[k].n != p.completed {
            return Err(format!(
                "the paired tallies of scenario {k} do not count {} trials",
                p.completed
            ));
        }
        check_milestone_pairs(models, p, k)?;
        for o in Outcome::ALL {
            let (first, this) = (p.aggregates[0].outcome_counts[o], agg.outcome_counts[o]);
            let row: u64 = joint.rows()[o].iter().map(|(_, &c)| c).sum();
            let column: u64 = joint.rows().iter().map(|(_, r)| r[o]).sum();
            if row != first || column != this {
                return Err(format!(
                    "the joint table of scenario {k} disagrees with the outcome counts"
                ));
            }
        }
    }
    Ok(())
}

/// Checks scenario `k`'s paired milestone counts: their table has the
/// layout of the two models, and at every step the trials in which both
/// reached a milestone are no more than those in which each did.
fn check_milestone_pairs(models: &[Model], p: &PairedPartial, k: usize) -> Result<(), String> {
    let pairing = MilestonePairing::new(&models[0], &models[k]);
    let joint = &p.milestone_joint[k];
    if joint.len() != pairing.len() {
        return Err(format!(
            "the paired milestone counts of scenario {k} hold {} numbers, not {}",
            joint.len(),
            pairing.len()
        ));
    }
    let (first, second) = (&p.aggregates[0], &p.aggregates[k]);
    for (j, index) in pairing
        .arm_index(&models[0], &models[k])
        .into_iter()
        .enumerate()
    {
        let row_ok = |t: u32| match index {
            Some(i) => pairing
                .table(
                    joint,
                    j,
                    t,
                    first.milestone_step_row(j),
                    second.milestone_step_row(i),
                    p.completed,
                )
                .is_some(),
            None => joint[pairing.cell(j, 0)..=pairing.cell(j, u32::MAX)]
                .iter()
                .all(|&c| c == 0),
        };
        if !(0..pairing.steps as u32).all(row_ok) {
            return Err(format!(
                "the paired milestone counts of scenario {k} disagree with its milestone counts"
            ));
        }
    }
    Ok(())
}

/// Writes the result folder of a comparison: `comparison.json`,
/// `comparison.csv`, with `f.plots` the plots and `report.html`, and last
/// `manifest.json`; then commits it.
pub fn write_comparison(
    folder: ResultFolder,
    scenarios: &[Scenario],
    comparison: &Comparison,
    f: Finish<'_>,
) -> io::Result<PathBuf> {
    let (seed, trials) = (comparison.seed, comparison.trials);
    folder.json("comparison.json", comparison)?;
    comparison::write(folder.path(), comparison, f.format)?;
    let manifest = Manifest::comparison(scenarios, f.command, seed, trials);
    if f.plots {
        let drawn = render_compare_plots(comparison)?;
        // The report shows the manifest of everything written so far.
        folder.plots_and_report(&drawn, &manifest, |so_far| {
            report::compare::render(&CompareReportInput {
                comparison,
                scenarios,
                plots: &drawn,
                manifest: so_far,
            })
        })?;
    }
    folder.commit(manifest)
}

/// Runs a comparison (or the shard of it `opts.durability` names), keeping
/// checkpoints as asked, and writes `comparison.json`, `comparison.csv`,
/// with `opts.plots` the plots and `report.html`, and last `manifest.json`
/// into `out_root/compare-<names>/`, atomically. `progress` receives the
/// trials done (of the shard).
///
/// # Panics
///
/// If `scenarios` is empty.
pub fn compare(
    scenarios: &[Scenario],
    opts: &CompareOptions,
    progress: &mut dyn FnMut(u64),
    cancel: Cancel<'_>,
) -> io::Result<JobRun<Comparison>> {
    if opts.precision.is_some() && opts.durability.shard.is_some() {
        return Err(crate::shard::bad_input(
            "a comparison with a precision target cannot be sharded",
            "give --trials instead of --precision, or run it whole",
        ));
    }
    if !opts.given.is_empty() {
        let dur = opts.durability;
        if dur.shard.is_some() || dur.resume || opts.precision.is_some() {
            return Err(crate::shard::bad_input(
                "--given cannot be combined with --shard, --resume or --precision",
                "run the conditioned comparison in one piece",
            ));
        }
    }
    let job = CompareJob::new(scenarios, opts).conditioned(&opts.given)?;
    let mut durability = opts.durability;
    if !opts.given.is_empty() {
        // A conditioned comparison is written whole: no checkpoints.
        durability.checkpoint_every = None;
    }
    let jo = JobOptions {
        out_root: &opts.out_root,
        command: &opts.command,
        plots: opts.plots,
        durability,
        format: opts.format,
    };
    drive(&job, &jo, progress, cancel)
}
