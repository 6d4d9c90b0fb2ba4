//! The model-2 fields read from a file: values, defaults, resolved
//! references and parameter paths.

use std::path::Path;

use crate::scenario::{Diagnostics, EventKind, Scenario, load_str};
use crate::world::{Outcome, Subject, Var};

const ALL: &str = include_str!("../../../tests/fixtures/valid/model2-all-fields.toml");
const MINIMAL: &str = include_str!("../../../tests/fixtures/valid/minimal.toml");

fn load(text: &str) -> Result<(Scenario, Diagnostics), Diagnostics> {
    load_str(Path::new("x.toml"), text)
}

fn errors(text: &str) -> String {
    match load(text) {
        Ok((_, d)) => panic!("accepted; warnings: {d}"),
        Err(d) => d.to_string(),
    }
}

#[test]
fn every_model2_field_is_read() {
    let (s, d) = load(ALL).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(d.to_string(), "", "no warnings");
    let names: Vec<&str> = s.vars.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names[6..], ["hormuz_shipping", "war_cost_us", "impatience"]);
    assert_eq!(s.vars[7].high, 10.0);
    assert_eq!(s.initial.vars.len(), 9);
    assert_eq!(s.initial.vars[6].path, "variables.hormuz_shipping.initial");
    assert!(s.initial.vars[6].dist.is_some());
    assert_eq!(s.initial.vars[8].value, 0.1);
    assert!(s.absorbing.deal && !s.absorbing.war);
    assert_eq!((s.war.ceasefire_rung, s.war.holds_after), (2, 3));
    assert_eq!(s.war.collapse.path, "war.collapse");

    let action = |id: &str| s.actions.iter().find(|a| a.id == id).unwrap();
    assert_eq!(action("strike").targets, vec![1]);
    assert!(action("accept_ceasefire").ceasefire);
    assert_eq!(action("mediate").broker.value, 0.3);
    assert_eq!(action("sanction").pressure.value, 0.02);
    // A single concession applies to every issue, each under its own path.
    let offer: Vec<(usize, &str, f64)> = action("offer")
        .concede
        .iter()
        .map(|(k, p)| (*k, p.path.as_str(), p.value))
        .collect();
    assert_eq!(
        offer,
        [
            (0, "actions.offer.concede.enrichment", 0.03),
            (1, "actions.offer.concede.relief", 0.03)
        ]
    );

    let us = &s.actors[0];
    let own = |l: usize| s.actions[us.actions[l]].id.as_str();
    assert_eq!(
        us.reactions.iter().map(|&l| own(l)).collect::<Vec<_>>(),
        ["strike"]
    );
    assert_eq!(us.incentives.len(), 2);
    // In variable-name order: impatience, then us_posture.
    let (var, local, p) = &us.incentives[0];
    assert_eq!((*var, own(*local)), (Var(8), "strike"));
    assert_eq!(p.path, "actors.us.incentives.impatience.strike");
    assert_eq!(s.actors[1].reactions.len(), 2);

    let adds: Vec<bool> = s
        .events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Force { add, .. } => Some(add),
            EventKind::Set(_) => None,
        })
        .collect();
    assert_eq!(adds, [true, false]);

    let b = s.bargaining.as_ref().unwrap();
    assert_eq!(b.parties, [0, 1]);
    assert!(b.back_channel);
    assert!(b.issues[0].interim && !b.issues[1].interim);
    let p = &b.issues[0].positions;
    assert!(!p[0].wants_high && p[1].wants_high);
    assert_eq!(
        p[1].reservation.path,
        "bargaining.issues.enrichment.iran.reservation"
    );

    let d = &s.deadlines[0];
    assert_eq!((d.step, d.set_by, d.lead, d.fade), (8, 0, 4, 6));
    assert_eq!(d.before.len(), 2);
    assert_eq!(d.after[0].2.path, "deadlines.ultimatum.after.us.strike");
    assert_eq!(d.unless.unwrap().subject, Subject::Interim);

    assert_eq!(s.drifts.len(), 2);
    assert_eq!(s.drifts[1].scale, Some(Var::US_POSTURE));
    assert_eq!(s.drifts[1].when.len(), 2);
    assert_eq!(
        s.drifts[0].effects[0].1.path,
        "drifts.1.effects.war_cost_us"
    );

    assert_eq!(b.close_base.path, "bargaining.close_base");
    assert_eq!(b.war_softening.path, "bargaining.war_softening");
    assert_eq!(action("mediate").broker.path, "actions.mediate.broker");
    assert_eq!(
        d.before[0].2.path,
        "deadlines.ultimatum.before.iran.negotiate"
    );
}

