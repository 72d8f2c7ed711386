//! Faults, partial permissions, stalls, bad credentials and hostile data: the real
//! hiyari binary against moto_server through the fault-injecting proxy
//! (tests/it/support/proxy.rs). hiyari must keep working, and never turn data it could not
//! see into a pass.

use crate::{scenarios, support};
use std::time::Duration;

use support::proxy::{Faults, Match, Proxy};
use support::*;

const HOME: &str = "ap-northeast-1";

/// The checks these tests assert on, by id: checks added later (some of which moto
/// cannot serve) leave the exact expectations here as they are.
const CHECKS: &str = "root-access-keys,root-mfa,iam-user-console-mfa,billing-alarm,\
guardduty-enabled,public-ami,public-snapshot,unused-region-compute,sg-unrestricted-egress";

/// Generous: a scan that is still running after this is hung, whatever the load.
const HUNG: Duration = Duration::from_secs(600);

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// Runs hiyari with its endpoint at the proxy. Unless a test sets its own, the per-call
/// deadline is 5 minutes: moto answers a scan of every region slowly on a loaded
/// machine (DescribeSnapshots lists its thousands of built-in snapshots in each), and
/// only the stall test is about deadlines.
fn run(proxy: &Proxy, args: &[&str]) -> Measured {
    let mut cmd = hiyari_cmd(HOME);
    cmd.args(args)
        .args(["--checks", CHECKS])
        .arg("--endpoint-url")
        .arg(&proxy.endpoint);
    if !args.contains(&"--call-timeout") {
        cmd.args(["--call-timeout", "300"]);
    }
    let m = run_within(&mut cmd, HUNG);
    eprintln!(
        "hiyari {}: exit {:?} in {:.1}s, peak RSS {} KiB{}; {}",
        args.join(" "),
        m.output.status.code(),
        m.wall.as_secs_f64(),
        m.peak_rss_kib,
        if m.peak_rss_exact {
            ""
        } else {
            " (upper bound: no GNU time)"
        },
        stderr(&m.output).trim()
    );
    m
}

/// The JSON report with the values of `started_at`, `finished_at` and `collected_at`
/// blanked, byte for byte otherwise.
fn without_times(stdout: &[u8]) -> String {
    let mut s = String::from_utf8(stdout.to_vec()).expect("UTF-8 report");
    for key in [
        "\"started_at\": \"",
        "\"finished_at\": \"",
        "\"collected_at\": \"",
    ] {
        let mut from = 0;
        while let Some(i) = s[from..].find(key) {
            let start = from + i + key.len();
            let end = start + s[start..].find('"').expect("closing quote");
            s.replace_range(start..end, "TIME");
            from = start;
        }
    }
    s
}

#[test]
fn transient_faults_leave_the_findings_byte_for_byte_unchanged() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(scenarios::leaked_root_key(&mut moto));
    rt.block_on(scenarios::public_images(&moto, HOME));
    let proxy = Proxy::start(&moto.endpoint, Faults::none());

    let clean = run(&proxy, &["audit", "--format", "json"]);
    assert_eq!(
        clean.output.status.code(),
        Some(1),
        "{}",
        stderr(&clean.output)
    );
    let clean_counts = proxy.counts();
    let clean_total = proxy.total();
    assert!(proxy.injected().is_empty());

    proxy.reset_counts();
    proxy.set_faults(Faults::transient(0x6869_7961_7269, 0.2));
    let faulty = run(&proxy, &["audit", "--format", "json"]);
    assert_eq!(
        faulty.output.status.code(),
        Some(1),
        "{}",
        stderr(&faulty.output)
    );
    let injected = proxy.injected();
    eprintln!(
        "fault-free: {clean_total} requests; with faults: {} requests, injected {injected:?}",
        proxy.total()
    );
    assert_eq!(
        without_times(&faulty.output.stdout),
        without_times(&clean.output.stdout),
        "the findings changed under transient faults"
    );
    // The faults were real: every kind was injected, and every call was retried through.
    for kind in [
        "throttle",
        "slow-down",
        "internal-error",
        "unavailable",
        "reset",
    ] {
        assert!(injected.get(kind).copied().unwrap_or(0) > 0, "{injected:?}");
    }
    // The same calls were made, each at least as often (retries); the credential
    // report's polling depends on how fast moto generates it, so it is left out.
    let faulty_counts = proxy.counts();
    assert_eq!(
        faulty_counts.keys().collect::<Vec<_>>(),
        clean_counts.keys().collect::<Vec<_>>()
    );
    for (action, n) in &clean_counts {
        if action != "iam:GenerateCredentialReport" {
            assert!(
                faulty_counts[action] >= *n,
                "{action}: {n} requests without faults, {faulty_counts:?} with"
            );
        }
    }
}

