#!/usr/bin/env bash
# tools/fuzz.sh SECONDS TARGET...
#
# Runs each libFuzzer target build-fuzz/fuzz_TARGET (built by `make FUZZ=1 fuzz-build`)
# for SECONDS, one at a time with one worker. Inputs it finds interesting go to
# build-fuzz/corpus_TARGET (not committed); the committed seeds in
# tests/fuzz/corpus_TARGET are read, never written. A crash leaves its input in
# build-fuzz/findings/ and fails the target: copy it to tests/fuzz/regressions/TARGET/
# once fixed, where `make test` replays it. Ends with "fuzz: N passed, N failed".
set -u
SECONDS_EACH=${1:?usage: fuzz.sh SECONDS TARGET...}; shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
mkdir -p build-fuzz/findings
pass=0; fail=0
for t in "$@"; do
    bin=build-fuzz/fuzz_$t
    [ -x "$bin" ] || { echo "fuzz: $bin is missing (make FUZZ=1 fuzz-build)"; fail=$((fail + 1)); continue; }
    mkdir -p "build-fuzz/corpus_$t"
    dict=(); [ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
    log=build-fuzz/fuzz_$t.log
    # Boehm GC and ASan: no fake stacks (detect_stack_use_after_return) -- Boehm does
    # not scan them; the targets are also built with use-after-return disabled.
    ASAN_OPTIONS=detect_stack_use_after_return=0:detect_leaks=1 \
    "$bin" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=20 -rss_limit_mb=3072 \
        -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$t-" "${dict[@]}" \
        "build-fuzz/corpus_$t" "tests/fuzz/corpus_$t" > "$log" 2>&1
    st=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ "$st" = 0 ]; then
        pass=$((pass + 1)); echo "fuzz $t: ${SECONDS_EACH}s, ${runs:-?} runs, no findings"
    else
        fail=$((fail + 1)); echo "FAIL fuzz $t (status $st); log: $log"
        grep -E 'ERROR|SUMMARY|round trip|Test unit written' "$log" | head -8 | sed 's/^/     /'
    fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
