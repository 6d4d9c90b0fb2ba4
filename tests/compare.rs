//! `brink compare` end to end: paired differences against closed-form
//! answers, the shipped alternatives, reproducibility across thread counts,
//! and the command line.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use brink::compare::{Comparison, run_comparison};
use brink::jobs::compare::{CompareOptions, compare};
use brink::jobs::{Cancel, JobRun};
use brink::scenario::{Scenario, load};
use brink::stats::precision::Precision;
use brink::world::Outcome;
use predicates::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scenario(rel: &str) -> Scenario {
    let path = root().join(rel);
    load(&path)
        .unwrap_or_else(|d| panic!("{}: {d}", path.display()))
        .0
}

fn shipped(name: &str) -> Scenario {
    scenario(&format!("scenarios/{name}.toml"))
}

fn run(scenarios: &[Scenario], seed: u64, trials: u64, threads: usize) -> Comparison {
    let (c, cancelled) =
        run_comparison(scenarios, seed, trials, threads, None, &mut |_| {}, None).unwrap();
    assert!(!cancelled);
    c
}

const ALTERNATIVES: [&str; 4] = [
    "sanctions-pause",
    "no-oman",
    "second-carrier",
    "stockpile-deal",
];

#[test]
fn every_shipped_scenario_loads_without_warnings() {
    let mut names = Vec::new();
    for entry in fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let (s, warnings) = load(&path).unwrap_or_else(|d| panic!("{d}"));
            assert!(warnings.is_empty(), "{}: {warnings}", path.display());
            names.push(s.name);
        }
    }
    names.sort();
    let mut expected = vec!["muscat-2026"];
    expected.extend(ALTERNATIVES);
    expected.sort();
    assert_eq!(names, expected);
}

#[test]
fn a_scenario_compared_with_itself_differs_by_exactly_zero() {
    let base = shipped("muscat-2026");
    let c = run(&[base.clone(), base], 3, 3000, 2);
    let d = &c.differences[0];
    for (o, x) in d.outcomes.iter().enumerate() {
        assert_eq!(x.difference, 0.0, "{}", x.outcome);
        assert_eq!(x.ci95, [0.0, 0.0], "{}", x.outcome);
        assert!(!x.excludes_zero);
        assert_eq!((x.baseline_only, x.scenario_only), (0, 0));
        assert_eq!(x.paired_variance, 0.0);
        assert_eq!(c.scenarios[0].outcomes[o], c.scenarios[1].outcomes[o]);
    }
    // Every pair lies on the diagonal of the joint table.
    let rows = d.joint.rows();
    for (a, row) in rows.iter() {
        for (b, &n) in row.iter() {
            assert!(a == b || n == 0);
        }
    }
    assert_eq!(d.joint.total(), 3000);
    let e = &d.escalation;
    assert_eq!((e.difference, e.ci95), (0.0, [0.0, 0.0]));
    assert_eq!(e.baseline_mean, e.mean);
    assert!(!e.excludes_zero && e.variance_reduction.is_none());
}

/// P(regional war) of the ladder fixtures: gambler's ruin from rung 2 to 5.
fn ladder_war(up: f64, down: f64) -> f64 {
    if up == down {
        return 2.0 / 5.0;
    }
    let r = down / up;
    (1.0 - r.powi(2)) / (1.0 - r.powi(5))
}

/// Expected summed escalation score of a ladder fixture. The walker scores
/// +4 up, -2 down, 0 holding. It moves until absorbed at rung 0 or 5 (time
/// tau); after reaching 0 one more step follows, in which the broker settles
/// (-2) and the walker moves once more. By Wald's identity the walker's
/// scores up to tau add to E[tau] (4u - 2d), so the total is
/// E[tau] (4u - 2d) + P(deal) (4u - 2d - 2).
fn ladder_escalation(up: f64, down: f64) -> f64 {
    let (i, n) = (2.0, 5.0);
    let (p, q) = (up / (up + down), down / (up + down));
    // Expected number of moves of the gambler's ruin without holds.
    let moves = if up == down {
        i * (n - i)
    } else {
        let r: f64 = q / p;
        i / (q - p) - n / (q - p) * (1.0 - r.powf(i)) / (1.0 - r.powf(n))
    };
    let tau = moves / (up + down);
    let per_step = 4.0 * up - 2.0 * down;
    let deal = 1.0 - ladder_war(up, down);
    tau * per_step + deal * (per_step - 2.0)
}

