//! Test support: a real moto_server per test, the real hiyari binary, and AWS SDK
//! clients to build scenarios through the AWS API itself.
//!
//! moto (PyPI `moto[server]`, pinned in tests/requirements.txt) is installed into `.venv/` at the project
//! root when missing; `HIYARI_TEST_PYTHON` names another interpreter that has it.
#![allow(dead_code)]

pub mod cloudtrail;
pub mod proxy;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Output, Stdio};
use std::sync::Mutex;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;

/// The pinned Python packages of the tests (moto_server and the report validators).
pub const REQUIREMENTS: &str = include_str!("../../requirements.txt");
pub const ACCOUNT: &str = "123456789012";

static INSTALL: Mutex<()> = Mutex::new(());

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A Python with moto and the report validators installed: `HIYARI_TEST_PYTHON`, or
/// `.venv/`, made when missing or installed from another requirements file. scripts/test
/// does the same before the tests start; this covers a bare `cargo test`.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("HIYARI_TEST_PYTHON") {
        return PathBuf::from(p);
    }
    let _guard = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    let venv = root().join(".venv");
    let py = venv.join("bin").join("python");
    // The same stamp scripts/test writes: the requirements this venv was installed from.
    let stamp = venv.join(".hiyari-requirements.txt");
    if py.exists() && std::fs::read_to_string(&stamp).is_ok_and(|s| s == REQUIREMENTS) {
        return py;
    }
    // Straight to stderr, not eprintln!: the test harness captures eprintln! output, and
    // this line is what someone waiting on a bare `cargo test` needs to see.
    let _ = writeln!(
        std::io::stderr(),
        "installing moto[server] and the report validators (tests/requirements.txt) into {} \
         (about 330 MB, once; scripts/test does this up front)",
        venv.display()
    );
    let ok = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .expect("python3 is needed to run moto_server")
        .success();
    assert!(ok, "python3 -m venv {} failed", venv.display());
    let ok = Command::new(&py)
        .args(["-m", "pip", "install", "--quiet", "-r"])
        .arg(root().join("tests/requirements.txt"))
        .status()
        .expect("pip")
        .success();
    assert!(ok, "pip install -r tests/requirements.txt failed");
    std::fs::write(&stamp, REQUIREMENTS).expect("write the venv's requirements stamp");
    py
}

/// A file of its own for each moto_server's request recorder.
fn recording_path() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "hiyari-moto-recording-{}-{}.jsonl",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

/// A moto_server on a free loopback port, stopped when dropped.
pub struct Moto {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    pub endpoint: String,
    recording: PathBuf,
}

