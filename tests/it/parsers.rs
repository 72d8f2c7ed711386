//! Parsers never panic, whatever they are given: property tests (proptest) over the
//! inventory file that `hiyari audit --inventory` reads, the IAM credential report CSV,
//! and hiyari.toml. Inputs are arbitrary text, and mutations of valid documents (which
//! reach much deeper than random text does): values replaced by any JSON, keys removed,
//! strings replaced by hostile text, documents cut short.
//!
//! In-process properties run hundreds of cases; the ones through the real binary (which
//! also evaluates and renders every format) run fewer, each being a process.

use crate::support;
use std::process::Output;

use hiyari_checks::credential_report;
use hiyari_checks::{all_checks, evaluate, EvalOptions, Inventory, Status};
use proptest::prelude::*;
use serde_json::Value;

const EXAMPLE: &str = include_str!("../../examples/inc-2015-leaked-root-key.inventory.json");

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e300f64..1e300).prop_map(Value::from),
        any::<String>().prop_map(Value::from),
        hostile().prop_map(Value::from),
        prop_oneof![
            Just("ok"),
            Just("error"),
            Just("not_collected"),
            Just("pass"),
            Just("fail"),
            Just("hiyari.inventory/v1"),
            Just("us-east-1"),
            Just("running"),
            Just("-1"),
            Just("0.0.0.0/0"),
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Text an attacker would write: control characters, escapes, bidi overrides, markup,
/// formulas, and long runs.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\x1b[2J".to_string()),
        Just("\u{202E}".to_string()),
        Just("\0".to_string()),
        Just("\r\n".to_string()),
        Just("<script>".to_string()),
        Just("=HYPERLINK(\"x\")".to_string()),
        Just("\"".to_string()),
        Just("\\".to_string()),
        Just("é✓𝄞".to_string()),
        "\\PC{0,8}",
        (1usize..5000).prop_map(|n| "x".repeat(n)),
    ];
    prop::collection::vec(piece, 0..6).prop_map(|v| v.concat())
}

#[derive(Debug, Clone)]
enum Mutation {
    /// A string becomes this (hostile) text.
    Text(String),
    /// A boolean is negated.
    Flip,
    /// A number becomes this one.
    Number(i64),
    /// An element of an array is removed.
    RemoveElement,
    /// An array gets its first element again, at its end.
    Repeat,
    /// Any node becomes this value (mostly refused: a type changes).
    Replace(Value),
    /// A member of an object is removed (refused when the field is required).
    RemoveMember,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => hostile().prop_map(Mutation::Text),
        2 => Just(Mutation::Flip),
        1 => any::<i64>().prop_map(Mutation::Number),
        2 => Just(Mutation::RemoveElement),
        2 => Just(Mutation::Repeat),
        1 => any_json().prop_map(Mutation::Replace),
        1 => Just(Mutation::RemoveMember),
    ]
}

/// A node of a JSON document: its JSON pointer, and whether its parent is an array.
struct Node {
    pointer: String,
    in_array: bool,
}

fn nodes(v: &Value, pointer: &str, in_array: bool, out: &mut Vec<Node>) {
    out.push(Node {
        pointer: pointer.to_string(),
        in_array,
    });
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                nodes(x, &format!("{pointer}/{i}"), true, out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                let k = k.replace('~', "~0").replace('/', "~1");
                nodes(x, &format!("{pointer}/{k}"), false, out);
            }
        }
        _ => {}
    }
}

/// Applies `m` to the node chosen by `pick` among the nodes it can act on.
fn apply(doc: &mut Value, pick: usize, m: &Mutation) {
    let mut all = Vec::new();
    nodes(doc, "", false, &mut all);
    let fits = |n: &Node| {
        let v = doc.pointer(&n.pointer).unwrap();
        match m {
            Mutation::Text(_) => v.is_string(),
            Mutation::Flip => v.is_boolean(),
            Mutation::Number(_) => v.is_number(),
            Mutation::RemoveElement => n.in_array,
            Mutation::Repeat => v.as_array().is_some_and(|a| !a.is_empty()),
            Mutation::Replace(_) => !n.pointer.is_empty(),
            Mutation::RemoveMember => !n.in_array && !n.pointer.is_empty(),
        }
    };
    let candidates: Vec<&Node> = all.iter().filter(|n| fits(n)).collect();
    if candidates.is_empty() {
        return;
    }
    let node = candidates[pick % candidates.len()];
    if matches!(m, Mutation::RemoveElement | Mutation::RemoveMember) {
        let (parent, last) = node.pointer.rsplit_once('/').unwrap();
        let last = last.replace("~1", "/").replace("~0", "~");
        match doc.pointer_mut(parent).unwrap() {
            Value::Array(a) => {
                a.remove(last.parse::<usize>().unwrap());
            }
            Value::Object(o) => {
                o.remove(&last);
            }
            _ => unreachable!("a parent is a container"),
        }
        return;
    }
    let v = doc.pointer_mut(&node.pointer).unwrap();
    match m {
        Mutation::Text(t) => *v = Value::from(t.clone()),
        Mutation::Flip => *v = Value::from(!v.as_bool().unwrap()),
        Mutation::Number(n) => *v = Value::from(*n),
        Mutation::Repeat => {
            let a = v.as_array_mut().unwrap();
            a.push(a[0].clone());
        }
        Mutation::Replace(x) => *v = x.clone(),
        Mutation::RemoveElement | Mutation::RemoveMember => unreachable!(),
    }
}

