# A CMake project in C and C++ configured with the optlm-cc and optlm-c++
# links as its compilers (CMake wants one executable path): CMake identifies
# them as Clang, the project builds with -j2 and runs, and its units went
# through optlm.
source "$(dirname "$0")/common.sh"
"$CMAKE" -S "$PROJECTS/cmake" -B "$W/build" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$OPTLM_BIN/optlm-cc" -DCMAKE_CXX_COMPILER="$OPTLM_BIN/optlm-c++" \
  > "$W/configure.out" 2>&1 || fail "cmake configure: $(cat "$W/configure.out")"
grep -q "The C compiler identification is Clang 19" "$W/configure.out" \
  || fail "CMake did not identify Clang: $(cat "$W/configure.out")"
grep -q "The CXX compiler identification is Clang 19" "$W/configure.out" || fail "CXX id"
"$CMAKE" --build "$W/build" -j2 > "$W/build.out" 2>&1 || fail "build: $(cat "$W/build.out")"
"$CMAKE" -S "$PROJECTS/cmake" -B "$W/clang" -G "Unix Makefiles" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 > /dev/null 2>&1 || fail "clang"
"$CMAKE" --build "$W/clang" -j2 > /dev/null 2>&1 || fail "clang build"
[ "$("$W/build/demo")" = "$("$W/clang/demo")" ] || fail "the program prints something else"
[ "$(log_count source "$PROJECTS/cmake/shapes.c")" = 1 ] || fail "shapes.c was not compiled by optlm"
[ "$(log_count source "$PROJECTS/cmake/demo.cpp")" = 1 ] || fail "demo.cpp was not compiled by optlm"
echo "ok"
