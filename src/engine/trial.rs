//! One trial: the world stepped from its initial state to an absorbing
//! outcome or the horizon. The order of a step is fixed (docs/model.md):
//!
//! 1. scripted `set` events, then forced actions are noted;
//! 2. every actor chooses at once from the state at the start of the step;
//! 3. the chosen actions' effects are summed and applied, then clamped;
//! 4. talks are suspended if any action suspends them, else resumed if any resumes;
//! 5. the rung moves: `max(rung + sum of changes, highest rung_at_least)`;
//! 6. an incident may happen; unless restraint holds it, it raises the rung
//!    by one up to the incident ceiling;
//! 7. after a quiet step (no hostile act, no rise) the rung may fall by one;
//! 8. outcomes are checked: a deal or regional war ends the trial.
//!
//! All scratch space is allocated when the runner is made; a trial allocates nothing.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::model::{Coefficients, DecisionRule, EventModel, Model, TalksEffect};
use crate::world::{Condition, N_VARS, Outcome, RUNG_STRIKES, RUNG_WAR, Subject, Var};

use super::exp::exp_nonpositive;
use crate::observe::{Choice, StepView, TrialObserver, TrialRecord};
use crate::rng::{Streams, purpose_id};

/// Runs trials of one model; owns the scratch space they reuse.
#[derive(Debug)]
pub struct TrialRunner<'m> {
    model: &'m Model,
    streams: Streams,
    actor_purposes: Vec<u64>,
    incident_purpose: u64,
    deescalation_purpose: u64,
    actor_rngs: Vec<ChaCha8Rng>,
    incident_rng: ChaCha8Rng,
    deescalation_rng: ChaCha8Rng,
    choices: Vec<Choice>,
    last: Vec<Option<u32>>,
    forced: Vec<Option<u32>>,
    open: Vec<bool>,
    utility: Vec<f64>,
    weight: Vec<f64>,
    /// Running totals of `weight` within each actor's moves.
    running: Vec<f64>,
    /// Catalogue action of each move, kept compact for the hot loop.
    move_action: Vec<u16>,
    /// Moves of each actor as a `start..end` pair.
    actor_moves: Vec<(usize, usize)>,
    /// What the step needs of each action, without names or vectors.
    cores: Vec<ActionCore>,
}

/// The parts of an action the step applies.
#[derive(Debug, Clone, Copy)]
struct ActionCore {
    escalation: i32,
    rung_change: i8,
    rung_at_least: u8,
    talks: TalksEffect,
    hostile: bool,
}

impl<'m> TrialRunner<'m> {
    /// A runner for `model` with master seed `seed`.
    pub fn new(model: &'m Model, seed: u64) -> Self {
        let streams = Streams::new(seed);
        let actor_purposes: Vec<u64> = model
            .actors
            .iter()
            .map(|a| purpose_id(&format!("actor:{}", a.id)))
            .collect();
        let n_actors = model.actors.len();
        let n_moves = model.moves.len();
        Self {
            actor_rngs: actor_purposes
                .iter()
                .map(|&p| streams.generator(0, p))
                .collect(),
            incident_rng: streams.generator(0, purpose_id("incidents")),
            deescalation_rng: streams.generator(0, purpose_id("deescalation")),
            incident_purpose: purpose_id("incidents"),
            deescalation_purpose: purpose_id("deescalation"),
            actor_purposes,
            streams,
            model,
            choices: vec![
                Choice {
                    mv: None,
                    probability: 1.0,
                    forced: false,
                };
                n_actors
            ],
            last: vec![None; n_actors],
            forced: vec![None; n_actors],
            open: vec![false; model.actions.len()],
            utility: vec![0.0; n_moves],
            weight: vec![0.0; n_moves],
            running: vec![0.0; n_moves],
            move_action: model.moves.iter().map(|mv| mv.action).collect(),
            actor_moves: model
                .actors
                .iter()
                .map(|a| (a.moves.start as usize, a.moves.end as usize))
                .collect(),
            cores: model
                .actions
                .iter()
                .map(|a| ActionCore {
                    escalation: a.escalation,
                    rung_change: a.rung_change,
                    rung_at_least: a.rung_at_least,
                    talks: a.talks,
                    hostile: a.hostile,
                })
                .collect(),
        }
    }

