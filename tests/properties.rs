//! Properties of the engine over random valid scenarios: choice
//! probabilities sum to one, the state stays within its bounds, absorbing
//! outcomes end the trial, and a trial's result depends only on (scenario,
//! seed, trial index).

use std::fmt::Write;
use std::path::Path;

use brink::engine::{
    ParamSpace, ParameterDraws, RecordSink, RunPlan, StepView, TrialObserver, TrialRecord,
    TrialRunner, WorldState, simulate,
};
use brink::model::Model;
use brink::scenario::{Scenario, load_str};
use brink::world::{N_BUILTIN_VARS, N_VARS, Outcome, RUNG_WAR, Var};
use proptest::prelude::*;

const ESCALATION: [i64; 6] = [-2, 0, 4, 12, 28, 60];
const CONDITIONS: [&str; 8] = [
    "talks_active",
    "not talks_active",
    "rung >= 2",
    "rung <= 3",
    "incident",
    "trust < 0.5",
    "stockpile > 100",
    "step > 3",
];

#[derive(Debug, Clone)]
struct ActionSpec {
    escalation: i64,
    effects: Vec<(usize, f64)>,
    rung: (i64, i64),
    talks: u8,
    requires: Option<usize>,
    restraint: f64,
    cost: f64,
}

#[derive(Debug, Clone)]
struct ActorSpec {
    fixed: bool,
    actions: Vec<usize>,
    weights: Vec<f64>,
    rationality: f64,
    reciprocity: f64,
    risk_aversion: f64,
    distrust: f64,
    preferences: Vec<(usize, f64)>,
    red_line: Option<(usize, f64)>,
}

fn action_spec() -> impl Strategy<Value = ActionSpec> {
    (
        prop::sample::select(&ESCALATION[..]),
        prop::collection::vec((0..N_BUILTIN_VARS, -0.3..0.3f64), 0..3),
        prop_oneof![Just((0i64, 0i64)), (-2..=2i64, 0..=5i64)],
        0..3u8,
        prop::option::of(0..CONDITIONS.len()),
        0.0..=1.0f64,
        -1.0..1.0f64,
    )
        .prop_map(
            |(escalation, effects, rung, talks, requires, restraint, cost)| ActionSpec {
                escalation,
                effects,
                rung,
                talks,
                requires,
                restraint,
                cost,
            },
        )
}

fn actor_spec(n_actions: usize) -> impl Strategy<Value = ActorSpec> {
    (
        any::<bool>(),
        prop::sample::subsequence((0..n_actions).collect::<Vec<_>>(), 1..=n_actions),
        prop::collection::vec(0.01..1.0f64, n_actions),
        0.0..5.0f64,
        -2.0..2.0f64,
        0.0..3.0f64,
        -1.0..1.0f64,
        prop::collection::vec((0..N_BUILTIN_VARS + 1, -5.0..5.0f64), 0..4),
        prop::option::of((0..CONDITIONS.len(), -3.0..3.0f64)),
    )
        .prop_map(
            |(
                fixed,
                actions,
                weights,
                rationality,
                reciprocity,
                risk_aversion,
                distrust,
                preferences,
                red_line,
            )| ActorSpec {
                fixed,
                actions,
                weights,
                rationality,
                reciprocity,
                risk_aversion,
                distrust,
                preferences,
                red_line,
            },
        )
}

/// The text of a random valid scenario.
fn scenario_text() -> impl Strategy<Value = String> {
    (1usize..6)
        .prop_flat_map(|n_actions| {
            (
                prop::collection::vec(action_spec(), n_actions),
                prop::collection::vec(actor_spec(n_actions), 1..4),
                (0..=4u8, any::<bool>(), prop::array::uniform6(0.0..=1.0f64)),
                (0.0..0.3f64, 0.0..0.1f64, 0..=5u8, 0.0..0.2f64),
                (1u32..40, 0.3..=1.0f64, 50.0..700.0f64),
            )
        })
        .prop_map(|(actions, actors, initial, incidents, run)| {
            render(&actions, &actors, initial, incidents, run)
        })
}

