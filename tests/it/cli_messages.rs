//! What a person reads on stderr and in --help: mistyped output formats, missing
//! credentials, files of the wrong kind, outputs that cannot be written, and help that
//! matches what each subcommand takes. No emulator: none of these reach AWS.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Output;

use crate::support::*;

const HOME: &str = "ap-northeast-1";

const NO_ESCAPES: &str = "no ANSI escape sequence on a stderr that is not a terminal";

#[test]
fn an_output_name_that_is_not_a_format_is_an_error_unless_given_as_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = audit_example(dir.path(), &["--output", "yaml=x.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "error: invalid value 'yaml=x.yaml' for '--output <[FORMAT=]PATH>': unknown format \
         `yaml`; the formats are: table, json, ocsf, sarif, junit, asff, csv, markdown, html. \
         (For a file whose name contains `=`, write it with a directory: `./yaml=x.yaml`.)\n\n\
         For more information, try '--help'.\n"
    );
    assert!(files(dir.path()).is_empty(), "no file is written");

    // Said as a path, the name is a file name.
    let out = audit_example(dir.path(), &["--output", "./yaml=x.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    assert_eq!(files(dir.path()), ["yaml=x.yaml"]);
    let table = std::fs::read_to_string(dir.path().join("yaml=x.yaml")).unwrap();
    assert!(table.contains("root-access-keys"), "{table}");
}

#[test]
fn an_output_that_cannot_be_written_leaves_no_report_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    // Found before the scan: a directory that does not exist.
    let out = audit_example(
        dir.path(),
        &["-o", "sarif=ok.sarif", "-o", "junit=no/x.xml"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "error: --output no/x.xml: the directory no does not exist\n"
    );
    assert!(files(dir.path()).is_empty());

    // Found when writing (the device is full): the table is not printed and ok.sarif is
    // not created, as exit code 2 promises.
    let out = audit_example(
        dir.path(),
        &["-o", "sarif=ok.sarif", "-o", "junit=/dev/full"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "", "no report on stdout with exit code 2");
    assert_eq!(
        stderr(&out),
        "error: cannot write /dev/full: No space left on device (os error 28); no report was written\n"
    );
    assert!(files(dir.path()).is_empty(), "{:?}", files(dir.path()));

    // An existing report is not replaced by a run that exits 2.
    std::fs::write(dir.path().join("ok.sarif"), "last week's").unwrap();
    let out = audit_example(
        dir.path(),
        &["-o", "sarif=ok.sarif", "-o", "junit=/dev/full"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("ok.sarif")).unwrap(),
        "last week's"
    );
    assert_eq!(files(dir.path()), ["ok.sarif"]);

    // And a run that succeeds writes them all.
    let out = audit_example(dir.path(), &["-o", "sarif=ok.sarif", "-o", "json=r.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("root-access-keys"));
    assert_eq!(files(dir.path()), ["ok.sarif", "r.json"]);
}

/// A stand-in for the EC2 instance metadata service that refuses every request, as a
/// network that blocks it does.
fn forbidding_imds() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = conn.read(&mut buf);
            let _ = conn.write_all(
                b"HTTP/1.1 403 Forbidden\r\ncontent-length: 6\r\nconnection: close\r\n\r\ndenied",
            );
        }
    });
    format!("http://{addr}")
}

const TRIED: &str = "tried environment variables, the default profile with SSO, web identity, \
                     container credentials and EC2 instance metadata (IMDS)";
const HELP: &str = "help: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, set AWS_PROFILE or \
                    pass --profile NAME, or run `aws sso login` for an SSO profile (-v shows \
                    the AWS SDK's detail)\n";

fn no_credentials(imds: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = hiyari_cmd(HOME);
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        // Colour must follow the terminal, not only NO_COLOR.
        .env_remove("NO_COLOR")
        .env_remove("RUST_LOG");
    if let Some(url) = imds {
        cmd.env_remove("AWS_EC2_METADATA_DISABLED")
            .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", url);
    }
    // Nothing listens there: no call may get that far.
    cmd.args(["audit", "--endpoint-url", "http://127.0.0.1:9"])
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn missing_credentials_are_two_plain_lines_saying_what_was_tried_and_what_to_do() {
    // Nothing anywhere.
    let out = no_credentials(None, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!("error: no AWS credentials found ({TRIED})\n{HELP}")
    );

    // The instance metadata service refuses: that is what failed.
    let imds = forbidding_imds();
    let out = no_credentials(Some(&imds), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "error: no usable AWS credentials ({TRIED}): failed to load IMDS session token: \
             service error: request forbidden: IMDS is disabled or the caller has insufficient \
             permissions\n{HELP}"
        )
    );

    // The profile is named, and no file defines it: that comes first.
    let out = no_credentials(None, &["--profile", "audit"]);
    let tried_audit = TRIED.replace("the default profile", "the profile `audit`");
    assert_eq!(
        stderr(&out),
        format!(
            "error: no usable AWS credentials ({tried_audit}): the profile `audit` is not \
             defined in the AWS config or credentials file (~/.aws/config, \
             ~/.aws/credentials, or AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE)\n{HELP}"
        )
    );
    // `default` needs no file; a config path that cannot be read is named.
    let out = no_credentials(None, &["--profile", "default"]);
    let tried_default = TRIED.replace("the default profile", "the profile `default`");
    assert_eq!(
        stderr(&out),
        format!("error: no AWS credentials found ({tried_default})\n{HELP}")
    );
    // The profile `audit`, with AWS_CONFIG_FILE at `config` and no credentials anywhere.
    let audit_profile = |config: &Path| {
        hiyari_cmd(HOME)
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env("AWS_CONFIG_FILE", config)
            .args(["audit", "--endpoint-url", "http://127.0.0.1:9"])
            .args(["--profile", "audit"])
            .output()
            .unwrap()
    };
    let unreadable = tempfile::tempdir().unwrap();
    let out = audit_profile(unreadable.path());
    assert_has(
        &stderr(&out),
        &format!(
            ": the profile `audit` was not found: {} cannot be read: Is a directory",
            unreadable.path().display()
        ),
    );
    // Defined, with no credentials in it: nothing was found.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(&config, "[profile audit]\nregion = ap-northeast-1\n").unwrap();
    let out = audit_profile(&config);
    assert_eq!(
        stderr(&out),
        format!("error: no AWS credentials found ({tried_audit})\n{HELP}")
    );

    // -v adds the SDK's detail, still without colour.
    let out = no_credentials(Some(&imds), &["-v"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("the AWS SDK could not load credentials"),
        "{err}"
    );
    assert!(err.contains("Ec2InstanceMetadata"), "{err}");
    assert!(err.ends_with(HELP), "{err}");
    assert!(!err.contains('\x1b'), "{NO_ESCAPES}: {err:?}");
}

#[test]
fn no_region_is_one_line_without_the_sdks_imds_warnings() {
    let imds = forbidding_imds();
    let out = hiyari_cmd(HOME)
        .env_remove("AWS_REGION")
        .env_remove("AWS_EC2_METADATA_DISABLED")
        .env_remove("NO_COLOR")
        .env_remove("RUST_LOG")
        .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", &imds)
        .args(["audit", "--endpoint-url", "http://127.0.0.1:9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no AWS region is configured: set AWS_REGION, a region in your profile, or pass --region\n"
    );
}

#[test]
fn a_report_given_as_an_inventory_and_the_reverse_say_which_file_is_which() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let out = audit_example(dir.path(), &["--format", "json", "-o", "report.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));

    let out = hiyari_cmd(HOME)
        .current_dir(dir.path())
        .args(["audit", "--inventory", "report.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "error: report.json is a hiyari report (hiyari.report/v1), not an inventory; \
         --inventory takes what `hiyari collect --output FILE` saves (`hiyari diff` compares \
         two reports)\n"
    );

    let out = hiyari_cmd(HOME)
        .arg("diff")
        .arg(example_inventory())
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let ex = example_inventory().display().to_string();
    assert_eq!(
        stderr(&out),
        format!(
            "error: {ex} is a hiyari inventory (hiyari.inventory/v1), not a report; make a \
             report of it with `hiyari audit --inventory {ex} --format json`\n"
        )
    );
}

#[test]
fn an_empty_or_cut_file_says_so_with_its_position_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("empty.json"), "").unwrap();
    std::fs::write(
        dir.path().join("cut.json"),
        "{\"schema\": \"hiyari.inventory/v1\", \"accounts\": [\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = hiyari_cmd(HOME)
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        stderr(&out)
    };
    assert_eq!(
        run(&["audit", "--inventory", "empty.json"]),
        "error: empty.json is empty; an inventory is what `hiyari collect --output FILE` saves\n"
    );
    assert_eq!(
        run(&["audit", "--inventory", "cut.json"]),
        "error: cut.json is not a valid hiyari inventory (the file ends early, at line 2: EOF \
         while parsing a list); an inventory is what `hiyari collect --output FILE` saves\n"
    );
    assert_eq!(
        run(&["merge", "empty.json"]),
        "error: empty.json is empty; give a report from `hiyari audit --format json`\n"
    );
    std::fs::write(dir.path().join("bad.json"), "{\"schema\": \n  x}").unwrap();
    assert_eq!(
        run(&["diff", "bad.json", "bad.json"]),
        "error: bad.json is not JSON (line 2, column 3: expected value); give a report from \
         `hiyari audit --format json`\n"
    );
}

#[test]
fn warnings_are_plain_lines() {
    let dir = tempfile::tempdir().unwrap();
    let out = hiyari_cmd(HOME)
        .env_remove("NO_COLOR")
        .current_dir(dir.path())
        .args(["audit", "--inventory"])
        .arg(example_inventory())
        .args(["--allowed-regions", "mars-north-1", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.lines().any(|l| l
            == "warning: allowed regions name `mars-north-1`, which is not a region of account 123456789012"),
        "{err}"
    );
    assert!(!err.contains("WARN") && !err.contains('\x1b'), "{err:?}");
}

fn help(args: &[&str]) -> String {
    let out = hiyari_cmd(HOME)
        .env("AWS_PROFILE", "someone-else")
        .args(args)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn help_names_only_what_each_subcommand_takes() {
    for cmd in ["collect", "init"] {
        let h = help(&[cmd, "--help"]);
        assert!(!h.contains("--allowed-regions"), "{cmd} --help: {h}");
        assert!(!h.contains("--inventory"), "{cmd} --help: {h}");
        let flat = h.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("Default: every enabled region"),
            "{cmd} --help: {h}"
        );
        assert!(h.contains("[env: AWS_PROFILE]"), "{cmd} --help: {h}");
        assert!(
            !h.contains("someone-else"),
            "{cmd} --help shows no value: {h}"
        );
    }
    let h = help(&["audit", "--help"]);
    assert!(h.contains("--allowed-regions"));
    assert!(
        h.contains("./a=b.txt"),
        "--output says how to name a file with `=`: {h}"
    );
    let h = help(&["policy", "--help"]);
    assert!(!h.contains("Run only these checks"), "{h}");
    assert!(h.contains("Only the actions of these checks"), "{h}");
    assert!(h.contains("Leave out the actions of these checks"), "{h}");
}

#[test]
fn help_and_readme_agree_on_exit_code_2() {
    let h = help(&["--help"]);
    let flat = h.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "2 no report: a usage, configuration or credential error, or a report that could \
             not be written (then no --output file is created or replaced and stdout gets no \
             report)"
        ),
        "{h}"
    );
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| 2 |")).collect();
    assert_eq!(rows.len(), 1, "the README's one exit-code table");
    for row in rows {
        assert!(row.contains("a report that could not be written"), "{row}");
        assert!(row.contains("no `--output` file"), "{row}");
    }
}
