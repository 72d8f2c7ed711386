#!/usr/bin/env python3
"""hiyari on an organization: one `audit --org` against N sequential single-account runs.

    python3 bench/org.py [--accounts 50] [--latency-ms 40] [--hiyari PATH]
    python3 bench/org.py --sizes 100,500,1000 --regions us-east-1,sa-east-1 \
        [--every-region-accounts 100] [--collect]

With --sizes, one organization of the largest size is built and `audit --org` runs once
per size, leaving the accounts past it out with --exclude-accounts; the sequential
single-account runs (and the comparison of findings) are made for the smallest size
only, and --every-region-accounts N adds a run over N accounts in every enabled region.
Each org run reports its wall time, requests, requests per second against moto's own
rate (requests per second of moto CPU: moto serves one request at a time, so that is
the most any client can get), peak RSS, and peak RSS per 1,000 findings; --collect adds
the wall time and peak RSS of `hiyari collect` of the same accounts into a file.

Starts moto_server in-process (the project's .venv, moto 5.2.5) behind the latency proxy
of bench/latency_proxy.py, creates an organization of `--accounts` accounts through the
Organizations API (the management account and N-1 members), gives every member some
state through STS AssumeRole (root MFA on, GuardDuty in the home region, and in every
fifth member a console user without MFA), then measures:

  * org:        one `hiyari audit --org`, every account and region at once;
  * sequential: one `hiyari audit` per account, one after the other, each with that
                account's credentials (AssumeRole done beforehand, not timed), as a
                shell loop over the accounts would run them.

It checks that both produced the same findings (by stable finding id), prints a table
and writes JSON (bench/results/org-<N>.json). moto runs in this process, so the
process's CPU time during a run is the emulator's own cost: moto serves one request at a
time (Python's GIL), and when its CPU time is close to the wall time, the emulator, not
hiyari, is what bounds the run. A benchmark, not a test: nothing is asserted.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)

import bench as b  # noqa: E402  (the shared moto, proxy and binary helpers)

CHECKS = (
    "root-access-keys,root-mfa,iam-user-console-mfa,guardduty-enabled,"
    "unused-region-compute,public-ami,sg-unrestricted-egress"
)
HOME = "us-east-1"


def creds_for(sts, account, base_account):
    if account == base_account:
        return {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    c = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
        RoleSessionName="bench",
    )["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": c["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": c["SecretAccessKey"],
        "AWS_SESSION_TOKEN": c["SessionToken"],
    }


def session_client(moto, service, region, env):
    import boto3

    return boto3.client(
        service, region_name=region, endpoint_url=moto.endpoint,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=env.get("AWS_SESSION_TOKEN"),
    )


def build_org(moto, n):
    from moto.iam.models import iam_backends

    org = b.client(moto, "organizations", HOME)
    org.create_organization(FeatureSet="ALL")
    base = b.client(moto, "sts", HOME).get_caller_identity()["Account"]
    accounts = [base]
    for i in range(n - 1):
        st = org.create_account(AccountName=f"member-{i:03}", Email=f"m{i}@example.com")
        accounts.append(st["CreateAccountStatus"]["AccountId"])
    sts = b.client(moto, "sts", HOME)
    creds = {}
    for i, a in enumerate(accounts):
        creds[a] = creds_for(sts, a, base)
        summary = iam_backends[a]["global"].account_summary
        summary._account_mfa_enabled = 1
        summary._account_access_keys_present = 0
        session_client(moto, "guardduty", HOME, creds[a]).create_detector(Enable=True)
        if i % 5 == 1:
            iam = session_client(moto, "iam", HOME, creds[a])
            iam.create_user(UserName="intern")
            iam.create_login_profile(UserName="intern", Password="Passw0rd!Passw0rd!")
    return base, accounts, creds


def run(cmd, env, timeout, rss=None, parse=True):
    """Runs hiyari; returns wall seconds, the JSON report (None unless `parse`) and
    stderr. With `rss` (a dict), GNU time measures the peak RSS into rss["kib"]."""
    full = dict(os.environ)
    for k in list(full):
        if k.startswith("AWS_"):
            del full[k]
    full.update({
        "AWS_REGION": HOME, "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
        "NO_COLOR": "1",
    })
    full.update(env)
    rss_file = None
    if rss is not None and os.path.exists("/usr/bin/time"):
        fd, rss_file = tempfile.mkstemp(prefix="hiyari-org-rss-")
        os.close(fd)
        cmd = ["/usr/bin/time", "-q", "-f", "%M", "-o", rss_file] + cmd
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, env=full, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate(timeout=timeout)
    wall = time.monotonic() - t0
    if rss_file:
        with open(rss_file) as f:
            rss["kib"] = int(f.read().strip().splitlines()[-1])
        os.unlink(rss_file)
    if p.returncode not in (0, 1, 3):
        raise RuntimeError(f"{cmd[:3]} exited {p.returncode}: {err.decode()[-2000:]}")
    return wall, json.loads(out) if parse else None, err.decode()


def ids(report):
    return {f["id"] for f in report["findings"]}


def main():
    b.ensure_moto_python()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--accounts", type=int, default=50)
    ap.add_argument("--latency-ms", type=float, default=40.0)
    ap.add_argument("--hiyari", default=os.path.join(b.DEFAULT_TARGET_DIR, "release", "hiyari"))
    ap.add_argument("--build", action="store_true", help="build the release binary when missing")
    ap.add_argument("--account-concurrency", default="8",
                    help="comma-separated values: one org run each")
    ap.add_argument("--concurrency", type=int, default=32, help="hiyari's --concurrency")
    ap.add_argument("--regions", default=None,
                    help="comma-separated regions to scan (default: every enabled region)")
    ap.add_argument("--timeout", type=float, default=3600.0)
    ap.add_argument("--out", default=None)
    ap.add_argument("--sizes", default=None,
                    help="comma-separated organization sizes, e.g. 100,500,1000 (see above)")
    ap.add_argument("--every-region-accounts", type=int, default=0,
                    help="with --sizes: one more run over this many accounts, every region")
    ap.add_argument("--collect", action="store_true",
                    help="with --sizes: also run `hiyari collect` of every size into a file, "
                         "for its wall time and peak RSS")
    ap.add_argument("--before", default=None, metavar="PATH",
                    help="with --sizes: another hiyari binary (an older build) run beside "
                         "--hiyari on every size, in the same organization")
    args = ap.parse_args()
    hiyari = b.ensure_hiyari(args.hiyari, args.build)
    if args.sizes:
        return scale(args, hiyari)

    moto = b.Moto(minimal_amis=True)
    proxy = b.Proxy(moto.endpoint, args.latency_ms)
    try:
        t0 = time.monotonic()
        base, accounts, creds = build_org(moto, args.accounts)
        seeded = time.monotonic() - t0
        b.log(f"organization of {len(accounts)} accounts seeded in {seeded:.1f}s")
        common = ["audit", "--no-progress", "--format", "json", "--checks", CHECKS,
                  "--endpoint-url", proxy.endpoint, "--concurrency", str(args.concurrency)]
        if args.regions:
            common += ["--regions", args.regions]

        # moto runs in this process: its CPU time during a run is what the emulator
        # itself cost, a floor no client can go under.
        org_runs = []
        for ac in [int(x) for x in args.account_concurrency.split(",")]:
            proxy.reset()
            cpu0 = b.moto_cpu()
            w, rep, _ = run([hiyari] + common + ["--org", "--account-concurrency", str(ac)],
                            creds[base], args.timeout)
            org_runs.append((ac, w, rep, b.moto_cpu() - cpu0,
                             sum(proxy.stats()["calls"].values())))
        # The fastest setting is the one reported against the sequential runs.
        ac_best, org_wall, org_report, org_moto_cpu, org_requests = min(org_runs, key=lambda r: r[1])

        proxy.reset()
        cpu0 = b.moto_cpu()
        seq_wall = 0.0
        seq_ids = set()
        per = []
        for a in accounts:
            w, r, _ = run([hiyari] + common, creds[a], args.timeout)
            seq_wall += w
            per.append(w)
            seq_ids |= ids(r)
        seq_moto_cpu = b.moto_cpu() - cpu0
        seq_requests = sum(proxy.stats()["calls"].values())
    finally:
        proxy.stop()
        moto.stop()

    same = ids(org_report) == seq_ids
    errors = sum(1 for f in org_report["findings"] if f["status"] == "error")
    result = {
        "accounts": len(accounts),
        "latency_ms": args.latency_ms,
        "checks": CHECKS.split(","),
        "regions_per_account": len(org_report["accounts"][0]["regions"]["scanned"]),
        "concurrency": args.concurrency,
        "org_runs": [{"account_concurrency": ac, "wall_s": round(w, 2), "moto_cpu_s": round(c, 2),
                      "requests": n} for ac, w, _, c, n in org_runs],
        "org": {"wall_s": round(org_wall, 2), "requests": org_requests,
                "moto_cpu_s": round(org_moto_cpu, 2),
                "findings": len(org_report["findings"]), "errors": errors},
        "sequential": {"wall_s": round(seq_wall, 2), "requests": seq_requests,
                       "moto_cpu_s": round(seq_moto_cpu, 2),
                       "per_account_median_s": round(sorted(per)[len(per) // 2], 2),
                       "findings": len(seq_ids)},
        "speedup": round(seq_wall / org_wall, 1) if org_wall else None,
        "same_findings": same,
        "hiyari": hiyari,
    }
    print(f"\nhiyari on an organization of {result['accounts']} accounts, "
          f"{result['regions_per_account']} regions each, {args.latency_ms:g} ms per request\n")
    print(f"{'run':<28}{'wall (s)':>10}{'requests':>10}{'moto CPU (s)':>14}{'findings':>10}")
    for ac, w, rep, c, n in org_runs:
        label = f"audit --org (accounts {ac})"
        print(f"{label:<28}{w:>10.1f}{n:>10}{c:>14.1f}{len(rep['findings']):>10}")
    print(f"{'%d sequential audits' % len(accounts):<28}{seq_wall:>10.1f}{seq_requests:>10}"
          f"{seq_moto_cpu:>14.1f}{len(seq_ids):>10}")
    print(f"\nspeed-up: {result['speedup']}x; same findings (by id): {same}; "
          f"errors in the org run: {errors}")
    suffix = f"-{len(args.regions.split(','))}regions" if args.regions else ""
    out = args.out or os.path.join(BENCH, "results", f"org-{len(accounts)}{suffix}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(result, f, indent=2)
    b.log(f"wrote {out}")
    if not same:
        sys.exit("the org run and the sequential runs found different things")


def scale(args, hiyari):
    sizes = sorted(int(x) for x in args.sizes.split(","))
    # CHECKS reads no AWS-managed policy: moto need not load them into every account.
    moto = b.Moto(minimal_amis=True, managed_policies=False)
    proxy = b.Proxy(moto.endpoint, args.latency_ms)
    rows = []
    try:
        t0 = time.monotonic()
        base, accounts, creds = build_org(moto, sizes[-1])
        b.log(f"organization of {len(accounts)} accounts seeded in {time.monotonic() - t0:.1f}s")
        # moto builds an account's regional backends on their first request, at a CPU
        # cost of its own: one unmeasured scan of every account first, so that no
        # measured run (and neither binary) pays it.
        warm = [hiyari, "audit", "--no-progress", "--format", "json", "--checks", CHECKS,
                "--endpoint-url", proxy.endpoint, "--org", "--concurrency", str(args.concurrency)]
        run(warm + (["--regions", args.regions] if args.regions else []), creds[base], args.timeout)
        if args.every_region_accounts:
            run(warm + ["--exclude-accounts", ",".join(accounts[args.every_region_accounts:])]
                if accounts[args.every_region_accounts:] else warm, creds[base], args.timeout)
        b.log("warmed up: every account scanned once, unmeasured")
        plan = [(n, args.regions) for n in sizes]
        if args.every_region_accounts:
            plan.append((args.every_region_accounts, None))
        binaries = [("after", hiyari)] + ([("before", args.before)] if args.before else [])
        for (label, binary), (n, regions) in [(b_, p_) for p_ in plan for b_ in binaries]:
            cmd = [binary, "audit", "--no-progress", "--format", "json", "--checks", CHECKS,
                   "--endpoint-url", proxy.endpoint, "--concurrency", str(args.concurrency),
                   "--org", "--account-concurrency", args.account_concurrency.split(",")[0]]
            if regions:
                cmd += ["--regions", regions]
            if accounts[n:]:
                cmd += ["--exclude-accounts", ",".join(accounts[n:])]
            proxy.reset()
            cpu0 = b.moto_cpu()
            rss = {}
            wall, rep, _ = run(cmd, creds[base], args.timeout, rss)
            moto_cpu = b.moto_cpu() - cpu0
            requests = sum(proxy.stats()["calls"].values())
            findings = len(rep["findings"])
            row = {
                "binary": label,
                "accounts": len(rep["accounts"]),
                "regions_per_account": len(rep["accounts"][0]["regions"]["scanned"]),
                "wall_s": round(wall, 2), "requests": requests,
                "requests_per_s": round(requests / wall, 1),
                "moto_cpu_s": round(moto_cpu, 2),
                "moto_requests_per_cpu_s": round(requests / moto_cpu, 1) if moto_cpu else None,
                "wall_over_moto_cpu": round(wall / moto_cpu, 2) if moto_cpu else None,
                "peak_rss_mib": round(rss.get("kib", 0) / 1024, 1),
                "findings": findings,
                "peak_rss_mib_per_1000_findings": round(rss.get("kib", 0) / 1024 / findings * 1000, 1),
                "errors": sum(1 for f in rep["findings"] if f["status"] == "error"),
            }
            if n == sizes[0] and regions == args.regions and label == "after":
                seq = set()
                for a in accounts[:n]:
                    seq_cmd = [hiyari, "audit", "--no-progress", "--format", "json", "--checks",
                               CHECKS, "--endpoint-url", proxy.endpoint]
                    if regions:
                        seq_cmd += ["--regions", regions]
                    seq |= ids(run(seq_cmd, creds[a], args.timeout)[1])
                row["same_findings_as_per_account_runs"] = seq == ids(rep)
            if args.collect:
                # The same accounts collected into a file: what an organization's
                # inventory costs in memory.
                with tempfile.TemporaryDirectory(prefix="hiyari-org-collect-") as d:
                    inv = os.path.join(d, "inventory.json")
                    ccmd = [binary, "collect", "--no-progress", "--checks", CHECKS,
                            "--output", inv] + cmd[cmd.index("--endpoint-url"):]
                    rss = {}
                    cwall, _, _ = run(ccmd, creds[base], args.timeout, rss, parse=False)
                    with open(inv) as f:
                        collected = len(json.load(f)["accounts"])
                    row["collect"] = {"wall_s": round(cwall, 2),
                                      "peak_rss_mib": round(rss.get("kib", 0) / 1024, 1),
                                      "inventory_mib": round(os.path.getsize(inv) / 2**20, 1),
                                      "accounts": collected}
            b.log(f"{row}")
            rows.append(row)
    finally:
        proxy.stop()
        moto.stop()
    print(f"\nhiyari audit --org, {args.latency_ms:g} ms per request, checks {CHECKS}\n")
    print(f"{'binary':>6} {'accounts':>8} {'regions':>7} {'wall s':>7} {'requests':>8} {'req/s':>6} "
          f"{'moto req/CPU s':>14} {'wall/moto CPU':>13} {'peak RSS MiB':>12} {'findings':>8} "
          f"{'MiB/1k findings':>15} {'same as per-account':>19}")
    for r in rows:
        print(f"{r['binary']:>6} {r['accounts']:>8} {r['regions_per_account']:>7} {r['wall_s']:>7.1f} "
              f"{r['requests']:>8} {r['requests_per_s']:>6.0f} {r['moto_requests_per_cpu_s']:>14} "
              f"{r['wall_over_moto_cpu']:>13} {r['peak_rss_mib']:>12} {r['findings']:>8} "
              f"{r['peak_rss_mib_per_1000_findings']:>15} "
              f"{str(r.get('same_findings_as_per_account_runs', '')):>19}")
    if args.collect:
        print(f"\nhiyari collect --org into a file\n")
        print(f"{'binary':>6} {'accounts':>8} {'regions':>7} {'wall s':>7} {'peak RSS MiB':>12} "
              f"{'inventory MiB':>13}")
        for r in rows:
            c = r["collect"]
            print(f"{r['binary']:>6} {c['accounts']:>8} {r['regions_per_account']:>7} "
                  f"{c['wall_s']:>7.1f} {c['peak_rss_mib']:>12} {c['inventory_mib']:>13}")
    out = args.out or os.path.join(BENCH, "results", f"org-scale-{'-'.join(map(str, sizes))}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump({"latency_ms": args.latency_ms, "checks": CHECKS.split(","), "rows": rows,
                   "hiyari": hiyari, "before": args.before}, f, indent=2)
    b.log(f"wrote {out}")


if __name__ == "__main__":
    main()
