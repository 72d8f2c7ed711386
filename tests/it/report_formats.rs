//! Every report format on one fixed report, built in code with fixed times: snapshots
//! (insta) so changes to a format show in review, and a check of each format by an
//! independent implementation of it:
//! - SARIF against the official SARIF 2.1.0 JSON schema, with Python `jsonschema`;
//! - OCSF lines with `py-ocsf-models` (every line must be a `ComplianceFinding`);
//! - JUnit read by `junitparser`, a real consumer, with the expected counts;
//! - ASFF handed to `BatchImportFindings` of moto_server through boto3 (whose client
//!   validates the request against the Security Hub service model) and read back;
//! - CSV read by Python's `csv` module;
//! - Markdown rendered by pulldown-cmark (CommonMark);
//! - HTML loaded by headless Chromium, and the checklist read from the rendered DOM.
//!
//! The fixture is hostile on purpose: resource names, messages and reasons carry
//! markup, formulas, control characters and bidirectional overrides, as whoever
//! controls an account can.
//!
//! The renderers are compiled in from `src/report/` as they are (they depend only on
//! `hiyari_checks` and on each other); one more test runs the real binary to check that
//! `--output FORMAT=PATH` writes several formats from one scan.

use crate::{asff, common, csv, html, json, junit, markdown, ocsf, sarif, support, table};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hiyari_checks::evaluate::{sort_findings, AllowedRegions};
use hiyari_checks::inventory::{Regions, SkippedRegion};
use hiyari_checks::{
    find_check, CollectError, Finding, FindingBuilder, Report, ReportAccount, Resource, Status,
    Summary,
};
use serde_json::{json, Value};

use common::ReportContext;

const MAIN: &str = "123456789012";
const OTHER: &str = "210987654321";

/// A Name tag as an attacker would write it: markup, a formula, a Markdown link, a
/// mention, a line break, a bidirectional override, CDATA's end, an entity, an escape
/// sequence.
const HOSTILE: &str = "<script>alert('x')</script> | =1+1 [link](http://evil.example) `code` @everyone\nsecond line\u{202E}gpj.exe ]]> &amp; \x1b[31m";
/// An IAM user name: IAM allows `+=,.@_-`, enough for a spreadsheet formula.
const FORMULA_USER: &str = "=1+2,@x";

