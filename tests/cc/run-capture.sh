# Capture mode under make -j2: every unit's IR goes into one corpus with its
# source, package and license, while the objects are clang -Oz's; a rebuild
# adds nothing new (the modules are there), and the corpus reads back.
source "$(dirname "$0")/common.sh"
export OPTLM_CC_MODE=capture OPTLM_CC_CORPUS="$W/corpus" OPTLM_CC_PACKAGE=demo-make \
  OPTLM_CC_LICENSE=MIT
cp -r "$PROJECTS/make" "$W/optlm"
cp -r "$PROJECTS/make" "$W/clang"
(cd "$W/optlm" && "$MAKE" -s -j2 CC="$CC_OPTLM" CFLAGS="-O2") || fail "make in capture mode"
(cd "$W/clang" && "$MAKE" -s -j2 CC="clang-19" CFLAGS="-O2 -Oz") || fail "make with clang"
for unit in main checksum text; do
  same_file "$W/optlm/$unit.o" "$W/clang/$unit.o" "capture mode object"
done
index="$W/corpus/index.jsonl"
[ "$(wc -l < "$index")" = 3 ] || fail "expected 3 modules in the corpus: $(cat "$index")"
[ "$(jq -r .package "$index" | sort -u)" = demo-make ] || fail "package: $(cat "$index")"
[ "$(jq -r .license "$index" | sort -u)" = MIT ] || fail "license: $(cat "$index")"
[ "$(jq -r .target "$index" | sort -u)" = x86_64-unknown-linux-gnu ] || fail "target"
for unit in main checksum text; do
  jq -r .source "$index" | grep -qx "$W/optlm/$unit.c" || fail "no module from $unit.c"
done

(cd "$W/optlm" && "$MAKE" -s clean && "$MAKE" -s -j2 CC="$CC_OPTLM" CFLAGS="-O2") \
  || fail "rebuild in capture mode"
[ "$(wc -l < "$index")" = 3 ] || fail "a rebuild added modules again"
"$OPTLM" corpus list --corpus "$W/corpus" > "$W/list.txt" || fail "the corpus does not read back"
[ "$(grep -c "demo-make\|main.c\|text.c" "$W/list.txt")" -ge 1 ] || fail "corpus list: $(cat "$W/list.txt")"

# The same build capturing AArch64's IR too (the build's own target is named
# as well, and counted once): one module per unit and target, the objects
# and the depfiles still clang's own.
cp -r "$PROJECTS/make" "$W/both"
(cd "$W/both" && OPTLM_CC_CORPUS="$W/both-corpus" OPTLM_CC_CAPTURE_TARGETS=aarch64,x86_64 \
  "$MAKE" -s -j2 CC="$CC_OPTLM" CFLAGS="-O2 -MMD") || fail "make capturing two targets"
(cd "$W/clang" && "$MAKE" -s clean && "$MAKE" -s -j2 CC="clang-19" CFLAGS="-O2 -Oz -MMD") \
  || fail "make with clang and depfiles"
both="$W/both-corpus/index.jsonl"
[ "$(jq -r .target "$both" | sort | uniq -c | awk '{print $1, $2}' | tr '\n' ' ')" = \
  "3 aarch64-unknown-linux-gnu 3 x86_64-unknown-linux-gnu " ] || fail "targets: $(cat "$both")"
for unit in main checksum text; do
  same_file "$W/both/$unit.o" "$W/clang/$unit.o" "object of a two-target capture"
  same_file "$W/both/$unit.d" "$W/clang/$unit.d" "depfile of a two-target capture"
done
echo "ok"