fn render(
    actions: &[ActionSpec],
    actors: &[ActorSpec],
    (rung, talks, vars): (u8, bool, [f64; 6]),
    (base, per_rung, max_rung, trust_loss): (f64, f64, u8, f64),
    (horizon, deal, breakout): (u32, f64, f64),
) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "[scenario]\nname = \"random\"\n\n[run]\nhorizon = {horizon}\n\n[initial]\nrung = {rung}\ntalks_active = {talks}\n"
    );
    for (k, var) in Var::BUILTIN.iter().enumerate() {
        let v = if *var == Var::STOCKPILE {
            vars[k] * 600.0
        } else {
            vars[k]
        };
        let _ = writeln!(s, "{} = {v:?}", Var::BUILTIN_NAMES[var.index()]);
    }
    let _ = write!(
        s,
        "\n[outcomes]\nabsorbing = [\"deal\", \"war\"]\ndeal_progress = {deal:?}\nbreakout_stockpile = {breakout:?}\n\n\
         [incidents]\nbase = {base:?}\nper_rung = {per_rung:?}\nmax_rung = {max_rung}\ntrust_loss = {trust_loss:?}\n\
         weights = {{ us_posture = 0.05, iran_readiness = 0.05 }}\n"
    );
    for (i, a) in actions.iter().enumerate() {
        let _ = write!(
            s,
            "\n[[actions]]\nid = \"a{i}\"\nescalation = {}\nrestraint = {:?}\ncost = {:?}\n",
            a.escalation, a.restraint, a.cost
        );
        if !a.effects.is_empty() {
            let effects: Vec<String> = dedup(&a.effects)
                .iter()
                .map(|(k, v)| {
                    let scale = if Var::BUILTIN[*k] == Var::STOCKPILE {
                        50.0
                    } else {
                        1.0
                    };
                    format!("{} = {:?}", Var::BUILTIN_NAMES[*k], v * scale)
                })
                .collect();
            let _ = writeln!(s, "effects = {{ {} }}", effects.join(", "));
        }
        let _ = writeln!(
            s,
            "rung_change = {}\nrung_at_least = {}",
            a.rung.0, a.rung.1
        );
        match a.talks {
            1 => s.push_str("talks = \"suspend\"\n"),
            2 => s.push_str("talks = \"resume\"\n"),
            _ => {}
        }
        if let Some(c) = a.requires {
            let _ = writeln!(s, "requires = [\"{}\"]", CONDITIONS[c]);
        }
    }
    for (i, a) in actors.iter().enumerate() {
        let names: Vec<String> = a.actions.iter().map(|k| format!("\"a{k}\"")).collect();
        let _ = write!(
            s,
            "\n[[actors]]\nid = \"p{i}\"\nrole = \"principal\"\nactions = [{}]\n",
            names.join(", ")
        );
        let others: Vec<String> = (0..actors.len())
            .filter(|&j| j != i)
            .map(|j| format!("\"p{j}\""))
            .collect();
        let _ = writeln!(s, "responds_to = [{}]", others.join(", "));
        if a.fixed {
            // Probabilities that sum to one up to rounding: the last takes the rest.
            let w: Vec<f64> = a.actions.iter().map(|&k| a.weights[k]).collect();
            let total: f64 = w.iter().sum();
            let mut p: Vec<f64> = w.iter().map(|x| x / total).collect();
            let last = p.len() - 1;
            p[last] = 1.0 - p[..last].iter().sum::<f64>();
            let probs: Vec<String> = a
                .actions
                .iter()
                .zip(&p)
                .map(|(k, p)| format!("a{k} = {:?}", p.max(0.0)))
                .collect();
            let _ = writeln!(
                s,
                "policy = \"fixed\"\nprobabilities = {{ {} }}",
                probs.join(", ")
            );
        } else {
            let _ = writeln!(
                s,
                "rationality = {:?}\nreciprocity = {:?}\nrisk_aversion = {:?}\ndistrust = {:?}",
                a.rationality, a.reciprocity, a.risk_aversion, a.distrust
            );
            if !a.preferences.is_empty() {
                let prefs: Vec<String> = dedup(&a.preferences)
                    .iter()
                    .map(|(k, v)| {
                        let name = Var::BUILTIN_NAMES.get(*k).copied().unwrap_or("rung");
                        format!("{name} = {v:?}")
                    })
                    .collect();
                let _ = writeln!(s, "preferences = {{ {} }}", prefs.join(", "));
            }
            if let Some((c, bonus)) = a.red_line {
                let _ = write!(
                    s,
                    "[[actors.red_lines]]\nwhen = \"{}\"\nfavour = {{ a{} = {bonus:?} }}\n",
                    CONDITIONS[c], a.actions[0]
                );
            }
        }
    }
    s
}

