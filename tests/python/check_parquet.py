"""Checks that every Parquet table of a brink result holds exactly the
values of the CSV table of the same result written with --format csv.

Usage: check_parquet.py CSV_DIR PARQUET_DIR

Each PARQUET_DIR/<name>.parquet is read with pyarrow, pandas and polars and
compared with CSV_DIR/<name>.csv, read with Python's csv module: the same
column names in the same order, the same number of rows, and every value
equal (whole numbers exactly, floats bit for bit, an empty CSV field as a
null). Prints one line per table and exits 1 on the first difference.
"""

import csv
import math
import struct
import sys
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def bits(x):
    return struct.pack("<d", x)


def same(kind, field, value):
    """True when the Parquet value equals the CSV field."""
    null = value is None or (isinstance(value, float) and math.isnan(value) and field != "NaN")
    if field == "":
        return null or (kind == "float" and value is not None and math.isnan(value))
    if null:
        return False
    if kind == "int":
        return int(field) == int(value) and float(value) == int(value)
    if kind == "float":
        return bits(float(field)) == bits(float(value)) or (
            math.isnan(float(field)) and math.isnan(float(value))
        )
    return field == value


def kinds(schema):
    out = []
    for f in schema:
        if pa.types.is_int64(f.type):
            out.append("int")
        elif pa.types.is_float64(f.type):
            out.append("float")
        elif pa.types.is_string(f.type) or pa.types.is_large_string(f.type):
            out.append("text")
        else:
            fail(f"column {f.name} has type {f.type}")
    return out


def check(csv_path, parquet_path):
    with open(csv_path, newline="") as f:
        rows = list(csv.reader(f))
    header, rows = rows[0], rows[1:]
    table = pq.read_table(parquet_path)
    if table.column_names != header:
        fail(f"{parquet_path}: columns {table.column_names} != {header}")
    types = kinds(table.schema)
    # pandas turns whole-number columns with nulls into floats; those still
    # compare exactly. polars keeps the types.
    readers = {
        "pyarrow": [table.column(k).to_pylist() for k in range(len(header))],
        "pandas": [
            [None if pd.isna(v) else v for v in col]
            for _, col in pd.read_parquet(parquet_path).items()
        ],
        "polars": [s.to_list() for s in pl.read_parquet(parquet_path).get_columns()],
    }
    for reader, columns in readers.items():
        if len(columns) != len(header):
            fail(f"{parquet_path} read by {reader}: {len(columns)} columns")
        for k, col in enumerate(columns):
            if len(col) != len(rows):
                fail(f"{parquet_path} read by {reader}: {len(col)} rows, CSV has {len(rows)}")
            for i, value in enumerate(col):
                if not same(types[k], rows[i][k], value):
                    fail(
                        f"{parquet_path} read by {reader}: row {i} column {header[k]}: "
                        f"{value!r} != CSV {rows[i][k]!r}"
                    )
    print(f"ok {parquet_path.name}: {len(rows)} rows x {len(header)} columns, same as CSV")


def main():
    csv_dir, parquet_dir = Path(sys.argv[1]), Path(sys.argv[2])
    tables = sorted(parquet_dir.glob("*.parquet"))
    if not tables:
        fail(f"no Parquet table in {parquet_dir}")
    if sorted(csv_dir.glob("*.csv")) != [csv_dir / (t.stem + ".csv") for t in tables]:
        fail(f"{csv_dir} and {parquet_dir} do not hold the same tables")
    for t in tables:
        check(csv_dir / (t.stem + ".csv"), t)


main()