/// The example inventory with `muts` applied at nodes chosen by their selectors.
fn mutated(muts: &[(usize, Mutation)]) -> Value {
    let mut v: Value = serde_json::from_str(EXAMPLE).unwrap();
    for (pick, m) in muts {
        apply(&mut v, *pick, m);
    }
    v
}

/// Evaluates every check over an inventory that parsed, and checks the report holds
/// together: a summary that counts the findings, findings in the documented order.
fn evaluate_all(inv: &Inventory) {
    let checks: Vec<_> = all_checks().to_vec();
    let report = evaluate(
        inv,
        &checks,
        &EvalOptions::default(),
        "2026-01-01T00:00:00Z".into(),
        "2026-01-01T00:00:01Z".into(),
    );
    let count = |s: Status| report.findings.iter().filter(|f| f.status == s).count();
    assert_eq!(report.summary.fail, count(Status::Fail));
    assert_eq!(report.summary.error, count(Status::Error));
    assert_eq!(report.summary.pass, count(Status::Pass));
    assert_eq!(report.summary.muted, count(Status::Muted));
    for w in report.findings.windows(2) {
        assert!(w[0].sort_key() <= w[1].sort_key(), "findings out of order");
    }
    for f in &report.findings {
        if f.status == Status::Error {
            assert!(f.error_source().is_some(), "an error names no API: {f:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn inventory_from_any_text_never_panics(text in any::<String>()) {
        let _ = serde_json::from_str::<Inventory>(&text);
    }

    #[test]
    fn inventory_cut_or_corrupted_never_panics(cut in 0usize..EXAMPLE.len(), flip in any::<(usize, u8)>()) {
        let mut bytes = EXAMPLE.as_bytes()[..cut].to_vec();
        if !bytes.is_empty() {
            let i = flip.0 % bytes.len();
            bytes[i] = flip.1;
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(inv) = serde_json::from_str::<Inventory>(&text) {
            evaluate_all(&inv);
        }
    }

    #[test]
    fn mutated_inventory_never_panics_and_evaluates_consistently(
        muts in prop::collection::vec((any::<usize>(), mutation()), 1..6)
    ) {
        let text = mutated(&muts).to_string();
        if let Ok(inv) = serde_json::from_str::<Inventory>(&text) {
            evaluate_all(&inv);
        }
    }

    #[test]
    fn credential_report_from_any_text_never_panics(text in any::<String>()) {
        let _ = credential_report::parse(&text);
    }

    #[test]
    fn credential_report_of_any_layout_never_panics(
        header in prop::collection::vec(column(), 0..25),
        rows in prop::collection::vec(prop::collection::vec(field(), 0..25), 0..8),
        crlf in any::<bool>(),
    ) {
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut text = header.iter().map(|h| quote(h)).collect::<Vec<_>>().join(",");
        for r in &rows {
            text.push_str(eol);
            text.push_str(&r.iter().map(|f| quote(f)).collect::<Vec<_>>().join(","));
        }
        let _ = credential_report::parse(&text);
    }

    /// A well-formed report, columns in any order and with extra ones, reads back
    /// exactly: every row, every value.
    #[test]
    fn credential_report_reads_back_what_was_written(
        order in Just((0..COLUMNS.len() + 3).collect::<Vec<_>>()).prop_shuffle(),
        rows in prop::collection::vec(prop::collection::vec(value(), COLUMNS.len() + 3), 0..6),
    ) {
        let names: Vec<String> = (0..COLUMNS.len() + 3)
            .map(|i| COLUMNS.get(i).map_or(format!("extra_{i}"), |c| c.to_string()))
            .collect();
        let mut text = order.iter().map(|&i| names[i].clone()).collect::<Vec<_>>().join(",");
        for r in &rows {
            text.push('\n');
            text.push_str(&order.iter().map(|&i| quote(&r[i])).collect::<Vec<_>>().join(","));
        }
        text.push('\n');
        let parsed = credential_report::parse(&text).expect("a well-formed report parses");
        prop_assert_eq!(parsed.len(), rows.len());
        for (p, r) in parsed.iter().zip(&rows) {
            let got = [
                p.user.as_str(), p.arn.as_str(), p.user_creation_time.as_str(),
                p.password_enabled.as_str(), p.password_last_used.as_str(),
                p.mfa_active.as_str(), p.access_key_1_active.as_str(),
                p.access_key_1_last_rotated.as_str(), p.access_key_1_last_used_date.as_str(),
                p.access_key_2_active.as_str(), p.access_key_2_last_rotated.as_str(),
                p.access_key_2_last_used_date.as_str(),
            ];
            for (i, g) in got.iter().enumerate() {
                prop_assert_eq!(*g, r[i].as_str());
            }
        }
    }
}

use hiyari_checks::credential_report::COLUMNS;

fn column() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(COLUMNS.to_vec()).prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("true".to_string()),
        Just("false".to_string()),
        Just("N/A".to_string()),
        Just("<root_account>".to_string()),
        Just(String::new()),
        any::<String>(),
        hostile(),
    ]
}

/// A value the parser keeps as it is (it trims surrounding whitespace, and a record of
/// one empty field is a blank line).
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("true".to_string()),
        Just("not_supported".to_string()),
        Just("2024-05-01T00:00:00+00:00".to_string()),
        "[a-zA-Z0-9+=,.@_-]{1,64}",
        "\\PC{1,20}",
    ]
    .prop_map(|s| s.trim().to_string())
    .prop_filter("non-empty", |s| !s.is_empty())
}

