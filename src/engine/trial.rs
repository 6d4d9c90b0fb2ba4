//! One trial: the world stepped from its initial state to the horizon (or
//! to a state the scenario declares absorbing). The order of a step is fixed
//! (docs/model.md):
//!
//! 1. scripted `set` events, then forced actions are noted;
//! 2. every actor chooses at once from the state at the start of the step;
//! 3. the chosen (and forced) actions' effects are summed and applied, then
//!    clamped; talks and the rung follow;
//! 4. every actor struck by a violent action aimed at it may react within the
//!    step, from the state after the blow; the reactions apply the same way;
//! 5. concessions and pressure move bargaining positions; drifts apply;
//! 6. a war may reach a ceasefire, and a ceasefire may collapse or end the war;
//! 7. an incident may happen; unless restraint holds it, it raises the rung
//!    by one up to the incident ceiling;
//! 8. after a quiet step (no hostile act, no rise) the rung may fall by one;
//! 9. agreements: an interim agreement or a deal may close;
//! 10. milestones are recorded; an absorbing state ends the trial.
//!
//! All scratch space is allocated when the runner is made; a trial allocates nothing.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::model::{Coefficients, DecisionRule, EventModel, Milestone, Model, TalksEffect};
use crate::world::{
    Condition, MAX_MILESTONES, N_VARS, Outcome, RUNG_STRIKES, RUNG_WAR, Subject, Var,
};

use super::exp::exp_nonpositive;
use super::preconditions::Preconditions;
use crate::observe::{Choice, StepView, TrialObserver, TrialRecord};
use crate::rng::{Streams, purpose_id};

/// Escalation score from which an action aimed at an actor is a blow it
/// may react to within the step (violent escalation on the EscalAItion scale).
pub const VIOLENT: i32 = 28;

/// Runs trials of one model; owns the scratch space they reuse.
#[derive(Debug)]
pub struct TrialRunner<'m> {
    model: &'m Model,
    streams: Streams,
    actor_purposes: Vec<u64>,
    react_purposes: Vec<u64>,
    incident_purpose: u64,
    deescalation_purpose: u64,
    war_purpose: u64,
    bargaining_purpose: u64,
    actor_rngs: Vec<ChaCha8Rng>,
    react_rngs: Vec<ChaCha8Rng>,
    incident_rng: ChaCha8Rng,
    deescalation_rng: ChaCha8Rng,
    war_rng: ChaCha8Rng,
    bargaining_rng: ChaCha8Rng,
    choices: Vec<Choice>,
    reactions: Vec<Choice>,
    last: Vec<Option<u32>>,
    forced: Vec<Option<u32>>,
    added: Vec<Option<u32>>,
    struck: Vec<bool>,
    /// This step's reaction draw of each actor.
    react_u: Vec<f64>,
    /// Whether each action is open (only when preconditions are walked, not masked).
    open: Vec<bool>,
    /// Whether each move's action is open in the current state.
    move_open: Vec<bool>,
    /// The preconditions as bit masks (`None`: too many distinct conditions).
    preconditions: Option<Preconditions>,
    utility: Vec<f64>,
    weight: Vec<f64>,
    /// Running totals of `weight` within each actor's moves.
    running: Vec<f64>,
    /// Utility added to each move by deadlines in the current step.
    time_bonus: Vec<f64>,
    /// Whether each move is one its actor may react with.
    reaction_move: Vec<bool>,
    /// Whether weights are being computed for reactions.
    reacting: bool,
    /// Catalogue action of each move, kept compact for the hot loop.
    move_action: Vec<u16>,
    /// Moves of each actor as a `start..end` pair.
    actor_moves: Vec<(usize, usize)>,
    /// Principal index of each actor (for first-strike milestones).
    principal_of: Vec<Option<u16>>,
    /// The allies who join each actor's strikes, flat; `joined_ranges[i]`
    /// is the part for actor `i`.
    joined_by: Vec<u16>,
    /// Range of `joined_by` for each actor.
    joined_ranges: Vec<(usize, usize)>,
    /// What the step needs of each action, without names or vectors.
    cores: Vec<ActionCore>,
    /// Targets of all actions; `ActionCore::targets` ranges into it.
    targets: Vec<u16>,
    /// Bargaining positions `[party * n_issues + issue]`.
    positions: Vec<f64>,
    /// Reservation points, same layout.
    reservations: Vec<f64>,
    /// Concessions of the step, same layout.
    conceded: Vec<f64>,
    /// Pressure on each party in the step.
    pressed: Vec<f64>,
    /// Gap between positions on each issue at the start of the trial.
    initial_gap: Vec<f64>,
    /// Overlap of the positions on each issue, as of the last
    /// [`TrialRunner::fill_overlaps`].
    overlaps: Vec<f64>,
}

