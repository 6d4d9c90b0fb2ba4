//! A suite of past episodes for calibration on history: the episodes found
//! in a folder, their resolved questions, the parameters they share, and
//! the samples of a fit ([`SuiteSampler`]).
//!
//! An episode is a scenario `DIR/<stem>.toml` beside a question file
//! `DIR/<stem>.questions.toml`; other `.toml` files of the folder (the
//! shared parent) are not episodes. The shared parameters are, with a
//! shared file (`--shared FILE`), the numbers that file writes as
//! distributions, each of which every episode must inherit unchanged (the
//! file must be in every episode's `extends` chain); without one, every
//! uncertain parameter that all episodes have with the same distribution
//! and range.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::distribution::Distribution;
use crate::engine::{ParamSpace, ParameterDraws, TrialRunner};
use crate::input::read_limited;
use crate::model::{Model, Slot};
use crate::rng::{Streams, purpose_id};
use crate::scenario::Scenario;
use crate::scenario::diagnostic::suggestion_hint;
use crate::scenario::load::{LoadOptions, MAX_FILE_BYTES, hex_sha256, load_with};

use super::suite_fit::{self, FitResult, QuestionInfo};
use super::suite_questions::EpisodeQuestions;

/// The suffix of an episode's question file.
pub const QUESTIONS_SUFFIX: &str = ".questions.toml";

/// One episode: its scenario, model and resolved questions.
#[derive(Debug)]
pub struct Episode {
    /// The scenario.
    pub scenario: Scenario,
    /// Its model.
    pub model: Model,
    /// Its question file.
    pub questions_path: PathBuf,
    /// sha256 of the question file.
    pub questions_sha256: String,
    /// Its resolved questions.
    pub questions: EpisodeQuestions,
    /// The slot of each shared parameter in `model`.
    slots: Vec<Slot>,
}

/// A parameter shared by every episode.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedParam {
    /// Parameter path.
    pub path: String,
    /// Its prior.
    pub dist: Distribution,
    /// Its valid range.
    pub bounds: (f64, f64),
}

/// The prior `d` in words: `uniform(0, 1)`, `triangular(0, 0.2, 1)`.
pub fn describe(d: &Distribution) -> String {
    let list = |v: &[f64]| {
        v.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match d {
        Distribution::Uniform { low, high } => format!("uniform({low}, {high})"),
        Distribution::Normal { mean, sd } => format!("normal(mean {mean}, sd {sd})"),
        Distribution::Triangular { low, mode, high } => {
            format!("triangular({low}, {mode}, {high})")
        }
        Distribution::Beta {
            alpha,
            beta,
            low,
            high,
        } => format!("beta({alpha}, {beta}) on [{low}, {high}]"),
        Distribution::LogNormal { median, sigma } => {
            format!("lognormal(median {median}, sigma {sigma})")
        }
        Distribution::Choice { values, weights } => {
            format!("choice([{}], weights [{}])", list(values), list(weights))
        }
        Distribution::Samples { file, column, .. } => format!("samples({file}, {column})"),
    }
}

/// A suite: the episodes of a folder and the parameters they share.
#[derive(Debug)]
pub struct Suite {
    /// The folder.
    pub dir: PathBuf,
    /// The shared file named, if any.
    pub shared_file: Option<PathBuf>,
    /// The episodes, by file name.
    pub episodes: Vec<Episode>,
    /// The shared parameters, in the first episode's slot order.
    pub shared: Vec<SharedParam>,
}

/// Everything wrong with a suite, one message each (with its hint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteError(pub Vec<String>);

impl std::fmt::Display for SuiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for m in &self.0 {
            writeln!(f, "error: {m}")?;
        }
        Ok(())
    }
}