fn builder(check: &str, account: &'static str) -> FindingBuilder<'static> {
    let meta = find_check(check).expect("a registered check").meta();
    FindingBuilder::new(meta, account, "aws")
}

fn no_evidence() -> serde_json::Map<String, Value> {
    serde_json::Map::new()
}

fn muted(mut f: Finding, reason: &str) -> Finding {
    f.status = Status::Muted;
    f.mute_reason = Some(reason.to_string());
    f
}

/// The fixed report: two accounts, every status, every severity a check has, hostile
/// text from the account in ids, messages, evidence and reasons.
fn fixture() -> Report {
    let mut findings = Vec::new();
    let a = MAIN;

    let b = builder("root-access-keys", a);
    findings.push(b.fail(
        None,
        b.account_resource(),
        format!("The root user of account {a} has an access key"),
        no_evidence(),
    ));
    let b = builder("root-mfa", a);
    findings.push(b.pass(
        None,
        b.account_resource(),
        format!("The root user of account {a} has MFA"),
        no_evidence(),
    ));
    let b = builder("iam-user-console-mfa", a);
    for (user, mfa) in [(FORMULA_USER, false), ("alice", true)] {
        let res = Resource::new(
            "AWS::IAM::User",
            user,
            Some(format!("arn:aws:iam::{a}:user/{user}")),
        );
        if mfa {
            findings.push(b.pass(None, res, format!("User {user} has MFA"), no_evidence()));
        } else {
            findings.push(b.fail(
                None,
                res,
                format!("User {user} can sign in to the console without MFA"),
                no_evidence(),
            ));
        }
    }
    let b = builder("billing-alarm", a);
    findings.push(b.error(
        None,
        b.account_resource(),
        &CollectError::new(
            "cloudwatch:DescribeAlarms",
            "AccessDenied",
            "User: arn:aws:iam::123456789012:role/auditor is not authorized <img src=x onerror=alert(1)>",
        ),
    ));
    let b = builder("guardduty-enabled", a);
    findings.push(b.pass(
        Some("ap-northeast-1"),
        Resource::region("ap-northeast-1"),
        "GuardDuty detector 12abc is enabled in ap-northeast-1",
        no_evidence(),
    ));
    findings.push(b.fail(
        Some("sa-east-1"),
        Resource::region("sa-east-1"),
        "GuardDuty is not enabled in sa-east-1: no detector",
        no_evidence(),
    ));
    findings.push(b.error(
        Some("us-east-1"),
        Resource::region("us-east-1"),
        &CollectError::new(
            "guardduty:ListDetectors",
            "TimeoutError",
            "the call timed out",
        ),
    ));
    let b = builder("public-ami", a);
    findings.push(muted(
        b.fail(
            Some("ap-northeast-1"),
            Resource::new(
                "AWS::EC2::Image",
                "ami-0123456789abcdef0",
                Some("arn:aws:ec2:ap-northeast-1::image/ami-0123456789abcdef0".into()),
            ),
            "AMI ami-0123456789abcdef0 in ap-northeast-1 can be launched by any AWS account",
            no_evidence(),
        ),
        "Published on purpose: our <b>public</b> base image | see \"wiki\"",
    ));
    let b = builder("public-snapshot", a);
    findings.push(b.fail(
        Some("ap-northeast-1"),
        Resource::new(
            "AWS::EC2::Snapshot",
            "snap-0abc",
            Some(b.arn("ec2", "ap-northeast-1", "snapshot/snap-0abc")),
        ),
        "Snapshot snap-0abc in ap-northeast-1 can be restored by any AWS account",
        hiyari_checks::evidence! {"description" => HOSTILE, "volume_size_gib" => 8},
    ));
    findings.push(b.pass(
        Some("sa-east-1"),
        Resource::region("sa-east-1"),
        "No snapshot owned in sa-east-1 is restorable by everyone",
        no_evidence(),
    ));
    let b = builder("unused-region-compute", a);
    findings.push(b.fail(
        Some("sa-east-1"),
        Resource::new(
            "AWS::EC2::Instance",
            "i-0f00",
            Some(b.arn("ec2", "sa-east-1", "instance/i-0f00")),
        ),
        format!("Instance i-0f00 (Name \"{HOSTILE}\") is running in sa-east-1, which is not an allowed region"),
        hiyari_checks::evidence! {"name" => HOSTILE, "state" => "running"},
    ));
    findings.push(b.fail(
        Some("sa-east-1"),
        Resource::new(
            "AWS::EC2::SpotInstanceRequest",
            "sir-7k2",
            Some(b.arn("ec2", "sa-east-1", "spot-instances-request/sir-7k2")),
        ),
        "Spot request sir-7k2 is active in sa-east-1, which is not an allowed region",
        no_evidence(),
    ));
    findings.push(b.pass(
        Some("ap-northeast-1"),
        Resource::region("ap-northeast-1"),
        "ap-northeast-1 is an allowed region: compute there is expected",
        no_evidence(),
    ));
    let b = builder("sg-unrestricted-egress", a);
    findings.push(b.fail(
        Some("sa-east-1"),
        Resource::new(
            "AWS::EC2::SecurityGroup",
            "sg-0bad",
            Some(b.arn("ec2", "sa-east-1", "security-group/sg-0bad")),
        ),
        "Security group sg-0bad in sa-east-1 is attached to 1 network interface(s) and allows all traffic out to 0.0.0.0/0",
        hiyari_checks::evidence! {"group_name" => "-2+3 \"quoted\", name"},
    ));
    for r in ["ap-northeast-1", "us-east-1"] {
        findings.push(b.pass(
            Some(r),
            Resource::region(r),
            format!("No security group in {r} allows all traffic out"),
            no_evidence(),
        ));
    }
    // GuardDuty looked in one region and was off in the two others: the check had
    // nothing to inspect there, and says so in the evidence.
    let b = builder("guardduty-high-findings", a);
    findings.push(b.pass(
        Some("ap-northeast-1"),
        Resource::region("ap-northeast-1"),
        "GuardDuty has no unarchived finding of severity 7 or more in ap-northeast-1",
        hiyari_checks::evidence! {"detectors" => ["9f0"]},
    ));
    for r in ["sa-east-1", "us-east-1"] {
        findings.push(b.nothing_to_inspect(
            Some(r),
            Resource::region(r),
            format!("GuardDuty has no detector in {r}, so it has no findings to read"),
            "GuardDuty is off",
            hiyari_checks::evidence! {"detectors" => Vec::<String>::new()},
        ));
    }

    let o = OTHER;
    // SES is not in use anywhere in the other account: nothing to check at all.
    let b = builder("ses-sending-health", o);
    findings.push(b.nothing_to_inspect(
        Some("us-east-1"),
        Resource::region("us-east-1"),
        "SES is not in use in us-east-1 (no production access, nothing sent in the last 24 hours, status HEALTHY)",
        "SES is not in use",
        hiyari_checks::evidence! {"offered" => true},
    ));
    let b = builder("root-access-keys", o);
    findings.push(b.pass(
        None,
        b.account_resource(),
        format!("The root user of account {o} has no access key"),
        no_evidence(),
    ));
    let b = builder("root-mfa", o);
    findings.push(b.fail(
        None,
        b.account_resource(),
        format!("The root user of account {o} has no MFA device"),
        no_evidence(),
    ));
    let b = builder("guardduty-enabled", o);
    findings.push(b.pass(
        Some("us-east-1"),
        Resource::region("us-east-1"),
        "GuardDuty detector 9f0 is enabled in us-east-1",
        no_evidence(),
    ));

    sort_findings(&mut findings);
    Report {
        tool_version: "0.1.0".into(),
        started_at: "2026-11-22T10:00:00Z".into(),
        finished_at: "2026-11-22T10:00:03Z".into(),
        collected_at: Some("2026-11-21T23:40:00Z".into()),
        accounts: vec![
            ReportAccount {
                id: MAIN.into(),
                partition: "aws".into(),
                principal: format!("arn:aws:iam::{MAIN}:role/auditor"),
                regions: Regions {
                    scanned: vec![
                        "ap-northeast-1".into(),
                        "sa-east-1".into(),
                        "us-east-1".into(),
                    ],
                    skipped: vec![
                        SkippedRegion {
                            region: "af-south-1".into(),
                            reason: "not opted in (OptInStatus not-opted-in)".into(),
                        },
                        SkippedRegion {
                            region: "me-south-1".into(),
                            reason: "not opted in (OptInStatus not-opted-in)".into(),
                        },
                        SkippedRegion {
                            region: "cn-north-1".into(),
                            reason: "in partition aws-cn, not aws".into(),
                        },
                    ],
                },
                allowed_regions: Some(AllowedRegions {
                    regions: vec!["ap-northeast-1".into()],
                    source: "--allowed-regions".into(),
                }),
                home_region: None,
                error: None,
            },
            ReportAccount {
                id: OTHER.into(),
                partition: "aws".into(),
                principal: format!("arn:aws:iam::{OTHER}:role/OrganizationAccountAccessRole"),
                regions: Regions {
                    scanned: vec!["us-east-1".into()],
                    skipped: vec![],
                },
                allowed_regions: None,
                home_region: None,
                error: None,
            },
        ],
        summary: Summary::of(&findings),
        findings,
        warnings: vec![],
    }
}

fn context() -> ReportContext {
    ReportContext {
        config: None,
        sarif_location: Some(".github/workflows/hiyari.yml".into()),
        home_regions: BTreeMap::from([(MAIN.to_string(), "ap-northeast-1".to_string())]),
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a Python script with the project's test Python (moto and the validators
/// installed) and returns what it printed as JSON.
fn python(script: &str, args: &[&str]) -> Value {
    let out = Command::new(support::python())
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "python failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "python printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn with_status<'a>(report: &'a Report, account: &str, status: Status) -> Vec<&'a Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.account == account && f.status == status)
        .collect()
}

// ---------------------------------------------------------------- snapshots

#[test]
fn snapshots_of_every_format() {
    let r = fixture();
    let ctx = context();
    insta::assert_snapshot!("json", json::render(&r));
    insta::assert_snapshot!("ocsf", ocsf::render(&r));
    insta::assert_snapshot!("sarif", sarif::render(&r, &ctx));
    insta::assert_snapshot!("junit", junit::render(&r));
    insta::assert_snapshot!("asff", asff::render(&r, &ctx));
    insta::assert_snapshot!("csv", csv::render(&r));
    insta::assert_snapshot!("markdown", markdown::render(&r, &ctx));
    insta::assert_snapshot!("html", html::render(&r, &ctx));
}

/// The JSON report read back through the v1 reading DTOs is the report that was written:
/// every finding (muted, marked against a baseline, with evidence), account (skipped
/// regions, an account that could not be audited) and warning. `allowed_regions` is not
/// in the contract, so it does not come back.
#[test]
fn json_reads_back_into_the_report_it_was_rendered_from() {
    let mut r = fixture_with_warnings();
    let f = r
        .findings
        .iter_mut()
        .find(|f| f.status == Status::Fail)
        .unwrap();
    f.status = Status::Muted;
    f.mute_reason = Some("accepted <for now>".into());
    for (i, f) in r.findings.iter_mut().enumerate() {
        f.baseline = match i % 3 {
            0 => Some(hiyari_checks::Baseline::New),
            1 => Some(hiyari_checks::Baseline::Existing),
            _ => None,
        };
    }
    r.summary = Summary::of(&r.findings);
    r.accounts[1].error = Some(CollectError::new(
        "sts:AssumeRole",
        "AccessDenied",
        "not authorized",
    ));
    let text = json::render(&r);
    let back = json::read_str(&text).unwrap();
    let mut expected = r.clone();
    for a in &mut expected.accounts {
        a.allowed_regions = None;
    }
    assert_eq!(back, expected);
    assert_eq!(json::render(&back), text);

    // Without what v1 added later (no `collected_at`, no `warnings`, no `baseline`), a
    // report still reads.
    let mut old: Value = serde_json::from_str(&text).unwrap();
    let o = old.as_object_mut().unwrap();
    o.remove("collected_at");
    o.remove("warnings");
    for f in o["findings"].as_array_mut().unwrap() {
        f.as_object_mut().unwrap().remove("baseline");
    }
    let back = json::read_str(&old.to_string()).unwrap();
    assert_eq!(back.collected_at, None);
    assert!(back.warnings.is_empty());
    assert!(back.findings.iter().all(|f| f.baseline.is_none()));
}

// ---------------------------------------------------------------- table

/// The table at 80 and 120 columns: it fits (every line), no check id is ever broken
/// across lines, fails, errors and muted findings are listed one by one, and passes
/// are one line per check, which says where a check had nothing to inspect.
#[test]
fn table_fits_80_and_120_columns() {
    let r = fixture();
    // 40 is the narrowest hiyari lays out for.
    for width in [40, 80, 120] {
        let text = table::render(
            &r,
            &table::TableOptions {
                color: false,
                show_pass: false,
                width,
            },
        );
        for line in text.lines() {
            assert!(
                line.chars().count() <= width,
                "{width} columns, line of {}: {line:?}\n{text}",
                line.chars().count()
            );
        }
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        // Every check id is whole on some line; every non-pass finding has its row.
        for f in &r.findings {
            assert!(
                text.lines()
                    .any(|l| l.split_whitespace().any(|w| w == f.check)),
                "{} broken at {width}:\n{text}",
                f.check
            );
        }
        let rows = |status: &str| {
            text.lines()
                .filter(|l| l.split_whitespace().next() == Some(status))
                .count()
        };
        let count = |s: Status| r.findings.iter().filter(|f| f.status == s).count();
        assert_eq!(rows("FAIL"), count(Status::Fail), "{text}");
        assert_eq!(rows("ERROR"), count(Status::Error), "{text}");
        assert_eq!(rows("MUTED"), count(Status::Muted), "{text}");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("guardduty-high-findings verified in ap-northeast-1; nothing to check in 2 regions: GuardDuty is off"),
            "{text}"
        );
        insta::assert_snapshot!(format!("table_{width}"), text);
    }
    // --show-pass: every pass has its own row again.
    let all = table::render(
        &r,
        &table::TableOptions {
            color: false,
            show_pass: true,
            width: 120,
        },
    );
    let passes = r
        .findings
        .iter()
        .filter(|f| f.status == Status::Pass)
        .count();
    let rows = all
        .lines()
        .filter(|l| matches!(l.split_whitespace().next(), Some("pass" | "n/a")))
        .count();
    assert_eq!(rows, passes, "{all}");
}

// ---------------------------------------------------------------- SARIF

const SARIF_VALIDATE: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
V = jsonschema.validators.validator_for(schema)
V.check_schema(schema)
v = V(schema, format_checker=V.FORMAT_CHECKER)
errors = [f"{list(e.absolute_path)}: {e.message}" for e in v.iter_errors(doc)]
broken = json.loads(json.dumps(doc))
broken["runs"][0]["results"][0]["level"] = "fatal"
del broken["runs"][0]["tool"]["driver"]["name"]
print(json.dumps({"validator": V.__name__, "errors": errors,
                  "broken_errors": len(list(v.iter_errors(broken)))}))
"#;

#[test]
fn sarif_is_valid_against_the_official_schema_and_fits_github() {
    let r = fixture();
    let text = sarif::render(&r, &context());
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hiyari.sarif", &text);
    let schema = root().join("tests/fixtures/sarif-schema-2.1.0.json");
    assert!(
        schema.exists(),
        "the SARIF schema is expected at {}",
        schema.display()
    );
    let v = python(
        SARIF_VALIDATE,
        &[schema.to_str().unwrap(), path.to_str().unwrap()],
    );
    assert_eq!(v["validator"], "Draft4Validator");
    assert_eq!(v["errors"], json!([]), "SARIF schema errors");
    assert!(
        v["broken_errors"].as_u64().unwrap() >= 2,
        "the validator must reject a broken log: {v}"
    );

    // GitHub's rules.
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2, "one run per account");
    let ids: BTreeSet<&str> = runs
        .iter()
        .map(|run| run["automationDetails"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        BTreeSet::from(["hiyari/123456789012/", "hiyari/210987654321/"])
    );
    for (run, acc) in runs.iter().zip([MAIN, OTHER]) {
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for rule in rules {
            for key in ["id", "shortDescription", "fullDescription", "help"] {
                assert!(!rule[key].is_null(), "rule {} has no {key}", rule["id"]);
            }
            assert!(rule["properties"]["security-severity"].is_string());
        }
        let fails = with_status(&r, acc, Status::Fail);
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), fails.len(), "one result per fail of {acc}");
        for (res, f) in results.iter().zip(&fails) {
            assert_eq!(res["ruleId"], f.check.as_ref());
            assert_eq!(
                rules[res["ruleIndex"].as_u64().unwrap() as usize]["id"],
                f.check.as_ref()
            );
            assert_eq!(
                res["partialFingerprints"]["primaryLocationLineHash"],
                f.id.as_str()
            );
            let loc = &res["locations"][0]["physicalLocation"];
            assert_eq!(
                loc["artifactLocation"]["uri"],
                ".github/workflows/hiyari.yml"
            );
            assert_eq!(loc["region"]["startLine"], 1);
            // The ARN, or for a region-wide result (which has none) the region.
            let named = common::resource_name(f);
            assert!(res["message"]["text"].as_str().unwrap().contains(named));
            assert_eq!(
                res["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
                named
            );
            assert!(["9.5", "8.0", "5.5", "3.0"]
                .contains(&res["properties"]["security-severity"].as_str().unwrap()));
        }
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        assert_eq!(notes.len(), with_status(&r, acc, Status::Error).len());
    }
}