/// The error findings, as JSON text, for failure messages.
fn errors_of(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "error")
        .map(|f| f.to_string())
        .collect()
}

/// Every finding of the JSON report, each as its JSON text, leaving out `check`'s.
fn findings_but(report: &serde_json::Value, check: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check"] != check)
        .map(|f| f.to_string())
        .collect()
}

#[test]
fn a_denied_service_is_an_error_in_every_scope_that_needs_it_and_nowhere_else() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(scenarios::clean(&mut moto, HOME));
    let regions = rt.block_on(scenarios::enabled_regions(&moto));
    let proxy = Proxy::start(&moto.endpoint, Faults::none());
    let out = run(&proxy, &["audit", "--format", "json"]);
    let baseline = report(&out.output);
    assert_eq!(
        out.output.status.code(),
        Some(0),
        "{}; errors: {:?}",
        stderr(&out.output),
        errors_of(&baseline)
    );

    // Every GuardDuty call answers AccessDeniedException.
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("checklist.md");
    let html = dir.path().join("checklist.html");
    let json = dir.path().join("report.json");
    proxy.reset_counts();
    proxy.set_faults(Faults {
        deny: vec![Match::service("guardduty")],
        ..Faults::none()
    });
    let out = run(
        &proxy,
        &[
            "audit",
            "--output",
            &format!("json={}", json.display()),
            "--output",
            &format!("markdown={}", md.display()),
            "--output",
            &format!("html={}", html.display()),
        ],
    );
    assert_eq!(out.output.status.code(), Some(3), "{}", stderr(&out.output));
    let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    let expected: Vec<_> = regions
        .iter()
        .map(|region| triple("guardduty-enabled", region, region))
        .collect();
    assert_eq!(with_status(&r, "error"), expected);
    assert_eq!(with_status(&r, "fail"), vec![]);
    for f in r["findings"].as_array().unwrap() {
        if f["status"] != "error" {
            continue;
        }
        assert_eq!(f["evidence"]["api"], "guardduty:ListDetectors", "{f:#}");
        assert_eq!(
            f["evidence"]["error_code"], "AccessDeniedException",
            "{f:#}"
        );
        let message = f["message"].as_str().unwrap();
        assert!(
            message.contains("grant the IAM action guardduty:ListDetectors"),
            "{message}"
        );
    }
    // Every other finding is exactly what the fault-free scan found.
    assert_eq!(
        findings_but(&r, "guardduty-enabled"),
        findings_but(&baseline, "guardduty-enabled")
    );
    assert_eq!(r["summary"]["error"], regions.len());
    // A denial is not retried, and nothing was read past it.
    let counts = proxy.counts();
    assert_eq!(
        counts.get("guardduty:ListDetectors").copied(),
        Some(regions.len() as u64),
        "{counts:?}"
    );
    assert_eq!(counts.get("guardduty:GetDetector"), None, "{counts:?}");

    // The table says so plainly.
    let table = stdout(&out.output);
    assert_eq!(
        table.matches("guardduty-enabled").count(),
        regions.len(),
        "{table}"
    );
    assert_eq!(table.matches("ERROR").count(), regions.len(), "{table}");
    // The message column wraps at the table's width: read it as flowing text.
    let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("grant the IAM action guardduty:ListDetectors"),
        "{table}"
    );
    assert!(
        table.contains(&format!("Summary: 0 fail, {} error", regions.len())),
        "{table}"
    );
    // So do the checklists.
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("Could not check"), "{md}");
    assert!(md.contains("guardduty:ListDetectors"), "{md}");
    assert!(md.contains("AccessDeniedException"), "{md}");
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(html.contains("could not check"), "{html}");
    assert!(html.contains("guardduty:ListDetectors"), "{html}");

    // One EC2 action denied, in EC2's own shape: only the check that reads it errs.
    proxy.reset_counts();
    proxy.set_faults(Faults {
        deny: vec![Match::action("ec2", "DescribeSnapshots")],
        ..Faults::none()
    });
    let out = run(&proxy, &["audit", "--format", "json"]);
    assert_eq!(out.output.status.code(), Some(3), "{}", stderr(&out.output));
    let r = report(&out.output);
    let expected: Vec<_> = regions
        .iter()
        .map(|region| triple("public-snapshot", region, region))
        .collect();
    assert_eq!(with_status(&r, "error"), expected);
    for f in r["findings"].as_array().unwrap() {
        if f["status"] == "error" {
            assert_eq!(f["evidence"]["api"], "ec2:DescribeSnapshots", "{f:#}");
            assert_eq!(
                f["evidence"]["error_code"], "UnauthorizedOperation",
                "{f:#}"
            );
            assert!(f["message"]
                .as_str()
                .unwrap()
                .contains("grant the IAM action ec2:DescribeSnapshots"));
        }
    }
    assert_eq!(
        findings_but(&r, "public-snapshot"),
        findings_but(&baseline, "public-snapshot")
    );
}

