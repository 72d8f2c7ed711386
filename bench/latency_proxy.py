"""A latency-adding, request-counting HTTP/1.1 proxy in front of moto_server.

Standard library only (asyncio), so it runs in any Python 3.9+. Started by bench.py
in its own process (so that it never competes with moto for moto's GIL):

    python bench/latency_proxy.py --upstream http://127.0.0.1:PORT --latency-ms 40

It prints `READY <port>` on stdout, then serves until stdin closes or it is killed.

Every request is held for a fixed `--latency-ms` (one round trip of a network), then
forwarded to moto on a fresh upstream connection; the answer goes back on the client's
keep-alive connection. Optionally `--connect-latency-ms` is added once per new client
connection (a TCP handshake); it is 0 by default.

Requests are identified exactly as the Rust fault proxy of the integration tests
(`tests/it/support/proxy.rs`, `identify` and `rest_action`) does:
  * region and service: the SigV4 credential scope in the `Authorization` header;
  * action: `X-Amz-Target` (awsJson, after the last dot), else the operation of a
    Smithy RPC v2 CBOR path (`.../operation/<Op>`), else `Action=` in the form body
    (awsQuery and ec2Query: EC2, IAM, STS), else REST-JSON method and path (GuardDuty's
    ListDetectors / GetDetector / ...; any other REST call is `METHOD /first-segment`).

Control endpoints on the same port (never forwarded, never counted):
  GET  /__bench__/stats   JSON: counts per service:Action, per region, upstream (moto)
                          time per action, connections, max requests in flight, and a
                          timeline of every request (start/end offsets in seconds).
  POST /__bench__/reset   forgets everything.
"""

import argparse
import asyncio
import json
import os
import sys
import time
import urllib.parse
from collections import defaultdict

CONTROL = "/__bench__/"


class Stats:
    def __init__(self):
        self.reset()

    def reset(self):
        self.t0 = None
        self.calls = defaultdict(int)
        self.calls_in = defaultdict(int)  # "region service:Action"
        self.upstream_s = defaultdict(float)  # moto time per service:Action
        self.upstream_max_s = defaultdict(float)
        self.status = defaultdict(int)
        self.errors = defaultdict(int)  # "service:Action HTTP-status" for non-2xx answers
        self.connections = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.bytes_out = 0
        self.timeline = []  # (start, end, region, "service:Action", status)

    def snapshot(self):
        return {
            "calls": dict(sorted(self.calls.items())),
            "calls_in": dict(sorted(self.calls_in.items())),
            "total": sum(self.calls.values()),
            "upstream_seconds": {k: round(v, 4) for k, v in sorted(self.upstream_s.items())},
            "upstream_max_seconds": {
                k: round(v, 4) for k, v in sorted(self.upstream_max_s.items())
            },
            "status": {str(k): v for k, v in sorted(self.status.items())},
            "errors": dict(sorted(self.errors.items())),
            "connections": self.connections,
            "max_in_flight": self.max_in_flight,
            "response_bytes": self.bytes_out,
            "timeline": self.timeline,
            # CLOCK_MONOTONIC is system-wide on Linux: the bench compares it with the
            # time it started the tool.
            "t0_monotonic": self.t0,
        }


STATS = Stats()


def header(headers, name):
    name = name.lower()
    for k, v in headers:
        if k.lower() == name:
            return v
    return None


def rest_action(service, method, path):
    segs = [s for s in path.split("/") if s]
    if service == "guardduty":
        if method == "GET" and segs == ["detector"]:
            return "ListDetectors"
        if method == "POST" and segs == ["detector"]:
            return "CreateDetector"
        if method == "GET" and len(segs) == 2 and segs[0] == "detector":
            return "GetDetector"
        if method == "POST" and len(segs) == 3 and segs[0] == "detector" and segs[2] == "findings":
            return "ListFindings"
        if (
            method == "POST"
            and len(segs) == 4
            and segs[0] == "detector"
            and segs[2:] == ["findings", "statistics"]
        ):
            return "GetFindingsStatistics"
    return f"{method} /{segs[0] if segs else ''}"


def identify(method, target, headers, body):
    region, service = "unknown", "unknown"
    auth = header(headers, "authorization")
    if auth and "Credential=" in auth:
        cred = auth.split("Credential=", 1)[1]
        for sep in (",", " "):
            cred = cred.split(sep, 1)[0]
        parts = cred.split("/")
        if len(parts) >= 5:
            region, service = parts[2], parts[3]
    path = target.split("?", 1)[0]
    amz_target = header(headers, "x-amz-target")
    if amz_target:
        action = amz_target.rsplit(".", 1)[-1]
    elif "/operation/" in path:
        action = path.split("/operation/", 1)[1]
    else:
        action = None
        if body:
            text = body.decode("utf-8", "replace")
            for kv in text.split("&"):
                k, _, v = kv.partition("=")
                if k == "Action":
                    action = urllib.parse.unquote_plus(v)
                    break
        if action is None:
            action = rest_action(service, method, path)
    return region, service, action


def dechunk(data):
    out = bytearray()
    while True:
        eol = data.find(b"\r\n")
        if eol < 0:
            return None
        size = int(data[:eol].split(b";")[0].strip() or b"0", 16)
        data = data[eol + 2 :]
        if size == 0:
            return bytes(out)
        if len(data) < size + 2:
            return None
        out += data[:size]
        data = data[size + 2 :]


