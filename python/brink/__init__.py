"""brink from Python: run scenarios, compare them and read the results as
pandas (or polars) DataFrames.

Every call goes through brink's Rust library, not the command line, and
writes exactly the result folder ``brink`` would write (with its tables in
Parquet); the same scenario, seed and trials give the same numbers, byte
for byte, as ``brink run`` on any machine and for any thread count.

    >>> import brink
    >>> r = brink.run("scenarios/muscat-2026.toml", trials=2000, seed=7)
    >>> r.outcomes[["outcome", "share", "low", "high"]]
    >>> r.trials.groupby("outcome").escalation_total.mean()

Without ``out=`` the result lives in memory and nothing stays on disk; with
``out="results"`` the folder ``results/<scenario>/`` is kept, as ``brink run
--out results`` would write it.
"""

from __future__ import annotations

import json
import tempfile
from os import PathLike
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import pyarrow as pa
import pyarrow.parquet as pq

from . import _native

__all__ = ["Result", "run", "compare", "experiment", "params", "validate", "__version__"]

__version__: str = _native.version()

StrPath = Union[str, "PathLike[str]"]


def _nullable_ints(arrow_type: pa.DataType):
    """Integer columns stay integers in pandas, with <NA> where absent."""
    import pandas as pd

    mapping = {
        pa.int8(): pd.Int8Dtype(),
        pa.int16(): pd.Int16Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.uint8(): pd.UInt8Dtype(),
        pa.uint16(): pd.UInt16Dtype(),
        pa.uint32(): pd.UInt32Dtype(),
        pa.uint64(): pd.UInt64Dtype(),
    }
    return mapping.get(arrow_type)


def to_pandas(table: pa.Table):
    """An Arrow table as a pandas DataFrame whose integer columns are
    pandas' nullable integers (``Int64``), never floats."""
    return table.to_pandas(types_mapper=_nullable_ints)


class Result:
    """A finished brink result: its JSON files as Python objects and its
    tables as Arrow tables, pandas DataFrames (``result.trials``) or polars
    DataFrames (``result.table("trials", "polars")``)."""

    def __init__(self, folder: Path, keep: bool):
        self.path: Optional[Path] = folder if keep else None
        """The result folder, when it was kept (``out=``)."""
        self.manifest: dict = _read_json(folder / "manifest.json")
        """``manifest.json``: what wrote the result, seed, trials, file hashes."""
        self.documents: dict = {}
        """Every JSON document of the folder but the manifest, by file stem."""
        self.tables: dict = {}
        """Every Parquet table of the folder, by file stem, as Arrow tables."""
        for f in sorted(folder.iterdir()):
            if f.suffix == ".json" and f.name != "manifest.json":
                self.documents[f.stem] = _read_json(f)
            elif f.suffix == ".parquet":
                # Read into memory: the folder may be a temporary one.
                self.tables[f.stem] = pq.read_table(f, memory_map=False)

    def table(self, name: str, backend: str = "pandas"):
        """The table ``name`` (``trials``, ``timeseries``, ``comparison``,
        ...) as a ``pandas`` or ``polars`` DataFrame, or ``arrow``."""
        if name not in self.tables:
            raise KeyError(f"this result has no table {name!r}; it has {sorted(self.tables)}")
        t = self.tables[name]
        if backend == "arrow":
            return t
        if backend == "pandas":
            return to_pandas(t)
        if backend == "polars":
            import polars

            return polars.from_arrow(t)
        raise ValueError(f"backend must be 'pandas', 'polars' or 'arrow', not {backend!r}")

    @property
    def summary(self) -> dict:
        """``summary.json`` of a run (``comparison.json`` of a comparison,
        ``experiment.json`` of an experiment)."""
        for name in ("summary", "comparison", "experiment"):
            if name in self.documents:
                return self.documents[name]
        raise KeyError("this result has no summary")

    @property
    def trials(self):
        """One row per trial (pandas), as in ``trials.parquet``."""
        return self.table("trials")

    @property
    def timeseries(self):
        """One row per step (pandas), as in ``timeseries.parquet``."""
        return self.table("timeseries")

    @property
    def outcomes(self):
        """The outcome distribution as a tidy pandas DataFrame: outcome,
        label, count, share and its 95% interval (low, high)."""
        import pandas as pd

        rows = [
            {
                "outcome": o["outcome"],
                "label": o["label"],
                "count": o["count"],
                "share": o["probability"],
                "low": o["ci95"][0],
                "high": o["ci95"][1],
            }
            for o in self.summary["outcomes"]
        ]
        frame = pd.DataFrame(rows)
        return frame.astype({"count": "Int64"})

    def __repr__(self) -> str:
        where = f" in {self.path}" if self.path else ""
        return f"<brink.Result {self.manifest.get('kind', '?')}{where}: tables {sorted(self.tables)}>"


