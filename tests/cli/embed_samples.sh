# The embedding samples (samples/embed/) build with `make samples` and behave.
set -u
case "$KILN" in *build-san*) mk="make -s SAN=1"; B=build-san ;; *) mk="make -s"; B=build ;; esac
$mk samples >/dev/null || { echo "make samples failed"; exit 1; }
fails=0
check() { if [ "$2" != "$3" ]; then printf '%s:\n got: %s\nwant: %s\n' "$1" "$2" "$3"; fails=$((fails+1)); fi; }
check minimal "$($B/samples/minimal)" "hello hello Kiln"
check kvstore "$($B/samples/kvstore)" "apples: 0 -> 3
pears: 0 -> 5
apples: 3 -> 8
caught: no key plums
3 changes; apples = 8"
for t in --tier=0 --tier=1 auto; do
    out=$(timeout 20 $B/samples/timeout $t); st=$?
    check "timeout $t" "$out" "stopped: std.core.InterruptedError: interrupted
next call: 42"
    check "timeout $t status" "$st" 0
done
exit $fails
