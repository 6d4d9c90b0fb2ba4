#!/usr/bin/env bash
# Trials per second and peak memory of `brink run` on the baseline scenario,
# then time per simulated step at several horizons, then (with valgrind)
# instructions per trial and per logit choice.
# Usage: scripts/bench.sh [TRIALS...]   (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
baseline="$PWD/scenarios/muscat-2026.toml"

printf '%-10s %-8s %-10s %-12s %-10s\n' trials threads seconds trials/s peak_MB
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
for n in "${sizes[@]}"; do
  for t in 1 2; do
    /usr/bin/time -f '%e %M' -o "$out/time" \
      target/release/brink run "$baseline" --trials "$n" --threads "$t" --out "$out" --quiet --no-plots
    read -r secs kb < "$out/time"
    awk -v n="$n" -v t="$t" -v s="$secs" -v kb="$kb" \
      'BEGIN { printf "%-10d %-8d %-10.2f %-12.0f %-10.1f\n", n, t, s, n / s, kb / 1024 }'
  done
done

# Trials that end in a deal or a war stop early, so the honest measure of
# linearity in the horizon is the time per simulated step (column `steps`
# of trials.csv).
echo
printf '%-8s %-10s %-10s %-14s %-10s\n' horizon trials seconds steps ns/step
n=100000
for h in 26 52 104 208; do
  printf 'extends = "%s"\n[scenario]\nname = "horizon-%d"\n[run]\nhorizon = %d\n' \
    "$baseline" "$h" "$h" > "$out/horizon-$h.toml"
  /usr/bin/time -f '%e' -o "$out/time" \
    target/release/brink run "$out/horizon-$h.toml" --trials "$n" --threads 2 --out "$out" --quiet --no-plots
  secs=$(cat "$out/time")
  steps=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "steps") c = i; next } { s += $c } END { print s }' \
    "$out/horizon-$h/trials.csv")
  awk -v h="$h" -v n="$n" -v s="$secs" -v st="$steps" \
    'BEGIN { printf "%-8d %-10d %-10.2f %-14d %-10.1f\n", h, n, s, st, s * 1e9 / st }'
done

# Instructions per trial and per logit choice (callgrind): two runs that
# differ only in their number of trials, so everything paid once per run
# (loading, compiling, writing the summary) cancels. The nested design of
# assumption draws is left out (`--assumption-draws 0`): it is a fixed
# number of trials, so it would cancel too, but would take far longer.
# Choices are counted as the calls of `move_weights`, made once per choice
# and kept out of line for that (every actor of the baseline is a logit one).
if command -v valgrind > /dev/null; then
  echo
  printf '%-12s %-16s %-16s %-14s\n' trials instructions instr/trial instr/choice
  lo=2000
  hi=4000
  for n in $lo $hi; do
    valgrind --tool=callgrind --callgrind-out-file="$out/cg-$n" \
      target/release/brink run "$baseline" --trials "$n" --threads 1 --no-plots --quiet \
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
else
  echo
  echo "valgrind not found: no instruction counts (apt-get install valgrind)"
fi
