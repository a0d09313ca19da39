"""Checks that a held-out size table (optlm-bench-flagmodel --size-table)
has the training table's (optlm train --size-table) form and library: a
score for every list, each above zero, 1 for -Oz's own size or the failed
score 2 at most, and the features of the same length."""
import json
import sys

train = [json.loads(line) for line in open(sys.argv[1])]
held = [json.loads(line) for line in open(sys.argv[2])]
library = train[0]["library"]
assert held[0]["library"][:len(library)] == library, (held[0], library)
assert len(held) == 2, held
row = held[1]
for key in ("row", "unit", "package", "oz_size", "instructions", "oz_instructions"):
    assert key in row, (key, row)
assert row["package"] == "checksum", row
assert row["oz_size"] > 0, row
assert len(row["scores"]) == len(held[0]["library"]), row
assert all(0 < s <= 2 for s in row["scores"]), row["scores"]
assert len(row["features"]) == len(train[1]["features"]), row