#[test]
fn defaults_run_every_trial_to_the_horizon() {
    let text = MINIMAL.replace("absorbing = [\"deal\", \"war\"]\n", "");
    let (s, _) = load(&text).unwrap_or_else(|d| panic!("{d}"));
    assert!(!s.absorbing.deal && !s.absorbing.war);
    assert_eq!((s.war.ceasefire_rung, s.war.holds_after), (3, 4));
    assert_eq!(s.war.collapse.value, 0.0);
    assert!(s.bargaining.is_none() && s.deadlines.is_empty() && s.drifts.is_empty());
    assert!(
        s.actions
            .iter()
            .all(|a| a.targets.is_empty() && !a.ceasefire)
    );
}

#[test]
fn concessions_need_bargaining_and_a_certain_single_number() {
    let text = MINIMAL.replace("id = \"hold\"\n", "id = \"hold\"\nconcede = 0.1\n");
    let e = errors(&text);
    assert!(e.contains("the scenario has no `[bargaining]`"), "{e}");
    let text = ALL.replace(
        "concede = 0.03",
        "concede = { dist = \"uniform\", low = 0.0, high = 0.1 }",
    );
    let e = errors(&text);
    assert!(e.contains("cannot be uncertain"), "{e}");
    assert!(e.contains("x.toml:"), "located: {e}");
}

#[test]
fn bargaining_warns_about_progress_effects() {
    let text = ALL.replace(
        "effects = { trust = 0.01 }",
        "effects = { trust = 0.01, talks_progress = 0.05 }",
    );
    let (_, d) = load(&text).unwrap_or_else(|d| panic!("{d}"));
    assert!(d.to_string().contains("changes `talks_progress`"), "{d}");
}

#[test]
fn declared_variables_work_in_conditions_and_events() {
    let text = ALL.replace(
        "requires = [\"rung >= 1\"]",
        "requires = [\"rung >= 1\", \"hormuz_shipping < 0.95\"]",
    );
    let (s, _) = load(&text).unwrap_or_else(|d| panic!("{d}"));
    let strike = s.actions.iter().find(|a| a.id == "strike").unwrap();
    assert_eq!(strike.requires[1].subject, Subject::Var(Var(6)));
    // Values set by events stay within the variable's own range.
    let text = ALL.replace(
        "set = { hormuz_shipping = 0.9 }",
        "set = { war_cost_us = 5.0 }",
    );
    assert!(load(&text).is_ok());
    let text = ALL.replace(
        "set = { hormuz_shipping = 0.9 }",
        "set = { hormuz_shipping = 5.0 }",
    );
    assert!(errors(&text).contains("events.3.set.hormuz_shipping"));
}

#[test]
fn too_many_principals_are_refused() {
    let mut text = ALL.to_string();
    for k in 0..9 {
        text.push_str(&format!(
            "\n[[actors]]\nid = \"p{k}\"\nrole = \"principal\"\nactions = [\"hold\"]\n"
        ));
    }
    let e = errors(&text);
    assert!(e.contains("11 principals; at most 10"), "{e}");
}

