//! `brink experiment` end to end: the shipped example runs; shards merge
//! to the bytes of one run; the thread count changes nothing; the designs
//! hold their defining properties; a design point that fixes a parameter
//! counts exactly the outcomes `brink sweep` counts at that value (common
//! random numbers); and a bad file is refused with every problem at once.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use brink::analysis::experiment::{Plan, Spread, load_experiment};
use predicates::prelude::*;

use common::{files, without_command};

fn brink() -> Command {
    let mut c = Command::cargo_bin("brink").unwrap();
    for v in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_COUNT",
        "JOB_COMPLETION_INDEX",
        "BRINK_SHARDS",
    ] {
        c.env_remove(v);
    }
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> PathBuf {
    root().join("scenarios/experiments/carrier-and-pause.toml")
}

const DIR: &str = "experiment-carrier-and-pause";

/// Runs the example with `extra` arguments into `out`.
fn run_example(out: &Path, extra: &[&str]) {
    brink()
        .arg("experiment")
        .arg(example())
        .args(["--quiet", "--trials", "6", "--out"])
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// Writes an experiment file on the baseline into `dir` with the given
/// body after its `[experiment]` table.
fn experiment_file(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    let baseline = root().join("scenarios/muscat-2026.toml");
    let text = format!(
        "[experiment]\nname = \"{name}\"\nscenario = {:?}\ntrials = 40\nseed = 11\n\n{body}",
        baseline.to_str().unwrap()
    );
    fs::write(&path, text).unwrap();
    path
}

fn run_file(file: &Path, out: &Path) -> serde_json::Value {
    brink()
        .arg("experiment")
        .arg(file)
        .args(["--quiet", "--no-plots", "--out"])
        .arg(out)
        .assert()
        .success();
    let stem = file.file_stem().unwrap().to_str().unwrap();
    let dir = out.join(format!("experiment-{stem}"));
    serde_json::from_slice(&fs::read(dir.join("experiment.json")).unwrap()).unwrap()
}

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[test]
fn the_example_runs_and_writes_clean_tables() {
    let tmp = tempfile::tempdir().unwrap();
    brink()
        .arg("experiment")
        .arg(example())
        .args(["--trials", "6", "--threads", "2", "--out"])
        .arg(tmp.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("status_quo"))
        .stdout(predicate::str::contains("sanctions_pause"))
        .stdout(predicate::str::contains("Any war"));
    let dir = tmp.path().join(DIR);
    for f in [
        "experiment.csv",
        "experiment.json",
        "manifest.json",
        "report.html",
        "plots/war.png",
        "plots/war.svg",
        "plots/agreement.png",
        "plots/levers.png",
        "plots/levers.svg",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    let (header, rows) = csv_rows(&dir.join("experiment.csv"));
    assert_eq!(rows.len(), 2 * 64);
    assert_eq!(&header[..2], ["lever", "point"]);
    assert!(header.iter().all(|h| !h.contains('.')), "{header:?}");
    for name in [
        "actors__us__bias__sanction",
        "initial__trust",
        "initial__us_posture",
        "actors__us__bias__strike",
        "trials",
        "deal",
        "deal_low",
        "deal_high",
        "war",
        "war_low",
        "war_high",
        "agreement_high",
        "escalation_mean",
        "escalation_mean_low",
        "escalation_mean_high",
    ] {
        column(&header, name);
    }
    let (point, trials, trust) = (
        column(&header, "point"),
        column(&header, "trials"),
        column(&header, "initial__trust"),
    );
    for (k, r) in rows.iter().enumerate() {
        assert_eq!(r.len(), header.len());
        assert_eq!(
            r[0],
            if k < 64 {
                "status_quo"
            } else {
                "sanctions_pause"
            }
        );
        // Integers are written as integers, floats with at most 12
        // significant digits.
        assert_eq!(r[point], (k % 64).to_string());
        assert_eq!(r[trials], "6");
        for cell in &r[2..] {
            let x: f64 = cell.parse().unwrap_or_else(|_| panic!("{cell}"));
            assert!(x.is_finite());
            let digits = cell
                .trim_start_matches('-')
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>();
            assert!(digits.trim_matches('0').len() <= 12, "{cell}");
        }
        // Both levers run at the same uncertainty points.
        if k >= 64 {
            assert_eq!(r[trust], rows[k - 64][trust]);
        }
    }
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("experiment.json")).unwrap()).unwrap();
    assert_eq!(json["schema_version"], "brink.experiment/1");
    assert_eq!(json["design"]["kind"], "latin_hypercube");
    assert_eq!(json["design"]["design_points"], 128);
    assert_eq!(json["levers"][1]["set"]["actors.us.bias.sanction"], -1.0);
    let p = &json["points"][64];
    assert_eq!(p["lever"], "sanctions_pause");
    assert_eq!(p["point"], 0);
    assert_eq!(p["values"]["actors.us.bias.sanction"], -1.0);
    assert!(p["outcomes"]["deal"]["probability"].is_number());
    assert!(p["key_figures"]["war"]["low"].is_number());
    // The scenario's other uncertain parameters are still drawn.
    let uncertain = json["uncertain"].as_array().unwrap();
    assert!(uncertain.iter().any(|u| u == "actors.us.rationality"));
    assert!(!uncertain.iter().any(|u| u == "actors.us.bias.strike"));
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["kind"], "experiment");
    assert_eq!(manifest["trials"], 6 * 128);
}

