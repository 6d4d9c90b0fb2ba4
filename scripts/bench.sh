#!/usr/bin/env bash
# Trials per second and peak memory of `brink run` on the baseline scenario.
# Usage: scripts/bench.sh [TRIALS...]   (default: 100000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-10s %-8s %-10s %-12s %-10s\n' trials threads seconds trials/s peak_MB
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
for n in "${sizes[@]}"; do
  for t in 1 2; do
    /usr/bin/time -f '%e %M' -o "$out/time" \
      target/release/brink run scenarios/muscat-2026.toml --trials "$n" --threads "$t" --out "$out" --quiet
    read -r secs kb < "$out/time"
    awk -v n="$n" -v t="$t" -v s="$secs" -v kb="$kb" \
      'BEGIN { printf "%-10d %-8d %-10.2f %-12.0f %-10.1f\n", n, t, s, n / s, kb / 1024 }'
  done
done
