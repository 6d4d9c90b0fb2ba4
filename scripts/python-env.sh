#!/usr/bin/env bash
# Makes the Python environment that tests/parquet_python.rs reads Parquet
# tables with: a venv in target/python-env holding pyarrow, pandas and
# polars (scripts/python-requirements.txt). Safe to run again: it installs
# only what is missing. .ci/run calls it before the tests.
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
if ! "$venv/bin/python" -c 'import pyarrow, pandas, polars' 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        -r scripts/python-requirements.txt
fi
"$venv/bin/python" -c 'import pyarrow, pandas, polars; print("python-env: pyarrow", pyarrow.__version__, "pandas", pandas.__version__, "polars", polars.__version__)'
