#!/usr/bin/python3
"""Does the flag model choose better from more training rows? A study.

Reads a size table written by `optlm train --task flagtune --size-table FILE`
(every training unit's score, size over -Oz's, under every library list, and
its features) and replays the model's choice (flagmodel::FlagModel::propose:
the nearest rows by standardized features, weighted with the prior of every
row, then the greedy cover) with each package left out in turn, from a seeded
sample of N rows of the other packages, for several N. For each N it prints
the mean reduction under -Oz of the best of P proposed lists (no chains: the
table has none) for the shipped setting and for the best setting of the grid,
beside the fixed set (the greedy cover of all N rows) and the library's
ceiling (every list). Choosing the setting on the same folds flatters every N
alike; the point is how the numbers move with N.

Needs numpy (Debian's python3-numpy); not run by CI.

Usage: row_count_study.py ROWS.jsonl [--rows 150,300,600,0] [--draws 3]
       [--proposals 8] [--seed 0]
"""
import argparse
import json
import random
import sys

import numpy as np


def greedy_cover(scores, weights, count):
    """flagmodel::greedyCover: lists that most lower the weighted best score."""
    rows, lists = scores.shape
    best = np.ones(rows)
    chosen = []
    taken = np.zeros(lists, dtype=bool)
    while len(chosen) < count:
        gains = (weights[:, None] * np.maximum(best[:, None] - scores, 0)).sum(axis=0)
        gains[taken] = 0
        pick = int(np.argmax(gains))
        if gains[pick] <= 0:
            break
        taken[pick] = True
        chosen.append(pick)
        best = np.minimum(best, scores[:, pick])
    if len(chosen) < count:
        mean = (weights[:, None] * np.minimum(1.0, scores)).sum(axis=0)
        for pick in np.argsort(mean, kind="stable"):
            if len(chosen) == count:
                break
            if not taken[pick]:
                chosen.append(int(pick))
    return chosen


def propose(train_x, train_s, x, neighbours, prior_share, count):
    distances = ((train_x - x) ** 2).sum(axis=1)
    near = np.argsort(distances, kind="stable")[:neighbours]
    weights = np.zeros(len(train_x))
    if prior_share > 0:
        weights += prior_share / len(train_x)
        weights[near] += (1 - prior_share) / len(near)
    else:
        weights[near] = 1.0
    keep = weights > 0
    chosen = greedy_cover(train_s[keep], weights[keep], count)
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table")
    parser.add_argument("--rows", default="150,300,600,0", help="training rows a fold (0: all)")
    parser.add_argument("--draws", type=int, default=3, help="samples of the rows for each N")
    parser.add_argument("--proposals", type=int, default=8)
    parser.add_argument("--neighbours", default="4,8,16,32,64,128")
    parser.add_argument("--prior-shares", default="0,0.25,0.5,0.75")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rows = [json.loads(line) for line in open(args.table)]
    rows = [r for r in rows if "scores" in r]
    if not rows:
        sys.exit("no rows in " + args.table)
    features = np.array([r["features"] for r in rows], dtype=np.float64)
    scores = np.array([r["scores"] for r in rows], dtype=np.float64)
    packages = [r["package"] for r in rows]
    names = sorted(set(packages))
    grid = [(int(k), float(s)) for k in args.neighbours.split(",")
            for s in args.prior_shares.split(",")]
    print(f"{len(rows)} rows of {len(names)} packages, {scores.shape[1]} lists, "
          f"{args.proposals} proposals a unit; package left out in turn")
    ceiling = np.mean(1 - np.minimum(1, scores.min(axis=1))) * 100
    print(f"library ceiling (every list): {ceiling:.2f}%")
    print("| training rows a fold | fixed set | shipped setting (32, 0.75) | best of the grid | setting |")
    print("|---|---|---|---|---|")
    for n in [int(v) for v in args.rows.split(",")]:
        fixed_total, shipped_total = [], []
        grid_totals = {setting: [] for setting in grid}
        for draw in range(args.draws if n else 1):
            rng = random.Random(args.seed * 1000 + draw)
            fixed_sum = shipped_sum = 0.0
            grid_sum = {setting: 0.0 for setting in grid}
            for package in names:
                test = [i for i, p in enumerate(packages) if p == package]
                pool = [i for i, p in enumerate(packages) if p != package]
                if n and len(pool) > n:
                    pool = rng.sample(pool, n)
                pool = np.array(sorted(pool))
                mean = features[pool].mean(axis=0)
                std = features[pool].std(axis=0)
                scale = np.where(std > 1e-6, 1 / np.maximum(std, 1e-6), 0)
                train_x = (features[pool] - mean) * scale
                train_s = scores[pool]
                fixed = greedy_cover(train_s, np.ones(len(pool)), args.proposals)
                for i in test:
                    fixed_sum += 1 - min(1, scores[i, fixed].min())
                    x = (features[i] - mean) * scale
                    for setting in grid:
                        chosen = propose(train_x, train_s, x, setting[0], setting[1],
                                         args.proposals)
                        gain = 1 - min(1, scores[i, chosen].min())
                        grid_sum[setting] += gain
                        if setting == (32, 0.75):
                            shipped_sum += gain
            fixed_total.append(fixed_sum / len(rows) * 100)
            shipped_total.append(shipped_sum / len(rows) * 100)
            for setting in grid:
                grid_totals[setting].append(grid_sum[setting] / len(rows) * 100)
        best = max(grid, key=lambda s: np.mean(grid_totals[s]))
        label = str(n) if n else "all"
        shipped = f"{np.mean(shipped_total):.2f}%" if (32, 0.75) in grid else "-"
        print(f"| {label} | {np.mean(fixed_total):.2f}% | {shipped} | "
              f"{np.mean(grid_totals[best]):.2f}% | {best[0]} neighbours, prior share {best[1]} |",
              flush=True)


if __name__ == "__main__":
    main()
