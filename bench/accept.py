#!/usr/bin/env python3
"""Time `hiyari audit --inventory` of the example inventory with thousands of
`[[accept]]` rules in hiyari.toml, to see how the time grows with the number of rules.

It is a benchmark, not a test: it asserts nothing and prints, for each count, the wall
and CPU times (medians of the runs), the peak memory (the largest so far) and the size of
the configuration.

    bench/accept.py                         5000, 10000 and 40000 rules, 3 runs each
    bench/accept.py --counts 5000,80000 --runs 1 --hiyari target/release/hiyari

The rules are those a large organization writes: most name one resource of one check in
one account; one in ten is a glob. Half of the checks get rules. The binary defaults to
`$CARGO_TARGET_DIR/debug/hiyari` (`target/debug/hiyari` without the variable): build it
first (`cargo build --bin hiyari`, or `--release` and pass its path).
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INVENTORY = os.path.join(ROOT, "examples", "inc-2015-leaked-root-key.inventory.json")
CHECKS = [
    "public-snapshot", "public-ami", "unused-region-compute", "sg-unrestricted-egress",
    "iam-user-console-mfa", "stale-access-keys", "guardduty-enabled", "sg-open-ingress",
]
REGIONS = ["us-east-1", "sa-east-1", "ap-northeast-1", "eu-west-1"]


def config(n):
    lines = []
    for i in range(n):
        check = CHECKS[i % len(CHECKS)]
        resource_id = f"*-{i:06d}*" if i % 10 == 0 else f"res-{i:06d}"
        lines.append(
            "[[accept]]\n"
            f'check = "{check}"\n'
            f'region = "{REGIONS[i % len(REGIONS)]}"\n'
            f'resource = "{resource_id}"\n'
            f'account = "{100000000000 + i % 500}"\n'
            f'reason = "accepted risk number {i}"\n'
        )
    return "\n".join(lines)


def run(hiyari, cfg):
    started = time.monotonic()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    before = r0.ru_maxrss
    p = subprocess.run(
        [hiyari, "audit", "--inventory", INVENTORY, "--config", cfg, "--format", "json",
         "-o", os.devnull],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    wall = time.monotonic() - started
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)
    if p.returncode not in (0, 1, 3):
        sys.exit(f"hiyari exited {p.returncode}: {p.stderr.decode(errors='replace')[:500]}")
    return wall, cpu, max(r1.ru_maxrss, before)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--counts", default="5000,10000,40000")
    ap.add_argument("--runs", type=int, default=3)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    ap.add_argument("--hiyari", default=os.path.join(target, "debug", "hiyari"))
    args = ap.parse_args()
    if not os.path.exists(args.hiyari):
        sys.exit(f"no binary at {args.hiyari}: build it, or pass --hiyari PATH")
    # CPU time (user + system) is printed beside the wall time: on a shared machine the
    # wall time also counts the waits for a core.
    print(f"{'rules':>8} {'config':>9} {'wall (median)':>14} {'CPU (median)':>13} {'CPU per 1000':>13} {'peak RSS':>9}")
    with tempfile.TemporaryDirectory() as d:
        for n in [int(c) for c in args.counts.split(",")]:
            cfg = os.path.join(d, f"accept-{n}.toml")
            with open(cfg, "w") as f:
                f.write(config(n))
            size = os.path.getsize(cfg)
            walls, cpus, peak = [], [], 0
            for _ in range(args.runs):
                w, c, p = run(args.hiyari, cfg)
                walls.append(w)
                cpus.append(c)
                peak = max(peak, p)
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            print(f"{n:>8} {size / 1e6:>7.1f}MB {wall:>13.2f}s {cpu:>12.2f}s {cpu / n * 1000:>12.3f}s {peak / 1024:>7.0f}MB")


if __name__ == "__main__":
    main()