/// First value of each key, in key order.
fn dedup(pairs: &[(usize, f64)]) -> Vec<(usize, f64)> {
    let mut out: Vec<(usize, f64)> = Vec::new();
    for &(k, v) in pairs {
        if !out.iter().any(|(j, _)| *j == k) {
            out.push((k, v));
        }
    }
    out
}

fn load(text: &str) -> Scenario {
    match load_str(Path::new("random.toml"), text) {
        Ok((s, _)) => s,
        Err(d) => panic!("a valid random scenario was refused:\n{d}\n{text}"),
    }
}

/// Checks every step against the model's invariants.
struct Invariants {
    horizon: u32,
    deal_progress: f64,
    steps: Vec<(u32, u8, f64)>,
    problems: Vec<String>,
}

impl Invariants {
    fn check(&mut self, v: &StepView) {
        let mut bad = |what: String| self.problems.push(format!("step {}: {what}", v.step));
        if v.rung > RUNG_WAR || v.rung_after_actions > RUNG_WAR {
            bad(format!("rung {} out of range", v.rung));
        }
        for (k, var) in Var::BUILTIN.iter().enumerate() {
            let x = v.vars[k];
            let high = if *var == Var::STOCKPILE {
                f64::INFINITY
            } else {
                1.0
            };
            if !(x.is_finite() && x >= 0.0 && x <= high) {
                bad(format!("{} = {x}", Var::BUILTIN_NAMES[k]));
            }
        }
        if !(0.0..=1.0).contains(&v.hazard) {
            bad(format!("hazard {}", v.hazard));
        }
        for c in v.choices {
            if !(c.probability > 0.0 && c.probability <= 1.0 + 1e-12) {
                bad(format!("choice probability {}", c.probability));
            }
        }
        if v.incident_held && !v.incident {
            bad("held an incident that did not happen".into());
        }
    }
}

impl TrialObserver for Invariants {
    fn on_start(&mut self, v: &StepView) {
        self.check(v);
    }
    fn on_step(&mut self, v: &StepView) {
        self.check(v);
        self.steps
            .push((v.step, v.rung, v.vars[Var::TALKS_PROGRESS.index()]));
    }
    fn on_end(&mut self, r: &TrialRecord) {
        let n = self.steps.len() as u32;
        for (k, (step, _, _)) in self.steps.iter().enumerate() {
            if *step != k as u32 + 1 {
                self.problems.push(format!("step {step} out of order"));
            }
        }
        if n != r.steps || n > self.horizon {
            self.problems
                .push(format!("{n} steps seen, record says {}", r.steps));
        }
        let last = self.steps.last().copied();
        match r.outcome {
            Outcome::Deal | Outcome::WarOngoing => {
                // Absorbed: the trial stopped at the outcome's step.
                if r.outcome_step != n {
                    self.problems.push(format!(
                        "{:?} at step {} but {n} steps were run",
                        r.outcome, r.outcome_step
                    ));
                }
                let (_, rung, progress) = last.unwrap_or((0, 0, 0.0));
                if r.outcome == Outcome::WarOngoing && rung != RUNG_WAR {
                    self.problems.push(format!("war ended at rung {rung}"));
                }
                if r.outcome == Outcome::Deal && progress < self.deal_progress {
                    self.problems.push(format!("deal at progress {progress}"));
                }
            }
            _ => {
                if n != self.horizon {
                    self.problems.push(format!(
                        "{:?} after {n} of {} steps",
                        r.outcome, self.horizon
                    ));
                }
                // No step before the end reached an absorbing state.
                if self.steps.iter().any(|(_, rung, _)| *rung == RUNG_WAR) {
                    self.problems.push("rung 5 without regional war".into());
                }
            }
        }
    }
}

/// Records and move counts, in the order received.
#[derive(Default)]
struct Collect {
    records: Vec<TrialRecord>,
    counts: Vec<Vec<u32>>,
}

