# Dependency files as clang writes them, whatever the build asks: -MD next to
# the object, -MMD -MF, -MT and -MQ targets, -MP, several sources without -o,
# and response files. Objects are compared too (empty store: clang -Oz's).
source "$(dirname "$0")/common.sh"

variants=(
  "-MD -c deps.c -o out/deps.o"
  "-MMD -MF custom.d -c deps.c -o deps2.o"
  "-MD -MT custom_target -MP -c deps.c -o deps3.o"
  "-MD -MQ '\$weird' -c deps.c -o deps4.o"
  "-MMD -c deps.c other.c"
  "-O3 -g -MD -c other.c -o other5.o"
)
index=0
for variant in "${variants[@]}"; do
  index=$((index + 1))
  # Both compilers in the same folder, one after the other: debug info
  # records the working directory.
  dir="$W/v$index"
  cp -r "$PROJECTS/units" "$dir"
  mkdir -p "$dir/out"
  (cd "$dir" && eval "clang-19 $variant -Oz") || fail "clang-19 $variant"
  produced=$(cd "$dir" && find . -name '*.d' -o -name '*.o' | sort)
  [ -n "$produced" ] || fail "$variant: clang wrote nothing"
  mkdir -p "$W/clang$index"
  for file in $produced; do
    mkdir -p "$W/clang$index/$(dirname "$file")"
    mv "$dir/$file" "$W/clang$index/$file"
  done
  (cd "$dir" && eval "$CC_OPTLM $variant") || fail "optlm cc $variant"
  for file in $produced; do
    [ -f "$dir/$file" ] || fail "$variant: optlm cc did not write $file"
    same_file "$dir/$file" "$W/clang$index/$file" "$variant"
  done
done

# A response file names the arguments.
cp -r "$PROJECTS/units" "$W/rsp"
printf -- '-MD -c deps.c\n-o rsp.o\n' > "$W/rsp/args.rsp"
(cd "$W/rsp" && $CC_OPTLM @args.rsp) || fail "response file"
(cd "$W/rsp" && clang-19 -MD -c deps.c -o clang.o -Oz -MF clang.d -MT rsp.o) || fail "clang"
same_file "$W/rsp/rsp.o" "$W/rsp/clang.o" "response file object"
same_file "$W/rsp/rsp.d" "$W/rsp/clang.d" "response file depfile"
[ "$(log_count source deps.c)" -ge 5 ] || fail "the response file's unit was not compiled by optlm"
echo "ok"