impl Moto {
    pub fn start() -> Moto {
        let recording = recording_path();
        let mut child = Command::new(python())
            .arg(root().join("tests/it/support/moto_launcher.py"))
            .env("MOTO_ALLOW_NONEXISTENT_REGION", "false")
            .env("MOTO_RECORDER_FILEPATH", &recording)
            // AWS-managed policies (AWSCompromisedKeyQuarantine*) exist only with this.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).expect("moto_server output");
        let port: u16 = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("moto_server did not start: {line:?}"));
        Moto {
            child,
            stdin,
            stdout,
            endpoint: format!("http://127.0.0.1:{port}"),
            recording,
        }
    }

    /// Starts moto's request recorder afresh: every request served from now on is kept.
    pub fn start_recording(&mut self) {
        self.command(r#"{"op":"start_recording"}"#);
    }

    /// Stops the recorder and returns what it recorded, one JSON object per request
    /// (`method`, `url`, `headers`, `body`, `body_encoded`).
    pub fn stop_recording(&mut self) -> Vec<serde_json::Value> {
        self.command(r#"{"op":"stop_recording"}"#);
        std::fs::read_to_string(&self.recording)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("a recorded request"))
            .collect()
    }

    fn command(&mut self, json: &str) {
        writeln!(self.stdin, "{json}").unwrap();
        self.stdin.flush().unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "OK", "moto command {json} failed: {line}");
    }

    /// Root-user state the AWS API cannot set: MFA and access keys.
    pub fn set_root(&mut self, mfa: bool, access_keys: bool) {
        self.set_root_in(ACCOUNT, mfa, access_keys);
    }

    /// [`Moto::set_root`] in another account of the emulator.
    pub fn set_root_in(&mut self, account: &str, mfa: bool, access_keys: bool) {
        self.command(&format!(
            r#"{{"op":"set_root","account":"{account}","mfa":{mfa},"access_keys":{access_keys}}}"#
        ));
    }

    /// SDK configuration for building scenarios in `account` (another account of an
    /// organization): the credentials of STS AssumeRole into its
    /// OrganizationAccountAccessRole, as an administrator would get them.
    pub async fn sdk_in(&self, account: &str, region: &str) -> SdkConfig {
        let sts = aws_sdk_sts::Client::new(&self.sdk(region).await);
        let out = sts
            .assume_role()
            .role_arn(format!(
                "arn:aws:iam::{account}:role/OrganizationAccountAccessRole"
            ))
            .role_session_name("scenario")
            .send()
            .await
            .expect("assume role");
        let c = out.credentials().expect("credentials");
        aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .endpoint_url(&self.endpoint)
            .credentials_provider(Credentials::new(
                c.access_key_id(),
                c.secret_access_key(),
                Some(c.session_token().to_string()),
                None,
                "scenario",
            ))
            .load()
            .await
    }

    /// IAM state the AWS API cannot set: backdates the creation (last rotation) of every
    /// access key of `user` by `days`.
    pub fn age_access_keys(&mut self, user: &str, days: u32) {
        self.command(&format!(
            r#"{{"op":"age_access_keys","account":"{ACCOUNT}","user":"{user}","days":{days}}}"#
        ));
    }

    /// SDK configuration for building scenarios in `region`.
    pub async fn sdk(&self, region: &str) -> SdkConfig {
        aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .endpoint_url(&self.endpoint)
            .credentials_provider(Credentials::for_tests())
            .load()
            .await
    }

    /// Makes the test account the management account of an organization with all
    /// features, and returns the Organizations client to add accounts with.
    pub async fn organization(&self) -> aws_sdk_organizations::Client {
        let org = aws_sdk_organizations::Client::new(&self.sdk("us-east-1").await);
        org.create_organization()
            .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
            .send()
            .await
            .expect("create organization");
        org
    }

    /// Runs the real hiyari binary with test credentials and this endpoint.
    pub fn hiyari(&self, home_region: &str, args: &[&str]) -> Output {
        hiyari_cmd(home_region)
            .args(args)
            .arg("--endpoint-url")
            .arg(&self.endpoint)
            .output()
            .expect("run hiyari")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.recording);
    }
}

/// The hiyari binary with an environment of test credentials only.
pub fn hiyari_cmd(home_region: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hiyari"));
    for (k, _) in std::env::vars_os() {
        if k.to_string_lossy().starts_with("AWS_") {
            cmd.env_remove(&k);
        }
    }
    cmd.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", home_region)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1");
    cmd
}

/// The example inventory the README's first command evaluates.
pub fn example_inventory() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/inc-2015-leaked-root-key.inventory.json")
}

/// `hiyari audit --inventory` of the example, run in `dir`, with `args` after it.
pub fn audit_example(dir: &Path, args: &[&str]) -> Output {
    hiyari_cmd("ap-northeast-1")
        .current_dir(dir)
        .args(["audit", "--inventory"])
        .arg(example_inventory())
        .args(args)
        .output()
        .unwrap()
}

/// The names of the files in `dir`, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The JSON report on stdout.
pub fn report(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}\nstdout: {}",
            stderr(o),
            stdout(o)
        )
    })
}

