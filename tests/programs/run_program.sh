#!/bin/sh
# Compile one bundled example program, run it, and compare its stdout with
# the expected output.
#
# usage: run_program.sh COMPILER SOURCE EXPECTED OPTFLAG SCRATCH_DIR
#
# Exits 0 only if the program compiles, exits with status 0 and prints
# exactly the contents of EXPECTED. On mismatch a diff is printed.
set -u

if [ "$#" -ne 5 ]; then
    echo "usage: $0 COMPILER SOURCE EXPECTED OPTFLAG SCRATCH_DIR" >&2
    exit 2
fi

cc=$1
src=$2
expected=$3
opt=$4
scratch=$5

if [ ! -f "$src" ]; then
    echo "error: source file not found: $src" >&2
    exit 2
fi
if [ ! -f "$expected" ]; then
    echo "error: expected-output file not found: $expected" >&2
    exit 2
fi

mkdir -p "$scratch" || exit 2
name=$(basename "$src" .c)
exe="$scratch/$name$opt"
out="$scratch/$name$opt.stdout"
rm -f "$exe" "$out"

if ! "$cc" -std=c99 -Wall -Wextra "$opt" -o "$exe" "$src"; then
    echo "error: compiling $src with $cc $opt failed" >&2
    exit 1
fi

"$exe" > "$out"
rc=$?
status=0
if [ "$rc" -ne 0 ]; then
    echo "error: $name ($opt) exited with status $rc" >&2
    status=1
fi

if ! cmp -s "$out" "$expected"; then
    echo "error: $name ($opt) output differs from $expected:" >&2
    diff -u "$expected" "$out" >&2
    status=1
fi

exit $status
