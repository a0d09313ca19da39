# Tune mode with a results store that knows something: a verified list that
# is some program's best (seeded here: PassListEval's verdict on it, and a
# label naming it) is tried on every unit of a make -j2 build, used where it
# beats -Oz, and every unit's answer is recorded; the rebuild finds them all
# in the store and the objects in the cache, identical to the first build's.
# Several compilers at once write to one store without losing a label, and
# the report adds the sizes up against -Oz.
source "$(dirname "$0")/common.sh"
list="sroa,simplifycfg,instcombine,sccp" # smaller than -Oz on text.c and checksum.c
"$OPTLM" passlisteval "$list" --store "$OPTLM_CC_STORE" > "$W/verdict.txt" 2>&1 \
  || fail "passlisteval: $(cat "$W/verdict.txt")"
grep -q "accepted" "$W/verdict.txt" || fail "the list is not accepted: $(cat "$W/verdict.txt")"
canonical=$(sqlite3 "$OPTLM_CC_STORE" "select pipeline from verdicts limit 1")
version=$(sqlite3 "$OPTLM_CC_STORE" "select llvm_version from verdicts limit 1")
sqlite3 "$OPTLM_CC_STORE" "insert into tuned values ('00000000000000aa',
  'x86_64-unknown-linux-gnu', '$version', 'seed', '$canonical', 100, 120, 'seed', 1, 0, 1, 0)"

cp -r "$PROJECTS/make" "$W/p"
(cd "$W/p" && "$MAKE" -s -j2 CC="$CC_OPTLM" CFLAGS="-O2") || fail "make"
"$W/p/prog" > "$W/out.txt" && same_file "$W/out.txt" "$PROJECTS/make/expected.txt" "output"
[ "$(log_count how broadcast)" = 2 ] || fail "expected text.c and checksum.c from the broadcast list"
[ "$(jq -r 'select(.how == "broadcast") | .pipeline' "$OPTLM_CC_LOG" | sort -u)" = "$canonical" ] \
  || fail "the broadcast units do not name the list"
jq -e 'select(.how == "broadcast") | .size < .oz_size' "$OPTLM_CC_LOG" > /dev/null \
  || fail "a broadcast unit is not smaller than -Oz"
[ "$(sqlite3 "$OPTLM_CC_STORE" "select count(*) from tuned where strategy like 'cc:%'")" = 3 ] \
  || fail "the units' answers are not in the store"
for unit in main checksum text; do cp "$W/p/$unit.o" "$W/$unit.first.o"; done

# The rebuild: every unit a store hit, every object from the cache.
mv "$OPTLM_CC_LOG" "$W/first.log"
(cd "$W/p" && "$MAKE" -s clean && "$MAKE" -s -j2 CC="$CC_OPTLM" CFLAGS="-O2") || fail "rebuild"
[ "$(jq -c 'select(.notes[]? == "object from the cache")' "$OPTLM_CC_LOG" | wc -l)" = 3 ] \
  || fail "the rebuild did not take the objects from the cache"
[ "$(log_count how store)" = 2 ] || fail "the rebuild did not find the broadcast answers"
[ "$(jq -c 'select(.reason == "the store'"'"'s best is -Oz")' "$OPTLM_CC_LOG" | wc -l)" = 1 ] \
  || fail "the rebuild did not find main.c's -Oz answer"
for unit in main checksum text; do
  same_file "$W/p/$unit.o" "$W/$unit.first.o" "rebuilt object"
done
"$W/p/prog" > "$W/out2.txt" && same_file "$W/out2.txt" "$PROJECTS/make/expected.txt" "output"

# Six compilers at once, six new units, one store.
cp -r "$PROJECTS/make" "$W/q"
cd "$W/q"
pids=()
for variant in 1 2 3 4 5 6; do
  $CC_OPTLM -O2 -DTABLE_SIZE_BUMP=$variant -Dcount_words=count_words_$variant -c text.c \
    -o text$variant.o &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || fail "a concurrent compile failed"; done
[ "$(sqlite3 "$OPTLM_CC_STORE" "select count(*) from tuned where strategy like 'cc:%'")" = 9 ] \
  || fail "concurrent compilers lost labels"
[ "$(sqlite3 "$OPTLM_CC_STORE" "pragma integrity_check")" = ok ] || fail "the store is damaged"

report=$("$OPTLM" cc --report "$W/first.log")
echo "$report" | grep -q "popular verified list *2" || fail "report: $report"
echo "$report" | grep -q "with -Oz (-" || fail "report: the build is not smaller: $report"
echo "ok"