/// The parts of an action the step applies.
#[derive(Debug, Clone, Copy)]
struct ActionCore {
    escalation: i32,
    rung_change: i8,
    rung_at_least: u8,
    talks: TalksEffect,
    hostile: bool,
    ceasefire: bool,
    targets: (u32, u32),
}

/// What the actions of a step add up to.
#[derive(Debug, Clone, Copy)]
struct StepSum {
    delta: [f64; N_VARS],
    rung_sum: i32,
    rung_floor: i32,
    suspend: bool,
    resume: bool,
    let_through: f64,
    hostile: bool,
    escalation: i32,
    /// Principals who agreed to a ceasefire.
    agreed: u32,
    /// Chance that no brokering action turns a partial agreement into a ceasefire.
    unbrokered: f64,
}

impl StepSum {
    fn new(rung: u8) -> Self {
        Self {
            delta: [0.0; N_VARS],
            rung_sum: i32::from(rung),
            rung_floor: 0,
            suspend: false,
            resume: false,
            let_through: 1.0,
            hostile: false,
            escalation: 0,
            agreed: 0,
            unbrokered: 1.0,
        }
    }
}

/// The state of a trial's war, agreements and milestones.
#[derive(Debug, Clone, Copy)]
struct Phase {
    /// A war is under way (at war, or in a ceasefire that has not ended it).
    war_open: bool,
    /// A ceasefire holds.
    ceasefire: bool,
    /// Steps the current ceasefire has held.
    held: u32,
    interim: bool,
    deal: bool,
    /// First agreement (interim or deal) reached after a war had started.
    settled_after_war: Option<u32>,
    /// Last step a war ended.
    last_war_end: Option<u32>,
    milestones: [Option<u32>; MAX_MILESTONES],
}

