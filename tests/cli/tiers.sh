# Seeing the tiers: --stats shows OSR for a main that is one hot loop (auto mode,
# default thresholds); --trace-jit prints a line per compilation, marked OSR when a
# loop caused it; `kiln dis --jit` prints machine code; --budget stops a loop.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0
bad() { echo "$1"; fails=$((fails + 1)); }

cat > "$T/oneloop.kl" <<'KL'
fun main() {
    var total = 0
    var i = 0
    while i < 300000 {
        total = total + i % 7
        i++
    }
    println(total)
}
KL
out=$("$KILN" run --stats "$T/oneloop.kl" 2> "$T/stats"); st=$?
[ "$st" = 0 ] && [ "$out" = 899997 ] || bad "oneloop: status $st, output '$out'"
line=$(grep '^oneloop.main()V ' "$T/stats")
# columns: method calls backedges tier osr compile native note
set -- $line
[ "${2:-}" = 1 ] || bad "stats: main calls '${2:-}', expected 1: $line"
[ "${3:-}" = 299999 ] || bad "stats: main back-edges '${3:-}', expected 299999: $line"
[ "${4:-}" = 1 ] || bad "stats: main tier '${4:-}', expected 1: $line"
[ "${5:-}" = 1 ] || bad "stats: main OSR entries '${5:-}', expected 1: $line"
grep -q 'compiled for OSR at pc' "$T/stats" || bad "stats: no 'compiled for OSR' note: $(cat "$T/stats")"
grep -q '^total: .* 1 OSR entries; 1 methods compiled (1 for OSR)' "$T/stats" ||
    bad "stats: totals lack the OSR entry: $(grep '^total' "$T/stats")"
grep -q 'bytecode B/ms' "$T/stats" || bad "stats: totals lack the compile speed"

# --stats ends with the collector's line; a program that allocates 100 MB of
# garbage makes it collect.
cat > "$T/churn.kl" <<'KL'
fun main() {
    var n = 0
    for i in 0..10000 { let a = new int[1250]; n += a.length }
    println(n)
}
KL
"$KILN" run --stats "$T/churn.kl" > /dev/null 2> "$T/gcstats"
gcline=$(tail -n 1 "$T/gcstats")
case "$gcline" in
    "gc: "*" collections, heap "*" MB "*) ;;
    *) bad "stats: last line is not the gc line: $gcline" ;;
esac
set -- $gcline
[ "${2:-0}" -gt 2 ] 2>/dev/null || bad "stats: churn made ${2:-?} collections, expected more than 2: $gcline"

# The interpreter alone: no compilation, no OSR.
"$KILN" run --tier=0 --stats "$T/oneloop.kl" > /dev/null 2> "$T/stats0"
set -- $(grep '^oneloop.main()V ' "$T/stats0")
[ "${4:-}" = 0 ] && [ "${5:-}" = 0 ] || bad "tier 0 stats: tier '${4:-}', osr '${5:-}'"

# --trace-jit: one line per compilation; the OSR one says where.
"$KILN" run --trace-jit "$T/oneloop.kl" > /dev/null 2> "$T/trace"
grep -Eq '^jit: tier1 oneloop\.main \(\)V bytecode=[0-9]+ B native=[0-9]+ B time=[0-9.]+ ms OSR@[0-9]+$' "$T/trace" ||
    bad "trace-jit: no OSR line: $(cat "$T/trace")"
# A method compiled for its calls: no OSR mark.
cat > "$T/calls.kl" <<'KL'
fun sq(x: int): int { return x * x }
fun main() {
    var s = 0
    for i in 0..10 { s += sq(i) }
    println(s)
}
KL
out=$("$KILN" run --trace-jit --jit-threshold=3 --osr-threshold=100000 "$T/calls.kl" 2> "$T/trace2")
[ "$out" = 285 ] || bad "calls.kl printed '$out'"
grep -Eq '^jit: tier1 calls\.sq \(I\)I bytecode=[0-9]+ B native=[0-9]+ B time=[0-9.]+ ms$' "$T/trace2" ||
    bad "trace-jit: no line for sq: $(cat "$T/trace2")"
[ "$(grep -c '^jit:' "$T/trace2")" = 1 ] || bad "trace-jit: expected one compilation: $(cat "$T/trace2")"
set -- $("$KILN" run --stats --jit-threshold=3 --osr-threshold=100000 "$T/calls.kl" 2>&1 >/dev/null | grep '^calls.sq(I)I ')
[ "${2:-}" = 10 ] && [ "${4:-}" = 1 ] || bad "stats: sq calls '${2:-}' tier '${4:-}' (compiled calls must count)"

# dis --jit: machine code of one function and of one method.
cat > "$T/shapes.kl" <<'KL'
class Box {
    var w: int
    init(w: int) { this.w = w }
    fun area(): int { return w * w }
}
fun sum(n: int): int {
    var s = 0
    for i in 0..n { s += i }
    return s
}
fun main() { println(sum(4) + Box(3).area()) }
KL
"$KILN" dis --jit shapes.sum "$T/shapes.kl" > "$T/dis" 2>&1 || bad "dis --jit shapes.sum failed: $(head -5 "$T/dis")"
head -1 "$T/dis" | grep -q '^; shapes.sum (I)I  [0-9]* bytes of ' || bad "dis --jit: bad header: $(head -1 "$T/dis")"
grep -Eq 'ret|mov|[0-9a-f]{2} [0-9a-f]{2}' "$T/dis" || bad "dis --jit: no instructions: $(head -5 "$T/dis")"
[ "$(wc -l < "$T/dis")" -gt 10 ] || bad "dis --jit: too short: $(cat "$T/dis")"
"$KILN" dis --jit shapes.Box.area "$T/shapes.kl" > "$T/dis2" 2>&1 || bad "dis --jit shapes.Box.area failed: $(head -5 "$T/dis2")"
"$KILN" dis --jit shapes.nosuch "$T/shapes.kl" > /dev/null 2> "$T/err"; st=$?
[ "$st" = 1 ] && grep -q 'has no method nosuch' "$T/err" || bad "dis --jit of a missing method: status $st: $(cat "$T/err")"

# --budget: the same error and trace in every tier.
cat > "$T/forever.kl" <<'KL'
fun spin(n: int) {
    var x = n
    while true {
        x = x + 1
    }
}
fun main() {
    spin(1)
}
KL
for tier in --tier=0 --tier=1 --tier=auto "--tier=auto --jit-threshold=1 --osr-threshold=1"; do
    # shellcheck disable=SC2086
    "$KILN" run $tier --budget=50000 "$T/forever.kl" > /dev/null 2> "$T/b.$fails"; st=$?
    want='Uncaught InterruptedError: execution budget exhausted
  at forever.spin (forever.kl:3)
  at forever.main (forever.kl:8)'
    [ "$st" = 1 ] && [ "$(cat "$T/b.$fails")" = "$want" ] || bad "budget under $tier: status $st: $(cat "$T/b.$fails")"
done
exit $fails
