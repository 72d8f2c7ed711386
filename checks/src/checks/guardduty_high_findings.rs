use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};

crate::check! {
    /// Fails on an unarchived GuardDuty finding of severity 7 or more (ListFindings with
    /// `severity` >= 7 and `service.archived` = false, then GetFindings in batches of 50):
    /// one fail per finding, with its type, resource and count. A region with no detector
    /// passes, marked as having nothing to inspect (guardduty-enabled fails it).
    ///
    /// ## What it does
    /// In every scanned region, for each GuardDuty detector (ListDetectors, GetDetector):
    /// ListFindings with the criteria severity >= 7 and service.archived = false (every
    /// page), then GetFindings for them in batches of 50. Each finding fails on its own,
    /// with its type (e.g. UnauthorizedAccess:IAMUser/RootCredentialUsage), the affected
    /// resource and GuardDuty's count. A region with detectors and no such finding passes;
    /// a region with no detector passes and says so (guardduty-enabled fails it). Archiving
    /// a finding (or suppressing it with a filter) clears it.
    ///
    /// ## Why is this bad
    /// In INC-2024-ROOT-KEY-IN-SCRIPT GuardDuty, once turned on, reported
    /// IAMUser/RootCredentialUsage (an old backup script calling DescribeVolumes with a
    /// root key written in it) and then DefenseEvasion:EC2/UnusualDNSResolver (an instance
    /// talking to an unexpected DNS server). High-severity findings such as these, or
    /// CryptoCurrency:EC2/BitcoinTool.B on a mining instance, mean a resource is
    /// compromised or being misused now; left unread, GuardDuty protects nothing.
    ///
    /// ## How to fix
    /// Open each finding (GuardDuty console > Findings, in the region named), follow the
    /// finding type's remediation in the GuardDuty user guide (rotate or delete the exposed
    /// credentials, isolate and snapshot the instance, remove what should not run), then
    /// archive it: `aws guardduty archive-findings --region REGION --detector-id DETECTOR
    /// --finding-ids ID`. For expected activity, add a suppression rule instead of
    /// archiving by hand. Send findings to someone: an EventBridge rule on GuardDuty
    /// findings to SNS or chat.
    pub struct GuardDutyHighFindings;
    id: "guardduty-high-findings",
    title: "No unarchived high-severity GuardDuty finding is left open",
    severity: High,
    scope: Region,
    incidents: [ROOT_KEY_IN_SCRIPT],
    sources: [GuardDutyDetectors, GuardDutyFindings],
}

