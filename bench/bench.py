#!/usr/bin/env python3
"""hiyari vs Prowler vs the physical floor, on the same emulated account.

What it does, in order:
  1. Starts moto_server (moto[server]==5.2.5, the version the tests pin) in this
     process on a free loopback port, and bench/latency_proxy.py in front of it in a
     process of its own: every request is held --latency-ms (default 40 ms) and counted
     by (region, service, action), exactly as tests/it/support/proxy.rs identifies them.
  2. Seeds a scenario through the AWS API with boto3 (straight to moto, no latency),
     and sets the root user's state in-process as tests/it/support/moto_launcher.py does:
       small  the breached incident account of tests/it/scenarios leaked_root_key +
              public_images: a root key, no root MFA, a console user without MFA, no
              budget, no GuardDuty, 20 c4.8xlarge and an open spot request in sa-east-1,
              a public AMI and a public snapshot in ap-northeast-1 (the home region);
       large  tests/it/scenarios `scale` at the full scale of tests/it/faults.rs: 2,100
              instances (1,100 of them one per reservation, so DescribeInstances has two
              pages), 5,000 snapshots (400 public), 500 security groups in 4 regions,
              1,000 IAM users (300 console users without MFA).
  3. Runs, --runs times each, with fresh credential-report state before every run
     (each tool has to generate the report, as on a first scan):
       hiyari-equiv   the release binary, `audit --format json --checks <the checks
                      with a Prowler equivalent>`
       hiyari-all     every hiyari check
       prowler-equiv  Prowler (PyPI prowler==5.46.0, in bench/.venv-prowler) with the
                      equivalent checks, same endpoint (AWS_ENDPOINT_URL), same regions.
     Each run: wall time, requests by service:Action (from the proxy), peak RSS (GNU
     time's %M when /usr/bin/time exists, else the child's rusage from os.wait4), the
     CPU seconds moto spent serving it, and the fails per check that the tool reported.
  4. Computes the floor from hiyari's collectors (see FLOOR below) and prints a table;
     writes everything to bench/results/<scenario>-<latency>ms[-minimal-amis].json.

Reproduce (moto's venv is the project's .venv, made by the test harness or by this
script; Prowler's venv is made on first use):

    CARGO_TARGET_DIR=$HOME/.cache/hiyari/release-target nice -n 19 \\
        cargo build --release --bin hiyari            # or pass --build
    .venv/bin/python bench/bench.py --scenario small --runs 3
    .venv/bin/python bench/bench.py --scenario large --runs 1 --prowler-timeout 1800
    .venv/bin/python bench/bench.py --scenario small --latency-ms 0   # moto time alone

Nothing here is asserted: the figures are reported next to the floor they are measured against.
"""

import argparse
import concurrent.futures as cf
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
ACCOUNT = "123456789012"
HOME = "ap-northeast-1"
MOTO_REQUIREMENT = "moto[server]==5.2.5"
PROWLER_REQUIREMENT = "prowler==5.46.0"
PROWLER_VENV = os.path.join(BENCH, ".venv-prowler")
DEFAULT_TARGET_DIR = os.environ.get(
    "CARGO_TARGET_DIR", os.path.expanduser("~/.cache/hiyari/release-target")
)
BUILD_CMD = (
    "cd {root} && CARGO_TARGET_DIR={target} nice -n 19 cargo build --release --bin hiyari"
)

# hiyari check -> the Prowler checks that answer the same question. Written down from
# `hiyari checks` / `hiyari explain` and `prowler aws --list-checks` (5.46.0) and the
# Prowler check sources; see bench/README.md for the reasoning per row.
EQUIVALENT = {
    "root-access-keys": ["iam_no_root_access_key"],
    "root-mfa": ["iam_root_mfa_enabled"],
    "iam-user-console-mfa": ["iam_user_mfa_enabled_console_access"],
    "guardduty-enabled": ["guardduty_is_enabled"],
    "public-ami": ["ec2_ami_public"],
    "public-snapshot": ["ec2_ebs_public_snapshot"],
    "root-recent-use": ["iam_avoid_root_usage"],
    "stale-access-keys": ["iam_rotate_access_key_90_days", "iam_user_accesskey_unused"],
}
# Checks added to hiyari after the timed set was chosen: their Prowler equivalents,
# written down but not in the timed set above (which stays the first eight checks, so
# that runs stay comparable).
EQUIVALENT_NOT_TIMED = {
    "ami-block-public-access": ["ec2_ami_account_block_public_access"],
    "snapshot-block-public-access": ["ec2_ebs_snapshot_account_block_public_access"],
    "cloudtrail-multi-region": ["cloudtrail_multi_region_enabled"],
    "guardduty-high-findings": ["guardduty_no_high_severity_findings"],
    "s3-account-public-access-block": ["s3_account_level_public_access_blocks"],
    # Added later still; names as in Prowler's source tree, not timed either.
    "public-rds-snapshot": ["rds_snapshots_public_access"],
    "security-contact": ["account_security_contact_information_is_registered"],
    "root-credentials-management": ["iam_root_credentials_management_enabled"],
}
NO_EQUIVALENT = {
    "ses-sending-health": "Prowler's SES checks are about identities (DKIM, public "
    "policies), not the account's sending status and bounce/complaint rates",
    "billing-alarm": "Prowler has no check for an AWS Budget with a notification or a "
    "billing alarm on AWS/Billing EstimatedCharges",
    "unused-region-compute": "Prowler has no check for instances, spot requests or spot "
    "fleets in regions outside an allow-list",
    "sg-unrestricted-egress": "Prowler's security-group checks are about ingress (and "
    "ec2_securitygroup_default_restrict_traffic only about the default group having "
    "any rule); none fails a group in use for all-protocol egress to 0.0.0.0/0",
    "compromised-key-quarantine": "Prowler has no check for the AWSCompromisedKeyQuarantine"
    " policies being attached",
    "unused-region-spend": "Prowler has no check of the cost per region (Cost Explorer)",
}

MOTO_UNSERVED = ["snapshot-block-public-access", "ami-block-public-access",
                 "ses-sending-health", "billing-alarm", "guardduty-high-findings",
                 "root-credentials-management"]

