# optlm's failures are not the build's: a pipeline that crashes LLVM (forced
# with OPTLM_CC_PIPELINE; codegenprepare alone segfaults), one that runs too
# long, and a corrupt results store all end with clang's -Oz object, a clean stderr and a line
# in the build log. A pipeline that works is applied (the program still
# prints what it should).
source "$(dirname "$0")/common.sh"
cp -r "$PROJECTS/units" "$W/u"
cd "$W/u"
clang-19 -O2 -c loops.c -o loops.clang.o -Oz
clang-19 loops.clang.o -o loops.clang
expected=$(./loops.clang)

OPTLM_CC_PIPELINE=codegenprepare $CC_OPTLM -O2 -c loops.c -o loops.o 2> crash.err \
  || fail "a crashing pipeline failed the build"
[ ! -s crash.err ] || fail "stderr is not clean: $(cat crash.err)"
same_file loops.o loops.clang.o "object after a crash (clang -Oz)"
[ "$(log_count how fallback)" = 1 ] || fail "the fallback is not logged"
jq -r 'select(.how == "fallback") | .reason' "$OPTLM_CC_LOG" | grep -q "crash" \
  || fail "the log does not say the pipeline crashed"

# A pipeline that runs past OPTLM_CC_TIMEOUT (default<O3> 3000 times) is
# stopped and costs the tuning, not the build.
long="module($(printf 'default<O3>,%.0s' $(seq 2999))default<O3>)"
OPTLM_CC_TIMEOUT=1 OPTLM_CC_PIPELINE="$long" $CC_OPTLM -O2 -c loops.c -o slow.o 2> slow.err \
  || fail "a pipeline that hangs failed the build"
[ ! -s slow.err ] || fail "stderr is not clean: $(cat slow.err)"
same_file slow.o loops.clang.o "object after a time-out (clang -Oz)"
tail -1 "$OPTLM_CC_LOG" | jq -r .reason | grep -q "(timeout)" || fail "the time-out is not logged"

OPTLM_CC_PIPELINE="sroa,instcombine,simplifycfg" $CC_OPTLM -O2 -c loops.c -o forced.o \
  || fail "a forced pipeline"
[ "$(log_count how forced)" = 1 ] || fail "the forced pipeline is not logged"
clang-19 forced.o -o forced
[ "$(./forced)" = "$expected" ] || fail "the optimized program prints something else"

# A store that is not a database costs the cache, not the build.
echo "this is not an SQLite database" > "$W/corrupt.sqlite"
OPTLM_CC_STORE="$W/corrupt.sqlite" $CC_OPTLM -O2 -c loops.c -o corrupt.o 2> corrupt.err \
  || fail "a corrupt store failed the build"
[ ! -s corrupt.err ] || fail "stderr is not clean: $(cat corrupt.err)"
same_file corrupt.o loops.clang.o "object with a corrupt store (clang -Oz)"
tail -1 "$OPTLM_CC_LOG" | jq -r '.notes[]' | grep -q "^store: " || fail "the store error is not logged"

# A store in a folder that does not exist and cannot be made: the same.
OPTLM_CC_STORE=/proc/optlm/none.sqlite $CC_OPTLM -O2 -c loops.c -o nostore.o \
  || fail "an unusable store failed the build"
same_file nostore.o loops.clang.o "object without a store"
[ -z "$(ls -A "$TMPDIR")" ] || fail "temporary files left behind: $(ls "$TMPDIR")"
echo "ok"
