#!/usr/bin/env bash
# Installs the build into a temporary prefix, moves the prefix, and runs
# optlm from there: it must read its own share/optlm, tune and verify a
# program, and its optlm-cc link must be clang-19.
#   install-test.sh BUILD_DIR CMAKE
set -euo pipefail
build=$1
cmake=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$cmake" --install "$build" --prefix "$tmp/installed" > "$tmp/install.log"
mv "$tmp/installed" "$tmp/moved"
prefix=$tmp/moved
share=$prefix/share/optlm

"$prefix/bin/optlm" --version > "$tmp/version.txt"
grep -qx "  suite: $share/suite/bundled" "$tmp/version.txt" ||
  { echo "the installed optlm does not read its own suite:"; cat "$tmp/version.txt"; exit 1; }
test -f "$share/suite/bundled/checksum.c"
"$prefix/bin/optlm-cc" --version | grep -q "clang version 19" ||
  { echo "optlm-cc is not clang-19"; exit 1; }

# The installed suite is complete (every program builds and runs as its
# .expected says), and the installed binary tunes a program outside any
# source tree.
"$prefix/bin/optlm" passlisteval sroa --suite "$share/suite/bundled" --no-store --json \
  > "$tmp/passlisteval.json"
grep -q '"all_accepted":true' "$tmp/passlisteval.json" ||
  { echo "PassListEval over the installed suite failed:"; cat "$tmp/passlisteval.json"; exit 1; }
cp "$share/suite/bundled/checksum.c" "$tmp/program.c"
(cd "$tmp" && "$prefix/bin/optlm" tune program.c --budget 10 --no-verify --store "$tmp/store.sqlite" --json) \
  > "$tmp/tune.json"
grep -q '"binary_size"' "$tmp/tune.json" ||
  { echo "tune from the installed prefix failed:"; cat "$tmp/tune.json"; exit 1; }
echo "installed optlm runs from $prefix"
