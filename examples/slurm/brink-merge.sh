#!/usr/bin/env bash
# Merges the shard folders brink-array.sh wrote into $OUT into one result
# folder under $RESULTS, byte for byte what a single `brink run` writes.
# Submit it to start when every task of the array has succeeded:
#
#   sbatch --dependency=afterok:$jid examples/slurm/brink-merge.sh
#
# brink merge refuses (exit status 2) shards of different runs, missing or
# overlapping shards, and damaged files; the log says which.
#
#SBATCH --job-name=brink-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --output=brink-merge-%j.log

set -euo pipefail

BRINK="${BRINK:-brink}"
OUT="${OUT:-shards}"            # the folder of the shards
RESULTS="${RESULTS:-output}"    # receives <scenario name>/

shopt -s nullglob
shards=("$OUT"/*.shard-*-of-*)
if (( ${#shards[@]} == 0 )); then
    echo "no shard folders in $OUT" >&2
    exit 2
fi
exec "$BRINK" merge "${shards[@]}" --out "$RESULTS"
