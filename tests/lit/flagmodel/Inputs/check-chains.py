"""Checks `optlm tune --json` of a model with chains AB,BA: two library
lists, then the best of them followed by the second and the other way
round, each one pipeline after the other (module(A...),(B...))."""
import json
import sys

result = json.load(open(sys.argv[1]))
candidates = result["candidates"]
assert len(candidates) == 4, candidates
lists = sorted(candidates[:2], key=lambda c: c["binary_size"])
inner = [c["pipeline"][len("module("):-1] for c in lists]
for c in lists:
    assert c["pipeline"].startswith("module(") and c["pipeline"].endswith(")"), c
expected = ["module(%s,%s)" % (inner[0], inner[1]), "module(%s,%s)" % (inner[1], inner[0])]
got = [c["pipeline"] for c in candidates[2:]]
assert got == expected, (got, expected)
assert all(c["binary_size"] is not None for c in candidates), candidates