    /// The model this runner simulates.
    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// Runs trial `trial` with coefficients `coef`, adding one to `counts[move]`
    /// for every move taken, and reporting every step to `observer`.
    pub fn run<O: TrialObserver>(
        &mut self,
        coef: &Coefficients,
        trial: u64,
        counts: &mut [u32],
        observer: &mut O,
    ) -> TrialRecord {
        let m = self.model;
        for (rng, &p) in self.actor_rngs.iter_mut().zip(&self.actor_purposes) {
            self.streams.reset(rng, trial, p);
        }
        self.streams
            .reset(&mut self.incident_rng, trial, self.incident_purpose);
        self.streams
            .reset(&mut self.deescalation_rng, trial, self.deescalation_purpose);
        self.last.fill(None);

        let mut vars = coef.initial;
        let mut rung = m.initial_rung;
        let mut talks = m.initial_talks_active;
        let mut incident_last = false;
        let mut max_rung = rung;
        let mut first_strike = (rung >= RUNG_STRIKES).then_some(0);
        let mut breakout = (vars[Var::Stockpile.index()] >= coef.breakout_stockpile).then_some(0);
        let mut cumulative: i64 = 0;
        let mut incidents = 0u32;
        let mut ended: Option<(Outcome, u32)> = None;
        let mut event_cursor = 0usize;
        let mut steps = 0;

        observer.on_start(&StepView {
            step: 0,
            rung,
            rung_after_actions: rung,
            talks_active: talks,
            vars: &vars,
            escalation: 0,
            cumulative_escalation: 0,
            hazard: 0.0,
            incident: false,
            incident_held: false,
            deescalated: false,
            choices: &[],
        });

        for t in 1..=m.horizon {
            steps = t;
            // 1. Scripted events.
            self.forced.fill(None);
            while let Some(e) = m.events.get(event_cursor) {
                if e.step() != t {
                    break;
                }
                match *e {
                    EventModel::Set { var, .. } => {
                        vars[var.index()] =
                            coef.event_values[event_cursor].clamp(0.0, var.upper_bound());
                    }
                    EventModel::Force { actor, mv, .. } => self.forced[actor as usize] = Some(mv),
                }
                event_cursor += 1;
            }

            // 2. Simultaneous choices from the state at the start of the step.
            for (k, action) in m.actions.iter().enumerate() {
                self.open[k] = m.conditions
                    [action.requires.start as usize..action.requires.end as usize]
                    .iter()
                    .all(|c| holds(c, &vars, rung, talks, incident_last, t));
            }
            for i in 0..m.actors.len() {
                let u: f64 = self.actor_rngs[i].random();
                self.choices[i] = match self.forced[i] {
                    Some(mv) => Choice {
                        mv: Some(mv),
                        probability: 1.0,
                        forced: true,
                    },
                    None => self.choose(
                        coef,
                        i,
                        u,
                        StepState {
                            vars: &vars,
                            rung,
                            talks,
                            incident: incident_last,
                            step: t,
                        },
                    ),
                };
            }

            // 3-5. Apply the chosen actions.
            let mut delta = [0.0; N_VARS];
            let mut rung_sum = i32::from(rung);
            let mut rung_floor = 0i32;
            let mut suspend = false;
            let mut resume = false;
            let mut let_through = 1.0;
            let mut hostile = false;
            let mut escalation = 0i32;
            for (i, choice) in self.choices.iter().enumerate() {
                self.last[i] = choice.mv;
                let Some(mv) = choice.mv else { continue };
                counts[mv as usize] += 1;
                let a = self.move_action[mv as usize] as usize;
                let action = self.cores[a];
                for (d, e) in delta.iter_mut().zip(&coef.effects[a]) {
                    *d += e;
                }
                rung_sum += i32::from(action.rung_change);
                rung_floor = rung_floor.max(i32::from(action.rung_at_least));
                suspend |= action.talks == TalksEffect::Suspend;
                resume |= action.talks == TalksEffect::Resume;
                let_through *= coef.let_through[a];
                hostile |= action.hostile;
                escalation += action.escalation;
            }
            for (k, v) in vars.iter_mut().enumerate() {
                *v = (*v + delta[k]).clamp(0.0, Var::ALL[k].upper_bound());
            }
            if suspend {
                talks = false;
            } else if resume {
                talks = true;
            }
            let before = rung;
            rung = rung_sum.max(rung_floor).clamp(0, i32::from(RUNG_WAR)) as u8;
            let rung_after_actions = rung;

            // 6. Incidents.
            let mut hazard = coef.incident_base + coef.incident_per_rung * f64::from(rung);
            for (w, v) in coef.incident_weights.iter().zip(&vars) {
                hazard += w * v;
            }
            let hazard = hazard.clamp(0.0, coef.incident_max_hazard);
            let u_incident: f64 = self.incident_rng.random();
            let u_restraint: f64 = self.incident_rng.random();
            let incident = u_incident < hazard;
            let mut held = false;
            if incident {
                incidents += 1;
                let trust = &mut vars[Var::Trust.index()];
                *trust = (*trust - coef.incident_trust_loss).max(0.0);
                if rung < m.incident_max_rung {
                    held = u_restraint >= let_through;
                    if !held {
                        rung += 1;
                    }
                }
            }

            // 7. De-escalation after a quiet step.
            let u_down: f64 = self.deescalation_rng.random();
            let quiet = !hostile && rung <= before;
            let mut deescalated = false;
            if quiet && rung > 0 && rung < RUNG_WAR {
                let p =
                    coef.deescalation_base + coef.deescalation_per_trust * vars[Var::Trust.index()];
                if u_down < p {
                    rung -= 1;
                    deescalated = true;
                }
            }

            // 8. Bookkeeping and outcomes.
            cumulative += i64::from(escalation);
            max_rung = max_rung.max(rung);
            if rung >= RUNG_STRIKES && first_strike.is_none() {
                first_strike = Some(t);
            }
            if vars[Var::Stockpile.index()] >= coef.breakout_stockpile && breakout.is_none() {
                breakout = Some(t);
            }
            incident_last = incident;
            let deal = vars[Var::TalksProgress.index()] >= coef.deal_progress;
            if deal {
                // A deal returns the world to diplomacy.
                rung = 0;
            }
            observer.on_step(&StepView {
                step: t,
                rung,
                rung_after_actions,
                talks_active: talks,
                vars: &vars,
                escalation,
                cumulative_escalation: cumulative,
                hazard,
                incident,
                incident_held: held,
                deescalated,
                choices: &self.choices,
            });
            if deal {
                ended = Some((Outcome::Deal, t));
                break;
            }
            if rung == RUNG_WAR {
                ended = Some((Outcome::RegionalWar, t));
                break;
            }
        }

        let (outcome, outcome_step) = match (ended, first_strike, breakout) {
            (Some(e), _, _) => e,
            (None, Some(s), _) => (Outcome::LimitedStrikes, s),
            (None, None, Some(b)) => (Outcome::Breakout, b),
            (None, None, None) if !talks => (Outcome::Standoff, m.horizon),
            _ => (Outcome::TalksOngoing, m.horizon),
        };
        let record = TrialRecord {
            trial,
            outcome,
            outcome_step,
            max_rung,
            escalation_total: cumulative,
            first_strike_step: first_strike,
            breakout_step: breakout,
            incidents,
            steps,
            final_rung: rung,
            talks_active: talks,
            final_vars: vars,
        };
        observer.on_end(&record);
        record
    }