/// The regional checks, each with one result per region in the clean scenario.
const REGIONAL: [&str; 5] = [
    "guardduty-enabled",
    "public-ami",
    "public-snapshot",
    "sg-unrestricted-egress",
    "unused-region-compute",
];

#[test]
fn a_stalled_region_becomes_error_within_the_deadlines_and_the_rest_is_complete() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(scenarios::clean(&mut moto, HOME));
    let stalled = "sa-east-1";
    let scanned = ["ap-northeast-1", "sa-east-1", "us-east-1"];
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            stall: vec![Match::region(stalled)],
            ..Faults::none()
        },
    );
    let mut expected_errors: Vec<_> = REGIONAL
        .iter()
        .map(|c| triple(c, stalled, stalled))
        .collect();
    expected_errors.sort();
    let mut expected_passes = vec![
        triple("billing-alarm", "-", ACCOUNT),
        triple("iam-user-console-mfa", "-", ACCOUNT),
        triple("root-access-keys", "-", ACCOUNT),
        triple("root-mfa", "-", ACCOUNT),
    ];
    for region in scanned.iter().filter(|r| **r != stalled) {
        for c in REGIONAL {
            expected_passes.push(triple(c, region, region));
        }
    }
    expected_passes.sort();

    // The per-call deadline: every call into the region gives up after 10 s (moto
    // answers the others well within it, even on a loaded machine).
    let out = run(
        &proxy,
        &[
            "audit",
            "--format",
            "json",
            "--regions",
            &scanned.join(","),
            "--call-timeout",
            "10",
        ],
    );
    assert_eq!(out.output.status.code(), Some(3), "{}", stderr(&out.output));
    let r = report(&out.output);
    assert_eq!(with_status(&r, "error"), expected_errors);
    assert_eq!(with_status(&r, "pass"), expected_passes);
    for f in r["findings"].as_array().unwrap() {
        if f["status"] == "error" {
            assert_eq!(f["evidence"]["error_code"], "TimeoutError", "{f:#}");
        }
    }
    assert!(proxy.injected()["stall"] > 0);

    // The overall deadline: calls may take 10 minutes each, the scan 40 s.
    let out = run(
        &proxy,
        &[
            "audit",
            "--format",
            "json",
            "--regions",
            &scanned.join(","),
            "--call-timeout",
            "600",
            "--timeout",
            "40",
        ],
    );
    assert_eq!(out.output.status.code(), Some(3), "{}", stderr(&out.output));
    let r = report(&out.output);
    assert_eq!(with_status(&r, "error"), expected_errors);
    assert_eq!(with_status(&r, "pass"), expected_passes);
    for f in r["findings"].as_array().unwrap() {
        if f["status"] == "error" {
            assert_eq!(f["evidence"]["error_code"], "ScanDeadlineExceeded", "{f:#}");
            assert!(
                f["message"].as_str().unwrap().contains("--timeout 40s"),
                "{f:#}"
            );
        }
    }
}

