//! The event language: every clause form, moments through the calendar,
//! errors with their ranges and hints, and the tracker on hand-made trials.

use super::compile::{Pred, Source, StepTest, Steps, Test};
use super::*;
use crate::observe::{StepView, TrialObserver, TrialRecord};
use crate::world::{MAX_MILESTONES, N_VARS, Outcome};

fn baseline() -> Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/muscat-2026.toml");
    let (s, _) = crate::scenario::load(&path).expect("the baseline loads");
    Model::compile(&s)
}

fn one(text: &str, m: &Model) -> compile::Clause {
    let e = event(text, m).unwrap_or_else(|e| panic!("{text}: {}", e.pointed(text)));
    assert_eq!(e.clauses.len(), 1, "{text}");
    e.clauses[0]
}

fn error(text: &str, m: &Model) -> EventError {
    event(text, m).expect_err(text)
}

#[test]
fn milestone_clauses_resolve_names_and_dates() {
    let m = baseline();
    // Weekly from 2026-02-07: 2026-03-31 is 52 days on, in week 8 (ends 03-28 at step 7).
    assert_eq!(
        one("first_strike by 2026-03-31", &m).test,
        Test::Milestone(Source::FirstStrike, StepTest::By(7))
    );
    assert_eq!(
        one("First_Strike BY 2026-03-28", &m).test,
        Test::Milestone(Source::FirstStrike, StepTest::By(7))
    );
    // Before a step boundary's date: strictly earlier steps.
    assert_eq!(
        one("deal before 2026-03-28", &m).test,
        Test::Milestone(Source::Milestone(5), StepTest::By(6))
    );
    assert_eq!(
        one("deal before 2026-03-29", &m).test,
        Test::Milestone(Source::Milestone(5), StepTest::By(7))
    );
    assert_eq!(
        one("war_start before week 10", &m).test,
        Test::Milestone(Source::Milestone(1), StepTest::By(9))
    );
    assert_eq!(
        one("deal by step 30", &m).test,
        Test::Milestone(Source::Milestone(5), StepTest::By(30))
    );
    assert_eq!(
        one("ceasefire at step 4", &m).test,
        Test::State(Pred::Ceasefire, Steps::At(4))
    );
    assert_eq!(
        one("interim after day 14", &m).test,
        Test::Milestone(Source::Milestone(4), StepTest::After(2))
    );
    assert_eq!(
        one("deal", &m).test,
        Test::Milestone(Source::Milestone(5), StepTest::By(52))
    );
    assert_eq!(
        one("breakout by step 3", &m).test,
        Test::Milestone(Source::Breakout, StepTest::By(3))
    );
    assert_eq!(
        one("deal before step 0", &m).test,
        Test::Milestone(Source::Milestone(5), StepTest::Never)
    );
    let us = m
        .milestones
        .iter()
        .position(|x| x.column(&m.actors) == "first_strike_us_step")
        .unwrap();
    assert_eq!(
        one("first_strike_us <= 8", &m).test,
        Test::Milestone(Source::Milestone(us), StepTest::Cmp(parse::Cmp::Le, 8.0))
    );
    assert_eq!(
        one("first_strike_step == 3", &m).test,
        Test::Milestone(Source::FirstStrike, StepTest::Cmp(parse::Cmp::Eq, 3.0))
    );
    let e = event("first_strike_step == 3", &m).unwrap();
    assert_eq!(e.last_step, 3);
    assert_eq!(event("deal by 2026-12-31", &m).unwrap().last_step, 46);
}

#[test]
fn state_clauses_and_windows() {
    let m = baseline();
    let hormuz = m
        .vars
        .iter()
        .position(|v| v.name == "hormuz_shipping")
        .unwrap();
    assert_eq!(
        one("rung >= 4 by step 3", &m).test,
        Test::State(Pred::Rung(parse::Cmp::Ge, 4), Steps::By(3))
    );
    assert_eq!(
        one("talks suspended at step 5", &m).test,
        Test::State(Pred::Talks(false), Steps::At(5))
    );
    assert_eq!(
        one("talks active", &m).test,
        Test::State(Pred::Talks(true), Steps::By(52))
    );
    assert_eq!(
        one("war for 8 weeks", &m).test,
        Test::State(Pred::War, Steps::For { n: 8, by: 52 })
    );
    assert_eq!(
        one("war for 10 days by week 20", &m).test,
        Test::State(Pred::War, Steps::For { n: 2, by: 20 })
    );
    assert_eq!(
        one("hormuz_shipping <= 0.2 for 1 week", &m).test,
        Test::State(
            Pred::Var(hormuz, parse::Cmp::Le, 0.2),
            Steps::For { n: 1, by: 52 }
        )
    );
    assert_eq!(
        one("ceasefire for 2 steps", &m).test,
        Test::State(Pred::Ceasefire, Steps::For { n: 2, by: 52 })
    );
    assert_eq!(
        one("trust < -0.5 at 2026-02-07", &m).test,
        Test::State(Pred::Var(0, parse::Cmp::Lt, -0.5), Steps::At(0))
    );
    let e = event("not deal by 2026-12-31 and rung != 0 at step 2 and war", &m).unwrap();
    assert_eq!(e.clauses.len(), 3);
    assert!(e.clauses[0].negated && !e.clauses[1].negated);
    assert_eq!(e.last_step, 52);
}

