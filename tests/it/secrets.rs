//! No secret ever leaves hiyari: with known values in AWS_SECRET_ACCESS_KEY and
//! AWS_SESSION_TOKEN, and an AssumeRole answer whose secret and token are known too,
//! `audit`, `collect` and `--org` runs at RUST_LOG=trace write neither value, nor any
//! signed `Authorization` or `X-Amz-Security-Token` header, to stdout, stderr, any
//! output file of any format, or the saved inventory.
//!
//! moto does not check signatures, so the secrets can be any text; the test proxy
//! rewrites every STS AssumeRole answer to carry the known role secret and token.

use std::path::Path;
use std::process::Output;

use crate::support;
use support::proxy::{Faults, Match, Proxy};
use support::{hiyari_cmd, stderr, Moto};

const SECRET: &str = "hIyArI+EnvSecretAccessKey/0123456789abcdefXYZ";
const TOKEN: &str = "hIyArI+EnvSessionToken/FwoGZXIvYXdzEJr//////////wEaDP7Q0123456789";
const ROLE_SECRET: &str = "hIyArI+AssumedRoleSecret/9876543210ZYXfedcba";
const ROLE_TOKEN: &str = "hIyArI+AssumedRoleSessionToken/IQoJb3JpZ2luX2VjEJr//////////wEa";

const FORMATS: [&str; 9] = [
    "table", "json", "ocsf", "sarif", "junit", "asff", "csv", "markdown", "html",
];

/// Replaces the text between `<tag>` and `</tag>` with `value`.
fn replace_element(body: &str, tag: &str, value: &str) -> String {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    match (body.find(&open), body.find(&close)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{open}{value}{}", &body[..a], &body[b..])
        }
        _ => body.to_string(),
    }
}

/// Every AssumeRole answer carries the known role secret and token.
fn known_role_credentials(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let text = replace_element(&text, "SecretAccessKey", ROLE_SECRET);
    replace_element(&text, "SessionToken", ROLE_TOKEN).into_bytes()
}

/// The places a secret could leak to in one run: its stdout, stderr and every file it
/// wrote.
fn leaks(what: &str, out: &Output, dir: &Path) -> Vec<String> {
    let mut places = vec![
        ("stdout".to_string(), support::stdout(out)),
        ("stderr".to_string(), stderr(out)),
    ];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).into_owned();
        places.push((p.display().to_string(), text));
    }
    let mut found = Vec::new();
    for (place, text) in &places {
        let lower = text.to_ascii_lowercase();
        for (name, secret) in [
            ("the secret key", SECRET),
            ("the session token", TOKEN),
            ("the assumed role's secret key", ROLE_SECRET),
            ("the assumed role's session token", ROLE_TOKEN),
        ] {
            // A part of one is a leak too (a log line cut short, a value split).
            if text.contains(secret) || text.contains(&secret[..24]) {
                found.push(format!("{what}: {name} in {place}"));
            }
        }
        for header in ["authorization", "x-amz-security-token"] {
            for value in header_values(&lower, header) {
                found.push(format!(
                    "{what}: {header} with a value ({value}…) in {place}"
                ));
            }
        }
        if text.contains("AWS4-HMAC-SHA256 Credential=") || lower.contains("signature=") {
            found.push(format!("{what}: a request signature in {place}"));
        }
    }
    found
}

/// The values given to `header` in `text` (lower case), as a header (`name: value`,
/// `"name": value`) or a query parameter (`name=value`), except the SDK's redaction
/// (`** redacted (length=N) **`): its first characters, for the message.
fn header_values(text: &str, header: &str) -> Vec<String> {
    let mut values = Vec::new();
    for (at, _) in text.match_indices(header) {
        let rest = text[at + header.len()..].trim_start_matches('"');
        let Some(value) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('=')) else {
            continue;
        };
        let value = value.trim_start();
        if !value.starts_with("** redacted") {
            values.push(value.chars().take(12).collect());
        }
    }
    values
}

#[test]
fn header_values_are_found_and_redactions_are_not() {
    let log = r#"excluded_headers: Some(["authorization", "user-agent"]), "authorization": ** redacted (length=229) **, "x-amz-security-token": "abc""#;
    assert_eq!(header_values(log, "authorization"), Vec::<String>::new());
    assert_eq!(header_values(log, "x-amz-security-token"), ["\"abc\""]);
    assert_eq!(
        header_values(
            "authorization: aws4-hmac-sha256 credential=x",
            "authorization"
        ),
        ["aws4-hmac-sh"]
    );
    assert_eq!(
        header_values("?x-amz-security-token=iqoj&x", "x-amz-security-token"),
        ["iqoj&x"]
    );
}

#[test]
fn no_secret_reaches_any_output_at_trace_level() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let moto = Moto::start();
    rt.block_on(async {
        let org = moto.organization().await;
        org.create_account()
            .account_name("member")
            .email("member@example.com")
            .send()
            .await
            .expect("create account");
    });
    let mut faults = Faults::none();
    faults.rewrite = vec![(Match::action("sts", "AssumeRole"), known_role_credentials)];
    let proxy = Proxy::start(&moto.endpoint, faults);

    let run = |dir: &Path, args: &[&str]| {
        hiyari_cmd("us-east-1")
            .current_dir(dir)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_SESSION_TOKEN", TOKEN)
            .env("RUST_LOG", "trace")
            .args(args)
            .args(["--endpoint-url", &proxy.endpoint, "--regions", "us-east-1"])
            .args([
                "--checks",
                "root-mfa,iam-user-console-mfa,guardduty-enabled",
            ])
            .output()
            .unwrap()
    };
    let every_format: Vec<String> = FORMATS
        .iter()
        .map(|f| format!("--output={f}=report.{f}"))
        .collect();
    let every_format: Vec<&str> = every_format.iter().map(String::as_str).collect();

    let mut found = Vec::new();
    let mut assumed = 0;
    for (what, args) in [
        ("audit", [&["audit"][..], &every_format].concat()),
        ("collect", vec!["collect", "--output", "inventory.json"]),
        (
            "audit --org",
            [&["audit", "--org"][..], &every_format].concat(),
        ),
        (
            "collect --org",
            vec!["collect", "--org", "--output", "inventory.json"],
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let before = proxy.injected().get("rewrite").copied().unwrap_or(0);
        let out = run(dir.path(), &args);
        assert!(
            matches!(out.status.code(), Some(0 | 1 | 3)),
            "{what}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains("TRACE")
                && stderr(&out).contains("\"authorization\": ** redacted"),
            "{what}: ran at trace level, where the SDK logs each request's headers"
        );
        let files = std::fs::read_dir(dir.path()).unwrap().count();
        let expected = if what.starts_with("audit") {
            FORMATS.len()
        } else {
            1
        };
        assert_eq!(files, expected, "{what}: every output was written");
        if what.ends_with("--org") {
            let report = if what.starts_with("audit") {
                std::fs::read_to_string(dir.path().join("report.json")).unwrap()
            } else {
                std::fs::read_to_string(dir.path().join("inventory.json")).unwrap()
            };
            let v: serde_json::Value = serde_json::from_str(&report).unwrap();
            assert_eq!(
                v["accounts"].as_array().unwrap().len(),
                2,
                "{what}: the member was audited with the role's credentials"
            );
            assumed += proxy.injected().get("rewrite").copied().unwrap_or(0) - before;
        }
        found.extend(leaks(what, &out, dir.path()));
    }
    assert!(
        assumed >= 2,
        "the assumed role's credentials were the known ones"
    );
    assert!(found.is_empty(), "secrets leaked:\n{}", found.join("\n"));
}
