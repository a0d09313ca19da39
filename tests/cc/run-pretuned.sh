# A unit tuned ahead of the build: `optlm tune FILE --as-clang` in the
# folder the build compiles it in measures as optlm cc does and files its
# verified label under the key cc computes for the same source and flags, so
# the build takes the label from the store (how "store") with the size the
# search found. A label measured as opt and llc compile is another key: the
# build does not take it for the unit (it may still try its list, as a
# broadcast one).
source "$(dirname "$0")/common.sh"
program="$(dirname "$0")/../../examples/programs/stackvm.c"
cp "$program" "$W/stackvm.c"
cd "$W"

"$OPTLM" tune stackvm.c --budget 20 --store "$OPTLM_CC_STORE" --json > opt.json \
  || fail "tune as opt and llc"
$CC_OPTLM -O2 -c stackvm.c -o first.o || fail "compile"
[ "$(jq -r .how "$OPTLM_CC_LOG")" != store ] || fail "the build took a label measured as opt and llc"

# A store of its own: the first build recorded its own answer in the other.
export OPTLM_CC_STORE="$W/clang.sqlite"
"$OPTLM" tune stackvm.c --as-clang --budget 20 --store "$OPTLM_CC_STORE" --json > clang.json \
  || fail "tune as clang"
jq -e '.verification.verified and .compiled_as == "clang" and .binary_size < .oz_binary_size' \
  clang.json > /dev/null || fail "the clang label: $(jq -c 'del(.verification.candidates)' clang.json)"
mv "$OPTLM_CC_LOG" first.log
$CC_OPTLM -O2 -c stackvm.c -o second.o || fail "compile again"
[ "$(jq -r .how "$OPTLM_CC_LOG")" = store ] || fail "the build did not take the label tuned as clang"
[ "$(jq -r .size "$OPTLM_CC_LOG")" = "$(jq -r .binary_size clang.json)" ] \
  || fail "the unit's size is not the label's"
[ "$(jq -r .oz_size "$OPTLM_CC_LOG")" = "$(jq -r .oz_binary_size clang.json)" ] \
  || fail "the unit's -Oz size is not the label's"
echo "ok"
