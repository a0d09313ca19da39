# optlm-cc, the launcher (src/cc/QuickDriver.h): a program that does not
# load LLVM. A tune-mode build through it is the same as through `optlm cc`;
# a rebuild replays every unit's decision from the object cache (the log
# says so, the objects and the dependency files are the first build's, the
# frontend's warnings reach stderr as clang prints them); a changed source,
# or changed settings, go to optlm again; a command line that does not
# compile is clang's.
source "$(dirname "$0")/common.sh"
launcher="$OPTLM_BIN/optlm-cc"
if ldd "$launcher" | grep -q libLLVM; then fail "optlm-cc loads libLLVM"; fi
"$launcher" --version > "$W/version.txt" 2>&1 || fail "optlm-cc --version"
clang-19 --version > "$W/clang-version.txt" 2>&1
same_file "$W/version.txt" "$W/clang-version.txt" "--version"

# A fixed pipeline (no verification, no search): every unit's decision is "forced".
export OPTLM_CC_PIPELINE="sroa,simplifycfg,instcombine,sccp"
cp -r "$PROJECTS/make" "$W/p"
(cd "$W/p" && "$MAKE" -s -j2 CC="$launcher" CFLAGS="-O2") || fail "first build"
[ "$(log_count how forced)" = 3 ] || fail "the first build did not apply the pipeline"
[ "$(jq -c 'select(.notes[]? | startswith("rebuilt"))' "$OPTLM_CC_LOG" | wc -l)" = 0 ] \
  || fail "the first build replayed decisions it never made"
for unit in main checksum text; do
  cp "$W/p/$unit.o" "$W/$unit.first.o"
  cp "$W/p/$unit.d" "$W/$unit.first.d"
done

mv "$OPTLM_CC_LOG" "$W/first.log"
(cd "$W/p" && "$MAKE" -s clean && "$MAKE" -s -j2 CC="$launcher" CFLAGS="-O2") || fail "rebuild"
[ "$(jq -c 'select(.how == "forced" and (.notes[]? | startswith("rebuilt")))' "$OPTLM_CC_LOG" |
     wc -l)" = 3 ] || fail "the rebuild did not replay every unit"
[ "$(jq -r .pipeline "$OPTLM_CC_LOG" | sort -u)" = "$(jq -r .pipeline "$W/first.log" | sort -u)" ] \
  || fail "the replayed pipelines are not the first build's"
for unit in main checksum text; do
  same_file "$W/p/$unit.o" "$W/$unit.first.o" "replayed object"
  same_file "$W/p/$unit.d" "$W/$unit.first.d" "replayed dependency file"
done
"$W/p/prog" > "$W/out.txt" && same_file "$W/out.txt" "$PROJECTS/make/expected.txt" "output"

# A changed unit is optlm's again; the others are replayed.
mv "$OPTLM_CC_LOG" "$W/second.log"
echo "int optlm_launcher_extra(int x) { return x * 7; }" >> "$W/p/text.c"
(cd "$W/p" && "$MAKE" -s -j2 CC="$launcher" CFLAGS="-O2") || fail "build after a change"
[ "$(jq -c 'select(.source == "text.c")' "$OPTLM_CC_LOG" | wc -l)" = 1 ] || fail "text.c was not rebuilt"
jq -e 'select(.source == "text.c") | (.how == "forced") and ([.notes[]? | startswith("rebuilt")] | any | not)' \
  "$OPTLM_CC_LOG" > /dev/null || fail "a changed source was replayed"

# Other settings, another decision: optlm chooses again.
mv "$OPTLM_CC_LOG" "$W/third.log"
(cd "$W/p" && OPTLM_CC_PIPELINE="sroa,instcombine" "$launcher" -O2 -c checksum.c -o checksum.o) \
  || fail "compile with another pipeline"
jq -e 'select(.source == "checksum.c") | (.pipeline | contains("simplifycfg") | not) and
  ([.notes[]? | startswith("rebuilt")] | any | not)' "$OPTLM_CC_LOG" > /dev/null \
  || fail "a decision made under other settings was replayed"

# The frontend's warnings, replayed: on stderr as clang-19 -Oz prints them.
printf 'int warned(void) { int unused; return 0; }\n' > "$W/warn.c"
(cd "$W" && "$launcher" -Wall -O2 -c warn.c -o warn.o 2> first.err) || fail "warn.c"
(cd "$W" && "$launcher" -Wall -O2 -c warn.c -o warn.o 2> replay.err) || fail "warn.c again"
(cd "$W" && clang-19 -Wall -O2 -Oz -c warn.c -o warn.clang.o 2> clang.err) || true
grep -q "unused variable" "$W/clang.err" || fail "clang gave no warning"
same_file "$W/replay.err" "$W/clang.err" "a replayed unit's warnings"
same_file "$W/first.err" "$W/clang.err" "a new unit's warnings"
[ "$(jq -c 'select(.source == "warn.c" and (.notes[]? | startswith("rebuilt")))' "$OPTLM_CC_LOG" |
     wc -l)" = 1 ] || fail "warn.c was not replayed"
echo "ok"