// ---------------------------------------------------------------- OCSF

const OCSF_VALIDATE: &str = r#"
import json, sys
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
from py_ocsf_models.objects.cloud import Cloud
import pydantic

# OCSF 1.3 attributes that py-ocsf-models 0.10.0 does not declare on these classes:
# the cloud profile's `cloud` (validated with its own model) and the compliance
# object's `status` and `status_detail` captions. Every other attribute must come back
# out of the model unchanged, which proves the model read it.
UNMODELLED = [("cloud",), ("compliance", "status"), ("compliance", "status_detail")]
out = []
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    ev = json.loads(line)
    model = ComplianceFinding.model_validate(ev)
    Cloud.model_validate(ev["cloud"])
    expected = json.loads(line)
    for path in UNMODELLED:
        parent = expected
        for key in path[:-1]:
            parent = parent[key]
        parent.pop(path[-1], None)
    dumped = model.model_dump(mode="json", exclude_none=True)
    if dumped != expected:
        raise SystemExit(f"line {n} changed through the model:\n{json.dumps(dumped, sort_keys=True)}\n{json.dumps(expected, sort_keys=True)}")
    out.append({"uid": model.finding_info.uid, "class_uid": int(model.class_uid),
                "type_uid": int(model.type_uid), "severity_id": int(model.severity_id),
                "status_id": int(model.status_id), "compliance": int(model.compliance.status_id),
                "control": model.compliance.control, "account": ev["cloud"]["account"]["uid"]})
