# A plain Makefile project built with `make -j2 CC="optlm cc"` (tune mode, an
# empty store): the program works, the dependency files are clang's, the
# objects are clang -Oz's byte for byte (nothing better is known), a header
# change rebuilds what depends on it, and the report counts the units.
source "$(dirname "$0")/common.sh"

cp -r "$PROJECTS/make" "$W/optlm"
cp -r "$PROJECTS/make" "$W/clang"
(cd "$W/optlm" && "$MAKE" -s -j2 CC="$CC_OPTLM" CFLAGS="-O2 -Wall") || fail "make with optlm cc"
(cd "$W/clang" && "$MAKE" -s -j2 CC="clang-19" CFLAGS="-O2 -Wall -Oz") || fail "make with clang-19"

"$W/optlm/prog" > "$W/out.txt" || fail "the program failed"
same_file "$W/out.txt" "$PROJECTS/make/expected.txt" "program output"
for unit in main checksum text; do
  same_file "$W/optlm/$unit.d" "$W/clang/$unit.d" "dependency file"
  same_file "$W/optlm/$unit.o" "$W/clang/$unit.o" "object (empty store: clang -Oz)"
done
[ "$(log_count how oz)" = 3 ] || fail "expected 3 units made with -Oz"

# The dependency files work: a header change rebuilds every unit.
sleep 1
touch "$W/optlm/util.h"
(cd "$W/optlm" && "$MAKE" -s -j2 CC="$CC_OPTLM" CFLAGS="-O2 -Wall") || fail "rebuild"
[ "$(jq -c . "$OPTLM_CC_LOG" | wc -l)" = 6 ] || fail "a header change did not rebuild 3 units"

report=$("$OPTLM" cc --report "$OPTLM_CC_LOG") || fail "report"
echo "$report" | grep -q "translation units  6" || fail "report: $report"
echo "$report" | grep -q -- "-Oz (nothing better known)" || fail "report: $report"
json=$("$OPTLM" cc --report "$OPTLM_CC_LOG" --json)
[ "$(echo "$json" | jq .units)" = 6 ] || fail "report --json: $json"
echo "ok"
