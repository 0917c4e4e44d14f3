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
#                        // stdin: LINE               a line of standard input (all
#                                                     such lines, in order; default:
#                                                     stdin is /dev/null)
#                        // kiln-options: --budget=N  VM options, after the tier's
#                      Programs run under every tier: --tier=0, --tier=1, and auto with
#                      thresholds of 1 (one interpreted call, then compiled; OSR at the
#                      first loop back-edge); each (program, tier) is one test.
#                      Compile-error tests run once.
#   tests/modules/NAME/main.kl   multi-module programs: main.kl is the entry (its folder
#                      is the class path, so `import a.b` finds NAME/a/b.kl); the
#                      other .kl files there are only imported, never run on their own.
#   samples/*.kl       the sample programs, run like tests (with their expect lines).
#   tests/**/*.kasm    assembler sources (docs/assembler.md), assembled with `kiln asm`:
#                        // expect-asm-error: T       assembly fails (status 1), T in stderr
#                        // expect-verify-error: T    `kiln verify` refuses the class
#                                                     (status 1) with T in stderr
#                        // with: A.kasm B.kasm       more classes (paths relative to the
#                                                     test), assembled into the same
#                                                     directory, which is on the class
#                                                     path; a verify-error test with them
#                                                     is checked with `kiln run`
#                      otherwise the class runs under every tier like a .kl program,
#                      with the same expect/expect-exit/expect-stderr/args lines.
#                      Files under a lib/ directory are only used through `with:`.
#   tests/cli/*.sh     shell tests; run with KILN set; pass when they exit 0.
#   unit binaries      C unit tests and the API hosts (tests/embed/*.c, which run
#                      their own tests/embed/*.kl); pass when they exit 0.
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
TIERS=${TIERS:-"--tier=0|--tier=1|--tier=auto --jit-threshold=1 --osr-threshold=1"}
FILTER=${FILTER:-}
pass=0; fail=0

report_fail() { fail=$((fail + 1)); printf 'FAIL %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     /' | head -20; }

run_program() {   # file, tier flags (word-split on purpose)[, file to run instead]
    local f=$1 tier=$2 run=${3:-$1} want_exit got_exit out err args
    want_exit=$(sed -n 's#.*// expect-exit: *\([0-9]*\).*#\1#p' "$f" | head -n1)
    want_exit=${want_exit:-0}
    args=$(sed -n 's#.*// args: *##p' "$f" | head -n1)
    tier="$tier $(sed -n 's#.*// kiln-options: *##p' "$f" | head -n1)"
    sed -n 's#.*// expect: \{0,1\}##p' "$f" > "$TMP/want"
    local input=/dev/null
    if grep -q '// stdin:' "$f"; then
        sed -n 's#.*// stdin: \{0,1\}##p' "$f" > "$TMP/stdin"; input=$TMP/stdin
    fi
    # shellcheck disable=SC2086
    timeout 60 "$KILN" run $tier "$run" $args > "$TMP/out" 2> "$TMP/err" < "$input"
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

# expect-TAG texts of file f must all occur in file err.
lacks_texts() {   # file, tag, stderr file -> prints the first missing text
    local t
    while IFS= read -r t; do
        grep -qF -- "$t" "$3" || { printf '%s' "$t"; return 0; }
    done < <(sed -n "s#.*// $2: *##p" "$1")
    return 1
}

run_kasm() {   # file
    local f=$1 d klc st missing
    d="$TMP/kasm/$(basename "$f" .kasm)"; mkdir -p "$d"
    klc="$d/$(basename "$f" .kasm).klc"
    timeout 60 "$KILN" asm "$f" -o "$klc" > "$TMP/out" 2> "$TMP/err" < /dev/null; st=$?
    if grep -q '// expect-asm-error:' "$f"; then
        if [ "$st" != 1 ]; then report_fail "$f" "assembler exit status $st, expected 1"
        elif missing=$(lacks_texts "$f" expect-asm-error "$TMP/err"); then
            report_fail "$f" "stderr lacks: $missing
stderr: $(head -c 600 "$TMP/err")"
        else pass=$((pass + 1)); fi
        return
    fi
    if [ "$st" != 0 ]; then report_fail "$f" "does not assemble: $(head -c 600 "$TMP/err")"; return; fi
    local with w cmd=verify
    with=$(sed -n 's#.*// with: *##p' "$f")
    for w in $with; do
        cmd=run
        if ! timeout 60 "$KILN" asm "$(dirname "$f")/$w" -o "$d/$(basename "$w" .kasm).klc" 2> "$TMP/err"; then
            report_fail "$f" "$w does not assemble: $(head -c 600 "$TMP/err")"; return
        fi
    done
    if grep -q '// expect-verify-error:' "$f"; then
        timeout 60 "$KILN" $cmd "$klc" > "$TMP/out" 2> "$TMP/err" < /dev/null; st=$?
        if [ "$st" != 1 ]; then report_fail "$f" "verify exit status $st, expected 1
stderr: $(head -c 600 "$TMP/err")"
        elif [ "$(wc -l < "$TMP/err")" != 1 ]; then report_fail "$f" "expected one line on stderr, got:
$(head -c 600 "$TMP/err")"
        elif missing=$(lacks_texts "$f" expect-verify-error "$TMP/err"); then
            report_fail "$f" "stderr lacks: $missing
stderr: $(head -c 600 "$TMP/err")"
        else pass=$((pass + 1)); fi
        return
    fi
    local tiers t
    IFS='|' read -ra tiers <<< "$TIERS"
    for t in "${tiers[@]}"; do run_program "$f" "$t" "$klc"; done
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
    done < <({ find tests -name '*.kl' -not -path 'tests/cli/*' -not -path 'tests/modules/*' -not -path 'tests/embed/*'
               find tests/modules -mindepth 2 -maxdepth 2 -name main.kl 2>/dev/null
               find samples -maxdepth 1 -name '*.kl' 2>/dev/null; } | LC_ALL=C sort)

    while IFS= read -r f; do
        case "$f" in *"$FILTER"*) ;; *) continue ;; esac
        run_kasm "$f"
    done < <(find tests -name '*.kasm' -not -path '*/lib/*' -not -path 'tests/fuzz/*' | LC_ALL=C sort)

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
