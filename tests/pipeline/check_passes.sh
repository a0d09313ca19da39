#!/bin/sh
# Runs every pass of a vocabulary file alone on the bundled example programs
# and reports whether opt crashed, hung or rejected it. With --run, it also
# builds each optimized program and compares its output with the expected
# output, to catch miscompiles. This is how the hazards in data/passes.tsv
# were checked (docs/pipelines.md has the commands and the results).
#
# Usage: tests/pipeline/check_passes.sh [--run] [passes.tsv] [programs...]
#   (programs default to examples/programs/*.c)
# Output, tab-separated: pass, program, result
#   result: ok | error | crash | hang | wrong-output | no-link
set -u
run=no
if [ "${1:-}" = "--run" ]; then run=yes; shift; fi
vocabulary=${1:-data/passes.tsv}
[ $# -gt 0 ] && shift
[ $# -eq 0 ] && set -- examples/programs/*.c
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"

for source in "$@"; do
  name=$(basename "$source" .c)
  clang-19 -Oz -Xclang -disable-llvm-passes -emit-llvm -S "$source" -o "$work/in/$name.ll" || exit 2
done

grep -v '^#' "$vocabulary" | grep -v '^[[:space:]]*$' | while IFS="$(printf '\t')" read -r pass level rest; do
  case $level in
    module) text="module($pass)" ;;
    cgscc) text="cgscc($pass)" ;;
    function) text="function($pass)" ;;
    loop) text="function(loop($pass))" ;;
    loop-mssa) text="function(loop-mssa($pass))" ;;
    *) echo "$pass	-	bad-level"; continue ;;
  esac
  for source in "$@"; do
    name=$(basename "$source" .c)
    timeout 10 opt-19 -S -p "$text" "$work/in/$name.ll" -o "$work/out.ll" 2>"$work/err.txt"
    rc=$?
    if [ $rc -eq 124 ]; then result=hang
    elif [ $rc -ge 128 ] || grep -q "LLVM ERROR\|Stack dump" "$work/err.txt"; then result=crash
    elif [ $rc -ne 0 ]; then result=error
    elif [ $run = no ]; then result=ok
    elif ! timeout 60 clang-19 -O0 -w "$work/out.ll" -o "$work/prog" 2>/dev/null; then result=no-link
    elif ! timeout 10 "$work/prog" > "$work/stdout.txt" 2>/dev/null ||
         ! cmp -s "$work/stdout.txt" "${source%.c}.expected"; then result=wrong-output
    else result=ok
    fi
    printf '%s\t%s\t%s\n' "$pass" "$name" "$result"
  done
done
