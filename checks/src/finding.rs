//! Findings: one result of one check for one scope and resource.
//!
//! A finding is built only through [`FindingBuilder`], which requires a check, a status,
//! a scope (account, or account and region) and a resource; an `error` finding is built
//! from the [`CollectError`] that caused it, so it always names the API and error code.

use std::borrow::Cow;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::collected::CollectError;
use crate::meta::CheckMeta;
pub use crate::severity::Severity;

/// The result of a check for one scope or resource.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::IntoStaticStr, strum::Display,
)]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    /// The failure mode is present. (Sorted first.)
    Fail,
    /// Could not be evaluated: the data was not collected.
    Error,
    /// A fail the configuration accepts, with its reason.
    Muted,
    /// Looked, and the failure mode is absent.
    Pass,
}

impl Status {
    /// The status as the reports write it: `fail`, `error`, `muted`, `pass`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Whether a finding was already in the baseline report (`hiyari audit --baseline`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Baseline {
    /// The baseline has no finding with this id and this status.
    New,
    /// The baseline has the same finding (id) with the same status.
    Existing,
}

impl Baseline {
    /// `new` or `existing`, as the reports write it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What a finding is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Resource {
    /// A CloudFormation-style type, e.g. `AWS::EC2::Snapshot`; `AWS::::Account` for the
    /// account itself and `AWS::::Region` for a region-wide result.
    pub kind: String,
    pub id: String,
    pub arn: Option<String>,
}

impl Resource {
    pub fn new(kind: impl Into<String>, id: impl Into<String>, arn: Option<String>) -> Self {
        Self {
            kind: kind.into(),
            id: id.into(),
            arn,
        }
    }

    /// The account as a whole.
    pub fn account(partition: &str, account: &str) -> Self {
        Self::new(
            "AWS::::Account",
            account,
            Some(format!("arn:{partition}:iam::{account}:root")),
        )
    }

    /// A region of the account as a whole.
    pub fn region(region: &str) -> Self {
        Self::new("AWS::::Region", region, None)
    }
}

/// One result of one check. The JSON report writes and reads it through DTOs of its
/// own version (`hiyari.report/v1`), never through this type.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Stable hash of check, account, region and resource: the same across runs.
    pub id: String,
    pub account: String,
    /// The check's id; borrowed from its metadata when the check made the finding.
    pub check: Cow<'static, str>,
    pub status: Status,
    pub severity: Severity,
    /// `None` for account-wide findings.
    pub region: Option<String>,
    pub resource: Resource,
    pub message: String,
    /// The check's remediation text, borrowed from its metadata when the check made the
    /// finding: one copy for the thousands of findings of an organization.
    pub remediation: Cow<'static, str>,
    pub incidents: Vec<String>,
    pub evidence: Map<String, Value>,
    pub mute_reason: Option<String>,
    /// Set only when the audit compares with a baseline; absent from the JSON otherwise,
    /// so `hiyari.report/v1` readers see what they always saw.
    pub baseline: Option<Baseline>,
}

impl Finding {
    /// The sort key of the report: status, severity, check, region, resource.
    pub fn sort_key(&self) -> (Status, Severity, &str, &str, &str, &str, &str) {
        (
            self.status,
            self.severity,
            &self.check,
            self.region.as_deref().unwrap_or(""),
            &self.resource.kind,
            &self.resource.id,
            &self.account,
        )
    }

    /// Why a `pass` verified nothing: the check found nothing to inspect in its scope
    /// (GuardDuty off, SES not in use). `None` for a pass that looked at something, and
    /// for every other status. Read from the evidence key [`NOTHING_TO_INSPECT`], which
    /// only the check sets.
    pub fn nothing_to_inspect(&self) -> Option<&str> {
        if self.status != Status::Pass {
            return None;
        }
        self.evidence.get(NOTHING_TO_INSPECT)?.as_str()
    }

    /// The API and error code of an `error` finding.
    pub fn error_source(&self) -> Option<(&str, &str)> {
        let api = self.evidence.get("api")?.as_str()?;
        let code = self.evidence.get("error_code")?.as_str()?;
        Some((api, code))
    }
}

/// The evidence key of a `pass` that had nothing to inspect: its value says why, in a
/// few words ("GuardDuty is off"). It is part of the JSON contract, so a reader can tell
/// "looked and found it absent" from "there was nothing to look at".
pub const NOTHING_TO_INSPECT: &str = "nothing_to_inspect";

/// The stable finding id: a hash of what the finding is about, never of its result, so
/// the same resource keeps its id when it goes from fail to pass.
pub fn stable_id(check: &str, account: &str, region: Option<&str>, resource: &Resource) -> String {
    let mut h = Sha256::new();
    for part in [
        check,
        account,
        region.unwrap_or("-"),
        &resource.kind,
        &resource.id,
    ] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// Builds findings for one check in one account; every finding it makes carries the
/// check's id, severity, remediation and incidents.
#[derive(Debug, Clone)]
pub struct FindingBuilder<'a> {
    meta: &'static CheckMeta,
    account: &'a str,
    partition: &'a str,
}

impl<'a> FindingBuilder<'a> {
    pub fn new(meta: &'static CheckMeta, account: &'a str, partition: &'a str) -> Self {
        Self {
            meta,
            account,
            partition,
        }
    }

