# `kiln build` to a directory and to an archive; both run the same; dis and verify work.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0
check() { if [ "$2" != "$3" ]; then echo "$1: got '$2', expected '$3'"; fails=$((fails+1)); fi; }
cat > "$T/app.kl" <<'KL'
fun twice(x: int): int { return x * 2 }
fun main(): int {
    println(twice(21))
    return 3
}
KL
"$KILN" build -o "$T/app.kar" "$T/app.kl" || { echo "build -o failed"; exit 1; }
"$KILN" build -d "$T/out" "$T/app.kl" || { echo "build -d failed"; exit 1; }
out=$("$KILN" run "$T/app.kar"); st=$?
check "kar output" "$out" "42"; check "kar status" "$st" "3"
out=$("$KILN" run "$T/out/app.klc"); st=$?
check "klc output" "$out" "42"; check "klc status" "$st" "3"
for t in 0 1 auto; do
    out=$("$KILN" run --tier=$t "$T/app.kar"); check "tier $t" "$out" "42"
done
"$KILN" dis "$T/app.kar" > "$T/dis.txt" || { echo "dis failed"; fails=$((fails+1)); }
grep -q "method twice(I)I" "$T/dis.txt" || { echo "dis lacks twice"; fails=$((fails+1)); }
grep -q "imul" "$T/dis.txt" || { echo "dis lacks imul"; fails=$((fails+1)); }
grep -q "invokestatic" "$T/dis.txt" || { echo "dis lacks invokestatic"; fails=$((fails+1)); }
out=$("$KILN" verify "$T/app.kar"); check "verify kar" "$out" "$T/app.kar: 1 class verified"
out=$("$KILN" verify "$T/app.kl"); check "verify kl" "$out" "$T/app.kl: 1 class verified"
"$KILN" --version | grep -q '^kiln ' || { echo "--version"; fails=$((fails+1)); }
"$KILN" --help | grep -q 'usage:' || { echo "--help"; fails=$((fails+1)); }
"$KILN" --bogus "$T/app.kl" >/dev/null 2>&1; check "bad option status" "$?" "64"
# The stats show the tier each method reached.
"$KILN" run --tier=1 --stats "$T/app.kl" 2> "$T/stats" >/dev/null
grep -q "app.twice(I)I" "$T/stats" || { echo "stats lack twice: $(cat "$T/stats")"; fails=$((fails+1)); }
# An archive with no manifest is refused.
exit $fails