bad = json.loads(line)
del bad["finding_info"]
bad["severity_id"] = "bogus"
try:
    ComplianceFinding.model_validate(bad)
    rejected = False
except pydantic.ValidationError:
    rejected = True
print(json.dumps({"events": out, "broken_rejected": rejected}))
"#;

#[test]
fn ocsf_lines_are_compliance_findings_for_py_ocsf_models() {
    let r = fixture();
    let text = ocsf::render(&r);
    assert_eq!(
        text.lines().count(),
        r.findings.len(),
        "one line per finding"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hiyari.ocsf.jsonl", &text);
    let v = python(OCSF_VALIDATE, &[path.to_str().unwrap()]);
    assert_eq!(
        v["broken_rejected"], true,
        "the model must reject a broken event"
    );
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), r.findings.len());
    for (e, f) in events.iter().zip(&r.findings) {
        let severity_id = match f.severity {
            hiyari_checks::Severity::Info => 1,
            hiyari_checks::Severity::Low => 2,
            hiyari_checks::Severity::Medium => 3,
            hiyari_checks::Severity::High => 4,
            hiyari_checks::Severity::Critical => 5,
        };
        let (status_id, compliance) = match f.status {
            Status::Pass => (1, 1),
            Status::Fail => (1, 3),
            Status::Muted => (3, 3),
            Status::Error => (1, 0),
        };
        assert_eq!(
            e,
            &json!({
                "uid": f.id, "class_uid": 2003, "type_uid": 200301, "severity_id": severity_id,
                "status_id": status_id, "compliance": compliance, "control": f.check,
                "account": f.account,
            })
        );
    }
}

// ---------------------------------------------------------------- JUnit

const JUNIT_READ: &str = r#"
import json, sys
from junitparser import JUnitXml
xml = JUnitXml.fromfile(sys.argv[1])
declared = [xml.tests, xml.failures, xml.errors, xml.skipped]
suites = []
for suite in xml:
    cases = [{"name": c.name, "classname": c.classname,
              "result": [type(res).__name__ for res in c.result],
              "message": [res.message for res in c.result]} for c in suite]
    suites.append({"name": suite.name,
                   "declared": [suite.tests, suite.failures, suite.errors, suite.skipped],
                   "cases": cases})
xml.update_statistics()
print(json.dumps({"declared": declared,
                  "counted": [xml.tests, xml.failures, xml.errors, xml.skipped],
                  "suites": suites}))
"#;

#[test]
fn junit_is_read_by_junitparser_with_the_expected_counts() {
    let r = fixture();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hiyari.junit.xml", &junit::render(&r));
    let v = python(JUNIT_READ, &[path.to_str().unwrap()]);
    let s = &r.summary;
    let totals = json!([r.findings.len(), s.fail, s.error, s.muted]);
    assert_eq!(v["declared"], totals);
    assert_eq!(v["counted"], totals, "junitparser's own count");

    let suites = v["suites"].as_array().unwrap();
    let checks = common::checks_in(&r);
    assert_eq!(
        suites
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect::<Vec<_>>(),
        checks,
        "one suite per check"
    );
    for suite in suites {
        // Consumers merge cases of the same name within a suite.
        let mut names = BTreeSet::new();
        let check = suite["name"].as_str().unwrap();
        let findings: Vec<&Finding> = r.findings.iter().filter(|f| f.check == check).collect();
        let count = |st: Status| findings.iter().filter(|f| f.status == st).count();
        assert_eq!(
            suite["declared"],
            json!([
                findings.len(),
                count(Status::Fail),
                count(Status::Error),
                count(Status::Muted)
            ])
        );
        let cases = suite["cases"].as_array().unwrap();
        assert_eq!(cases.len(), findings.len());
        for (c, f) in cases.iter().zip(&findings) {
            let expected: &[&str] = match f.status {
                Status::Pass => &[],
                Status::Fail => &["Failure"],
                Status::Error => &["Error"],
                Status::Muted => &["Skipped"],
            };
            assert_eq!(c["result"], json!(expected), "{c}");
            let name = c["name"].as_str().unwrap();
            assert!(
                name.contains(&f.resource.id),
                "the resource is in the name: {name}"
            );
            assert!(
                names.insert(name.to_string()),
                "case names are unique: {name}"
            );
            if f.status == Status::Muted {
                let reason = f.mute_reason.as_deref().unwrap();
                assert_eq!(c["message"][0], format!("accepted: {reason}"));
            }
        }
    }
    // The hostile Name tag came through as text, its escape sequence made visible.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains('\x1b') && !text.contains('\u{202E}'));
}

