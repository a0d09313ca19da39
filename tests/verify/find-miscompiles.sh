#!/usr/bin/env bash
# Searches systematically for pipelines that LLVM 19 miscompiles, crashes
# on or rejects, by running `optlm passlisteval` on every combination of a
# few suspect passes with the passes usually run around them. Prints one
# line per pipeline: accepted, or rejected with each failing program and
# reason. The findings are recorded in docs/passlisteval.md.
#
#   tests/verify/find-miscompiles.sh OPTLM [SUITE_DIR...]
#
# Default suite: the bundled programs. Verdicts go to a scratch store.
set -euo pipefail
optlm=${1:?usage: find-miscompiles.sh OPTLM [SUITE_DIR...]}
shift
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=("$(dirname "$0")/../../examples/programs")
suite_args=()
for s in "${suites[@]}"; do suite_args+=(--suite "$s"); done
store=$(mktemp -d)/verdicts.sqlite
trap 'rm -rf "$(dirname "$store")"' EXIT

suspects=(unify-loop-exits loop-extract lower-atomic)
before=("" "sroa," "mem2reg," "simplifycfg," "loop-simplify," "default<Oz>," "default<O2>,")
after=("" ",simplifycfg" ",instcombine")
pipelines=()
for s in "${suspects[@]}"; do
  for b in "${before[@]}"; do
    for a in "${after[@]}"; do
      pipelines+=("$b$s$a")
    done
  done
done

"$optlm" passlisteval "${suite_args[@]}" --store "$store" --json -- "${pipelines[@]}" |
  python3 -c '
import json, sys
report = json.load(sys.stdin)
for v in report["verdicts"]:
    if v["accepted"]:
        print(v["pipeline"] + ": accepted")
        continue
    failed = [p["program"] + "=" + p["result"] for p in v["programs"] if p["result"] not in ("none", "not-run")]
    print(v["pipeline"] + ": rejected, " + str(len(failed)) + "/" + str(len(v["programs"])) + " programs: " + " ".join(failed))
' || true
