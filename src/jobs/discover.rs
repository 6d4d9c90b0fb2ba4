//! `brink discover` as a job: the units are trials; the partial keeps every
//! trial's drawn parameter values (as their bits, so they read back
//! exactly) and whether it had the outcome. PRIM and the ranking run once
//! all trials are in.

use std::io;
use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::analysis::discovery::{Discovery, assemble, bytes_per_trial};
use crate::engine::{ParamSpace, RecordSink, RunPlan, TrialRecord, simulate};
use crate::export::analysis;
use crate::model::Model;
use crate::output::ResultFolder;
use crate::output::manifest::Manifest;
use crate::report::analysis_files;
use crate::scenario::Scenario;
use crate::shard::{Work, WorkId, bad_input};
use crate::stats::prim::PrimOptions;
use crate::stats::summary::ScenarioInfo;
use crate::world::Outcome;

use super::job::{Advanced, Finish, Job};
use super::steps::Steps;

/// The trials of a range done so far: every trial's parameter values and
/// whether it had the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrialSample {
    /// Trials completed from the start of the range.
    pub completed: u64,
    /// Their drawn parameter values, one row of the uncertain parameters
    /// per trial, in trial order (kept as bits: exact in JSON).
    #[serde(with = "float_bits")]
    pub values: Vec<f64>,
    /// Whether each trial had the outcome, in trial order.
    pub hits: Vec<bool>,
}

/// A discovery, as a job.
#[derive(Debug)]
pub struct DiscoverJob<'a> {
    scenario: &'a Scenario,
    model: &'a Model,
    space: ParamSpace,
    id: WorkId,
    outcome: Outcome,
    seed: u64,
    trials: u64,
    threads: usize,
    prim: PrimOptions,
}

impl<'a> DiscoverJob<'a> {
    /// A search of `trials` trials of `model` (compiled from `scenario`)
    /// for where `outcome` is most likely. Bad input when the scenario has
    /// no uncertain parameter or the trials would not fit in memory.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        scenario: &'a Scenario,
        model: &'a Model,
        outcome: Outcome,
        seed: u64,
        trials: u64,
        threads: usize,
        prim: PrimOptions,
    ) -> io::Result<DiscoverJob<'a>> {
        let space = ParamSpace::of(model);
        if space.uncertain.is_empty() {
            return Err(bad_input(
                "the scenario has no uncertain parameters to search",
                "give numbers a distribution, e.g. `rationality = { dist = \"uniform\", low = 1, high = 2 }`",
            ));
        }
        // Every trial's parameters are kept (and copied once by PRIM).
        let per_trial = bytes_per_trial(space.uncertain.len());
        crate::limits::check_units("a discovery", trials, per_trial, "trials")?;
        let work = Work::Discover {
            outcome: outcome.key().into(),
            trials,
            min_coverage: prim.min_coverage,
        };
        Ok(DiscoverJob {
            scenario,
            model,
            id: WorkId::new(scenario, seed, work),
            space,
            outcome,
            seed,
            trials,
            threads,
            prim,
        })
    }

    fn width(&self) -> usize {
        self.space.uncertain.len()
    }

    /// The discovery from the trials of `p` (all of them).
    pub fn discovery(&self, p: &TrialSample) -> Discovery {
        let x: Vec<Vec<f64>> = p.values.chunks(self.width()).map(<[f64]>::to_vec).collect();
        assemble(
            ScenarioInfo::of(self.scenario),
            self.outcome,
            self.seed,
            self.trials,
            self.prim,
            self.space.uncertain_paths(self.model),
            &x,
            &p.hits,
        )
    }
}

/// Hands each trial to the partial, and each batch to the driver.
struct Collect<'s, 'a> {
    p: &'s mut TrialSample,
    outcome: Outcome,
    steps: &'s mut Steps<'a, TrialSample>,
}

impl RecordSink for Collect<'_, '_> {
    fn record(&mut self, r: &TrialRecord, _: &[u32], params: &[f64]) -> io::Result<()> {
        self.p.values.extend_from_slice(params);
        self.p.hits.push(r.outcome == self.outcome);
        self.p.completed += 1;
        Ok(())
    }