/// One CSV field, quoted when it has to be.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn no_panic(out: &Output, what: &str) {
    let err = support::stderr(out);
    assert!(
        matches!(out.status.code(), Some(0..=3)),
        "{what}: exit {:?}; stderr: {err}",
        out.status.code()
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Through the binary: a mutated inventory is read, evaluated and rendered in every
    /// format, or refused with exit 2; never a panic.
    #[test]
    fn binary_reads_any_inventory_without_panicking(
        muts in prop::collection::vec((any::<usize>(), mutation()), 1..5)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let inv = dir.path().join("inventory.json");
        std::fs::write(&inv, mutated(&muts).to_string()).unwrap();
        let mut cmd = support::hiyari_cmd("ap-northeast-1");
        cmd.args(["audit", "--show-pass", "--inventory"]).arg(&inv);
        for (format, file) in [
            ("json", "r.json"), ("csv", "r.csv"), ("html", "r.html"), ("markdown", "r.md"),
            ("sarif", "r.sarif"), ("junit", "r.xml"), ("ocsf", "r.ocsf"), ("asff", "r.asff"),
        ] {
            cmd.arg("--output").arg(format!("{format}={}", dir.path().join(file).display()));
        }
        let out = cmd.output().unwrap();
        no_panic(&out, "audit --inventory");
        if out.status.code() != Some(2) {
            let json = std::fs::read(dir.path().join("r.json")).unwrap();
            let _: Value = serde_json::from_slice(&json).expect("the JSON report is valid");
        }
    }

    /// Through the binary: hiyari.toml made of valid and broken pieces is accepted or
    /// refused with exit 2 and one message; never a panic.
    #[test]
    fn binary_reads_any_config_without_panicking(
        lines in prop::collection::vec(config_line(), 0..12)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hiyari.toml");
        std::fs::write(&path, lines.join("\n")).unwrap();
        let out = support::hiyari_cmd("ap-northeast-1")
            .arg("policy")
            .arg("--config")
            .arg(&path)
            .output()
            .unwrap();
        no_panic(&out, "policy --config");
        prop_assert!(matches!(out.status.code(), Some(0) | Some(2)));
    }
}

fn config_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "allowed_regions = [\"ap-northeast-1\", \"us-east-1\"]",
            "allowed_regions = []",
            "fail_on = \"high\"",
            "fail_on = \"severe\"",
            "[checks.sg-unrestricted-egress]",
            "include_unused = true",
            "[checks.root-mfa]",
            "enabled = false",
            "severity = \"low\"",
            "[checks.no-such-check]",
            "[[accept]]",
            "check = \"public-ami\"",
            "check = \"nope\"",
            "region = \"sa-east-1\"",
            "resource = \"ami-0abc\"",
            "reason = \"the marketing AMI is public on purpose\"",
            "expires = 2026-01-01",
            "expires = 1979-05-27T07:32:00Z",
            "expires = \"tomorrow\"",
            "unknown = 1",
            "[checks]",
            "x = [",
            "\"\\u00e9\" = 1",
        ])
        .prop_map(str::to_string),
        1 => hostile().prop_map(|h| format!("reason = {}", toml_string(&h))),
        1 => "\\PC{0,30}",
        1 => any::<String>(),
    ]
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ------------------------------------------------- hostile input files, each entry point

