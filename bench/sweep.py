#!/usr/bin/env python3
"""How many round trips a scan waits for one after the other: a latency sweep.

    .venv/bin/python bench/sweep.py --hiyari PATH [--hiyari PATH2 ...]
        [--scenario small|large] [--latency-ms 200] [--runs 3]

Seeds bench.py's scenario in moto_server, then runs each given binary through two
latency proxies in front of the same moto: one adding nothing, one adding L ms to every
request. Requests that run side by side add L once; requests that wait for each other
add L each. So (median wall at +L) - (median wall at +0), divided by L, is the number of
round trips the scan waits for in sequence (its critical path), whatever the machine's
speed or the build's optimisation: both runs do the same work, only the waiting
differs. Also printed: requests, and TCP connections the binary opened to the proxy
(the HTTP client's pooling). Checks that moto cannot serve are left out (bench.py's
MOTO_UNSERVED), so that no retry backoff enters the sum. A benchmark: nothing is
asserted.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)

import bench as b  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hiyari", action="append", required=True,
                    help="a hiyari binary (repeat to compare builds or revisions)")
    ap.add_argument("--scenario", choices=["small", "large"], default="small")
    ap.add_argument("--scale", type=float, default=0.2, help="the large scenario's size")
    ap.add_argument("--latency-ms", type=float, default=200.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--regions", default=None,
                    help="comma-separated; default: every enabled region")
    ap.add_argument("--concurrency", default=None,
                    help="hiyari's --concurrency (default: hiyari's own). With many requests "
                         "and few permits, the bound on requests in flight, not the chain of "
                         "dependent calls, sets the wall time: raise it to see the chain")
    args = ap.parse_args()

    b.ensure_moto_python()
    moto = b.Moto(minimal_amis=True, aws_filters=True)
    fast = b.Proxy(moto.endpoint, 0.0)
    slow = b.Proxy(moto.endpoint, args.latency_ms)
    try:
        if args.scenario == "small":
            b.scenario_small(moto)
        else:
            spec = {k: (max(1, int(v * args.scale)) if isinstance(v, int) and k != "reservation"
                        else v) for k, v in b.LARGE.items()}
            b.scenario_large(moto, spec)
        regions = args.regions.split(",") if args.regions else b.enabled_regions(moto)
        b.warm_up(moto, regions)
        rows = []
        for binary in args.hiyari:
            walls = {0: [], 1: []}
            seen = {}
            for _ in range(args.runs):
                for which, proxy in ((0, fast), (1, slow)):
                    cmd = [binary, "audit", "--format", "json", "--no-progress",
                           "--endpoint-url", proxy.endpoint, "--region", b.HOME,
                           "--regions", ",".join(regions), "--allowed-regions", b.HOME,
                           "--skip-checks", ",".join(b.MOTO_UNSERVED)]
                    if args.concurrency:
                        cmd += ["--concurrency", args.concurrency]
                    r = b.measure(f"sweep{which}", cmd, b.tool_env(proxy.endpoint, b.HOME),
                                  moto, proxy, 900, lambda out, cwd: b.hiyari_fails(out))
                    walls[which].append(r["wall_s"])
                    seen[which] = r
            w0, w1 = statistics.median(walls[0]), statistics.median(walls[1])
            rows.append({
                "binary": binary, "wall_s_at_0": w0, "wall_s_at_latency": w1,
                "sequential_round_trips": round((w1 - w0) / (args.latency_ms / 1000.0), 2),
                "requests": seen[1]["requests"], "connections": seen[1]["connections"],
            })
    finally:
        for p in (fast, slow):
            p.stop()
        moto.stop()

    print(f"\n{args.scenario} scenario, {len(regions)} regions, +{args.latency_ms:.0f} ms per "
          f"request, --concurrency {args.concurrency or 'default'}, median of {args.runs} runs")
    print(f"{'binary':<48} {'wall +0':>8} {'wall +L':>8} {'round trips':>11} "
          f"{'requests':>8} {'connections':>11}")
    for r in rows:
        print(f"{r['binary'][-48:]:<48} {r['wall_s_at_0']:>8.2f} {r['wall_s_at_latency']:>8.2f} "
              f"{r['sequential_round_trips']:>11.2f} {r['requests']:>8} {r['connections']:>11}")


if __name__ == "__main__":
    main()
