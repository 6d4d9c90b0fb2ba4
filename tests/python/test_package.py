"""The Python package against the command line and the EMA Workbench.

Run by tests/python_package.rs (``cargo test``), which installs the package
from the checkout first and sets BRINK_BIN (the ``brink`` binary of the
same build), BRINK_ROOT (the checkout) and BRINK_TMP (a scratch folder).
"""

import json
import os
import re
import subprocess
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import brink
import brink.ema

ROOT = Path(os.environ["BRINK_ROOT"])
BIN = os.environ["BRINK_BIN"]
TMP = Path(os.environ["BRINK_TMP"])
BASE = str(ROOT / "scenarios" / "muscat-2026.toml")
SNAKE = re.compile(r"[a-z][a-z0-9_]*")


def cli(*args):
    quiet = [] if args[0] == "params" else ["--quiet"]
    out = subprocess.run([BIN, *args, *quiet], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out


def cli_run(name, *args):
    out = TMP / name
    cli("run", BASE, "--no-plots", "--format", "parquet", "--out", str(out), *args)
    return out / "muscat-2026"


def test_run_gives_the_numbers_of_the_command_line():
    folder = cli_run("cli-run", "--trials", "400", "--seed", "11", "--assumption-draws", "8")
    r = brink.run(BASE, trials=400, seed=11, assumption_draws=8)
    assert r.path is None
    with open(folder / "summary.json") as f:
        assert r.summary == json.load(f)
    assert r.tables["trials"].equals(pq.read_table(folder / "trials.parquet"))
    assert r.tables["timeseries"].equals(pq.read_table(folder / "timeseries.parquet"))


def test_results_do_not_depend_on_threads():
    one = brink.run(BASE, trials=300, seed=5, threads=1, assumption_draws=0)
    two = brink.run(BASE, trials=300, seed=5, threads=2, assumption_draws=0)
    assert one.summary == two.summary
    assert one.tables["trials"].equals(two.tables["trials"])


def test_a_kept_folder_is_the_folder_brink_writes():
    out = TMP / "kept"
    r = brink.run(BASE, trials=200, seed=3, out=out, assumption_draws=0)
    assert r.path == out / "muscat-2026"
    assert (r.path / "manifest.json").exists()
    assert r.manifest["kind"] == "run"
    assert r.manifest["trials"] == 200


def test_set_is_the_command_lines_set():
    folder = cli_run("cli-set", "--trials", "300", "--seed", "2", "--assumption-draws", "0",
                     "--set", "actors.us.bias.sanction=-1", "--set", "initial.trust=0.3")
    r = brink.run(BASE, trials=300, seed=2, assumption_draws=0,
                  set={"initial.trust": 0.3, "actors.us.bias.sanction": -1})
    with open(folder / "summary.json") as f:
        assert r.summary == json.load(f)
    plain = brink.run(BASE, trials=300, seed=2, assumption_draws=0)
    assert plain.summary != r.summary


def test_trials_table_loads_clean():
    r = brink.run(BASE, trials=300, seed=1, assumption_draws=0)
    t = r.trials
    assert len(t) == 300
    for column in t.columns:
        assert SNAKE.fullmatch(column), f"column {column!r} is not a plain snake_case name"
    assert str(t["trial"].dtype) == "Int64"
    assert list(t["trial"]) == list(range(300))
    # A trial with no strike has no first-strike step: <NA>, and the column
    # stays integer.
    assert str(t["first_strike_step"].dtype) == "Int64"
    assert t["first_strike_step"].isna().any()
    assert t["outcome"].isin(brink.ema.OUTCOMES).all()
    assert t["final_trust"].dtype == "float64"
    # polars reads the same table.
    p = r.table("trials", "polars")
    assert p.shape == t.shape
    assert p["trial"].dtype.is_integer()


def test_outcomes_frame_matches_the_summary():
    r = brink.run(BASE, trials=500, seed=9, assumption_draws=0)
    o = r.outcomes
    assert o["count"].sum() == 500
    assert (o["low"] <= o["share"]).all() and (o["share"] <= o["high"]).all()
    counts = r.trials["outcome"].value_counts()
    for _, row in o.iterrows():
        assert counts.get(row["outcome"], 0) == row["count"]


def test_bad_input_is_a_value_error_with_line_and_column():
    bad = TMP / "bad.toml"
    bad.write_text(Path(BASE).read_text().replace("[run]", "[run]\nhorizon = -3", 1))
    with pytest.raises(ValueError) as e:
        brink.run(bad, trials=10)
    assert "bad.toml:" in str(e.value)
    with pytest.raises(ValueError, match="no parameter|unknown|not a parameter"):
        brink.run(BASE, trials=10, set={"initial.no_such_thing": 1.0})
    with pytest.raises(ValueError, match="cannot read"):
        brink.run(TMP / "missing.toml", trials=10)


def test_compare_pairs_scenarios():
    r = brink.compare([BASE, str(ROOT / "scenarios" / "no-oman.toml")], trials=300, seed=4)
    assert r.manifest["kind"] == "compare"
    assert "comparison" in r.tables
    frame = r.table("comparison")
    assert len(frame) > 0
    with pytest.raises(TypeError):
        brink.compare(BASE)


def test_ema_workbench_runs_brink():
    from ema_workbench import Policy, RealParameter, perform_experiments

    from brink.ema import OUTPUTS, BrinkModel

    model = BrinkModel("muscat", BASE, trials=60, seed=8)
    model.uncertainties = [
        RealParameter("initial.trust", 0.05, 0.4),
        RealParameter("war.collapse", 0.0, 0.2),
    ]
    model.levers = [RealParameter("actors.us.bias.sanction", -1.0, 1.0)]
    policies = [Policy("pause", **{"actors.us.bias.sanction": -1.0}),
                Policy("press", **{"actors.us.bias.sanction": 1.0})]
    experiments, outcomes = perform_experiments(model, scenarios=3, policies=policies)
    assert len(experiments) == 6
    assert set(outcomes) == set(OUTPUTS)
    for name in OUTPUTS:
        assert len(outcomes[name]) == 6
    shares = sum(outcomes[o] for o in brink.ema.OUTCOMES)
    assert all(abs(s - 1.0) < 1e-12 for s in shares)
    # Experiment 0 is brink.run with its parameters set.
    first = experiments.iloc[0]
    values = {p: float(first[p]) for p in ("initial.trust", "war.collapse", "actors.us.bias.sanction")}
    again = brink.run(BASE, trials=60, seed=8, set=values, assumption_draws=0, trials_table=False)
    assert outcomes["deal"][0] == brink.ema.outputs(again.summary)["deal"]


def test_summary_follows_its_schema():
    import jsonschema

    with open(ROOT / "docs" / "summary.schema.json") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    r = brink.run(BASE, trials=300, seed=6, assumption_draws=4)
    errors = sorted(validator.iter_errors(r.summary), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    assert r.summary["schema_version"] == 2
    # Named, not positional: a step's values are found by name.
    step = r.summary["series"]["steps"][10]
    assert step["step"] == 10
    assert set(step["cumulative_outcomes"]) == set(brink.ema.OUTCOMES)
    assert [row["rung"] for row in r.summary["max_rung"]] == list(range(len(r.summary["max_rung"])))
    # A wrong document is caught, so the check can fail.
    broken = json.loads(json.dumps(r.summary))
    broken["series"]["steps"][0]["rung_occupancy"] = [0.5, 0.5]
    assert list(validator.iter_errors(broken))


def test_the_ema_workbench_example_runs():
    import importlib.util

    spec = importlib.util.spec_from_file_location("ema_example", ROOT / "examples" / "ema_workbench.py")
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    experiments = example.main(scenarios=3, trials=40)
    assert len(experiments) == 6
    assert set(experiments["policy"]) == {"sanctions_pause", "maximum_pressure"}
    assert experiments["deal"].between(0, 1).all()


EXPERIMENT = ROOT / "scenarios" / "experiments" / "carrier-and-pause.toml"


def test_experiment_table_loads_without_cleaning():
    out = TMP / "cli-experiment"
    cli("experiment", str(EXPERIMENT), "--trials", "20", "--no-plots", "--out", str(out))
    folder = next(out.iterdir())
    # The CSV, read by pandas with no options at all.
    table = pd.read_csv(folder / "experiment.csv")
    assert len(table) == 2 * 64
    for column in table.columns:
        assert SNAKE.fullmatch(column), f"column {column!r} is not a plain snake_case name"
    assert table["point"].dtype == "int64"
    assert table["trials"].dtype == "int64"
    assert (table["trials"] == 20).all()
    assert table["lever"].dtype == object or str(table["lever"].dtype) in ("str", "string")
    assert set(table["lever"]) == {"status_quo", "sanctions_pause"}
    for outcome in brink.ema.OUTCOMES:
        assert table[outcome].dtype == "float64"
        assert (table[f"{outcome}_low"] <= table[outcome]).all()
        assert (table[outcome] <= table[f"{outcome}_high"]).all()
    assert table[list(brink.ema.OUTCOMES)].sum(axis=1).sub(1).abs().max() < 1e-9
    assert "initial__trust" in table.columns
    # The package gives the same rows (Parquet, through Arrow).
    r = brink.experiment(EXPERIMENT, trials=20)
    frame = r.table("experiment")
    assert list(frame.columns) == list(table.columns)
    assert str(frame["point"].dtype) == "Int64"
    pd.testing.assert_frame_equal(
        frame.astype({"point": "int64", "trials": "int64", "lever": table["lever"].dtype}),
        table,
        check_exact=True,
    )
    assert r.summary["schema_version"]


def test_params_lists_what_set_accepts():
    catalogue = brink.params(BASE)
    assert catalogue.attrs["catalogue"]["schema_version"] >= 1
    assert catalogue["path"].is_unique
    assert set(catalogue["kind"]) == {"uncertain", "fixed", "structural"}
    cli_json = json.loads(cli("params", BASE, "--json").stdout)
    assert list(catalogue["path"]) == [p["path"] for p in cli_json["parameters"]]
    # A fixed number set to another value shows in the catalogue and the run.
    row = catalogue.set_index("path").loc["initial.trust"]
    set_to = 0.2 if row["value"] != 0.2 else 0.3
    again = brink.params(BASE, set={"initial.trust": set_to}).set_index("path")
    assert again.loc["initial.trust", "value"] == set_to