    pub fn account(&self) -> &'a str {
        self.account
    }

    /// The check's metadata.
    pub fn meta(&self) -> &'static CheckMeta {
        self.meta
    }

    pub fn partition(&self) -> &'a str {
        self.partition
    }

    /// The account itself as a resource.
    pub fn account_resource(&self) -> Resource {
        Resource::account(self.partition, self.account)
    }

    /// An ARN in this account and partition.
    pub fn arn(&self, service: &str, region: &str, rest: &str) -> String {
        format!(
            "arn:{}:{service}:{region}:{}:{rest}",
            self.partition, self.account
        )
    }

    fn build(
        &self,
        status: Status,
        region: Option<&str>,
        resource: Resource,
        message: String,
        evidence: Map<String, Value>,
    ) -> Finding {
        Finding {
            id: stable_id(self.meta.id, self.account, region, &resource),
            account: self.account.to_string(),
            check: Cow::Borrowed(self.meta.id),
            status,
            severity: self.meta.severity,
            region: region.map(str::to_string),
            resource,
            message,
            remediation: Cow::Borrowed(self.meta.remediation()),
            incidents: self.meta.incidents.iter().map(|s| s.to_string()).collect(),
            evidence,
            mute_reason: None,
            baseline: None,
        }
    }

    pub fn fail(
        &self,
        region: Option<&str>,
        resource: Resource,
        message: impl Into<String>,
        evidence: Map<String, Value>,
    ) -> Finding {
        self.build(Status::Fail, region, resource, message.into(), evidence)
    }

    pub fn pass(
        &self,
        region: Option<&str>,
        resource: Resource,
        message: impl Into<String>,
        evidence: Map<String, Value>,
    ) -> Finding {
        self.build(Status::Pass, region, resource, message.into(), evidence)
    }

    /// A `pass` that verified nothing, because the scope holds nothing to inspect
    /// (the service is off or not in use there). `reason` says why in a few words and
    /// goes into the evidence under [`NOTHING_TO_INSPECT`], so that reports can show
    /// "nothing to check" instead of a verified pass; the decision is the check's.
    pub fn nothing_to_inspect(
        &self,
        region: Option<&str>,
        resource: Resource,
        message: impl Into<String>,
        reason: &str,
        mut evidence: Map<String, Value>,
    ) -> Finding {
        evidence.insert(NOTHING_TO_INSPECT.into(), Value::from(reason));
        self.build(Status::Pass, region, resource, message.into(), evidence)
    }

    /// An `error` finding: the data behind this scope could not be collected. The
    /// evidence names the API, the error code and the IAM action to grant when access
    /// was denied.
    pub fn error(&self, region: Option<&str>, resource: Resource, err: &CollectError) -> Finding {
        let mut evidence = Map::new();
        evidence.insert("api".into(), Value::from(err.api.clone()));
        evidence.insert("error_code".into(), Value::from(err.code.clone()));
        evidence.insert("error_message".into(), Value::from(err.message.clone()));
        let mut message = format!("Could not check: {err}");
        if is_access_denied(&err.code) {
            message.push_str(&format!(
                " (grant the IAM action {} to the principal hiyari runs as)",
                err.api
            ));
        }
        self.build(Status::Error, region, resource, message, evidence)
    }
}

/// Error codes AWS uses for a missing permission.
pub fn is_access_denied(code: &str) -> bool {
    matches!(
        code,
        "AccessDenied"
            | "AccessDeniedException"
            | "UnauthorizedOperation"
            | "UnauthorizedAccess"
            | "AuthorizationError"
            | "Forbidden"
    )
}

/// Builds an evidence map from `(key, value)` pairs.
#[macro_export]
macro_rules! evidence {
    () => { ::serde_json::Map::new() };
    ($($k:expr => $v:expr),+ $(,)?) => {{
        let mut m = ::serde_json::Map::new();
        $( m.insert(($k).to_string(), ::serde_json::json!($v)); )+
        m
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_id_depends_on_what_not_on_result() {
        let r = Resource::new("AWS::EC2::Snapshot", "snap-1", None);
        let a = stable_id("public-snapshot", "111122223333", Some("sa-east-1"), &r);
        assert_eq!(
            a,
            stable_id("public-snapshot", "111122223333", Some("sa-east-1"), &r)
        );
        assert_eq!(a.len(), 32);
        assert_ne!(
            a,
            stable_id("public-snapshot", "111122223333", Some("us-east-1"), &r)
        );
        assert_ne!(
            a,
            stable_id("public-snapshot", "444455556666", Some("sa-east-1"), &r)
        );
        assert_ne!(
            a,
            stable_id("public-ami", "111122223333", Some("sa-east-1"), &r)
        );
        let r2 = Resource::new("AWS::EC2::Snapshot", "snap-2", None);
        assert_ne!(
            a,
            stable_id("public-snapshot", "111122223333", Some("sa-east-1"), &r2)
        );
        // Region None and a region literally named "-" must not be confused with
        // anything real; separators keep "ab"+"c" apart from "a"+"bc".
        assert_ne!(
            stable_id("ab", "c", None, &r),
            stable_id("a", "bc", None, &r)
        );
    }

    #[test]
    fn severity_order_and_parse() {
        assert!(Severity::Critical.at_least(Severity::Low));
        assert!(Severity::Low.at_least(Severity::Low));
        assert!(!Severity::Info.at_least(Severity::Low));
        assert!(!Severity::Medium.at_least(Severity::High));
        assert_eq!("HIGH".parse::<Severity>().unwrap(), Severity::High);
        assert!("severe".parse::<Severity>().is_err());
        assert_eq!(
            "severe".parse::<Severity>().unwrap_err(),
            "unknown severity `severe`: expected one of critical, high, medium, low, info"
        );
        // hiyari.toml reads severities through serde, the reports write them with
        // `as_str`: the two must name them alike.
        for s in Severity::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert_eq!(s.to_string(), s.as_str());
        }
    }
}
