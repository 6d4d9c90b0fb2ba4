//! Uncertain parameters drawn once per trial. Each parameter reads its own
//! sub-stream (`param:<path>`) of the trial's stream, so adding or removing
//! one uncertain parameter leaves the others' draws unchanged. The columns
//! of one sample table (`dist = "samples"`) share the sub-stream
//! `param:samples:<sha256>`: its first uniform picks the row, the same for
//! every column, so a trial draws whole rows.

use rand_chacha::ChaCha8Rng;

use crate::model::{Coefficients, Model, Slot};

use crate::rng::{Streams, purpose_id};

/// Parameter values a run starts from and the slots it draws per trial.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamSpace {
    /// Value of every slot (nominal values for uncertain ones).
    pub base: Vec<f64>,
    /// Slots drawn per trial from their distributions.
    pub uncertain: Vec<Slot>,
}

impl ParamSpace {
    /// The scenario's values, drawing every uncertain parameter.
    pub fn of(model: &Model) -> Self {
        Self {
            base: model.params.values.clone(),
            uncertain: model.params.uncertain(),
        }
    }

    /// Fixes a slot to a value: it is no longer drawn.
    pub fn fix(&mut self, slot: Slot, value: f64) {
        self.base[slot as usize] = value;
        self.uncertain.retain(|&s| s != slot);
    }

    /// Paths of the drawn slots (column names of `trials.csv`).
    pub fn uncertain_paths(&self, model: &Model) -> Vec<String> {
        self.uncertain
            .iter()
            .map(|&s| model.params.paths[s as usize].clone())
            .collect()
    }
}

/// Draws a trial's uncertain parameters and keeps the coefficients they give.
#[derive(Debug)]
pub struct ParameterDraws<'m> {
    model: &'m Model,
    space: ParamSpace,
    streams: Streams,
    purposes: Vec<u64>,
    rng: ChaCha8Rng,
    values: Vec<f64>,
    drawn: Vec<f64>,
    coef: Coefficients,
}

impl<'m> ParameterDraws<'m> {
    /// Draws for `space` of `model` under master seed `seed`.
    pub fn new(model: &'m Model, space: &ParamSpace, seed: u64) -> Self {
        let streams = Streams::new(seed);
        let purposes: Vec<u64> = space
            .uncertain
            .iter()
            .map(|&s| {
                let path = &model.params.paths[s as usize];
                let name = match &model.params.dists[s as usize] {
                    Some(d) => d.stream_name("param", path),
                    None => format!("param:{path}"),
                };
                purpose_id(&name)
            })
            .collect();
        Self {
            rng: streams.generator(0, 0),
            coef: Coefficients::build(model, &space.base),
            values: space.base.clone(),
            drawn: vec![0.0; space.uncertain.len()],
            model,
            space: space.clone(),
            streams,
            purposes,
        }
    }

    /// The coefficients of trial `trial` (the same every trial when nothing is uncertain).
    pub fn coefficients(&mut self, trial: u64) -> &Coefficients {
        if self.space.uncertain.is_empty() {
            return &self.coef;
        }
        for (k, (&slot, &purpose)) in self.space.uncertain.iter().zip(&self.purposes).enumerate() {
            self.streams.reset(&mut self.rng, trial, purpose);
            let dist = self.model.params.dists[slot as usize]
                .as_ref()
                .expect("uncertain slots have distributions");
            let (lo, hi) = self.model.params.bounds[slot as usize];
            let x = dist.sample(&mut self.rng, lo, hi);
            self.values[slot as usize] = x;
            self.drawn[k] = x;
        }
        self.coef.fill(self.model, &self.values);
        &self.coef
    }

    /// The coefficients of assumption draw `draw` of a nested design: the
    /// values trial `draw` of the main run drew (same seed, same
    /// `param:<path>` streams), so draw `k` of `--assumption-draws` and
    /// row `k` of `trials.csv` show the same `p_<path>` values.
    pub fn assumption_draw(&mut self, draw: u64) -> &Coefficients {
        self.coefficients(draw)
    }

    /// The values drawn for the last trial, in the order of `ParamSpace::uncertain`.
    pub fn drawn(&self) -> &[f64] {
        &self.drawn
    }
}