#[test]
fn fixed_policy_chains_match_their_closed_form() {
    let even = scenario("tests/fixtures/valid/ladder-even.toml");
    let up = scenario("tests/fixtures/valid/ladder-up.toml");
    let true_even = ladder_war(0.3, 0.3);
    let true_up = ladder_war(0.35, 0.25);
    let true_diff = true_up - true_even;
    assert!((true_diff - 0.2016).abs() < 1e-4);

    // One large run: the point estimates and every interval cover the truth.
    let c = run(&[even.clone(), up.clone()], 1, 4000, 2);
    for (k, p) in [(0, true_even), (1, true_up)] {
        let war = c.share(k, Outcome::WarOngoing);
        assert!(war.ci95[0] <= p && p <= war.ci95[1], "{k}: {war:?} vs {p}");
        let deal = c.share(k, Outcome::Deal);
        assert_eq!(
            deal.count + war.count,
            4000,
            "every trial ends in deal or war"
        );
    }
    let war = c.difference(1, Outcome::WarOngoing).unwrap();
    assert!(
        war.ci95[0] <= true_diff && true_diff <= war.ci95[1],
        "{war:?}"
    );
    let deal = c.difference(1, Outcome::Deal).unwrap();
    assert!(
        deal.ci95[0] <= -true_diff && -true_diff <= deal.ci95[1],
        "{deal:?}"
    );
    // The walkers share their draws, so the chains are strongly coupled.
    assert!(war.variance_reduction.unwrap() > 2.0, "{war:?}");

    // The mean escalation score of each chain and their paired difference.
    let (esc_even, esc_up) = (ladder_escalation(0.3, 0.3), ladder_escalation(0.35, 0.25));
    assert!((esc_even - 5.16).abs() < 1e-12);
    for (k, truth) in [(0, esc_even), (1, esc_up)] {
        let s = &c.scenarios[k];
        let se = (s.escalation_ci95[1] - s.escalation_ci95[0]) / (2.0 * 1.96);
        assert!(
            (s.escalation_mean - truth).abs() <= 4.0 * se,
            "{k}: {} vs {truth} (SE {se})",
            s.escalation_mean
        );
    }
    let e = &c.differences[0].escalation;
    let se = (e.ci95[1] - e.ci95[0]) / (2.0 * 1.96);
    assert!(
        (e.difference - (esc_up - esc_even)).abs() <= 4.0 * se,
        "{e:?} vs {}",
        esc_up - esc_even
    );
    assert!(e.variance_reduction.unwrap() > 1.0, "{e:?}");

    // Coverage over independent seeds: about 95% of the paired intervals
    // hold the true difference (38 of 40 expected; fewer than 34 would
    // happen by chance about once in 500).
    let mut covered = 0;
    for seed in 0..40 {
        let c = run(&[even.clone(), up.clone()], 1000 + seed, 1000, 1);
        let war = c.difference(1, Outcome::WarOngoing).unwrap();
        if war.ci95[0] <= true_diff && true_diff <= war.ci95[1] {
            covered += 1;
        }
    }
    assert!(covered >= 34, "covered {covered} of 40");
}

#[test]
fn pairing_narrows_the_intervals_of_the_shipped_alternatives() {
    let mut scenarios = vec![shipped("muscat-2026")];
    scenarios.extend(ALTERNATIVES.iter().map(|n| shipped(n)));
    let c = run(&scenarios, 20260207, 3000, 2);
    for d in &c.differences {
        for x in &d.outcomes {
            let paired = x.ci95[1] - x.ci95[0];
            let unpaired = x.unpaired_ci95[1] - x.unpaired_ci95[0];
            // Where an outcome is nearly absent from one arm there is no
            // correlation to exploit and the paired and unpaired Newcombe
            // intervals, built differently, may differ by a hair either way.
            assert!(
                paired <= unpaired * 1.02,
                "{} {}: paired {paired} > unpaired {unpaired}",
                d.scenario,
                x.outcome
            );
        }
        for o in [Outcome::Deal, Outcome::WarOngoing, Outcome::LimitedStrikes] {
            let x = &d.outcomes[o.index()];
            let paired = x.ci95[1] - x.ci95[0];
            let unpaired = x.unpaired_ci95[1] - x.unpaired_ci95[0];
            assert!(paired < unpaired, "{} {}", d.scenario, x.outcome);
            assert!(
                x.variance_reduction.unwrap() > 1.0,
                "{} {}",
                d.scenario,
                x.outcome
            );
        }
        // The escalation difference is the difference of the two means.
        let e = &d.escalation;
        let k = d.index;
        assert!(
            (e.difference - (c.scenarios[k].escalation_mean - c.scenarios[0].escalation_mean))
                .abs()
                < 1e-9,
            "{e:?}"
        );
        assert_eq!(e.mean, c.scenarios[k].escalation_mean);
        assert!(e.variance_reduction.unwrap() > 1.0, "{} {e:?}", d.scenario);
    }
}

