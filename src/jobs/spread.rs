//! The spread over assumptions of a run's key figures: the nested design
//! (`engine::nested`) over [`KeyFigures`], summarised for `summary.json`.
//! `brink run` calls it after its trials, `brink merge` after merging a
//! run's shards (shards never run it, so the merged result is the
//! unsharded one).

use std::io;
use std::sync::atomic::AtomicBool;

use crate::engine::nested::{
    DEFAULT_DRAWS, DEFAULT_TRIALS_PER_DRAW, NestedPlan, assumption_spreads, nested_seed,
};
use crate::engine::{KeyFigures, ParamSpace};
use crate::model::Model;
use crate::stats::spread::{FigureSpread, METHOD, SpreadSummary};

/// The size of the nested design (`--assumption-draws`, `--trials-per-draw`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpreadOptions {
    /// Assumption draws `K` (0: no spread).
    pub draws: u64,
    /// Trials per draw `M`.
    pub trials_per_draw: u64,
}

impl Default for SpreadOptions {
    fn default() -> Self {
        Self {
            draws: DEFAULT_DRAWS,
            trials_per_draw: DEFAULT_TRIALS_PER_DRAW,
        }
    }
}

/// The key figures' spread over the assumptions of `model` run with master
/// seed `seed`; `None` when nothing is uncertain, when `opts` turns it off,
/// or when `cancel` stopped it.
pub fn key_figure_spread(
    model: &Model,
    seed: u64,
    opts: SpreadOptions,
    threads: usize,
    cancel: Option<&AtomicBool>,
) -> io::Result<Option<SpreadSummary>> {
    let space = ParamSpace::of(model);
    let figures = KeyFigures::of(model);
    let plan = NestedPlan {
        seed,
        draws: opts.draws,
        trials_per_draw: opts.trials_per_draw,
        threads,
    };
    let Some(spreads) = assumption_spreads(model, &space, plan, &figures, cancel)? else {
        return Ok(None);
    };
    Ok(Some(SpreadSummary {
        draws: opts.draws,
        trials_per_draw: opts.trials_per_draw,
        trials_seed: nested_seed(seed),
        method: METHOD.into(),
        parameters: space.uncertain_paths(model),
        figures: figures
            .figures
            .iter()
            .zip(spreads)
            .map(|(f, s)| FigureSpread::new(&f.name, f.kind.group(), &f.label, s))
            .collect(),
    }))
}
