//! Baselines and diffs against moto: an account audited, changed through the AWS API
//! (a new public snapshot, root MFA fixed, a region no longer scanned), audited again.

use crate::{scenarios, support};
use support::*;

const HOME: &str = "ap-northeast-1";

fn save(out: &std::process::Output, path: &std::path::Path) {
    std::fs::write(path, &out.stdout).unwrap();
}

fn ids(v: &serde_json::Value, key: &str) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = v[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["region"].as_str().unwrap_or("-").to_string(),
                f["resource"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn diff_and_baseline_gate_after_real_changes() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut moto = Moto::start();
    rt.block_on(scenarios::leaked_root_key(&mut moto));
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old.json"), dir.path().join("new.json"));
    // The checks moto can serve in full (billing-alarm's CloudWatch half, for one, it
    // cannot), so that an unchanged account gates clean.
    let common = [
        "--checks",
        "root-access-keys,root-mfa,iam-user-console-mfa,guardduty-enabled,public-ami,public-snapshot,unused-region-compute,sg-unrestricted-egress",
        "--format",
        "json",
    ];
    let before = [
        &["audit", "--regions", "ap-northeast-1,sa-east-1,us-east-1"][..],
        &common,
    ]
    .concat();
    let out = moto.hiyari(HOME, &before);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    save(&out, &old);

    // Nothing changed: only old fails, so the gate passes.
    let old_s = old.to_str().unwrap();
    let gate = [&before[..], &["--baseline", old_s, "--fail-on-new"]].concat();
    let out = moto.hiyari(HOME, &gate);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = report(&out);
    assert!(r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["baseline"] == "existing"));

    // The changes.
    let (ami, snap) = rt.block_on(scenarios::public_images(&moto, HOME));
    moto.set_root(true, true);
    let default_sg_home = rt.block_on(scenarios::default_sg(&moto, HOME));
    let after = [
        &["audit", "--regions", "ap-northeast-1,sa-east-1"][..],
        &common,
    ]
    .concat();
    let out = moto.hiyari(HOME, &after);
    save(&out, &new);

    // The gate now fails, on the new fails only.
    let gate = [&after[..], &["--baseline", old_s, "--fail-on-new"]].concat();
    let out = moto.hiyari(HOME, &gate);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = report(&out);
    let mut new_fails: Vec<_> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail" && f["baseline"] == "new")
        .map(|f| f["resource"]["id"].as_str().unwrap().to_string())
        .collect();
    new_fails.sort();
    let mut expected = vec![ami.clone(), snap.clone(), default_sg_home.clone()];
    expected.sort();
    assert_eq!(new_fails, expected);

    let out = hiyari_cmd(HOME)
        .args(["diff", old_s, new.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut want_new = vec![
        triple("public-ami", HOME, &ami),
        triple("public-snapshot", HOME, &snap),
        triple("sg-unrestricted-egress", HOME, &default_sg_home),
    ];
    want_new.sort();
    assert_eq!(ids(&d, "new"), want_new);
    assert_eq!(ids(&d, "changed"), vec![triple("root-mfa", "-", ACCOUNT)]);
    assert_eq!(d["changed"][0]["from"], "fail");
    assert_eq!(d["changed"][0]["to"], "pass");
    let resolved = ids(&d, "resolved");
    // Every us-east-1 finding is gone with the region, and the region-wide passes of the
    // checks that now fail in the home region are replaced by those fails.
    assert!(resolved.contains(&triple("guardduty-enabled", "us-east-1", "us-east-1")));
    assert!(
        resolved.iter().all(|r| r.1 == "us-east-1" || r.1 == HOME),
        "{resolved:?}"
    );
    assert!(resolved.contains(&triple("public-snapshot", HOME, HOME)));
    assert_eq!(d["summary"]["new_fail"], 3);

    for fmt in ["table", "markdown", "html"] {
        let out = hiyari_cmd(HOME)
            .args(["diff", old_s, new.to_str().unwrap(), "--format", fmt])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains(&snap), "{fmt}");
    }
}

#[test]
fn diff_refuses_other_schemas_and_other_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    let c = dir.path().join("c.json");
    let report = |account: &str| {
        serde_json::json!({
            "schema": "hiyari.report/v1", "started_at": "2026-11-22T10:00:00Z",
            "accounts": [{"id": account}], "findings": [],
        })
        .to_string()
    };
    std::fs::write(&a, report("111111111111")).unwrap();
    std::fs::write(&b, report("222222222222")).unwrap();
    std::fs::write(&c, report("111111111111").replace("report/v1", "report/v2")).unwrap();
    let run = |x: &std::path::Path, y: &std::path::Path| {
        hiyari_cmd(HOME).arg("diff").args([x, y]).output().unwrap()
    };
    let out = run(&a, &b);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "same accounts");
    let out = run(&a, &c);
    assert_eq!(out.status.code(), Some(2));
    assert_has(&stderr(&out), "schema `hiyari.report/v2`");
    let out = run(&a, &a);
    assert_eq!(out.status.code(), Some(0));
    assert_has(&stdout(&out), "Summary: 0 new");
}
