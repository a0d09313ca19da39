#!/usr/bin/env python3
"""The checks of a datagen output folder that the datagen tests share.

  records.py lines DIR          every record line, shard by shard in name order
                                (the shards are the folder's *.journal files)
  records.py check DIR          what every record must have (a prompt in
                                [INST] ... [/INST], a unique id, the metadata
                                fields); prints the record count of each task
  records.py shards DIR         every shard of the manifest has its sha256
  records.py sizes DIR OPTLM    every flag-tuning label's size is what
                                `optlm size` measures for the prompt's IR and
                                the label's pipeline, equals the record's
                                output_binary_size and is at most -Oz's

Prints what it finds for FileCheck; on a failed check, says which on stderr
and exits 1.
"""
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

FIELDS = ["source", "target", "module", "pipeline", "input_instructions",
          "input_binary_size", "output_instructions", "output_binary_size"]


def fail(message):
    print("records.py: " + message, file=sys.stderr)
    sys.exit(1)


def record_lines(directory):
    journals = sorted(glob.glob(os.path.join(directory, "*.journal")))
    if not journals:
        fail("no shards in " + directory)
    lines = []
    for journal in journals:
        with open(journal[:-len(".journal")] + ".jsonl", encoding="utf-8") as shard:
            lines += [line for line in shard.read().split("\n") if line]
    return lines


def check(directory):
    counts, ids = {}, set()
    for line in record_lines(directory):
        record = json.loads(line)
        prompt = record["prompt"]
        if not prompt.startswith("[INST] ") or not prompt.endswith(" [/INST]"):
            fail("prompt not in [INST] ... [/INST]: " + prompt[:80])
        if record["id"] in ids:
            fail("duplicate id " + record["id"])
        ids.add(record["id"])
        for field in FIELDS:
            if field not in record["metadata"]:
                fail("no metadata field %s in %s" % (field, record["id"]))
        counts[record["task"]] = counts.get(record["task"], 0) + 1
    for task in sorted(counts):
        print(task, counts[task])


def shards(directory):
    manifest = json.load(open(os.path.join(directory, "manifest.json")))
    for shard in manifest["shards"]:
        with open(os.path.join(directory, shard["file"]), "rb") as data:
            digest = hashlib.sha256(data.read(shard["bytes"])).hexdigest()
        if digest != shard["sha256"]:
            fail("%s: sha256 %s, manifest %s" % (shard["file"], digest, shard["sha256"]))
    print("shards checked:", len(manifest["shards"]))


def code_block(text):
    first, last = text.find("<code>"), text.rfind("</code>")
    if first < 0 or last < first:
        fail("no <code> block in " + text[:80])
    return text[first + len("<code>"):last]


def sizes(directory, optlm):
    label_format = re.compile(r"Run opt -p '([^']*)' to get binary size ([0-9]+) ")
    confirmed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for line in record_lines(directory):
            record = json.loads(line)
            if record["task"] != "flagtune":
                continue
            label = label_format.match(record["label"])
            if not label:
                fail("not a flag-tuning label: " + record["label"][:80])
            pipeline, size = label.group(1), int(label.group(2))
            code_block(record["label"])
            path = os.path.join(scratch, "prompt%d.ll" % confirmed)
            with open(path, "w", encoding="utf-8") as ir:
                ir.write(code_block(record["prompt"]))
            metadata = record["metadata"]
            run = subprocess.run([optlm, "size", path, "-p", pipeline, "--target",
                                  metadata["target"], "--json"], capture_output=True, text=True)
            if run.returncode != 0:
                fail("optlm size failed: " + run.stderr)
            measured = json.loads(run.stdout)["binary_size"]
            if measured != size:
                fail("%s %s: measured %d, label %d" % (metadata["source"], pipeline, measured, size))
            if metadata["output_binary_size"] != size:
                fail("%s: output_binary_size %d, label %d"
                     % (metadata["source"], metadata["output_binary_size"], size))
            if size > metadata["oz_binary_size"]:
                fail("%s: label %d larger than -Oz %d"
                     % (metadata["source"], size, metadata["oz_binary_size"]))
            confirmed += 1
    print("flag-tuning sizes confirmed:", confirmed)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        fail(__doc__)
    command, directory = sys.argv[1], sys.argv[2]
    if command == "lines":
        for line in record_lines(directory):
            print(line)
    elif command == "check":
        check(directory)
    elif command == "shards":
        shards(directory)
    elif command == "sizes" and len(sys.argv) == 4:
        sizes(directory, sys.argv[3])
    else:
        fail(__doc__)
