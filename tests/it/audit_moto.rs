//! The real hiyari binary against a real AWS API emulator (moto_server): scenarios are
//! built through the AWS API, and the exact findings and exit codes are asserted.

use crate::{scenarios, support};
use std::collections::BTreeSet;

use support::*;

const HOME: &str = "ap-northeast-1";

/// The regional checks whose APIs moto 5.2.5 does not serve, with the API and the error
/// code each reports against it: GuardDuty ListFindings and SES v2 GetAccount have no
/// route (404), EC2 Get{Snapshot,Image}BlockPublicAccessState raise NotImplemented
/// (500). Their collectors are tested with mocked responses (src/collect/).
const MOTO_UNSERVED_REGIONAL: [(&str, &str, &str); 5] = [
    (
        "guardduty-high-findings",
        "guardduty:ListFindings",
        "HTTP404",
    ),
    (
        "snapshot-block-public-access",
        "ec2:GetSnapshotBlockPublicAccessState",
        "HTTP500",
    ),
    (
        "ami-block-public-access",
        "ec2:GetImageBlockPublicAccessState",
        "HTTP500",
    ),
    ("ses-sending-health", "ses:GetAccount", "HTTP404"),
    // CloudTrail LookupEvents: NotImplemented (500).
    ("root-sign-ins", "cloudtrail:LookupEvents", "HTTP500"),
];

/// An expected error finding: (check, region, resource), API, error code (when fixed).
type ExpectedError<'a> = ((String, String, String), &'a str, Option<&'a str>);

