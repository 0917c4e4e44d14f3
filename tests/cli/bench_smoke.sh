#!/usr/bin/env bash
# Every Kiln benchmark in bench/kiln/ compiles, runs once at a tiny size in tier 0 and
# tier 1, and verifies its own result (the harness exits 1 on a wrong answer), so the
# benchmarks never rot. Timing is bench/bench.py's job (`make bench`), not this test's.
set -u
KILN=${KILN:-bin/kiln}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
B=$ROOT/bench/kiln
mods="harness som bounce list mandelbrot permute queens sieve storage towers richards deltablue havlak binarytrees fannkuch spectralnorm fasta cd json nbody"
srcs=(); for m in $mods; do srcs+=("$B/$m.kl"); done
"$KILN" build -o "$TMP/h.kar" "${srcs[@]}" || { echo "compiling bench/kiln failed"; exit 1; }
fail=0
while read -r name inner; do
    for tier in --tier=0 --tier=1; do
        out=$("$KILN" run $tier "$TMP/h.kar" "$name" 1 "$inner" 2>&1)
        st=$?
        if [ $st != 0 ] || ! grep -q "^$name: iterations=1 runtime: " <<<"$out"; then
            echo "FAIL $name $tier (exit $st):"; echo "$out" | tail -5
            fail=1
        fi
    done
done <<'LIST'
Bounce 1
List 1
Mandelbrot 1
Permute 1
Queens 1
Sieve 1
Storage 1
Towers 1
Richards 1
DeltaBlue 50
Havlak 1
BinaryTrees 6
FannkuchRedux 7
SpectralNorm 1
Fasta 1000
CD 10
Json 1
NBody 1
LIST
# A wrong answer must fail loudly: Mandelbrot has no verification value for size 2.
if "$KILN" run --tier=0 "$TMP/h.kar" Mandelbrot 1 2 > "$TMP/out" 2>&1; then
    echo "FAIL: an unverifiable result did not make the harness exit nonzero"; fail=1
fi
grep -q "Benchmark failed with incorrect result" "$TMP/out" || { echo "FAIL: no failure message"; fail=1; }
exit $fail