#[test]
fn the_alternatives_move_the_outcomes_the_expected_way() {
    let mut scenarios = vec![shipped("muscat-2026")];
    scenarios.extend(ALTERNATIVES.iter().map(|n| shipped(n)));
    let c = run(&scenarios, 20260207, 3000, 2);
    let diff = |k: usize, o: Outcome| c.difference(k, o).unwrap();
    let war = |k: usize| &c.differences[k - 1].war;
    // A sanctions pause and a stockpile deal make strikes and war less likely.
    for k in [1, 4] {
        assert!(war(k).ci95[1] < 0.0, "{:?}", war(k));
        assert!(diff(k, Outcome::LimitedStrikes).ci95[1] < 0.0);
    }
    // Iran accepting a stockpile cut makes a deal more likely.
    assert!(diff(4, Outcome::Deal).ci95[0] > 0.0);
    // Without Oman's channel, fewer deals and more war.
    assert!(diff(2, Outcome::Deal).ci95[1] < 0.0);
    assert!(war(2).ci95[0] > 0.0, "{:?}", war(2));
    // A second carrier: fewer deals, not less war.
    assert!(diff(3, Outcome::Deal).ci95[1] < 0.0);
    assert!(war(3).difference >= 0.0);
}

#[test]
fn the_table_of_the_ladder_chains_is_stable() {
    let even = scenario("tests/fixtures/valid/ladder-even.toml");
    let up = scenario("tests/fixtures/valid/ladder-up.toml");
    let c = run(&[even, up], 1, 1000, 2);
    insta::assert_snapshot!("ladder_table", brink::output::comparison_table::render(&c));
    let csv = String::from_utf8(brink::export::comparison::render(&c).unwrap()).unwrap();
    insta::assert_snapshot!("ladder_csv", csv);
}

fn compare_into(dir: &Path, threads: usize) -> PathBuf {
    let scenarios = [
        shipped("muscat-2026"),
        shipped("no-oman"),
        shipped("second-carrier"),
    ];
    let opts = CompareOptions {
        trials: Some(2500),
        seed: Some(99),
        threads,
        out_root: dir.to_path_buf(),
        command: vec!["brink".into(), "compare".into()],
        precision: None,
        plots: false,
        durability: Default::default(),
        format: brink::export::Format::Csv,
        at: Vec::new(),
        given: Vec::new(),
    };
    match compare(&scenarios, &opts, &mut |_| {}, Cancel::never()).unwrap() {
        JobRun::Done { dir, .. } => dir,
        other => panic!("not a whole comparison: {other:?}"),
    }
}

#[test]
fn outputs_are_byte_identical_across_thread_counts() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let one = compare_into(a.path(), 1);
    let two = compare_into(b.path(), 2);
    assert_eq!(
        one.file_name().unwrap(),
        "compare-muscat-2026-vs-no-oman-vs-second-carrier"
    );
    for file in ["comparison.json", "comparison.csv", "manifest.json"] {
        let x = fs::read(one.join(file)).unwrap();
        let y = fs::read(two.join(file)).unwrap();
        assert!(x == y, "{file} differs between 1 and 2 threads");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(one.join("manifest.json")).unwrap()).unwrap();
    let files: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["comparison.csv", "comparison.json"]);
    let chain = manifest["scenarios"][1]["chain"].as_array().unwrap();
    assert_eq!(chain.len(), 2);
    assert_eq!(chain[1]["file"], "muscat-2026.toml");
}