#[test]
fn errors_point_at_the_problem_with_a_hint() {
    let m = baseline();
    let text = "deal by 2026-13-01";
    let e = error(text, &m);
    assert_eq!(&text[e.span.clone()], "2026-13-01");
    assert!(e.message.contains("month 13"), "{}", e.message);
    let e = error("frist_strike by step 3", &m);
    assert_eq!(e.span, 0..12);
    assert_eq!(e.hint, "did you mean `first_strike`?");
    let e = error("hormuz_shiping <= 0.2", &m);
    assert_eq!(e.hint, "did you mean `hormuz_shipping`?");
    let e = error("us by step 3", &m);
    assert!(e.hint.contains("first_strike_us"), "{}", e.hint);
    let e = error("deal by 2026-01-01", &m);
    assert_eq!(e.span, 8..18);
    assert!(e.message.contains("before the scenario's start"));
    assert!(e.hint.contains("2027-02-06"), "{}", e.hint);
    let e = error("deal by 2028-01-01", &m);
    assert!(e.message.contains("past the horizon"));
    let e = error("deal by step 53", &m);
    assert_eq!(e.span, 8..15);
    let e = error("deal or war", &m);
    assert_eq!(e.span, 5..7);
    let e = error("rung = 4", &m);
    assert!(e.hint.contains("=="));
    let e = error("rung >= 9", &m);
    assert!(e.hint.contains("0 (calm) to 5"));
    let e = error("trust by step 3", &m);
    assert!(e.message.contains("needs a comparison"));
    let e = error("deal for 3 weeks", &m);
    assert!(e.hint.contains("`for` follows a state"));
    let e = error("war for 3 fortnights", &m);
    assert_eq!(e.span, 10..20);
    let e = error("first_strike_step == 2.5", &m);
    assert!(e.message.contains("whole numbers"));
    let e = error("talks open", &m);
    assert_eq!(e.span, 6..10);
    assert!(error("", &m).message.contains("empty"));
    let e = error("deal by step 3 by step 4", &m);
    assert_eq!(e.span, 15..17);
    let e = error("war for 60 weeks", &m);
    assert!(e.message.contains("cannot end"));
    assert_eq!(
        e.pointed("war for 60 weeks"),
        "war for 60 weeks\n        ^^^^^^^^ a run of 60 steps cannot end by step 52"
    );
}

#[test]
fn moments_need_a_calendar() {
    let mut m = baseline();
    m.calendar = None;
    let e = error("deal by 2026-03-01", &m);
    assert!(e.message.contains("start date"));
    // Week and day still convert through the step's name.
    assert_eq!(
        one("deal by week 3", &m).test,
        Test::Milestone(Source::Milestone(5), StepTest::By(3))
    );
    m.step_label = "round".into();
    assert!(
        error("deal by week 3", &m)
            .message
            .contains("length of a step")
    );
    assert!(event("deal by step 3", &m).is_ok());
}

/// Feeds a tracker a trial of `states` (rung, war) at steps 0..len and a
/// record with the given first strike.
fn track(set: &EventSet, states: &[(u8, bool)], first_strike: Option<u32>) -> Vec<bool> {
    let vars = [0.0; N_VARS];
    let mut t = set.tracker();
    for (step, &(rung, war)) in states.iter().enumerate() {
        let v = StepView {
            step: step as u32,
            rung,
            rung_after_actions: rung,
            talks_active: true,
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
            ceasefire: false,
            war_open: war,
            interim: false,
            deal: false,
            positions: &[],
            reservations: &[],
        };
        if step == 0 {
            t.on_start(&v);
        } else {
            t.on_step(&v);
        }
    }
    t.on_end(&TrialRecord {
        trial: 0,
        outcome: Outcome::Standoff,
        outcome_step: states.len() as u32 - 1,
        max_rung: 0,
        escalation_total: 0,
        first_strike_step: first_strike,
        breakout_step: None,
        incidents: 0,
        steps: states.len() as u32 - 1,
        final_rung: 0,
        talks_active: true,
        final_vars: vars,
        n_vars: 0,
        milestones: [None; MAX_MILESTONES],
        n_milestones: 0,
    });
    (0..set.len()).map(|k| t.holds(k)).collect()
}

#[test]
fn the_tracker_keeps_the_last_state_of_a_trial_that_ended_early() {
    let mut m = baseline();
    m.horizon = 10;
    let texts = [
        "war for 3 steps",
        "war for 3 steps by step 4",
        "rung >= 4 at step 9",
        "rung >= 4 by step 1",
        "not rung >= 4 by step 1",
        "first_strike_step == 2",
        "first_strike by step 1",
        "war at step 0",
    ];
    let events: Vec<Event> = texts.iter().map(|t| event(t, &m).unwrap()).collect();
    let set = EventSet::new(events, m.horizon);
    // At war from step 2, ended at step 3: steps 4..=10 keep the war.
    let ended = track(
        &set,
        &[(0, false), (3, false), (5, true), (5, true)],
        Some(2),
    );
    assert_eq!(ended, [true, true, true, false, true, true, false, false]);
    // The same trial run to the horizon with the war over at step 4.
    let mut states = vec![(0, false), (3, false), (5, true), (5, true), (2, false)];
    states.resize(11, (2, false));
    let full = track(&set, &states, Some(2));
    assert_eq!(full, [false, false, false, false, true, true, false, false]);
    // The tracker forgets the previous trial.
    let calm = track(&set, &[(0, false); 11], None);
    assert_eq!(
        calm,
        [false, false, false, false, true, false, false, false]
    );
    let at_war = track(&set, &[(5, true); 5], Some(0));
    assert_eq!(at_war, [true, true, true, true, false, false, true, true]);
}
