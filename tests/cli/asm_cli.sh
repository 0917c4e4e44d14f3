# `kiln asm`: default output name, FILE:LINE errors with status 1, usage errors 64,
# and `kiln dis` of a .kl source prints assemblable text.
set -u
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fails=0
printf '.class hi module\n.method main()V static\n    .stack 1\n    ldc "hi"\n    invokestatic std.core.println (Lstd.core.String;)V\n    return\n.end\n' > "$T/hi.kasm"
"$KILN" asm "$T/hi.kasm" || { echo "asm failed"; fails=$((fails+1)); }
[ "$("$KILN" run "$T/hi.klc")" = hi ] || { echo "hi.klc (the default output) does not run"; fails=$((fails+1)); }
printf '.class x module\n.method main()V static\n    bogus 1\n.end\n' > "$T/bad.kasm"
out=$("$KILN" asm "$T/bad.kasm" -o "$T/bad.klc" 2>&1); st=$?
[ "$st" = 1 ] || { echo "bad.kasm: status $st, expected 1"; fails=$((fails+1)); }
[ "$out" = "$T/bad.kasm:3: unknown instruction 'bogus'" ] || { echo "bad.kasm: got '$out'"; fails=$((fails+1)); }
[ ! -e "$T/bad.klc" ] || { echo "a failed assembly left an output file"; fails=$((fails+1)); }
"$KILN" asm > /dev/null 2>&1; st=$?
[ "$st" = 64 ] || { echo "asm without a file: status $st, expected 64"; fails=$((fails+1)); }
"$KILN" asm "$T/missing.kasm" > /dev/null 2>&1; st=$?
[ "$st" = 1 ] || { echo "asm of a missing file: status $st, expected 1"; fails=$((fails+1)); }
printf 'fun main() { println(6 * 7) }\n' > "$T/src.kl"
"$KILN" dis "$T/src.kl" > "$T/src.kasm" && "$KILN" asm "$T/src.kasm" -o "$T/src.klc" &&
    [ "$("$KILN" run "$T/src.klc")" = 42 ] || { echo "dis of a .kl does not assemble and run"; fails=$((fails+1)); }
exit $fails