/// `(check, region or "-", resource id)` of every finding with this status, sorted.
pub fn with_status(report: &serde_json::Value, status: &str) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == status)
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["region"].as_str().unwrap_or("-").to_string(),
                f["resource"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The IAM actions of the policy `hiyari ARGS` prints (`policy`, `policy --sweep`), after
/// checking that every action `called` is read-only and granted by it.
pub fn policy_granting(
    args: &[&str],
    called: &std::collections::BTreeSet<String>,
) -> std::collections::BTreeSet<String> {
    let policy = hiyari_cmd("us-east-1").args(args).output().unwrap();
    let policy: serde_json::Value = serde_json::from_slice(&policy.stdout).unwrap();
    let granted: std::collections::BTreeSet<String> = policy["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    for a in called {
        assert!(
            hiyari_checks::check::is_read_only_action(a),
            "hiyari called a non-read action: {a}"
        );
    }
    let not_granted: Vec<_> = called.difference(&granted).collect();
    assert!(
        not_granted.is_empty(),
        "called but not in `hiyari {}`: {not_granted:?}",
        args.join(" ")
    );
    granted
}

/// Fails, showing the whole of `text`, unless it contains `part`.
#[track_caller]
pub fn assert_has(text: &str, part: &str) {
    assert!(text.contains(part), "{part:?} is not in:\n{text}");
}

/// The first item of the JSON array `list` that `pred` accepts; a test fails, showing
/// the list, when none does.
pub fn first(
    list: &serde_json::Value,
    pred: impl Fn(&&serde_json::Value) -> bool,
) -> &serde_json::Value {
    let items = list.as_array().expect("a JSON array");
    items
        .iter()
        .find(pred)
        .unwrap_or_else(|| panic!("no item is the one looked for in {list:#}"))
}

pub fn triple(check: &str, region: &str, id: &str) -> (String, String, String) {
    (check.to_string(), region.to_string(), id.to_string())
}

/// What [`run_within`] saw: the output, the peak resident memory (KiB) and the wall
/// time.
pub struct Measured {
    pub output: Output,
    /// From GNU time (`/usr/bin/time -f %M`) when it is installed: the peak of the
    /// program alone. Otherwise the child's `ru_maxrss`, which on Linux also counts the
    /// test process the child was spawned from: an upper bound.
    pub peak_rss_kib: u64,
    /// Whether `peak_rss_kib` is the program's own peak (GNU time) or an upper bound.
    pub peak_rss_exact: bool,
    pub wall: std::time::Duration,
}

const GNU_TIME: &str = "/usr/bin/time";
const PEAK_RSS_LINE: &str = "hiyari-test-peak-rss-kib=";

/// Runs `cmd` to completion (under GNU time when installed, to measure its peak
/// memory), reading its stdout and stderr as it goes, and kills it (and fails the test)
/// when it is still running after `limit`: a hung scan ends the test instead of the test
/// run.
pub fn run_within(cmd: &mut Command, limit: std::time::Duration) -> Measured {
    if !Path::new(GNU_TIME).exists() {
        return run_plain(cmd, limit);
    }
    let mut timed = Command::new(GNU_TIME);
    timed
        .arg("-q")
        .arg("-f")
        .arg(format!("{PEAK_RSS_LINE}%M"))
        .arg(cmd.get_program())
        .args(cmd.get_args());
    if let Some(dir) = cmd.get_current_dir() {
        timed.current_dir(dir);
    }
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => timed.env(k, v),
            None => timed.env_remove(k),
        };
    }
    let mut m = run_plain(&mut timed, limit);
    let err = String::from_utf8_lossy(&m.output.stderr).into_owned();
    if let Some(at) = err.rfind(PEAK_RSS_LINE) {
        if let Ok(kib) = err[at + PEAK_RSS_LINE.len()..].trim().parse() {
            m.peak_rss_kib = kib;
            m.peak_rss_exact = true;
            m.output.stderr.truncate(at);
        }
    }
    m
}

// The child is reaped with wait4 (for its resource usage), not Child::wait.
#[allow(clippy::zombie_processes)]
fn run_plain(cmd: &mut Command, limit: std::time::Duration) -> Measured {
    use std::io::Read;
    use std::os::unix::process::{CommandExt, ExitStatusExt};
    let started = std::time::Instant::now();
    let mut child = cmd
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start hiyari");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let pid = child.id() as libc::pid_t;
    let (status, rusage) = loop {
        let mut status: libc::c_int = 0;
        // SAFETY: an all-zero rusage is a valid value to be overwritten.
        let mut rusage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: `pid` is our own child, not yet reaped; the pointers are valid.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut rusage) };
        if r == pid {
            break (status, rusage);
        }
        assert!(r == 0, "wait4 failed: {}", std::io::Error::last_os_error());
        if started.elapsed() > limit {
            // The whole process group: GNU time and the program under it.
            // SAFETY: signalling a process group we created.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            let _ = child.wait();
            panic!(
                "hiyari did not finish within {}s; stderr: {}",
                limit.as_secs(),
                String::from_utf8_lossy(&err_reader.join().unwrap_or_default())
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let output = Output {
        status: std::process::ExitStatus::from_raw(status),
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    };
    Measured {
        output,
        peak_rss_kib: rusage.ru_maxrss as u64,
        peak_rss_exact: false,
        wall: started.elapsed(),
    }
}
