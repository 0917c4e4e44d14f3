#!/usr/bin/env bash
# bench/collections/run.sh [-n RUNS] [-- N REPS K KREPS] — List<int>.get and
# Map<String, int>.get in Kiln (--tier=0, --tier=1, auto) against Java 17, Lua 5.4
# and LuaJIT, side by side (`make bench-collections`). Every program times its own
# phases (after building the list / map) and checks its sums. Runs are interleaved
# (system after system, round after round) against noise on a shared machine; the
# table gives each phase's median and min in ms, and the ratio of the median to
# Java's and to Lua 5.4's (>1: slower than them). A missing peer is skipped.
set -eu
cd "$(dirname "$0")/../.."
RUNS=5
[ "${1:-}" = "-n" ] && { RUNS=$2; shift 2; }
[ "${1:-}" = "--" ] && shift
SIZES=("$@")
KILN=${KILN:-bin/kiln}
OUT=${OUT:-build/bench/collections}
mkdir -p "$OUT"
[ -x "$KILN" ] || make -s "$KILN"

SYSTEMS=(kiln-t0 kiln-t1 kiln-auto)
if command -v javac > /dev/null && command -v java > /dev/null; then
    javac -d "$OUT" bench/collections/Collections.java && SYSTEMS+=(java)
else echo "note: no javac/java, Java skipped" >&2; fi
command -v lua5.4 > /dev/null && SYSTEMS+=(lua5.4) || echo "note: no lua5.4, skipped" >&2
command -v luajit > /dev/null && SYSTEMS+=(luajit) || echo "note: no luajit, skipped" >&2

run() {   # system -> the program's output
    case $1 in
    kiln-t0)   "$KILN" run --tier=0 bench/collections/collections.kl "${SIZES[@]}" ;;
    kiln-t1)   "$KILN" run --tier=1 bench/collections/collections.kl "${SIZES[@]}" ;;
    kiln-auto) "$KILN" run --tier=auto bench/collections/collections.kl "${SIZES[@]}" ;;
    java)      java -cp "$OUT" Collections "${SIZES[@]}" ;;
    lua5.4)    lua5.4 bench/collections/collections.lua "${SIZES[@]}" ;;
    luajit)    luajit bench/collections/collections.lua "${SIZES[@]}" ;;
    esac
}

: > "$OUT/times"
for ((r = 0; r < RUNS; r++)); do
    for s in "${SYSTEMS[@]}"; do
        out=$(run "$s") || { echo "$s failed:"; echo "$out"; exit 1; } >&2
        printf '%s\n' "$out" | awk -v s="$s" '{ print s, $1, $2 }' >> "$OUT/times"
    done
done

echo "median of $RUNS runs, ms (sizes: ${SIZES[*]:-1000000 20 100000 20})"
awk '
    { t[$1 " " $2] = t[$1 " " $2] " " $3; if (!($1 in seen)) { seen[$1] = 1; order[++ns] = $1 } }
    function stats(key,   a, n, i, j, x) {
        n = split(t[key], a, " ")
        for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > x + 0; j--) a[j + 1] = a[j]; a[j + 1] = x }
        med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2; mn = a[1]
    }
    END {
        printf "%-10s %-8s %10s %10s %9s %9s\n", "system", "phase", "median", "min", "vs java", "vs lua5.4"
        split("listget mapget", ph, " ")
        for (p = 1; p <= 2; p++) {
            java = ""; lua = ""
            if (("java " ph[p]) in t) { stats("java " ph[p]); java = med }
            if (("lua5.4 " ph[p]) in t) { stats("lua5.4 " ph[p]); lua = med }
            for (i = 1; i <= ns; i++) {
                stats(order[i] " " ph[p])
                printf "%-10s %-8s %10.1f %10.1f %9s %9s\n", order[i], ph[p], med, mn,
                    java != "" ? sprintf("%.2fx", med / java) : "-", lua != "" ? sprintf("%.2fx", med / lua) : "-"
            }
        }
    }' "$OUT/times"
