# What clang rejects, optlm cc rejects the same way: the same exit status and
# the same stderr, byte for byte; a warning is printed once, as clang prints
# it. Everything optlm cc does not compile itself (preprocessing, --version,
# -###, stdin, C++ through `optlm c++`) behaves as clang-19 / clang++-19.
source "$(dirname "$0")/common.sh"
cp -r "$PROJECTS/units" "$W/u"
cd "$W/u"

# compare NAME ARGS...: optlm cc and clang-19 give the same status, stdout, stderr.
compare() {
  local name=$1; shift
  set +e
  $CC_OPTLM "$@" > "$W/$name.optlm.out" 2> "$W/$name.optlm.err"; local optlm_status=$?
  clang-19 "$@" > "$W/$name.clang.out" 2> "$W/$name.clang.err"; local clang_status=$?
  set -e
  [ $optlm_status = $clang_status ] || fail "$name: status $optlm_status, clang $clang_status"
  same_file "$W/$name.optlm.err" "$W/$name.clang.err" "$name: stderr"
  same_file "$W/$name.optlm.out" "$W/$name.clang.out" "$name: stdout"
  echo "$name: status $optlm_status"
}

compare broken -Wall -O2 -c broken.c -o broken.o
[ ! -e broken.o ] || fail "a failed compile left an object"
[ -s "$W/broken.clang.err" ] || fail "clang said nothing about broken.c"
compare warning -Wall -O2 -c warns.c -o warns.o
grep -q "unused variable" "$W/warning.optlm.err" || fail "the warning is missing"
[ "$(grep -c 'unused variable' "$W/warning.optlm.err")" = 1 ] || fail "the warning is printed twice"
compare werror -Wall -Werror -O2 -c warns.c -o warns.o
compare missing -c no_such_file.c -o x.o
compare preprocess -E deps.c
compare version --version
compare dumpmachine -dumpmachine
compare dryrun -### -c deps.c -o deps.o
compare badflag -c deps.c --no-such-flag-optlm
# A flag whose value is missing at the end of the line: clang's error, not
# optlm's appended arguments taken as its value.
compare trailingmf -c deps.c -MD -MF
compare trailinginclude -c deps.c -include
compare twooutputs -c deps.c other.c -o both.o
compare mixed -Wall -c warns.c broken.c
[ "$(grep -c "unused variable" "$W/mixed.clang.err")" -ge 1 ] || fail "mixed: clang printed no warning to compare"

# Standard input and -x: clang's.
echo 'int from_stdin(void) { return 3; }' | $CC_OPTLM -x c -c - -o stdin.o || fail "stdin"
[ -s stdin.o ] || fail "stdin: no object"

# C++ through optlm c++, compiled and linked.
"$OPTLM" c++ -O2 -c hello.cpp -o hello.o || fail "optlm c++ -c"
"$OPTLM" c++ hello.o -o hello || fail "optlm c++ link"
[ "$(./hello)" = "hello from c++ 14" ] || fail "C++ program output"
[ "$(log_count source hello.cpp)" = 1 ] || fail "hello.cpp was not compiled by optlm"
[ -z "$(ls -A "$TMPDIR")" ] || fail "temporary files left behind: $(ls "$TMPDIR")"
echo "ok"
