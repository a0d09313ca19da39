#!/bin/sh
# usage-error.sh COMMAND [ARGUMENT...]: the check behind %usage-error, that
# COMMAND is refused as bad usage or input the way every optlm subcommand
# refuses it: exit status 2, nothing on stdout, exactly one line on stderr.
# Prints that line on stdout for FileCheck to check its text; when any of the
# three does not hold, says which on stderr and exits 1.
out=$(mktemp) || exit 1
err=$(mktemp) || exit 1
trap 'rm -f "$out" "$err"' EXIT
"$@" > "$out" 2> "$err"
status=$?
failed=0
if [ "$status" -ne 2 ]; then
  echo "usage-error.sh: exit status $status, not 2: $*" >&2
  failed=1
fi
if [ -s "$out" ]; then
  echo "usage-error.sh: something on stdout: $*" >&2
  sed 's/^/  stdout: /' "$out" >&2
  failed=1
fi
lines=$(wc -l < "$err")
if [ "$lines" -ne 1 ]; then
  echo "usage-error.sh: $lines lines on stderr, not 1: $*" >&2
  sed 's/^/  stderr: /' "$err" >&2
  failed=1
fi
cat "$err"
exit $failed