    /// One actor's choice given uniform draw `u`: the move drawn from the
    /// weights of [`TrialRunner::move_weights`]; a move whose action is
    /// closed (possible under a fixed rule) means doing nothing.
    #[inline]
    fn choose(&mut self, coef: &Coefficients, i: usize, u: f64, state: StepState<'_>) -> Choice {
        let Some(weights) = self.move_weights(coef, i, state) else {
            return Choice {
                mv: None,
                probability: 1.0,
                forced: false,
            };
        };
        let k = weights.draw(u);
        let probability = weights.probability(k);
        let mv = self.actor_moves[i].0 + k;
        Choice {
            mv: self.is_open(mv).then_some(mv as u32),
            probability,
            forced: false,
        }
    }

    /// Whether the action of move `mv` is open in the current step.
    #[inline]
    fn is_open(&self, mv: usize) -> bool {
        self.open[self.move_action[mv] as usize]
    }

    /// The weights of actor `i`'s moves under its decision rule, in `state`
    /// (with `self.open` and `self.last` set for it): the one place a rule
    /// becomes numbers, shared by the trial loop ([`TrialRunner::run`]) and
    /// [`TrialRunner::choice_probabilities`]. `None` when the actor has no
    /// move it could take (a logit actor with every action closed).
    #[inline]
    fn move_weights<'a>(
        &'a mut self,
        coef: &'a Coefficients,
        i: usize,
        state: StepState<'_>,
    ) -> Option<MoveWeights<'a>> {
        let (start, end) = self.actor_moves[i];
        match self.model.actors[i].rule {
            DecisionRule::Logit { .. } => {
                let total = self.logit_weights(coef, i, state)?;
                Some(MoveWeights {
                    weight: &self.weight[start..end],
                    running: &self.running[start..end],
                    total,
                })
            }
            // Stated probabilities, whatever the state; their running totals
            // end in infinity, so a draw always lands on a move.
            DecisionRule::Fixed { .. } => (end > start).then(|| MoveWeights {
                weight: &coef.probability[start..end],
                running: &coef.cumulative[start..end],
                total: 1.0,
            }),
        }
    }

    /// Fills `self.weight` for the moves of logit actor `i` (0 for moves not
    /// open) and their running totals in `self.running`, and returns their
    /// sum, or `None` when no move is open.
    #[inline]
    fn logit_weights(
        &mut self,
        coef: &Coefficients,
        i: usize,
        state: StepState<'_>,
    ) -> Option<f64> {
        let StepState {
            vars,
            rung,
            talks,
            incident,
            step,
        } = state;
        let m = self.model;
        let actor = &m.actors[i];
        let (start, end) = self.actor_moves[i];
        // Mean cooperativeness of the last actions of the actors responded to.
        let mut mean_coop = 0.0;
        if !actor.responds_to.is_empty() {
            for &r in &actor.responds_to {
                if let Some(mv) = self.last[r as usize] {
                    mean_coop += coef.cooperativeness[self.move_action[mv as usize] as usize];
                }
            }
            mean_coop /= actor.responds_to.len() as f64;
        }
        let distrust_gap = 1.0 - vars[Var::Trust.index()];
        let row = rung as usize * m.moves.len();
        let base = &coef.utility_by_rung[row + start..row + end];
        let terms = coef.reciprocity[start..end]
            .iter()
            .zip(&coef.distrust[start..end]);
        let utility = &mut self.utility[start..end];
        for (((u, &a), &b), (&rec, &dis)) in utility
            .iter_mut()
            .zip(&self.move_action[start..end])
            .zip(base)
            .zip(terms)
        {
            *u = if self.open[a as usize] {
                b + rec * mean_coop + dis * distrust_gap
            } else {
                f64::NEG_INFINITY
            };
        }
        for rl in actor.red_lines.start as usize..actor.red_lines.end as usize {
            if holds(&m.red_lines[rl].when, vars, rung, talks, incident, step) {
                let range = &coef.favour_ranges[rl];
                for &(j, bonus) in &coef.favour[range.start as usize..range.end as usize] {
                    self.utility[j as usize] += bonus;
                }
            }
        }
        let utility = &self.utility[start..end];
        let best = utility.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if best == f64::NEG_INFINITY {
            return None;
        }
        let beta = coef.beta[i];
        let weight = &mut self.weight[start..end];
        let mut total = 0.0;
        // Branch-free, so the weights are computed several at a time; the
        // best action's weight is exactly 1 and a closed one's exactly 0.
        for (w, &u) in weight.iter_mut().zip(utility) {
            let x = exp_nonpositive(beta * (u - best));
            *w = if u == f64::NEG_INFINITY { 0.0 } else { x };
        }
        for (c, &w) in self.running[start..end].iter_mut().zip(weight.iter()) {
            total += w;
            *c = total;
        }
        Some(total)
    }

    /// The probability of each of `actor`'s moves (in move order) in `state`,
    /// as the decision rule computes it, given every actor's previous move in
    /// `last` (for reciprocity): exactly the probabilities the trial loop
    /// draws from, as both come from [`TrialRunner::move_weights`].
    ///
    /// Moves whose preconditions fail get 0. For a logit actor the rest sum
    /// to 1 (all are 0 when no move is open); for a fixed actor each open move
    /// keeps its stated probability, and the probability of a closed one is
    /// that of doing nothing.
    pub fn choice_probabilities(
        &mut self,
        coef: &Coefficients,
        actor: usize,
        state: &WorldState,
        last: &[Option<u32>],
    ) -> Vec<f64> {
        let m = self.model;
        for (k, action) in m.actions.iter().enumerate() {
            self.open[k] = m.conditions
                [action.requires.start as usize..action.requires.end as usize]
                .iter()
                .all(|c| {
                    holds(
                        c,
                        &state.vars,
                        state.rung,
                        state.talks_active,
                        state.incident,
                        state.step,
                    )
                });
        }
        for (slot, mv) in self.last.iter_mut().zip(last) {
            *slot = *mv;
        }
        let (start, end) = self.actor_moves[actor];
        let view = StepState {
            vars: &state.vars,
            rung: state.rung,
            talks: state.talks_active,
            incident: state.incident,
            step: state.step,
        };
        let mut p = match self.move_weights(coef, actor, view) {
            Some(w) => (0..end - start).map(|k| w.probability(k)).collect(),
            None => vec![0.0; end - start],
        };
        for (k, x) in p.iter_mut().enumerate() {
            if !self.is_open(start + k) {
                *x = 0.0;
            }
        }
        p
    }
}