#[test]
fn comparison_json_holds_the_series_plots_need() {
    let a = tempfile::tempdir().unwrap();
    let dir = compare_into(a.path(), 2);
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("comparison.json")).unwrap()).unwrap();
    for s in json["scenarios"].as_array().unwrap() {
        let horizon = s["horizon"].as_u64().unwrap() as usize;
        let war = s["cumulative_war"].as_array().unwrap();
        assert_eq!(war.len(), horizon + 1);
        let values: Vec<f64> = war.iter().map(|v| v.as_f64().unwrap()).collect();
        assert!(values.windows(2).all(|w| w[0] <= w[1]), "cumulative");
        let last = *values.last().unwrap();
        // The war outcomes are the second to the fourth.
        let p_war: f64 = (1..=3)
            .map(|k| s["outcomes"][k]["probability"].as_f64().unwrap())
            .sum();
        assert!((last - p_war).abs() < 1e-9);
        let occupancy = s["rung_occupancy"].as_array().unwrap();
        assert_eq!(occupancy.len(), horizon + 1);
        for row in occupancy {
            let total: f64 = row
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .sum();
            assert!((total - 1.0).abs() < 1e-9);
        }
    }
    let joint = json["differences"][0]["joint"].as_array().unwrap();
    let total: u64 = joint
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|v| v.as_u64().unwrap()))
        .sum();
    assert_eq!(total, 2500);
}

fn brink() -> Command {
    Command::cargo_bin("brink").unwrap()
}

#[test]
fn cli_compare_prints_the_table_and_writes_the_files() {
    let out = tempfile::tempdir().unwrap();
    brink()
        .args([
            "compare",
            "scenarios/muscat-2026.toml",
            "scenarios/sanctions-pause.toml",
            "--trials",
            "500",
            "--seed",
            "4",
            "-j",
            "1",
            "--out",
        ])
        .arg(out.path())
        .current_dir(root())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Paired comparison: 500 trials per scenario, seed 4",
        ))
        .stdout(predicate::str::contains("Differences from [1]"))
        .stdout(predicate::str::contains("[2] sanctions-pause"));
    let dir = out.path().join("compare-muscat-2026-vs-sanctions-pause");
    for file in ["comparison.json", "comparison.csv", "manifest.json"] {
        assert!(dir.join(file).is_file(), "{file}");
    }
}

#[test]
fn cli_compare_needs_two_scenarios_and_shows_examples() {
    brink()
        .args(["compare", "scenarios/muscat-2026.toml"])
        .current_dir(root())
        .assert()
        .code(2);
    brink()
        .args(["compare", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"))
        .stdout(predicate::str::contains(
            "brink compare scenarios/muscat-2026.toml",
        ));
}

#[test]
fn cli_reports_a_missing_parent_at_the_extends_line() {
    let dir = tempfile::tempdir().unwrap();
    let child = dir.path().join("child.toml");
    fs::write(
        &child,
        "extends = \"gone.toml\"\n[scenario]\nname = \"child\"\n",
    )
    .unwrap();
    brink()
        .args(["compare", "scenarios/muscat-2026.toml"])
        .arg(&child)
        .current_dir(root())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "child.toml:1:11: error: cannot read the parent scenario",
        ));
}

#[test]
fn precision_targeted_comparison_stops_where_the_paired_intervals_say() {
    let scenarios = [shipped("muscat-2026"), shipped("no-oman")];
    let precision = Precision {
        half_width: 0.02,
        outcomes: vec![Outcome::Deal, Outcome::WarOngoing],
    };
    // The first multiple of 1024 paired trials at which both differences are
    // known to +-2 points, found by plain comparisons of growing size.
    let expected = (1..=20u64)
        .map(|k| k * 1024)
        .find(|&n| {
            let c = run(&scenarios, 31, n, 1);
            [Outcome::Deal, Outcome::WarOngoing].iter().all(|&o| {
                let d = c.difference(1, o).unwrap();
                (d.ci95[1] - d.ci95[0]) / 2.0 <= 0.02
            })
        })
        .expect("reached within 20 chunks");
    for threads in [1, 2] {
        let (c, _) = run_comparison(
            &scenarios,
            31,
            1_000_000,
            threads,
            Some(&precision),
            &mut |_| {},
            None,
        )
        .unwrap();
        assert_eq!(c.trials, expected, "threads {threads}");
        let st = c.stopping.as_ref().unwrap();
        assert!(st.target_met && st.trials_used == expected && st.widest_half_width <= 0.02);
    }
}
