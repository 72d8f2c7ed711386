#!/usr/bin/env python3
"""How long a sweep's CloudTrail reads take: every region at once, paced, against the
same regions swept one after another.

    .venv/bin/python bench/sweep_pacing.py --hiyari PATH [--regions 17] [--pages 20]

Starts moto_server (the live resources) and, in a process of its own, a proxy in front
of it that answers CloudTrail LookupEvents itself (moto does not serve it): in each
region `--pages` pages of 50 write events, CloudTrail's JSON shape, and a
ThrottlingException when a region is asked more than twice in a second, as
LookupEvents' limit of 2 requests per second per account and region. AWS Health
answers SubscriptionRequiredException and EC2 DescribeReservedInstances an empty list
(moto serves neither); everything else goes to moto.

Then it runs `hiyari sweep --since 1h --max-events N` (every write event of the hour,
N = pages x 50) over all the regions at once, and the same sweep once per region, one
after the other, and prints both wall times, the LookupEvents requests and the
throttles the proxy answered. The floor of the first is about P/2 seconds (P pages in
the busiest region, at 2 a second); of the second, the sum over regions. A benchmark:
nothing is asserted.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)

REGIONS = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1",
    "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-northeast-1",
    "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-south-1",
    "sa-east-1",
]
PAGE = 50


# --------------------------------------------------------------------------- the proxy


def serve_main(args):
    import latency_proxy as lp

    upstream = args.upstream.replace("http://", "").rstrip("/").split(":")
    upstream = (upstream[0], int(upstream[1]))
    state = {"asked": {}, "requests": 0, "throttled": 0}
    since = time.time() - 1800

    def events(region, offset):
        out = []
        for i in range(offset, min(offset + PAGE, args.pages * PAGE)):
            t = since + (args.pages * PAGE - i)
            eid = f"{region}-{i:06d}"
            record = {
                "eventVersion": "1.08",
                "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/bench",
                                 "accountId": "123456789012", "accessKeyId": "AKIABENCHKEY0000001",
                                 "userName": "bench"},
                "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
                "eventSource": "ec2.amazonaws.com", "eventName": "CreateTags", "awsRegion": region,
                "sourceIPAddress": "198.51.100.7", "userAgent": "aws-cli/2.15.0",
                "requestParameters": {"resourcesSet": {"items": [{"resourceId": "i-0123456789abcdef0"}]}},
                "responseElements": {"_return": True}, "eventID": eid, "readOnly": False,
                "eventType": "AwsApiCall", "managementEvent": True, "recipientAccountId": "123456789012",
            }
            out.append({"EventId": eid, "EventName": "CreateTags", "ReadOnly": "false",
                        "AccessKeyId": "AKIABENCHKEY0000001", "EventTime": t,
                        "EventSource": "ec2.amazonaws.com", "Username": "bench", "Resources": [],
                        "CloudTrailEvent": json.dumps(record)})
        return out

    def json_answer(status, body, error=None):
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "bench")]
        if error:
            headers.append(("x-amzn-ErrorType", error))
        reason = "OK" if status == 200 else "Bad Request"
        return f"HTTP/1.1 {status} {reason}", headers, json.dumps(body).encode()

    def cbor_text(text):
        # A CBOR text string (major type 3): the length in the head byte, or in one byte
        # after 0x78 for 24 to 255 bytes; these answers need nothing longer.
        raw = text.encode()
        head = bytes([0x60 + len(raw)]) if len(raw) < 24 else bytes([0x78, len(raw)])
        return head + raw

    def health_without_support_plan():
        # The SDK's Health client speaks Smithy RPC v2 CBOR: the error is a CBOR map of
        # `__type` and `message`, as AWS answers an account without a Business or
        # Enterprise support plan.
        body = bytes([0xA2]) + b"".join(cbor_text(t) for t in (
            "__type", "SubscriptionRequiredException",
            "message", "AWS Premium Support Subscription is required to use this service."))
        return ("HTTP/1.1 400 Bad Request",
                [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor"),
                 ("x-amzn-RequestId", "bench")], body)

    def lookup(region, body):
        state["requests"] += 1
        now = time.monotonic()
        asked = [t for t in state["asked"].get(region, []) if now - t < 1.0]
        if len(asked) >= 2:
            state["throttled"] += 1
            state["asked"][region] = asked
            return json_answer(400, {"__type": "ThrottlingException", "message": "Rate exceeded"},
                               "ThrottlingException")
        asked.append(now)
        state["asked"][region] = asked
        req = json.loads(body or b"{}")
        offset = int((req.get("NextToken") or "page-0").split("-")[1])
        attrs = req.get("LookupAttributes") or [{}]
        if attrs[0].get("AttributeKey") != "ReadOnly":
            return json_answer(200, {"Events": []})
        out = {"Events": events(region, offset)}
        if offset + PAGE < args.pages * PAGE:
            out["NextToken"] = f"page-{offset + PAGE}"
        return json_answer(200, out)

    async def handle(reader, writer):
        try:
            while True:
                msg = await lp.read_message(reader)
                if msg is None:
                    return
                start, headers, body = msg
                method, target = start.split(" ")[0], start.split(" ")[1]
                if target.startswith("/__bench__/stats"):
                    ans = ("HTTP/1.1 200 OK", [("Content-Type", "application/json")],
                           json.dumps({"requests": state["requests"], "throttled": state["throttled"]}).encode())
                elif target.startswith("/__bench__/reset"):
                    state.update({"asked": {}, "requests": 0, "throttled": 0})
                    ans = ("HTTP/1.1 200 OK", [], b"{}")
                else:
                    region, service, action = lp.identify(method, target, headers, body)
                    if service == "cloudtrail" and action == "LookupEvents":
                        ans = lookup(region, body)
                    elif service == "health":
                        ans = health_without_support_plan()
                    elif service == "ec2" and action == "DescribeReservedInstances":
                        ans = ("HTTP/1.1 200 OK", [("Content-Type", "text/xml")],
                               b'<?xml version="1.0" encoding="UTF-8"?>\n<DescribeReservedInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>bench</requestId><reservedInstancesSet/></DescribeReservedInstancesResponse>')
                    else:
                        ans = await lp.forward(upstream, start, headers, body)
                writer.write(lp.encode(*ans, [("Connection", "keep-alive")]))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return

    async def run():
        server = await asyncio.start_server(handle, "127.0.0.1", 0, limit=2**24, backlog=1024)
        print(f"READY {server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        os._exit(0)

    asyncio.run(run())


# --------------------------------------------------------------------------- the bench


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hiyari", required=True)
    ap.add_argument("--regions", type=int, default=17, help="how many regions (at most 17)")
    ap.add_argument("--pages", type=int, default=20, help="LookupEvents pages per region")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--upstream", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        return serve_main(args)

    import bench as b

    b.ensure_moto_python()
    moto = b.Moto(minimal_amis=True)
    proxy = subprocess.Popen(
        [sys.executable, os.path.abspath(__file__), "--serve", "--hiyari", "-", "--pages",
         str(args.pages), "--upstream", moto.endpoint],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    endpoint = f"http://127.0.0.1:{int(proxy.stdout.readline().split()[1])}"
    regions = REGIONS[: max(1, min(args.regions, len(REGIONS)))]

    def stats(path="stats"):
        req = urllib.request.Request(endpoint + "/__bench__/" + path, method="POST" if path == "reset" else "GET",
                                     data=b"" if path == "reset" else None)
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def sweep(rs):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_REGION": "us-east-1", "NO_COLOR": "1"})
        cmd = [args.hiyari, "sweep", "--since", "1h", "--max-events", str(args.pages * PAGE),
               "--regions", ",".join(rs), "--endpoint-url", endpoint, "--format", "json",
               "--no-progress"]
        t = time.monotonic()
        out = subprocess.run(cmd, env=env, capture_output=True, text=True)
        wall = time.monotonic() - t
        report = json.loads(out.stdout) if out.stdout.strip() else {}
        return wall, out.returncode, report, out.stderr

    try:
        # Warm moto's per-region state so the first measured run pays no set-up.
        sweep(regions[:1])
        stats("reset")
        wall_all, code, report, err = sweep(regions)
        s_all = stats()
        events = len(report.get("activity", []))
        stats("reset")
        wall_seq = 0.0
        for r in regions:
            w, c, _, e = sweep([r])
            wall_seq += w
        s_seq = stats()
        floor = (args.pages - 1) / 2.0
        print(f"{len(regions)} regions x {args.pages} pages of {PAGE} events, LookupEvents at 2 requests/s per region")
        print(f"  every region at once : {wall_all:6.1f} s  exit {code}  {events} events  "
              f"{s_all['requests']} LookupEvents requests, {s_all['throttled']} throttled")
        print(f"  one region at a time : {wall_seq:6.1f} s  (sum of {len(regions)} sweeps)  "
              f"{s_seq['requests']} LookupEvents requests, {s_seq['throttled']} throttled")
        print(f"  floor of the busiest region: (P-1)/2 = {floor:.1f} s of pacing, plus the scan's own calls")
        if code not in (0, 1):
            print("  the sweep did not complete:", err.strip()[-2000:])
    finally:
        proxy.stdin.close()
        proxy.wait(timeout=10)
        moto.server.stop()


if __name__ == "__main__":
    main()
