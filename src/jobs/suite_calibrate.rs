//! `brink calibrate --suite` as a job: the units are the samples drawn from
//! the prior of the shared parameters; the partial holds, per sample done,
//! how many trials of each resolved question's episode saw its event.
//! Everything else of a sample (its values, likelihood, weight) is
//! recomputed from its index, so the partial is small and exact, and a
//! resumed fit ends with the bytes of an uninterrupted one.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::analysis::suite::{Suite, SuiteCalibration, SuiteOptions, SuiteSampler, episode_infos};
use crate::export::table::{Column, Table, Value};
use crate::export::{self, Format};
use crate::output::fitted_scenario::{self, FittedOrigin};
use crate::output::manifest::{Manifest, ManifestScenario, hash_files};
use crate::output::{ResultFolder, write_atomic};
use crate::scenario::Scenario;
use crate::shard::work::Arm;
use crate::shard::{Work, WorkId};

use super::calibrate::SampleHits;
use super::job::{Advanced, Finish, Job};
use super::steps::Steps;

/// Samples run per batch (progress, checkpoint and cancellation granularity).
const BATCH: u64 = 16;

/// The result folder of the suite in `dir`: `calibrate-suite-<folder>`.
pub fn suite_dir_name(dir: &Path) -> String {
    let name = fitted_scenario::fitted_name(dir);
    format!(
        "calibrate-suite-{}",
        name.strip_suffix("-fitted").unwrap_or(&name)
    )
}

/// A suite calibration, as a job.
#[derive(Debug)]
pub struct SuiteCalibrateJob<'a> {
    sampler: SuiteSampler<'a>,
    id: WorkId,
    point: bool,
}

impl<'a> SuiteCalibrateJob<'a> {
    /// A calibration of `suite`; `point` writes the fitted parameters as
    /// their posterior medians. Bad input when the samples would not fit
    /// in memory.
    pub fn new(suite: &'a Suite, opts: SuiteOptions, point: bool) -> io::Result<Self> {
        let sampler = SuiteSampler::new(suite, opts)?;
        let first = &suite.episodes[0].scenario;
        let work = Work::SuiteCalibrate {
            output: suite_dir_name(&suite.dir),
            samples: opts.samples as u64,
            trials_per_sample: opts.trials_per_sample,
            others: suite.episodes[1..]
                .iter()
                .map(|e| Arm::of(&e.scenario))
                .collect(),
            questions_sha256: suite
                .episodes
                .iter()
                .map(|e| e.questions_sha256.clone())
                .collect(),
            parameters: suite.paths(),
        };
        Ok(SuiteCalibrateJob {
            sampler,
            id: WorkId::new(first, opts.seed, work),
            point,
        })
    }

    /// The calibration from the hits of `p` (every sample).
    pub fn calibration(&self, p: &SampleHits) -> SuiteCalibration {
        let suite = self.sampler.suite();
        let seed = self.sampler.options().seed;
        SuiteCalibration {
            schema: "brink.suite-fit/1",
            brink_version: env!("CARGO_PKG_VERSION").into(),
            suite: suite.dir.display().to_string(),
            shared_file: suite.shared_file.as_ref().map(|f| f.display().to_string()),
            parent: suite.parent().map(|f| f.display().to_string()),
            seed,
            episodes: episode_infos(suite, seed),
            fit: self.sampler.fit(&p.hits),
            fitted_file: None,
            fitted_point: self.point,
        }
    }
}

