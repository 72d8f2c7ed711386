//! Reports read back (`hiyari merge`, `diff`, `audit --baseline`) that were crafted or
//! damaged: a shard whose findings reuse another account's ids, two different findings
//! with one id, duplicate JSON keys, impossible times. None may remove or hide a fail.

use crate::support;
use support::*;

use serde_json::{json, Value};

/// The example's JSON report (account 123456789012, with fails), written into `dir` as
/// `a.json`, and its value.
fn example_report(dir: &std::path::Path) -> Value {
    let out = audit_example(dir, &["--format", "json", "-o", "a.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    serde_json::from_slice(&std::fs::read(dir.join("a.json")).unwrap()).unwrap()
}

fn write(dir: &std::path::Path, name: &str, v: &Value) {
    std::fs::write(dir.join(name), serde_json::to_string_pretty(v).unwrap()).unwrap();
}

fn run(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    hiyari_cmd("ap-northeast-1")
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn a_shard_reusing_another_accounts_ids_is_refused_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let a = example_report(d);
    let fails = a["summary"]["fail"].as_u64().unwrap();
    assert!(fails > 0);
    // Another account's passes wearing account 123456789012's ids.
    let mut forged = a.clone();
    forged["accounts"][0]["id"] = json!("999999999999");
    for f in forged["findings"].as_array_mut().unwrap() {
        f["account"] = json!("999999999999");
        f["status"] = json!("pass");
    }
    forged["summary"] =
        json!({"pass": a["findings"].as_array().unwrap().len(), "fail": 0, "error": 0, "muted": 0});
    write(d, "shard-1.json", &forged);
    let out = run(d, &["merge", "shard-1.json", "a.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(
        err.contains("shard-1.json: finding #1 ") && err.contains("account 999999999999"),
        "{err}"
    );
    assert!(err.contains("not the hash of its check"), "{err}");
    for args in [
        &["diff", "shard-1.json", "a.json"][..],
        &["diff", "a.json", "shard-1.json"],
    ] {
        let out = run(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
    let out = audit_example(d, &["--format", "json", "--baseline", "shard-1.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));

    // The same findings in the same account, one of them changed: refused too, within
    // one report and across two.
    let mut changed = a.clone();
    let first_fail = changed["findings"]
        .as_array()
        .unwrap()
        .iter()
        .position(|f| f["status"] == "fail")
        .unwrap();
    changed["findings"][first_fail]["status"] = json!("pass");
    write(d, "b.json", &changed);
    let out = run(d, &["merge", "a.json", "b.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_has(&stderr(&out), "differ");
    let mut within = a.clone();
    let copy = within["findings"][first_fail].clone();
    let mut copy_pass = copy.clone();
    copy_pass["status"] = json!("pass");
    within["findings"].as_array_mut().unwrap().push(copy_pass);
    write(d, "c.json", &within);
    let out = run(d, &["merge", "c.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert_has(&stderr(&out), "c.json: finding #");
}

#[test]
fn exact_duplicates_merge_once_with_a_warning_and_the_summary_is_recounted() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut a = example_report(d);
    let n = a["findings"].as_array().unwrap().len();
    // Five copies of one finding in one report, a lying summary, and times in two
    // offsets: 17:19:20+14:00 is 03:19:20Z, before 05:00:00Z.
    let first = a["findings"][0].clone();
    for _ in 0..4 {
        a["findings"].as_array_mut().unwrap().push(first.clone());
    }
    a["summary"] = json!({"pass": 1000, "fail": 0, "error": 0, "muted": 0});
    a["collected_at"] = json!("2026-11-22T05:00:00Z");
    write(d, "a.json", &a);
    let mut b = a.clone();
    b["collected_at"] = json!("2026-11-22T17:19:20+14:00");
    write(d, "b.json", &b);
    let out = run(d, &["merge", "a.json", "b.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let m = report(&out);
    assert_eq!(m["findings"].as_array().unwrap().len(), n);
    let count = |s: &str| {
        m["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == s)
            .count() as u64
    };
    assert_eq!(m["summary"]["fail"].as_u64().unwrap(), count("fail"));
    assert_eq!(m["summary"]["pass"].as_u64().unwrap(), count("pass"));
    assert_eq!(m["collected_at"], "2026-11-22T17:19:20+14:00");
    let err = stderr(&out);
    assert!(
        err.contains("a.json: 4 finding(s) repeated exactly"),
        "{err}"
    );
    assert!(err.contains("b.json repeats"), "{err}");
}

#[test]
fn duplicate_keys_and_impossible_times_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    example_report(d);
    let text = std::fs::read_to_string(d.join("a.json")).unwrap();
    let twice = text.replacen(
        "\"status\": \"fail\"",
        "\"status\": \"fail\", \"status\": \"pass\"",
        1,
    );
    assert_ne!(twice, text);
    std::fs::write(d.join("twice.json"), &twice).unwrap();
    for args in [
        &["merge", "twice.json"][..],
        &["diff", "a.json", "twice.json"],
    ] {
        let out = run(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
        assert_has(&stderr(&out), "the key `status` is given twice");
    }
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["started_at"] = json!("9999-99-99T99:99:99Z");
    write(d, "bad-time.json", &v);
    for args in [
        &["merge", "bad-time.json", "--format", "sarif"][..],
        &["diff", "bad-time.json", "a.json"],
    ] {
        let out = run(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
        assert_has(&stderr(&out), "not an RFC 3339 date and time");
    }
}