impl Check for GuardDutyHighFindings {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.per_region(Source::GuardDutyDetectors, |region, inv| {
            let detectors = inv.guardduty_detectors.of(Source::GuardDutyDetectors)?;
            if detectors.is_empty() {
                return Ok(vec![b.nothing_to_inspect(
                    Some(region),
                    Resource::region(region),
                    format!(
                        "GuardDuty has no detector in {region}, so it has no findings to read (guardduty-enabled reports the missing detector)"
                    ),
                    "GuardDuty is off",
                    evidence! { "detectors" => Vec::<String>::new() },
                )]);
            }
            let findings = inv.guardduty_findings.of(Source::GuardDutyFindings)?;
            let ids: Vec<&str> = detectors.iter().map(|d| d.id.as_str()).collect();
            if findings.is_empty() {
                return Ok(vec![b.pass(
                    Some(region),
                    Resource::region(region),
                    format!(
                        "GuardDuty has no unarchived finding of severity 7 or more in {region}"
                    ),
                    evidence! { "detectors" => ids },
                )]);
            }
            Ok(findings
                .iter()
                .map(|g| {
                    let on = match (&g.resource_type, &g.resource_id) {
                        (Some(t), Some(id)) => format!(" on {t} {id}"),
                        (Some(t), None) => format!(" on {t}"),
                        _ => String::new(),
                    };
                    let seen = match g.count {
                        Some(n) if n > 1 => format!(", seen {n} times"),
                        _ => String::new(),
                    };
                    b.fail(
                        Some(region),
                        Resource::new("AWS::GuardDuty::Finding", &g.id, g.arn.clone()),
                        format!(
                            "GuardDuty finding {} (severity {}){on} in {region} is open{seen}",
                            g.finding_type, g.severity
                        ),
                        evidence! {
                            "type" => g.finding_type,
                            "severity" => g.severity,
                            "title" => g.title,
                            "resource_type" => g.resource_type,
                            "resource_id" => g.resource_id,
                            "count" => g.count,
                            "first_seen" => g.first_seen,
                            "last_seen" => g.last_seen,
                            "detector_id" => g.detector_id,
                        },
                    )
                })
                .collect())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{Collected, GuardDutyDetector, GuardDutyFinding};

    fn det() -> Collected<Vec<GuardDutyDetector>> {
        Collected::Ok(vec![GuardDutyDetector {
            id: "d1".into(),
            status: "ENABLED".into(),
        }])
    }

    fn finding(id: &str, kind: &str) -> GuardDutyFinding {
        GuardDutyFinding {
            detector_id: "d1".into(),
            id: id.into(),
            arn: Some(format!(
                "arn:aws:guardduty:us-east-1:{ACCOUNT}:detector/d1/finding/{id}"
            )),
            finding_type: kind.into(),
            severity: 8.0,
            title: Some("Root credentials used".into()),
            resource_type: Some("AccessKey".into()),
            resource_id: Some("Root".into()),
            count: Some(12),
            first_seen: Some("2026-10-01T00:00:00.000Z".into()),
            last_seen: Some("2026-11-20T00:00:00.000Z".into()),
        }
    }

    #[test]
    fn one_fail_per_open_finding_pass_elsewhere() {
        let mut acc = account(&["us-east-1", "sa-east-1", "eu-west-1"]);
        let r = region(&mut acc, "us-east-1");
        r.guardduty_detectors = det();
        r.guardduty_findings = Collected::Ok(vec![
            finding("f1", "UnauthorizedAccess:IAMUser/RootCredentialUsage"),
            finding("f2", "CryptoCurrency:EC2/BitcoinTool.B"),
        ]);
        region(&mut acc, "sa-east-1").guardduty_detectors = det();
        // eu-west-1: no detector, so no findings were read.
        region(&mut acc, "eu-west-1").guardduty_findings = Collected::NotCollected;
        let f = run(&GuardDutyHighFindings, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("us-east-1"), "f1"),
                o(Status::Fail, Some("us-east-1"), "f2"),
                o(Status::Pass, Some("eu-west-1"), "eu-west-1"),
                o(Status::Pass, Some("sa-east-1"), "sa-east-1"),
            ]
        );
        let f1 = f.iter().find(|f| f.resource.id == "f1").unwrap();
        assert_eq!(
            f1.evidence["type"],
            "UnauthorizedAccess:IAMUser/RootCredentialUsage"
        );
        assert_eq!(f1.evidence["count"], 12);
        assert_eq!(f1.evidence["resource_id"], "Root");
        assert!(
            f1.message.contains("on AccessKey Root") && f1.message.contains("12 times"),
            "{}",
            f1.message
        );
        let none = f.iter().find(|f| f.resource.id == "eu-west-1").unwrap();
        assert!(none.message.contains("no detector"), "{}", none.message);
        assert_eq!(none.nothing_to_inspect(), Some("GuardDuty is off"));
        assert_eq!(none.evidence["nothing_to_inspect"], "GuardDuty is off");
        // A region with a detector and no finding did look: a pass that verified.
        let looked = f.iter().find(|f| f.resource.id == "sa-east-1").unwrap();
        assert_eq!(looked.nothing_to_inspect(), None);
    }

    #[test]
    fn error_when_findings_or_detectors_cannot_be_read() {
        let mut acc = account(&["us-east-1", "sa-east-1"]);
        let r = region(&mut acc, "us-east-1");
        r.guardduty_detectors = det();
        r.guardduty_findings = Collected::Error(crate::inventory::CollectError::new(
            "guardduty:ListFindings",
            "HTTP404",
            "HTTP status 404",
        ));
        region(&mut acc, "sa-east-1").guardduty_detectors =
            Collected::Error(denied("guardduty:ListDetectors"));
        let f = run(&GuardDutyHighFindings, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Error, Some("sa-east-1"), "sa-east-1"),
                o(Status::Error, Some("us-east-1"), "us-east-1"),
            ]
        );
        let us = f.iter().find(|f| f.resource.id == "us-east-1").unwrap();
        assert_eq!(
            us.error_source(),
            Some(("guardduty:ListFindings", "HTTP404"))
        );
    }
}
