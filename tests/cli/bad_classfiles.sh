# Damaged class files and archives: one line on stderr, exit status 1, never a crash.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0
expect_error() {   # file, expected text
    local out st
    out=$("$KILN" run "$1" 2>&1 >/dev/null); st=$?
    if [ "$st" != 1 ]; then echo "$1: exit status $st, expected 1 ($out)"; fails=$((fails+1)); return; fi
    if [ "$(printf '%s\n' "$out" | wc -l)" != 1 ]; then echo "$1: expected one line, got: $out"; fails=$((fails+1)); return; fi
    case "$out" in *"$2"*) ;; *) echo "$1: stderr lacks '$2': $out"; fails=$((fails+1)) ;; esac
    # verify and dis must refuse it the same way, without crashing
    "$KILN" verify "$1" >/dev/null 2>&1; st=$?; [ "$st" -lt 128 ] || { echo "$1: verify crashed ($st)"; fails=$((fails+1)); }
    "$KILN" dis "$1" >/dev/null 2>&1; st=$?; [ "$st" -lt 128 ] || { echo "$1: dis crashed ($st)"; fails=$((fails+1)); }
}

cat > "$T/ok.kl" <<'KL'
fun main() { println("fine") }
KL
"$KILN" build -d "$T/cls" "$T/ok.kl" || { echo "build failed"; exit 1; }
good="$T/cls/ok.klc"
[ "$("$KILN" run "$good")" = "fine" ] || { echo "the undamaged class does not run"; exit 1; }
size=$(stat -c %s "$good")

head -c $((size / 2)) "$good" > "$T/trunc.klc";          expect_error "$T/trunc.klc" "truncated class file"
head -c 3 "$good" > "$T/tiny.klc";                       expect_error "$T/tiny.klc" "truncated class file"
: > "$T/empty.klc";                                       expect_error "$T/empty.klc" "truncated class file"
{ printf 'JAVA'; tail -c +5 "$good"; } > "$T/magic.klc"; expect_error "$T/magic.klc" "bad magic"
{ head -c 4 "$good"; printf '\007\000'; tail -c +7 "$good"; } > "$T/ver.klc"
expect_error "$T/ver.klc" "unsupported class file version 7.1"
# A hand-made class whose this_class names constant 9 of a 1-entry pool.
printf 'KILN\000\000\001\000\002\000\001\001\000\000\000m\000\000\011\000' > "$T/cpidx.klc"
expect_error "$T/cpidx.klc" "this_class: constant index 9 out of range"
# ... and one whose this_class is a utf8 constant, not a class.
printf 'KILN\000\000\001\000\002\000\001\001\000\000\000m\000\000\001\000' > "$T/cpkind.klc"
expect_error "$T/cpkind.klc" "this_class: constant 1 is utf8, expected class"
head -c 100 /dev/urandom > "$T/noise.kar" 2>/dev/null;   expect_error "$T/noise.kar" "cannot open archive"
printf 'not a zip' > "$T/text.kar";                       expect_error "$T/text.kar" "Not a zip archive"
"$KILN" run "$T/missing.klc" >/dev/null 2>&1; st=$?
[ "$st" = 1 ] || { echo "missing file: status $st"; fails=$((fails+1)); }
exit $fails