// ---------------------------------------------------------------- ASFF

const ASFF_IMPORT: &str = r#"
import json, re, sys
import boto3
from botocore.exceptions import ParamValidationError

endpoint, path = sys.argv[1], sys.argv[2]
findings = json.load(open(path, encoding="utf-8"))
session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
def client(region):
    return session.client("securityhub", region_name=region, endpoint_url=endpoint)

# botocore validates required members, types, lengths and unknown keys; walk the
# service model for what it leaves out (enums and patterns).
model = client("us-east-1").meta.service_model
shape = model.operation_model("BatchImportFindings").input_shape.members["Findings"].member
problems = []
def walk(v, sh, where):
    t = sh.type_name
    if t == "structure":
        for k in sh.required_members:
            if k not in v:
                problems.append(f"{where}: missing {k}")
        for k, x in v.items():
            if k not in sh.members:
                problems.append(f"{where}: unknown {k}")
            else:
                walk(x, sh.members[k], f"{where}.{k}")
    elif t == "list":
        for i, x in enumerate(v):
            walk(x, sh.member, f"{where}[{i}]")
    elif t == "map":
        for k, x in v.items():
            walk(k, sh.key, f"{where} key {k}")
            walk(x, sh.value, f"{where}[{k}]")
    elif t == "string":
        if sh.enum and v not in sh.enum:
            problems.append(f"{where}: {v!r} not in {sh.enum}")
        pattern = sh.metadata.get("pattern")
        if pattern and not re.fullmatch(pattern, v, re.DOTALL):
            problems.append(f"{where}: {v!r} does not match {pattern}")
for i, f in enumerate(findings):
    walk(f, shape, f"[{i}]")

by_region = {}
for f in findings:
    by_region.setdefault(f["ProductArn"].split(":")[3], []).append(f)
back = []
for region, batch in sorted(by_region.items()):
    c = client(region)
    for i in range(0, len(batch), 100):
        resp = c.batch_import_findings(Findings=batch[i:i + 100])
        assert resp["FailedCount"] == 0 and resp["SuccessCount"] == len(batch[i:i + 100]), resp
    token = None
    while True:
        kw = {"MaxResults": 100}
        if token:
            kw["NextToken"] = token
        page = c.get_findings(**kw)
        for f in page["Findings"]:
            back.append({"region": region, "Id": f["Id"], "GeneratorId": f["GeneratorId"],
                         "AwsAccountId": f["AwsAccountId"], "Compliance": f["Compliance"]["Status"],
                         "Workflow": f["Workflow"]["Status"], "Severity": f["Severity"]["Label"],
                         "Description": f["Description"], "Resource": f["Resources"][0]["Id"]})
        token = page.get("NextToken")
        if not token:
            break

rejected = []
for broken in ({**findings[0], "Bogus": 1}, {k: v for k, v in findings[0].items() if k != "Title"}):
    try:
        client("us-east-1").batch_import_findings(Findings=[broken])
        rejected.append(False)
    except ParamValidationError:
        rejected.append(True)
print(json.dumps({"problems": problems, "back": back, "rejected": rejected}))
"#;

#[test]
fn asff_imports_into_security_hub_and_reads_back() {
    let r = fixture();
    let text = asff::render(&r, &context());
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hiyari.asff.json", &text);
    let moto = support::Moto::start();
    let v = python(ASFF_IMPORT, &[&moto.endpoint, path.to_str().unwrap()]);
    assert_eq!(v["problems"], json!([]), "ASFF against the service model");
    assert_eq!(v["rejected"], json!([true, true]), "the client validates");

    let mut back: Vec<Value> = v["back"].as_array().unwrap().clone();
    back.sort_by_key(|b| b["Id"].as_str().unwrap().to_string());
    let mut expected: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            let (compliance, workflow) = match f.status {
                Status::Pass => ("PASSED", "RESOLVED"),
                Status::Fail => ("FAILED", "NEW"),
                Status::Muted => ("FAILED", "SUPPRESSED"),
                Status::Error => ("NOT_AVAILABLE", "NEW"),
            };
            let severity = if f.status == Status::Pass {
                "INFORMATIONAL".to_string()
            } else {
                f.severity.as_str().to_uppercase()
            };
            json!({
                // The home region of the main account; the other account has none in
                // the context, so its first scanned region.
                "region": if f.account == MAIN { "ap-northeast-1" } else { "us-east-1" },
                "Id": f.id, "GeneratorId": f.check, "AwsAccountId": f.account,
                "Compliance": compliance, "Workflow": workflow, "Severity": severity,
                "Description": f.message, "Resource": common::resource_name(f),
            })
        })
        .collect();
    expected.sort_by_key(|b| b["Id"].as_str().unwrap().to_string());
    assert_eq!(back, expected);
}

// ---------------------------------------------------------------- CSV

