//! `brink calibrate` as a job: the units are the samples drawn from the
//! prior; the partial holds, per sample done, how many of its trials each
//! target statistic counted. Everything else of a sample (its parameter
//! values, statistics, distance) is recomputed from its index, so the
//! partial is small and exact.

use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::analysis::calibrate::{CalibrateOptions, Calibration, Sampler};
use crate::analysis::targets::Target;
use crate::export::analysis;
use crate::input::read_limited;
use crate::model::Model;
use crate::output::manifest::{Manifest, file_name};
use crate::output::{ResultFolder, calibrated_scenario, write_atomic};
use crate::report::analysis_files;
use crate::report::calibration::CalibrationFiles;
use crate::scenario::Scenario;
use crate::scenario::load::{MAX_FILE_BYTES, hex_sha256};
use crate::shard::{Work, WorkId};
use crate::stats::summary::ScenarioInfo;

use super::job::{Advanced, Finish, Job};
use super::steps::Steps;

/// Samples run per batch (progress, checkpoint and cancellation granularity).
const BATCH: u64 = 64;

/// The samples of a range done so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SampleHits {
    /// Per sample done from the start of the range, in order: per target,
    /// the trials whose statistic counted.
    pub hits: Vec<Vec<u64>>,
}

/// A calibration, as a job.
#[derive(Debug)]
pub struct CalibrateJob<'a> {
    scenario: &'a Scenario,
    sampler: Sampler<'a>,
    targets_path: PathBuf,
    id: WorkId,
    threads: usize,
}

impl<'a> CalibrateJob<'a> {
    /// A calibration of `model` (compiled from `scenario`) against
    /// `targets`, read from `targets_path`. Bad input when the model has no
    /// uncertain parameter, the samples would not fit in memory, or the
    /// targets file cannot be read again.
    pub fn new(
        scenario: &'a Scenario,
        model: &'a Model,
        targets: &'a [Target],
        targets_path: &Path,
        opts: CalibrateOptions,
    ) -> io::Result<CalibrateJob<'a>> {
        let sampler = Sampler::new(model, targets, opts)?;
        let targets_sha256 = hex_sha256(&read_limited(targets_path, MAX_FILE_BYTES as u64)?);
        let work = Work::Calibrate {
            samples: opts.samples as u64,
            trials_per_sample: opts.trials_per_sample,
            targets_file: file_name(targets_path),
            targets_sha256,
            min_accepted: opts.min_accepted as u64,
        };
        Ok(CalibrateJob {
            scenario,
            sampler,
            targets_path: targets_path.to_path_buf(),
            id: WorkId::new(scenario, opts.seed, work),
            threads: opts.threads,
        })
    }

    fn targets_sha256(&self) -> &str {
        match &self.id.work {
            Work::Calibrate { targets_sha256, .. } => targets_sha256,
            _ => "",
        }
    }

    /// The calibration from the hits of `p` (every sample).
    pub fn calibration(&self, p: &SampleHits) -> Calibration {
        self.sampler
            .assemble(ScenarioInfo::of(self.scenario), &p.hits)
    }
}

impl Job for CalibrateJob<'_> {
    type Partial = SampleHits;
    type Output = Calibration;

    fn work(&self) -> &WorkId {
        &self.id
    }

    fn scenario(&self) -> &Scenario {
        self.scenario
    }

    fn inputs(&self) -> Vec<PathBuf> {
        vec![std::path::absolute(&self.targets_path).unwrap_or_else(|_| self.targets_path.clone())]
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
        let per_sample = 21 * self.sampler.targets().len() as u64 + 3;
        units.saturating_mul(per_sample).saturating_add(1024)
    }

    fn check(&self, p: &SampleHits, units: &Range<u64>) -> Result<(), String> {
        let len = units.end - units.start;
        if p.hits.len() as u64 > len {
            return Err(format!("it records {} samples done of {len}", p.hits.len()));
        }
        let (k, trials) = (
            self.sampler.targets().len(),
            self.sampler.trials_per_sample(),
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
        let pool = crate::limits::thread_pool(self.threads)?;
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
    ) -> io::Result<(Calibration, PathBuf)> {
        let cal = self.calibration(&p);
        let files = CalibrationInputs {
            scenario: self.scenario,
            targets_file: file_name(&self.targets_path),
            targets_sha256: self.targets_sha256().into(),
        };
        let dir = write_calibration(folder, &files, &cal, f)?;
        Ok((cal, dir))
    }
}

/// What a calibration's result folder names besides the calibration.
#[derive(Debug, Clone)]
pub struct CalibrationInputs<'a> {
    /// The scenario calibrated.
    pub scenario: &'a Scenario,
    /// File name of the targets.
    pub targets_file: String,
    /// sha256 of the targets file.
    pub targets_sha256: String,
}

/// Writes the result folder of a calibration: `calibration.json`,
/// `samples.csv`, `accepted.csv`; when calibrated (at least `min_accepted`
/// samples accepted) the calibrated scenario, `posterior.csv` and the copy
/// of the original in `parent/` (read back to check it loads and is what
/// was meant); with `f.plots` the plots and `report.html`; and last
/// `manifest.json`; then commits it. Not calibrated, no scenario is
/// written: the closest fit is no posterior to run.
pub fn write_calibration(
    folder: ResultFolder,
    inputs: &CalibrationInputs<'_>,
    cal: &Calibration,
    f: Finish<'_>,
) -> io::Result<PathBuf> {
    let s = inputs.scenario;
    let d = folder.path();
    let trials = cal.samples as u64 * cal.trials_per_sample;
    let manifest = Manifest::new("calibrate", s, f.command, cal.seed, trials);
    folder.json("calibration.json", cal)?;
    analysis::write_calibration_samples(d, cal, false, f.format)?;
    analysis::write_calibration_samples(d, cal, true, f.format)?;
    let calibrated = cal.calibrated.then(|| calibrated_scenario::file_name(s));
    let mut original = String::new();
    if let Some(name) = &calibrated {
        let posterior = calibrated_scenario::posterior_csv(cal);
        write_atomic(
            &d.join(calibrated_scenario::POSTERIOR_FILE),
            posterior.as_bytes(),
        )?;
        original = calibrated_scenario::copy_parent(s, d)?;
        let text = calibrated_scenario::render(s, cal, &original);
        let path = d.join(name);
        write_atomic(&path, text.as_bytes())?;
        // Read back as any scenario is: it must load, and be what was meant.
        calibrated_scenario::check_written(&path, s)?;
    }
    if f.plots {
        let files = CalibrationFiles {
            targets: inputs.targets_file.clone(),
            targets_sha256: inputs.targets_sha256.clone(),
            calibrated,
            original,
            samples: f.format.file_name("samples"),
            accepted: f.format.file_name("accepted"),
        };
        analysis_files::write_calibration(d, cal, &files, &manifest)?;
    }
    folder.commit(manifest)
}