/// The stems of the episodes of `dir` (sorted), or what is wrong.
fn episode_stems(dir: &Path) -> Result<Vec<String>, Vec<String>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        vec![format!(
            "cannot read the suite folder {}: {e}\n  = hint: give the folder that holds the episodes, e.g. scenarios/history/",
            dir.display()
        )]
    })?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    let mut stems = Vec::new();
    let mut errors = Vec::new();
    for n in &names {
        if let Some(stem) = n.strip_suffix(QUESTIONS_SUFFIX) {
            if names.iter().any(|m| *m == format!("{stem}.toml")) {
                stems.push(stem.to_string());
            } else {
                errors.push(format!(
                    "{} has no scenario: {stem}.toml is missing\n  = hint: each `<episode>.questions.toml` needs the episode's scenario `<episode>.toml` beside it",
                    dir.join(n).display()
                ));
            }
        }
    }
    if stems.is_empty() && errors.is_empty() {
        errors.push(format!(
            "{} holds no episode\n  = hint: an episode is a scenario `<name>.toml` beside its resolved questions `<name>{QUESTIONS_SUFFIX}`",
            dir.display()
        ));
    }
    if errors.is_empty() {
        Ok(stems)
    } else {
        Err(errors)
    }
}

/// The paths of the numbers a TOML tree writes as distributions, named as
/// parameter paths: tables by key, entries of arrays of tables by `id`
/// (else by 1-based place), bargaining positions by issue and party.
fn distribution_paths(prefix: &str, v: &toml::Value, out: &mut Vec<String>) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        toml::Value::Table(t) if t.contains_key("dist") => out.push(prefix.to_string()),
        toml::Value::Table(t) => {
            for (k, x) in t {
                // `[[bargaining.issues]] positions = { party = ... }`: the
                // path skips `positions`.
                let next = if k == "positions" && prefix.starts_with("bargaining.issues.") {
                    prefix.to_string()
                } else {
                    join(k)
                };
                distribution_paths(&next, x, out);
            }
        }
        toml::Value::Array(a) => {
            for (n, x) in a.iter().enumerate() {
                if let toml::Value::Table(t) = x {
                    let key = t
                        .get("id")
                        .and_then(|i| i.as_str())
                        .map_or_else(|| (n + 1).to_string(), str::to_string);
                    let mut rest = t.clone();
                    rest.remove("id");
                    distribution_paths(&join(&key), &toml::Value::Table(rest), out);
                }
            }
        }
        _ => {}
    }
}

