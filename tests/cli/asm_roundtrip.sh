# Disassemble -> assemble gives the identical bytes (docs/assembler.md), for every
# class the compiler makes from tests/lang/*.kl and every tests/verifier/*.kasm
# (those the reader refuses go through `dis --raw`).
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0; n=0
check() {   # class file
    local k=$1 mode=""
    "$KILN" dis "$k" > "$k.kasm" 2>/dev/null || { mode=--raw; "$KILN" dis --raw "$k" > "$k.kasm" 2> "$k.err"; } || {
        echo "$k: dis --raw failed: $(cat "$k.err")"; fails=$((fails + 1)); return; }
    if ! "$KILN" asm "$k.kasm" -o "$k.back" 2> "$k.err"; then
        echo "$k: the disassembly does not assemble: $(cat "$k.err")"; fails=$((fails + 1)); return
    fi
    cmp -s "$k" "$k.back" || { echo "$k: different bytes after dis $mode + asm"; fails=$((fails + 1)); return; }
    n=$((n + 1))
}
for f in tests/lang/*.kl; do
    b=$(basename "$f" .kl)
    "$KILN" build -d "$T/lang/$b" "$f" 2>/dev/null || continue     # compile-error tests
    while IFS= read -r k; do check "$k"; done < <(find "$T/lang/$b" -name '*.klc')
done
mkdir -p "$T/kasm"
for f in tests/verifier/*.kasm tests/verifier/lib/*.kasm; do
    grep -q '// expect-asm-error:' "$f" && continue
    k="$T/kasm/$(basename "$f" .kasm).klc"
    "$KILN" asm "$f" -o "$k" || { echo "$f does not assemble"; fails=$((fails + 1)); continue; }
    check "$k"
done
[ "$n" -gt 50 ] || { echo "only $n classes round-tripped"; fails=$((fails + 1)); }
exit $fails