/// The manifest without its command line and the report's hash (the
/// report shows the command line).
fn manifest_without_command(bytes: &[u8]) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    v.as_object_mut().unwrap().remove("command");
    let files = v["files"].as_array_mut().unwrap();
    files.retain(|f| f["path"] != "report.html");
    v
}

#[test]
fn three_shards_merge_to_the_bytes_of_one_run() {
    shards_merge_to_one_run(&[]);
}

/// The numbers `--set` fixes are recorded by the shards and set again by
/// the merge.
#[test]
fn shards_run_with_set_merge_to_the_bytes_of_one_run() {
    let plain = tempfile::tempdir().unwrap();
    run_example(plain.path(), &[]);
    let set = shards_merge_to_one_run(&["--set", "incidents.base=0.3"]);
    assert_ne!(
        fs::read(plain.path().join(DIR).join("experiment.csv")).unwrap(),
        set,
        "--set changed nothing"
    );
}

/// Runs the example whole and in three shards with `extra` arguments,
/// merges the shards, checks the two folders agree byte for byte and
/// returns the experiment table.
fn shards_merge_to_one_run(extra: &[&str]) -> Vec<u8> {
    let tmp = tempfile::tempdir().unwrap();
    let single = tmp.path().join("single");
    run_example(&single, extra);
    let shards = tmp.path().join("shards");
    for i in 0..3 {
        let shard = format!("{i}/3");
        let mut args = vec!["--shard", shard.as_str()];
        args.extend_from_slice(extra);
        run_example(&shards, &args);
    }
    let mut dirs: Vec<PathBuf> = fs::read_dir(&shards)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 3);
    let merged = tmp.path().join("merged");
    brink()
        .arg("merge")
        .args(&dirs)
        .arg("--out")
        .arg(&merged)
        .assert()
        .success()
        .stdout(predicate::str::contains("merged 3 shards"));
    let (a, b) = (files(&single.join(DIR)), files(&merged.join(DIR)));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        match name.as_str() {
            "manifest.json" => assert_eq!(
                manifest_without_command(bytes),
                manifest_without_command(&b[name])
            ),
            "report.html" => assert_eq!(without_command(bytes), without_command(&b[name])),
            _ => assert!(bytes == &b[name], "{name} differs"),
        }
    }
    a["experiment.csv"].clone()
}

