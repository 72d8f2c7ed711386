//! The `hiyari.report/v1` JSON contract (DESIGN.md).
//!
//! A frozen DTO: these structs are the schema, written out field by field, so a
//! refactor of the internal model cannot change what CI and SIEM consumers read. A new
//! field may be added within v1 (readers ignore what they do not know); any other
//! change (a field removed, renamed or retyped, a meaning changed) bumps the version.
//! `warnings` holds [`Warning`] as it serialises: its fields are part of the contract.
//!
//! Reports are read back (`hiyari diff`, `hiyari merge`, `audit --baseline`) through
//! owned DTOs of the same version, [`ReportIn`] and [`FindingsIn`], then converted to
//! the internal types: the internal model carries no serde attributes of the contract.

use hiyari_checks::inventory::{CollectError, Regions, SkippedRegion};
use hiyari_checks::{
    Baseline, Finding, Report, ReportAccount, Resource, Severity, Status, Summary, Warning,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub const SCHEMA: &str = "hiyari.report/v1";

#[derive(Serialize)]
struct ReportV1<'a> {
    schema: &'static str,
    tool: Tool<'a>,
    started_at: &'a str,
    finished_at: &'a str,
    /// When the AWS data was collected (an inventory's `collected_at`): additive, and
    /// absent when the report does not know it (merged from older reports).
    #[serde(skip_serializing_if = "Option::is_none")]
    collected_at: Option<&'a str>,
    accounts: Vec<AccountV1<'a>>,
    summary: SummaryV1,
    findings: FindingsV1<'a>,
    /// What the run warns about (expired or unmatched accepted risks, …): additive, and
    /// always written, empty when there is nothing to say, so that a pipeline can tell
    /// "no warning" from a report that predates the field.
    warnings: &'a [Warning],
}

#[derive(Serialize)]
struct Tool<'a> {
    name: &'static str,
    version: &'a str,
}

#[derive(Serialize)]
struct AccountV1<'a> {
    id: &'a str,
    partition: &'a str,
    principal: &'a str,
    regions: RegionsV1<'a>,
    /// Only for an account that could not be audited at all (an organization scan
    /// could not assume its role): what failed. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<AccountErrorV1<'a>>,
}

#[derive(Serialize)]
struct AccountErrorV1<'a> {
    api: &'a str,
    code: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct RegionsV1<'a> {
    scanned: &'a [String],
    skipped: Vec<SkippedV1<'a>>,
}

#[derive(Serialize)]
struct SkippedV1<'a> {
    region: &'a str,
    reason: &'a str,
}

#[derive(Serialize)]
struct SummaryV1 {
    pass: usize,
    fail: usize,
    error: usize,
    muted: usize,
}

#[derive(Serialize)]
struct FindingV1<'a> {
    id: &'a str,
    account: &'a str,
    check: &'a str,
    status: &'static str,
    severity: &'static str,
    region: Option<&'a str>,
    resource: ResourceV1<'a>,
    message: &'a str,
    remediation: &'a str,
    incidents: &'a [String],
    evidence: &'a Map<String, Value>,
    mute_reason: Option<&'a str>,
    /// Only with `--baseline`: `new` or `existing`. Absent otherwise, so v1 readers
    /// that do not know it see the contract they always saw.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
}

/// The findings, each turned into its [`FindingV1`] as it is written rather than all
/// at once: an organization's report holds tens of thousands.
struct FindingsV1<'a>(&'a [Finding]);

impl Serialize for FindingsV1<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(finding))
    }
}

#[derive(Serialize)]
struct ResourceV1<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    id: &'a str,
    arn: Option<&'a str>,
}