async def read_message(reader):
    """One HTTP/1.1 message (head and body) from a keep-alive stream; None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    lines = head[:-4].decode("latin-1").split("\r\n")
    start = lines[0]
    headers = []
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers.append((k.strip(), v.strip()))
    te = (header(headers, "transfer-encoding") or "").lower()
    if "chunked" in te:
        body = bytearray()
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            if size == 0:
                # trailers until the empty line
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass
                break
            body += await reader.readexactly(size)
            await reader.readexactly(2)
        body = bytes(body)
    else:
        n = int(header(headers, "content-length") or 0)
        body = await reader.readexactly(n) if n else b""
    return start, headers, body


HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}


def encode(start, headers, body, extra):
    out = [start]
    for k, v in headers:
        if k.lower() not in HOP:
            out.append(f"{k}: {v}")
    for k, v in extra:
        out.append(f"{k}: {v}")
    out.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + body


async def forward(upstream, start, headers, body):
    host, port = upstream
    r, w = await asyncio.open_connection(host, port, limit=2**24)
    w.write(encode(start, headers, body, [("Connection", "close")]))
    await w.drain()
    raw = await r.read()
    w.close()
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        raise ConnectionError("no response head from upstream")
    lines = raw[:end].decode("latin-1").split("\r\n")
    rstart = lines[0]
    rheaders = []
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            rheaders.append((k.strip(), v.strip()))
    rest = raw[end + 4 :]
    te = (header(rheaders, "transfer-encoding") or "").lower()
    if "chunked" in te:
        rbody = dechunk(rest)
        if rbody is None:
            raise ConnectionError("truncated chunked body from upstream")
    else:
        n = header(rheaders, "content-length")
        rbody = rest[: int(n)] if n is not None and len(rest) >= int(n) else rest
    return rstart, rheaders, rbody


def control(method, target):
    if target.startswith(CONTROL + "stats"):
        body = json.dumps(STATS.snapshot()).encode()
    elif target.startswith(CONTROL + "reset") and method == "POST":
        STATS.reset()
        body = b'{"ok":true}'
    else:
        return "HTTP/1.1 404 Not Found", [], b"{}"
    return "HTTP/1.1 200 OK", [("Content-Type", "application/json")], body


async def serve(reader, writer, args):
    if args.connect_latency > 0:
        await asyncio.sleep(args.connect_latency)
    counted = False
    try:
        while True:
            msg = await read_message(reader)
            if msg is None:
                return
            start, headers, body = msg
            parts = start.split(" ")
            method, target = parts[0], parts[1] if len(parts) > 1 else "/"
            if target.startswith(CONTROL):
                rstart, rheaders, rbody = control(method, target)
                writer.write(encode(rstart, rheaders, rbody, [("Connection", "keep-alive")]))
                await writer.drain()
                continue
            if not counted:
                STATS.connections += 1
                counted = True
            region, service, action = identify(method, target, headers, body)
            name = f"{service}:{action}"
            now = time.monotonic()
            if STATS.t0 is None:
                STATS.t0 = now
            t_start = now - STATS.t0
            STATS.calls[name] += 1
            STATS.calls_in[f"{region} {name}"] += 1
            STATS.in_flight += 1
            STATS.max_in_flight = max(STATS.max_in_flight, STATS.in_flight)
            try:
                if args.latency > 0:
                    await asyncio.sleep(args.latency)
                up = time.monotonic()
                try:
                    rstart, rheaders, rbody = await forward(args.upstream, start, headers, body)
                except (OSError, ConnectionError, asyncio.IncompleteReadError) as e:
                    rstart = "HTTP/1.1 502 Bad Gateway"
                    rheaders = [("Content-Type", "text/plain")]
                    rbody = f"bench proxy: upstream failed: {e}".encode()
                took = time.monotonic() - up
                STATS.upstream_s[name] += took
                STATS.upstream_max_s[name] = max(STATS.upstream_max_s[name], took)
            finally:
                STATS.in_flight -= 1
            status = rstart.split(" ")[1] if " " in rstart else "?"
            STATS.status[status] += 1
            if not status.startswith("2"):
                STATS.errors[f"{name} {status}"] += 1
            STATS.bytes_out += len(rbody)
            STATS.timeline.append(
                (round(t_start, 4), round(time.monotonic() - STATS.t0, 4), region, name, status)
            )
            writer.write(encode(rstart, rheaders, rbody, [("Connection", "keep-alive")]))
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
        return
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main_async(args):
    server = await asyncio.start_server(
        lambda r, w: serve(r, w, args), "127.0.0.1", args.port, limit=2**24, backlog=1024
    )
    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)
    loop = asyncio.get_running_loop()
    # Exit when stdin closes (the parent ended), so no proxy is ever left behind.
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()
    sys.stdout.flush()
    os._exit(0)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--upstream", required=True, help="http://127.0.0.1:PORT of moto_server")
    p.add_argument("--latency-ms", type=float, default=40.0)
    p.add_argument("--connect-latency-ms", type=float, default=0.0)
    p.add_argument("--port", type=int, default=0)
    a = p.parse_args()
    hostport = a.upstream.split("://", 1)[-1].rstrip("/")
    host, port = hostport.rsplit(":", 1)
    a.upstream = (host, int(port))
    a.latency = a.latency_ms / 1000.0
    a.connect_latency = a.connect_latency_ms / 1000.0
    asyncio.run(main_async(a))


if __name__ == "__main__":
    main()
