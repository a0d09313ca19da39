#!/usr/bin/python3
"""How much could any choice of lists per unit add over one fixed set? A study.

Reads two size tables of the same library: the training units' (`optlm
train --task flagtune --size-table FILE`) and the held-out units'
(`optlm-bench-flagmodel --size-table FILE`). Each row is a unit's score,
size over -Oz's, under every list. Whole units, no chains. It prints the
mean reduction under -Oz on the held-out units of the best of P lists for:

- the fixed set of the training rows (their greedy cover: the model's
  choice with no features, flagmodel::greedyCover);
- the fixed set of the other held-out packages' rows (each package left
  out in turn);
- the best fixed set in hindsight (the held-out rows' own greedy cover):
  no rule that gives every unit the same lists does better;
- the library's ceiling (every list: a perfect choice per unit);
- for each pass of the library, a perfect one-bit oracle: told whether a
  unit's best list runs that pass, the unit gets the fixed set of the
  training rows whose best list agrees. A feature that predicted that bit
  could at most close this much of the gap to the ceiling.

Needs numpy (Debian's python3-numpy); not run by CI.

Usage: fixed_set_study.py TRAIN.jsonl HELDOUT.jsonl [--proposals 8] [--passes 10]
"""
import argparse
import json
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from row_count_study import greedy_cover  # noqa: E402


def read_table(path):
    lines = [json.loads(line) for line in open(path)]
    library = lines[0].get("library")
    rows = [r for r in lines[1:] if "scores" in r]
    if library is None or not rows:
        sys.exit(path + ": not a size table (a library line, then rows with scores)")
    scores = np.array([r["scores"] for r in rows], dtype=np.float64)
    return library, scores, [r["package"] for r in rows]


def reduction(best):
    return float(np.mean(1 - np.minimum(1, best)) * 100)


def passes_of(pipeline):
    """The pass names of a pipeline's text, without nesting or parameters."""
    names = re.findall(r"([a-z0-9-]+)(?:<[^>]*>)?(?=[,()]|$)", pipeline)
    return {n for n in names if n not in ("module", "function", "cgscc", "loop", "loop-mssa")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train")
    parser.add_argument("heldout")
    parser.add_argument("--proposals", type=int, default=8)
    parser.add_argument("--passes", type=int, default=10, help="one-bit oracles printed")
    args = parser.parse_args()

    library, train, _ = read_table(args.train)
    held_library, held, packages = read_table(args.heldout)
    if held_library[:len(library)] != library:
        sys.exit("the two tables do not share a library")
    held = held[:, :len(library)]
    count = args.proposals
    ones = lambda m: np.ones(len(m))

    fixed = greedy_cover(train, ones(train), count)
    hindsight = greedy_cover(held, ones(held), count)
    others = np.ones(len(held))
    packages = np.array(packages)
    for package in sorted(set(packages)):
        here = packages == package
        chosen = greedy_cover(held[~here], ones(held[~here]), count)
        others[here] = held[here][:, chosen].min(axis=1)
    print(f"{len(train)} training rows, {len(held)} held-out units of "
          f"{len(set(packages))} packages, {len(library)} lists, {count} a unit")
    print("| choice | under -Oz |")
    print("|---|---|")
    print(f"| fixed set of the training rows | {reduction(held[:, fixed].min(axis=1)):.2f}% |")
    print(f"| fixed set of the other held-out packages | {reduction(others):.2f}% |")
    print(f"| best fixed set in hindsight | {reduction(held[:, hindsight].min(axis=1)):.2f}% |")
    print(f"| library ceiling (every list) | {reduction(held.min(axis=1)):.2f}% |")

    oracles = []
    for name in sorted(set().union(*(passes_of(p) for p in library))):
        runs = np.array([name in passes_of(p) for p in library])
        if runs.all() or not runs.any():
            continue
        train_bit = runs[train.argmin(axis=1)]
        held_bit = runs[held.argmin(axis=1)]
        best = np.ones(len(held))
        for bit in (False, True):
            rows = train[train_bit == bit]
            chosen = greedy_cover(rows, ones(rows), count) if len(rows) else fixed
            best[held_bit == bit] = held[held_bit == bit][:, chosen].min(axis=1)
        oracles.append((reduction(best), name, int(runs.sum()), float(held_bit.mean())))
    oracles.sort(key=lambda o: (-o[0], o[1]))
    print()
    print("| told whether the best list runs | under -Oz | lists that run it | held-out units whose best does |")
    print("|---|---|---|---|")
    for value, name, lists, share in oracles[:args.passes]:
        print(f"| {name} | {value:.2f}% | {lists} | {share:.0%} |")


if __name__ == "__main__":
    main()
