# A tuned unit's passes see the relocation model the build compiles for, as
# clang's own do: in position-independent code a switch's table of string
# pointers becomes a table of offsets (rel-lookup-table-converter). With
# -Oz forced as the pipeline (and globaldce, which finds nothing left, so that it is not -Oz's text,
# which clang itself runs), optlm cc's object is then as small as clang's
# -Oz object, for PIE (Debian's default), -fPIC and -fno-pie alike; with
# opt's static target machine the PIE object was 25 bytes larger.
source "$(dirname "$0")/common.sh"
cd "$W"
cat > names.c <<'C'
const char *name(int i) {
  switch (i) {
  case 0: return "zero"; case 1: return "one"; case 2: return "two"; case 3: return "three";
  case 4: return "four"; case 5: return "five"; case 6: return "six"; default: return "many";
  }
}
C
size_of() { llvm-size-19 "$1" | tail -1 | awk '{print $1 + $2}'; }
for flags in "" "-fPIC" "-fno-pie"; do
  clang-19 -O2 $flags -c names.c -o clang.o -Oz
  OPTLM_CC_PIPELINE="default<Oz>,globaldce" $CC_OPTLM -O2 $flags -c names.c -o optlm.o \
    || fail "optlm cc $flags"
  [ "$(log_count how forced)" -ge 1 ] || fail "the forced pipeline is not logged ($flags)"
  [ "$(size_of optlm.o)" = "$(size_of clang.o)" ] \
    || fail "$flags: optlm cc's -Oz object has $(size_of optlm.o) bytes, clang's $(size_of clang.o)"
done

# The optimized bitcode handed to clang keeps the use-list order the passes
# left (as opt writes it), so clang's code generator walks the users the
# measurement did: queens.c, PIE, -Oz forced, is clang -Oz's size (15 bytes
# more when the order was lost).
queens="$(dirname "$0")/../../examples/programs/queens.c"
clang-19 -O2 -c "$queens" -o queens.clang.o -Oz
OPTLM_CC_PIPELINE="default<Oz>,globaldce" $CC_OPTLM -O2 -c "$queens" -o queens.o \
  || fail "optlm cc on queens.c"
[ "$(size_of queens.o)" = "$(size_of queens.clang.o)" ] \
  || fail "queens.c: optlm cc's -Oz object has $(size_of queens.o) bytes, clang's $(size_of queens.clang.o)"
echo "cc.relocation: ok"
