//! The parameter catalogue, `--set` and sweeps over any number: every path
//! `brink params` lists for the baseline can be set and swept, a set
//! uncertain number equals a sweep point at the same value, and bad
//! assignments are refused all at once with a hint.

use std::path::Path;
use std::process::{Command, Output};

use brink::analysis::sweep::{SweepTarget, check_any};
use brink::jobs::Cancel;
use brink::jobs::sweep::{SweepJob, SweepRun, run_sweep_job};
use brink::scenario::params::{ParamInfo, ParamKind, catalogue};
use brink::{LoadOptions, Model, Scenario, Simulate};

const BASELINE: &str = "scenarios/muscat-2026.toml";

fn baseline() -> Scenario {
    brink::load(BASELINE).unwrap()
}

fn brink_cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .unwrap()
}

/// A valid value other than the current one.
fn other_value(p: &ParamInfo) -> f64 {
    let r = &p.range;
    if !r.allowed.is_empty() {
        return *r.allowed.iter().find(|&&a| a as f64 != p.value).unwrap() as f64;
    }
    if r.integer {
        return if p.value + 1.0 <= r.high {
            p.value + 1.0
        } else {
            p.value - 1.0
        };
    }
    let v = match (r.low.is_finite(), r.high.is_finite()) {
        (_, true) if p.value < r.high => p.value + (r.high - p.value).min(2.0) / 2.0,
        (true, _) if p.value > r.low => p.value - (p.value - r.low).min(2.0) / 2.0,
        _ => p.value + 0.5,
    };
    assert!(r.contains(v) && v != p.value, "{}: {v}", p.path);
    v
}

#[test]
fn every_slot_of_the_model_is_listed_once() {
    let s = baseline();
    let all = catalogue(&s);
    let model = Model::compile(&s);
    let mut slots: Vec<&str> = all
        .iter()
        .filter(|p| p.kind != ParamKind::Structural)
        .map(|p| p.path.as_str())
        .collect();
    let mut paths: Vec<&str> = model.params.paths.iter().map(String::as_str).collect();
    slots.sort_unstable();
    paths.sort_unstable();
    assert_eq!(slots, paths);
    let mut every: Vec<&str> = all.iter().map(|p| p.path.as_str()).collect();
    every.sort_unstable();
    every.dedup();
    assert_eq!(every.len(), all.len(), "paths are unique");
    let uncertain = all
        .iter()
        .filter(|p| p.kind == ParamKind::Uncertain)
        .count();
    assert_eq!(uncertain, model.params.uncertain().len());
    // The structural numbers the format has, each kind at least once.
    for path in [
        "initial.rung",
        "dynamics.hostile_from",
        "incidents.max_rung",
        "war.ceasefire_rung",
        "war.holds_after",
        "deadlines.two-months.step",
        "deadlines.two-months.lead",
        "deadlines.two-months.fade",
        "actions.strike.escalation",
        "actions.strike.rung_change",
        "actions.strike.rung_at_least",
        "events.1.step",
    ] {
        let p = all.iter().find(|p| p.path == path).expect(path);
        assert_eq!(p.kind, ParamKind::Structural, "{path}");
    }
}