#[test]
fn rejected_credentials_stop_with_one_line_before_any_region_is_scanned() {
    // No emulator behind: the proxy answers every call itself.
    for code in ["InvalidClientTokenId", "ExpiredToken"] {
        let proxy = Proxy::start(
            "http://127.0.0.1:9",
            Faults {
                reject_credentials: Some(code.into()),
                ..Faults::none()
            },
        );
        let out = run(&proxy, &["audit"]);
        assert_eq!(out.output.status.code(), Some(2), "{}", stderr(&out.output));
        assert_eq!(stdout(&out.output), "", "no report");
        let err = stderr(&out.output);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines.len(), 1, "{err}");
        assert!(
            lines[0].starts_with(&format!(
                "error: the AWS credentials could not be used ({code}:"
            )),
            "{err}"
        );
        let mut expected = std::collections::BTreeMap::new();
        expected.insert("sts:GetCallerIdentity".to_string(), 1u64);
        assert_eq!(proxy.counts(), expected, "one call, not retried, then stop");
    }
}

/// Every string anywhere in `v`.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Parses `path` with Python's own CSV reader (an independent implementation).
fn python_csv(path: &std::path::Path) -> Vec<Vec<String>> {
    let out = std::process::Command::new(python())
        .args([
            "-c",
            "import csv, json, sys\n\
             print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Checks `path` is well-formed XML with Python's own parser.
fn python_xml_ok(path: &std::path::Path) {
    let out = std::process::Command::new(python())
        .args([
            "-c",
            "import sys, xml.etree.ElementTree as ET\nET.parse(sys.argv[1])",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}: {}", path.display(), stderr(&out));
}

#[test]
fn hostile_names_tags_and_descriptions_are_inert_in_every_format() {
    use scenarios::hostile_text;
    let rt = rt();
    let mut moto = Moto::start();
    let away = "sa-east-1";
    let h = rt.block_on(scenarios::hostile(&mut moto, HOME, away));
    let default_sg_away = rt.block_on(scenarios::default_sg(&moto, away));
    // GuardDuty is denied, with an error message that is itself hostile.
    let deny_message = hostile_text::all_in_one();
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            deny: vec![Match::service("guardduty")],
            deny_message: Some(deny_message.clone()),
            ..Faults::none()
        },
    );
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let mut args = vec![
        "audit".to_string(),
        "--show-pass".into(),
        "--regions".into(),
        format!("{HOME},{away}"),
    ];
    for (format, file) in [
        ("json", "r.json"),
        ("csv", "r.csv"),
        ("html", "r.html"),
        ("markdown", "r.md"),
        ("sarif", "r.sarif"),
        ("junit", "r.xml"),
        ("ocsf", "r.ocsf.jsonl"),
        ("asff", "r.asff.json"),
    ] {
        args.push("--output".into());
        args.push(format!("{format}={}", path(file).display()));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&proxy, &args);
    assert_eq!(out.output.status.code(), Some(1), "{}", stderr(&out.output));

    // JSON: valid, and every hostile text is carried exactly, as data.
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path("r.json")).unwrap()).expect("valid JSON");
    let mut expected = vec![triple("sg-unrestricted-egress", away, &default_sg_away)];
    for (id, _) in &h.groups {
        expected.push(triple("sg-unrestricted-egress", HOME, id));
    }
    for (id, _) in &h.images {
        expected.push(triple("public-ami", HOME, id));
    }
    for (id, _) in &h.snapshots {
        expected.push(triple("public-snapshot", HOME, id));
    }
    for (id, _) in &h.instances {
        expected.push(triple("unused-region-compute", away, id));
    }
    for user in hostile_text::USERS {
        expected.push(triple("iam-user-console-mfa", "-", user));
    }
    expected.sort();
    assert_eq!(with_status(&r, "fail"), expected);
    let errors: Vec<_> = [HOME, away]
        .iter()
        .map(|region| triple("guardduty-enabled", region, region))
        .collect();
    assert_eq!(with_status(&r, "error"), errors);
    let mut all = Vec::new();
    strings(&r, &mut all);
    for (_, text) in h
        .groups
        .iter()
        .chain(&h.instances)
        .chain(&h.images)
        .chain(&h.snapshots)
    {
        assert!(all.contains(text), "{text:?} is not carried exactly");
    }
    assert!(
        all.contains(&deny_message),
        "the error message is carried exactly"
    );
    assert!(
        all.iter().any(|s| s.contains(&h.budget)),
        "the budget name is carried exactly"
    );

    // The table: nothing that can move the cursor, recolour, or reorder the screen, and
    // no 10 KB line.
    let table = stdout(&out.output);
    for (n, line) in table.lines().enumerate() {
        assert!(
            !line.chars().any(|c| c.is_control() || is_bidi(c)),
            "line {n} of the table has a raw control or bidi character: {line:?}"
        );
        assert!(
            line.chars().count() < 2_000,
            "line {n} is {} long",
            line.len()
        );
    }
    assert!(
        table.contains("\\u{1b}[2J"),
        "the escape sequence is shown, inert"
    );
    assert!(table.contains("=1+2"), "{table}");

    // CSV, read by Python: one record per finding, no cell a spreadsheet would evaluate.
    let rows = python_csv(&path("r.csv"));
    let findings = r["findings"].as_array().unwrap();
    assert_eq!(rows.len(), findings.len() + 1);
    for row in &rows {
        assert_eq!(row.len(), rows[0].len());
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?}"
            );
            assert!(
                !cell.chars().any(|c| c.is_control() || is_bidi(c)),
                "{cell:?}"
            );
        }
    }
    let id_col = rows[0].iter().position(|c| c == "resource_id").unwrap();
    for user in hostile_text::USERS {
        assert!(
            rows.iter().any(|row| row[id_col] == format!("'{user}")),
            "{user} is neutralised"
        );
    }

    // HTML: the markup is text, never elements.
    let html = std::fs::read_to_string(path("r.html")).unwrap();
    assert!(!html.contains("<script"), "a script element");
    assert!(!html.contains("<img"), "an img element");
    assert!(
        html.contains("&lt;script&gt;alert(1)"),
        "the text is shown, escaped"
    );
    assert!(!html
        .chars()
        .any(|c| is_bidi(c) || (c.is_control() && !"\n\t".contains(c))));

    // Markdown, read by pulldown-cmark: no raw HTML gets through, and no hostile line
    // break starts a block of its own.
    let md = std::fs::read_to_string(path("r.md")).unwrap();
    let mut opts = pulldown_cmark::Options::empty();
    opts.insert(pulldown_cmark::Options::ENABLE_TABLES);
    opts.insert(pulldown_cmark::Options::ENABLE_TASKLISTS);
    opts.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let mut text = String::new();
    for ev in pulldown_cmark::Parser::new_ext(&md, opts) {
        match ev {
            pulldown_cmark::Event::Html(s) | pulldown_cmark::Event::InlineHtml(s) => {
                assert!(
                    !s.contains("script") && !s.contains("img"),
                    "raw HTML from the account: {s}"
                );
            }
            pulldown_cmark::Event::Text(s) | pulldown_cmark::Event::Code(s) => {
                text.push_str(&s);
            }
            _ => {}
        }
    }
    assert!(text.contains("<script>alert(1)</script>"), "shown as text");
    assert!(!md
        .lines()
        .any(|l| l.starts_with("line two") || l.starts_with("| FAIL | forged")));
    assert!(!md
        .chars()
        .any(|c| is_bidi(c) || (c.is_control() && c != '\n')));

    // The other formats stay well-formed.
    for file in ["r.sarif", "r.asff.json"] {
        let _: serde_json::Value = serde_json::from_slice(&std::fs::read(path(file)).unwrap())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    let ocsf = std::fs::read_to_string(path("r.ocsf.jsonl")).unwrap();
    assert_eq!(ocsf.lines().count(), findings.len());
    for line in ocsf.lines() {
        let _: serde_json::Value = serde_json::from_str(line).expect("one JSON object a line");
    }
    python_xml_ok(&path("r.xml"));
}

