//! Run warnings where pipelines read them: accepted risks that expired or matched
//! nothing in the JSON report, SARIF and JUnit written by the real binary, carried by
//! `hiyari merge` and `hiyari diff`, and `--fail-on-warnings` / `fail_on_warnings`
//! turning them into exit code 4. No emulator: the example inventory is evaluated.

use std::path::Path;

use serde_json::Value;

use crate::support::*;

const HOME: &str = "ap-northeast-1";

/// An entry that matches nothing (line 2) and one that expired long ago (line 7).
const CONFIG: &str = r#"
[[accept]]
check = "stale-access-keys"
resource = "nobody"
reason = "Break-glass user, rotated by hand"

[[accept]]
check = "root-mfa"
reason = "MFA device on order"
expires = 2020-01-31
"#;

fn json_of(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn accepted_risks_that_rot_are_in_the_json_report_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hiyari.toml"), CONFIG).unwrap();
    // stale-access-keys passes on the example: nothing fails, nothing is in error.
    let only = ["--checks", "stale-access-keys", "--format", "json"];
    let out = audit_example(dir.path(), &only);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = report(&out);
    let w = r["warnings"].as_array().expect("a warnings array");
    assert_eq!(w.len(), 2, "{w:?}");
    assert_eq!(w[0]["kind"], "accept-unmatched");
    assert_eq!(w[0]["config"], "hiyari.toml");
    assert_eq!(w[0]["line"], 2);
    assert_eq!(w[0]["check"], "stale-access-keys");
    assert_eq!(w[0]["resource"], "nobody");
    assert_eq!(w[0]["reason"], "Break-glass user, rotated by hand");
    assert!(w[0].get("expires").is_none(), "{w:?}");
    assert_eq!(w[1]["kind"], "accept-expired");
    assert_eq!(w[1]["line"], 7);
    assert_eq!(w[1]["check"], "root-mfa");
    assert_eq!(w[1]["expires"], "2020-01-31");
    assert_eq!(w[1]["reason"], "MFA device on order");
    // Each is still the plain line on stderr it always was.
    for x in w {
        let line = format!("warning: {}", x["message"].as_str().unwrap());
        assert!(stderr(&out).lines().any(|l| l == line), "{}", stderr(&out));
    }

    // The exit code is theirs only when asked, and only for an otherwise clean run.
    let mut asked = only.to_vec();
    asked.push("--fail-on-warnings");
    let out = audit_example(dir.path(), &asked);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(report(&out)["warnings"], r["warnings"]);
    let out = audit_example(dir.path(), &["--fail-on-warnings", "--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a fail says more than a warning"
    );

    std::fs::write(
        dir.path().join("hiyari.toml"),
        format!("fail_on_warnings = true\n{CONFIG}"),
    )
    .unwrap();
    let out = audit_example(dir.path(), &only);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    // Its lines moved down by one with the new first line.
    assert_eq!(report(&out)["warnings"][0]["line"], 3);

    // Without warnings, the array is there and empty, and the flag changes nothing.
    std::fs::remove_file(dir.path().join("hiyari.toml")).unwrap();
    let out = audit_example(dir.path(), &asked);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(report(&out)["warnings"], serde_json::json!([]));
}

#[test]
fn an_allowed_region_that_does_not_exist_is_a_warning_of_the_report_too() {
    let dir = tempfile::tempdir().unwrap();
    let out = audit_example(
        dir.path(),
        &[
            "--checks",
            "stale-access-keys",
            "--allowed-regions",
            "mars-north-1",
            "--format",
            "json",
            "--output",
            "junit=w.xml",
            "--fail-on-warnings",
        ],
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let w = &report(&out)["warnings"];
    assert_eq!(w.as_array().unwrap().len(), 1, "{w}");
    assert_eq!(w[0]["kind"], "unknown-allowed-region");
    assert_eq!(w[0]["region"], "mars-north-1");
    assert_eq!(w[0]["account"], ACCOUNT);
    assert_eq!(
        stderr(&out).matches("mars-north-1").count(),
        1,
        "said once on stderr: {}",
        stderr(&out)
    );
    // JUnit: no check's suite is about it, so a suite of no test case carries it.
    let junit = std::fs::read_to_string(dir.path().join("w.xml")).unwrap();
    let suite = junit
        .split("<testsuite name=\"hiyari\" tests=\"0\"")
        .nth(1)
        .expect("a hiyari suite for the warning");
    assert!(
        suite.contains("<property name=\"hiyari.warning.unknown-allowed-region\"")
            && suite.contains("mars-north-1"),
        "{junit}"
    );
}

#[test]
fn sarif_and_junit_files_carry_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hiyari.toml"), CONFIG).unwrap();
    let out = audit_example(
        dir.path(),
        &["--output", "sarif=h.sarif", "--output", "junit=h.xml"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let sarif = json_of(&dir.path().join("h.sarif"));
    let notes = sarif["runs"][0]["invocations"][0]["toolConfigurationNotifications"]
        .as_array()
        .expect("configuration notifications");
    let kinds: Vec<&str> = notes
        .iter()
        .map(|n| n["descriptor"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["accept-unmatched", "accept-expired"]);
    let loc = &notes[1]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "hiyari.toml");
    assert_eq!(loc["region"]["startLine"], 7);
    let junit = std::fs::read_to_string(dir.path().join("h.xml")).unwrap();
    for kind in ["accept-unmatched", "accept-expired"] {
        assert!(
            junit.contains(&format!("<property name=\"hiyari.warning.{kind}\"")),
            "{junit}"
        );
    }
}

#[test]
fn merge_keeps_them_and_diff_shows_which_are_new() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = audit_example(d, &["--format", "json", "-o", "before.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    std::fs::write(d.join("hiyari.toml"), CONFIG).unwrap();
    let out = audit_example(d, &["--format", "json", "-o", "after.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let after = json_of(&d.join("after.json"));
    assert_eq!(after["warnings"].as_array().unwrap().len(), 2);

    let run = |args: &[&str]| hiyari_cmd(HOME).current_dir(d).args(args).output().unwrap();
    let out = run(&["merge", "after.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let merged = report(&out);
    let w = merged["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 2, "{w:?}");
    assert_eq!(w[1]["kind"], "accept-expired");
    assert_eq!(w[1]["source"], "after.json");
    assert_eq!(w[1]["line"], 7);
    assert!(w[1]["message"]
        .as_str()
        .unwrap()
        .starts_with("after.json: "));

    let out = run(&["diff", "before.json", "after.json", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    let w = diff["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 2, "{diff}");
    assert!(w.iter().all(|x| x["new"] == true), "{w:?}");
    let out = run(&["diff", "after.json", "after.json", "--format", "json"]);
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        diff["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| x["new"] == false),
        "{diff}"
    );
    let out = run(&["diff", "before.json", "after.json"]);
    let table = stdout(&out);
    assert!(
        table.contains("Warnings of the new report (2)")
            && table.contains("(new) accepted risk at hiyari.toml:7"),
        "{table}"
    );
    let out = run(&["diff", "after.json", "before.json"]);
    assert!(!stdout(&out).contains("Warnings"), "{}", stdout(&out));
}

#[test]
fn merge_fails_on_a_duplicated_account_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = audit_example(
        d,
        &[
            "--checks",
            "stale-access-keys",
            "--format",
            "json",
            "-o",
            "a.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let merge = |extra: &[&str]| {
        hiyari_cmd(HOME)
            .current_dir(d)
            .args(["merge", "a.json"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = merge(&["--fail-on-warnings"]);
    assert_eq!(out.status.code(), Some(0), "one report: no warning");
    let out = merge(&["a.json", "--fail-on-warnings"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let w = &report(&out)["warnings"];
    assert_eq!(w[0]["kind"], "duplicate-account");
    assert_eq!(w[0]["account"], ACCOUNT);
    let out = merge(&["a.json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
