"""Checks `optlm tune --json` of parts.c, tuned part by part: the model's
first proposal compiled on the whole unit, the five groups in the source's
order with the other nine compilations (seven lists, two chains) each, each part no larger than its own -Oz, and the result no larger than
-Oz."""
import json
import sys

report = json.load(open(sys.argv[1]))
parts = report["functions"]
names = [part["function"] for part in parts]
expected = ["crc32_of and 1 more function(s)", "evaluate_rpn and 2 more function(s)",
            "count_words and 1 more function(s)", "reverse_in_place", "main"]
problems = []
if len(report["candidates"]) != 1:
    problems.append(f"{len(report['candidates'])} whole-unit candidates, not 1")
if names != expected:
    problems.append(f"parts {names}, expected {expected}")
for part in parts:
    if len(part["candidates"]) != 9:
        problems.append(f"{part['function']}: {len(part['candidates'])} candidates, not 9")
    if part["binary_size"] > part["oz_binary_size"]:
        problems.append(f"{part['function']}: larger than its -Oz")
if report["binary_size"] > report["oz_binary_size"]:
    problems.append("the result is larger than -Oz")
if report["model_pipeline"] != "per part (%d of 5 from the model)" % sum(
        part["from_model"] for part in parts):
    problems.append(f"model pipeline {report['model_pipeline']!r}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