fn scale_test(spec: scenarios::Scale, page_size: Option<u32>) {
    let rt = rt();
    let mut moto = Moto::start();
    let built = std::time::Instant::now();
    let expected = rt.block_on(scenarios::scale(&mut moto, &spec));
    eprintln!(
        "scale scenario ({spec:?}) built in {:.0}s",
        built.elapsed().as_secs_f64()
    );
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            page_size,
            ..Faults::none()
        },
    );
    let out = run(&proxy, &["audit", "--format", "json"]);
    assert_eq!(out.output.status.code(), Some(1), "{}", stderr(&out.output));
    let r = report(&out.output);
    let fails = with_status(&r, "fail");
    let count = |check: &str| fails.iter().filter(|f| f.0 == check).count();
    eprintln!(
        "scale: {} findings ({} fail: {} instances, {} public snapshots, {} users, {} groups); \
         {} requests; peak RSS {} KiB{}; wall {:.1}s",
        r["findings"].as_array().unwrap().len(),
        fails.len(),
        count("unused-region-compute"),
        count("public-snapshot"),
        count("iam-user-console-mfa"),
        count("sg-unrestricted-egress"),
        proxy.total(),
        out.peak_rss_kib,
        if out.peak_rss_exact {
            ""
        } else {
            " (upper bound)"
        },
        out.wall.as_secs_f64(),
    );
    assert_eq!(fails.len(), expected.len());
    assert_eq!(fails, expected);
    // The only error: moto does not serve the CloudWatch protocol (docs/guide/known-limits.md).
    let errors = with_status(&r, "error");
    assert_eq!(errors, vec![triple("billing-alarm", "-", ACCOUNT)]);
    let reservations = spec.instances_per_region / spec.reservation + spec.single_reservations;
    let page = page_size.map_or(1000, |p| p as usize);
    assert_eq!(
        proxy.count_in(spec.regions[0], "ec2:DescribeInstances"),
        reservations.div_ceil(page) as u64,
        "every page of DescribeInstances is read, once"
    );
    // Bounded: a few hundred MiB at most, whatever the account's size.
    assert!(
        out.peak_rss_kib < 512 * 1024,
        "peak RSS {} KiB",
        out.peak_rss_kib
    );
}