const CSV_READ: &str = r#"
import csv, json, sys
print(json.dumps(list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8"), strict=True))))
"#;

#[test]
fn csv_reads_back_and_never_starts_a_formula() {
    let r = fixture();
    let text = csv::render(&r);
    assert!(text.ends_with("\r\n"), "RFC 4180 line ends");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hiyari.csv", &text);
    let rows = python(CSV_READ, &[path.to_str().unwrap()]);
    let rows: Vec<Vec<String>> = serde_json::from_value(rows).unwrap();
    assert_eq!(rows[0], csv::HEADER);
    assert_eq!(
        rows.len(),
        r.findings.len() + 1,
        "a header and one row per finding"
    );
    for (row, f) in rows[1..].iter().zip(&r.findings) {
        assert_eq!(row.len(), csv::HEADER.len());
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a formula cell: {cell:?}"
            );
        }
        assert_eq!(row[0], f.account);
        assert_eq!(row[2], f.check);
        assert_eq!(row[4], f.status.as_str());
        assert_eq!(row[13], f.id);
    }
    let formula = rows
        .iter()
        .find(|row| row[2] == "iam-user-console-mfa" && row[4] == "fail")
        .unwrap();
    assert_eq!(formula[7], format!("'{FORMULA_USER}"));
    let hostile = rows.iter().find(|row| row[7] == "i-0f00").unwrap();
    assert!(hostile[9].contains("<script>alert('x')</script>"));
    assert!(hostile[9].contains("\\u{a}second line"), "{}", hostile[9]);
}

// ---------------------------------------------------------------- Markdown

#[test]
fn markdown_checklist_renders_without_markup_from_the_account() {
    use pulldown_cmark::{html, Options, Parser};
    let r = fixture();
    let md = markdown::render(&r, &context());
    let mut out = String::new();
    let opts = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    html::push_html(&mut out, Parser::new_ext(&md, opts));

    for tag in ["<script", "<img", "<a ", "<b>", "<del", "<em>code"] {
        assert!(!out.contains(tag), "{tag} in the rendered Markdown:\n{out}");
    }
    assert!(
        out.contains("&lt;script&gt;alert('x')&lt;/script&gt;")
            || out.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
    );
    assert_eq!(
        out.matches("<table>").count(),
        r.accounts.len() + usize::from(r.accounts.len() > 1),
        "only the accounts overview and each account's summary table"
    );
    let items = r.accounts.len() * common::checks_in(&r).len();
    assert_eq!(
        out.matches("<input").count(),
        items,
        "one task per check and account"
    );
    let done: usize = r
        .accounts
        .iter()
        .map(|a| {
            common::checklist(&r, &a.id)
                .iter()
                .filter(|i| {
                    matches!(
                        i.state,
                        common::ItemState::Done | common::ItemState::Accepted
                    )
                })
                .count()
        })
        .sum();
    assert_eq!(out.matches("checked=\"\"").count(), done);
}

/// URL-shaped names (a bare URL, `www.`, a mail address, a domain) are no link in the
/// Markdown report, read as GitHub reads it: GitHub Flavored Markdown with its autolink
/// extension (comrak), which finds links in text after escapes are resolved.
#[test]
fn markdown_holds_no_link_even_with_autolinks() {
    let mut r = fixture();
    let b = builder("iam-user-console-mfa", MAIN);
    for user in [
        "https://evil.example/login",
        "www.evil.example",
        "admin@evil.example",
        "evil.example",
        "x|http://evil.example",
        "ftp://evil.example",
        "mailto:admin@evil.example",
    ] {
        r.findings.push(b.fail(
            None,
            Resource::new(
                "AWS::IAM::User",
                user,
                Some(format!("arn:aws:iam::{MAIN}:user/{user}")),
            ),
            format!("User {user} can sign in to the console without MFA (see {user})"),
            no_evidence(),
        ));
    }
    sort_findings(&mut r.findings);
    r.summary = Summary::of(&r.findings);
    let md = markdown::render(&r, &context());
    let mut opts = comrak::Options::default();
    opts.extension.autolink = true;
    opts.extension.table = true;
    opts.extension.tasklist = true;
    opts.extension.strikethrough = true;
    let out = comrak::markdown_to_html(&md, &opts);
    assert!(
        !out.contains("<a "),
        "a link in the rendered Markdown:\n{out}"
    );
    assert!(out.contains("https://evil.example/login"), "{out}");
    assert!(out.contains("admin@evil.example"), "{out}");
    // The table cells of the summary keep their shape.
    assert_eq!(
        out.matches("<table>").count(),
        r.accounts.len() + usize::from(r.accounts.len() > 1)
    );
}

// ---------------------------------------------------------------- HTML

fn chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("HIYARI_TEST_CHROMIUM") {
        return PathBuf::from(p);
    }
    for name in ["chromium", "chromium-browser"] {
        if let Some(p) = std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        }) {
            return p;
        }
    }
    panic!("headless Chromium is needed for the HTML test: `apt-get install chromium` (scripts/test installs it), or set HIYARI_TEST_CHROMIUM");
}

/// The DOM of `file` after Chromium loaded and rendered it.
fn rendered_dom(file: &Path) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", file.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap());
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium exited with {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

const DOM_READ: &str = r#"
import json, sys
from html.parser import HTMLParser
class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.items, self.text = set(), [], []
        self.account = None
        self.item = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "section" and "data-account" in a:
            self.account = a["data-account"]
        if tag == "li" and "data-check" in a:
            self.item = {"account": self.account, "check": a["data-check"],
                         "state": a["data-state"], "rows": []}
            self.items.append(self.item)
        if tag == "tr" and "data-status" in a:
            self.item["rows"].append([a["data-status"], a["data-finding"]])
    def handle_data(self, d):
        self.text.append(d)
dom = Dom()
dom.feed(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"tags": sorted(dom.tags), "items": dom.items, "text": "".join(dom.text)}))
"#;

/// `HIYARI_TEST_SKIP_BROWSER` set (and not `0`): the HTML test reads the page as hiyari
/// wrote it instead of as Chromium rendered it, and says so.
fn skip_browser() -> bool {
    std::env::var("HIYARI_TEST_SKIP_BROWSER").is_ok_and(|v| !v.is_empty() && v != "0")
}

