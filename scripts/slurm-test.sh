#!/usr/bin/env bash
# Runs the Slurm example on a real (one-node) Slurm cluster and checks that
# the merged result is byte for byte that of a single run:
#
#   1. scripts/slurm-cluster.sh installs Slurm and munge from Debian's
#      packages and starts the cluster (or finds it running);
#   2. examples/slurm/brink-array.sh is submitted as a job array of
#      $SHARDS tasks, exactly as docs/distributed.md shows;
#   3. examples/slurm/brink-merge.sh is submitted with
#      --dependency=afterok:<array job>;
#   4. once both have finished, the same run is made by one `brink run`, and
#      the two result folders are compared: every file byte for byte, except
#      the command line, which manifest.json and report.html record (and so
#      report.html's hash in manifest.json).
#
# Needs root. Run by .ci/run; by hand: scripts/slurm-test.sh
#
# Settings (environment):
#   BRINK               the brink binary (target/release/brink, built if missing)
#   SLURM_TEST_DIR      working folder (a new folder under /tmp); kept
#   SLURM_TEST_TRIALS   trials of the run (20003: shards of unequal size)
#   SLURM_TEST_SHARDS   array tasks (4)
#   SLURM_TEST_TIMEOUT  seconds to wait for the jobs (600)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
TRIALS="${SLURM_TEST_TRIALS:-20003}"
SHARDS="${SLURM_TEST_SHARDS:-4}"
TIMEOUT="${SLURM_TEST_TIMEOUT:-600}"
SEED=20261202
scenario="$root/scenarios/muscat-2026.toml"
name=muscat-2026

say() { echo "slurm-test: $*"; }
t0=$SECONDS
elapsed() { echo "$(( SECONDS - t0 ))s"; }

if [[ "$(id -u)" != 0 ]]; then
    echo "slurm-test: needs root (it installs Slurm and starts its daemons)" >&2
    exit 1
fi

# --- cluster ------------------------------------------------------------
"$root/scripts/slurm-cluster.sh"
say "cluster ready after $(elapsed)"

if ! command -v python3 >/dev/null 2>&1; then
    say "installing python3 (to compare the JSON files)"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3
fi

# --- brink --------------------------------------------------------------
BRINK="${BRINK:-$root/target/release/brink}"
if [[ ! -x "$BRINK" ]]; then
    say "building $BRINK"
    (cd "$root" && cargo build --release --locked)
fi
BRINK=$(cd "$(dirname "$BRINK")" && pwd)/$(basename "$BRINK")
say "$("$BRINK" --version)"

# --- jobs ---------------------------------------------------------------
work="${SLURM_TEST_DIR:-$(mktemp -d /tmp/brink-slurm.XXXXXX)}"
mkdir -p "$work"
work=$(cd "$work" && pwd)
rm -rf "$work/shards" "$work/output" "$work/single" "$work"/brink-*.log
cd "$work"   # the jobs' working folder: their logs land here
say "working in $work"

array_id=""
merge_id=""
report_jobs() {
    echo "----- squeue -----" >&2
    squeue -l >&2 || true
    for id in $array_id $merge_id; do
        echo "----- scontrol show job $id -----" >&2
        scontrol show job "$id" >&2 || true
    done
    for log in "$work"/brink-*.log; do
        [[ -f "$log" ]] || continue
        echo "----- $log -----" >&2
        tail -n 40 "$log" >&2
    done
}
fail() {
    echo "slurm-test: FAILED: $*" >&2
    report_jobs
    exit 1
}

# The commands of docs/distributed.md. --cpus-per-task on the command line
# overrides the script's 4, which a small machine does not have: with one
# CPU each, the tasks run side by side.
export BRINK SCENARIO="$scenario" TRIALS="$TRIALS" OUT="$work/shards" SEED="$SEED"
array_id=$(sbatch --parsable --array=0-$((SHARDS - 1)) --cpus-per-task=1 \
    "$root/examples/slurm/brink-array.sh") || fail "sbatch of the array job"
array_id=${array_id%%;*}
merge_id=$(sbatch --parsable --dependency=afterok:"$array_id" \
    --export=ALL,RESULTS="$work/output" \
    "$root/examples/slurm/brink-merge.sh") || fail "sbatch of the merge job"
merge_id=${merge_id%%;*}
say "submitted array job $array_id ($SHARDS tasks) and merge job $merge_id (afterok:$array_id)"

# The jobs as scontrol shows them, one line per array task. Finished jobs
# stay known to scontrol for MinJobAge.
job_lines() {
    local id
    for id in "$array_id" "$merge_id"; do
        scontrol -o show job "$id" 2>/dev/null || return 1
    done
}