/// The state a choice is made in: the world at the start of the step.
#[derive(Debug, Clone, Copy)]
struct StepState<'a> {
    vars: &'a [f64; N_VARS],
    rung: u8,
    talks: bool,
    incident: bool,
    step: u32,
}

/// An actor's move weights as its decision rule gives them, over its moves
/// in move order, with their running totals and their sum. A move is drawn
/// as the first whose running total passes `u * total`, and has probability
/// `weight / total`.
#[derive(Debug, Clone, Copy)]
struct MoveWeights<'a> {
    weight: &'a [f64],
    running: &'a [f64],
    total: f64,
}

impl MoveWeights<'_> {
    /// The move (index among the actor's moves) drawn with uniform `u`.
    #[inline]
    fn draw(&self, u: f64) -> usize {
        // The first move whose running total passes u * total: the number of
        // running totals at or below it, counted without a branch per move.
        // (A move found so has a positive weight: its total is above the
        // one before it.)
        let target = u * self.total;
        let below: usize = self.running.iter().map(|&c| usize::from(c <= target)).sum();
        if below < self.running.len() {
            below
        } else {
            // u * total rounded up to the total: the last move with weight.
            self.weight.iter().rposition(|&w| w > 0.0).unwrap_or(0)
        }
    }

    /// The probability of move `k` (index among the actor's moves).
    #[inline]
    fn probability(&self, k: usize) -> f64 {
        self.weight[k] / self.total
    }
}

