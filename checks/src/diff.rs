//! Comparing two reports by stable finding id: what is new, what was resolved, what
//! changed status, and marking an audit's findings against a baseline.

use std::collections::BTreeMap;

use crate::finding::{Baseline, Finding, Status};

/// A finding whose status differs between the two reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub from: Status,
    pub to: Status,
    /// The finding as the newer report has it.
    pub finding: Finding,
}

/// The difference between an old and a new report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff {
    /// In the new report only.
    pub new: Vec<Finding>,
    /// In the old report only: the resource or region is gone, or no longer checked.
    pub resolved: Vec<Finding>,
    /// In both, with another status (fail → pass, fail → muted, pass → error, …).
    pub changed: Vec<Change>,
    /// In both, with the same status.
    pub unchanged: Vec<Finding>,
}

impl Diff {
    /// Fails that are new: new findings that fail, and changes into fail.
    pub fn new_fails(&self) -> usize {
        self.new.iter().filter(|f| f.status == Status::Fail).count()
            + self.changed.iter().filter(|c| c.to == Status::Fail).count()
    }
}

/// Compares two lists of findings by id. The output keeps each list's report order.
pub fn diff(old: &[Finding], new: &[Finding]) -> Diff {
    let old_by_id: BTreeMap<&str, &Finding> = old.iter().map(|f| (f.id.as_str(), f)).collect();
    let new_by_id: BTreeMap<&str, &Finding> = new.iter().map(|f| (f.id.as_str(), f)).collect();
    let mut d = Diff::default();
    for f in new {
        match old_by_id.get(f.id.as_str()) {
            None => d.new.push(f.clone()),
            Some(o) if o.status != f.status => d.changed.push(Change {
                from: o.status,
                to: f.status,
                finding: f.clone(),
            }),
            Some(_) => d.unchanged.push(f.clone()),
        }
    }
    d.resolved = old
        .iter()
        .filter(|f| !new_by_id.contains_key(f.id.as_str()))
        .cloned()
        .collect();
    d
}

/// Marks each finding `new` or `existing` against the baseline's findings: existing
/// when the baseline has the same id with the same status.
pub fn mark(findings: &mut [Finding], baseline: &[Finding]) {
    let before: BTreeMap<&str, Status> =
        baseline.iter().map(|f| (f.id.as_str(), f.status)).collect();
    for f in findings {
        f.baseline = Some(match before.get(f.id.as_str()) {
            Some(s) if *s == f.status => Baseline::Existing,
            _ => Baseline::New,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{stable_id, Resource, Severity};

    fn f(check: &str, region: &str, id: &str, status: Status) -> Finding {
        let resource = Resource::new("AWS::EC2::Snapshot", id, None);
        Finding {
            id: stable_id(check, "123456789012", Some(region), &resource),
            account: "123456789012".into(),
            check: check.to_string().into(),
            status,
            severity: Severity::High,
            region: Some(region.into()),
            resource,
            message: String::new(),
            remediation: Default::default(),
            incidents: vec![],
            evidence: Default::default(),
            mute_reason: None,
            baseline: None,
        }
    }

    #[test]
    fn new_resolved_changed_unchanged() {
        let old = vec![
            f("public-snapshot", "us-east-1", "snap-1", Status::Fail),
            f("root-mfa", "-", "acct", Status::Fail),
            f(
                "guardduty-enabled",
                "me-south-1",
                "me-south-1",
                Status::Fail,
            ),
            f("guardduty-enabled", "us-east-1", "us-east-1", Status::Pass),
        ];
        let new = vec![
            f("public-snapshot", "us-east-1", "snap-1", Status::Fail),
            f("public-snapshot", "us-east-1", "snap-2", Status::Fail),
            f("root-mfa", "-", "acct", Status::Pass),
            f("guardduty-enabled", "us-east-1", "us-east-1", Status::Pass),
        ];
        let d = diff(&old, &new);
        let ids = |v: &[Finding]| v.iter().map(|f| f.resource.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&d.new), ["snap-2"]);
        assert_eq!(ids(&d.resolved), ["me-south-1"]);
        assert_eq!(ids(&d.unchanged), ["snap-1", "us-east-1"]);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(
            (d.changed[0].from, d.changed[0].to),
            (Status::Fail, Status::Pass)
        );
        assert_eq!(d.new_fails(), 1);
    }

    #[test]
    fn marks_against_baseline() {
        let base = vec![
            f("public-snapshot", "us-east-1", "snap-1", Status::Fail),
            f("root-mfa", "-", "acct", Status::Pass),
        ];
        let mut now = vec![
            f("public-snapshot", "us-east-1", "snap-1", Status::Fail),
            f("root-mfa", "-", "acct", Status::Fail),
            f("public-snapshot", "us-east-1", "snap-2", Status::Fail),
        ];
        mark(&mut now, &base);
        let marks: Vec<_> = now.iter().map(|f| f.baseline.unwrap()).collect();
        assert_eq!(marks, [Baseline::Existing, Baseline::New, Baseline::New]);
    }
}
