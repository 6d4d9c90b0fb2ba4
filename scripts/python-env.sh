#!/usr/bin/env bash
# Makes the Python environment of the tests that run Python: a venv in
# target/python-env holding scripts/python-requirements.txt (pyarrow,
# pandas and polars for tests/parquet_python.rs; maturin, pytest and the
# EMA Workbench for tests/python_package.rs, which installs brink's own
# package into it). Safe to run again: it installs only what is missing.
# .ci/run calls it before the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/python-env
if [ ! -x "$venv/bin/python" ]; then
    if ! python3 -m venv "$venv" 2>/dev/null; then
        # Debian splits venv out of python3.
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv
        rm -rf "$venv"
        python3 -m venv "$venv"
    fi
fi
modules='pyarrow, pandas, polars, pytest, ema_workbench, maturin, jsonschema'
if ! "$venv/bin/python" -c "import $modules" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r scripts/python-requirements.txt
fi
"$venv/bin/python" -c "import $modules; print('python-env: pyarrow', pyarrow.__version__, 'pandas', pandas.__version__, 'polars', polars.__version__, 'ema_workbench', ema_workbench.__version__)"
