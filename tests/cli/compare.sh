# `kiln compare`: a program run in tiers 0, 1 and auto side by side. Agreeing tiers
# give a table and status 0; a program whose output depends on the tier (it prints
# std.sys.currentTier()) is reported as a disagreement with status 1; arguments and
# options reach the program; usage errors are status 64.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0
bad() { echo "$1"; fails=$((fails + 1)); }

cat > "$T/sum.kl" <<'KL'
fun main(args: String[]) {
    var total = 0
    for i in 0..20000 { total += i % 7 }
    println(total)
    println(args.length > 0 ? args[0] : "none")
}
KL
out=$("$KILN" compare --runs=2 "$T/sum.kl" hello 2> "$T/err"); st=$?
[ "$st" = 0 ] || bad "agreeing tiers: status $st: $out $(cat "$T/err")"
grep -q '^kiln compare: .*sum.kl, 2 runs per tier' <<<"$out" || bad "no header: $out"
for row in '^0 .* 0  reference$' '^1 .* 0  same$' '^auto .* 0  same$'; do
    grep -q "$row" <<<"$out" || bad "no row matching '$row': $out"
done
# tier 1 compiles main, tier 0 compiles nothing, auto moves main's loop by OSR
grep -q '^  1 .* 1 methods compiled' <<<"$out" || bad "no tier 1 stats: $out"
grep -q '^  0 .* 0 methods compiled' <<<"$out" || bad "no tier 0 stats: $out"

# the tiers disagree: tier 1 prints 1
cat > "$T/tier.kl" <<'KL'
import std.sys
fun main() { println("tier " + str(sys.currentTier())) }
KL
out=$("$KILN" compare --runs=1 "$T/tier.kl" 2> "$T/err"); st=$?
[ "$st" = 1 ] || bad "disagreeing tiers: status $st, expected 1: $out"
grep -q "tier 1's output differs from tier 0's at line 1" "$T/err" || bad "no difference shown: $(cat "$T/err")"
grep -q '^  tier 1: tier 1$' "$T/err" || bad "difference lacks tier 1's line: $(cat "$T/err")"
grep -q '^1 .*DIFFERS$' <<<"$out" || bad "tier 1 row not DIFFERS: $out"
grep -q 'the tiers DISAGREE' <<<"$out" || bad "no DISAGREE line: $out"

# an uncaught error in every tier is an agreement on status 1; its message is shown
cat > "$T/boom.kl" <<'KL'
fun main() { println("before"); throw Error("boom") }
KL
out=$("$KILN" compare --runs=1 --budget=100000 "$T/boom.kl" 2> "$T/err"); st=$?
[ "$st" = 0 ] || bad "same failure everywhere: status $st: $out"
grep -q '^auto .* 1  same$' <<<"$out" || bad "auto row lacks exit 1: $out"
grep -q 'boom' "$T/err" || bad "the program's error is not shown: $(cat "$T/err")"

# usage
"$KILN" compare > /dev/null 2>&1; st=$?
[ "$st" = 64 ] || bad "no file: status $st"
"$KILN" compare --tier=1 "$T/sum.kl" > /dev/null 2> "$T/err"; st=$?
[ "$st" = 64 ] && grep -q 'set by compare itself' "$T/err" || bad "--tier: status $st $(cat "$T/err")"
"$KILN" compare --runs=0 "$T/sum.kl" > /dev/null 2> "$T/err"; st=$?
[ "$st" = 64 ] && grep -q 'runs must be' "$T/err" || bad "--runs=0: status $st $(cat "$T/err")"
out=$("$KILN" compare --runs=1 "$T/missing.kl" 2> "$T/err"); st=$?
[ "$st" = 1 ] && grep -q 'missing.kl: No such file' "$T/err" || bad "missing file: status $st $(cat "$T/err")"
exit $((fails > 0))
