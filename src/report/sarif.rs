//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
//!
//! One run per account (`automationDetails.id` is `hiyari/<account>/`, so each account
//! is its own category and alerts of one account never close those of another). Each
//! check of the report is a rule (short description: its title; full description: what
//! is checked; help: the remediation; `security-severity` for GitHub's severity). Each
//! failing finding is a result naming the resource ARN, anchored at line 1 of a
//! repository file (`--sarif-location`, else the configuration file, else
//! `hiyari.toml`), since an account has no source lines; its
//! `partialFingerprints.primaryLocationLineHash` is the stable finding id, so a rerun
//! updates the same alert instead of opening another.
//!
//! Muted findings are left out: GitHub does not honour SARIF suppressions, and an
//! alert that is no longer reported is closed. Checks in error are tool execution
//! notifications of level `error` (the run cannot vouch for them), not alerts. Run
//! warnings (accepted risks that expired or matched nothing, …) are tool configuration
//! notifications of level `warning`, located at the configuration entry's file and line.

use hiyari_checks::{Finding, Report, Severity, Status, Warning};
use serde_json::{json, Map, Value};

use super::common::{self, ReportContext};

/// Where consumers find the SARIF 2.1.0 schema.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// GitHub's `security-severity` for a severity (none for info).
fn security_severity(s: Severity) -> Option<&'static str> {
    match s {
        Severity::Critical => Some("9.5"),
        Severity::High => Some("8.0"),
        Severity::Medium => Some("5.5"),
        Severity::Low => Some("3.0"),
        Severity::Info => None,
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// `root-access-keys` → `RootAccessKeys`.
fn pascal(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut cs = p.chars();
            match cs.next() {
                Some(c) => c.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn rule(report: &Report, check: &str) -> Value {
    let mut props = Map::new();
    let mut r = Map::new();
    r.insert("id".into(), json!(check));
    r.insert("name".into(), json!(pascal(check)));
    let (severity, tags) = match common::meta(check) {
        Some(m) => {
            r.insert("shortDescription".into(), json!({"text": m.title}));
            r.insert("fullDescription".into(), json!({"text": m.description()}));
            r.insert(
                "help".into(),
                json!({
                    "text": m.remediation(),
                    "markdown": format!(
                        "**How to fix it.** {}\n\n**Why it matters.** {}\n\nIncidents: {}",
                        m.remediation(),
                        m.rationale(),
                        m.incidents.join(", ")
                    ),
                }),
            );
            (
                m.severity,
                m.incidents
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<_>>(),
            )
        }
        None => {
            // A check this hiyari does not know (from a newer inventory): what its
            // findings say.
            let f = report.findings.iter().find(|f| f.check == check);
            let remediation = f.map(|f| f.remediation.as_ref()).unwrap_or("");
            r.insert("shortDescription".into(), json!({"text": check}));
            if !remediation.is_empty() {
                r.insert("help".into(), json!({"text": remediation}));
            }
            (
                f.map(|f| f.severity).unwrap_or(Severity::Info),
                f.map(|f| f.incidents.clone()).unwrap_or_default(),
            )
        }
    };
    r.insert(
        "defaultConfiguration".into(),
        json!({"level": level(severity)}),
    );
    if let Some(s) = security_severity(severity) {
        props.insert("security-severity".into(), json!(s));
    }
    let mut all_tags = vec!["security".to_string(), "aws".to_string()];
    all_tags.extend(tags);
    props.insert("tags".into(), json!(all_tags));
    props.insert("precision".into(), json!("very-high"));
    r.insert("properties".into(), Value::Object(props));
    Value::Object(r)
}

fn result(f: &Finding, rule_index: usize, anchor: &str) -> Value {
    let resource = common::resource_name(f);
    let mut props = Map::new();
    if let Some(s) = security_severity(f.severity) {
        props.insert("security-severity".into(), json!(s));
    }
    props.insert("severity".into(), json!(f.severity.as_str()));
    props.insert("account".into(), json!(f.account));
    props.insert("region".into(), json!(f.region));
    props.insert("resourceType".into(), json!(f.resource.kind));
    props.insert("resourceId".into(), json!(f.resource.id));
    props.insert("findingId".into(), json!(f.id));
    props.insert("incidents".into(), json!(f.incidents));
    let mut result = json!({
        "ruleId": f.check,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": level(f.severity),
        "message": {"text": format!("{} (resource: {resource})", f.message)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": anchor},
                "region": {"startLine": 1},
            },
            "logicalLocations": [{
                "fullyQualifiedName": resource,
                "name": f.resource.id,
                "kind": "resource",
            }],
        }],
        "partialFingerprints": {"primaryLocationLineHash": f.id},
        "properties": Value::Object(props),
    });
    // With --baseline, SARIF's own field says whether the result is new.
    if let Some(b) = f.baseline {
        result["baselineState"] = json!(match b {
            hiyari_checks::Baseline::New => "new",
            hiyari_checks::Baseline::Existing => "unchanged",
        });
    }
    result
}

fn notification(f: &Finding, rule_index: usize) -> Value {
    let mut props = Map::new();
    for key in ["api", "error_code"] {
        if let Some(v) = f.evidence.get(key) {
            props.insert(key.into(), v.clone());
        }
    }
    props.insert("region".into(), json!(f.region));
    props.insert("findingId".into(), json!(f.id));
    json!({
        "level": "error",
        "message": {"text": format!("{}: {}", f.check, f.message)},
        "associatedRule": {"id": f.check, "index": rule_index},
        "properties": Value::Object(props),
    })
}

/// A run warning (an accepted risk that expired or matched nothing, …) as a tool
/// configuration notification: it is about how hiyari was configured, not a result,
/// and its location is the configuration entry's file and line.
fn config_notification(w: &Warning, rule_index: Option<usize>) -> Value {
    let mut props = Map::new();
    props.insert("kind".into(), json!(w.kind));
    for (key, value) in [
        ("check", &w.check),
        ("account", &w.account),
        ("region", &w.region),
        ("resource", &w.resource),
        ("reason", &w.reason),
        ("expires", &w.expires),
        ("source", &w.source),
    ] {
        if let Some(v) = value {
            props.insert(key.into(), json!(v));
        }
    }
    let mut n = json!({
        "level": "warning",
        "message": {"text": w.message},
        "descriptor": {"id": w.kind},
        "properties": Value::Object(props),
    });
    if let Some(config) = &w.config {
        let mut physical = json!({"artifactLocation": {"uri": config}});
        if let Some(line) = w.line {
            physical["region"] = json!({"startLine": line});
        }
        n["locations"] = json!([{"physicalLocation": physical}]);
    }
    // Only a rule of this run can be pointed at; an entry for a check that did not run
    // names it in the properties alone.
    if let (Some(check), Some(index)) = (&w.check, rule_index) {
        n["associatedRule"] = json!({"id": check, "index": index});
    }
    n
}

/// The report as one SARIF 2.1.0 log.
pub fn render(report: &Report, ctx: &ReportContext) -> String {
    let checks = common::checks_in(report);
    let rules: Vec<Value> = checks.iter().map(|c| rule(report, c)).collect();
    let index = |check: &str| checks.iter().position(|c| *c == check).unwrap_or(0);
    let anchor = ctx.sarif_anchor();

    let runs: Vec<Value> = report
        .accounts
        .iter()
        .map(|acc| {
            let mine = || report.findings_of(&acc.id);
            let results: Vec<Value> = mine()
                .filter(|f| f.status == Status::Fail)
                .map(|f| result(f, index(&f.check), anchor))
                .collect();
            let notifications: Vec<Value> = mine()
                .filter(|f| f.status == Status::Error)
                .map(|f| notification(f, index(&f.check)))
                .collect();
            // A warning about one account goes to its run; any other to every run.
            let warnings: Vec<Value> = report
                .warnings
                .iter()
                .filter(|w| w.account.as_ref().is_none_or(|a| *a == acc.id))
                .map(|w| {
                    let rule = w
                        .check
                        .as_deref()
                        .and_then(|c| checks.iter().position(|k| *k == c));
                    config_notification(w, rule)
                })
                .collect();
            let counts = common::counts(mine());
            let total = |col: usize| counts.iter().map(|row| row[col]).sum::<usize>();
            let mut invocation = json!({
                "executionSuccessful": true,
                "startTimeUtc": report.started_at,
                "endTimeUtc": report.finished_at,
                "toolExecutionNotifications": notifications,
            });
            if !warnings.is_empty() {
                invocation["toolConfigurationNotifications"] = json!(warnings);
            }
            json!({
                "tool": {"driver": {
                    "name": "hiyari",
                    "version": report.tool_version,
                    "semanticVersion": report.tool_version,
                    "informationUri": common::HOMEPAGE,
                    "rules": rules,
                }},
                "automationDetails": {
                    "id": format!("hiyari/{}/", acc.id),
                    "description": {"text": format!("hiyari audit of AWS account {}", acc.id)},
                },
                "invocations": [invocation],
                "results": results,
                "properties": {
                    "account": acc.id,
                    "partition": acc.partition,
                    "principal": acc.principal,
                    "regionsScanned": acc.regions.scanned,
                    "summary": {
                        "fail": total(0), "error": total(1), "muted": total(2), "pass": total(3),
                    },
                },
            })
        })
        .collect();

    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": runs,
    });
    let mut s = serde_json::to_string_pretty(&log).expect("the SARIF log serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names() {
        assert_eq!(pascal("root-access-keys"), "RootAccessKeys");
        assert_eq!(pascal("sg-unrestricted-egress"), "SgUnrestrictedEgress");
    }
}
