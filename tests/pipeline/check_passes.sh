#!/bin/sh
# Runs every pass of a vocabulary file alone on the bundled example programs
# and reports, per pass and program, whether opt crashed, hung, was rejected,
# or produced a program whose output differs from the expected output.
# This is how the hazards in data/passes.tsv were found (docs/pipelines.md).
#
# Usage: tests/pipeline/check_passes.sh [passes.tsv] [programs-dir] > report.tsv
# Output columns: pass, program, result (ok|error|crash|hang|wrong-output|no-link)
set -u
vocabulary=${1:-data/passes.tsv}
programs=${2:-examples/programs}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/in"

for source in "$programs"/*.c; do
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
  for input in "$work"/in/*.ll; do
    name=$(basename "$input" .ll)
    timeout 10 opt-19 -S -p "$text" "$input" -o "$work/out.ll" 2>"$work/err.txt"
    rc=$?
    if [ $rc -eq 124 ]; then result=hang
    elif [ $rc -ge 128 ] || grep -q "LLVM ERROR\|Stack dump" "$work/err.txt"; then result=crash
    elif [ $rc -ne 0 ]; then result=error
    elif ! timeout 60 clang-19 -O0 -w "$work/out.ll" -o "$work/prog" 2>/dev/null; then result=no-link
    elif ! timeout 10 "$work/prog" > "$work/stdout.txt" 2>/dev/null ||
         ! cmp -s "$work/stdout.txt" "$programs/$name.expected"; then result=wrong-output
    else result=ok
    fi
    printf '%s\t%s\t%s\n' "$pass" "$name" "$result"
  done
done
