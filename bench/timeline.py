#!/usr/bin/env python3
"""Prints where a measured run's time went, from a result file written with
--keep-timelines: for each run of TOOL, the first and last request of each action
(offsets from the run's first request, in ms), so serial waits between dependent calls
show up (e.g. GetCallerIdentity -> DescribeRegions -> GenerateCredentialReport ...).

    python bench/timeline.py bench/results/small-40ms-minimal-amis-aws-filters.hiyari.json hiyari-served
"""

import json
import sys


def main():
    path, tool = sys.argv[1], sys.argv[2]
    run_index = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    doc = json.load(open(path))
    run = doc["runs"][tool][run_index]
    tl = run.get("_timeline")
    if not tl:
        sys.exit("no timeline in this file (measure with --keep-timelines)")
    first = {}
    for start, end, region, name, status in tl:
        f = first.setdefault(name, [start, end, start, end, 0, set()])
        f[0] = min(f[0], start)
        f[1] = min(f[1], end)
        f[2] = max(f[2], start)
        f[3] = max(f[3], end)
        f[4] += 1
        f[5].add(status)
    print(f"{tool} run {run_index + 1}: wall {run['wall_s']:.3f}s, startup {run.get('startup_s')}s, "
          f"busy {run.get('busy_s')}s, tail {run.get('tail_s')}s, {run['requests']} requests, "
          f"max in flight {run.get('max_in_flight')}, connections {run.get('connections')}")
    print(f"{'action':<44} {'n':>5} {'first start':>11} {'first end':>10} {'last start':>10} {'last end':>9}  status")
    for name, (s0, e0, s1, e1, n, st) in sorted(first.items(), key=lambda kv: kv[1][0]):
        print(f"{name:<44} {n:>5} {s0 * 1000:>10.0f} {e0 * 1000:>10.0f} {s1 * 1000:>10.0f} "
              f"{e1 * 1000:>9.0f}  {','.join(sorted(st))}")


if __name__ == "__main__":
    main()
