#!/usr/bin/env bash
# One brink run split over a Slurm job array: each task runs one shard of the
# trials and writes a shard folder into $OUT; brink-merge.sh then combines
# them into the result a single run would have written (docs/distributed.md).
#
#   jid=$(sbatch --parsable --array=0-15 examples/slurm/brink-array.sh)
#   sbatch --dependency=afterok:$jid examples/slurm/brink-merge.sh
#
# The array may count from 0 (--array=0-15) or from 1 (--array=1-16): brink
# takes shard SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of
# SLURM_ARRAY_TASK_COUNT. A task that is requeued (preemption, node failure)
# resumes from its checkpoint. To redo one shard by hand after the array has
# finished, run `brink run ... --shard 3/16` with the same options.
#
# Settings come from the environment (sbatch exports it), for example
#   SCENARIO=scenarios/no-oman.toml TRIALS=50000000 sbatch --array=0-31 ...
# and options given to sbatch override the #SBATCH lines below, for example
# --cpus-per-task=1 on nodes with fewer than 4 CPUs. The logs are written
# to the folder sbatch was run in (or --chdir).
#
#SBATCH --job-name=brink-shards
#SBATCH --cpus-per-task=4
#SBATCH --mem=1G
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=brink-shard-%A_%a.log

set -euo pipefail

BRINK="${BRINK:-brink}"                              # the brink binary
SCENARIO="${SCENARIO:-scenarios/muscat-2026.toml}"   # on a file system every node sees
TRIALS="${TRIALS:-10000000}"                         # trials of the whole run
OUT="${OUT:-shards}"                                 # one folder per run: merge takes all its shards
SEED="${SEED:-}"                                     # empty: the scenario's seed

args=(run "$SCENARIO" --trials "$TRIALS" --shard auto --resume
      --threads "${SLURM_CPUS_PER_TASK:-0}" --out "$OUT")
if [[ -n "$SEED" ]]; then
    args+=(--seed "$SEED")
fi
exec "$BRINK" "${args[@]}"
