//! `brink score` writes its folder: `OUT/score/` with `score.json`
//! (schema `brink.score/1`), `score.csv`, `plots/reliability.png|.svg`,
//! `report.html` and `manifest.json`, through the result lock and the
//! staged folder of every command (committed atomically, replacing an
//! earlier result only once whole). The scores themselves are
//! [`crate::stats::score_result`]; [`score`] takes forecasts already read,
//! so a caller can score forecasts it has just made.
//!
//! Scoring runs no trials: it has no units to shard or resume, so it takes
//! the lock and writes its folder directly rather than through
//! [`super::drive`].

use std::io;
use std::path::{Path, PathBuf};

use crate::export::{self, Format};
use crate::output::manifest::{ChainEntry, Manifest, ManifestScenario};
use crate::output::{ResultFolder, ResultLock};
use crate::plot::score_plots::render_score_plots;
use crate::report::score::{ScoreReportInput, render as render_report};
use crate::stats::forecast_file::Forecast;
use crate::stats::score_result::{ScoreOptions, Scoring, assemble};

/// The folder name of a score under the output folder.
pub const SCORE_DIR: &str = "score";

/// Where and how the result is written.
#[derive(Debug, Clone, Copy)]
pub struct ScoreOutput<'a> {
    /// Folder that receives `score/`.
    pub out_root: &'a Path,
    /// The command line, for the manifest.
    pub command: &'a [String],
    /// Draw the reliability diagram and write the report.
    pub plots: bool,
}

/// The manifest of a score: kind `score`, every scenario scored (its
/// file's hash as its one chain entry), the bootstrap's seed, and the
/// trials behind the forecasts.
pub fn manifest(s: &Scoring, command: &[String]) -> Manifest {
    let mut scenarios: Vec<ManifestScenario> = Vec::new();
    for f in &s.forecasts {
        if scenarios.iter().any(|m| m.name == f.scenario.id) {
            continue;
        }
        scenarios.push(ManifestScenario {
            name: f.scenario.id.clone(),
            file: f.scenario.file.clone(),
            sha256: f.scenario.sha256.clone(),
            chain: vec![ChainEntry {
                file: f.scenario.file.clone(),
                sha256: f.scenario.sha256.clone(),
            }],
            overrides: Vec::new(),
        });
    }
    let first = scenarios.first().cloned();
    Manifest {
        program: "brink".into(),
        kind: "score".into(),
        brink_version: env!("CARGO_PKG_VERSION").into(),
        command: command.to_vec(),
        scenario: first.as_ref().map_or_else(String::new, |m| m.name.clone()),
        scenario_file: first.as_ref().map_or_else(String::new, |m| m.file.clone()),
        scenario_sha256: first.map_or_else(String::new, |m| m.sha256),
        scenario_overrides: Vec::new(),
        scenarios,
        seed: s.seed,
        trials: s.forecasts.iter().map(|f| f.kept).sum(),
        files: Vec::new(),
    }
}

/// Writes the files of `s` into `folder` and commits it.
pub fn write_score(
    folder: ResultFolder,
    s: &Scoring,
    out: &ScoreOutput<'_>,
) -> io::Result<PathBuf> {
    let m = manifest(s, out.command);
    folder.json("score.json", s)?;
    export::write(folder.path(), &export::score::score_table(s), Format::Csv)?;
    if out.plots {
        let drawn = render_score_plots(s)?;
        folder.plots_and_report(&drawn, &m, |so_far| {
            render_report(&ScoreReportInput {
                scoring: s,
                plots: &drawn,
                manifest: so_far,
            })
        })?;
    }
    folder.commit(m)
}

/// Scores `forecasts` and writes `out.out_root/score/`; returns the
/// scores and the folder.
pub fn score(
    forecasts: &[Forecast],
    opts: ScoreOptions,
    out: &ScoreOutput<'_>,
) -> io::Result<(Scoring, PathBuf)> {
    let s = assemble(forecasts, opts)?;
    let lock = ResultLock::acquire(&out.out_root.join(SCORE_DIR))?;
    let folder = ResultFolder::stage(&lock)?;
    let dir = write_score(folder, &s, out)?;
    Ok((s, dir))
}