impl Job for SuiteCalibrateJob<'_> {
    type Partial = SampleHits;
    type Output = SuiteCalibration;

    fn work(&self) -> &WorkId {
        &self.id
    }

    fn scenario(&self) -> &Scenario {
        &self.sampler.suite().episodes[0].scenario
    }

    fn inputs(&self) -> Vec<PathBuf> {
        self.sampler
            .suite()
            .episodes
            .iter()
            .map(|e| {
                std::path::absolute(&e.questions_path).unwrap_or_else(|_| e.questions_path.clone())
            })
            .collect()
    }

    fn units(&self) -> u64 {
        self.sampler.samples()
    }

    fn fresh(&self) -> SampleHits {
        SampleHits { hits: Vec::new() }
    }

    fn completed(&self, p: &SampleHits) -> u64 {
        p.hits.len() as u64
    }

    fn max_partial_bytes(&self, units: u64) -> u64 {
        let per_sample = 21 * self.sampler.n_questions() as u64 + 3;
        units.saturating_mul(per_sample).saturating_add(1024)
    }

    fn check(&self, p: &SampleHits, units: &Range<u64>) -> Result<(), String> {
        let len = units.end - units.start;
        if p.hits.len() as u64 > len {
            return Err(format!("it records {} samples done of {len}", p.hits.len()));
        }
        let (k, trials) = (
            self.sampler.n_questions(),
            self.sampler.options().trials_per_sample,
        );
        for (j, h) in p.hits.iter().enumerate() {
            if h.len() != k || h.iter().any(|&c| c > trials) {
                return Err(format!(
                    "its sample {j} does not hold {k} counts of at most {trials} trials"
                ));
            }
        }
        Ok(())
    }

    fn advance(
        &self,
        units: &Range<u64>,
        p: &mut SampleHits,
        steps: &mut Steps<'_, SampleHits>,
    ) -> io::Result<Advanced> {
        let pool = crate::limits::thread_pool(self.sampler.options().threads)?;
        let len = units.end - units.start;
        while (p.hits.len() as u64) < len {
            if steps.cancelled() {
                return Ok(Advanced::Cancelled);
            }
            let start = units.start + p.hits.len() as u64;
            let end = (start + BATCH).min(units.end);
            let batch: Vec<Vec<u64>> = pool.install(|| {
                (start..end)
                    .into_par_iter()
                    .map(|j| self.sampler.hits(j))
                    .collect()
            });
            p.hits.extend(batch);
            steps.batch(p.hits.len() as u64, p)?;
        }
        Ok(Advanced::Finished)
    }

    fn append(&self, total: &mut SampleHits, next: SampleHits) {
        total.hits.extend(next.hits);
    }

    fn finish(
        &self,
        p: SampleHits,
        folder: ResultFolder,
        f: Finish<'_>,
    ) -> io::Result<(SuiteCalibration, PathBuf)> {
        let mut cal = self.calibration(&p);
        let suite = self.sampler.suite();
        let d = folder.path();
        let final_dir = folder.target().to_path_buf();
        let first = &suite.episodes[0].scenario;
        let trials =
            cal.fit.samples as u64 * cal.fit.trials_per_sample * suite.episodes.len() as u64;
        let mut manifest = Manifest::new("calibrate-suite", first, f.command, cal.seed, trials);
        manifest.scenarios = suite
            .episodes
            .iter()
            .map(|e| ManifestScenario::of(&e.scenario))
            .collect();
        let parent = suite.parent();
        if cal.fit.calibrated
            && let Some(parent) = &parent
        {
            let origin = FittedOrigin {
                suite: &suite.dir,
                episodes: suite
                    .episodes
                    .iter()
                    .map(|e| e.scenario.name.clone())
                    .collect(),
                seed: cal.seed,
                name: fitted_scenario::fitted_name(&suite.dir),
            };
            let bounds: Vec<(f64, f64)> = suite.shared.iter().map(|s| s.bounds).collect();
            let text = fitted_scenario::render(
                &cal.fit, &origin, parent, first, &bounds, self.point, &final_dir,
            );
            let path = d.join(fitted_scenario::FILE_NAME);
            write_atomic(&path, text.as_bytes())?;
            fitted_scenario::check_written(&path, parent, &final_dir)?;
            cal.fitted_file = Some(fitted_scenario::FILE_NAME.into());
        } else if cal.fit.calibrated {
            cal.fit.status = "calibrated, but the episodes extend no common parent: \
                 no fitted file written (name the shared parent with --shared)"
                .into();
        }
        folder.json("suite-fit.json", &cal)?;
        write_tables(d, &cal, f.format)?;
        if f.plots {
            let so_far = Manifest {
                files: hash_files(d)?,
                ..manifest.clone()
            };
            let html = crate::report::suite::render(&cal, &so_far);
            write_atomic(&d.join("report.html"), html.as_bytes())?;
        }
        let dir = folder.commit(manifest)?;
        Ok((cal, dir))
    }
}

/// One row per sample: its parameter values, log-likelihood and weight.
pub fn samples_table(c: &SuiteCalibration) -> Table {
    let mut columns = vec![Column::int("sample")];
    columns.extend(
        c.fit
            .parameters
            .iter()
            .map(|p| Column::float(p.parameter.clone())),
    );
    columns.extend([Column::float("log_likelihood"), Column::float("weight")]);
    let mut t = Table::new("samples", columns);
    let r = &c.fit.rows;
    for (j, values) in r.values.iter().enumerate() {
        let mut row = vec![Value::count(j)];
        row.extend(values.iter().map(|&v| Value::Float(v)));
        row.extend([Value::Float(r.log_likelihood[j]), Value::Float(r.weight[j])]);
        t.push(row);
    }
    t
}

/// One row per resolved question: its resolution and its prior and
/// posterior predictive probability.
pub fn questions_table(c: &SuiteCalibration) -> Table {
    let mut t = Table::new(
        "questions",
        vec![
            Column::text("episode"),
            Column::text("id"),
            Column::text("event"),
            Column::int("resolved"),
            Column::float("prior_predictive"),
            Column::float("posterior_predictive"),
        ],
    );
    for q in &c.fit.questions {
        t.push(vec![
            Value::Text(q.episode.clone()),
            Value::Text(q.id.clone()),
            Value::Text(q.event.clone()),
            Value::flag(q.resolved),
            Value::Float(q.prior_predictive),
            Value::Float(q.posterior_predictive),
        ]);
    }
    t
}

/// Writes `samples` and `questions` into `dir` in `format`.
pub fn write_tables(dir: &Path, c: &SuiteCalibration, format: Format) -> io::Result<()> {
    export::write(dir, &samples_table(c), format)?;
    export::write(dir, &questions_table(c), format)?;
    Ok(())
}
