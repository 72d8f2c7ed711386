"""Starts moto_server in-process for hiyari's integration tests.

Binds a free loopback port, prints `READY <port>`, then reads JSON commands on stdin,
one per line, for the few pieces of state that the AWS API itself cannot set (the root
user's access keys and MFA) and for moto's request recorder, answering `OK` or `ERR <message>` to each. Exits when stdin
closes, so a test that ends (or crashes) never leaves a server behind.
"""

import json
import sys

from moto.server import ThreadedMotoServer


def set_root(cmd):
    from moto.iam.models import iam_backends

    summary = iam_backends[cmd["account"]]["global"].account_summary
    if "mfa" in cmd:
        summary._account_mfa_enabled = 1 if cmd["mfa"] else 0
    if "access_keys" in cmd:
        summary._account_access_keys_present = 1 if cmd["access_keys"] else 0


def age_access_keys(cmd):
    """Backdates the creation (last rotation) of every access key of one IAM user."""
    import datetime

    from moto.iam.models import iam_backends

    user = iam_backends[cmd["account"]]["global"].get_user(cmd["user"])
    created = datetime.datetime.now(datetime.timezone.utc).replace(
        tzinfo=None
    ) - datetime.timedelta(days=int(cmd["days"]))
    for key in user.access_keys:
        key.create_date = created


def main():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(f"READY {port}", flush=True)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            cmd = json.loads(line)
            if cmd.get("op") == "set_root":
                set_root(cmd)
            elif cmd.get("op") == "age_access_keys":
                age_access_keys(cmd)
            elif cmd.get("op") == "start_recording":
                from moto.moto_api import recorder

                recorder.reset_recording()
                recorder.start_recording()
            elif cmd.get("op") == "stop_recording":
                from moto.moto_api import recorder

                recorder.stop_recording()
            else:
                raise ValueError(f"unknown op {cmd.get('op')!r}")
            print("OK", flush=True)
        except Exception as e:  # report, keep serving
            print(f"ERR {e}", flush=True)
    server.stop()


if __name__ == "__main__":
    main()
