//! The GitHub Action (action.yml, action/*.sh) and the examples that use it: the examples
//! give the Action only inputs it declares and hiyari only flags it has, the shard
//! examples cover every shard, third-party actions are pinned by commit, and the
//! Action's scripts do what it promises, run here against the real binary: install a
//! release only when its SHA-256 matches, write the reports and the job summary, and end
//! with hiyari's exit code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use hiyari_checks::org::Shard;
use serde_json::Value;

use crate::support::{self, assert_has, example_inventory, stderr, stdout};

fn path(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The YAML documents of a file, as JSON (parsed by PyYAML, which moto brings into the
/// tests' Python environment).
fn yaml_docs(file: &Path) -> Vec<Value> {
    let script = "import json, sys, yaml\n\
                  print(json.dumps([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]))";
    let out = Command::new(support::python())
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}: {}", file.display(), stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The workflows the repository ships: its own and the examples.
fn workflow_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [".github/workflows", "examples/github"] {
        for e in std::fs::read_dir(path(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

/// Every step of every job of a workflow.
fn steps(workflow: &Value) -> Vec<&Value> {
    workflow["jobs"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|job| job["steps"].as_array().into_iter().flatten())
        .collect()
}

/// The steps of `steps` (a job's list) that use hiyari's own Action.
fn action_steps(steps: &Value) -> Vec<&Value> {
    steps
        .as_array()
        .into_iter()
        .flatten()
        .filter(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("hiyari-dev/hiyari@"))
        })
        .collect()
}

/// The steps of a workflow that use hiyari's own Action.
fn hiyari_steps(workflow: &Value) -> Vec<&Value> {
    workflow["jobs"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|job| action_steps(&job["steps"]))
        .collect()
}

/// Whether hiyari takes `name` as a report format.
fn is_format(name: &str) -> bool {
    let out = support::hiyari_cmd("us-east-1")
        .args(["merge", "--format", name, "/nonexistent.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    !stderr(&out).contains("invalid value")
}

fn help(sub: &str) -> String {
    let out = support::hiyari_cmd("us-east-1")
        .args([sub, "--help"])
        .output()
        .unwrap();
    stdout(&out)
}

#[test]
fn examples_give_the_action_only_inputs_it_declares() {
    let action = &yaml_docs(&path("action.yml"))[0];
    let inputs: BTreeSet<&str> = action["inputs"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(inputs.contains("version") && inputs.contains("args") && inputs.contains("formats"));
    // An input the examples can leave out has a default.
    for (name, input) in action["inputs"].as_object().unwrap() {
        assert!(
            input["required"] != true || !input["default"].is_null(),
            "action.yml: input {name} is required"
        );
    }
    let (audit_help, merge_help) = (help("audit"), help("merge"));
    assert!(is_format("junit") && !is_format("yaml"));
    let mut used = 0;
    for file in workflow_files()
        .iter()
        .filter(|f| f.starts_with(path("examples")))
    {
        let wf = &yaml_docs(file)[0];
        let steps = hiyari_steps(wf);
        assert!(
            !steps.is_empty(),
            "{}: does not use the Action",
            file.display()
        );
        for step in steps {
            used += 1;
            let with = step["with"].as_object().cloned().unwrap_or_default();
            for key in with.keys() {
                assert!(
                    inputs.contains(key.as_str()),
                    "{}: input `{key}` is not declared in action.yml",
                    file.display()
                );
            }
            // The flags it passes through `args` are hiyari's.
            let merge = with.contains_key("reports");
            let help = if merge { &merge_help } else { &audit_help };
            let args = with.get("args").and_then(Value::as_str).unwrap_or("");
            for flag in args.split_whitespace().filter(|w| w.starts_with("--")) {
                let flag = flag.split('=').next().unwrap();
                assert!(help.contains(flag), "{}: no flag {flag}", file.display());
            }
            if let Some(formats) = with.get("formats").and_then(Value::as_str) {
                for f in formats.split(',') {
                    assert!(is_format(f.trim()), "{}: format {f}", file.display());
                }
            }
        }
    }
    assert!(used >= 3, "the examples use the Action {used} times");
}

#[test]
fn every_action_is_pinned_by_commit() {
    let mut files = workflow_files();
    files.push(path("action.yml"));
    let mut pinned = 0;
    for file in &files {
        let doc = &yaml_docs(file)[0];
        let uses: Vec<&str> = if doc["runs"]["steps"].is_array() {
            doc["runs"]["steps"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|s| s["uses"].as_str())
                .collect()
        } else {
            steps(doc)
                .iter()
                .filter_map(|s| s["uses"].as_str())
                .collect()
        };
        for u in uses {
            if u.starts_with("./") || u.starts_with("hiyari-dev/hiyari@") {
                continue;
            }
            let (_, rev) = u.split_once('@').unwrap();
            assert!(
                rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()),
                "{}: `{u}` is not pinned by a full commit SHA",
                file.display()
            );
            pinned += 1;
        }
    }
    assert!(pinned > 0);
}

#[test]
fn shard_examples_cover_every_shard() {
    // GitHub Actions: a matrix of 1..=SHARDS, each passing --shard I/N to the Action,
    // and a job after them that merges.
    let wf = &yaml_docs(&path("examples/github/org-shards.yml"))[0];
    let n: u32 = wf["env"]["SHARDS"].as_str().unwrap().parse().unwrap();
    let matrix: Vec<u64> = wf["jobs"]["audit"]["strategy"]["matrix"]["shard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(matrix, (1..=u64::from(n)).collect::<Vec<_>>());
    let audit = action_steps(&wf["jobs"]["audit"]["steps"]);
    assert_eq!(audit.len(), 1);
    assert_eq!(
        audit[0]["with"]["args"],
        "--shard ${{ matrix.shard }}/${{ env.SHARDS }}"
    );
    assert_eq!(audit[0]["with"]["gate"], "false");
    for i in 1..=n {
        assert!(Shard::parse(&format!("{i}/{n}")).is_ok());
    }
    assert_eq!(wf["jobs"]["merge"]["needs"], "audit");
    let merge = action_steps(&wf["jobs"]["merge"]["steps"]);
    assert!(merge[0]["with"]["reports"]
        .as_str()
        .unwrap()
        .ends_with(".json"));

    // Kubernetes: an Indexed Job of N completions whose 0-based index is the shard, and
    // a merge of exactly the N reports it writes.
    let docs = yaml_docs(&path("examples/kubernetes/indexed-job.yaml"));
    let job = docs
        .iter()
        .find(|d| d["metadata"]["name"] == "hiyari-org-audit")
        .unwrap();
    assert_eq!(job["spec"]["completionMode"], "Indexed");
    let n = job["spec"]["completions"].as_u64().unwrap() as u32;
    let args: Vec<&str> = job["spec"]["template"]["spec"]["containers"][0]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(args[0], "audit");
    let shard = args
        .iter()
        .find_map(|a| a.strip_prefix("--shard="))
        .unwrap();
    let mut seen = BTreeSet::new();
    for index in 0..n {
        let s =
            Shard::parse(&shard.replace("$(JOB_COMPLETION_INDEX)", &index.to_string())).unwrap();
        assert_eq!(s.count, n);
        seen.insert(s.index);
    }
    assert_eq!(seen, (1..=n).collect(), "the pods are shards 1..={n}");
    let audit_help = help("audit");
    for a in args.iter().filter(|a| a.starts_with("--")) {
        let flag = a.split('=').next().unwrap();
        assert!(audit_help.contains(flag), "no flag {flag}");
    }
    let output = args
        .iter()
        .find_map(|a| a.strip_prefix("--output="))
        .unwrap();
    let merge = docs
        .iter()
        .find(|d| d["metadata"]["name"] == "hiyari-org-merge")
        .unwrap();
    let merge_args: Vec<&str> = merge["spec"]["template"]["spec"]["containers"][0]["args"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(merge_args[0], "merge");
    let reports: Vec<String> = (0..n)
        .map(|i| output.replace("$(JOB_COMPLETION_INDEX)", &i.to_string()))
        .collect();
    assert_eq!(merge_args[1..=n as usize], reports[..]);
    let merge_help = help("merge");
    for a in merge_args.iter().filter(|a| a.starts_with("--")) {
        let flag = a.split('=').next().unwrap();
        assert!(merge_help.contains(flag), "no flag {flag}");
    }
}

/// `bash action/SCRIPT` in `dir`, with the environment of a GitHub runner's step: the
/// files of GITHUB_OUTPUT, GITHUB_PATH and GITHUB_STEP_SUMMARY in `dir`, and `env`.
fn action_script(script: &str, dir: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg(path("action").join(script)).current_dir(dir);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("AWS_") || k.starts_with("GITHUB_") || k.starts_with("HIYARI_") {
            cmd.env_remove(k);
        }
    }
    cmd.env("RUNNER_TEMP", dir)
        .env("GITHUB_OUTPUT", dir.join("github_output"))
        .env("GITHUB_PATH", dir.join("github_path"))
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
        .env("AWS_REGION", "ap-northeast-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

fn sha256(file: &Path) -> String {
    let out = Command::new("sha256sum").arg(file).output().unwrap();
    stdout(&out).split_whitespace().next().unwrap().to_string()
}

#[test]
fn action_installs_a_release_only_when_its_sha256_matches() {
    let tmp = tempfile::tempdir().unwrap();
    let (release, work) = (tmp.path().join("releases"), tmp.path().join("work"));
    let version = env!("CARGO_PKG_VERSION");
    // A release laid out as dist publishes it: hiyari-TARGET.tar.xz with the binary in a
    // directory of the same name, and hiyari-TARGET.tar.xz.sha256 as dist writes it
    // (`DIGEST *NAME`). The binary is a stand-in that answers --version as hiyari does:
    // compressing the real debug binary with xz would take minutes.
    let name = "hiyari-x86_64-unknown-linux-gnu";
    let stage = tmp.path().join(name);
    std::fs::create_dir_all(&stage).unwrap();
    std::fs::write(
        stage.join("hiyari"),
        format!("#!/bin/sh\necho hiyari {version}\n"),
    )
    .unwrap();
    let assets = release.join(format!("download/v{version}"));
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let archive = assets.join(format!("{name}.tar.xz"));
    let ok = Command::new("tar")
        .arg("-cJf")
        .arg(&archive)
        .arg("-C")
        .arg(tmp.path())
        .arg(name)
        .status()
        .unwrap();
    assert!(ok.success());
    let digest = sha256(&archive);
    let checksum = assets.join(format!("{name}.tar.xz.sha256"));
    std::fs::write(&checksum, format!("{digest} *{name}.tar.xz\n\n")).unwrap();
    let url = format!("file://{}", release.display());
    let env = [
        ("HIYARI_VERSION", version),
        ("HIYARI_RELEASES_URL", url.as_str()),
        ("RUNNER_OS", "Linux"),
        ("RUNNER_ARCH", "X64"),
    ];

    let out = action_script("install.sh", &work, &env);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert_has(&stdout(&out), &digest);
    let outputs = read(&work.join("github_output"));
    assert!(
        outputs.contains(&format!("version={version}\n")),
        "{outputs}"
    );
    let bin = outputs
        .lines()
        .find_map(|l| l.strip_prefix("path="))
        .unwrap();
    let on_path = read(&work.join("github_path"));
    assert_eq!(
        format!("{}\n", Path::new(bin).parent().unwrap().display()),
        on_path
    );
    let ran = Command::new(bin).arg("--version").output().unwrap();
    assert_eq!(stdout(&ran), format!("hiyari {version}\n"));

    // Another digest than the archive's: nothing is installed.
    let wrong = format!(
        "{}{}",
        &digest[..63],
        if digest.ends_with('0') { '1' } else { '0' }
    );
    std::fs::write(&checksum, format!("{wrong} *{name}.tar.xz\n\n")).unwrap();
    let work2 = tmp.path().join("work2");
    std::fs::create_dir_all(&work2).unwrap();
    let out = action_script("install.sh", &work2, &env);
    assert_eq!(out.status.code(), Some(1));
    assert_has(&stdout(&out), "not installed");
    assert_eq!(read(&work2.join("github_path")), "");
    assert_eq!(read(&work2.join("github_output")), "");

    // A platform with no release binary is refused by name.
    let out = action_script(
        "install.sh",
        &work2,
        &[("RUNNER_OS", "Linux"), ("RUNNER_ARCH", "ARM")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("no binary for Linux/ARM"));
}

#[test]
fn action_writes_reports_and_summary_and_ends_with_the_exit_code() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let inventory = example_inventory();
    let args = format!("--inventory {}", inventory.display());
    let out = action_script(
        "run.sh",
        dir,
        &[
            ("HIYARI_BIN", env!("CARGO_BIN_EXE_hiyari")),
            ("HIYARI_ARGS", &args),
            ("HIYARI_FAIL_ON", "high"),
            ("HIYARI_FORMATS", "json, JUnit"),
            ("HIYARI_OUTPUT_DIR", "out"),
            ("GITHUB_REPOSITORY", "acme/infra"),
            (
                "GITHUB_WORKFLOW_REF",
                "acme/infra/.github/workflows/hiyari.yml@refs/heads/main",
            ),
        ],
    );
    // The script itself succeeds: the SARIF upload comes after it.
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let outputs = read(&dir.join("github_output"));
    assert!(outputs.contains("exit-code=1\n"), "{outputs}");
    assert!(outputs.contains("sarif=out/hiyari.sarif\n"), "{outputs}");
    assert_eq!(
        support::files(&dir.join("out")),
        [
            "hiyari.json",
            "hiyari.junit.xml",
            "hiyari.md",
            "hiyari.sarif"
        ]
    );
    // The alerts point at the workflow that ran the Action.
    let sarif: Value = serde_json::from_str(&read(&dir.join("out/hiyari.sarif"))).unwrap();
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"];
    assert_eq!(uri, ".github/workflows/hiyari.yml");
    // The summary: the verdict, then the Markdown report as hiyari wrote it.
    let summary = read(&dir.join("summary.md"));
    let report = read(&dir.join("out/hiyari.md"));
    assert!(!report.is_empty());
    assert!(
        summary.starts_with("**hiyari: fail** (exit 1)"),
        "{summary}"
    );
    assert!(summary.ends_with(&report));
    // Exit 1 as `hiyari audit` gives it directly.
    let direct = support::audit_example(dir, &["--fail-on", "high", "--format", "json"]);
    assert_eq!(direct.status.code(), Some(1));

    // Merging: the same reports and verdict from JSON reports.
    let out = action_script(
        "run.sh",
        dir,
        &[
            ("HIYARI_BIN", env!("CARGO_BIN_EXE_hiyari")),
            ("HIYARI_REPORTS", "out/*.json"),
            ("HIYARI_FAIL_ON", "high"),
            ("HIYARI_FORMATS", "html"),
            ("HIYARI_OUTPUT_DIR", "merged"),
        ],
    );
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(read(&dir.join("github_output"))
        .ends_with("exit-code=1\ndir=merged\nsarif=merged/hiyari.sarif\n"));
    assert_eq!(
        support::files(&dir.join("merged")),
        ["hiyari.html", "hiyari.md", "hiyari.sarif"]
    );
}

#[test]
fn action_fails_the_step_on_fails_and_on_an_incomplete_audit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // A stand-in for hiyari that exits 3, as hiyari does when some checks could not be
    // evaluated: the summary says so.
    let fake = dir.join("hiyari-exits-3");
    std::fs::write(&fake, "#!/bin/sh\nexit 3\n").unwrap();
    let ok = Command::new("chmod").arg("+x").arg(&fake).status().unwrap();
    assert!(ok.success());
    let out = action_script("run.sh", dir, &[("HIYARI_BIN", fake.to_str().unwrap())]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(&dir.join("github_output")).contains("exit-code=3\n"));
    assert!(read(&dir.join("summary.md")).starts_with("**hiyari: incomplete** (exit 3)"));

    let conclude = |code: &str, gate: &str| {
        action_script(
            "conclude.sh",
            dir,
            &[("HIYARI_EXIT_CODE", code), ("HIYARI_GATE", gate)],
        )
    };
    for (code, gate, want) in [
        ("0", "true", 0),
        ("1", "true", 1),
        ("3", "true", 3),
        ("4", "true", 4),
        ("2", "true", 2),
        ("1", "false", 0),
        ("3", "false", 0),
        ("2", "false", 2),
        ("130", "false", 130),
    ] {
        let out = conclude(code, gate);
        assert_eq!(out.status.code(), Some(want), "exit {code}, gate {gate}");
    }
    assert!(stdout(&conclude("3", "true")).contains("::error title=hiyari::exit 3: incomplete"));
}
