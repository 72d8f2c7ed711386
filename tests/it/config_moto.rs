//! Configuration against moto: accepted risks gate CI without hiding findings,
//! `hiyari init` proposes allowed regions, and a full audit is provably read-only.

use crate::{scenarios, support};
use std::collections::BTreeSet;

use base64::Engine as _;
use support::*;

const HOME: &str = "ap-northeast-1";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

#[test]
fn an_accepted_risk_turns_exit_1_into_0_and_stays_visible() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(scenarios::clean(&mut moto, HOME));
    let (_ami, snap) = rt.block_on(scenarios::public_images(&moto, HOME));
    let dir = tempfile::tempdir().unwrap();
    let args = ["--regions", HOME, "--checks", "public-snapshot,root-mfa"];

    let before = moto.hiyari(HOME, &[&["audit", "--format", "json"][..], &args].concat());
    assert_eq!(before.status.code(), Some(1), "{}", stderr(&before));
    assert_eq!(
        with_status(&report(&before), "fail"),
        vec![triple("public-snapshot", HOME, &snap)]
    );

    let cfg = dir.path().join("hiyari.toml");
    std::fs::write(
        &cfg,
        format!(
            r#"
[[accept]]
check = "public-snapshot"
region = "{HOME}"
resource = "snap-*"
reason = "Public sample data set, reviewed by security"
expires = 2099-12-31

[[accept]]
check = "root-mfa"
reason = "nothing to accept here"

[[accept]]
check = "public-snapshot"
resource = "{snap}"
reason = "an old acceptance"
expires = 2020-01-01
"#
        ),
    )
    .unwrap();
    let cfg = cfg.to_str().unwrap();
    let after = moto.hiyari(
        HOME,
        &[&["audit", "--format", "json", "--config", cfg][..], &args].concat(),
    );
    assert_eq!(after.status.code(), Some(0), "{}", stderr(&after));
    let r = report(&after);
    assert_eq!(with_status(&r, "fail"), vec![]);
    assert_eq!(
        with_status(&r, "muted"),
        vec![triple("public-snapshot", HOME, &snap)]
    );
    let muted = first(&r["findings"], |f| f["status"] == "muted");
    assert_eq!(
        muted["mute_reason"],
        "Public sample data set, reviewed by security"
    );
    assert_eq!(r["summary"]["muted"], 1);
    let err = stderr(&after);
    assert!(
        err.contains("matched no failing finding") && err.contains("check root-mfa"),
        "{err}"
    );
    assert!(err.contains("expired on 2020-01-01"), "{err}");

    let table = moto.hiyari(HOME, &[&["audit", "--config", cfg][..], &args].concat());
    assert_eq!(table.status.code(), Some(0));
    let text = stdout(&table);
    // The message column wraps at the table's width: read it as flowing text.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("MUTED"), "{text}");
    assert!(flat.contains("[accepted: Public sample data set"), "{text}");
    assert!(text.contains("Warning: accepted risk at"), "{text}");
}

