#!/usr/bin/env python3
"""Prints how long each test suite took, from a meson testlog.json: the sum
of its tests' durations and its wall-clock span (tests run in parallel)."""
import json
import sys

suites = {}
for line in open(sys.argv[1]):
    t = json.loads(line)
    project, _, rest = t['name'].partition(':')
    names = rest.split(' / ')[0].split('+')
    for s in names:
        if s == 'sanitize' and len(names) > 1:
            continue
        d = suites.setdefault(s, {'n': 0, 'sum': 0.0, 'start': 1e18, 'end': 0.0, 'bad': 0})
        d['n'] += 1
        d['sum'] += t['duration']
        d['start'] = min(d['start'], t['starttime'])
        d['end'] = max(d['end'], t['starttime'] + t['duration'])
        d['bad'] += t['result'] not in ('OK', 'SKIP', 'EXPECTEDFAIL')

print('%-14s %5s %9s %9s %s' % ('suite', 'tests', 'sum (s)', 'wall (s)', 'failed'))
for name, d in sorted(suites.items(), key=lambda kv: -kv[1]['sum']):
    print('%-14s %5d %9.1f %9.1f %d' % (name, d['n'], d['sum'], d['end'] - d['start'], d['bad']))