impl Phase {
    /// The state actors choose in and conditions read, with this phase's flags.
    fn state<'a>(
        &self,
        vars: &'a [f64; N_VARS],
        rung: u8,
        talks: bool,
        incident: bool,
        step: u32,
    ) -> StepState<'a> {
        StepState {
            vars,
            rung,
            talks,
            incident,
            step,
            ceasefire: self.ceasefire,
            interim: self.interim,
        }
    }

    fn mark(&mut self, k: usize, t: u32) {
        if self.milestones[k].is_none() {
            self.milestones[k] = Some(t);
        }
    }

    /// An agreement at step `t`: it ends an open war.
    fn agree(&mut self, t: u32) {
        if self.milestones[Milestone::WAR_START].is_some() && self.settled_after_war.is_none() {
            self.settled_after_war = Some(t);
        }
        if self.war_open {
            self.war_open = false;
            self.ceasefire = false;
            self.mark(Milestone::WAR_END, t);
            self.last_war_end = Some(t);
        }
    }
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
        let react_purposes: Vec<u64> = model
            .actors
            .iter()
            .map(|a| purpose_id(&format!("react:{}", a.id)))
            .collect();
        let n_actors = model.actors.len();
        let n_moves = model.moves.len();
        let mut targets = Vec::new();
        let cores = model
            .actions
            .iter()
            .map(|a| {
                let start = targets.len() as u32;
                targets.extend(a.targets.iter().copied());
                ActionCore {
                    escalation: a.escalation,
                    rung_change: a.rung_change,
                    rung_at_least: a.rung_at_least,
                    talks: a.talks,
                    hostile: a.hostile,
                    ceasefire: a.ceasefire,
                    targets: (start, targets.len() as u32),
                }
            })
            .collect();
        let mut reaction_move = vec![false; n_moves];
        for a in &model.actors {
            for &mv in &a.reactions {
                reaction_move[mv as usize] = true;
            }
        }
        let mut principal_of = vec![None; n_actors];
        for (k, &p) in model.principals.iter().enumerate() {
            principal_of[p as usize] = Some(k as u16);
        }
        let mut joined_by = Vec::new();
        let joined_ranges = (0..n_actors)
            .map(|i| {
                let start = joined_by.len();
                joined_by.extend(
                    model
                        .actors
                        .iter()
                        .enumerate()
                        .filter(|(j, a)| *j != i && a.joins.contains(&(i as u16)))
                        .map(|(j, _)| j as u16),
                );
                (start, joined_by.len())
            })
            .collect();
        let (n_parties, n_issues) = model
            .bargaining
            .as_ref()
            .map_or((0, 0), |b| (b.parties.len(), b.issues.len()));
        let none = Choice {
            mv: None,
            probability: 1.0,
            forced: false,
        };
        Self {
            actor_rngs: actor_purposes
                .iter()
                .map(|&p| streams.generator(0, p))
                .collect(),
            react_rngs: react_purposes
                .iter()
                .map(|&p| streams.generator(0, p))
                .collect(),
            incident_rng: streams.generator(0, purpose_id("incidents")),
            deescalation_rng: streams.generator(0, purpose_id("deescalation")),
            war_rng: streams.generator(0, purpose_id("war")),
            bargaining_rng: streams.generator(0, purpose_id("bargaining")),
            incident_purpose: purpose_id("incidents"),
            deescalation_purpose: purpose_id("deescalation"),
            war_purpose: purpose_id("war"),
            bargaining_purpose: purpose_id("bargaining"),
            actor_purposes,
            react_purposes,
            streams,
            model,
            choices: vec![none; n_actors],
            reactions: vec![none; n_actors],
            last: vec![None; n_actors],
            forced: vec![None; n_actors],
            added: vec![None; n_actors],
            struck: vec![false; n_actors],
            react_u: vec![0.0; n_actors],
            open: vec![false; model.actions.len()],
            move_open: vec![false; n_moves],
            preconditions: Preconditions::compile(model),
            utility: vec![0.0; n_moves],
            weight: vec![0.0; n_moves],
            running: vec![0.0; n_moves],
            time_bonus: vec![0.0; n_moves],
            reaction_move,
            reacting: false,
            move_action: model.moves.iter().map(|mv| mv.action).collect(),
            actor_moves: model
                .actors
                .iter()
                .map(|a| (a.moves.start as usize, a.moves.end as usize))
                .collect(),
            joined_by,
            joined_ranges,
            principal_of,
            cores,
            targets,
            positions: vec![0.0; n_parties * n_issues],
            reservations: vec![0.0; n_parties * n_issues],
            conceded: vec![0.0; n_parties * n_issues],
            pressed: vec![0.0; n_parties],
            initial_gap: vec![0.0; n_issues],
            overlaps: vec![0.0; n_issues],
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
        for (i, a) in m.actors.iter().enumerate() {
            if !a.reactions.is_empty() {
                self.streams
                    .reset(&mut self.react_rngs[i], trial, self.react_purposes[i]);
            }
        }
        self.streams
            .reset(&mut self.incident_rng, trial, self.incident_purpose);
        self.streams
            .reset(&mut self.deescalation_rng, trial, self.deescalation_purpose);
        self.streams
            .reset(&mut self.war_rng, trial, self.war_purpose);
        if m.bargaining.is_some() {
            self.streams
                .reset(&mut self.bargaining_rng, trial, self.bargaining_purpose);
        }
        // Each actor's last move: none, or the one `[history]` gives.
        self.last.copy_from_slice(&m.start.last_moves);
        self.reactions.fill(Choice {
            mv: None,
            probability: 1.0,
            forced: false,
        });
        self.added.fill(None);

        let mut vars = coef.initial;
        let mut rung = m.initial_rung;
        let mut talks = m.initial_talks_active;
        let start = &m.start;
        let mut incident_last = start.incident;
        let mut max_rung = rung;
        let mut first_strike = (rung >= RUNG_STRIKES || start.first_strike).then_some(0);
        let mut breakout = (vars[Var::STOCKPILE.index()] >= coef.breakout_stockpile
            || start.breakout)
            .then_some(0);
        let mut cumulative: i64 = 0;
        let mut incidents = 0u32;
        let mut event_cursor = 0usize;
        let mut steps = 0;
        // Milestones passed before the start count as reached at step 0.
        let mut phase = Phase {
            war_open: start.war_open,
            ceasefire: start.ceasefire,
            held: start.held,
            interim: start.interim,
            deal: start.deal,
            settled_after_war: start.settled_after_war.then_some(0),
            last_war_end: start.war_ended.then_some(0),
            milestones: start.milestones,
        };
        self.start_bargaining(coef, &mut vars);

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
            reactions: &[],
            added: &[],
            ceasefire: phase.ceasefire,
            war_open: phase.war_open,
            interim: phase.interim,
            deal: phase.deal,
            positions: &self.positions,
            reservations: &self.reservations,
        });

        for t in 1..=m.horizon {
            steps = t;
            // 1. Scripted events.
            self.forced.fill(None);
            self.added.fill(None);
            while let Some(e) = m.events.get(event_cursor) {
                if e.step() != t {
                    break;
                }
                match *e {
                    EventModel::Set { var, .. } => {
                        let k = var.index();
                        vars[k] = coef.event_values[event_cursor]
                            .clamp(coef.var_low[k], coef.var_high[k]);
                    }
                    EventModel::Force { actor, mv, add, .. } => {
                        if add {
                            self.added[actor as usize] = Some(mv);
                        } else {
                            self.forced[actor as usize] = Some(mv);
                        }
                    }
                }
                event_cursor += 1;
            }

            // 2. Simultaneous choices from the state at the start of the step.
            let start = phase.state(&vars, rung, talks, incident_last, t);
            self.fill_time_bonus(coef, &start);
            self.set_open(&start);
            for i in 0..m.actors.len() {
                let u: f64 = self.actor_rngs[i].random();
                self.choices[i] = match self.forced[i] {
                    Some(mv) => Choice {
                        mv: Some(mv),
                        probability: 1.0,
                        forced: true,
                    },
                    None => self.choose(coef, i, u, start),
                };
            }

            // 3. Apply the chosen and added actions.
            self.conceded.fill(0.0);
            self.pressed.fill(0.0);
            self.struck.fill(false);
            let rung_start = rung;
            let mut sum = StepSum::new(rung);
            for i in 0..m.actors.len() {
                self.last[i] = self.choices[i].mv;
                if let Some(mv) = self.choices[i].mv {
                    self.take(coef, i, mv, &mut sum, counts, &mut phase, t);
                }
                if let Some(mv) = self.added[i] {
                    self.take(coef, i, mv, &mut sum, counts, &mut phase, t);
                }
            }
            apply(&sum, coef, &mut vars, &mut talks, &mut rung, m.vars.len());
            let rung_after_actions = rung;

            // 4. Reactions within the step, from the state after the blow.
            self.draw_reactions();
            let mut reacted = StepSum::new(rung);
            if self.struck.iter().any(|&s| s) {
                let after = phase.state(&vars, rung, talks, incident_last, t);
                self.set_open(&after);
                self.reacting = true;
                for i in 0..m.actors.len() {
                    if !self.struck[i] || m.actors[i].reactions.is_empty() {
                        continue;
                    }
                    let u = self.react_u[i];
                    let c = self.choose(coef, i, u, after);
                    self.reactions[i] = c;
                }
                self.reacting = false;
                for i in 0..m.actors.len() {
                    if let Some(mv) = self.reactions[i].mv {
                        self.last[i] = Some(mv);
                        self.take(coef, i, mv, &mut reacted, counts, &mut phase, t);
                    }
                }
                apply(
                    &reacted,
                    coef,
                    &mut vars,
                    &mut talks,
                    &mut rung,
                    m.vars.len(),
                );
            }
            let rung_after_reactions = rung;
            let hostile = sum.hostile || reacted.hostile;
            let escalation = sum.escalation + reacted.escalation;
            let let_through = sum.let_through * reacted.let_through;

            // 5. Bargaining positions, then drifts.
            if m.bargaining.is_some() {
                self.move_positions(coef, rung == RUNG_WAR);
            }
            self.drift(coef, &mut vars, rung, talks, incident_last, t, &phase);

            // 6. War: ceasefire, collapse, end.
            let u_ceasefire: f64 = self.war_rng.random();
            let u_collapse: f64 = self.war_rng.random();
            if rung == RUNG_WAR {
                // Fighting, or fighting again: a ceasefire that saw the
                // rung return to war has collapsed.
                phase.ceasefire = false;
                if rung_start == RUNG_WAR {
                    let n = self.model.principals.len() as u32;
                    let agreed = sum.agreed + reacted.agreed;
                    let p = if n > 0 && agreed >= n {
                        1.0
                    } else if agreed > 0 {
                        1.0 - sum.unbrokered * reacted.unbrokered
                    } else {
                        0.0
                    };
                    if u_ceasefire < p {
                        rung = m.war.ceasefire_rung;
                        phase.ceasefire = true;
                        phase.held = 0;
                        phase.mark(Milestone::CEASEFIRE, t);
                    }
                }
            } else if phase.ceasefire {
                if u_collapse < coef.collapse {
                    rung = RUNG_WAR;
                    phase.ceasefire = false;
                } else {
                    phase.held += 1;
                    if phase.held >= m.war.holds_after {
                        phase.ceasefire = false;
                        phase.war_open = false;
                        phase.mark(Milestone::WAR_END, t);
                        phase.last_war_end = Some(t);
                    }
                }
            }

            // 7. Incidents.
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
                phase.mark(Milestone::FIRST_INCIDENT, t);
                let trust = &mut vars[Var::TRUST.index()];
                *trust = (*trust - coef.incident_trust_loss).max(0.0);
                if rung < m.incident_max_rung {
                    held = u_restraint >= let_through;
                    if !held {
                        rung += 1;
                    }
                }
            }

            // 8. De-escalation after a quiet step.
            let u_down: f64 = self.deescalation_rng.random();
            let quiet = !hostile && rung <= rung_start;
            let mut deescalated = false;
            if quiet && rung > 0 && rung < RUNG_WAR {
                let p =
                    coef.deescalation_base + coef.deescalation_per_trust * vars[Var::TRUST.index()];
                if u_down < p {
                    rung -= 1;
                    deescalated = true;
                }
            }

            // 9. Agreements. The highest rung of the step is taken before a
            // deal returns the world to diplomacy.
            let peak = rung.max(rung_after_actions).max(rung_after_reactions);
            let deal_now = if m.bargaining.is_some() {
                self.bargain(coef, &mut vars, &mut rung, talks, &mut phase, t)
            } else if !phase.deal && vars[Var::TALKS_PROGRESS.index()] >= coef.deal_progress {
                phase.deal = true;
                phase.mark(Milestone::DEAL, t);
                phase.agree(t);
                true
            } else {
                false
            };
            if deal_now {
                // A deal returns the world to diplomacy.
                rung = 0;
            }

            // 10. Milestones and absorbing states.
            if rung == RUNG_WAR && !phase.war_open {
                phase.war_open = true;
                phase.mark(Milestone::WAR_START, t);
            }
            cumulative += i64::from(escalation);
            max_rung = max_rung.max(rung).max(peak);
            if peak.max(rung) >= RUNG_STRIKES && first_strike.is_none() {
                first_strike = Some(t);
            }
            if vars[Var::STOCKPILE.index()] >= coef.breakout_stockpile && breakout.is_none() {
                breakout = Some(t);
            }
            incident_last = incident;
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
                reactions: &self.reactions,
                added: &self.added,
                ceasefire: phase.ceasefire,
                war_open: phase.war_open,
                interim: phase.interim,
                deal: phase.deal,
                positions: &self.positions,
                reservations: &self.reservations,
            });
            for r in &mut self.reactions {
                r.mv = None;
            }
            if (deal_now && m.absorbing.deal) || (phase.war_open && m.absorbing.war) {
                break;
            }
        }

        let ms = &phase.milestones;
        let (outcome, outcome_step) = if let Some(w) = ms[Milestone::WAR_START] {
            if phase.war_open {
                (Outcome::WarOngoing, w)
            } else if let Some(s) = phase.settled_after_war {
                (Outcome::WarThenSettlement, s)
            } else {
                (Outcome::WarEnded, phase.last_war_end.unwrap_or(w))
            }
        } else if let Some(a) = earliest(ms[Milestone::INTERIM], ms[Milestone::DEAL]) {
            (Outcome::Deal, a)
        } else if let Some(s) = first_strike {
            (Outcome::LimitedStrikes, s)
        } else if let Some(b) = breakout {
            (Outcome::Breakout, b)
        } else if !talks {
            (Outcome::Standoff, m.horizon)
        } else {
            (Outcome::TalksOngoing, m.horizon)
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
            n_vars: m.vars.len() as u8,
            milestones: phase.milestones,
            n_milestones: m.milestones.len() as u8,
        };
        observer.on_end(&record);
        record
    }

    /// Draws this step's reaction uniforms into `self.react_u`, one for
    /// every actor that can react, whether or not it is struck (so the
    /// draws of later steps do not depend on this one's events).
    #[inline]
    fn draw_reactions(&mut self) {
        for (i, a) in self.model.actors.iter().enumerate() {
            if !a.reactions.is_empty() {
                self.react_u[i] = self.react_rngs[i].random();
            }
        }
    }

    /// Takes move `mv` of actor `i` into the step's sum: counts it, adds its
    /// effects, and records what it does to war, bargaining and milestones.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn take(
        &mut self,
        coef: &Coefficients,
        i: usize,
        mv: u32,
        sum: &mut StepSum,
        counts: &mut [u32],
        phase: &mut Phase,
        t: u32,
    ) {
        counts[mv as usize] += 1;
        let a = self.move_action[mv as usize] as usize;
        let action = self.cores[a];
        for (d, e) in sum.delta.iter_mut().zip(&coef.effects[a]) {
            *d += e;
        }
        sum.rung_sum += i32::from(action.rung_change);
        sum.rung_floor = sum.rung_floor.max(i32::from(action.rung_at_least));
        sum.suspend |= action.talks == TalksEffect::Suspend;
        sum.resume |= action.talks == TalksEffect::Resume;
        sum.let_through *= coef.let_through[a];
        sum.hostile |= action.hostile;
        sum.escalation += action.escalation;
        sum.unbrokered *= coef.broker_miss[a];
        if action.ceasefire && self.principal_of[i].is_some() {
            sum.agreed += 1;
        }
        let (ts, te) = action.targets;
        if action.escalation >= VIOLENT && ts < te {
            for &target in &self.targets[ts as usize..te as usize] {
                if usize::from(target) != i {
                    self.struck[usize::from(target)] = true;
                }
            }
            // Allies who join i's strikes get a reaction choice too.
            for &ally in &self.joined_by[self.joined_ranges[i].0..self.joined_ranges[i].1] {
                self.struck[usize::from(ally)] = true;
            }
            if let Some(p) = self.principal_of[i] {
                phase.mark(Milestone::FIRST_STRIKE + usize::from(p), t);
            }
        }
        if let Some(b) = &self.model.bargaining {
            let n_issues = b.issues.len();
            if let Some(party) = b.party_of[i] {
                let row = usize::from(party) * n_issues;
                for k in 0..n_issues {
                    self.conceded[row + k] += coef.concede[a * n_issues + k];
                }
            }
            let pressure = coef.pressure[a];
            if pressure != 0.0 {
                for &target in &self.targets[ts as usize..te as usize] {
                    if let Some(party) = b.party_of[usize::from(target)] {
                        self.pressed[usize::from(party)] += pressure;
                    }
                }
            }
        }
    }

    /// Sets `self.move_open` for the moves whose actions' preconditions
    /// hold in `state`: each distinct condition tested once, then one mask
    /// compare per move ([`Preconditions`]), or a walk of every action's
    /// conditions when the model has too many distinct ones for a mask.
    #[inline]
    fn set_open(&mut self, state: &StepState<'_>) {
        if let Some(p) = &self.preconditions {
            let mut truth = 0u32;
            for (k, c) in p.distinct().iter().enumerate() {
                truth |= u32::from(holds(c, state)) << k;
            }
            p.fill(truth, &mut self.move_open);
            return;
        }
        let m = self.model;
        for (k, action) in m.actions.iter().enumerate() {
            self.open[k] = m.conditions
                [action.requires.start as usize..action.requires.end as usize]
                .iter()
                .all(|c| holds(c, state));
        }
        for (open, &a) in self.move_open.iter_mut().zip(&self.move_action) {
            *open = self.open[usize::from(a)];
        }
    }

    /// Fills `self.time_bonus` with the deadlines' utility bonuses at the
    /// step of `state`.
    #[inline]
    fn fill_time_bonus(&mut self, coef: &Coefficients, state: &StepState<'_>) {
        let m = self.model;
        if m.deadlines.is_empty() {
            return;
        }
        self.time_bonus.fill(0.0);
        for (d, (before, after)) in m.deadlines.iter().zip(&coef.deadline_ranges) {
            if d.unless.is_some_and(|c| holds(&c, state)) {
                continue;
            }
            let wb = d.before_weight(state.step);
            let wa = d.after_weight(state.step);
            for &(mv, bonus) in &coef.deadline_bonus[before.start as usize..before.end as usize] {
                self.time_bonus[mv as usize] += wb * bonus;
            }
            for &(mv, bonus) in &coef.deadline_bonus[after.start as usize..after.end as usize] {
                self.time_bonus[mv as usize] += wa * bonus;
            }
        }
    }

    /// Applies the drifts whose conditions hold after the step's actions.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn drift(
        &self,
        coef: &Coefficients,
        vars: &mut [f64; N_VARS],
        rung: u8,
        talks: bool,
        incident: bool,
        t: u32,
        phase: &Phase,
    ) {
        for (d, effects) in self.model.drifts.iter().zip(&coef.drift_effects) {
            let state = phase.state(vars, rung, talks, incident, t);
            if !d.when.iter().all(|c| holds(c, &state)) {
                continue;
            }
            let scale = d.scale.map_or(1.0, |v| vars[v.index()]);
            for (k, v) in vars.iter_mut().enumerate().take(self.model.vars.len()) {
                *v = (*v + effects[k] * scale).clamp(coef.var_low[k], coef.var_high[k]);
            }
        }
    }

    /// Sets the opening positions and reservation points of the trial, and
    /// talks progress to 0 (no gap closed yet).
    fn start_bargaining(&mut self, coef: &Coefficients, vars: &mut [f64; N_VARS]) {
        if self.model.bargaining.is_none() {
            return;
        }
        self.positions.copy_from_slice(&coef.position_start);
        self.reservations.copy_from_slice(&coef.reservation);
        self.fill_overlaps();
        for (gap, &o) in self.initial_gap.iter_mut().zip(&self.overlaps) {
            *gap = (-o).max(0.0);
        }
        vars[Var::TALKS_PROGRESS.index()] = self.progress();
    }

    /// Sets `self.overlaps` from the current positions: on each issue, the
    /// lowest position of those who want it low, less the highest of those
    /// who want it high. An agreement on the issue is possible when it is 0
    /// or more.
    #[inline]
    fn fill_overlaps(&mut self) {
        let Some(b) = &self.model.bargaining else {
            return;
        };
        let n = b.issues.len();
        for (k, issue) in b.issues.iter().enumerate() {
            let mut low_side = f64::INFINITY;
            let mut high_side = f64::NEG_INFINITY;
            for (party, pos) in issue.positions.iter().enumerate() {
                let x = self.positions[party * n + k];
                if pos.wants_high {
                    high_side = high_side.max(x);
                } else {
                    low_side = low_side.min(x);
                }
            }
            self.overlaps[k] = low_side - high_side;
        }
    }

    /// Share of the initial gaps closed, averaged over the issues, from
    /// `self.overlaps`.
    #[inline]
    fn progress(&self) -> f64 {
        let n = self.initial_gap.len();
        if n == 0 {
            return 0.0;
        }
        let mut total = 0.0;
        for k in 0..n {
            let gap = (-self.overlaps[k]).max(0.0);
            let g0 = self.initial_gap[k];
            total += if g0 > 0.0 {
                (1.0 - gap / g0).clamp(0.0, 1.0)
            } else {
                1.0
            };
        }
        total / n as f64
    }

    /// Moves reservation points by the step's pressure (and the softening of
    /// war), then positions by the step's concessions, never past the
    /// reservation point. Pressure first, so the order of actors does not matter.
    fn move_positions(&mut self, coef: &Coefficients, at_war: bool) {
        let Some(b) = &self.model.bargaining else {
            return;
        };
        let n = b.issues.len();
        let soften = if at_war { coef.war_softening } else { 0.0 };
        for party in 0..b.parties.len() {
            let push = self.pressed[party] + soften;
            for (k, issue) in b.issues.iter().enumerate() {
                let j = party * n + k;
                let toward = if issue.positions[party].wants_high {
                    -1.0
                } else {
                    1.0
                };
                if push != 0.0 {
                    self.reservations[j] = (self.reservations[j] + toward * push).clamp(0.0, 1.0);
                }
                let give = self.conceded[j];
                if give != 0.0 {
                    // Towards the reservation point, never past it.
                    let target = self.reservations[j];
                    let x = self.positions[j];
                    self.positions[j] = if toward > 0.0 {
                        (x + give).min(target.max(x))
                    } else {
                        (x - give).max(target.min(x))
                    };
                }
            }
        }
    }

    /// Closes an interim agreement or the deal when positions allow and the
    /// draw falls within the closing chance; returns whether the deal closed.
    fn bargain(
        &mut self,
        coef: &Coefficients,
        vars: &mut [f64; N_VARS],
        rung: &mut u8,
        talks: bool,
        phase: &mut Phase,
        t: u32,
    ) -> bool {
        let Some(b) = &self.model.bargaining else {
            return false;
        };
        self.fill_overlaps();
        vars[Var::TALKS_PROGRESS.index()] = self.progress();
        let u_interim: f64 = self.bargaining_rng.random();
        let u_deal: f64 = self.bargaining_rng.random();
        if phase.deal || !(talks || b.back_channel) {
            return false;
        }
        let trust = vars[Var::TRUST.index()];
        let chance = |overlap: f64| {
            (coef.close_base + coef.close_per_overlap * overlap + coef.close_per_trust * trust)
                .clamp(0.0, 1.0)
        };
        let mut all = f64::INFINITY;
        let mut interim = f64::INFINITY;
        let mut any_interim = false;
        for (issue, &o) in b.issues.iter().zip(&self.overlaps) {
            all = all.min(o);
            if issue.interim {
                interim = interim.min(o);
                any_interim = true;
            }
        }
        if all >= 0.0 && u_deal < chance(all) {
            phase.deal = true;
            phase.mark(Milestone::DEAL, t);
            phase.agree(t);
            return true;
        }
        if any_interim && !phase.interim && interim >= 0.0 && u_interim < chance(interim) {
            phase.interim = true;
            phase.mark(Milestone::INTERIM, t);
            if phase.war_open {
                *rung = (*rung).min(self.model.war.ceasefire_rung);
            }
            phase.agree(t);
        }
        false
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
        self.move_open[mv]
    }

    /// The weights of actor `i`'s moves under its decision rule, in `state`
    /// (with `self.open` and `self.last` set for it): the one place a rule
    /// becomes numbers, shared by the trial loop ([`TrialRunner::run`]) and
    /// [`TrialRunner::choice_probabilities`]. `None` when the actor has no
    /// move it could take (a logit actor with every action closed).
    /// Called once per choice and kept out of line, so a profile counts
    /// the choices (`scripts/bench.sh`).
    #[inline(never)]
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
            // A reaction: the stated probabilities of the open reaction
            // moves, renormalised.
            DecisionRule::Fixed { .. } if self.reacting => {
                let mut total = 0.0;
                for j in start..end {
                    let w = if self.reaction_move[j] && self.is_open(j) {
                        coef.probability[j]
                    } else {
                        0.0
                    };
                    self.weight[j] = w;
                    total += w;
                    self.running[j] = total;
                }
                (total > 0.0).then(|| MoveWeights {
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
        let vars = state.vars;
        let rung = state.rung;
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
        let distrust_gap = 1.0 - vars[Var::TRUST.index()];
        let row = rung as usize * m.moves.len();
        let base = &coef.utility_by_rung[row + start..row + end];
        let terms = coef.reciprocity[start..end]
            .iter()
            .zip(&coef.distrust[start..end]);
        let utility = &mut self.utility[start..end];
        let reacting = self.reacting;
        for ((((u, &open), &b), (&rec, &dis)), (&bonus, &reaction)) in utility
            .iter_mut()
            .zip(&self.move_open[start..end])
            .zip(base)
            .zip(terms)
            .zip(
                self.time_bonus[start..end]
                    .iter()
                    .zip(&self.reaction_move[start..end]),
            )
        {
            *u = if open && (reaction || !reacting) {
                b + rec * mean_coop + dis * distrust_gap + bonus
            } else {
                f64::NEG_INFINITY
            };
        }
        let range = &coef.incentive_ranges[i];
        for &(var, mv, per_unit) in &coef.incentives[range.start as usize..range.end as usize] {
            self.utility[mv as usize] += per_unit * vars[usize::from(var)];
        }
        for rl in actor.red_lines.start as usize..actor.red_lines.end as usize {
            if holds(&m.red_lines[rl].when, &state) {
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
        let view = state.view();
        self.set_open(&view);
        self.fill_time_bonus(coef, &view);
        for (slot, mv) in self.last.iter_mut().zip(last) {
            *slot = *mv;
        }
        let (start, end) = self.actor_moves[actor];
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

/// The state a choice is made in: the world at the start of the step (or,
/// for reactions, after the step's actions).
#[derive(Debug, Clone, Copy)]
struct StepState<'a> {
    vars: &'a [f64; N_VARS],
    rung: u8,
    talks: bool,
    incident: bool,
    step: u32,
    ceasefire: bool,
    interim: bool,
}

/// Sums the effects of a step's actions into the world: variables (clamped
/// to their ranges), talks and the rung.
#[inline]
fn apply(
    sum: &StepSum,
    coef: &Coefficients,
    vars: &mut [f64; N_VARS],
    talks: &mut bool,
    rung: &mut u8,
    n_vars: usize,
) {
    for (k, v) in vars.iter_mut().enumerate().take(n_vars) {
        *v = (*v + sum.delta[k]).clamp(coef.var_low[k], coef.var_high[k]);
    }
    if sum.suspend {
        *talks = false;
    } else if sum.resume {
        *talks = true;
    }
    *rung = sum
        .rung_sum
        .max(sum.rung_floor)
        .clamp(0, i32::from(RUNG_WAR)) as u8;
}

/// The earlier of two optional steps.
fn earliest(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
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
    /// Whether a ceasefire holds.
    pub ceasefire: bool,
    /// Whether an interim agreement has been reached.
    pub interim: bool,
}

impl WorldState {
    /// Whether condition `c` holds in this state.
    pub fn satisfies(&self, c: &Condition) -> bool {
        holds(c, &self.view())
    }

    fn view(&self) -> StepState<'_> {
        StepState {
            vars: &self.vars,
            rung: self.rung,
            talks: self.talks_active,
            incident: self.incident,
            step: self.step,
            ceasefire: self.ceasefire,
            interim: self.interim,
        }
    }
}

/// Whether a condition holds in the given state.
#[inline]
fn holds(c: &Condition, s: &StepState<'_>) -> bool {
    let x = match c.subject {
        Subject::Var(v) => s.vars[v.index()],
        Subject::Rung => f64::from(s.rung),
        Subject::TalksActive => f64::from(u8::from(s.talks)),
        Subject::Incident => f64::from(u8::from(s.incident)),
        Subject::Step => f64::from(s.step),
        Subject::Ceasefire => f64::from(u8::from(s.ceasefire)),
        Subject::Interim => f64::from(u8::from(s.interim)),
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
        tense[Var::TRUST.index()] = 0.1;
        [
            WorldState {
                vars: coef.initial,
                rung: m.initial_rung,
                talks_active: m.initial_talks_active,
                incident: false,
                step: 1,
                ceasefire: false,
                interim: false,
            },
            WorldState {
                vars: tense,
                rung: 3,
                talks_active: false,
                incident: true,
                step: 5,
                ceasefire: false,
                interim: false,
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
            let c = runner.choose(coef, i, u, state.view());
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

    /// The masked preconditions open the same moves as walking every
    /// action's conditions, in states across every rung, flag and variable
    /// range.
    #[test]
    fn masked_preconditions_open_what_the_walk_opens() {
        let m = model("scenarios/muscat-2026.toml");
        let coef = m.base_coefficients();
        let mut masked = TrialRunner::new(&m, 0);
        assert!(masked.preconditions.is_some());
        let mut walked = TrialRunner::new(&m, 0);
        walked.preconditions = None;
        let mut rng = Streams::new(3).generator(0, purpose_id("test"));
        let (mut closed, mut open) = (0, 0);
        for k in 0..20_000u32 {
            let mut vars = coef.initial;
            for (v, (&lo, &hi)) in vars.iter_mut().zip(coef.var_low.iter().zip(&coef.var_high)) {
                let u: f64 = rng.random();
                *v = if hi.is_finite() && lo.is_finite() {
                    lo + u * (hi - lo)
                } else {
                    *v * 2.0 * u
                };
            }
            let state = WorldState {
                vars,
                rung: (k % 7) as u8,
                talks_active: k % 2 == 0,
                incident: k % 3 == 0,
                step: 1 + k % 60,
                ceasefire: k % 5 == 0,
                interim: k % 11 == 0,
            };
            masked.set_open(&state.view());
            walked.set_open(&state.view());
            assert_eq!(masked.move_open, walked.move_open, "{state:?}");
            closed += masked.move_open.iter().filter(|&&o| !o).count();
            open += masked.move_open.iter().filter(|&&o| o).count();
        }
        assert!(
            closed > 0 && open > 0,
            "the states open some moves and close others"
        );
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
