"""Checks `optlm tune --json --candidates N` of a model with chains AB,BA
against the same tune with the model's default compilations: the first
ones are the default's, in its order; then come library lists not compiled
yet, then the best two of everything so far chained both ways (those not
compiled already), and the result is never larger than the default's."""
import json
import sys

usual = json.load(open(sys.argv[1]))
more = json.load(open(sys.argv[2]))
extra_lists = int(sys.argv[3])


def pipelines(result):
    return [c["pipeline"] for c in result["candidates"]]


head = len(usual["candidates"])
assert pipelines(more)[:head] == pipelines(usual), (pipelines(more), pipelines(usual))
lists = pipelines(more)[head:head + extra_lists]
assert len(lists) == extra_lists, pipelines(more)
assert not set(lists) & set(pipelines(usual)), lists
so_far = more["candidates"][:head + extra_lists]
ranked = sorted(range(len(so_far)), key=lambda i: (so_far[i]["binary_size"], i))
inner = [so_far[i]["pipeline"][len("module("):-1] for i in ranked[:2]]
chains = ["module(%s,%s)" % (inner[0], inner[1]), "module(%s,%s)" % (inner[1], inner[0])]
expected = [c for c in chains if c not in pipelines(more)[:head + extra_lists]]
assert pipelines(more)[head + extra_lists:] == expected, (pipelines(more), expected)
assert more["binary_size"] <= usual["binary_size"], (more["binary_size"], usual["binary_size"])
