//! ASFF for AWS Security Hub: a JSON array of AWS Security Finding Format objects, ready
//! for `BatchImportFindings` (at most 100 per call).
//!
//! - `Id` is the stable finding id, so a later import updates the same finding;
//!   `GeneratorId` is the check id;
//! - `ProductArn` is the account's own custom-product ARN
//!   (`arn:<partition>:securityhub:<region>:<account>:product/<account>/default`) in
//!   its home region, which is where the findings must be imported;
//! - `Compliance.Status`: PASSED, FAILED (a muted fail too), NOT_AVAILABLE (error);
//!   `Workflow.Status`: NEW, SUPPRESSED (muted, with the reason as a `Note`), RESOLVED
//!   (pass); `RecordState` ACTIVE;
//! - `Severity.Label` is the check's severity (INFORMATIONAL for a pass, as Security Hub
//!   does for passed controls), `Severity.Original` hiyari's own word;
//! - `Title` is the check's title, `Description` the finding's message,
//!   `Remediation.Recommendation.Text` the remediation, cut to Security Hub's limits.

use hiyari_checks::{Finding, Report, Severity, Status};
use serde_json::{json, Map, Value};

use super::common::{self, ReportContext};

pub const SCHEMA_VERSION: &str = "2018-10-08";

// Security Hub's documented length limits.
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 1024;
const TEXT_MAX: usize = 512;
const FIELD_MAX: usize = 1024;

fn label(f: &Finding) -> &'static str {
    if f.status == Status::Pass {
        return "INFORMATIONAL";
    }
    match f.severity {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
        Severity::Info => "INFORMATIONAL",
    }
}

/// The ASFF resource type for a CloudFormation-style type: the ones Security Hub
/// lists by name, else `Other` (the hiyari type is then in `Details.Other`).
fn resource_type(kind: &str) -> Option<&'static str> {
    match kind {
        "AWS::::Account" => Some("AwsAccount"),
        "AWS::EC2::Instance" => Some("AwsEc2Instance"),
        "AWS::EC2::SecurityGroup" => Some("AwsEc2SecurityGroup"),
        "AWS::IAM::User" => Some("AwsIamUser"),
        _ => None,
    }
}

/// A non-empty string no longer than `max` (Security Hub refuses empty strings).
fn text(s: &str, max: usize) -> String {
    if s.trim().is_empty() {
        "-".to_string()
    } else {
        common::truncate(s, max)
    }
}

/// The region whose Security Hub takes this account's findings.
fn import_region<'a>(report: &'a Report, ctx: &'a ReportContext, account: &str) -> &'a str {
    ctx.home_regions
        .get(account)
        .map(String::as_str)
        .or_else(|| {
            report
                .accounts
                .iter()
                .find(|a| a.id == account)
                .and_then(|a| a.regions.scanned.first())
                .map(String::as_str)
        })
        .unwrap_or("us-east-1")
}

fn finding(report: &Report, ctx: &ReportContext, f: &Finding) -> Value {
    let partition = common::partition(report, &f.account);
    let region = import_region(report, ctx, &f.account);
    let product_arn = format!(
        "arn:{partition}:securityhub:{region}:{acc}:product/{acc}/default",
        acc = f.account
    );

    let mut resource = Map::new();
    match resource_type(&f.resource.kind) {
        Some(t) => {
            resource.insert("Type".into(), json!(t));
        }
        None => {
            resource.insert("Type".into(), json!("Other"));
            resource.insert(
                "Details".into(),
                json!({"Other": {
                    "Type": text(&f.resource.kind, FIELD_MAX),
                    "Id": text(&f.resource.id, FIELD_MAX),
                }}),
            );
        }
    }
    resource.insert(
        "Id".into(),
        json!(text(common::resource_name(f), FIELD_MAX)),
    );
    resource.insert("Partition".into(), json!(partition));
    if let Some(r) = &f.region {
        resource.insert("Region".into(), json!(r));
    }

    let (compliance, workflow) = match f.status {
        Status::Pass => ("PASSED", "RESOLVED"),
        Status::Fail => ("FAILED", "NEW"),
        Status::Muted => ("FAILED", "SUPPRESSED"),
        Status::Error => ("NOT_AVAILABLE", "NEW"),
    };
    let mut compliance_obj = Map::new();
    compliance_obj.insert("Status".into(), json!(compliance));
    if !f.incidents.is_empty() {
        compliance_obj.insert("RelatedRequirements".into(), json!(f.incidents));
    }

    let mut fields = Map::new();
    fields.insert("ProviderName".into(), json!("hiyari"));
    fields.insert(
        "ProviderVersion".into(),
        json!(text(&report.tool_version, FIELD_MAX)),
    );
    fields.insert("hiyari/check".into(), json!(f.check));
    fields.insert("hiyari/status".into(), json!(f.status.as_str()));
    fields.insert(
        "hiyari/region".into(),
        json!(f.region.as_deref().unwrap_or("global")),
    );
    fields.insert(
        "hiyari/resource_type".into(),
        json!(text(&f.resource.kind, FIELD_MAX)),
    );
    if let Some((api, code)) = f.error_source() {
        fields.insert("hiyari/error_api".into(), json!(text(api, FIELD_MAX)));
        fields.insert("hiyari/error_code".into(), json!(text(code, FIELD_MAX)));
    }

    let mut out = Map::new();
    out.insert("SchemaVersion".into(), json!(SCHEMA_VERSION));
    out.insert("Id".into(), json!(f.id));
    out.insert("ProductArn".into(), json!(product_arn));
    out.insert("ProductName".into(), json!("hiyari"));
    out.insert("CompanyName".into(), json!("hiyari"));
    out.insert("GeneratorId".into(), json!(f.check));
    out.insert("AwsAccountId".into(), json!(f.account));
    out.insert(
        "Types".into(),
        json!([format!(
            "Software and Configuration Checks/AWS Security Best Practices/{}",
            f.check
        )]),
    );
    out.insert("CreatedAt".into(), json!(report.finished_at));
    out.insert("UpdatedAt".into(), json!(report.finished_at));
    out.insert(
        "Severity".into(),
        json!({"Label": label(f), "Original": f.severity.as_str()}),
    );
    out.insert(
        "Title".into(),
        json!(text(common::title(&f.check), TITLE_MAX)),
    );
    out.insert(
        "Description".into(),
        json!(text(&f.message, DESCRIPTION_MAX)),
    );
    out.insert(
        "Remediation".into(),
        json!({"Recommendation": {"Text": text(&f.remediation, TEXT_MAX)}}),
    );
    out.insert("ProductFields".into(), Value::Object(fields));
    out.insert("Resources".into(), json!([Value::Object(resource)]));
    out.insert("Compliance".into(), Value::Object(compliance_obj));
    out.insert("Workflow".into(), json!({"Status": workflow}));
    out.insert("RecordState".into(), json!("ACTIVE"));
    if let Some(reason) = &f.mute_reason {
        out.insert(
            "Note".into(),
            json!({
                "Text": text(&format!("Accepted: {reason}"), TEXT_MAX),
                "UpdatedBy": "hiyari",
                "UpdatedAt": report.finished_at,
            }),
        );
    }
    Value::Object(out)
}

/// The report as a JSON array of ASFF findings, in the report's order.
pub fn render(report: &Report, ctx: &ReportContext) -> String {
    let all: Vec<Value> = report
        .findings
        .iter()
        .map(|f| finding(report, ctx, f))
        .collect();
    let mut s = serde_json::to_string_pretty(&all).expect("the findings serialise");
    s.push('\n');
    s
}