/// Thousands of resources, a tenth of the full scale, with moto's pages made small by
/// the proxy so that paging is exercised on every run.
#[test]
fn scale_every_page_is_read_and_counts_are_exact() {
    scale_test(
        scenarios::Scale {
            regions: vec!["sa-east-1", "eu-west-1"],
            instances_per_region: 60,
            reservation: 3,
            single_reservations: 30,
            snapshots_per_region: 250,
            public_snapshots_per_region: 25,
            groups_per_region: 25,
            attached_groups_per_region: 5,
            users: 100,
            console_users_without_mfa: 30,
        },
        Some(7),
    );
}

/// The full scale: 2,100 instances (1,100 of them in reservations of
/// one in a region, so DescribeInstances has a second page of 1,000), 5,000 snapshots
/// (plus moto's own), 1,000 IAM users and 500 security groups across four regions.
/// Minutes on two cores: `cargo test --test it scale_full -- --ignored`.
#[test]
#[ignore]
fn scale_full() {
    scale_test(
        scenarios::Scale {
            regions: vec!["sa-east-1", "eu-west-1", "us-west-2", "ap-southeast-2"],
            instances_per_region: 250,
            reservation: 10,
            single_reservations: 1_100,
            snapshots_per_region: 1_250,
            public_snapshots_per_region: 100,
            groups_per_region: 125,
            attached_groups_per_region: 25,
            users: 1_000,
            console_users_without_mfa: 300,
        },
        None,
    );
}

/// The sources of the checks added for unread notices, open doors, public database
/// snapshots and spend: each denied service is an error exactly where it was needed
/// (the account for the Account API and Cost Explorer, every region for RDS), and a
/// check that needs none of them is untouched.
#[test]
fn denied_account_cost_explorer_and_rds_are_errors_where_needed() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(scenarios::clean(&mut moto, HOME));
    rt.block_on(scenarios::rds_snapshots(&moto, HOME));
    let regions = rt.block_on(scenarios::enabled_regions(&moto));
    let checks = "security-contact,unused-region-spend,public-rds-snapshot,sg-open-ingress";
    let scan = |proxy: &Proxy| {
        let mut cmd = hiyari_cmd(HOME);
        cmd.args(["audit", "--format", "json", "--checks", checks])
            .arg("--endpoint-url")
            .arg(&proxy.endpoint);
        run_within(&mut cmd, HUNG).output
    };
    let proxy = Proxy::start(&moto.endpoint, Faults::none());
    let baseline = scan(&proxy);
    assert_eq!(baseline.status.code(), Some(1), "{}", stderr(&baseline));
    let baseline = report(&baseline);
    assert_eq!(
        with_status(&baseline, "fail"),
        vec![
            triple("public-rds-snapshot", HOME, "ledger-public"),
            triple("public-rds-snapshot", HOME, "orders-public"),
        ]
    );
    assert_eq!(with_status(&baseline, "error"), vec![]);
    // Four manual snapshots, four attribute calls, all in the home region.
    let counts = proxy.counts();
    assert_eq!(
        proxy.count_in(HOME, "rds:DescribeDBSnapshotAttributes")
            + proxy.count_in(HOME, "rds:DescribeDBClusterSnapshotAttributes"),
        4,
        "{counts:?}"
    );

    proxy.set_faults(Faults {
        deny: vec![
            Match::service("account"),
            Match::service("ce"),
            Match::service("rds"),
        ],
        ..Faults::none()
    });
    let out = scan(&proxy);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let r = report(&out);
    let mut expected = vec![
        triple("security-contact", "-", ACCOUNT),
        triple("unused-region-spend", "-", ACCOUNT),
    ];
    expected.extend(
        regions
            .iter()
            .map(|region| triple("public-rds-snapshot", region, region)),
    );
    expected.sort();
    assert_eq!(with_status(&r, "error"), expected);
    assert_eq!(
        with_status(&r, "fail"),
        vec![],
        "no fail from data never read"
    );
    for f in r["findings"].as_array().unwrap() {
        if f["status"] == "error" {
            let api = f["evidence"]["api"].as_str().unwrap();
            assert!(
                [
                    "account:GetAlternateContact",
                    "ce:GetCostAndUsage",
                    "rds:DescribeDBSnapshots",
                    "rds:DescribeDBClusterSnapshots"
                ]
                .contains(&api),
                "{f:#}"
            );
        }
    }
    assert_eq!(
        findings_but(&r, "sg-open-ingress").len(),
        expected.len(),
        "only the denied checks changed"
    );
    assert_eq!(
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["check"] == "sg-open-ingress")
            .collect::<Vec<_>>(),
        baseline["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["check"] == "sg-open-ingress")
            .collect::<Vec<_>>()
    );
}

