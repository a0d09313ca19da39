# The model's part-by-part choice in a build: parts.c holds five groups of
# functions that could have been files of their own, and tuned part by
# part (the shipped model, as `optlm tune` runs it) its pipelines for each
# part win. The build log names them (parts<32>: P | P ...), the object is
# exactly the size the tuner measured, smaller than clang -Oz's and than
# the best single pipeline's (OPTLM_CC_PARTS=off), and the program works.
# A rebuild without the object cache applies the stored plan again and
# makes the same object; a plan for other parts is optlm's failure, and the
# object is clang -Oz's.
source "$(dirname "$0")/common.sh"
cd "$W"
unset OPTLM_CC_MODEL # the shipped model
parts="$(dirname "$0")/../lit/flagmodel/Inputs/parts.c"
size_of() { llvm-size-19 "$1" | tail -1 | awk '{print $1 + $2}'; }
last() { jq -r "select(.pipeline != null) | .$1" "$OPTLM_CC_LOG" | tail -1; }

clang-19 -O2 -c "$parts" -o clang.o -Oz
$CC_OPTLM -O2 -c "$parts" -o parts.o || fail "optlm cc on parts.c"
plan=$(last pipeline)
case "$plan" in "parts<32>: "*) ;; *) fail "not a plan for each part: $plan" ;; esac
[ "$(grep -o ' | ' <<<"$plan" | wc -l)" = 4 ] || fail "the plan does not name five parts: $plan"
[ "$(last how)" = model ] || fail "the plan is not the model's"
[ "$(size_of parts.o)" = "$(last size)" ] \
  || fail "the object has $(size_of parts.o) bytes, the tuner measured $(last size)"
[ "$(size_of parts.o)" -lt "$(size_of clang.o)" ] \
  || fail "the object ($(size_of parts.o) B) is not smaller than clang -Oz's ($(size_of clang.o) B)"
clang-19 parts.o -o parts || fail "parts.o does not link"
./parts > out.txt || fail "the program fails"
printf 'crc a30589c7\nrpn 7\nwords 5\nreversed strap elbalipmoc yletarapes\n' > expected.txt
same_file out.txt expected.txt "the program's output"

OPTLM_CC_OBJECTS=off $CC_OPTLM -O2 -c "$parts" -o again.o || fail "the rebuild"
[ "$(last how)" = store ] || fail "the rebuild did not take the store's plan"
same_file again.o parts.o "the plan applied again"

OPTLM_CC_PARTS=off OPTLM_CC_STORE="$W/whole.sqlite" $CC_OPTLM -O2 -c "$parts" -o whole.o \
  || fail "optlm cc on parts.c, whole units"
case "$(last pipeline)" in "parts<"*) fail "OPTLM_CC_PARTS=off made a plan" ;; esac
[ "$(size_of parts.o)" -lt "$(size_of whole.o)" ] \
  || fail "the parts' object ($(size_of parts.o) B) is not smaller than the whole unit's ($(size_of whole.o) B)"

OPTLM_CC_PIPELINE="parts<32>: default<Oz>" $CC_OPTLM -O2 -c "$parts" -o forced.o \
  || fail "a plan for other parts stopped the build"
[ "$(jq -r 'select(.reason != null) | .reason' "$OPTLM_CC_LOG" | tail -1 | grep -c 'the plan names 1')" = 1 ] \
  || fail "the log does not say why the forced plan failed"
[ "$(size_of forced.o)" = "$(size_of clang.o)" ] || fail "the fallback is not clang -Oz's object"
echo "cc.parts: ok"