#[test]
fn html_checklist_renders_in_headless_chromium() {
    let r = fixture();
    let dir = tempfile::tempdir().unwrap();
    let html_text = html::render(&r, &context());
    let page = write(dir.path(), "checklist.html", &html_text);
    let dom = if skip_browser() {
        // Written to stderr directly, not with eprintln!, which the test harness captures:
        // a skip is shown in every run, never silent.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: report_formats::html_checklist_renders_in_headless_chromium: \
             HIYARI_TEST_SKIP_BROWSER is set, so no browser loaded the HTML report; its \
             checklist is read from the page as written instead"
        );
        html_text
    } else {
        rendered_dom(&page)
    };
    assert!(dom.contains("Pre-handover checklist"), "{dom}");
    let dumped = write(dir.path(), "dom.html", &dom);
    let v = python(DOM_READ, &[dumped.to_str().unwrap()]);

    let tags: BTreeSet<&str> = v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for bad in ["script", "img", "a", "iframe", "link", "object", "b"] {
        assert!(!tags.contains(bad), "<{bad}> in the rendered DOM: {tags:?}");
    }
    let text = v["text"].as_str().unwrap();
    assert!(
        text.contains("<script>alert('x')</script>"),
        "hostile markup shown as text"
    );
    assert!(
        text.contains("\\u{202e}gpj.exe"),
        "the bidi override is shown, not obeyed"
    );

    // The checklist, as the DOM has it, against what the findings say: most severe
    // check first, registry order within a severity.
    let mut checks = common::checks_in(&r);
    checks.sort_by_key(|c| find_check(c).map(|c| c.meta().severity));
    let mut expected = Vec::new();
    for acc in &r.accounts {
        for check in checks.iter().copied() {
            let of = |s: Status| -> Vec<&Finding> {
                r.findings
                    .iter()
                    .filter(|f| f.account == acc.id && f.check == check && f.status == s)
                    .collect()
            };
            let state = if !of(Status::Fail).is_empty() {
                "not-done"
            } else if !of(Status::Error).is_empty()
                || (of(Status::Muted).is_empty() && of(Status::Pass).is_empty())
            {
                "could-not-check"
            } else if !of(Status::Muted).is_empty() {
                "accepted"
            } else if of(Status::Pass)
                .iter()
                .all(|f| f.evidence.contains_key("nothing_to_inspect"))
            {
                "nothing-to-check"
            } else {
                "done"
            };
            let rows: Vec<Value> = [Status::Fail, Status::Error, Status::Muted]
                .into_iter()
                .flat_map(of)
                .map(|f| json!([f.status.as_str(), f.id]))
                .collect();
            expected.push(json!({"account": acc.id, "check": check, "state": state, "rows": rows}));
        }
    }
    assert_eq!(v["items"], json!(expected));
    let states: BTreeSet<&str> = expected
        .iter()
        .map(|i| i["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        BTreeSet::from([
            "accepted",
            "could-not-check",
            "done",
            "not-done",
            "nothing-to-check"
        ]),
        "the fixture covers every state"
    );
}

// ---------------------------------------------------------------- the binary

/// A one-account inventory: root keys and no MFA (two fails), nothing else collected
/// (errors).
fn inventory_json() -> String {
    use hiyari_checks::inventory::*;
    let inv = Inventory {
        schema: INVENTORY_SCHEMA.into(),
        tool_version: "0.1.0".into(),
        collected_at: "2026-11-22T10:00:00Z".into(),
        accounts: vec![AccountInventory {
            identity: Identity {
                account_id: MAIN.into(),
                partition: "aws".into(),
                principal_arn: format!("arn:aws:iam::{MAIN}:user/auditor"),
            },
            home_region: Some("ap-northeast-1".into()),
            regions: Regions {
                scanned: vec!["ap-northeast-1".into()],
                skipped: vec![],
            },
            iam: IamInventory {
                account_summary: Collected::Ok(AccountSummary {
                    root_access_keys_present: true,
                    root_mfa_enabled: false,
                    root_password_present: Some(true),
                    root_signing_certificates_present: Some(false),
                }),
                credential_report: Collected::Ok(vec![]),
                ..IamInventory::default()
            },
            billing: BillingInventory::default(),
            cloudtrail: CloudTrailInventory::default(),
            s3: S3Inventory::default(),
            contacts: ContactsInventory::default(),
            regional: BTreeMap::from([("ap-northeast-1".to_string(), RegionInventory::default())]),
            failure: None,
            sweep: None,
        }],
    };
    serde_json::to_string(&inv).unwrap()
}

#[test]
fn one_scan_writes_every_format_given_with_output() {
    let dir = tempfile::tempdir().unwrap();
    let inv = write(dir.path(), "inventory.json", &inventory_json());
    let formats = ["ocsf", "sarif", "junit", "asff", "csv", "markdown", "html"];
    let mut cmd = support::hiyari_cmd("ap-northeast-1");
    cmd.args(["audit", "--inventory"]).arg(&inv).args([
        "--format",
        "json",
        "--sarif-location",
        "infra/aws.tf",
    ]);
    for f in formats {
        cmd.arg("--output").arg(format!(
            "{f}={}",
            dir.path().join(format!("out.{f}")).display()
        ));
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    let report = support::report(&out);
    assert_eq!(
        report["schema"], "hiyari.report/v1",
        "the --format output on stdout"
    );
    let n = report["findings"].as_array().unwrap().len();
    for f in formats {
        let text = std::fs::read_to_string(dir.path().join(format!("out.{f}"))).unwrap();
        assert!(!text.is_empty(), "{f} is empty");
        if f == "ocsf" {
            assert_eq!(text.lines().count(), n);
        }
    }
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
            ["uri"],
        "infra/aws.tf"
    );
    let asff: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.asff")).unwrap())
            .unwrap();
    assert!(asff[0]["ProductArn"]
        .as_str()
        .unwrap()
        .starts_with("arn:aws:securityhub:ap-northeast-1:123456789012:product/"));

    // A plain path still takes the --format output.
    let plain = dir.path().join("plain.md");
    let out = support::hiyari_cmd("ap-northeast-1")
        .args(["audit", "--inventory"])
        .arg(&inv)
        .args(["--format", "markdown", "--output"])
        .arg(&plain)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", support::stderr(&out));
    assert!(out.stdout.is_empty());
    assert!(std::fs::read_to_string(&plain)
        .unwrap()
        .starts_with("# Pre-handover checklist"));
}

