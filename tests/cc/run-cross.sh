# A cross build for AArch64 (--target=aarch64-linux-gnu, Debian's cross
# headers): the unit goes through optlm like a native one, the -Oz object is
# clang's byte for byte, and a tuned pipeline gives an AArch64 object.
source "$(dirname "$0")/common.sh"
cp -r "$PROJECTS/units" "$W/u"
cd "$W/u"
clang-19 --target=aarch64-linux-gnu -O2 -c loops.c -o ref.o -Oz 2> /dev/null \
  || { echo "clang-19 cannot compile for AArch64 here (no cross headers)"; exit 77; }
$CC_OPTLM --target=aarch64-linux-gnu -O2 -c loops.c -o loops.o || fail "optlm cc"
same_file loops.o ref.o "AArch64 object (empty store: clang -Oz)"
[ "$(log_count how oz)" = 1 ] || fail "the unit did not go through optlm"
OPTLM_CC_PIPELINE="sroa,instcombine,simplifycfg" $CC_OPTLM --target=aarch64-linux-gnu -O2 \
  -c loops.c -o tuned.o || fail "optlm cc with a pipeline"
[ "$(log_count how forced)" = 1 ] || fail "the pipeline was not applied"
readelf -h tuned.o | grep -q "AArch64" || fail "the tuned object is not AArch64's"
echo "ok"
