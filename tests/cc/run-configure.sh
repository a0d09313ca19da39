# A configure script of the autoconf kind (compile, preprocess and link
# tests, some meant to fail) finds the same things with optlm cc as with
# clang-19, and the configured program builds and runs.
source "$(dirname "$0")/common.sh"
cp -r "$PROJECTS/configure" "$W/optlm"
cp -r "$PROJECTS/configure" "$W/clang"
(cd "$W/clang" && CC=clang-19 ./configure > configure.out) || fail "configure with clang-19"
(cd "$W/optlm" && CC="$CC_OPTLM" ./configure > configure.out 2> configure.err) \
  || fail "configure with optlm cc: $(cat "$W/optlm/configure.out")"
[ ! -s "$W/optlm/configure.err" ] || fail "configure printed errors: $(cat "$W/optlm/configure.err")"
same_file "$W/optlm/config.h" "$W/clang/config.h" "config.h"
sed "s|$CC_OPTLM|CC|" "$W/optlm/configure.out" > "$W/optlm.out"
sed "s|clang-19|CC|" "$W/clang/configure.out" > "$W/clang.out"
same_file "$W/optlm.out" "$W/clang.out" "configure's findings"
(cd "$W/optlm" && "$MAKE" -s) || fail "make"
[ "$(cd "$W/optlm" && ./hello)" = "configured: long is 8 bytes" ] || fail "the program"
[ "$(log_count source hello.c)" = 1 ] || fail "hello.c was not compiled by optlm"
# configure's own compile tests went to clang or were compiled by optlm:
# none fell back.
[ "$(log_count how fallback)" = 0 ] || fail "fallbacks during configure"
echo "ok"