fn finding(f: &Finding) -> FindingV1<'_> {
    FindingV1 {
        id: &f.id,
        account: &f.account,
        check: &f.check,
        status: f.status.as_str(),
        severity: f.severity.as_str(),
        region: f.region.as_deref(),
        resource: ResourceV1 {
            kind: &f.resource.kind,
            id: &f.resource.id,
            arn: f.resource.arn.as_deref(),
        },
        message: &f.message,
        remediation: &f.remediation,
        incidents: &f.incidents,
        evidence: &f.evidence,
        mute_reason: f.mute_reason.as_deref(),
        baseline: f.baseline.map(|b| b.as_str()),
    }
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("a report serialises into memory");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes the report to `w` as it is serialised, without holding its text.
pub fn write(report: &Report, mut w: impl std::io::Write) -> std::io::Result<()> {
    let dto = ReportV1 {
        schema: SCHEMA,
        tool: Tool {
            name: "hiyari",
            version: &report.tool_version,
        },
        started_at: &report.started_at,
        finished_at: &report.finished_at,
        collected_at: report.collected_at.as_deref(),
        accounts: report
            .accounts
            .iter()
            .map(|a| AccountV1 {
                id: &a.id,
                partition: &a.partition,
                principal: &a.principal,
                regions: RegionsV1 {
                    scanned: &a.regions.scanned,
                    skipped: a
                        .regions
                        .skipped
                        .iter()
                        .map(|s| SkippedV1 {
                            region: &s.region,
                            reason: &s.reason,
                        })
                        .collect(),
                },
                error: a.error.as_ref().map(|e| AccountErrorV1 {
                    api: &e.api,
                    code: &e.code,
                    message: &e.message,
                }),
            })
            .collect(),
        summary: SummaryV1 {
            pass: report.summary.pass,
            fail: report.summary.fail,
            error: report.summary.error,
            muted: report.summary.muted,
        },
        findings: FindingsV1(&report.findings),
        warnings: &report.warnings,
    };
    serde_json::to_writer_pretty(&mut w, &dto)?;
    w.write_all(b"\n")
}

// ------------------------------------------------------------------ the read side
//
// Owned DTOs of v1 for reading reports back. What may be absent is what hiyari has
// always accepted as absent: the fields added within v1 (`collected_at`, `warnings`,
// `baseline`), and the run's times; the rest must be there. Each DTO takes the
// `serde(rename)` of the internal type it stood for, so that an error still says
// `expected struct Finding` as it did when the internal types were read directly.

/// A saved report, whole: what `hiyari merge` combines and renders again.
#[derive(Debug, Deserialize)]
#[serde(rename = "FullReport")]
pub struct ReportIn {
    tool: ToolIn,
    #[serde(default)]
    started_at: String,
    #[serde(default)]
    finished_at: String,
    #[serde(default)]
    collected_at: Option<String>,
    accounts: Vec<AccountIn>,
    findings: Vec<FindingIn>,
    /// Absent from reports written before warnings were in the JSON.
    #[serde(default)]
    warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "FullTool")]
struct ToolIn {
    version: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "ReportAccount")]
struct AccountIn {
    id: String,
    partition: String,
    principal: String,
    regions: RegionsIn,
    #[serde(default)]
    error: Option<AccountErrorIn>,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "Regions")]
struct RegionsIn {
    scanned: Vec<String>,
    skipped: Vec<SkippedIn>,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "SkippedRegion")]
struct SkippedIn {
    region: String,
    reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "CollectError")]
struct AccountErrorIn {
    api: String,
    code: String,
    message: String,
}

/// A saved report, as much of it as a comparison needs (`hiyari diff`,
/// `audit --baseline`): of the accounts, their ids.
#[derive(Debug, Deserialize)]
#[serde(rename = "SavedReport")]
pub struct FindingsIn {
    #[serde(default)]
    pub started_at: String,
    pub accounts: Vec<AccountIdIn>,
    pub findings: Vec<FindingIn>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "SavedAccount")]
pub struct AccountIdIn {
    pub id: String,
}

