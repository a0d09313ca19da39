# A real autotools project (autoreconf, configure, make check; automake's
# dependency tracking writes its .Po files through -MT -MD -MP -MF): built
# with CC="optlm cc" under make -j2, it finds what clang-19 finds, passes its
# check, and its units went through optlm.
source "$(dirname "$0")/common.sh"
command -v autoreconf > /dev/null || { echo "autoreconf is not installed"; exit 77; }
cp -r "$PROJECTS/autotools" "$W/src"
(cd "$W/src" && autoreconf -i > "$W/autoreconf.out" 2>&1) || fail "autoreconf: $(cat "$W/autoreconf.out")"
cp -r "$W/src" "$W/clang"
cp -r "$W/src" "$W/optlm"
(cd "$W/clang" && ./configure CC=clang-19 CFLAGS=-O2 > configure.out 2>&1) || fail "configure with clang"
(cd "$W/optlm" && ./configure CC="$CC_OPTLM" CFLAGS=-O2 > configure.out 2>&1) \
  || fail "configure with optlm cc: $(tail -20 "$W/optlm/config.log")"
same_file "$W/optlm/config.h" "$W/clang/config.h" "config.h"
(cd "$W/optlm" && "$MAKE" -j2 check > make.out 2>&1) || fail "make check: $(cat "$W/optlm/make.out")"
[ "$(log_count source main.c)" = 1 ] || fail "main.c was not compiled by optlm"
[ "$(log_count source greet.c)" = 1 ] || fail "greet.c was not compiled by optlm"
[ "$(log_count how fallback)" = 0 ] || fail "fallbacks"
for unit in main greet; do
  grep -q "greet.h" "$W/optlm/.deps/$unit.Po" || fail "automake's dependency file for $unit"
done
echo "ok"