LARGE = dict(
    regions=["sa-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"],
    instances_per_region=250,
    reservation=10,
    single_reservations=1100,
    snapshots_per_region=1250,
    public_snapshots_per_region=100,
    groups_per_region=125,
    attached_groups_per_region=25,
    users=1000,
    console_users_without_mfa=300,
)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------
# Environments


def ensure_moto_python():
    """Re-executes under the project's .venv (moto 5.2.5) when this Python lacks it."""
    try:
        import moto  # noqa: F401

        if moto.__version__ == "5.2.5":
            return
    except ImportError:
        pass
    venv = os.path.join(ROOT, ".venv")
    py = os.path.join(venv, "bin", "python")
    if os.path.realpath(sys.executable) == os.path.realpath(py) and os.environ.get(
        "HIYARI_BENCH_REEXEC"
    ):
        sys.exit(f"{py} has no {MOTO_REQUIREMENT}")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
    if subprocess.call([py, "-c", "import moto; assert moto.__version__ == '5.2.5'"]) != 0:
        subprocess.check_call([py, "-m", "pip", "install", "--quiet", MOTO_REQUIREMENT])
    os.environ["HIYARI_BENCH_REEXEC"] = "1"
    os.execv(py, [py] + sys.argv)


def ensure_prowler():
    prowler = os.path.join(PROWLER_VENV, "bin", "prowler")
    if os.path.exists(prowler):
        return prowler
    log(f"creating {PROWLER_VENV} with {PROWLER_REQUIREMENT} (once; a few minutes)")
    subprocess.check_call(["python3", "-m", "venv", PROWLER_VENV])
    subprocess.check_call(
        [os.path.join(PROWLER_VENV, "bin", "pip"), "install", "--quiet", PROWLER_REQUIREMENT]
    )
    return prowler


def prowler_version(prowler):
    try:
        out = subprocess.run([prowler, "--version"], capture_output=True, text=True, timeout=120)
        return (out.stdout + out.stderr).strip().splitlines()[-1]
    except Exception as e:  # reported, not fatal
        return f"unknown ({e})"


def ensure_hiyari(path, build):
    if os.path.exists(path):
        return path
    cmd = BUILD_CMD.format(root=ROOT, target=DEFAULT_TARGET_DIR)
    if not build:
        sys.exit(f"no hiyari binary at {path}. Build the release binary first:\n  {cmd}\n"
                 "(or pass --build to run that, or --hiyari PATH)")
    log(f"building: {cmd}")
    subprocess.check_call(cmd, shell=True)
    return path


# ---------------------------------------------------------------------------------
# moto in-process, the proxy in its own process


def aws_like_snapshot_filters():
    """Makes moto's DescribeSnapshots honour OwnerIds and RestorableByUserIds as AWS
    does (moto 5.2.5 ignores both and answers every snapshot of the region)."""
    from moto.core.responses import ActionResult
    from moto.ec2.responses.elastic_block_store import ElasticBlockStore

    def describe_snapshots(self):
        filters = self._filters_from_querystring()
        snapshot_ids = self._get_param("SnapshotIds", [])
        owners = self._get_param("OwnerIds", [])
        restorable = self._get_param("RestorableByUserIds", [])
        snaps = self.ec2_backend.describe_snapshots(snapshot_ids=snapshot_ids, filters=filters)
        me = self.current_account
        if owners:
            want = {me if o == "self" else o for o in owners}
            snaps = [s for s in snaps if s.owner_id in want]
        if restorable:
            ids = {me if u == "self" else u for u in restorable}
            snaps = [s for s in snaps
                     if ("all" in restorable and "all" in s.create_volume_permission_groups)
                     or (s.create_volume_permission_userids & ids) or s.owner_id in ids]
        return ActionResult({"Snapshots": snaps})

    ElasticBlockStore.describe_snapshots = describe_snapshots


class Moto:
    def __init__(self, minimal_amis, aws_filters=False, managed_policies=True):
        os.environ["MOTO_ALLOW_NONEXISTENT_REGION"] = "false"
        # AWS-managed policies (AWSCompromisedKeyQuarantine*) exist only with this; the
        # tests set it too. Loading them costs moto about a second per account, which an
        # organization of a thousand accounts whose checks never read them can skip.
        os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true" if managed_policies else "false"
        if minimal_amis:
            # One built-in Amazon AMI per region instead of moto's ~1,280 (each of which
            # comes with a snapshot that DescribeSnapshots returns whatever the owner
            # filter says). Must be set before moto is imported.
            path = os.path.join(tempfile.mkdtemp(prefix="hiyari-bench-"), "amis.json")
            with open(path, "w") as f:
                json.dump([MINIMAL_AMI], f)
            os.environ["MOTO_AMIS_PATH"] = path
        import logging

        logging.disable(logging.CRITICAL)
        from moto.server import ThreadedMotoServer

        if aws_filters:
            aws_like_snapshot_filters()

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        _, port = self.server.get_host_and_port()
        self.endpoint = f"http://127.0.0.1:{port}"

    def set_root(self, mfa, access_keys):
        from moto.iam.models import iam_backends

        summary = iam_backends[ACCOUNT]["global"].account_summary
        summary._account_mfa_enabled = 1 if mfa else 0
        summary._account_access_keys_present = 1 if access_keys else 0

    def forget_credential_report(self):
        """The next GenerateCredentialReport answers STARTED, as on a first scan."""
        from moto.iam.models import iam_backends

        iam_backends[ACCOUNT]["global"].credential_report = None

    spend = None

    def queue_spend(self):
        """Queues the answer of the next Cost Explorer GetCostAndUsage (moto tracks no cost
        and answers each queued result once), as tests/it/scenarios `spend` does."""
        if not self.spend:
            return
        body = json.dumps({"results": [{
            "GroupDefinitions": [{"Type": "DIMENSION", "Key": "REGION"}],
            "ResultsByTime": [{
                "TimePeriod": {"Start": "2026-11-10", "End": "2026-11-24"}, "Total": {},
                "Groups": [{"Keys": [region], "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}}}
                           for region, amount in self.spend],
                "Estimated": True,
            }],
            "DimensionValueAttributes": [],
        }]}).encode()
        req = urllib.request.Request(self.endpoint + "/moto-api/static/ce/cost-and-usage-results",
                                     data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status == 201, r.status

    def stop(self):
        self.server.stop()


MINIMAL_AMI = {
    "ami_id": "ami-0bench00000000001",
    "name": "amzn2-ami-hvm-2.0-x86_64-gp2",
    "description": "Amazon Linux 2 AMI (bench: the one built-in image)",
    "owner_id": "137112412989",
    "public": True,
    "virtualization_type": "hvm",
    "architecture": "x86_64",
    "state": "available",
    "platform": None,
    "image_type": "machine",
    "hypervisor": "xen",
    "root_device_name": "/dev/xvda",
    "root_device_type": "ebs",
    "sriov": "simple",
}


class Proxy:
    def __init__(self, upstream, latency_ms):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(BENCH, "latency_proxy.py"), "--upstream", upstream,
             "--latency-ms", str(latency_ms)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        line = self.proc.stdout.readline()
        if not line.startswith("READY "):
            raise RuntimeError(f"the proxy did not start: {line!r}")
        self.endpoint = f"http://127.0.0.1:{int(line.split()[1])}"

    def _req(self, method, path):
        req = urllib.request.Request(self.endpoint + path, method=method, data=b"" if method == "POST" else None)
        with urllib.request.urlopen(req, timeout=60) as r:
            return json.loads(r.read())

    def reset(self):
        self._req("POST", "/__bench__/reset")

    def stats(self):
        return self._req("GET", "/__bench__/stats")

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# ---------------------------------------------------------------------------------
# Scenarios, through the AWS API (boto3), mirroring tests/it/scenarios/mod.rs


def client(moto, service, region):
    import boto3
    from botocore.config import Config

    return boto3.client(
        service, region_name=region, endpoint_url=moto.endpoint,
        aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 10, "mode": "standard"},
                      max_pool_connections=32),
    )