/// Asserts the report's errors are exactly these, each naming its API (and, when given,
/// its error code).
fn assert_errors(r: &serde_json::Value, mut expected: Vec<ExpectedError<'_>>) {
    expected.sort();
    assert_eq!(
        with_status(r, "error"),
        expected.iter().map(|e| e.0.clone()).collect::<Vec<_>>()
    );
    for f in r["findings"].as_array().unwrap() {
        if f["status"] != "error" {
            continue;
        }
        let key = triple(
            f["check"].as_str().unwrap(),
            f["region"].as_str().unwrap_or("-"),
            f["resource"]["id"].as_str().unwrap(),
        );
        let (_, api, code) = expected.iter().find(|e| e.0 == key).unwrap();
        assert_eq!(f["evidence"]["api"], *api, "{f:#}");
        match code {
            Some(code) => assert_eq!(f["evidence"]["error_code"], *code, "{f:#}"),
            None => assert!(f["evidence"]["error_code"].as_str().is_some(), "{f:#}"),
        }
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

#[test]
fn breached_account_reports_every_failure_mode() {
    let rt = rt();
    let mut moto = Moto::start();
    let compute = rt.block_on(scenarios::leaked_root_key(&mut moto));
    let (ami, snap) = rt.block_on(scenarios::public_images(&moto, HOME));
    let regions = rt.block_on(scenarios::enabled_regions(&moto));
    let default_sg_sa = rt.block_on(scenarios::default_sg(&moto, "sa-east-1"));
    let default_sg_home = rt.block_on(scenarios::default_sg(&moto, HOME));
    let ssh = rt.block_on(scenarios::open_ssh(&moto, HOME));
    let public_rds = rt.block_on(scenarios::rds_snapshots(&moto, HOME));

    let out = moto.hiyari(HOME, &["audit", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let r = report(&out);

    assert_eq!(r["schema"], "hiyari.report/v1");
    let acc = &r["accounts"][0];
    assert_eq!(acc["id"], ACCOUNT);
    assert_eq!(acc["partition"], "aws");
    let scanned: Vec<String> = serde_json::from_value(acc["regions"]["scanned"].clone()).unwrap();
    assert_eq!(
        scanned, regions,
        "every enabled region of the partition is scanned"
    );
    let skipped = acc["regions"]["skipped"].as_array().unwrap();
    assert!(skipped
        .iter()
        .any(|s| s["region"] == "cn-north-1" && s["reason"].as_str().unwrap().contains("aws-cn")));
    assert!(skipped.iter().any(|s| s["region"] == "us-gov-west-1"));

    let mut expected = vec![
        triple("root-access-keys", "-", ACCOUNT),
        triple("root-mfa", "-", ACCOUNT),
        triple("iam-user-console-mfa", "-", "blog-author"),
        triple("cloudtrail-multi-region", "-", ACCOUNT),
        triple("s3-account-public-access-block", "-", ACCOUNT),
        triple("public-ami", HOME, &ami),
        triple("public-snapshot", HOME, &snap),
        triple("sg-unrestricted-egress", "sa-east-1", &default_sg_sa),
        // The instance the images came from, on the default group.
        triple("sg-unrestricted-egress", HOME, &default_sg_home),
        // The test box: SSH from anywhere, and the default egress rule.
        triple("sg-open-ingress", HOME, &ssh),
        triple("sg-unrestricted-egress", HOME, &ssh),
        triple("security-contact", "-", ACCOUNT),
        triple("unused-region-spend", "sa-east-1", "sa-east-1"),
    ];
    for id in &public_rds {
        expected.push(triple("public-rds-snapshot", HOME, id));
    }
    for region in &regions {
        expected.push(triple("guardduty-enabled", region, region));
        // moto, as AWS, makes each default VPC's group open between members and outbound.
        let default_sg = rt.block_on(scenarios::default_sg(&moto, region));
        expected.push(triple("sg-default-closed", region, &default_sg));
    }
    for id in &compute {
        expected.push(triple("unused-region-compute", "sa-east-1", id));
    }
    expected.sort();
    assert_eq!(with_status(&r, "fail"), expected);

    // What moto cannot serve is an error naming the API, never a pass or a fail:
    // the CloudWatch protocol of the Rust SDK (billing-alarm, with no budget either),
    // the credential report's <root_account> row (root-recent-use), EC2's
    // Get{Snapshot,Image}BlockPublicAccessState (HTTP 500) and SES v2 GetAccount (404),
    // in every region, and IAM ListOrganizationsFeatures (HTTP 500).
    // guardduty-high-findings has no detector to ask here: it passes.
    let mut expected_errors = vec![
        (
            triple("root-credentials-management", "-", ACCOUNT),
            "iam:ListOrganizationsFeatures",
            None,
        ),
        (
            triple("billing-alarm", "-", ACCOUNT),
            "cloudwatch:DescribeAlarms",
            None,
        ),
        (
            triple("root-recent-use", "-", ACCOUNT),
            "iam:GetCredentialReport",
            Some("NoRootAccountRow"),
        ),
    ];
    for region in &regions {
        for (check, api, code) in MOTO_UNSERVED_REGIONAL {
            if check != "guardduty-high-findings" {
                expected_errors.push((triple(check, region, region), api, Some(code)));
            }
        }
    }
    assert_errors(&r, expected_errors);
    for region in &regions {
        assert!(with_status(&r, "pass").contains(&triple(
            "guardduty-high-findings",
            region,
            region
        )));
    }

    // Each fail carries what the SIEM contract promises.
    let f = first(&r["findings"], |f| {
        f["check"] == "unused-region-compute" && f["status"] == "fail"
    });
    assert_eq!(f["severity"], "high");
    assert_eq!(f["evidence"]["instance_type"], "c4.8xlarge");
    assert!(f["evidence"]["launch_time"].as_str().is_some());
    assert_eq!(f["evidence"]["allowed_regions"], serde_json::json!([HOME]));
    assert_eq!(f["incidents"][0], "INC-2015-LEAKED-ROOT-KEY");
    assert_eq!(f["id"].as_str().unwrap().len(), 32);
    let summary = &r["summary"];
    assert_eq!(summary["fail"], expected.len());
    assert_eq!(summary["error"], 3 + 4 * regions.len());
    let spend = first(&r["findings"], |f| {
        f["check"] == "unused-region-spend" && f["status"] == "fail"
    });
    assert!(
        spend["message"]
            .as_str()
            .unwrap()
            .starts_with("4817.33 USD spent in sa-east-1 from "),
        "{spend:#}"
    );
    let ssh_fail = first(&r["findings"], |f| f["check"] == "sg-open-ingress");
    assert_eq!(
        ssh_fail["evidence"]["exposed_ports"],
        serde_json::json!([22])
    );
    assert_eq!(ssh_fail["severity"], "high");
    assert_has(&stderr(&out), "AWS API calls");
}

#[test]
fn clean_account_passes_every_check_in_every_region() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(scenarios::clean(&mut moto, HOME));
    let regions = rt.block_on(scenarios::enabled_regions(&moto));
    // root-recent-use needs the credential report's <root_account> row, which moto does
    // not write, and the checks of MOTO_UNSERVED_REGIONAL and root-credentials-management
    // call APIs moto does not serve (they are errors there: see
    // moto_unserved_checks_are_errors_never_passes).
    let out = moto.hiyari(
        HOME,
        &[
            "audit",
            "--format",
            "json",
            "--skip-checks",
            "root-recent-use,guardduty-high-findings,snapshot-block-public-access,\
             ami-block-public-access,ses-sending-health,root-credentials-management,\
             root-sign-ins",
        ],
    );
    let r = report(&out);
    assert_eq!(with_status(&r, "fail"), vec![], "{r:#}");
    assert_eq!(with_status(&r, "error"), vec![], "{r:#}");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    // One pass per account-wide check, one per region for each regional check.
    let passes = with_status(&r, "pass");
    let checks: BTreeSet<_> = passes.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(checks.len(), 18, "{checks:?}");
    assert!(checks.contains("stale-access-keys"), "{checks:?}");
    assert!(checks.contains("compromised-key-quarantine"), "{checks:?}");
    assert!(checks.contains("cloudtrail-multi-region"), "{checks:?}");
    assert!(
        checks.contains("s3-account-public-access-block"),
        "{checks:?}"
    );
    assert_eq!(passes.len(), 10 + 8 * regions.len());
    for region in &regions {
        assert!(passes.contains(&triple("guardduty-enabled", region, region)));
        assert!(passes.contains(&triple("sg-default-closed", region, region)));
        assert!(passes.contains(&triple("sg-open-ingress", region, region)));
        assert!(passes.contains(&triple("public-rds-snapshot", region, region)));
    }
    assert!(passes.contains(&triple("security-contact", "-", ACCOUNT)));
    assert!(passes.contains(&triple("unused-region-spend", "-", ACCOUNT)));
}

#[test]
fn table_is_the_default_and_collect_replays_offline() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(scenarios::leaked_root_key(&mut moto));
    let args = ["--regions", "ap-northeast-1,sa-east-1,us-east-1"];

    let table = moto.hiyari(HOME, &[&["audit"][..], &args].concat());
    assert_eq!(table.status.code(), Some(1));
    let text = stdout(&table);
    assert!(
        text.contains("CRITICAL") && text.contains("root-access-keys"),
        "{text}"
    );
    assert!(text.contains("Summary:"), "{text}");
    assert!(
        text.contains("Allowed regions for compute: ap-northeast-1"),
        "{text}"
    );
    assert!(
        !text.contains('\x1b'),
        "no colour when NO_COLOR is set or not a terminal"
    );

    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inventory.json");
    let collected = moto.hiyari(
        HOME,
        &[&["collect", "--output", inv.to_str().unwrap()][..], &args].concat(),
    );
    assert_eq!(collected.status.code(), Some(0), "{}", stderr(&collected));
    let live = report(&moto.hiyari(HOME, &[&["audit", "--format", "json"][..], &args].concat()));
    drop(moto); // offline: no emulator, no AWS
    let offline = hiyari_cmd(HOME)
        .args([
            "audit",
            "--format",
            "json",
            "--inventory",
            inv.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(offline.status.code(), Some(1), "{}", stderr(&offline));
    let offline = report(&offline);
    assert_eq!(offline["findings"], live["findings"]);
    assert_eq!(offline["accounts"], live["accounts"]);
}

#[test]
fn check_selection_fetches_only_what_it_needs_and_fail_on_gates() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(scenarios::leaked_root_key(&mut moto));
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("inv.json");
    let out = moto.hiyari(
        HOME,
        &[
            "collect",
            "--checks",
            "guardduty-enabled",
            "--regions",
            "sa-east-1",
            "--output",
            inv.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&inv).unwrap()).unwrap();
    let acc = &v["accounts"][0];
    assert_eq!(acc["iam"]["account_summary"], "not_collected");
    assert_eq!(acc["regional"]["sa-east-1"]["instances"], "not_collected");
    assert!(acc["regional"]["sa-east-1"]["guardduty_detectors"]["ok"].is_array());

    // guardduty-enabled is high: a critical threshold lets it through, a high one not.
    let base = [
        "audit",
        "--checks",
        "guardduty-enabled",
        "--regions",
        "sa-east-1",
    ];
    let out = moto.hiyari(HOME, &[&base[..], &["--fail-on", "critical"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = moto.hiyari(HOME, &[&base[..], &["--fail-on", "high"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

fn assert_usage_error(out: &std::process::Output, needle: &str) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {} stderr: {}",
        stdout(out),
        stderr(out)
    );
    let err = stderr(out);
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
    assert!(stdout(out).is_empty(), "no report on a usage error");
}

#[test]
fn bad_input_is_one_clear_line_and_exit_2() {
    let moto = Moto::start();
    assert_usage_error(
        &moto.hiyari(HOME, &["audit", "--regions", "mars-north-1"]),
        "unknown region `mars-north-1`",
    );
    assert_usage_error(
        &moto.hiyari(HOME, &["audit", "--checks", "no-such-check"]),
        "unknown check `no-such-check`",
    );
    assert_usage_error(
        &moto.hiyari(HOME, &["audit", "--format", "yaml"]),
        "invalid value 'yaml'",
    );

    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\"schema\": \"hiyari.inventory/v1\", \"accounts\": [",
    )
    .unwrap();
    let out = hiyari_cmd(HOME)
        .args(["audit", "--inventory", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_usage_error(
        &out,
        "is not a valid hiyari inventory (the file ends early, at line 1: EOF while parsing a list)",
    );
    let out = hiyari_cmd(HOME)
        .args(["audit", "--inventory", "/nonexistent/inventory.json"])
        .output()
        .unwrap();
    assert_usage_error(&out, "cannot read inventory /nonexistent/inventory.json");

    // No credentials at all.
    let out = hiyari_cmd(HOME)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .args(["audit", "--endpoint-url", &moto.endpoint])
        .output()
        .unwrap();
    assert_usage_error(
        &out,
        "error: no AWS credentials found (tried environment variables",
    );

    // No region anywhere.
    let out = hiyari_cmd(HOME)
        .env_remove("AWS_REGION")
        .args(["audit", "--endpoint-url", &moto.endpoint])
        .output()
        .unwrap();
    assert_usage_error(&out, "no AWS region is configured");
}

#[test]
fn credential_report_ages_keys_and_cannot_see_root_use_in_moto() {
    let rt = rt();
    let mut moto = Moto::start();
    rt.block_on(async {
        let iam = aws_sdk_iam::Client::new(&moto.sdk("us-east-1").await);
        for user in ["old-key", "fresh-key"] {
            iam.create_user().user_name(user).send().await.unwrap();
            iam.create_access_key()
                .user_name(user)
                .send()
                .await
                .unwrap();
        }
    });
    // Created (so last rotated) 200 days ago and never used: both limits are passed.
    moto.age_access_keys("old-key", 200);
    let out = moto.hiyari(
        HOME,
        &[
            "audit",
            "--format",
            "json",
            "--checks",
            "stale-access-keys,root-recent-use",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let r = report(&out);
    assert_eq!(
        with_status(&r, "fail"),
        vec![triple("stale-access-keys", "-", "old-key")]
    );
    assert_eq!(with_status(&r, "pass"), vec![]);
    // moto's credential report has no <root_account> row: an error, never a pass.
    assert_eq!(
        with_status(&r, "error"),
        vec![triple("root-recent-use", "-", ACCOUNT)]
    );
    let findings = r["findings"].as_array().unwrap();
    let stale = findings
        .iter()
        .find(|f| f["check"] == "stale-access-keys")
        .unwrap();
    assert_eq!(stale["severity"], "medium");
    assert_eq!(
        stale["resource"]["arn"],
        format!("arn:aws:iam::{ACCOUNT}:user/old-key")
    );
    let msg = stale["message"].as_str().unwrap();
    assert!(
        msg.contains("not rotated for 200 days") && msg.contains("never used"),
        "{msg}"
    );
    let root = findings
        .iter()
        .find(|f| f["check"] == "root-recent-use")
        .unwrap();
    assert_eq!(root["evidence"]["error_code"], "NoRootAccountRow");
}

#[test]
fn a_quarantined_user_is_a_critical_fail() {
    let rt = rt();
    let moto = Moto::start();
    rt.block_on(async {
        let iam = aws_sdk_iam::Client::new(&moto.sdk("us-east-1").await);
        for user in ["leaky", "careful"] {
            iam.create_user().user_name(user).send().await.unwrap();
        }
        // What AWS does when it finds a user's key on GitHub.
        iam.attach_user_policy()
            .user_name("leaky")
            .policy_arn("arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2")
            .send()
            .await
            .unwrap();
        // An unrelated managed policy is not a quarantine.
        iam.attach_user_policy()
            .user_name("careful")
            .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .send()
            .await
            .unwrap();
    });
    let args = [
        "audit",
        "--format",
        "json",
        "--checks",
        "compromised-key-quarantine",
    ];
    let out = moto.hiyari(HOME, &args);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let r = report(&out);
    assert_eq!(
        with_status(&r, "fail"),
        vec![triple("compromised-key-quarantine", "-", "leaky")]
    );
    assert_eq!(with_status(&r, "error"), vec![]);
    let f = &r["findings"][0];
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["resource"]["type"], "AWS::IAM::User");
    assert_eq!(
        f["evidence"]["policy_arn"],
        "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2"
    );

    // Detached: a pass for the account.
    rt.block_on(async {
        let iam = aws_sdk_iam::Client::new(&moto.sdk("us-east-1").await);
        iam.detach_user_policy()
            .user_name("leaky")
            .policy_arn("arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2")
            .send()
            .await
            .unwrap();
    });
    let out = moto.hiyari(HOME, &args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        with_status(&report(&out), "pass"),
        vec![triple("compromised-key-quarantine", "-", ACCOUNT)]
    );
}

#[test]
fn moto_unserved_checks_are_errors_never_passes() {
    let rt = rt();
    let mut moto = Moto::start();
    // GuardDuty on everywhere: ListFindings is asked in every region.
    rt.block_on(scenarios::clean(&mut moto, HOME));
    let regions = rt.block_on(scenarios::enabled_regions(&moto));
    let checks: Vec<&str> = MOTO_UNSERVED_REGIONAL.iter().map(|c| c.0).collect();
    let out = moto.hiyari(
        HOME,
        &[
            "audit",
            "--format",
            "json",
            "--max-attempts",
            "1",
            "--checks",
            &checks.join(","),
        ],
    );
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));
    let r = report(&out);
    assert_eq!(with_status(&r, "pass"), vec![]);
    assert_eq!(with_status(&r, "fail"), vec![]);
    let mut expected = Vec::new();
    for region in &regions {
        for (check, api, code) in MOTO_UNSERVED_REGIONAL {
            expected.push((triple(check, region, region), api, Some(code)));
        }
    }
    assert_errors(&r, expected);
}

#[test]
fn cloudtrail_needs_a_logging_multi_region_trail() {
    use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
    let rt = rt();
    let moto = Moto::start();
    let args = [
        "audit",
        "--format",
        "json",
        "--checks",
        "cloudtrail-multi-region",
    ];
    let message = |out: &std::process::Output| {
        report(out)["findings"][0]["message"]
            .as_str()
            .unwrap()
            .to_string()
    };

    let out = moto.hiyari(HOME, &args);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert_eq!(
        with_status(&report(&out), "fail"),
        vec![triple("cloudtrail-multi-region", "-", ACCOUNT)]
    );
    assert!(
        message(&out).contains("there is no trail"),
        "{}",
        message(&out)
    );

    // A trail of the home region alone does not cover the others.
    rt.block_on(async {
        scenarios::create_bucket(&moto, "regional-logs");
        let ct = aws_sdk_cloudtrail::Client::new(&moto.sdk(HOME).await);
        ct.create_trail()
            .name("regional")
            .s3_bucket_name("regional-logs")
            .send()
            .await
            .unwrap();
        ct.start_logging().name("regional").send().await.unwrap();
    });
    let out = moto.hiyari(HOME, &args);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert!(
        message(&out).contains("no trail is multi-region"),
        "{}",
        message(&out)
    );

    // A multi-region trail whose home is another region: read there, through its
    // shadow in the home region.
    let arn = rt.block_on(scenarios::account_trail(&moto, "eu-west-1"));
    let out = moto.hiyari(HOME, &args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let r = report(&out);
    assert_eq!(
        with_status(&r, "pass"),
        vec![triple("cloudtrail-multi-region", "-", ACCOUNT)]
    );
    assert_eq!(r["findings"][0]["evidence"]["trail_arn"], arn);

    // Write events only: read management events are not recorded.
    rt.block_on(async {
        let ct = aws_sdk_cloudtrail::Client::new(&moto.sdk("eu-west-1").await);
        ct.put_event_selectors()
            .trail_name("account-trail")
            .event_selectors(
                EventSelector::builder()
                    .read_write_type(ReadWriteType::WriteOnly)
                    .build(),
            )
            .send()
            .await
            .unwrap();
    });
    let out = moto.hiyari(HOME, &args);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert!(
        message(&out).contains("account-trail: no read management events"),
        "{}",
        message(&out)
    );

    // Stopped.
    rt.block_on(async {
        let ct = aws_sdk_cloudtrail::Client::new(&moto.sdk("eu-west-1").await);
        ct.put_event_selectors()
            .trail_name("account-trail")
            .event_selectors(EventSelector::builder().build())
            .send()
            .await
            .unwrap();
        ct.stop_logging()
            .name("account-trail")
            .send()
            .await
            .unwrap();
    });
    let out = moto.hiyari(HOME, &args);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    assert!(
        message(&out).contains("account-trail: not logging"),
        "{}",
        message(&out)
    );
}

#[test]
fn s3_account_public_access_block_needs_all_four_settings() {
    let rt = rt();
    let moto = Moto::start();
    let args = [
        "audit",
        "--format",
        "json",
        "--checks",
        "s3-account-public-access-block",
    ];
    let finding = |out: &std::process::Output| report(out)["findings"][0].clone();

    // Never configured: S3 Control answers NoSuchPublicAccessBlockConfiguration.
    let out = moto.hiyari(HOME, &args);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let f = finding(&out);
    assert_eq!(
        (f["status"].as_str(), f["severity"].as_str()),
        (Some("fail"), Some("high"))
    );
    assert_eq!(f["evidence"]["configured"], false);

    rt.block_on(scenarios::account_public_access_block(&moto, [true; 4]));
    let out = moto.hiyari(HOME, &args);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(
        with_status(&report(&out), "pass"),
        vec![triple("s3-account-public-access-block", "-", ACCOUNT)]
    );

    rt.block_on(scenarios::account_public_access_block(
        &moto,
        [true, true, false, true],
    ));
    let out = moto.hiyari(HOME, &args);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let f = finding(&out);
    assert_eq!(f["status"], "fail");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("BlockPublicPolicy off"),
        "{f:#}"
    );
    assert_eq!(f["evidence"]["block_public_policy"], false);
}
