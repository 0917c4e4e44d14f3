# Damaged or hostile archives (tests/cli/archives/*.kar, made with Python's zipfile):
# each refused with one clear line on stderr and status 1 by run, verify and dis.
set -u
A=tests/cli/archives
fails=0
expect_error() {   # archive, expected text[, commands]
    local cmd out st
    for cmd in ${3:-run verify dis}; do
        out=$("$KILN" $cmd "$A/$1" 2>&1 >/dev/null); st=$?
        if [ "$st" != 1 ]; then echo "$cmd $1: exit status $st, expected 1 ($out)"; fails=$((fails+1)); continue; fi
        [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || { echo "$cmd $1: expected one line, got: $out"; fails=$((fails+1)); }
        case "$out" in *"$2"*) ;; *) echo "$cmd $1: stderr lacks '$2': $out"; fails=$((fails+1)) ;; esac
    done
}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
printf 'fun main() { println("fine") }\n' > "$T/ok.kl"
"$KILN" build -o "$T/ok.kar" "$T/ok.kl" && [ "$("$KILN" run "$T/ok.kar")" = fine ] ||
    { echo "a good archive does not run"; fails=$((fails+1)); }
expect_error duplicate.kar   "bad archive: duplicate entry"
expect_error dotdot.kar      "entry name '../evil.klc' escapes the archive"
expect_error absolute.kar    "entry name '/etc/evil.klc' escapes the archive"
expect_error backslash.kar   "escapes the archive"
expect_error bigmanifest.kar "manifest is too large" "run verify"    # dis reads no manifest
out=$("$KILN" run "$A/nomanifest.kar" 2>&1 >/dev/null)
case "$out" in *"no META-INF/KILN.MF"*) ;; *) echo "nomanifest.kar: $out"; fails=$((fails+1)) ;; esac
exit $fails
