//! Answers without their data: HTTP 200 with an empty body, with an AWS error in the
//! body, without the member the API always returns, an empty region list, an answer
//! longer than hiyari reads. The real binary against moto_server through the test proxy,
//! which gives those answers in place of moto's: each affected check is an `error`
//! naming the API and what was missing, never a pass or a fail.

use crate::{scenarios, support};
use std::time::Duration;

use support::proxy::{Canned, Faults, Match, Proxy};
use support::*;

const HOME: &str = "ap-northeast-1";

const HUNG: Duration = Duration::from_secs(600);

fn scan(proxy: &Proxy, checks: &str, extra: &[&str]) -> std::process::Output {
    let mut cmd = hiyari_cmd(HOME);
    cmd.args(["audit", "--format", "json", "--checks", checks])
        .args(["--regions", HOME, "--max-attempts", "1"])
        .args(extra)
        .arg("--endpoint-url")
        .arg(&proxy.endpoint);
    run_within(&mut cmd, HUNG).output
}

/// `(check, api, code)` of every finding, which must all be errors.
fn errors(out: &std::process::Output) -> Vec<(String, String, String)> {
    let r = report(out);
    let mut v: Vec<_> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            assert_eq!(f["status"], "error", "{f:#}");
            (
                f["check"].as_str().unwrap().to_string(),
                f["evidence"]["api"].as_str().unwrap_or("-").to_string(),
                f["evidence"]["error_code"]
                    .as_str()
                    .unwrap_or("-")
                    .to_string(),
            )
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

const EMPTY_CHECKS: &str = "unused-region-spend,ses-sending-health,guardduty-enabled,\
guardduty-high-findings,cloudtrail-multi-region,security-contact";

fn empty(m: Match, content_type: &str) -> (Match, Canned) {
    (m, Canned::ok(content_type, ""))
}

#[test]
fn empty_and_error_bodied_200_answers_are_errors_never_a_pass_or_a_fail() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut moto = Moto::start();
    rt.block_on(scenarios::clean(&mut moto, HOME));
    let json = "application/x-amz-json-1.1";
    let faults = Faults {
        answer: vec![
            empty(Match::action("ce", "GetCostAndUsage"), json),
            empty(Match::action("ses", "GetAccount"), "application/json"),
            empty(
                Match::action("guardduty", "ListDetectors"),
                "application/json",
            ),
            empty(Match::action("cloudtrail", "DescribeTrails"), json),
            empty(
                Match::action("account", "GetAlternateContact"),
                "application/json",
            ),
        ],
        ..Faults::none()
    };
    let proxy = Proxy::start(&moto.endpoint, faults);
    let out = scan(&proxy, EMPTY_CHECKS, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let code = "IncompleteResponse";
    let e = |c: &str, api: &str| (c.to_string(), api.to_string(), code.to_string());
    assert_eq!(
        errors(&out),
        vec![
            e("cloudtrail-multi-region", "cloudtrail:DescribeTrails"),
            e("guardduty-enabled", "guardduty:ListDetectors"),
            e("guardduty-high-findings", "guardduty:ListDetectors"),
            e("security-contact", "account:GetAlternateContact"),
            e("ses-sending-health", "ses:GetAccount"),
            e("unused-region-spend", "ce:GetCostAndUsage"),
        ]
    );

    // AWS's error in the body of an HTTP 200, and an object without the data.
    proxy.set_faults(Faults {
        answer: vec![
            (
                Match::action("ce", "GetCostAndUsage"),
                Canned::ok(json, r#"{"__type":"AccessDeniedException","Message":"no"}"#),
            ),
            (
                Match::action("guardduty", "ListDetectors"),
                Canned::ok("application/json", r#"{"nextToken":""}"#),
            ),
        ],
        ..Faults::none()
    });
    let out = scan(&proxy, "unused-region-spend,guardduty-enabled", &[]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(
        errors(&out),
        vec![
            (
                "guardduty-enabled".into(),
                "guardduty:ListDetectors".into(),
                code.into()
            ),
            (
                "unused-region-spend".into(),
                "ce:GetCostAndUsage".into(),
                "AccessDeniedException".into()
            ),
        ]
    );
    let r = report(&out);
    let gd = first(&r["findings"], |f| f["check"] == "guardduty-enabled");
    assert!(
        gd["message"].as_str().unwrap().contains("detectorIds"),
        "names what was missing: {gd:#}"
    );

    // The same scan through moto itself passes: the errors came from the answers.
    proxy.set_faults(Faults::none());
    let out = scan(&proxy, "guardduty-enabled,cloudtrail-multi-region", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_empty_region_list_stops_the_scan_with_exit_2() {
    let moto = Moto::start();
    let xml = "text/xml;charset=UTF-8";
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            answer: vec![(
                Match::action("ec2", "DescribeRegions"),
                Canned::ok(
                    xml,
                    "<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>5e1f3c2a-0000-4000-8000-000000000009</requestId><regionInfo/></DescribeRegionsResponse>",
                ),
            )],
            ..Faults::none()
        },
    );
    let mut cmd = hiyari_cmd(HOME);
    cmd.args(["audit", "--format", "json", "--checks", "public-snapshot"])
        .arg("--endpoint-url")
        .arg(&proxy.endpoint);
    let out = run_within(&mut cmd, HUNG).output;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "no report");
    assert_has(&stderr(&out), "listed no enabled region");

    // An answer with no region list at all is the same: no scan of nothing.
    proxy.set_faults(Faults {
        answer: vec![(Match::action("ec2", "DescribeRegions"), Canned::ok(xml, ""))],
        ..Faults::none()
    });
    let out = run_within(&mut cmd, HUNG).output;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_has(&stderr(&out), "IncompleteResponse");
}

#[test]
fn an_answer_longer_than_the_limit_is_an_error_and_is_not_held() {
    let mut moto = Moto::start();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(scenarios::clean(&mut moto, HOME));
    // 40 MiB of one description: a well-formed answer, far over the limit.
    let big = format!(
        "<DescribeSecurityGroupsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>r</requestId><securityGroupInfo><item><groupId>sg-1</groupId><groupDescription>{}</groupDescription></item></securityGroupInfo></DescribeSecurityGroupsResponse>",
        "a".repeat(40 << 20)
    );
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            answer: vec![(
                Match::action("ec2", "DescribeSecurityGroups"),
                Canned::ok("text/xml;charset=UTF-8", big),
            )],
            ..Faults::none()
        },
    );
    let mut cmd = hiyari_cmd(HOME);
    cmd.args([
        "audit",
        "--format",
        "json",
        "--checks",
        "sg-unrestricted-egress",
    ])
    .args(["--regions", HOME, "--max-attempts", "1"])
    .arg("--endpoint-url")
    .arg(&proxy.endpoint);
    let m = run_within(&mut cmd, HUNG);
    assert_eq!(m.output.status.code(), Some(3), "{}", stderr(&m.output));
    assert_eq!(
        errors(&m.output),
        vec![(
            "sg-unrestricted-egress".into(),
            "ec2:DescribeSecurityGroups".into(),
            "ResponseTooLarge".into()
        )]
    );
    eprintln!("peak RSS {} KiB", m.peak_rss_kib);
}