#[test]
fn config_errors_point_at_the_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("hiyari.toml");
    std::fs::write(
        &cfg,
        "allowed_regions = [\"us-east-1\"]\n\n[checks.public-snapshots]\nenabled = false\n",
    )
    .unwrap();
    let out = hiyari_cmd(HOME)
        .args([
            "audit",
            "--config",
            cfg.to_str().unwrap(),
            "--inventory",
            "examples/inc-2015-leaked-root-key.inventory.json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("{}:3:", cfg.display())), "{err}");
    assert!(err.contains("public-snapshots"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
}

#[test]
fn config_sets_allowed_regions_severity_and_disables_checks() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("hiyari.toml");
    std::fs::write(
        &cfg,
        "allowed_regions = [\"sa-east-1\"]\nfail_on = \"critical\"\n\n[checks.root-access-keys]\nenabled = false\n[checks.root-mfa]\nenabled = false\n[checks.iam-user-console-mfa]\nseverity = \"info\"\n",
    )
    .unwrap();
    let out = hiyari_cmd(HOME)
        .args([
            "audit",
            "--format",
            "json",
            "--config",
            cfg.to_str().unwrap(),
            "--inventory",
            "examples/inc-2015-leaked-root-key.inventory.json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let r = report(&out);
    let fails = with_status(&r, "fail");
    assert!(
        !fails
            .iter()
            .any(|f| f.0 == "root-access-keys" || f.0 == "root-mfa"),
        "disabled checks do not run"
    );
    assert!(
        !fails.iter().any(|f| f.0 == "unused-region-compute"),
        "sa-east-1 is allowed"
    );
    let mfa = first(&r["findings"], |f| f["check"] == "iam-user-console-mfa");
    assert_eq!(mfa["severity"], "info");
    assert!(
        fails.iter().any(|f| f.0 == "root-recent-use"),
        "a check that was not disabled runs"
    );
    // The fails that remain are below critical, and nothing is in error: exit 0.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn init_proposes_the_regions_where_compute_runs() {
    let rt = rt();
    let mut moto = Moto::start();
    let compute = rt.block_on(scenarios::leaked_root_key(&mut moto));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hiyari.toml");
    let f = file.to_str().unwrap();
    let out = moto.hiyari(HOME, &["init", "--output", f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("allowed_regions = [\"sa-east-1\"]"), "{text}");
    let listed = format!("sa-east-1: {} instance(s)", compute.len());
    assert_has(&stderr(&out), &listed);
    let again = moto.hiyari(HOME, &["init", "--output", f]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"));
}

/// Maps one recorded HTTP request to its IAM action.
fn action(req: &serde_json::Value) -> String {
    let headers = &req["headers"];
    let header = |name: &str| {
        headers
            .as_object()
            .unwrap()
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
            .map(str::to_string)
    };
    let auth = header("Authorization").expect("signed request");
    let service = auth
        .split("Credential=")
        .nth(1)
        .and_then(|c| c.split('/').nth(3))
        .unwrap()
        .to_string();
    let body = req["body"].as_str().unwrap_or("");
    let body = if req["body_encoded"] == true {
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(body)
                .unwrap(),
        )
        .unwrap_or_default()
    } else {
        body.to_string()
    };
    let op = if let Some(target) = header("X-Amz-Target") {
        target.rsplit('.').next().unwrap().to_string()
    } else if let Some(a) = body.split('&').find_map(|kv| kv.strip_prefix("Action=")) {
        a.to_string()
    } else {
        // REST APIs (GuardDuty, S3 Control, SES v2): method and path.
        let url = req["url"].as_str().unwrap();
        let path = url
            .split("://")
            .nth(1)
            .and_then(|u| u.split_once('/'))
            .map(|x| x.1)
            .unwrap_or("");
        let path = path.split('?').next().unwrap();
        match (
            req["method"].as_str().unwrap(),
            path.split('/').collect::<Vec<_>>().as_slice(),
        ) {
            ("GET", ["detector"]) => "ListDetectors".into(),
            ("GET", ["detector", _]) => "GetDetector".into(),
            ("POST", ["detector", _, "findings"]) => "ListFindings".into(),
            ("POST", ["detector", _, "findings", "get"]) => "GetFindings".into(),
            ("GET", ["v20180820", "configuration", "publicAccessBlock"]) => {
                "GetAccountPublicAccessBlock".into()
            }
            ("GET", ["v2", "email", "account"]) => "GetAccount".into(),
            ("POST", ["getAlternateContact"]) => "GetAlternateContact".into(),
            other => panic!("unmapped REST request {other:?}"),
        }
    };
    let service = match service.as_str() {
        "monitoring" => "cloudwatch".to_string(),
        s => s.to_string(),
    };
    // Budgets' read operations are all authorised by one IAM action.
    if service == "budgets" && op.starts_with("Describe") {
        return "budgets:ViewBudget".into();
    }
    format!("{service}:{op}")
}

#[test]
fn a_full_audit_is_read_only_and_the_policy_covers_exactly_its_calls() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(scenarios::clean(&mut moto, HOME));
    rt.block_on(scenarios::public_images(&moto, HOME));
    // Manual RDS snapshots, so that their per-snapshot attribute calls are made too.
    rt.block_on(scenarios::rds_snapshots(&moto, HOME));
    moto.start_recording();
    let out = moto.hiyari(HOME, &["audit", "--format", "json"]);
    let recorded = moto.stop_recording();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(recorded.len() > 50, "{} requests recorded", recorded.len());

    let invoked: BTreeSet<String> = recorded.iter().map(action).collect();
    let granted = policy_granting(&["policy"], &invoked);

    // moto routes no handler for the CloudWatch client's RPC v2 CBOR requests, so its
    // recorder cannot see DescribeAlarms; the billing-alarm finding shows the call was
    // made (and failed). The same holds for the REST routes moto lacks (GuardDuty
    // ListFindings, SES v2 GetAccount): their error findings name the call. GetFindings
    // follows a ListFindings that returned ids, and GetMetricData (SES reputation) a
    // GetAccount that shows SES in use, neither of which moto can answer: those two are
    // exercised by the collectors' tests with mocked responses (src/collect/).
    let r = report(&out);
    let billing = first(&r["findings"], |f| f["check"] == "billing-alarm");
    assert!(billing["evidence"]["cloudwatch_error"]
        .as_str()
        .unwrap()
        .contains("cloudwatch:DescribeAlarms"));
    let findings = r["findings"].as_array().unwrap();
    let errors_name = |check: &str, api: &str| {
        findings
            .iter()
            .any(|f| f["check"] == check && f["status"] == "error" && f["evidence"]["api"] == api)
    };
    assert!(errors_name(
        "guardduty-high-findings",
        "guardduty:ListFindings"
    ));
    assert!(errors_name("ses-sending-health", "ses:GetAccount"));
    // moto has no IAM ListOrganizationsFeatures (HTTP 500, unrecorded): its finding
    // names the call.
    assert!(errors_name(
        "root-credentials-management",
        "iam:ListOrganizationsFeatures"
    ));
    let mut seen = invoked.clone();
    for a in [
        "iam:ListOrganizationsFeatures",
        "cloudtrail:LookupEvents",
        "cloudwatch:DescribeAlarms",
        "guardduty:ListFindings",
        "ses:GetAccount",
        "guardduty:GetFindings",
        "cloudwatch:GetMetricData",
    ] {
        seen.insert(a.into());
    }
    for a in ["guardduty:GetFindings", "cloudwatch:GetMetricData"] {
        assert!(!invoked.contains(a), "{a} was recorded: update this test");
    }
    let unused: Vec<_> = granted.difference(&seen).collect();
    assert!(unused.is_empty(), "granted but never called: {unused:?}");
}

/// The new checks' settings through hiyari.toml, against moto: `also` requires more
/// contact types, `require_hardware` reads the virtual MFA devices (the root user's MFA
/// here is not one of them), and a contact type AWS does not have is refused.
#[test]
fn check_settings_of_contacts_and_root_mfa() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(scenarios::clean(&mut moto, HOME));
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("hiyari.toml");
    let checks = "security-contact,root-mfa";
    let audit = |moto: &Moto, toml: &str| {
        std::fs::write(&cfg, toml).unwrap();
        let out = moto.hiyari(
            HOME,
            &[
                "audit",
                "--format",
                "json",
                "--checks",
                checks,
                "--config",
                cfg.to_str().unwrap(),
            ],
        );
        (out.status.code(), report(&out))
    };
    let (code, r) = audit(&moto, "");
    assert_eq!(code, Some(0));
    assert_eq!(with_status(&r, "pass").len(), 2);

    let (code, r) = audit(
        &moto,
        "[checks.security-contact]\nalso = [\"BILLING\"]\n[checks.root-mfa]\nrequire_hardware = true\n",
    );
    assert_eq!(code, Some(1));
    assert_eq!(
        with_status(&r, "fail"),
        vec![triple("security-contact", "-", ACCOUNT)]
    );
    let findings = r["findings"].as_array().unwrap();
    let contact = findings
        .iter()
        .find(|f| f["check"] == "security-contact")
        .unwrap();
    assert_eq!(
        contact["evidence"]["missing"],
        serde_json::json!(["BILLING"])
    );
    // The operator's virtual device is listed, and it is not the root user's.
    let mfa = findings.iter().find(|f| f["check"] == "root-mfa").unwrap();
    assert_eq!(mfa["status"], "pass", "{mfa:#}");
    assert_eq!(
        mfa["evidence"]["root_virtual_mfa_devices"],
        serde_json::json!([])
    );

    std::fs::write(&cfg, "[checks.security-contact]\nalso = [\"PAGER\"]\n").unwrap();
    let out = moto.hiyari(
        HOME,
        &[
            "audit",
            "--checks",
            checks,
            "--config",
            cfg.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(&stderr(&out), "PAGER");
}