/// Where hiyari reads a JSON file that may come from elsewhere: `audit --inventory`,
/// `audit --baseline`, `merge` and `diff` (as the older and as the newer report).
const ENTRY_POINTS: [&str; 5] = ["inventory", "baseline", "merge", "diff old", "diff new"];

/// A JSON report of the example inventory, made once by the binary.
fn example_report() -> &'static str {
    static REPORT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    REPORT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let inv = dir.path().join("inventory.json");
        std::fs::write(&inv, EXAMPLE).unwrap();
        let out = support::hiyari_cmd("ap-northeast-1")
            .args(["audit", "--format", "json", "--inventory"])
            .arg(&inv)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
        support::stdout(&out)
    })
}

/// Runs `entry` with `file` as the input under test; the other inputs are good ones.
fn read_as(entry: &str, file: &std::path::Path) -> Output {
    let dir = file.parent().unwrap();
    let inv = dir.join("good.inventory.json");
    let report = dir.join("good.report.json");
    std::fs::write(&inv, EXAMPLE).unwrap();
    std::fs::write(&report, example_report()).unwrap();
    let mut cmd = support::hiyari_cmd("ap-northeast-1");
    match entry {
        "inventory" => cmd
            .args(["audit", "--format", "json", "--inventory"])
            .arg(file),
        "baseline" => cmd
            .args(["audit", "--format", "json", "--inventory"])
            .arg(&inv)
            .arg("--baseline")
            .arg(file),
        "merge" => cmd.args(["merge"]).arg(&report).arg(file),
        "diff old" => cmd
            .args(["diff", "--format", "json"])
            .arg(file)
            .arg(&report),
        "diff new" => cmd
            .args(["diff", "--format", "json"])
            .arg(&report)
            .arg(file),
        _ => unreachable!(),
    };
    cmd.output().unwrap()
}

/// A refusal: exit 2, one `error:` line naming the file, nothing on stdout.
fn refused(out: &Output, file: &std::path::Path, what: &str) -> String {
    let err = support::stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert_eq!(support::stdout(out), "", "{what}");
    assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
    assert!(
        err.starts_with("error: ") && err.contains(&file.display().to_string()),
        "{what}: names the file: {err}"
    );
    err
}

#[test]
fn deeply_nested_documents_are_refused_with_their_position() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nested.json");
    for (doc, kind) in [
        ("[".repeat(100_000), "bare"),
        (
            format!(
                "{{\"schema\": \"hiyari.report/v1\", \"findings\": {}",
                "[{\"a\":".repeat(50_000)
            ),
            "report",
        ),
        (
            format!(
                "{{\"schema\": \"hiyari.inventory/v1\", \"accounts\": {}",
                "{\"a\":".repeat(50_000)
            ),
            "inventory",
        ),
    ] {
        std::fs::write(&file, &doc).unwrap();
        for entry in ENTRY_POINTS {
            let err = refused(&read_as(entry, &file), &file, &format!("{entry}, {kind}"));
            // Too deep for serde_json's limit of 128 levels, or, where the parser
            // skips nesting without recursing, cut short at the end.
            assert!(
                err.contains("recursion limit exceeded") || err.contains("ends early"),
                "{entry}, {kind}: says why: {err}"
            );
        }
    }
}

/// The same depth, closed: whichever part of hiyari reads them (a typed reader with
/// serde_json's depth limit, or the skipping of what it does not read, which does not
/// recurse), each is refused at every entry point without a crash or a stack overflow.
#[test]
fn deeply_nested_closed_documents_are_refused_too() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nested.json");
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    for (doc, kind) in [
        (deep(100_000), "bare"),
        (
            format!(
                "{{\"schema\": \"hiyari.report/v1\", \"findings\": {}}}",
                deep(50_000)
            ),
            "report",
        ),
        (
            format!(
                "{{\"schema\": \"hiyari.inventory/v1\", \"accounts\": {}}}",
                deep(50_000)
            ),
            "inventory",
        ),
    ] {
        std::fs::write(&file, &doc).unwrap();
        for entry in ENTRY_POINTS {
            let err = refused(&read_as(entry, &file), &file, &format!("{entry}, {kind}"));
            // Too deep, of the wrong type, or the wrong kind of file for this entry
            // point (the schema is read before the rest).
            assert!(
                err.contains("recursion limit exceeded")
                    || err.contains("invalid type")
                    || err.contains("is not a hiyari")
                    || err.contains("is a hiyari"),
                "{entry}, {kind}: says why: {err}"
            );
        }
    }
}

