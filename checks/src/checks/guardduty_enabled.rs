use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};
use crate::inventory::DetectorStatus;

crate::check! {
    /// Fails when a scanned region has no GuardDuty detector, or it is suspended.
    ///
    /// ## What it does
    /// In every scanned region, lists GuardDuty detectors (ListDetectors) and reads each
    /// (GetDetector). Fails when the region has no detector, or when every detector is
    /// suspended (status DISABLED).
    ///
    /// ## Why is this bad
    /// In INC-2024-ROOT-KEY-IN-SCRIPT nobody knew root credentials were in use until
    /// GuardDuty was turned on and reported IAMUser/RootCredentialUsage, then an instance
    /// contacting an unexpected DNS server. AWS's 'account compromised' notices
    /// (INC-AWS-NOTICES) tell you to enable GuardDuty. Attackers run their instances in the
    /// regions nobody watches, so it must be on in every region, not only the one you use.
    ///
    /// ## How to fix
    /// Enable GuardDuty in every enabled region: in the console per region, or `for r in
    /// $(aws ec2 describe-regions --query 'Regions[].RegionName' --output text); do aws
    /// guardduty create-detector --enable --region $r; done`. In an organization, use a
    /// delegated administrator with auto-enable for all accounts and regions. A suspended
    /// detector: `aws guardduty update-detector --detector-id ID --enable`.
    pub struct GuardDutyEnabled;
    id: "guardduty-enabled",
    title: "GuardDuty is enabled in every region",
    severity: High,
    scope: Region,
    incidents: [ROOT_KEY_IN_SCRIPT, AWS_NOTICES],
    sources: [GuardDutyDetectors],
}

impl Check for GuardDutyEnabled {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.per_region(Source::GuardDutyDetectors, |region, inv| {
            let resource = Resource::region(region);
            let detectors = match inv.guardduty_detectors.of(Source::GuardDutyDetectors) {
                Ok(d) => d,
                Err(e) => return Ok(vec![b.error(Some(region), resource, &e)]),
            };
            let statuses: Vec<_> = detectors
                .iter()
                .map(|d| serde_json::json!({"id": d.id, "status": d.status}))
                .collect();
            Ok(
                if let Some(d) = detectors
                    .iter()
                    .find(|d| d.status == DetectorStatus::Enabled)
                {
                    vec![b.pass(
                        Some(region),
                        resource,
                        format!("GuardDuty detector {} is enabled in {region}", d.id),
                        evidence! { "detectors" => statuses },
                    )]
                } else if detectors.is_empty() {
                    vec![b.fail(
                        Some(region),
                        resource,
                        format!("GuardDuty is not enabled in {region}: no detector"),
                        evidence! { "detectors" => statuses },
                    )]
                } else if detectors
                    .iter()
                    .all(|d| d.status == DetectorStatus::Disabled)
                {
                    vec![b.fail(
                        Some(region),
                        resource,
                        format!("GuardDuty is suspended in {region}: every detector is DISABLED"),
                        evidence! { "detectors" => statuses },
                    )]
                } else {
                    // A status GuardDuty added since is not known to protect anything: it
                    // fails as a suspended one does, naming the status.
                    let listed: Vec<String> = detectors
                        .iter()
                        .map(|d| format!("{} {}", d.id, d.status))
                        .collect();
                    vec![b.fail(
                        Some(region),
                        resource,
                        format!(
                            "GuardDuty is not enabled in {region}: no detector is ENABLED ({})",
                            listed.join(", ")
                        ),
                        evidence! { "detectors" => statuses },
                    )]
                },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{Collected, GuardDutyDetector};

    fn det(id: &str, status: &str) -> GuardDutyDetector {
        GuardDutyDetector {
            id: id.into(),
            status: status.into(),
        }
    }

    #[test]
    fn pass_fail_suspended_and_error_per_region() {
        let mut acc = account(&["us-east-1", "sa-east-1", "eu-west-1", "ap-south-1"]);
        region(&mut acc, "us-east-1").guardduty_detectors =
            Collected::Ok(vec![det("d1", "ENABLED")]);
        // sa-east-1: none at all.
        region(&mut acc, "eu-west-1").guardduty_detectors =
            Collected::Ok(vec![det("d2", "DISABLED")]);
        region(&mut acc, "ap-south-1").guardduty_detectors =
            Collected::Error(denied("guardduty:ListDetectors"));
        let f = run(&GuardDutyEnabled, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("eu-west-1"), "eu-west-1"),
                o(Status::Fail, Some("sa-east-1"), "sa-east-1"),
                o(Status::Error, Some("ap-south-1"), "ap-south-1"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        assert!(f.iter().any(|f| f.message.contains("suspended")));
        assert_errors_named(&f, "guardduty:ListDetectors", "AccessDenied");
    }

    #[test]
    fn one_enabled_detector_among_suspended_passes() {
        let mut acc = account(&["us-east-1"]);
        region(&mut acc, "us-east-1").guardduty_detectors =
            Collected::Ok(vec![det("d0", "DISABLED"), det("d1", "ENABLED")]);
        assert_eq!(
            outcome(&run(&GuardDutyEnabled, &acc)),
            vec![o(Status::Pass, Some("us-east-1"), "us-east-1")]
        );
    }

    /// A status GuardDuty may add is not known to protect anything: it fails, named.
    #[test]
    fn an_unknown_status_fails_and_is_named() {
        let mut acc = account(&["us-east-1"]);
        region(&mut acc, "us-east-1").guardduty_detectors =
            Collected::Ok(vec![det("d0", "DISABLED"), det("d1", "PAUSED")]);
        let f = run(&GuardDutyEnabled, &acc);
        assert_eq!(
            outcome(&f),
            vec![o(Status::Fail, Some("us-east-1"), "us-east-1")]
        );
        assert!(f[0].message.contains("d1 PAUSED"), "{}", f[0].message);
        assert_eq!(f[0].evidence["detectors"][1]["status"], "PAUSED");
    }

    #[test]
    fn a_scanned_region_without_inventory_is_an_error() {
        let mut acc = account(&["us-east-1"]);
        acc.regions.scanned.push("sa-east-1".into());
        let f = run(&GuardDutyEnabled, &acc);
        assert!(f
            .iter()
            .any(|f| f.status == Status::Error && f.region.as_deref() == Some("sa-east-1")));
    }
}