def some_ami(ec2):
    return ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]


def enabled_regions(moto):
    ec2 = client(moto, "ec2", "us-east-1")
    out = ec2.describe_regions()["Regions"]
    v = [r["RegionName"] for r in out
         if r.get("OptInStatus", "opt-in-not-required") in ("opt-in-not-required", "opted-in")
         and not r["RegionName"].startswith(("cn-", "us-gov-"))]
    return sorted(v)


def scenario_small(moto):
    """leaked_root_key + public_images(HOME) + rds_snapshots(HOME) + spend in sa-east-1, as
    tests/it/audit_moto.rs builds them. No security contact is set, as in the incident."""
    moto.set_root(mfa=False, access_keys=True)
    iam = client(moto, "iam", "us-east-1")
    iam.create_user(UserName="blog-author")
    iam.create_login_profile(UserName="blog-author", Password="Passw0rd!Passw0rd!")
    ec2 = client(moto, "ec2", "sa-east-1")
    ami = some_ami(ec2)
    ec2.run_instances(ImageId=ami, MinCount=20, MaxCount=20, InstanceType="c4.8xlarge")
    ec2.request_spot_instances(
        SpotPrice="2.00", InstanceCount=1,
        LaunchSpecification={"ImageId": ami, "InstanceType": "c4.8xlarge"},
    )
    # public_images(HOME)
    ec2 = client(moto, "ec2", HOME)
    ami = some_ami(ec2)
    inst = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, InstanceType="t3.micro")
    inst = inst["Instances"][0]["InstanceId"]
    public_ami = ec2.create_image(InstanceId=inst, Name="public-image")["ImageId"]
    shared_ami = ec2.create_image(InstanceId=inst, Name="shared-image")["ImageId"]
    ec2.modify_image_attribute(ImageId=public_ami, LaunchPermission={"Add": [{"Group": "all"}]})
    ec2.modify_image_attribute(
        ImageId=shared_ami, LaunchPermission={"Add": [{"UserId": "111122223333"}]}
    )
    vol = ec2.create_volume(AvailabilityZone=f"{HOME}a", Size=8)["VolumeId"]
    public_snap = ec2.create_snapshot(VolumeId=vol, Description="public")["SnapshotId"]
    shared_snap = ec2.create_snapshot(VolumeId=vol, Description="shared")["SnapshotId"]
    ec2.modify_snapshot_attribute(
        SnapshotId=public_snap, Attribute="createVolumePermission",
        OperationType="add", GroupNames=["all"],
    )
    ec2.modify_snapshot_attribute(
        SnapshotId=shared_snap, Attribute="createVolumePermission",
        OperationType="add", UserIds=["111122223333"],
    )
    # rds_snapshots(HOME): manual snapshots, each read back with one attribute call.
    rds = client(moto, "rds", HOME)
    rds.create_db_instance(
        DBInstanceIdentifier="orders", DBInstanceClass="db.t3.micro", Engine="postgres",
        MasterUsername="app", MasterUserPassword="Passw0rd!Passw0rd!", AllocatedStorage=20,
    )
    for sid, share in [("orders-public", "all"), ("orders-shared", "210987654321"),
                       ("orders-private", None)]:
        rds.create_db_snapshot(DBSnapshotIdentifier=sid, DBInstanceIdentifier="orders")
        if share:
            rds.modify_db_snapshot_attribute(
                DBSnapshotIdentifier=sid, AttributeName="restore", ValuesToAdd=[share]
            )
    rds.create_db_cluster(
        DBClusterIdentifier="ledger", Engine="aurora-postgresql",
        MasterUsername="app", MasterUserPassword="Passw0rd!Passw0rd!",
    )
    rds.create_db_cluster_snapshot(DBClusterSnapshotIdentifier="ledger-public",
                                   DBClusterIdentifier="ledger")
    rds.modify_db_cluster_snapshot_attribute(
        DBClusterSnapshotIdentifier="ledger-public", AttributeName="restore", ValuesToAdd=["all"]
    )
    # The miners' bill, as Cost Explorer groups it: queued again before every run.
    moto.spend = [("sa-east-1", "1843.20"), (HOME, "12.50"), ("global", "0.40")]
    return {"public_ami": public_ami, "public_snapshot": public_snap,
            "public_rds_snapshots": ["ledger-public", "orders-public"]}


