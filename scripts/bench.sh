#!/usr/bin/env bash
# Trials per second and peak memory of `brink run` on the baseline scenario
# at horizons of 52 and 3,650 steps, peak memory by thread count, then the
# cost of a simulated step at several horizons (CPU time, and instructions
# from callgrind when valgrind is installed), then instructions per trial
# and per logit choice.
# Usage: scripts/bench.sh [TRIALS...]   (default: 100000 1000000)
# BRINK_BENCH_PARTS=throughput,threads,steps,callgrind,choices picks the parts.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
baseline="$PWD/scenarios/muscat-2026.toml"
brink="$PWD/target/release/brink"
parts="${BRINK_BENCH_PARTS:-throughput,threads,steps,callgrind,choices}"
want() { [[ ",$parts," == *",$1,"* ]]; }

# The baseline with another horizon, beside it so `extends` stays inside
# the scenario root.
horizon_file() {
  local h=$1 f="$PWD/scenarios/.bench-horizon-$1.toml"
  printf 'extends = "muscat-2026.toml"\n[scenario]\nname = "horizon-%d"\n[run]\nhorizon = %d\n' \
    "$h" "$h" > "$f"
  echo "$f"
}
trap 'rm -rf "$out" "$PWD"/scenarios/.bench-horizon-*.toml' EXIT

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)

if want throughput; then
  printf '%-10s %-8s %-8s %-8s %-10s %-12s %-10s\n' trials horizon threads table seconds trials/s peak_MB
  for h in 52 3650; do
    f=$(horizon_file "$h")
    for n in "${sizes[@]}"; do
      for t in 1 2; do
        # Beyond a million trials, without the table (4 GB at 10 million).
        table=yes
        args=()
        if [ "$n" -gt 1000000 ]; then table=no; args=(--no-trials-table); fi
        /usr/bin/time -f '%e %M' -o "$out/time" \
          "$brink" run "$f" --trials "$n" --threads "$t" --out "$out" --quiet --no-plots --assumption-draws 0 "${args[@]}"
        read -r secs kb < "$out/time"
        awk -v n="$n" -v h="$h" -v t="$t" -v tb="$table" -v s="$secs" -v kb="$kb" \
          'BEGIN { printf "%-10d %-8d %-8d %-8s %-10.2f %-12.0f %-10.1f\n", n, h, t, tb, s, n / s, kb / 1024 }'
      done
    done
  done
  echo
fi

# Memory by thread count: the slope is the memory of one more worker.
if want threads; then
  printf '%-8s %-8s %-10s\n' horizon threads peak_MB
  for h in 52 3650; do
    f=$(horizon_file "$h")
    for t in 1 2 4 8; do
      /usr/bin/time -f '%M' -o "$out/time" \
        "$brink" run "$f" --trials 200000 --threads "$t" --out "$out" --quiet --no-plots --assumption-draws 0 --no-trials-table
      awk -v h="$h" -v t="$t" -v kb="$(cat "$out/time")" \
        'BEGIN { printf "%-8d %-8d %-10.1f\n", h, t, kb / 1024 }'
    done
  done
  echo
fi

# Trials that end in a deal stop early, so the honest measure of the cost
# of the horizon is the CPU time per simulated step (column `steps` of
# trials.csv), on one thread.
steps_of() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "steps") c = i; next } { s += $c } END { print s }' "$1"
}
if want steps; then
  printf '%-8s %-10s %-10s %-14s %-10s\n' horizon trials cpu_s steps ns/step
  n=100000
  for h in 26 52 520 3650; do
    f=$(horizon_file "$h")
    /usr/bin/time -f '%U %S' -o "$out/time" \
      "$brink" run "$f" --trials "$n" --threads 1 --out "$out" --quiet --no-plots --assumption-draws 0
    read -r user sys < "$out/time"
    steps=$(steps_of "$out/horizon-$h/trials.csv")
    awk -v h="$h" -v n="$n" -v u="$user" -v s="$sys" -v st="$steps" \
      'BEGIN { printf "%-8d %-10d %-10.2f %-14d %-10.1f\n", h, n, u + s, st, (u + s) * 1e9 / st }'
  done
  echo
fi

# Instructions per simulated step (repeatable whatever the load).
if want callgrind && command -v valgrind > /dev/null; then
  printf '%-8s %-10s %-16s %-12s %-10s\n' horizon trials instructions steps instr/step
  n=2000
  for h in 26 52 520 3650; do
    f=$(horizon_file "$h")
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.$h" \
      "$brink" run "$f" --trials "$n" --threads 1 --out "$out" --quiet --no-plots --assumption-draws 0 2> "$out/cg.log"
    ir=$(awk '/^summary:/ { print $2 }' "$out/cg.$h")
    steps=$(steps_of "$out/horizon-$h/trials.csv")
    awk -v h="$h" -v n="$n" -v ir="$ir" -v st="$steps" \
      'BEGIN { printf "%-8d %-10d %-16d %-12d %-10.0f\n", h, n, ir, st, ir / st }'
  done
fi

# Instructions per trial and per logit choice (callgrind): two runs that
# differ only in their number of trials, so everything paid once per run
# (loading, compiling, writing the summary) cancels. The nested design of
# assumption draws is left out (`--assumption-draws 0`): it is a fixed
# number of trials, so it would cancel too, but would take far longer.
# Choices are counted as the calls of `move_weights`, made once per choice
# and kept out of line for that (every actor of the baseline is a logit one).
if want choices && command -v valgrind > /dev/null; then
  echo
  printf '%-12s %-16s %-16s %-14s\n' trials instructions instr/trial instr/choice
  lo=2000
  hi=4000
  for n in $lo $hi; do
    valgrind --tool=callgrind --callgrind-out-file="$out/cg-$n" \
      "$brink" run "$baseline" --trials "$n" --threads 1 --no-plots --quiet \
      --assumption-draws 0 --out "$out" > /dev/null 2>&1
    total=$(awk '/^(summary|totals):/ { print $2; exit }' "$out/cg-$n")
    calls=$(callgrind_annotate --tree=caller "$out/cg-$n" 2> /dev/null |
      awk '/^ *[0-9,]+ .* < / { buf = buf $0 "\n"; next }
           /\* .*move_weights/ { printf "%s", buf } { buf = "" }' |
      grep -o '([0-9,]*x)' | tr -d '(),x' | awk '{ s += $1 } END { print s + 0 }')
    if [ "$n" = "$lo" ]; then total_lo=$total calls_lo=$calls; else total_hi=$total calls_hi=$calls; fi
    printf '%-12d %-16d\n' "$n" "$total"
  done
  awk -v a="$total_lo" -v b="$total_hi" -v ca="$calls_lo" -v cb="$calls_hi" -v n="$((hi - lo))" \
    'BEGIN { d = b - a; c = cb - ca;
             printf "%-12s %-16d %-16.0f %-14.0f\n", "difference", d, d / n, (c > 0 ? d / c : 0);
             printf "logit choices per trial: %.1f\n", c / n }'
fi
if ! command -v valgrind > /dev/null; then
  echo
  echo "valgrind not found: no instruction counts (apt-get install valgrind)"
fi
