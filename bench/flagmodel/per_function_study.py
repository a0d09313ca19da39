#!/usr/bin/env python3
"""How much could choosing a pass list per function add to the flag model?

A study, not a benchmark CI runs. For every unit of a held-out corpus that
`optlm tune` keeps whole (one part), the model's proposals on the whole unit
(`optlm tune --whole-module`) and -Oz are each applied with `optlm opt` and
the object's function and data symbols read with llvm-readelf. Two bounds on
a per-function choice among those outputs are printed against the best whole
list:

- "same structure": only the outputs whose defined symbols are the best
  list's (the same functions inlined away), each function taking its smallest
  size among them; interactions between functions are ignored, so this is an
  upper bound for recombining such outputs;
- "any output": every symbol its smallest size among all outputs, a symbol
  missing from an output counting 0. Inlining makes this a gross overestimate
  (a callee inlined in one output and a caller kept small in another); it is
  printed to show why the first bound is the one to read.

Usage: per_function_study.py --optlm BIN/optlm --corpus HELDOUT --units U.jsonl
           --store STORE --work DIR
U.jsonl: the bench's --per-module output (one object per unit, "module").
Resumable: DIR/study.jsonl keeps each unit's symbols; a second run only adds
the units it lacks, then prints the summary.
"""
import argparse
import json
import os
import statistics
import subprocess


def symbol_sizes(obj):
    listing = subprocess.run(['llvm-readelf-19', '-s', '--wide', obj], capture_output=True,
                             text=True, check=True).stdout
    sizes = {}
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) >= 8 and fields[3] in ('FUNC', 'OBJECT') and fields[6] != 'UND':
            sizes[fields[3][0] + ':' + fields[7]] = int(fields[2])
    return sizes


def tune_json(args, bitcode, *extra):
    run = subprocess.run([args.optlm, 'tune', bitcode, '--store', args.store, '--no-verify',
                          '--json', *extra], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def study_unit(args, module):
    bitcode = os.path.join(args.corpus, 'modules', module + '.bc')
    if len(tune_json(args, bitcode)['functions']) > 1:
        return {'module': module, 'multipart': True}
    whole = tune_json(args, bitcode, '--whole-module')
    pipelines = ['module(default<Oz>)'] + [c['pipeline'] for c in whole['candidates']
                                           if c.get('binary_size')]
    outputs = []
    obj = os.path.join(args.work, 'unit.o')
    for pipeline in pipelines:
        if subprocess.run([args.optlm, 'opt', bitcode, '-p', pipeline, '-o', obj],
                          capture_output=True).returncode == 0:
            outputs.append({'pipeline': pipeline, 'symbols': symbol_sizes(obj)})
    return {'module': module, 'multipart': False, 'outputs': outputs}


def summary(units):
    best_pct, same_pct = [], []
    oz_all = best_all = same_all = any_all = 0
    for unit in units:
        outputs = unit['outputs']
        totals = [sum(o['symbols'].values()) for o in outputs]
        oz = totals[0]
        if not oz:
            continue
        best = min(range(len(outputs)), key=lambda i: totals[i])
        names = set(outputs[best]['symbols'])
        alike = [o for o in outputs if set(o['symbols']) == names]
        same = sum(min(o['symbols'][n] for o in alike) for n in names)
        every = set().union(*(o['symbols'].keys() for o in outputs))
        anything = sum(min(o['symbols'].get(n, 0) for o in outputs) for n in every)
        best_pct.append(100 * (oz - totals[best]) / oz)
        same_pct.append(100 * (oz - same) / oz)
        oz_all += oz
        best_all += totals[best]
        same_all += same
        any_all += anything
    print(f'{len(best_pct)} units kept whole; symbol bytes under -Oz, mean of units '
          f'(all units together):')
    print(f'  best whole list:                 {statistics.mean(best_pct):.2f}% '
          f'({100 * (oz_all - best_all) / oz_all:.2f}%)')
    print(f'  per function, same structure:    {statistics.mean(same_pct):.2f}% '
          f'({100 * (oz_all - same_all) / oz_all:.2f}%)')
    print(f'  per symbol, any output (inflated by inlining): '
          f'({100 * (oz_all - any_all) / oz_all:.2f}%)')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option in ('--optlm', '--corpus', '--units', '--store', '--work'):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    path = os.path.join(args.work, 'study.jsonl')
    done = {}
    if os.path.exists(path):
        with open(path) as existing:
            for line in existing:
                unit = json.loads(line)
                done[unit['module']] = unit
    with open(args.units) as units, open(path, 'a') as out:
        for line in units:
            module = json.loads(line)['module']
            if module not in done:
                done[module] = study_unit(args, module)
                out.write(json.dumps(done[module]) + '\n')
                out.flush()
    summary([u for u in done.values() if not u['multipart'] and u['outputs']])


if __name__ == '__main__':
    main()