    fn on_batch(&mut self, _: u64, _: &crate::stats::RunAggregate) -> io::Result<()> {
        self.steps.batch(self.p.completed, self.p)
    }
}

impl Job for DiscoverJob<'_> {
    type Partial = TrialSample;
    type Output = Discovery;

    fn work(&self) -> &WorkId {
        &self.id
    }

    fn scenario(&self) -> &Scenario {
        self.scenario
    }

    fn units(&self) -> u64 {
        self.trials
    }

    fn fresh(&self) -> TrialSample {
        TrialSample {
            completed: 0,
            values: Vec::new(),
            hits: Vec::new(),
        }
    }

    fn completed(&self, p: &TrialSample) -> u64 {
        p.completed
    }

    fn max_partial_bytes(&self, units: u64) -> u64 {
        // A value's bits take at most 20 digits and a comma; a flag 6 bytes.
        let per_trial = 21 * self.width() as u64 + 6;
        units.saturating_mul(per_trial).saturating_add(1024)
    }

    fn check(&self, p: &TrialSample, units: &Range<u64>) -> Result<(), String> {
        let len = units.end - units.start;
        if p.completed > len {
            return Err(format!("it records {} trials done of {len}", p.completed));
        }
        let k = self.width() as u64;
        if p.hits.len() as u64 != p.completed || p.values.len() as u64 != p.completed * k {
            return Err(format!(
                "it does not hold {k} values and a flag for each of its {} trials",
                p.completed
            ));
        }
        for row in p.values.chunks(self.width()) {
            for (&x, &slot) in row.iter().zip(&self.space.uncertain) {
                let (lo, hi) = self.model.params.bounds[slot as usize];
                if !(lo..=hi).contains(&x) {
                    return Err(format!(
                        "it holds {x}, outside the range of `{}`",
                        self.model.params.paths[slot as usize]
                    ));
                }
            }
        }
        Ok(())
    }

    fn advance(
        &self,
        units: &Range<u64>,
        p: &mut TrialSample,
        steps: &mut Steps<'_, TrialSample>,
    ) -> io::Result<Advanced> {
        let len = units.end - units.start;
        let plan = RunPlan {
            seed: self.seed,
            first_trial: units.start + p.completed,
            trials: len - p.completed,
            threads: self.threads,
        };
        let cancel = steps.cancel.flag();
        let mut sink = Collect {
            p,
            outcome: self.outcome,
            steps,
        };
        let sim = simulate(
            self.model,
            &self.space,
            plan,
            &mut sink,
            &mut |_| {},
            cancel,
        )?;
        Ok(if sim.cancelled {
            Advanced::Cancelled
        } else {
            Advanced::Finished
        })
    }

    fn append(&self, total: &mut TrialSample, next: TrialSample) {
        total.completed += next.completed;
        total.values.extend(next.values);
        total.hits.extend(next.hits);
    }

    fn finish(
        &self,
        p: TrialSample,
        folder: ResultFolder,
        f: Finish<'_>,
    ) -> io::Result<(Discovery, PathBuf)> {
        let d = self.discovery(&p);
        let dir = write_discovery(folder, self.scenario, &d, f)?;
        Ok((d, dir))
    }
}

/// Writes the result folder of a discovery: `discovery.json`,
/// `discovery.csv`, with `f.plots` the plots and `report.html`, and last
/// `manifest.json`; then commits it.
pub fn write_discovery(
    folder: ResultFolder,
    scenario: &Scenario,
    d: &Discovery,
    f: Finish<'_>,
) -> io::Result<PathBuf> {
    let dir = folder.path();
    folder.json("discovery.json", d)?;
    analysis::write_discovery(dir, d, f.format)?;
    let manifest = Manifest::new("discover", scenario, f.command, d.seed, d.trials);
    if f.plots {
        analysis_files::write_discovery(dir, d, &manifest, f.format)?;
    }
    folder.commit(manifest)
}

/// Floats as the integers of their bits: JSON numbers that read back to
/// exactly the same values.
mod float_bits {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(values: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(values.iter().map(|x| x.to_bits()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<u64>::deserialize(d)?
            .into_iter()
            .map(f64::from_bits)
            .collect())
    }
}
