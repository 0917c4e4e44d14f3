#!/usr/bin/env bash
# tools/runtests.sh KILN [UNIT_TEST_BINARIES...]
#
# Runs every test and ends with the line "N passed, N failed".
#   tests/**/*.kl      Kiln programs; inline expectations:
#                        // expect: LINE              next line of stdout, exactly
#                        // expect-exit: N            exit status (default 0)
#                        // expect-stderr: TEXT       TEXT occurs in stderr
#                        // expect-compile-error: T   compile fails (status 2) and T occurs
#                                                     in a line of stderr
#                        // args: A B ...             program arguments
#                      Programs run under every tier: --tier=0, --tier=1, and auto with a
#                      threshold of 1; each (program, tier) is one test. Compile-error
#                      tests run once.
#   tests/cli/*.sh     shell tests; run with KILN set; pass when they exit 0.
#   unit binaries      C unit tests; pass when they exit 0.
# --unit-only KILN BINARIES: only the unit tests.  TIERS="..." overrides the tier list.
# FILTER=substring limits the .kl and .sh tests to paths containing it.
set -u
UNIT_ONLY=0
[ "${1:-}" = "--unit-only" ] && { UNIT_ONLY=1; shift; }
KILN=${1:?usage: runtests.sh KILN [unit binaries...]}; shift
KILN=$(cd "$(dirname "$KILN")" && pwd)/$(basename "$KILN")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export KILN
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
TIERS=${TIERS:-"--tier=0|--tier=1|--tier=auto --jit-threshold=1"}
FILTER=${FILTER:-}
pass=0; fail=0

report_fail() { fail=$((fail + 1)); printf 'FAIL %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     /' | head -20; }

run_program() {   # file, tier flags (word-split on purpose)
    local f=$1 tier=$2 want_exit got_exit out err args
    want_exit=$(sed -n 's#.*// expect-exit: *\([0-9]*\).*#\1#p' "$f" | head -n1)
    want_exit=${want_exit:-0}
    args=$(sed -n 's#.*// args: *##p' "$f" | head -n1)
    sed -n 's#.*// expect: \{0,1\}##p' "$f" > "$TMP/want"
    # shellcheck disable=SC2086
    timeout 60 "$KILN" run $tier "$f" $args > "$TMP/out" 2> "$TMP/err" < /dev/null
    got_exit=$?
    local why=""
    if [ "$got_exit" != "$want_exit" ]; then why="exit status $got_exit, expected $want_exit"; fi
    if [ -z "$why" ] && ! cmp -s "$TMP/want" "$TMP/out"; then
        why="stdout differs (expected vs got):
$(diff "$TMP/want" "$TMP/out" | head -15)"
    fi
    if [ -z "$why" ]; then
        while IFS= read -r t; do
            grep -qF -- "$t" "$TMP/err" || { why="stderr lacks: $t"; break; }
        done < <(sed -n 's#.*// expect-stderr: *##p' "$f")
    fi
    if [ -z "$why" ] && [ "$got_exit" != 0 ] && ! grep -q '// expect-stderr:' "$f"; then
        : # a nonzero expected status without stderr expectations is fine
    fi
    if [ -n "$why" ]; then
        report_fail "$f [$tier]" "$why
stderr: $(head -c 600 "$TMP/err")"
    else
        pass=$((pass + 1))
    fi
}

run_compile_error() {
    local f=$1 got_exit why=""
    timeout 60 "$KILN" run "$f" > "$TMP/out" 2> "$TMP/err" < /dev/null
    got_exit=$?
    [ "$got_exit" = 2 ] || why="exit status $got_exit, expected 2"
    if [ -z "$why" ]; then
        while IFS= read -r t; do
            grep -qF -- "$t" "$TMP/err" || { why="stderr lacks: $t"; break; }
        done < <(sed -n 's#.*// expect-compile-error: *##p' "$f")
    fi
    if [ -n "$why" ]; then
        report_fail "$f" "$why
stderr: $(head -c 800 "$TMP/err")"
    else
        pass=$((pass + 1))
    fi
}

if [ $UNIT_ONLY = 0 ]; then
    while IFS= read -r f; do
        case "$f" in *"$FILTER"*) ;; *) continue ;; esac
        if grep -q '// expect-compile-error:' "$f"; then
            run_compile_error "$f"
        else
            IFS='|' read -ra tiers <<< "$TIERS"
            for t in "${tiers[@]}"; do run_program "$f" "$t"; done
        fi
    done < <(find tests -name '*.kl' -not -path 'tests/cli/*' | LC_ALL=C sort)

    while IFS= read -r s; do
        case "$s" in *"$FILTER"*) ;; *) continue ;; esac
        if out=$(cd "$ROOT" && timeout 120 bash "$s" 2>&1); then pass=$((pass + 1))
        else report_fail "$s" "$out"; fi
    done < <(find tests/cli -name '*.sh' 2>/dev/null | LC_ALL=C sort)
fi

for u in "$@"; do
    if out=$(timeout 300 "$u" 2>&1); then pass=$((pass + 1))
    else report_fail "$u" "$out"; fi
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