/// The uncertain parameters the shared file at `path` writes.
fn shared_file_paths(path: &Path) -> Result<Vec<String>, String> {
    let bytes = read_limited(path, MAX_FILE_BYTES as u64).map_err(|e| {
        format!(
            "cannot read the shared file {}: {e}\n  = hint: {}",
            path.display(),
            e.hint()
        )
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("the shared file {} is not UTF-8 text", path.display()))?;
    let tree: toml::Value = toml::from_str(&text).map_err(|e| {
        format!(
            "the shared file {} is not TOML: {e}\n  = hint: `brink validate` on an episode shows where",
            path.display()
        )
    })?;
    let mut out = Vec::new();
    distribution_paths("", &tree, &mut out);
    Ok(out)
}

impl Suite {
    /// Loads the suite in `dir`: every episode and its questions, and the
    /// shared parameters (from `shared`, or the rule of the module). Every
    /// problem is reported at once.
    pub fn load(
        dir: &Path,
        shared: Option<&Path>,
        options: &LoadOptions,
    ) -> Result<Suite, SuiteError> {
        let stems = episode_stems(dir).map_err(SuiteError)?;
        let mut errors = Vec::new();
        let mut episodes = Vec::new();
        for stem in &stems {
            let path = dir.join(format!("{stem}.toml"));
            let scenario = match load_with(&path, options) {
                Ok((s, _warnings)) => s,
                Err(d) => {
                    errors.push(format!("{} does not load:\n{d}", path.display()));
                    continue;
                }
            };
            let model = Model::compile(&scenario);
            let qpath = dir.join(format!("{stem}{QUESTIONS_SUFFIX}"));
            let sha = read_limited(&qpath, MAX_FILE_BYTES as u64)
                .map(|b| hex_sha256(&b))
                .unwrap_or_default();
            match EpisodeQuestions::read(&qpath, &scenario, &model) {
                Ok(q) if q.questions.is_empty() => errors.push(format!(
                    "{} has no resolved question\n  = hint: give each question `resolved = true` or `false`",
                    qpath.display()
                )),
                Ok(questions) => episodes.push(Episode {
                    scenario,
                    model,
                    questions_path: qpath,
                    questions_sha256: sha,
                    questions,
                    slots: Vec::new(),
                }),
                Err(e) => errors.extend(e),
            }
        }
        if !errors.is_empty() {
            return Err(SuiteError(errors));
        }
        let shared_params = match shared {
            Some(file) => shared_from_file(file, &mut episodes),
            None => shared_by_all(&mut episodes),
        }
        .map_err(SuiteError)?;
        Ok(Suite {
            dir: dir.to_path_buf(),
            shared_file: shared.map(Path::to_path_buf),
            episodes,
            shared: shared_params,
        })
    }

    /// Every resolved question, episode by episode.
    pub fn questions(&self) -> Vec<QuestionInfo> {
        self.episodes
            .iter()
            .flat_map(|e| e.questions.questions.iter().cloned())
            .collect()
    }

    /// The shared parameters' paths.
    pub fn paths(&self) -> Vec<String> {
        self.shared.iter().map(|p| p.path.clone()).collect()
    }
}

/// The shared parameter at `slot` of `model`, if uncertain.
fn param_at(model: &Model, slot: Slot) -> Option<SharedParam> {
    let k = slot as usize;
    Some(SharedParam {
        path: model.params.paths[k].clone(),
        dist: model.params.dists[k].clone()?,
        bounds: model.params.bounds[k],
    })
}

/// Without a shared file: the uncertain parameters of the first episode
/// that every other has with the same distribution and range.
fn shared_by_all(episodes: &mut [Episode]) -> Result<Vec<SharedParam>, Vec<String>> {
    let first = &episodes[0].model;
    let shared: Vec<SharedParam> = first
        .params
        .uncertain()
        .into_iter()
        .filter_map(|s| param_at(first, s))
        .filter(|p| {
            episodes[1..].iter().all(|e| {
                e.model
                    .params
                    .find(&p.path)
                    .and_then(|s| param_at(&e.model, s))
                    .is_some_and(|q| q == *p)
            })
        })
        .collect();
    if shared.is_empty() {
        return Err(vec![
            "no shared parameter: no uncertain parameter has the same distribution in every episode\n  = hint: \
             write the assumptions the episodes share as distributions in a parent they all `extends`, \
             and name it with --shared"
                .into(),
        ]);
    }
    assign_slots(episodes, &shared);
    Ok(shared)
}

/// With a shared file: its uncertain numbers, each inherited unchanged by
/// every episode, whose chain must hold the file.
fn shared_from_file(
    file: &Path,
    episodes: &mut [Episode],
) -> Result<Vec<SharedParam>, Vec<String>> {
    let paths = shared_file_paths(file).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    let canonical = file.canonicalize().ok();
    for e in episodes.iter() {
        let inherits = e
            .scenario
            .origin
            .chain
            .iter()
            .skip(1)
            .any(|c| c.path.canonicalize().ok() == canonical && canonical.is_some());
        if !inherits {
            errors.push(format!(
                "episode {} does not extend the shared file {}\n  = hint: add `extends = \"...\"` naming it (directly or through a parent)",
                e.scenario.origin.path.display(),
                file.display()
            ));
        }
    }
    if paths.is_empty() {
        errors.push(format!(
            "no shared parameter: the shared file {} writes no number as a distribution\n  = hint: write the assumptions to fit as distributions, e.g. `bias = {{ strike = {{ dist = \"uniform\", low = 0, high = 2 }} }}`",
            file.display()
        ));
    }
    let first = &episodes[0];
    let mut shared = Vec::new();
    for path in &paths {
        let Some(slot) = first.model.params.find(path) else {
            let names: Vec<&str> = first
                .model
                .params
                .paths
                .iter()
                .map(String::as_str)
                .collect();
            errors.push(format!(
                "the shared file {} writes `{path}`, which is no parameter of the episodes\n  = hint: {}",
                file.display(),
                suggestion_hint(path, &names, "parameters")
            ));
            continue;
        };
        let Some(p) = param_at(&first.model, slot) else {
            errors.push(not_shared(path, first, "fixes it"));
            continue;
        };
        for e in &episodes[1..] {
            match e.model.params.find(path).map(|s| param_at(&e.model, s)) {
                Some(Some(q)) if q == p => {}
                Some(Some(q)) => errors.push(not_shared(
                    path,
                    e,
                    &format!(
                        "gives it {} instead of {}",
                        describe(&q.dist),
                        describe(&p.dist)
                    ),
                )),
                Some(None) => errors.push(not_shared(path, e, "fixes it")),
                None => errors.push(not_shared(path, e, "does not have it")),
            }
        }
        if first.model.params.find(path).is_some() {
            shared.push(p);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    assign_slots(episodes, &shared);
    Ok(shared)
}

fn not_shared(path: &str, e: &Episode, what: &str) -> String {
    format!(
        "parameter `{path}` is not shared: episode {} {what}\n  = hint: a fitted assumption must be inherited unchanged from the shared file; remove the episode's own value",
        e.scenario.origin.path.display()
    )
}

fn assign_slots(episodes: &mut [Episode], shared: &[SharedParam]) {
    for e in episodes {
        e.slots = shared
            .iter()
            .map(|p| e.model.params.find(&p.path).expect("checked shared"))
            .collect();
    }
}

/// How to size a suite calibration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SuiteOptions {
    /// Parameter vectors drawn from the prior.
    pub samples: usize,
    /// Trials per episode and sample.
    pub trials_per_sample: u64,
    /// Master seed.
    pub seed: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// The smallest effective sample size for which the fit counts as
    /// calibrated.
    pub min_ess: f64,
}

/// The samples of a suite calibration. Sample `j` depends only on `j`, the
/// seed and the suite, so samples may run in any order, split and resumed.
#[derive(Debug)]
pub struct SuiteSampler<'a> {
    suite: &'a Suite,
    streams: Streams,
    purposes: Vec<u64>,
    seeds: Vec<u64>,
    opts: SuiteOptions,
}

impl<'a> SuiteSampler<'a> {
    /// The samples of a fit of `suite`.
    pub fn new(suite: &'a Suite, opts: SuiteOptions) -> std::io::Result<SuiteSampler<'a>> {
        let per_sample = 2 * (96 + 8 * (suite.shared.len() + suite.questions().len()) as u64);
        crate::limits::check_units(
            "a suite calibration",
            opts.samples as u64,
            per_sample,
            "samples",
        )?;
        Ok(SuiteSampler {
            purposes: suite
                .shared
                .iter()
                .map(|p| purpose_id(&format!("suite:{}", p.path)))
                .collect(),
            seeds: suite
                .episodes
                .iter()
                .map(|e| episode_seed(opts.seed, &e.scenario.name))
                .collect(),
            streams: Streams::new(opts.seed),
            suite,
            opts,
        })
    }

    /// Samples drawn (at least one).
    pub fn samples(&self) -> u64 {
        self.opts.samples.max(1) as u64
    }

    /// The options.
    pub fn options(&self) -> &SuiteOptions {
        &self.opts
    }

    /// The suite.
    pub fn suite(&self) -> &Suite {
        self.suite
    }

    /// Resolved questions of the whole suite.
    pub fn n_questions(&self) -> usize {
        self.suite
            .episodes
            .iter()
            .map(|e| e.questions.questions.len())
            .sum()
    }

    /// The shared parameter values of sample `j`, drawn from the prior:
    /// parameter `p` from stream `j` of the seed, purpose `suite:<path>`.
    pub fn draw(&self, j: u64) -> Vec<f64> {
        self.suite
            .shared
            .iter()
            .zip(&self.purposes)
            .map(|(p, &purpose)| {
                let mut rng = self.streams.generator(j, purpose);
                p.dist.sample(&mut rng, p.bounds.0, p.bounds.1)
            })
            .collect()
    }

    /// Runs sample `j`: every episode for `trials_per_sample` trials with
    /// the shared parameters at the sample's values (the episode's other
    /// uncertain parameters drawn per trial as in a run); per resolved
    /// question of the suite, the trials in which its event held.
    pub fn hits(&self, j: u64) -> Vec<u64> {
        let theta = self.draw(j);
        let mut hits = Vec::with_capacity(self.n_questions());
        for (e, &seed) in self.suite.episodes.iter().zip(&self.seeds) {
            let mut space = ParamSpace::of(&e.model);
            for (&slot, &x) in e.slots.iter().zip(&theta) {
                space.fix(slot, x);
            }
            let mut draws = ParameterDraws::new(&e.model, &space, seed);
            let mut runner = TrialRunner::new(&e.model, seed);
            let mut counts = vec![0u32; e.model.n_moves()];
            let mut answers = e.questions.answers();
            let n = e.questions.questions.len();
            let mut h = vec![0u64; n];
            for trial in 0..self.opts.trials_per_sample {
                counts.fill(0);
                let coef = draws.coefficients(trial);
                runner.run(coef, trial, &mut counts, &mut answers);
                for (k, c) in h.iter_mut().enumerate() {
                    *c += u64::from(answers.holds(k));
                }
            }
            hits.extend(h);
        }
        hits
    }

    /// The fit from the hits of every sample, in sample order.
    pub fn fit(&self, hits: &[Vec<u64>]) -> FitResult {
        let values: Vec<Vec<f64>> = (0..hits.len() as u64).map(|j| self.draw(j)).collect();
        let priors: Vec<String> = self
            .suite
            .shared
            .iter()
            .map(|p| describe(&p.dist))
            .collect();
        suite_fit::fit(
            &self.suite.paths(),
            &priors,
            values,
            &self.suite.questions(),
            hits,
            self.opts.trials_per_sample,
            self.opts.min_ess,
        )
    }
}

/// The master seed of an episode's trials: derived from the suite's seed
/// and the episode's name, so that episodes do not share trial streams.
pub fn episode_seed(seed: u64, name: &str) -> u64 {
    purpose_id(&format!("suite-episode:{seed}:{name}"))
}

/// An episode, as a suite calibration's result names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EpisodeInfo {
    /// Scenario name.
    pub name: String,
    /// Scenario title.
    pub title: String,
    /// Scenario file.
    pub file: String,
    /// Scenario identity (sha256 of the file, or of its `extends` chain).
    pub sha256: String,
    /// Question file name.
    pub questions_file: String,
    /// sha256 of the question file.
    pub questions_sha256: String,
    /// Resolved questions fitted.
    pub questions: usize,
    /// Questions not yet resolved (not fitted).
    pub unresolved: usize,
    /// The episode's master seed.
    pub seed: u64,
}

/// The episodes of `suite` for a result run with `seed`.
pub fn episode_infos(suite: &Suite, seed: u64) -> Vec<EpisodeInfo> {
    suite
        .episodes
        .iter()
        .map(|e| EpisodeInfo {
            name: e.scenario.name.clone(),
            title: e.scenario.title.clone(),
            file: crate::stats::summary::ScenarioInfo::of(&e.scenario).file,
            sha256: e.scenario.origin.sha256.clone(),
            questions_file: e
                .questions_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            questions_sha256: e.questions_sha256.clone(),
            questions: e.questions.questions.len(),
            unresolved: e.questions.unresolved,
            seed: episode_seed(seed, &e.scenario.name),
        })
        .collect()
}

impl Suite {
    /// The file the fitted assumptions extend: the shared file, else the
    /// nearest parent in every episode's `extends` chain; `None` when the
    /// episodes have no parent in common.
    pub fn parent(&self) -> Option<PathBuf> {
        if let Some(f) = &self.shared_file {
            return Some(f.clone());
        }
        let chain = |e: &Episode| -> Vec<PathBuf> {
            e.scenario
                .origin
                .chain
                .iter()
                .skip(1)
                .filter_map(|c| c.path.canonicalize().ok())
                .collect()
        };
        let first = self.episodes.first()?;
        let others: Vec<Vec<PathBuf>> = self.episodes[1..].iter().map(chain).collect();
        first
            .scenario
            .origin
            .chain
            .iter()
            .skip(1)
            .find(|c| {
                c.path
                    .canonicalize()
                    .is_ok_and(|p| others.iter().all(|o| o.contains(&p)))
            })
            .map(|c| c.path.clone())
    }
}

/// A finished suite calibration (`suite-fit.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuiteCalibration {
    /// Layout of this file.
    pub schema: &'static str,
    /// Program version.
    pub brink_version: String,
    /// The suite folder, as given.
    pub suite: String,
    /// The shared file named with `--shared`, if any.
    pub shared_file: Option<String>,
    /// The file the fitted assumptions extend (absent: no common parent).
    pub parent: Option<String>,
    /// Master seed.
    pub seed: u64,
    /// The episodes.
    pub episodes: Vec<EpisodeInfo>,
    /// The fit.
    #[serde(flatten)]
    pub fit: FitResult,
    /// The fitted file written (absent when not calibrated or without a
    /// common parent).
    pub fitted_file: Option<String>,
    /// Whether the fitted file fixes each parameter at its posterior median
    /// (else: triangular over the 5th-95th percentiles).
    pub fitted_point: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_paths_are_parameter_paths() {
        let tree: toml::Value = toml::from_str(
            r#"
extends = "x.toml"
[incidents]
base = { dist = "uniform", low = 0, high = 1 }
max_rung = 4
[[actors]]
id = "us"
rationality = { dist = "uniform", low = 1, high = 2 }
bias = { strike = { dist = "normal", mean = 0, sd = 1 }, wait = 0.0 }
[[variables]]
id = "hormuz"
initial = { dist = "uniform", low = 0.5, high = 1 }
[[bargaining.issues]]
id = "enrichment"
positions = { us = { wants = "low", start = 0.0, reservation = { dist = "uniform", low = 0.2, high = 0.4 } } }
[[drifts]]
effects = { trust = { dist = "uniform", low = -0.1, high = 0 } }
"#,
        )
        .unwrap();
        let mut out = Vec::new();
        distribution_paths("", &tree, &mut out);
        out.sort();
        assert_eq!(
            out,
            [
                "actors.us.bias.strike",
                "actors.us.rationality",
                "bargaining.issues.enrichment.us.reservation",
                "drifts.1.effects.trust",
                "incidents.base",
                "variables.hormuz.initial",
            ]
        );
    }

    #[test]
    fn priors_read_as_words() {
        assert_eq!(
            describe(&Distribution::Uniform {
                low: 0.0,
                high: 1.0
            }),
            "uniform(0, 1)"
        );
        assert_eq!(
            describe(&Distribution::Triangular {
                low: 0.0,
                mode: 0.5,
                high: 2.0
            }),
            "triangular(0, 0.5, 2)"
        );
    }
}