#[test]
fn wars_that_cannot_end_are_reported() {
    // No action agrees to a ceasefire, and no concession can make a deal.
    let text = ALL
        .replace("ceasefire = true\n", "")
        .replace("concede = { enrichment = 0.05, relief = { dist = \"triangular\", low = 0.0, mode = 0.02, high = 0.05 } }\n", "")
        .replace("concede = 0.03\n", "")
        .replace("pressure = 0.02\n", "")
        .replace("pressure = { dist = \"uniform\", low = 0.0, high = 0.05 }\n", "")
        .replace("war_softening = 0.02\n", "");
    let (s, d) = load(&text).unwrap_or_else(|d| panic!("{d}"));
    let gone: Vec<Outcome> = crate::scenario::reachability::unreachable_outcomes(&s)
        .into_iter()
        .map(|u| u.outcome)
        .collect();
    assert_eq!(
        gone,
        [Outcome::Deal, Outcome::WarThenSettlement, Outcome::WarEnded]
    );
    assert!(
        d.to_string().contains("outcome `war_ended` cannot occur"),
        "{d}"
    );
    // Wars declared absorbing: reported by the analysis, but not warned about.
    let text = ALL.replace("absorbing = [\"deal\"]", "absorbing = [\"deal\", \"war\"]");
    let (s, d) = load(&text).unwrap_or_else(|d| panic!("{d}"));
    let gone: Vec<Outcome> = crate::scenario::reachability::unreachable_outcomes(&s)
        .into_iter()
        .map(|u| u.outcome)
        .collect();
    assert_eq!(gone, [Outcome::WarThenSettlement, Outcome::WarEnded]);
    assert_eq!(d.to_string(), "");
}

/// A deadline given by date passes in the step whose days hold the date.
#[test]
fn deadlines_may_be_dated() {
    let with = |run: &str, deadline: &str| {
        MINIMAL.replace(
            "[run]\nhorizon = 20\n",
            &format!("[run]\nhorizon = 20\n{run}"),
        ) + &format!(
            "\n[[deadlines]]\nid = \"d\"\nset_by = \"us\"\n{deadline}after = {{ \"us.strike\" = 1.0 }}\n"
        )
    };
    let weekly = "start = \"2026-02-07\"\nstep = \"week\"\n";
    for (date, step) in [
        ("2026-04-04", 8),
        ("2026-03-29", 8),
        ("2026-03-28", 7),
        ("2026-02-08", 1),
    ] {
        let (s, _) =
            load(&with(weekly, &format!("date = \"{date}\"\n"))).unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(s.deadlines[0].step, step, "{date}");
    }
    let e = errors(&with("", "date = \"2026-04-04\"\n"));
    assert!(
        e.contains("steps have no dates") && e.contains("start"),
        "{e}"
    );
    let e = errors(&with(weekly, "date = \"2027-04-04\"\n"));
    assert!(e.contains("outside the scenario's steps"), "{e}");
    let e = errors(&with(weekly, "date = \"2026-02-07\"\n"));
    assert!(e.contains("outside the scenario's steps"), "{e}");
    let e = errors(&with(weekly, "step = 3\ndate = \"2026-03-01\"\n"));
    assert!(e.contains("both a `step` and a `date`"), "{e}");
    let e = errors(&with(weekly, ""));
    assert!(e.contains("neither a `step` nor a `date`"), "{e}");
}

/// `joins` names other actors, and needs reactions to join with.
#[test]
fn joins_name_allies_and_need_reactions() {
    let (s, _) = load(ALL).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(s.actors[0].joins, [1]);
    let with = |fields: &str| {
        MINIMAL.replace(
            "id = \"us\"\nrole = \"principal\"\n",
            &format!("id = \"us\"\nrole = \"principal\"\n{fields}"),
        )
    };
    let e = errors(&with("joins = [\"us\"]\nreactions = [\"hold\"]\n"));
    assert!(e.contains("cannot join itself"), "{e}");
    let e = errors(&with("joins = [\"irn\"]\nreactions = [\"hold\"]\n"));
    assert!(
        e.contains("unknown actor `irn`") && e.contains("iran"),
        "{e}"
    );
    let e = errors(&with("joins = [\"iran\"]\n"));
    assert!(e.contains("no `reactions`"), "{e}");
}