#[test]
fn a_killed_experiment_resumes_to_the_bytes_of_an_uninterrupted_one() {
    let tmp = tempfile::tempdir().unwrap();
    let example = example();
    let base = [
        "experiment",
        example.to_str().unwrap(),
        "--trials",
        "300",
        "--no-plots",
    ];
    let args = [&base[..], &["--threads", "1", "--checkpoint-every", "0"]].concat();
    let out = tmp.path().join("killed");
    let checkpoint = out.join(format!(".{DIR}.checkpoint/checkpoint.json"));
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("brink"))
        .args(&args)
        .arg("--out")
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !checkpoint.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the experiment ended before its first checkpoint"
        );
        assert!(start.elapsed().as_secs() < 60, "no checkpoint");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    assert!(!child.wait().unwrap().success());
    assert!(!out.join(DIR).exists(), "no result after a kill");
    brink()
        .args(&args)
        .args(["--resume", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let single = tmp.path().join("single");
    brink()
        .args(base)
        .args(["--quiet", "--out"])
        .arg(&single)
        .assert()
        .success();
    for f in ["experiment.csv", "experiment.json"] {
        assert!(
            fs::read(single.join(DIR).join(f)).unwrap() == fs::read(out.join(DIR).join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn the_thread_count_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let two = tmp.path().join("two");
    run_example(
        &one,
        &["--threads", "1", "--no-plots", "--format", "parquet"],
    );
    run_example(
        &two,
        &["--threads", "2", "--no-plots", "--format", "parquet"],
    );
    for f in ["experiment.parquet", "experiment.json"] {
        assert!(
            fs::read(one.join(DIR).join(f)).unwrap() == fs::read(two.join(DIR).join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn a_latin_hypercube_hits_every_stratum_of_every_uncertainty_once() {
    let input = load_experiment(&example(), &Default::default()).unwrap();
    let plan = Plan::new(input.spec.clone(), 7, 10);
    let n = plan.rows.len();
    assert_eq!(n, 64);
    for (j, u) in input.spec.uncertainties.iter().enumerate() {
        // The strata of a distribution are those of its quantiles: map a
        // value back through the design's own quantile function by search.
        let stratum = |x: f64| -> usize {
            match &u.spread {
                Spread::Range { low, high } => (((x - low) / (high - low)) * n as f64) as usize,
                s => (0..n)
                    .position(|k| x < s.at((k + 1) as f64 / n as f64))
                    .unwrap_or(n - 1),
            }
            .min(n - 1)
        };
        let mut hits = vec![0; n];
        for r in &plan.rows {
            hits[stratum(r[j])] += 1;
        }
        assert!(hits.iter().all(|&h| h == 1), "{}: {hits:?}", u.path);
    }
    // The design depends on the seed only.
    assert_eq!(Plan::new(input.spec.clone(), 7, 99).rows, plan.rows);
    assert_ne!(Plan::new(input.spec, 8, 10).rows, plan.rows);
}

#[test]
fn a_full_factorial_design_has_every_combination() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment_file(
        tmp.path(),
        "grid",
        "[[levers]]\nname = \"a\"\n[[levers]]\nname = \"b\"\nset = { \"incidents.base\" = 0.01 }\n\n\
         [[uncertainties]]\npath = \"initial.trust\"\nlow = 0.1\nhigh = 0.3\n\n\
         [[uncertainties]]\npath = \"initial.us_posture\"\nlow = 0.5\nhigh = 0.9\n\n\
         [design]\nkind = \"full_factorial\"\nlevels = 3\n",
    );
    run_file(&file, tmp.path());
    let (header, rows) = csv_rows(&tmp.path().join("experiment-grid/experiment.csv"));
    assert_eq!(rows.len(), 2 * 9);
    let (t, p, b) = (
        column(&header, "initial__trust"),
        column(&header, "initial__us_posture"),
        column(&header, "incidents__base"),
    );
    let levels = |lo: &str, mid: &str, hi: &str| [lo.to_string(), mid.into(), hi.into()];
    let (tl, pl) = (levels("0.1", "0.2", "0.3"), levels("0.5", "0.7", "0.9"));
    for (k, r) in rows.iter().enumerate() {
        let q = k % 9;
        assert_eq!(r[t], tl[q / 3], "row {k}");
        assert_eq!(r[p], pl[q % 3], "row {k}");
        assert_eq!(r[b], if k < 9 { "0.004" } else { "0.01" });
    }
}

#[test]
fn explicit_rows_are_run_as_written() {
    let tmp = tempfile::tempdir().unwrap();
    let file = experiment_file(
        tmp.path(),
        "rows",
        "[[uncertainties]]\npath = \"initial.trust\"\nlow = 0\nhigh = 1\n\n\
         [[uncertainties]]\npath = \"actors.us.rationality\"\n\n\
         [design]\nkind = \"explicit\"\nrows = [[0.15, 1.25], [0.35, 1.75], [0.05, 1.0]]\n",
    );
    let json = run_file(&file, tmp.path());
    let points = json["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    let got: Vec<(f64, f64)> = points
        .iter()
        .map(|p| {
            (
                p["values"]["initial.trust"].as_f64().unwrap(),
                p["values"]["actors.us.rationality"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, vec![(0.15, 1.25), (0.35, 1.75), (0.05, 1.0)]);
    assert_eq!(points[0]["lever"], "scenario");
}

/// The outcome counts of every point of a `sweep.json` or
/// `experiment.json`, in outcome order.
fn sweep_counts(json: &serde_json::Value) -> Vec<Vec<u64>> {
    json["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p["outcomes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["count"].as_u64().unwrap())
                .collect()
        })
        .collect()
}

/// The same from an `experiment.json`, whose outcomes are named objects,
/// in the order of `keys`.
fn experiment_counts(json: &serde_json::Value, keys: &[String]) -> Vec<Vec<u64>> {
    json["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            keys.iter()
                .map(|k| p["outcomes"][k]["count"].as_u64().unwrap())
                .collect()
        })
        .collect()
}

#[test]
fn a_design_point_counts_what_a_sweep_counts_at_its_value() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // The values by an uncertainty's explicit rows, and by levers.
    let by_rows = experiment_file(
        tmp.path(),
        "by-rows",
        "[[uncertainties]]\npath = \"initial.trust\"\nlow = 0\nhigh = 1\n\n\
         [design]\nkind = \"explicit\"\nrows = [[0.2], [0.35]]\n",
    );
    let by_levers = experiment_file(
        tmp.path(),
        "by-levers",
        "[[levers]]\nname = \"low\"\nset = { \"initial.trust\" = 0.2 }\n\
         [[levers]]\nname = \"high\"\nset = { \"initial.trust\" = 0.35 }\n\n\
         [design]\nkind = \"latin_hypercube\"\npoints = 1\n",
    );
    brink()
        .args(["sweep", "--param", "initial.trust", "--values", "0.2,0.35"])
        .arg(root().join("scenarios/muscat-2026.toml"))
        .args([
            "--trials",
            "40",
            "--seed",
            "11",
            "--quiet",
            "--no-plots",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let sweep: serde_json::Value = serde_json::from_slice(
        &fs::read(out.join("sweep-muscat-2026-initial-trust/sweep.json")).unwrap(),
    )
    .unwrap();
    let expected = sweep_counts(&sweep);
    let keys: Vec<String> = sweep["points"][0]["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["outcome"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(expected.len(), 2);
    assert_eq!(expected[0].iter().sum::<u64>(), 40);
    for file in [by_rows, by_levers] {
        let e = run_file(&file, &out);
        assert_eq!(experiment_counts(&e, &keys), expected, "{}", file.display());
    }
}

#[test]
fn a_bad_file_is_refused_with_every_problem_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = experiment_file(
        tmp.path(),
        "bad",
        "[[levers]]\nname = \"pause\"\nset = { \"actors.us.bias.sanction\" = -1.0, \"initial.trusst\" = 0.2 }\n\n\
         [[uncertainties]]\npath = \"actors.us.bias.sanction\"\nlow = -1\nhigh = 1\n\n\
         [[uncertainties]]\npath = \"initial.trust\"\nlow = 0.4\nhigh = 0.1\n\n\
         [design]\nkind = \"latin_hypercub\"\npoints = 8\n",
    );
    brink()
        .arg("experiment")
        .arg(&bad)
        .args(["--out"])
        .arg(tmp.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.toml:9:43: error: the scenario has no parameter `initial.trusst`",
        ))
        .stderr(predicate::str::contains("did you mean `initial.trust`"))
        .stderr(predicate::str::contains(
            "bad.toml:12:8: error: `actors.us.bias.sanction` is both set by lever `pause` and an uncertainty",
        ))
        .stderr(predicate::str::contains(
            "bad.toml:18:7: error: `low` (0.4) is above `high` (0.1)",
        ))
        .stderr(predicate::str::contains(
            "bad.toml:22:8: error: unknown design kind `latin_hypercub`",
        ))
        .stderr(predicate::str::contains("did you mean `latin_hypercube`?"))
        .stderr(predicate::str::contains("invalid, 4 errors"));
    assert!(!tmp.path().join("out").exists());
    let missing = tmp.path().join("missing.toml");
    fs::write(
        &missing,
        "[experiment]\nname = \"missing\"\nscenario = \"nowhere.toml\"\n\n\
         [[uncertainties]]\npath = \"initial.trust\"\nlow = 0.4\nhigh = 0.1\n\n\
         [design]\nkind = \"fractional\"\n",
    )
    .unwrap();
    brink()
        .arg("experiment")
        .arg(&missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "missing.toml:3:12: error: the scenario `nowhere.toml` does not exist",
        ))
        .stderr(predicate::str::contains(
            "missing.toml:7:7: error: `low` (0.4)",
        ))
        .stderr(predicate::str::contains(
            "missing.toml:11:8: error: unknown design kind `fractional`",
        ))
        .stderr(predicate::str::contains("invalid, 3 errors"));
}