/// A state of the world in which to evaluate choices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorldState {
    /// Continuous variables in [`Var`] order.
    pub vars: [f64; N_VARS],
    /// Escalation rung.
    pub rung: u8,
    /// Whether talks are running.
    pub talks_active: bool,
    /// Whether an incident happened in the previous step.
    pub incident: bool,
    /// The 1-based step.
    pub step: u32,
}

/// Whether a condition holds in the given state.
#[inline]
pub fn holds(
    c: &Condition,
    vars: &[f64; N_VARS],
    rung: u8,
    talks: bool,
    incident: bool,
    step: u32,
) -> bool {
    let x = match c.subject {
        Subject::Var(v) => vars[v.index()],
        Subject::Rung => f64::from(rung),
        Subject::TalksActive => f64::from(u8::from(talks)),
        Subject::Incident => f64::from(u8::from(incident)),
        Subject::Step => f64::from(step),
    };
    c.cmp.holds(x, c.threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(file: &str) -> Model {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let (s, _) = crate::scenario::load(&path).unwrap();
        Model::compile(&s)
    }

    /// States to choose in: the initial one, and a tenser one.
    fn states(m: &Model, coef: &Coefficients) -> [WorldState; 2] {
        let mut tense = coef.initial;
        tense[Var::Trust.index()] = 0.1;
        [
            WorldState {
                vars: coef.initial,
                rung: m.initial_rung,
                talks_active: m.initial_talks_active,
                incident: false,
                step: 1,
            },
            WorldState {
                vars: tense,
                rung: 3,
                talks_active: false,
                incident: true,
                step: 5,
            },
        ]
    }

    /// Each actor's probabilities from `choice_probabilities`, and the
    /// moves `choose` takes for each draw in `us` (counted per move, and
    /// `None` for doing nothing), checking that every choice reports the
    /// probability `choice_probabilities` gave its move.
    fn sample(
        runner: &mut TrialRunner,
        coef: &Coefficients,
        i: usize,
        state: &WorldState,
        us: impl Iterator<Item = f64>,
    ) -> (Vec<f64>, Vec<u64>, u64) {
        let last = vec![None; runner.model.actors.len()];
        let p = runner.choice_probabilities(coef, i, state, &last);
        let start = runner.actor_moves[i].0;
        let mut counts = vec![0u64; p.len()];
        let mut nothing = 0;
        for u in us {
            let view = StepState {
                vars: &state.vars,
                rung: state.rung,
                talks: state.talks_active,
                incident: state.incident,
                step: state.step,
            };
            let c = runner.choose(coef, i, u, view);
            match c.mv {
                Some(mv) => {
                    let k = mv as usize - start;
                    assert_eq!(c.probability.to_bits(), p[k].to_bits());
                    counts[k] += 1;
                }
                None => nothing += 1,
            }
        }
        (p, counts, nothing)
    }

    /// Stratified draws: move k is taken for a share of `u` in 0..1 equal to
    /// its probability, so each count is within one of `n * p`.
    #[test]
    fn choose_takes_each_move_for_exactly_its_share_of_draws() {
        let n = 100_000u64;
        for file in [
            "scenarios/muscat-2026.toml",
            "tests/fixtures/valid/fixed-markov.toml",
        ] {
            let m = model(file);
            let coef = m.base_coefficients();
            let mut runner = TrialRunner::new(&m, 0);
            for state in states(&m, &coef) {
                for i in 0..m.actors.len() {
                    let us = (0..n).map(|k| (k as f64 + 0.5) / n as f64);
                    let (p, counts, nothing) = sample(&mut runner, &coef, i, &state, us);
                    let open: f64 = p.iter().sum();
                    assert!(open <= 1.0 + 1e-12, "{file} actor {i}: {p:?}");
                    for (k, (&pk, &c)) in p.iter().zip(&counts).enumerate() {
                        let want = n as f64 * pk;
                        assert!(
                            (c as f64 - want).abs() <= 1.0 + 1e-6 * want,
                            "{file} actor {i} move {k}: {c} draws, expected {want}"
                        );
                    }
                    let rest = n as f64 * (1.0 - open);
                    assert!((nothing as f64 - rest).abs() <= p.len() as f64 + 1.0);
                }
            }
        }
    }

    /// Random draws, as the trial loop makes them: the counts fit the
    /// probabilities (chi-square within 6 standard deviations of its mean).
    #[test]
    fn choose_samples_from_choice_probabilities() {
        let n = 200_000u64;
        let m = model("scenarios/muscat-2026.toml");
        let coef = m.base_coefficients();
        let mut runner = TrialRunner::new(&m, 0);
        let mut rng = Streams::new(11).generator(0, purpose_id("test"));
        for state in states(&m, &coef) {
            for i in 0..m.actors.len() {
                let us: Vec<f64> = (0..n).map(|_| rng.random()).collect();
                let (p, counts, nothing) = sample(&mut runner, &coef, i, &state, us.into_iter());
                assert_eq!(nothing, 0, "a logit actor always acts when a move is open");
                let cells: Vec<(f64, u64)> = p
                    .iter()
                    .zip(&counts)
                    .filter(|(pk, _)| **pk > 0.0)
                    .map(|(&pk, &c)| (pk, c))
                    .collect();
                let chi2: f64 = cells
                    .iter()
                    .map(|&(pk, c)| {
                        let e = n as f64 * pk;
                        (c as f64 - e).powi(2) / e
                    })
                    .sum();
                let df = cells.len().saturating_sub(1) as f64;
                assert!(
                    chi2 <= df + 6.0 * (2.0 * df).sqrt() + 1e-9,
                    "actor {i}: chi-square {chi2} on {df} degrees of freedom"
                );
                let unseen: u64 = p
                    .iter()
                    .zip(&counts)
                    .filter(|(pk, _)| **pk == 0.0)
                    .map(|(_, &c)| c)
                    .sum();
                assert_eq!(unseen, 0, "a move of probability 0 was taken");
            }
        }
    }

    /// A fixed rule keeps its stated probabilities in every state; a logit
    /// rule's probabilities sum to one.
    #[test]
    fn rules_give_their_probabilities() {
        let m = model("tests/fixtures/valid/fixed-markov.toml");
        let coef = m.base_coefficients();
        let mut runner = TrialRunner::new(&m, 0);
        for state in states(&m, &coef) {
            let p = runner.choice_probabilities(&coef, 0, &state, &[None]);
            let (start, end) = runner.actor_moves[0];
            let stated: Vec<(&str, f64)> = (start..end)
                .map(|j| {
                    (
                        m.actions[m.moves[j].action as usize].id.as_str(),
                        p[j - start],
                    )
                })
                .collect();
            for (id, want) in [("up", 0.2), ("down", 0.3), ("stay", 0.5)] {
                let got = stated.iter().find(|(a, _)| *a == id).map(|(_, x)| *x);
                assert!(got.is_some_and(|x| (x - want).abs() < 1e-12), "{stated:?}");
            }
        }
        let m = model("scenarios/muscat-2026.toml");
        let coef = m.base_coefficients();
        let mut runner = TrialRunner::new(&m, 0);
        let last = vec![None; m.actors.len()];
        for state in states(&m, &coef) {
            for (i, a) in m.actors.iter().enumerate() {
                assert!(matches!(a.rule, DecisionRule::Logit { .. }));
                let p = runner.choice_probabilities(&coef, i, &state, &last);
                let total: f64 = p.iter().sum();
                assert!((total - 1.0).abs() < 1e-12, "actor {i}: {p:?}");
            }
        }
    }
}