#[test]
fn output_mistakes_are_usage_errors_before_any_scan() {
    let dir = tempfile::tempdir().unwrap();
    let inv = write(dir.path(), "inventory.json", &inventory_json());
    let run = |extra: &[&str]| {
        support::hiyari_cmd("ap-northeast-1")
            .args(["audit", "--inventory"])
            .arg(&inv)
            .args(extra)
            .output()
            .unwrap()
    };
    let a = dir.path().join("a").display().to_string();
    let b = dir.path().join("b").display().to_string();
    for (args, says) in [
        (vec!["--output", &a, "--output", &b], "plain paths"),
        (vec!["--output", "sarif="], "no path after"),
        (vec!["--output", "json=-"], "stdout"),
        (
            vec![
                "--output",
                &format!("csv={a}"),
                "--output",
                &format!("html={a}"),
            ],
            "own file",
        ),
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            support::stderr(&out).contains(says),
            "{args:?}: {}",
            support::stderr(&out)
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn sarif_with_a_baseline_marks_results_and_stays_schema_valid() {
    let mut r = fixture();
    for (n, f) in r.findings.iter_mut().enumerate() {
        f.baseline = Some(if n % 2 == 0 {
            hiyari_checks::Baseline::New
        } else {
            hiyari_checks::Baseline::Existing
        });
    }
    let text = sarif::render(&r, &context());
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "baseline.sarif", &text);
    let schema = root().join("tests/fixtures/sarif-schema-2.1.0.json");
    let v = python(
        SARIF_VALIDATE,
        &[schema.to_str().unwrap(), path.to_str().unwrap()],
    );
    assert_eq!(v["errors"], json!([]), "SARIF schema errors");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let states: BTreeSet<&str> = doc["runs"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|run| run["results"].as_array().unwrap())
        .map(|res| res["baselineState"].as_str().unwrap())
        .collect();
    assert_eq!(states, BTreeSet::from(["new", "unchanged"]));
}

// ---------------------------------------------------------------- warnings

/// The fixture with run warnings: one for every account (at a configuration line, for
/// a check in the report) and one for the second account only (for a check that did
/// not run, and so has no rule).
fn fixture_with_warnings() -> Report {
    let mut r = fixture();
    r.warnings = vec![
        hiyari_checks::Warning {
            config: Some("hiyari.toml".into()),
            line: Some(12),
            check: Some("root-mfa".into()),
            reason: Some("MFA device on order <3 weeks>".into()),
            expires: Some("2026-10-31".into()),
            ..hiyari_checks::Warning::new(
                "accept-expired",
                "accepted risk at hiyari.toml:12 (check root-mfa) expired on 2026-10-31",
            )
        },
        hiyari_checks::Warning {
            config: Some("hiyari.toml".into()),
            line: Some(20),
            check: Some("cloudtrail-multi-region".into()),
            account: Some(OTHER.into()),
            reason: Some("organization trail in the payer".into()),
            ..hiyari_checks::Warning::new(
                "accept-unmatched",
                "accepted risk at hiyari.toml:20 (check cloudtrail-multi-region) matched no failing finding",
            )
        },
    ];
    r
}

#[test]
fn warnings_are_sarif_configuration_notifications_and_the_log_stays_valid() {
    let r = fixture_with_warnings();
    let text = sarif::render(&r, &context());
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "warnings.sarif", &text);
    let schema = root().join("tests/fixtures/sarif-schema-2.1.0.json");
    let v = python(
        SARIF_VALIDATE,
        &[schema.to_str().unwrap(), path.to_str().unwrap()],
    );
    assert_eq!(v["errors"], json!([]), "SARIF schema errors");

    let doc: Value = serde_json::from_str(&text).unwrap();
    let notes = |run: &Value| {
        run["invocations"][0]["toolConfigurationNotifications"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let runs = doc["runs"].as_array().unwrap();
    let main = notes(&runs[0]);
    let other = notes(&runs[1]);
    assert_eq!(
        main.len(),
        1,
        "the second warning is about the other account"
    );
    assert_eq!(other.len(), 2);
    let n = &main[0];
    assert_eq!(n["level"], "warning");
    assert_eq!(n["descriptor"]["id"], "accept-expired");
    assert_eq!(n["message"]["text"], r.warnings[0].message.as_str());
    let loc = &n["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "hiyari.toml");
    assert_eq!(loc["region"]["startLine"], 12);
    assert_eq!(n["properties"]["expires"], "2026-10-31");
    assert_eq!(n["properties"]["check"], "root-mfa");
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    let index = n["associatedRule"]["index"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "root-mfa", "points at its check's rule");
    let unmatched = &other[1];
    assert_eq!(unmatched["descriptor"]["id"], "accept-unmatched");
    assert!(
        unmatched.get("associatedRule").is_none(),
        "no rule for a check that did not run: {unmatched}"
    );
    assert_eq!(unmatched["properties"]["check"], "cloudtrail-multi-region");

    // Without warnings the invocation is as it always was.
    let plain: Value = serde_json::from_str(&sarif::render(&fixture(), &context())).unwrap();
    assert!(plain["runs"][0]["invocations"][0]
        .get("toolConfigurationNotifications")
        .is_none());
}

#[test]
fn warnings_are_junit_properties_of_their_checks_suite_and_the_counts_hold() {
    let r = fixture_with_warnings();
    let text = junit::render(&r);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "warnings.junit.xml", &text);
    let v = python(JUNIT_READ, &[path.to_str().unwrap()]);
    let s = &r.summary;
    let totals = json!([r.findings.len(), s.fail, s.error, s.muted]);
    assert_eq!(v["counted"], totals, "warnings are not test cases");
    let suite = text
        .split("<testsuite ")
        .find(|s| s.starts_with("name=\"root-mfa\""))
        .unwrap();
    assert!(
        suite.contains(
            "<property name=\"hiyari.warning.accept-expired\" value=\"accepted risk at hiyari.toml:12 (check root-mfa) expired on 2026-10-31\"/>"
        ),
        "{suite}"
    );
    // A check with no finding in the report has no suite: its warning goes to `hiyari`.
    let hiyari = text
        .split("<testsuite ")
        .find(|s| s.starts_with("name=\"hiyari\" tests=\"0\""))
        .expect("a hiyari suite for the warning about a check that did not run");
    assert!(
        hiyari.contains("<property name=\"hiyari.warning.accept-unmatched\" value=\"accepted risk at hiyari.toml:20 (check cloudtrail-multi-region) matched no failing finding\"/>"),
        "{hiyari}"
    );
    assert_eq!(text.matches("hiyari.warning.").count(), 2, "{text}");
}