/// SIGINT (Ctrl-C) and SIGTERM (a CI runner's timeout) during a scan held up by a
/// stalled region: hiyari stops at once instead of waiting for its deadlines, writes no
/// output (not even part of one), says so in one line, and exits as a shell expects
/// (128 + the signal's number).
#[test]
fn sigint_and_sigterm_stop_a_stalled_scan_at_once_and_write_nothing() {
    use std::process::Stdio;
    use std::time::Instant;
    let moto = Moto::start();
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            stall: vec![Match::region("sa-east-1")],
            ..Faults::none()
        },
    );
    let stalls = || proxy.injected().get("stall").copied().unwrap_or(0);
    let commands: [&[&str]; 2] = [
        &[
            "audit",
            "--format",
            "json",
            "--output",
            "json=r.json",
            "--output",
            "sarif=r.sarif",
        ],
        &["collect", "--output", "inventory.json"],
    ];
    for (signal, code, name) in [
        (libc::SIGINT, 130, "SIGINT"),
        (libc::SIGTERM, 143, "SIGTERM"),
    ] {
        for args in commands {
            let dir = tempfile::tempdir().unwrap();
            let before = stalls();
            let mut child = hiyari_cmd(HOME)
                .current_dir(dir.path())
                .args(args)
                .args(["--regions", "ap-northeast-1,sa-east-1", "--checks", CHECKS])
                .args(["--call-timeout", "300", "--endpoint-url", &proxy.endpoint])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let waiting = Instant::now();
            while stalls() == before {
                assert!(
                    waiting.elapsed() < Duration::from_secs(120),
                    "the scan never reached the stalled region"
                );
                assert!(child.try_wait().unwrap().is_none(), "hiyari ended early");
                std::thread::sleep(Duration::from_millis(50));
            }
            // The scan is now held up: everything else has been asked for or answered.
            std::thread::sleep(Duration::from_millis(300));
            // SAFETY: signalling our own child, which has not been reaped.
            assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
            let sent = Instant::now();
            let status = loop {
                if let Some(s) = child.try_wait().unwrap() {
                    break s;
                }
                if sent.elapsed() > Duration::from_secs(20) {
                    let _ = child.kill();
                    panic!("{} {name}: still running 20 s after the signal", args[0]);
                }
                std::thread::sleep(Duration::from_millis(20));
            };
            let out = child.wait_with_output().unwrap();
            let what = format!("{} {name}", args[0]);
            assert_eq!(status.code(), Some(code), "{what}: {}", stderr(&out));
            assert!(sent.elapsed() < Duration::from_secs(5), "{what}: promptly");
            assert_eq!(stdout(&out), "", "{what}: no report on stdout");
            assert_eq!(
                stderr(&out),
                format!(
                    "error: interrupted by {name}: stopped, and no report or file was written\n"
                ),
                "{what}: one line"
            );
            let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
            assert!(
                left.is_empty(),
                "{what}: no output, whole or partial: {left:?}"
            );
        }
    }
}
