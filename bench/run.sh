#!/usr/bin/env bash
# bench/run.sh [-n RUNS] [BENCH...] — whole-process times of single-file Kiln programs
# (default bench/kiln/fib.kl and loops.kl) in each tier; `make bench` is the full suite.
# Runs are interleaved (tier after tier, round after round) to resist noise on a shared
# machine; prints the median and min of each, and each tier's ratio to tier 0.
set -eu
cd "$(dirname "$0")/.."
RUNS=5
[ "${1:-}" = "-n" ] && { RUNS=$2; shift 2; }
KILN=${KILN:-bin/kiln}
BENCHES=("$@")
[ ${#BENCHES[@]} -gt 0 ] || BENCHES=(bench/kiln/fib.kl bench/kiln/loops.kl)   # single-file programs; the AWFY ports run via bench/bench.py
TIERS=("--tier=0" "--tier=1" "--tier=auto")
now() { date +%s%N; }
printf '%-12s %-12s %10s %10s %8s\n' bench tier median_ms min_ms vs_tier0
for b in "${BENCHES[@]}"; do
    declare -A times=()
    for ((r = 0; r < RUNS; r++)); do
        for t in "${TIERS[@]}"; do
            s=$(now)
            "$KILN" run $t "$b" > /dev/null || { echo "$b failed under $t" >&2; exit 1; }
            e=$(now)
            times[$t]="${times[$t]:-} $(( (e - s) / 1000 ))"
        done
    done
    base=""
    for t in "${TIERS[@]}"; do
        read -r med min < <(printf '%s\n' ${times[$t]} | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)], a[1]}')
        [ -n "$base" ] || base=$med
        awk -v n="$(basename "$b" .kl)" -v t="$t" -v med="$med" -v min="$min" -v base="$base" \
            'BEGIN { printf "%-12s %-12s %10.1f %10.1f %7.2fx\n", n, t, med / 1000, min / 1000, base / med }' 
    done
    unset times
done