def scenario_large(moto, spec, parallel=8):
    """tests/it/scenarios `scale`."""
    moto.set_root(mfa=True, access_keys=False)
    iam = client(moto, "iam", "us-east-1")

    def user(i):
        name = f"user-{i:05}"
        iam.create_user(UserName=name)
        if i < spec["console_users_without_mfa"]:
            iam.create_login_profile(UserName=name, Password="Passw0rd!Passw0rd!")

    made = {"instances": 0, "snapshots": 0, "public_snapshots": 0, "groups": 0,
            "users": spec["users"]}
    with cf.ThreadPoolExecutor(parallel) as pool:
        list(pool.map(user, range(spec["users"])))
        for n, region in enumerate(spec["regions"]):
            t = time.time()
            ec2 = client(moto, "ec2", region)
            vpc = next(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault"))
            groups = list(pool.map(
                lambda i: ec2.create_security_group(
                    GroupName=f"scale-{i:04}", Description="scale test", VpcId=vpc
                )["GroupId"],
                range(spec["groups_per_region"]),
            ))
            made["groups"] += len(groups)
            ami = some_ami(ec2)
            reservations = [spec["reservation"]] * (
                spec["instances_per_region"] // spec["reservation"])
            if n == 0:
                reservations += [1] * spec["single_reservations"]
            attached = groups[: min(spec["attached_groups_per_region"], len(reservations))]

            def run(item):
                i, count = item
                out = ec2.run_instances(
                    ImageId=ami, MinCount=count, MaxCount=count, InstanceType="t3.micro",
                    SecurityGroupIds=[attached[i % len(attached)]],
                )
                return len(out["Instances"])

            made["instances"] += sum(pool.map(run, enumerate(reservations)))
            vol = ec2.create_volume(AvailabilityZone=f"{region}a", Size=8)["VolumeId"]

            def snap(i):
                s = ec2.create_snapshot(VolumeId=vol, Description=f"scale {i}")["SnapshotId"]
                if i < spec["public_snapshots_per_region"]:
                    ec2.modify_snapshot_attribute(
                        SnapshotId=s, Attribute="createVolumePermission",
                        OperationType="add", GroupNames=["all"],
                    )
                    return 1
                return 0

            pub = sum(pool.map(snap, range(spec["snapshots_per_region"])))
            made["snapshots"] += spec["snapshots_per_region"]
            made["public_snapshots"] += pub
            log(f"  seeded {region} in {time.time() - t:.0f}s")
    return made


def warm_up(moto, regions):
    """moto builds each (service, region) backend on first use: touch every backend the
    tools read, straight to moto, so that no measured run pays for that."""
    def region(r):
        ec2 = client(moto, "ec2", r)
        ec2.describe_instances()
        ec2.describe_snapshots(OwnerIds=["self"])
        ec2.describe_security_groups()
        client(moto, "guardduty", r).list_detectors()

    with cf.ThreadPoolExecutor(4) as pool:
        list(pool.map(region, regions))
    client(moto, "sts", "us-east-1").get_caller_identity()
    client(moto, "iam", "us-east-1").list_users()
    client(moto, "budgets", "us-east-1").describe_budgets(AccountId=ACCOUNT)
    for call in (lambda: client(moto, "organizations", "us-east-1").describe_organization(),
                 lambda: client(moto, "cloudwatch", "us-east-1").describe_alarms()):
        try:
            call()
        except Exception:
            pass


# ---------------------------------------------------------------------------------
# Running a tool


def tool_env(proxy_endpoint, home, extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    for k in ("MOTO_AMIS_PATH", "MOTO_ALLOW_NONEXISTENT_REGION", "MOTO_IAM_LOAD_MANAGED_POLICIES",
              "HIYARI_BENCH_REEXEC"):
        env.pop(k, None)
    env.update(
        AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
        AWS_SESSION_TOKEN="testing",
        AWS_REGION=home, AWS_DEFAULT_REGION=home,
        AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_EC2_METADATA_DISABLED="true", AWS_ENDPOINT_URL=proxy_endpoint,
        NO_COLOR="1",
    )
    env.update(extra or {})
    return env


def run_measured(cmd, env, cwd, timeout):
    """Runs cmd; returns wall seconds, exit code, peak RSS (KiB), stdout, stderr, timed out."""
    gnu_time = shutil.which("time", path="/usr/bin")
    rss_file = os.path.join(cwd, "peak-rss.txt")
    full = [gnu_time, "-q", "-f", "%M", "-o", rss_file] + cmd if gnu_time else cmd
    out_path, err_path = os.path.join(cwd, "stdout"), os.path.join(cwd, "stderr")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.monotonic()
        run_measured.started = t0
        proc = subprocess.Popen(full, env=env, cwd=cwd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        timed_out = False
        while True:
            pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
            if pid == proc.pid:
                break
            if time.monotonic() - t0 > timeout:
                os.killpg(proc.pid, 9)
                pid, status, rusage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.005)
        wall = time.monotonic() - t0
        run_measured.ended = time.monotonic()
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak, exact = rusage.ru_maxrss, False
    if gnu_time and os.path.exists(rss_file):
        try:
            peak, exact = int(open(rss_file).read().strip().splitlines()[-1]), True
        except (ValueError, IndexError):
            pass
    with open(out_path, "rb") as f:
        stdout = f.read()
    with open(err_path, "rb") as f:
        stderr = f.read()
    return wall, proc.returncode, peak, exact, stdout, stderr, timed_out


def hiyari_fails(stdout):
    try:
        r = json.loads(stdout)
    except ValueError:
        return None, None
    fails, errors = {}, {}
    for f in r.get("findings", []):
        if f["status"] == "fail":
            fails[f["check"]] = fails.get(f["check"], 0) + 1
        elif f["status"] == "error":
            errors[f["check"]] = errors.get(f["check"], 0) + 1
    return fails, errors


def prowler_fails(outdir):
    fails, passes = {}, {}
    for name in os.listdir(outdir):
        if not name.endswith(".ocsf.json"):
            continue
        with open(os.path.join(outdir, name)) as f:
            try:
                items = json.load(f)
            except ValueError:
                continue
        for it in items:
            check = it.get("metadata", {}).get("event_code") or it.get("finding_info", {}).get("title")
            status = it.get("status_code")
            d = fails if status == "FAIL" else passes
            d[check] = d.get(check, 0) + 1
    return fails, passes


def moto_cpu():
    t = os.times()
    return t.user + t.system


def measure(label, cmd, env, moto, proxy, timeout, parse):
    moto.forget_credential_report()
    moto.queue_spend()
    proxy.reset()
    cwd = tempfile.mkdtemp(prefix=f"hiyari-bench-{label}-")
    load = os.getloadavg()[0]
    cpu0, pcpu0 = moto_cpu(), proxy.cpu_seconds()
    wall, rc, peak, exact, stdout, stderr, timed_out = run_measured(cmd, env, cwd, timeout)
    cpu1, pcpu1 = moto_cpu(), proxy.cpu_seconds()
    stats = proxy.stats()
    fails, other = parse(stdout, cwd)
    run = {
        "wall_s": round(wall, 3), "exit_code": rc, "timed_out": timed_out,
        "peak_rss_kib": peak, "peak_rss_exact": exact,
        "requests": stats["total"], "requests_by_action": stats["calls"],
        "requests_by_region_action": stats["calls_in"],
        "http_status": stats["status"], "http_errors_by_action": stats.get("errors"),
        "connections": stats["connections"],
        "max_in_flight": stats["max_in_flight"],
        "moto_upstream_seconds_by_action": stats["upstream_seconds"],
        "moto_cpu_s": round(cpu1 - cpu0, 3), "proxy_cpu_s": round(pcpu1 - pcpu0, 3),
        "loadavg_1m_at_start": round(load, 2),
        "fails_by_check": fails, ("errors_by_check" if label.startswith("hiyari") else "passes_by_check"): other,
        # wall = startup (spawn to first request) + busy (first request to last answer)
        # + tail (last answer to exit); all on CLOCK_MONOTONIC.
        "startup_s": round(stats["t0_monotonic"] - run_measured.started, 3)
        if stats.get("t0_monotonic") else None,
        "busy_s": round(max(e[1] for e in stats["timeline"]), 3) if stats["timeline"] else None,
        "tail_s": round(run_measured.ended - stats["t0_monotonic"]
                        - max(e[1] for e in stats["timeline"]), 3)
        if stats["timeline"] and stats.get("t0_monotonic") else None,
        "stderr_tail": stderr.decode("utf-8", "replace")[-1500:],
    }
    run["_timeline"] = stats["timeline"]
    shutil.rmtree(cwd, ignore_errors=True)
    return run


# ---------------------------------------------------------------------------------
# The floor

FLOOR_DOC = """\
(Also: guardduty:ListDetectors -> ListFindings -> GetFindings when a detector exists;
cloudtrail:DescribeTrails -> GetTrailStatus / GetEventSelectors; rds:DescribeDBSnapshots
(SnapshotType=manual) -> rds:DescribeDBSnapshotAttributes, one call per manual snapshot,
all at once under --concurrency, and the same for DB cluster snapshots. Single calls,
e.g. ec2:GetSnapshotBlockPublicAccessState, account:GetAlternateContact or
ce:GetCostAndUsage, add no depth.)
The floor is the longest chain of calls that depend on one another, derived from
hiyari's collectors (src/collect/), times the latency, plus the credential-report
generation wait:
  sts:GetCallerIdentity (account, partition, the credentials work)
    -> ec2:DescribeRegions (which regions to scan)
       -> per region, the longest of: every page of a list call, then the follow-up
          calls it implies (ec2:DescribeSnapshots -> ec2:DescribeSnapshotAttribute for
          the candidates; guardduty:ListDetectors -> guardduty:GetDetector; each page of
          ec2:DescribeInstances after the previous one)
  sts:GetCallerIdentity
    -> iam:GenerateCredentialReport (STARTED) -> [generation wait]
       -> iam:GenerateCredentialReport (COMPLETE) -> iam:GetCredentialReport
  sts:GetCallerIdentity -> budgets:DescribeBudgets -> budgets:DescribeNotificationsForBudget
  sts:GetCallerIdentity -> iam:ListEntitiesForPolicy (3 policies, independent of each other)
Pages and follow-ups are counted from the proxy's per-region counts of the hiyari run.
moto generates the credential report at once, so the generation wait is 0 here (hiyari
still sleeps its first poll interval, 100 ms, before asking again)."""


def chain_of(run, regions):
    """The longest dependent chain, as a list of call names, from one hiyari run."""
    c = run["requests_by_region_action"]

    def n(region, action):
        return c.get(f"{region} {action}", 0)

    best_regional = []
    for r in regions:
        cands = []
        ds = n(r, "ec2:DescribeSnapshots")
        if ds:
            cands.append([f"ec2:DescribeSnapshots({r})"] * ds
                         + (["ec2:DescribeSnapshotAttribute"] if n(r, "ec2:DescribeSnapshotAttribute") else []))
        ld = n(r, "guardduty:ListDetectors")
        if ld:
            cands.append([f"guardduty:ListDetectors({r})"] * ld
                         + (["guardduty:GetDetector"] if n(r, "guardduty:GetDetector") else []))
            if n(r, "guardduty:ListFindings"):
                cands.append([f"guardduty:ListDetectors({r})"] * ld
                             + ["guardduty:ListFindings"] * max(1, n(r, "guardduty:ListFindings")
                                                            // max(1, n(r, "guardduty:GetDetector")))
                             + (["guardduty:GetFindings"] if n(r, "guardduty:GetFindings") else []))
        for lst, attr in (("rds:DescribeDBSnapshots", "rds:DescribeDBSnapshotAttributes"),
                          ("rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusterSnapshotAttributes")):
            if n(r, lst):
                cands.append([f"{lst}({r})"] * n(r, lst) + ([attr] if n(r, attr) else []))
        dt = n(r, "cloudtrail:DescribeTrails")
        if dt:
            follow = any(n(r, f"cloudtrail:{a}") for a in ("GetTrailStatus", "GetEventSelectors"))
            cands.append([f"cloudtrail:DescribeTrails({r})"] * dt
                         + (["cloudtrail:GetTrailStatus/GetEventSelectors"] if follow else []))
        for a in ("ec2:DescribeInstances", "ec2:DescribeImages", "ec2:DescribeSpotInstanceRequests",
                  "ec2:DescribeSpotFleetRequests", "ec2:DescribeSecurityGroups",
                  "ec2:DescribeNetworkInterfaces"):
            if n(r, a):
                cands.append([f"{a}({r})"] * n(r, a))
        for cand in cands:
            if len(cand) > len(best_regional):
                best_regional = cand
    regional = (["sts:GetCallerIdentity", "ec2:DescribeRegions"] + best_regional) if best_regional else []
    g = "us-east-1"
    account = []
    if n(g, "iam:GetCredentialReport") or n(g, "iam:GenerateCredentialReport"):
        gens = n(g, "iam:GenerateCredentialReport")
        account = ["sts:GetCallerIdentity", "iam:GenerateCredentialReport"] + (
            ["iam:GenerateCredentialReport"] if gens >= 2 else []) + ["iam:GetCredentialReport"]
    if n(g, "budgets:DescribeBudgets"):
        b = ["sts:GetCallerIdentity"] + ["budgets:DescribeBudgets"] * n(g, "budgets:DescribeBudgets") + (
            ["budgets:DescribeNotificationsForBudget"] if n(g, "budgets:DescribeNotificationsForBudget") else [])
        account = max(account, b, key=len)
    q = n(g, "iam:ListEntitiesForPolicy")
    if q:
        account = max(account, ["sts:GetCallerIdentity"] + ["iam:ListEntitiesForPolicy"] * max(1, -(-q // 3)), key=len)
    if n(g, "iam:GetAccountSummary"):
        account = max(account, ["sts:GetCallerIdentity", "iam:GetAccountSummary"], key=len)
    return max(regional, account, key=len), regional, account


def floor(run, regions, latency_ms):
    chain, regional, account = chain_of(run, regions)
    wait = 0.0  # moto: the report is ready as soon as generation starts
    return {
        "chain": chain, "round_trips": len(chain),
        "regional_chain": regional, "account_chain": account,
        "credential_report_wait_s": wait,
        "latency_floor_s": round(len(chain) * latency_ms / 1000 + wait, 3),
    }


# ---------------------------------------------------------------------------------


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def summarize(label, runs):
    ok = [r for r in runs if not r["timed_out"]]
    use = ok or runs
    return {
        "runs": len(runs), "timed_out_runs": len(runs) - len(ok),
        "wall_s_median": round(med([r["wall_s"] for r in use]), 3),
        "wall_s_all": [r["wall_s"] for r in runs],
        "requests_median": med([r["requests"] for r in use]),
        "peak_rss_mib_median": round(med([r["peak_rss_kib"] for r in use]) / 1024, 1),
        "moto_cpu_s_median": round(med([r["moto_cpu_s"] for r in use]), 3),
        "startup_s_median": med([r.get("startup_s") for r in use]),
        "busy_s_median": med([r.get("busy_s") for r in use]),
        "tail_s_median": med([r.get("tail_s") for r in use]),
    }


def main():
    ap = argparse.ArgumentParser(description="hiyari vs Prowler vs the floor (see the docstring)")
    ap.add_argument("--scenario", choices=["small", "large"], default="small")
    ap.add_argument("--latency-ms", type=float, default=40.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--prowler-runs", type=int, default=None, help="default: --runs")
    ap.add_argument("--hiyari", default=os.path.join(DEFAULT_TARGET_DIR, "release", "hiyari"),
                    help="the release binary (default: $CARGO_TARGET_DIR/release/hiyari, "
                         "CARGO_TARGET_DIR defaulting to ~/.cache/hiyari/release-target)")
    ap.add_argument("--build", action="store_true", help="build the release binary when missing")
    ap.add_argument("--tools", default="hiyari-equiv,hiyari-all,hiyari-served,prowler-equiv")
    ap.add_argument("--regions", default=None,
                    help="comma-separated; default: every enabled region (what hiyari scans)")
    ap.add_argument("--prowler-timeout", type=float, default=1800.0,
                    help="seconds; a Prowler run still going is killed and reported as capped")
    ap.add_argument("--hiyari-timeout", type=float, default=900.0)
    ap.add_argument("--minimal-amis", action="store_true",
                    help="one built-in AMI per region instead of moto's ~1,280, whose "
                         "snapshots every DescribeSnapshots returns (an emulator artefact)")
    ap.add_argument("--aws-snapshot-filters", action="store_true",
                    help="make moto's DescribeSnapshots honour OwnerIds and RestorableByUserIds "
                         "as AWS does (moto 5.2.5 ignores them); with --minimal-amis this is "
                         "the closest to a real account")
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies the large scenario's counts")
    ap.add_argument("--out", default=None, help="the JSON file (default: bench/results/...)")
    ap.add_argument("--keep-timelines", action="store_true")
    ap.add_argument("--concurrency-sweep", default="",
                    help="comma-separated --concurrency values: adds a hiyari-served@cN run for each")
    ap.add_argument("--wait-for-hiyari", type=float, default=0.0, metavar="SECONDS",
                    help="when the binary is missing, seed and run the other tools first, and "
                         "wait up to this long for it (a build still running)")
    ap.add_argument("--merge", nargs="+", metavar="RESULT.json",
                    help="no runs: combine the runs of earlier result files of the same scenario, "
                         "variant and latency (e.g. Prowler and hiyari measured by separate "
                         "invocations) into one table and JSON (--out)")
    args = ap.parse_args()
    if args.merge:
        return merge(args)

    ensure_moto_python()
    tools = args.tools.split(",")
    wants_hiyari = any(t.startswith("hiyari") for t in tools)
    hiyari = (ensure_hiyari(args.hiyari, args.build)
              if wants_hiyari and not args.wait_for_hiyari else args.hiyari)
    prowler = ensure_prowler() if "prowler-equiv" in tools else None

    log(f"moto_server (in-process){' with minimal AMIs' if args.minimal_amis else ''} ...")
    t = time.time()
    moto = Moto(args.minimal_amis, args.aws_snapshot_filters)
    proxy = Proxy(moto.endpoint, args.latency_ms)
    try:
        log(f"seeding the {args.scenario} scenario through the AWS API ...")
        if args.scenario == "small":
            seeded = scenario_small(moto)
        else:
            spec = dict(LARGE)
            for k, v in spec.items():
                if isinstance(v, int) and k != "reservation":
                    spec[k] = max(1, int(v * args.scale))
            seeded = scenario_large(moto, spec)
            seeded["spec"] = spec
        regions = args.regions.split(",") if args.regions else enabled_regions(moto)
        warm_up(moto, regions)
        seeding_s = time.time() - t
        log(f"seeded in {seeding_s:.0f}s; {len(regions)} regions: {','.join(regions)}")

        hiyari_checks = sorted(EQUIVALENT)
        prowler_checks = sorted(c for v in EQUIVALENT.values() for c in v)
        common = ["audit", "--format", "json", "--no-progress", "--endpoint-url", proxy.endpoint,
                  "--region", HOME, "--regions", ",".join(regions), "--allowed-regions", HOME]
        cmds = {
            "hiyari-equiv": [hiyari] + common + ["--checks", ",".join(hiyari_checks)],
            "hiyari-all": [hiyari] + common,
        }
        # Every check moto 5.2.5 can answer: the others call APIs moto does not implement
        # (HTTP 500, which the SDK retries with backoff) or cannot speak (CloudWatch's
        # CBOR protocol, HTTP 404); see DESIGN.md's moto facts.
        cmds["hiyari-served"] = [hiyari] + common + ["--skip-checks", ",".join(MOTO_UNSERVED)]
        for c in filter(None, args.concurrency_sweep.split(",")):
            cmds[f"hiyari-served@c{c}"] = cmds["hiyari-served"] + ["--concurrency", c]
            tools.append(f"hiyari-served@c{c}")
        if prowler:
            cmds["prowler-equiv"] = [
                prowler, "aws", "--checks", *prowler_checks, "--region", *regions,
                "--output-formats", "json-ocsf", "--output-directory", "out",
                "--output-filename", "prowler", "--no-banner",
            ]
        env_h = tool_env(proxy.endpoint, HOME)
        env_p = tool_env(proxy.endpoint, HOME, {"HOME": tempfile.mkdtemp(prefix="hiyari-bench-home-")})

        def parse_h(stdout, cwd):
            return hiyari_fails(stdout)

        def parse_p(stdout, cwd):
            d = os.path.join(cwd, "out")
            return prowler_fails(d) if os.path.isdir(d) else ({}, {})

        results = {}
        # Interleave the tools run by run, so a burst of load on the shared machine does
        # not land on one tool only.
        nruns = {k: (args.prowler_runs or args.runs) if k.startswith("prowler") else args.runs
                 for k in tools}
        for i in range(max(nruns.values())):
            for label in tools:
                if i >= nruns[label]:
                    continue
                prowl = label.startswith("prowler")
                if not prowl and not os.path.exists(hiyari):
                    log(f"waiting up to {args.wait_for_hiyari:.0f}s for {hiyari} ...")
                    deadline = time.time() + args.wait_for_hiyari
                    while not os.path.exists(hiyari) and time.time() < deadline:
                        time.sleep(5)
                    ensure_hiyari(hiyari, False)
                    time.sleep(2)
                r = measure(label, cmds[label], env_p if prowl else env_h, moto, proxy,
                            args.prowler_timeout if prowl else args.hiyari_timeout,
                            parse_p if prowl else parse_h)
                results.setdefault(label, []).append(r)
                # Keep what was measured so far: a run that is interrupted later loses
                # nothing before it.
                partial = (args.out or os.path.join(BENCH, "results", "partial")) + ".partial"
                os.makedirs(os.path.dirname(partial), exist_ok=True)
                with open(partial, "w") as f:
                    json.dump({"args": vars(args), "regions": regions, "seeded": seeded,
                               "runs": {k: [{x: y for x, y in v.items() if x != "_timeline"}
                                            for v in vs] for k, vs in results.items()}}, f)
                log(f"  {label} run {i + 1}: {r['wall_s']:.2f}s, {r['requests']} requests, "
                    f"peak RSS {r['peak_rss_kib'] / 1024:.0f} MiB, moto CPU {r['moto_cpu_s']:.1f}s, "
                    f"exit {r['exit_code']}{' TIMED OUT (capped)' if r['timed_out'] else ''}")
                if r["exit_code"] not in (0, 1, 3) and not r["timed_out"]:
                    log(r["stderr_tail"])
    finally:
        proxy.stop()
        moto.stop()

    report = build_report(args, regions, seeded, seeding_s, results, cmds, prowler)
    out = args.out or os.path.join(
        BENCH, "results",
        f"{args.scenario}-{args.latency_ms:g}ms{'-minimal-amis' if args.minimal_amis else ''}"
        f"{'-aws-filters' if args.aws_snapshot_filters else ''}.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if not args.keep_timelines:
        for runs in results.values():
            for r in runs:
                r.pop("_timeline", None)
    with open(out, "w") as f:
        json.dump(report, f, indent=1, sort_keys=False)
    print(report["table"])
    log(f"wrote {out}")


def merge(args):
    docs = [json.load(open(p)) for p in args.merge]
    first = docs[0]
    for d in docs[1:]:
        for k in ("scenario", "minimal_amis", "aws_snapshot_filters", "latency_ms", "regions"):
            if d.get(k) != first.get(k):
                sys.exit(f"cannot merge: {k} differs ({d.get(k)!r} vs {first.get(k)!r})")
    results, cmds, seeded = {}, {}, {}
    for d in docs:
        results.update(d["runs"])
        cmds.update(d["commands"])
        seeded = d["seeded"]
    ns = argparse.Namespace(scenario=first["scenario"], minimal_amis=first["minimal_amis"],
                            aws_snapshot_filters=first.get("aws_snapshot_filters", False),
                            latency_ms=first["latency_ms"])
    report = build_report(ns, first["regions"], seeded, first["seeding_s"], results, cmds, None)
    report["prowler_version"] = next((d["prowler_version"] for d in docs if d.get("prowler_version")), None)
    report["merged_from"] = args.merge
    out = args.out or args.merge[0]
    with open(out, "w") as f:
        json.dump(report, f, indent=1)
    print(report["table"])
    log(f"wrote {out}")


def build_report(args, regions, seeded, seeding_s, results, cmds, prowler):
    summary = {k: summarize(k, v) for k, v in results.items()}
    floors = {}
    for k in results:
        if k.startswith("hiyari"):
            floors[k] = floor(results[k][0], regions, args.latency_ms)
    lines = []
    loads = [r["loadavg_1m_at_start"] for runs in results.values() for r in runs] or [0.0]
    variant = [v for v, on in (("minimal AMIs", args.minimal_amis),
                               ("AWS-like snapshot filters", args.aws_snapshot_filters)) if on]
    hdr = (f"scenario {args.scenario}{' (' + ', '.join(variant) + ')' if variant else ''}, "
           f"latency {args.latency_ms:g} ms/request, {len(regions)} regions, "
           f"moto 5.2.5, 1-min load avg at run starts {min(loads):.1f}-{max(loads):.1f} "
           f"on {os.cpu_count()} cores (shared)")
    lines.append(hdr)
    lines.append(f"{'tool':<16} {'runs':>4} {'wall med':>9} {'requests':>9} {'peak RSS':>9} "
                 f"{'moto CPU':>9} {'floor':>7} {'×floor':>7} {'×endpt':>7}  start/busy/tail")
    for k, s in summary.items():
        fl = floors.get(k)
        lat_floor = fl["latency_floor_s"] if fl else None
        endpoint_floor = max(lat_floor, s["moto_cpu_s_median"]) if fl else None
        if fl:
            fl["endpoint_floor_s"] = round(endpoint_floor, 3)
        wall = f"{s['wall_s_median']:.2f}s" + ("*" if s["timed_out_runs"] else "")
        lines.append(
            f"{k:<16} {s['runs']:>4} {wall:>9} {s['requests_median']:>9.0f} "
            f"{s['peak_rss_mib_median']:>7.1f}Mi {s['moto_cpu_s_median']:>8.1f}s "
            + (f"{lat_floor:>6.2f}s {s['wall_s_median'] / lat_floor:>6.1f}× "
               f"{s['wall_s_median'] / endpoint_floor:>6.1f}×" if fl and lat_floor else f"{'-':>7} {'-':>7} {'-':>7}")
            + "  " + "/".join("-" if s[x] is None else f"{s[x]:.2f}"
                              for x in ("startup_s_median", "busy_s_median", "tail_s_median")))
    if "hiyari-equiv" in summary and "prowler-equiv" in summary:
        h, p = summary["hiyari-equiv"], summary["prowler-equiv"]
        capped = " (Prowler capped by --prowler-timeout: a lower bound)" if p["timed_out_runs"] else ""
        lines.append(f"speed-up on the equivalent checks: {p['wall_s_median'] / h['wall_s_median']:.1f}× "
                     f"(target ≥20×){capped}; requests {h['requests_median']:.0f} vs "
                     f"{p['requests_median']:.0f}")
    for k, fl in floors.items():
        lines.append(f"floor ({k}): {fl['round_trips']} round trips × {args.latency_ms:g} ms + "
                     f"report wait {fl['credential_report_wait_s']:g}s = {fl['latency_floor_s']:.2f}s: "
                     + " → ".join(fl["chain"]))
    lines.append("×floor: wall / latency floor; ×endpt: wall / max(latency floor, moto CPU "
                 "seconds), since moto serves on one GIL. start/busy/tail: spawn to first "
                 "request, first request to last answer, last answer to exit (s). "
                 "* = a run hit the timeout.")
    # What the checks added last cost: the services only they call, per region and once.
    widest = next((k for k in ("hiyari-all", "hiyari-served") if k in results), None)
    if widest:
        c = results[widest][0]["requests_by_region_action"]
        newer = ("rds:", "ce:", "account:", "iam:ListOrganizationsFeatures",
                 "iam:ListVirtualMFADevices")
        per = {}
        for key, v in c.items():
            region, action = key.split(" ", 1)
            if action.startswith(newer):
                per.setdefault(action, {})[region] = v
        for action, by_region in sorted(per.items()):
            low = min(by_region.values())
            more = ", ".join(f"{r} {n}" for r, n in sorted(by_region.items()) if n > low)
            lines.append(f"requests of {action} ({widest}, run 1): {sum(by_region.values())} "
                         f"in {len(by_region)} region(s), {low} in each"
                         + (f"; more in {more}" if more else ""))
    for k, runs in results.items():
        f = runs[0]["fails_by_check"]
        lines.append(f"fails reported ({k}, run 1): " + json.dumps(f, sort_keys=True))
    table = "\n".join(lines)
    return {
        "schema": "hiyari.bench/v1",
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "host": {"cpus": os.cpu_count(), "platform": platform.platform(),
                 "python": platform.python_version(), "loadavg": os.getloadavg()},
        "scenario": args.scenario, "minimal_amis": args.minimal_amis,
        "aws_snapshot_filters": args.aws_snapshot_filters, "seeded": seeded,
        "seeding_s": round(seeding_s, 1), "latency_ms": args.latency_ms, "regions": regions,
        "home_region": HOME,
        "prowler_version": prowler_version(prowler) if prowler else None,
        "hiyari_binary": cmds.get("hiyari-all", [None])[0],
        "commands": {k: v for k, v in cmds.items()},
        "mapping": {"equivalent": EQUIVALENT, "equivalent_not_timed": EQUIVALENT_NOT_TIMED,
                    "no_equivalent": NO_EQUIVALENT},
        "floor_model": FLOOR_DOC, "floors": floors,
        "summary": summary, "runs": results, "table": table,
    }


if __name__ == "__main__":
    main()