jobs_t0=$SECONDS
while :; do
    lines=$(job_lines) || fail "scontrol does not know the jobs"
    pending=$(grep -cE 'JobState=(PENDING|CONFIGURING|RUNNING|COMPLETING|REQUEUED|RESIZING|SUSPENDED)' <<<"$lines" || true)
    if (( pending == 0 )); then
        break
    fi
    if (( SECONDS - jobs_t0 > TIMEOUT )); then
        scancel "$array_id" "$merge_id" || true
        fail "the jobs did not finish within ${TIMEOUT}s"
    fi
    sleep 1
done
jobs_s=$(( SECONDS - jobs_t0 ))

# Every array task and the merge completed with exit code 0.
summary() {
    awk '{
        delete f
        for (i = 1; i <= NF; i++) {
            k = $i; sub(/=.*/, "", k)
            v = $i; sub(/^[^=]*=/, "", v)
            f[k] = v
        }
        what = ("ArrayTaskId" in f) ? "array task " f["ArrayTaskId"] : "merge"
        printf "slurm-test:   %-12s job %-4s %-10s exit %s  node %s  %s..%s\n", \
            what, f["JobId"], f["JobState"], f["ExitCode"], f["NodeList"], \
            substr(f["StartTime"], 12), substr(f["EndTime"], 12)
    }'
}
array_lines=$(scontrol -o show job "$array_id")
merge_line=$(scontrol -o show job "$merge_id")
echo "$array_lines" | summary | sort -k4,4n
echo "$merge_line" | summary
tasks=$(grep -c . <<<"$array_lines")
done_tasks=$(grep -E 'JobState=COMPLETED .*ExitCode=0:0 ' <<<"$array_lines" | grep -c . || true)
(( tasks == SHARDS )) || fail "the array has $tasks tasks, not $SHARDS"
(( done_tasks == SHARDS )) || fail "$(( SHARDS - done_tasks )) of $SHARDS array tasks did not complete"
grep -qE 'JobState=COMPLETED .*ExitCode=0:0 ' <<<"$merge_line" || fail "the merge job did not complete"
say "jobs finished in ${jobs_s}s"

shard_dirs=("$work/shards/$name".shard-*-of-*)
(( ${#shard_dirs[@]} == SHARDS )) || fail "${#shard_dirs[@]} shard folders in $work/shards, not $SHARDS"
merged="$work/output/$name"
[[ -d "$merged" ]] || fail "no merged result folder $merged"

# --- the single run and the comparison ----------------------------------
"$BRINK" run "$scenario" --trials "$TRIALS" --seed "$SEED" --threads 2 \
    --out "$work/single" --quiet
single="$work/single/$name"

python3 - "$single" "$merged" <<'EOF' || fail "the merged result differs from the single run"
import json, os, sys

single, merged = sys.argv[1], sys.argv[2]

def files(d):
    out = set()
    for base, _, names in os.walk(d):
        for n in names:
            out.add(os.path.relpath(os.path.join(base, n), d))
    return out

def read(d, f):
    with open(os.path.join(d, f), "rb") as h:
        return h.read()

def manifest_without_command(b):
    m = json.loads(b)
    command = m.pop("command")
    m["files"] = [f for f in m["files"] if f["path"] != "report.html"]
    return m, command

def report_without_command(b):
    html = b.decode("utf-8")
    start = html.index('<pre class="command">')
    end = start + html[start:].index("</pre>")
    return html[:start] + html[end:], html[start:end]

a, b = files(single), files(merged)
bad = []
if a != b:
    bad.append("only in the single run: %s; only in the merge: %s"
               % (sorted(a - b), sorted(b - a)))
same = 0
for f in sorted(a & b):
    x, y = read(single, f), read(merged, f)
    if x == y:
        same += 1
        print("slurm-test:   identical  %s (%d bytes)" % (f, len(x)))
    elif f == "manifest.json":
        (mx, cx), (my, cy) = manifest_without_command(x), manifest_without_command(y)
        if mx != my:
            bad.append("manifest.json differs beyond its command line")
        else:
            print("slurm-test:   same but the command line  manifest.json")
            print("slurm-test:     single: %s" % " ".join(cx))
            print("slurm-test:     merged: %s" % " ".join(cy))
    elif f == "report.html":
        (rx, _), (ry, _) = report_without_command(x), report_without_command(y)
        if rx != ry:
            bad.append("report.html differs beyond its command line")
        else:
            print("slurm-test:   same but the command line  report.html")
    else:
        bad.append("%s differs" % f)
for m in bad:
    print("slurm-test: DIFFERENCE: %s" % m, file=sys.stderr)
print("slurm-test: %d of %d files byte for byte identical" % (same, len(a | b)))
sys.exit(1 if bad else 0)
EOF

say "passed: $SHARDS array tasks + merge on Slurm = one brink run ($TRIALS trials, seed $SEED); total $(elapsed)"