impl RecordSink for Collect {
    fn record(&mut self, r: &TrialRecord, c: &[u32], _: &[f64]) -> std::io::Result<()> {
        self.records.push(*r);
        self.counts.push(c.to_vec());
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn state_stays_in_bounds_and_absorbing_outcomes_end_the_trial(
        text in scenario_text(),
        seed in any::<u64>(),
        first in 0u64..1_000_000,
    ) {
        let s = load(&text);
        let model = Model::compile(&s);
        let coef = model.base_coefficients();
        let mut runner = TrialRunner::new(&model, seed);
        let mut counts = vec![0u32; model.n_moves()];
        for trial in first..first + 20 {
            let mut inv = Invariants {
                horizon: s.horizon,
                deal_progress: s.dynamics.deal_progress.value,
                steps: Vec::new(),
                problems: Vec::new(),
            };
            counts.fill(0);
            let r = runner.run(&coef, trial, &mut counts, &mut inv);
            prop_assert!(inv.problems.is_empty(), "trial {}: {:?}\n{}", trial, inv.problems, text);
            // Each actor takes at most one action per step.
            let taken: u32 = counts.iter().sum();
            prop_assert!(taken <= r.steps * model.actors.len() as u32);
            prop_assert!(r.max_rung <= RUNG_WAR && r.final_rung <= RUNG_WAR);
        }
    }

    #[test]
    fn choice_probabilities_sum_to_one(
        text in scenario_text(),
        vars in prop::array::uniform6(0.0..=1.0f64),
        rung in 0..=5u8,
        talks in any::<bool>(),
        incident in any::<bool>(),
        step in 1u32..40,
        last_seed in any::<u64>(),
    ) {
        let s = load(&text);
        let model = Model::compile(&s);
        let coef = model.base_coefficients();
        let mut runner = TrialRunner::new(&model, 0);
        let mut state_vars = [0.0; N_VARS];
        state_vars[..vars.len()].copy_from_slice(&vars);
        state_vars[Var::STOCKPILE.index()] *= 600.0;
        let state = WorldState {
            vars: state_vars,
            rung,
            talks_active: talks,
            incident,
            step,
            ceasefire: false,
            interim: false,
        };
        // Each actor's previous move: one of its own, or none.
        let last: Vec<Option<u32>> = model
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let n = u64::from(a.moves.end - a.moves.start);
                let pick = (last_seed >> (i * 8)) % (n + 1);
                (pick < n).then(|| a.moves.start + pick as u32)
            })
            .collect();
        for (i, actor) in model.actors.iter().enumerate() {
            let p = runner.choice_probabilities(&coef, i, &state, &last);
            prop_assert_eq!(p.len(), (actor.moves.end - actor.moves.start) as usize);
            prop_assert!(p.iter().all(|x| x.is_finite() && (0.0..=1.0 + 1e-12).contains(x)), "{:?}", p);
            let total: f64 = p.iter().sum();
            let any_open = p.iter().any(|x| *x > 0.0);
            if matches!(actor.rule, brink::model::DecisionRule::Fixed { .. }) {
                prop_assert!(total <= 1.0 + 1e-9, "fixed total {}", total);
                let all_open = (actor.moves.start..actor.moves.end).all(|j| {
                    let a = &model.actions[model.moves[j as usize].action as usize];
                    model.conditions[a.requires.start as usize..a.requires.end as usize]
                        .iter()
                        .all(|c| state.satisfies(c))
                });
                if all_open {
                    prop_assert!((total - 1.0).abs() < 1e-9, "fixed total {}", total);
                }
            } else if any_open {
                prop_assert!((total - 1.0).abs() < 1e-9, "logit total {}", total);
            }
        }
    }

    #[test]
    fn a_trial_depends_only_on_scenario_seed_and_index(
        text in scenario_text(),
        seed in any::<u64>(),
        first in prop_oneof![Just(0u64), 1000u64..1100],
    ) {
        let s = load(&text);
        let model = Model::compile(&s);
        let space = ParamSpace::of(&model);
        // Across a chunk boundary (chunks hold 1024 trials).
        let n = 60;
        let mut runs = Vec::new();
        for threads in [1, 2] {
            let mut sink = Collect::default();
            let plan = RunPlan { seed, first_trial: first, trials: n, threads };
            let sim = simulate(&model, &space, plan, &mut sink, &mut |_| {}, None).unwrap();
            prop_assert!(!sim.cancelled);
            prop_assert_eq!(sim.completed, n);
            runs.push(sink);
        }
        prop_assert_eq!(&runs[0].records, &runs[1].records);
        prop_assert_eq!(&runs[0].counts, &runs[1].counts);
        // Each trial alone, on a fresh runner, in reverse order.
        for k in (0..n as usize).rev() {
            let trial = first + k as u64;
            let mut runner = TrialRunner::new(&model, seed);
            let mut draws = ParameterDraws::new(&model, &space, seed);
            let mut counts = vec![0u32; model.n_moves()];
            let alone = runner.run(draws.coefficients(trial), trial, &mut counts, &mut ());
            prop_assert_eq!(alone, runs[0].records[k]);
            prop_assert_eq!(&counts, &runs[0].counts[k]);
        }
    }
}
