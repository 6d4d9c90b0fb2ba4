#!/usr/bin/env bash
# Trials per second and peak memory of `brink run` on the baseline scenario,
# then time per simulated step at several horizons.
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