def _read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _settings(set: Optional[Mapping[str, float]]) -> dict:
    if set is None:
        return {}
    out = {}
    for k, v in set.items():
        if not isinstance(k, str):
            raise TypeError(f"set: parameter paths are strings, not {k!r}")
        out[k] = float(v)
    return out


def _finish(folder_of, out: Optional[StrPath]) -> Result:
    """Runs ``folder_of(out_root)`` into ``out`` (kept) or a temporary
    folder (removed once read)."""
    if out is not None:
        return Result(Path(folder_of(str(out))), keep=True)
    with tempfile.TemporaryDirectory(prefix="brink-") as tmp:
        return Result(Path(folder_of(tmp)), keep=False)


def run(
    scenario: StrPath,
    *,
    trials: Optional[int] = None,
    seed: Optional[int] = None,
    set: Optional[Mapping[str, float]] = None,
    threads: int = 0,
    out: Optional[StrPath] = None,
    plots: bool = False,
    trials_table: bool = True,
    assumption_draws: Optional[int] = None,
    trials_per_draw: Optional[int] = None,
) -> Result:
    """Runs a scenario file: ``brink run SCENARIO --trials T --seed S
    --set PATH=VALUE ... --format parquet``.

    ``set`` maps parameter paths (``brink.params``) to values, fixing them.
    ``trials`` and ``seed`` default to the scenario's ``[run]``; the result
    does not depend on ``threads`` (0: every core). With ``out`` the result
    folder ``out/<name>/`` is kept (``plots=True`` adds plots and
    report.html); ``trials_table=False`` skips the per-trial table.
    ``assumption_draws`` and ``trials_per_draw`` size the nested design
    behind each figure's spread over the uncertain assumptions
    (``--assumption-draws``, ``--trials-per-draw``; 0 draws: none).
    """
    settings = _settings(set)
    return _finish(
        lambda root: _native.run(
            str(scenario),
            root,
            trials=trials,
            seed=seed,
            threads=threads,
            set=settings,
            plots=plots,
            trials_table=trials_table,
            assumption_draws=assumption_draws,
            trials_per_draw=trials_per_draw,
        ),
        out,
    )


def compare(
    scenarios: Sequence[StrPath],
    *,
    trials: Optional[int] = None,
    seed: Optional[int] = None,
    set: Optional[Mapping[str, float]] = None,
    threads: int = 0,
    out: Optional[StrPath] = None,
    plots: bool = False,
) -> Result:
    """Runs scenarios side by side with common random numbers, the first
    as the baseline: ``brink compare A B ...``. ``result.summary`` is
    ``comparison.json``; ``result.table("comparison")`` the table."""
    if isinstance(scenarios, (str, PathLike)):
        raise TypeError("compare takes a list of scenario files")
    settings = _settings(set)
    paths = [str(p) for p in scenarios]
    return _finish(
        lambda root: _native.compare(
            paths, root, trials=trials, seed=seed, threads=threads, set=settings, plots=plots
        ),
        out,
    )


def experiment(
    file: StrPath,
    *,
    trials: Optional[int] = None,
    seed: Optional[int] = None,
    threads: int = 0,
    out: Optional[StrPath] = None,
    plots: bool = False,
) -> Result:
    """Runs an experiment file: every lever at every design point, with
    common random numbers (``brink experiment FILE``).
    ``result.table("experiment")`` has one row per design point: ``lever``,
    ``point``, each parameter's column, ``trials``, every outcome with its
    ``_low``/``_high`` interval; ``result.summary`` is ``experiment.json``."""
    return _finish(
        lambda root: _native.experiment(
            str(file), root, trials=trials, seed=seed, threads=threads, plots=plots
        ),
        out,
    )


def params(scenario: StrPath, *, set: Optional[Mapping[str, float]] = None):
    """Every number of a scenario that ``set=`` and sweeps accept, as a
    pandas DataFrame (``brink params SCENARIO --json``): ``path``,
    ``kind`` (uncertain, fixed or structural), ``value``, ``distribution``,
    ``unit``, ``low``, ``high``, ``label``. The whole JSON document is in
    ``frame.attrs["catalogue"]``."""
    import pandas as pd

    document = json.loads(_native.params(str(scenario), set=_settings(set)))
    rows = []
    for p in document["parameters"]:
        row = {k: v for k, v in p.items() if k != "range"}
        row["low"] = p["range"].get("low")
        row["high"] = p["range"].get("high")
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.attrs["catalogue"] = document
    return frame


def validate(scenario: StrPath, *, set: Optional[Mapping[str, float]] = None) -> None:
    """Checks a scenario file; raises ``ValueError`` naming every problem
    with its line and column."""
    _native.validate(str(scenario), set=_settings(set))