/// One finding as v1 writes it; read into a [`Finding`] with `From`.
#[derive(Debug, Deserialize)]
#[serde(rename = "Finding")]
pub struct FindingIn {
    id: String,
    account: String,
    check: String,
    status: StatusIn,
    severity: SeverityIn,
    region: Option<String>,
    resource: ResourceIn,
    message: String,
    remediation: String,
    incidents: Vec<String>,
    evidence: Map<String, Value>,
    mute_reason: Option<String>,
    #[serde(default)]
    baseline: Option<BaselineIn>,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "Resource")]
struct ResourceIn {
    #[serde(rename = "type")]
    kind: String,
    id: String,
    arn: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename = "Status", rename_all = "snake_case")]
enum StatusIn {
    Fail,
    Error,
    Muted,
    Pass,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename = "Severity", rename_all = "snake_case")]
enum SeverityIn {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename = "Baseline", rename_all = "snake_case")]
enum BaselineIn {
    New,
    Existing,
}

impl From<StatusIn> for Status {
    fn from(s: StatusIn) -> Self {
        match s {
            StatusIn::Fail => Status::Fail,
            StatusIn::Error => Status::Error,
            StatusIn::Muted => Status::Muted,
            StatusIn::Pass => Status::Pass,
        }
    }
}

impl From<SeverityIn> for Severity {
    fn from(s: SeverityIn) -> Self {
        match s {
            SeverityIn::Critical => Severity::Critical,
            SeverityIn::High => Severity::High,
            SeverityIn::Medium => Severity::Medium,
            SeverityIn::Low => Severity::Low,
            SeverityIn::Info => Severity::Info,
        }
    }
}

impl From<BaselineIn> for Baseline {
    fn from(b: BaselineIn) -> Self {
        match b {
            BaselineIn::New => Baseline::New,
            BaselineIn::Existing => Baseline::Existing,
        }
    }
}

impl From<FindingIn> for Finding {
    fn from(f: FindingIn) -> Self {
        Finding {
            id: f.id,
            account: f.account,
            // Owned here; a finding a check makes borrows these from the check.
            check: f.check.into(),
            status: f.status.into(),
            severity: f.severity.into(),
            region: f.region,
            resource: Resource {
                kind: f.resource.kind,
                id: f.resource.id,
                arn: f.resource.arn,
            },
            message: f.message,
            remediation: f.remediation.into(),
            incidents: f.incidents,
            evidence: f.evidence,
            mute_reason: f.mute_reason,
            baseline: f.baseline.map(Into::into),
        }
    }
}

impl From<AccountIn> for ReportAccount {
    fn from(a: AccountIn) -> Self {
        ReportAccount {
            id: a.id,
            partition: a.partition,
            principal: a.principal,
            regions: Regions {
                scanned: a.regions.scanned,
                skipped: a
                    .regions
                    .skipped
                    .into_iter()
                    .map(|s| SkippedRegion {
                        region: s.region,
                        reason: s.reason,
                    })
                    .collect(),
            },
            // Not in the contract: the human formats show it for a fresh scan only.
            allowed_regions: None,
            home_region: None,
            error: a.error.map(|e| CollectError::new(e.api, e.code, e.message)),
        }
    }
}

impl From<ReportIn> for Report {
    fn from(r: ReportIn) -> Self {
        let findings: Vec<Finding> = r.findings.into_iter().map(Finding::from).collect();
        Report {
            tool_version: r.tool.version,
            started_at: r.started_at,
            finished_at: r.finished_at,
            collected_at: r.collected_at,
            accounts: r.accounts.into_iter().map(ReportAccount::from).collect(),
            // Counted again rather than read: the findings are what the report says.
            summary: Summary::of(&findings),
            findings,
            warnings: r.warnings,
        }
    }
}

/// A report read back from its JSON, whole.
pub fn read(value: Value) -> serde_json::Result<Report> {
    serde_json::from_value::<ReportIn>(value).map(Report::from)
}
