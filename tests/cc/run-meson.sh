# The C and C++ project of cmake/ built by its meson.build with CC=optlm-cc
# and CXX=optlm-c++: Meson identifies clang 19 (its compiler probes pass
# through), the project builds with -j2 under ninja and prints what clang's
# build prints, and its units went through optlm.
source "$(dirname "$0")/common.sh"
if ! command -v meson > /dev/null; then
  echo "skipped: meson is not installed (scripts/setup installs it)"
  exit 77
fi
CC="$OPTLM_BIN/optlm-cc" CXX="$OPTLM_BIN/optlm-c++" meson setup "$W/build" "$PROJECTS/cmake" \
  > "$W/configure.out" 2>&1 || fail "meson setup: $(cat "$W/configure.out")"
grep -q "C compiler for the host machine: .*optlm-cc (clang 19" "$W/configure.out" \
  || fail "Meson did not identify clang: $(cat "$W/configure.out")"
grep -q "C++ compiler for the host machine: .*optlm-c++ (clang 19" "$W/configure.out" \
  || fail "Meson did not identify clang++: $(cat "$W/configure.out")"
meson compile -C "$W/build" -j 2 > "$W/build.out" 2>&1 || fail "build: $(cat "$W/build.out")"
CC=clang-19 CXX=clang++-19 meson setup "$W/clang" "$PROJECTS/cmake" > /dev/null 2>&1 \
  || fail "meson setup with clang-19"
meson compile -C "$W/clang" -j 2 > /dev/null 2>&1 || fail "clang build"
[ "$("$W/build/demo")" = "$("$W/clang/demo")" ] || fail "the program prints something else"
# Meson names sources relative to its build folder.
units() { jq -r "select(.source | endswith(\"/$1\")) | .how" "$OPTLM_CC_LOG"; }
[ "$(units shapes.c)" = oz ] || fail "shapes.c was not compiled by optlm once"
[ "$(units demo.cpp)" = oz ] || fail "demo.cpp was not compiled by optlm once"
# Meson's compiler checks (testfile.c in a temporary folder) are probes:
# they pass through to clang untouched.
[ -z "$(jq -r 'select(.source | endswith("/testfile.cpp") or endswith("/testfile.c")) | select(.how != "passthrough") | .source' "$OPTLM_CC_LOG")" ] \
  || fail "a Meson check was tuned"
echo "ok"
