//! OCSF for a SIEM: one OCSF 1.3 **Compliance Finding** event (class 2003, category 2
//! Findings) per finding, one JSON object per line (JSON Lines), as log forwarders and
//! Security Lake-style pipelines take them.
//!
//! The mapping:
//! - `compliance.control` is the check id, `compliance.standards` is `["hiyari"]`,
//!   `compliance.requirements` the incident tags; `compliance.status_id` is Pass (1)
//!   for pass, Fail (3) for fail and muted, Unknown (0) for error, with the error in
//!   `compliance.status_detail`;
//! - the event's `status_id` is New (1), or Suppressed (3) for a muted finding, whose
//!   reason is in `status_detail`;
//! - `finding_info.uid` is the stable finding id (the same across runs),
//!   `finding_info.title` the check's title and `desc` the finding's message;
//! - `time` is when the scan finished (epoch milliseconds), `start_time`/`end_time` the
//!   scan's span;
//! - the cloud profile: `cloud.provider` AWS, `cloud.account.uid`, `cloud.region`
//!   (absent for account-wide findings); `resources[]` with the ARN as `uid`;
//! - what OCSF has no attribute for (hiyari's own status, the evidence) goes in
//!   `unmapped.hiyari`.

use hiyari_checks::{Finding, Report, Severity, Status};
use serde_json::{json, Map, Value};

use super::common;

/// The OCSF schema version the events follow.
pub const OCSF_VERSION: &str = "1.3.0";
const CLASS_UID: u32 = 2003;
const ACTIVITY_CREATE: u32 = 1;

fn severity_id(s: Severity) -> u8 {
    match s {
        Severity::Info => 1,
        Severity::Low => 2,
        Severity::Medium => 3,
        Severity::High => 4,
        Severity::Critical => 5,
    }
}

/// `compliance.status_id` and its caption.
fn compliance_status(s: Status) -> (u8, &'static str) {
    match s {
        Status::Pass => (1, "Pass"),
        Status::Fail | Status::Muted => (3, "Fail"),
        Status::Error => (0, "Unknown"),
    }
}

/// The event's (workflow) `status_id` and its caption.
fn event_status(s: Status) -> (u8, &'static str) {
    match s {
        Status::Muted => (3, "Suppressed"),
        _ => (1, "New"),
    }
}

fn event(report: &Report, f: &Finding) -> Value {
    let time = common::epoch_millis(&report.finished_at).unwrap_or(0);
    let start = common::epoch_millis(&report.started_at).unwrap_or(time);
    let partition = common::partition(report, &f.account);
    let (compliance_id, compliance_caption) = compliance_status(f.status);
    let (status_id, status_caption) = event_status(f.status);

    let mut compliance = Map::new();
    compliance.insert("control".into(), json!(f.check));
    compliance.insert("standards".into(), json!(["hiyari"]));
    compliance.insert("requirements".into(), json!(f.incidents));
    compliance.insert("status_id".into(), json!(compliance_id));
    compliance.insert("status".into(), json!(compliance_caption));
    if f.status == Status::Error {
        compliance.insert("status_detail".into(), json!(f.message));
    }

    let mut cloud = Map::new();
    cloud.insert("provider".into(), json!("AWS"));
    cloud.insert(
        "account".into(),
        json!({"uid": f.account, "name": f.account, "type_id": 10, "type": "AWS Account"}),
    );
    if let Some(region) = &f.region {
        cloud.insert("region".into(), json!(region));
    }

    let mut resource = Map::new();
    resource.insert("uid".into(), json!(common::resource_name(f)));
    resource.insert("name".into(), json!(f.resource.id));
    resource.insert("type".into(), json!(f.resource.kind));
    resource.insert("cloud_partition".into(), json!(partition));
    if let Some(region) = &f.region {
        resource.insert("region".into(), json!(region));
    }

    let mut ev = Map::new();
    ev.insert("activity_id".into(), json!(ACTIVITY_CREATE));
    ev.insert("activity_name".into(), json!("Create"));
    ev.insert("category_uid".into(), json!(2));
    ev.insert("category_name".into(), json!("Findings"));
    ev.insert("class_uid".into(), json!(CLASS_UID));
    ev.insert("class_name".into(), json!("Compliance Finding"));
    ev.insert("type_uid".into(), json!(CLASS_UID * 100 + ACTIVITY_CREATE));
    ev.insert("type_name".into(), json!("Compliance Finding: Create"));
    ev.insert("time".into(), json!(time));
    ev.insert("start_time".into(), json!(start));
    ev.insert("end_time".into(), json!(time));
    ev.insert("severity_id".into(), json!(severity_id(f.severity)));
    ev.insert(
        "severity".into(),
        json!(common::severity_caption(f.severity)),
    );
    ev.insert("status_id".into(), json!(status_id));
    ev.insert("status".into(), json!(status_caption));
    if let Some(reason) = &f.mute_reason {
        ev.insert("status_detail".into(), json!(reason));
    }
    ev.insert("message".into(), json!(f.message));
    ev.insert(
        "metadata".into(),
        json!({
            "version": OCSF_VERSION,
            "product": {
                "name": "hiyari",
                "vendor_name": "hiyari",
                "version": report.tool_version,
                "url_string": common::HOMEPAGE,
            },
            "profiles": ["cloud"],
            "event_code": f.check,
        }),
    );
    ev.insert("cloud".into(), Value::Object(cloud));
    ev.insert(
        "finding_info".into(),
        json!({
            "uid": f.id,
            "title": common::title(&f.check),
            "desc": f.message,
            "created_time": time,
        }),
    );
    ev.insert("compliance".into(), Value::Object(compliance));
    ev.insert("remediation".into(), json!({"desc": f.remediation}));
    ev.insert("resources".into(), json!([Value::Object(resource)]));
    let mut hiyari = Map::new();
    hiyari.insert("status".into(), json!(f.status.as_str()));
    hiyari.insert("severity".into(), json!(f.severity.as_str()));
    if let Some(reason) = &f.mute_reason {
        hiyari.insert("mute_reason".into(), json!(reason));
    }
    if !f.evidence.is_empty() {
        hiyari.insert("evidence".into(), Value::Object(f.evidence.clone()));
    }
    ev.insert("unmapped".into(), json!({ "hiyari": hiyari }));
    Value::Object(ev)
}

/// One finding's OCSF event as one line of JSON Lines, newline included: what
/// [`render`] writes for each finding, for writing findings as they arrive.
pub fn line(report: &Report, f: &Finding) -> String {
    let mut out = serde_json::to_string(&event(report, f)).expect("an event serialises");
    out.push('\n');
    out
}

/// The report as OCSF JSON Lines: one Compliance Finding event per finding, in the
/// report's order. An empty report is an empty file.
pub fn render(report: &Report) -> String {
    report.findings.iter().map(|f| line(report, f)).collect()
}

/// Writes the lines to `w` one event at a time.
pub fn write(report: &Report, mut w: impl std::io::Write) -> std::io::Result<()> {
    for f in &report.findings {
        w.write_all(line(report, f).as_bytes())?;
    }
    Ok(())
}