/// Every listed path, set to another valid value: the scenario and its
/// compiled model have it, and 20 trials run; then a sweep over two values
/// of it runs.
#[test]
fn every_listed_path_can_be_set_and_swept() {
    let s = baseline();
    let base_model = Model::compile(&s);
    let out = tempfile::tempdir().unwrap();
    let all = catalogue(&s);
    assert!(all.len() > 400, "{}", all.len());
    for p in &all {
        let v = other_value(p);
        let mut set = s.clone();
        brink::set(&mut set, &[format!("{}={v}", p.path)]).unwrap();
        let after = catalogue(&set);
        let q = after.iter().find(|q| q.path == p.path).unwrap();
        assert_eq!(q.value, v, "{}", p.path);
        assert!(q.distribution.is_none(), "{}", p.path);
        assert_ne!(set.origin.sha256, s.origin.sha256, "{}", p.path);
        let model = Model::compile(&set);
        match model.params.find(&p.path) {
            Some(slot) => {
                assert_eq!(model.params.values[slot as usize], v, "{}", p.path);
                assert!(model.params.dists[slot as usize].is_none(), "{}", p.path);
            }
            None => assert_ne!(model, base_model, "{} changes the model", p.path),
        }
        let summary = brink::simulate(
            &set,
            &Simulate {
                trials: Some(20),
                threads: 1,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(summary.trials, 20, "{}", p.path);

        let values = [p.value, v];
        let target = check_any(&s, &base_model, &p.path, &values).unwrap();
        assert_eq!(
            matches!(target, SweepTarget::Structural(_)),
            p.kind == ParamKind::Structural,
            "{}",
            p.path
        );
        let command = vec!["brink".to_string()];
        let job = SweepJob {
            scenario: &s,
            model: &base_model,
            parameter: &p.path,
            values: &values,
            seed: 1,
            trials: 20,
            threads: 1,
            out_root: out.path(),
            command: &command,
            plots: false,
            durability: Default::default(),
            format: Default::default(),
        };
        match run_sweep_job(&job, &mut |_| {}, Cancel::never()).unwrap() {
            SweepRun::Done { sweep, .. } => assert_eq!(sweep.points.len(), 2, "{}", p.path),
            other => panic!("{}: {other:?}", p.path),
        }
    }
}

/// `--set` on an uncertain number to v runs exactly the sweep's point at v
/// (same seed and trials): the same slot fixed, the others drawn from the
/// same streams.
#[test]
fn a_set_uncertain_number_is_the_sweep_point_at_its_value() {
    let s = baseline();
    let model = Model::compile(&s);
    let path = "actors.us.bias.strike";
    let v = -1.0;
    let out = tempfile::tempdir().unwrap();
    let command = vec!["brink".to_string()];
    let values = [v];
    let job = SweepJob {
        scenario: &s,
        model: &model,
        parameter: path,
        values: &values,
        seed: 11,
        trials: 300,
        threads: 1,
        out_root: out.path(),
        command: &command,
        plots: false,
        durability: Default::default(),
        format: Default::default(),
    };
    let SweepRun::Done { sweep, .. } = run_sweep_job(&job, &mut |_| {}, Cancel::never()).unwrap()
    else {
        panic!("not done")
    };
    let options = LoadOptions {
        set: vec![format!("{path}={v}")],
        ..Default::default()
    };
    let set = brink::load_with(BASELINE, &options).unwrap();
    let how = Simulate {
        trials: Some(300),
        seed: Some(11),
        threads: 1,
        ..Default::default()
    };
    let summary = brink::simulate(&set, &how).unwrap();
    let point = &sweep.points[0];
    assert_eq!(
        serde_json::to_string(&summary.outcomes).unwrap(),
        serde_json::to_string(&point.outcomes).unwrap()
    );
    assert_eq!(summary.escalation_mean, point.escalation_mean);
    // The summary records what was set; the plain run's does not.
    let info = serde_json::to_value(&summary.scenario).unwrap();
    assert_eq!(info["overrides"][0]["path"], path);
    assert_eq!(info["overrides"][0]["value"], v);
    let plain = brink::simulate(&s, &how).unwrap();
    assert!(
        serde_json::to_value(&plain.scenario)
            .unwrap()
            .get("overrides")
            .is_none()
    );
}

/// Setting a fixed number to the value it has changes nothing in the
/// results, but the scenario's identity (its hash) records the setting.
#[test]
fn setting_a_fixed_number_to_its_value_keeps_the_outcomes() {
    let s = baseline();
    let options = LoadOptions {
        set: vec![
            "initial.trust=0.1".into(),
            "actions.strike.escalation=28".into(),
        ],
        ..Default::default()
    };
    let set = brink::load_with(BASELINE, &options).unwrap();
    assert_ne!(set.origin.sha256, s.origin.sha256);
    assert_eq!(Model::compile(&set), Model::compile(&s));
    let how = Simulate {
        trials: Some(200),
        threads: 1,
        ..Default::default()
    };
    let a = brink::simulate(&s, &how).unwrap();
    let b = brink::simulate(&set, &how).unwrap();
    let counts = |x: &brink::Summary| x.outcomes.iter().map(|o| o.count).collect::<Vec<_>>();
    assert_eq!(counts(&a), counts(&b));
}

#[test]
fn bad_assignments_are_all_reported_with_hints() {
    let options = LoadOptions {
        set: vec![
            "actors.us.rationalty=1.5".into(),
            "initial.trust=7".into(),
            "war.collapse=abc".into(),
            "no-equals-sign".into(),
            "actions.strike.escalation=13".into(),
        ],
        ..Default::default()
    };
    let err = brink::load_with(BASELINE, &options)
        .unwrap_err()
        .to_string();
    assert!(err.contains("no parameter `actors.us.rationalty`"), "{err}");
    assert!(err.contains("`actors.us.rationality`"), "{err}");
    assert!(
        err.contains("7 is not a valid value of `initial.trust`"),
        "{err}"
    );
    assert!(err.contains("`abc` is not a number"), "{err}");
    assert!(err.contains("is not PATH=VALUE"), "{err}");
    assert!(err.contains("one of -2, 0, 4, 12, 28, 60"), "{err}");
    // At most five names are suggested, never the whole catalogue.
    let hint = err
        .lines()
        .find(|l| l.contains("did you mean"))
        .unwrap()
        .to_string();
    assert!(hint.matches('`').count() <= 2 * 5 + 2, "{hint}");
}

#[test]
fn cli_sets_negative_values_and_refuses_bad_ones_with_status_2() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let ok = brink_cli(&[
        "run",
        BASELINE,
        "--trials",
        "20",
        "--no-plots",
        "-q",
        "--out",
        o,
        "--set",
        "actors.us.bias.strike=-2",
        "--set",
        "actions.strike.rung_change=-1",
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(
        &std::fs::read(Path::new(o).join("muscat-2026/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["scenario"]["overrides"][0]["value"], -2.0);
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(Path::new(o).join("muscat-2026/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["scenario_overrides"][1]["path"],
        "actions.strike.rung_change"
    );

    let bad = brink_cli(&[
        "validate",
        BASELINE,
        "--set",
        "actors.us.rationalty=1",
        "--set",
        "initial.trust=-1",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    // validate reports on stdout, the other commands on stderr.
    let err = format!(
        "{}{}",
        String::from_utf8_lossy(&bad.stdout),
        String::from_utf8_lossy(&bad.stderr)
    );
    assert!(err.contains("actors.us.rationalty"), "{err}");
    assert!(err.contains("initial.trust"), "{err}");
}

#[test]
fn cli_sweeps_negative_values_and_warns_on_a_degenerate_range() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path().to_str().unwrap();
    let common = ["--trials", "10", "--no-plots", "-q", "--out", o];
    let neg = brink_cli(
        &[
            &["sweep", BASELINE, "--param", "actors.us.bias.sanction"],
            &["--values", "-1,0,1"][..],
            &common[..],
        ]
        .concat(),
    );
    assert!(
        neg.status.success(),
        "{}",
        String::from_utf8_lossy(&neg.stderr)
    );
    // One value; LOW equal to HIGH (escalation scores take 28 and 60 only).
    for range in ["28:60:1", "28:28:2"] {
        let one = brink_cli(
            &[
                &["sweep", BASELINE, "--param", "actions.strike.escalation"],
                &["--range", range][..],
                &common[..],
            ]
            .concat(),
        );
        assert!(
            one.status.success(),
            "{}",
            String::from_utf8_lossy(&one.stderr)
        );
        assert!(
            String::from_utf8_lossy(&one.stderr).contains("degenerate"),
            "{range}"
        );
    }
    let unknown = brink_cli(
        &[
            &["sweep", BASELINE, "--param", "rationality"],
            &["--values", "1"][..],
            &common[..],
        ]
        .concat(),
    );
    assert_eq!(unknown.status.code(), Some(2));
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(err.contains("actors.us.rationality"), "{err}");
    assert!(err.len() < 600, "no dump of every name: {err}");
}

#[test]
fn cli_params_lists_a_table_and_stable_json() {
    let table = brink_cli(&["params", BASELINE]);
    assert!(table.status.success());
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    assert!(text.contains("actions.strike.escalation"));
    let json = brink_cli(&["params", BASELINE, "--json", "--set", "initial.trust=0.3"]);
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["overrides"][0]["path"], "initial.trust");
    let params = v["parameters"].as_array().unwrap();
    assert_eq!(params.len(), catalogue(&baseline()).len());
    let trust = params
        .iter()
        .find(|p| p["path"] == "initial.trust")
        .unwrap();
    assert_eq!(trust["value"], 0.3);
    assert_eq!(trust["kind"], "fixed");
    assert_eq!(trust["unit"], "level");
    assert_eq!(trust["range"]["low"], 0.0);
    let rationality = params
        .iter()
        .find(|p| p["path"] == "actors.us.rationality")
        .unwrap();
    assert_eq!(rationality["kind"], "uncertain");
    assert_eq!(rationality["distribution"], "uniform(1, 2)");
}

/// Shards of a sweep over a structural number, run with `--set`, merge into
/// the unsharded sweep: the merge applies the values the shards recorded.
#[test]
fn cli_merges_shards_of_a_structural_sweep_run_with_set() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path();
    let sweep = |extra: &[&str], dir: &Path| {
        let base = [
            "sweep",
            BASELINE,
            "--param",
            "deadlines.two-months.step",
            "--values",
            "4,12",
            "-n",
            "20",
            "--no-plots",
            "-q",
            "--set",
            "initial.trust=0.2",
            "--out",
            dir.to_str().unwrap(),
        ];
        let r = brink_cli(&[&base[..], extra].concat());
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    };
    let shards = o.join("shards");
    sweep(&["--shard", "0/2"], &shards);
    sweep(&["--shard", "1/2"], &shards);
    sweep(&[], &o.join("whole"));
    let dirs: Vec<String> = std::fs::read_dir(&shards)
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    let merged = o.join("merged");
    let mut args = vec![
        "merge",
        "--no-plots",
        "-q",
        "--out",
        merged.to_str().unwrap(),
    ];
    args.extend(dirs.iter().map(String::as_str));
    let r = brink_cli(&args);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let name = "sweep-muscat-2026-deadlines-two-months-step/sweep.json";
    let read = |p: &Path| std::fs::read(p.join(name)).unwrap();
    assert_eq!(read(&merged), read(&o.join("whole")));
}