#[test]
fn hundreds_of_megabytes_of_one_string_are_refused_before_they_are_read() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.json");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    w.write_all(br#"{"schema": "hiyari.report/v1", "tool": {"version": ""#)
        .unwrap();
    let chunk = vec![b'A'; 1 << 20];
    for _ in 0..300 {
        w.write_all(&chunk).unwrap();
    }
    w.write_all(b"\"}}").unwrap();
    w.flush().unwrap();
    drop(w);
    for entry in ENTRY_POINTS {
        let started = std::time::Instant::now();
        let err = refused(&read_as(entry, &file), &file, entry);
        assert_eq!(
            err,
            format!(
                "error: {} is 301 MiB; hiyari reads {} files of at most 256 MiB\n",
                file.display(),
                if entry == "inventory" {
                    "inventory"
                } else {
                    "report"
                }
            ),
            "{entry}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{entry}: refused without reading it"
        );
    }
}

#[test]
fn wrong_typed_documents_are_refused_saying_what_was_expected() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("wrong.json");
    let report: Value = serde_json::from_str(example_report()).unwrap();
    let inventory: Value = serde_json::from_str(EXAMPLE).unwrap();
    let cases: [(&str, &str, Value); 5] = [
        ("/accounts", "report", Value::from("all of them")),
        ("/findings/0/status", "report", Value::from(3)),
        ("/findings/0/resource", "report", Value::from(true)),
        ("/accounts", "inventory", Value::from(7)),
        ("/accounts/0/identity", "inventory", Value::from("x")),
    ];
    for (pointer, kind, value) in cases {
        let mut doc = if kind == "report" {
            report.clone()
        } else {
            inventory.clone()
        };
        *doc.pointer_mut(pointer).unwrap() = value;
        std::fs::write(&file, doc.to_string()).unwrap();
        for entry in ENTRY_POINTS {
            let fits = (entry == "inventory") == (kind == "inventory");
            let what = format!("{entry}, {kind} {pointer}");
            let err = refused(&read_as(entry, &file), &file, &what);
            if fits {
                assert!(
                    err.contains("invalid type") || err.contains("unknown variant"),
                    "{what}: says what was expected: {err}"
                );
            } else {
                assert!(err.contains("is a hiyari"), "{what}: {err}");
            }
        }
    }
}

/// A report cut anywhere is refused, saying it ends early.
fn cut_report() -> impl Strategy<Value = usize> {
    1usize..example_report().trim_end().len()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn a_truncated_report_or_inventory_is_refused_at_every_entry_point(
        cut in cut_report(), inv_cut in 1usize..EXAMPLE.trim_end().len()
    ) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("cut.json");
        for entry in ENTRY_POINTS {
            let (text, at) = if entry == "inventory" {
                (EXAMPLE, inv_cut)
            } else {
                (example_report(), cut)
            };
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap();
            std::fs::write(&file, &text[..at]).unwrap();
            let err = refused(&read_as(entry, &file), &file, &format!("{entry} cut at {at}"));
            prop_assert!(
                err.contains("ends early") || err.contains("is empty")
                    || err.contains("no `schema` field"),
                "{}: {}", entry, err
            );
        }
    }

    /// Reports mutated anywhere (values of any type, members removed, hostile text) are
    /// read, compared and merged, or refused with exit 2: never a panic.
    #[test]
    fn a_mutated_report_never_panics_merge_diff_or_baseline(
        muts in prop::collection::vec((any::<usize>(), mutation()), 1..5)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mutated.json");
        let mut doc: Value = serde_json::from_str(example_report()).unwrap();
        for (pick, m) in &muts {
            apply(&mut doc, *pick, m);
        }
        std::fs::write(&file, doc.to_string()).unwrap();
        for entry in ["baseline", "merge", "diff old", "diff new"] {
            let out = read_as(entry, &file);
            no_panic(&out, entry);
            if out.status.code() == Some(2) {
                // Not always about this file: reports of different accounts are refused
                // naming the other one.
                let err = support::stderr(&out);
                prop_assert!(err.starts_with("error: ") && err.lines().count() == 1, "{}: {}", entry, err);
                prop_assert_eq!(support::stdout(&out), "");
            }
        }
    }
}
