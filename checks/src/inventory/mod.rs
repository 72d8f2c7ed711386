//! The inventory: everything the collectors fetched from AWS, as plain data.
//!
//! Every piece is a [`Collected<T>`]: the data, the error that kept it away (API, error
//! code, message), or `not_collected` when no selected check needed it. Checks read only
//! this model; `hiyari collect` saves it as JSON and `hiyari audit --inventory` reads it
//! back, so a scan can be evaluated offline and reproduced. This file holds the
//! containers (the account's and each region's inventory); [`items`] the data in them;
//! [`sweep`] what `hiyari sweep` collects.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::collected::{CollectError, Collected};
use crate::credential_report::CredentialReportRow;

pub mod items;
pub use items::*;
pub mod sweep;

/// The schema tag written into every saved inventory.
pub const INVENTORY_SCHEMA: &str = "hiyari.inventory/v1";

/// A saved inventory: one or more accounts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    pub schema: String,
    pub tool_version: String,
    pub accounts: Vec<AccountInventory>,
    /// When the scan ended. Last, since `hiyari collect` writes the accounts as they
    /// are scanned.
    pub collected_at: String,
}

impl Inventory {
    /// Narrows a saved inventory to `regions` (`audit --inventory --regions`), as a scan
    /// with `--regions` would have: in every audited account, the scanned regions not
    /// named move to `skipped` ("not selected (--regions)") and their data is dropped.
    /// A named region that no audited account scanned is an error naming the regions
    /// it holds, so a typo cannot silently leave a region out.
    pub fn select_regions(&mut self, regions: &[String]) -> Result<(), String> {
        let audited = || self.accounts.iter().filter(|a| a.failure.is_none());
        for r in regions {
            if !audited().any(|a| a.regions.scanned.contains(r)) {
                let mut held: Vec<&str> = audited()
                    .flat_map(|a| a.regions.scanned.iter().map(String::as_str))
                    .collect();
                held.sort_unstable();
                held.dedup();
                return Err(format!(
                    "--regions names `{r}`, which the inventory does not hold (it has {})",
                    if held.is_empty() {
                        "no region".to_string()
                    } else {
                        held.join(", ")
                    }
                ));
            }
        }
        for acc in self.accounts.iter_mut().filter(|a| a.failure.is_none()) {
            let (keep, drop): (Vec<String>, Vec<String>) = acc
                .regions
                .scanned
                .drain(..)
                .partition(|r| regions.contains(r));
            acc.regions.scanned = keep;
            for r in drop {
                acc.regional.remove(&r);
                acc.regions.skipped.push(SkippedRegion {
                    region: r,
                    reason: "not selected (--regions)".into(),
                });
            }
        }
        Ok(())
    }
}

/// Everything collected for one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountInventory {
    pub identity: Identity,
    /// The region the credentials' profile or environment names; the default allowed
    /// region for compute.
    #[serde(default)]
    pub home_region: Option<String>,
    pub regions: Regions,
    #[serde(default)]
    pub iam: IamInventory,
    #[serde(default)]
    pub billing: BillingInventory,
    #[serde(default)]
    pub cloudtrail: CloudTrailInventory,
    #[serde(default)]
    pub s3: S3Inventory,
    #[serde(default)]
    pub contacts: ContactsInventory,
    /// Per scanned region.
    #[serde(default)]
    pub regional: BTreeMap<String, RegionInventory>,
    /// Set when the account could not be audited at all (its role could not be
    /// assumed, its credentials were refused): every selected check then reports an
    /// `error` for the account, naming this failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<CollectError>,
    /// What a sweep collected (`hiyari sweep`, [`crate::needs::Needs::sweep`]); absent
    /// from an audit's inventory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<self::sweep::SweepData>,
}

impl AccountInventory {
    /// An account that could not be audited at all, and why.
    pub fn failed(identity: Identity, home_region: Option<String>, failure: CollectError) -> Self {
        Self {
            identity,
            home_region,
            regions: Regions::default(),
            iam: IamInventory::default(),
            billing: BillingInventory::default(),
            cloudtrail: CloudTrailInventory::default(),
            s3: S3Inventory::default(),
            contacts: ContactsInventory::default(),
            regional: BTreeMap::new(),
            failure: Some(failure),
            sweep: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct IamInventory {
    #[serde(default)]
    pub account_summary: Collected<AccountSummary>,
    #[serde(default)]
    pub credential_report: Collected<Vec<CredentialReportRow>>,
    /// Who has AWS's quarantine policies attached (IAM ListEntitiesForPolicy on each
    /// AWSCompromisedKeyQuarantine ARN of the partition).
    #[serde(default)]
    pub quarantine_policies: Collected<Vec<PolicyAttachments>>,
    /// IAM ListOrganizationsFeatures: the organization's centralized root access.
    #[serde(default)]
    pub organizations_features: Collected<OrganizationsFeatures>,
    /// IAM ListVirtualMFADevices (AssignmentStatus=Assigned).
    #[serde(default)]
    pub virtual_mfa_devices: Collected<Vec<VirtualMfaDevice>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BillingInventory {
    /// AWS Budgets with their notifications.
    #[serde(default)]
    pub budgets: Collected<Vec<Budget>>,
    /// CloudWatch alarms on AWS/Billing EstimatedCharges (us-east-1).
    #[serde(default)]
    pub billing_alarms: Collected<Vec<MetricAlarm>>,
    /// Cost Explorer GetCostAndUsage, UnblendedCost grouped by region.
    #[serde(default)]
    pub cost_by_region: Collected<CostByRegion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CloudTrailInventory {
    /// What DescribeTrails (includeShadowTrails) lists in the home region: the region's
    /// own trails and every multi-region or organization trail that covers it. Status and
    /// event selectors are read for the multi-region trails, in each one's home region.
    #[serde(default)]
    pub trails: Collected<Vec<Trail>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct S3Inventory {
    /// The account-level S3 Block Public Access settings (S3 Control
    /// GetPublicAccessBlock). `None`: the account has none configured (the API answers
    /// NoSuchPublicAccessBlockConfiguration).
    #[serde(default)]
    pub account_public_access_block: Collected<Option<PublicAccessBlock>>,
}

/// The account's alternate contacts (Account GetAlternateContact).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ContactsInventory {
    /// One entry per contact type read: `SECURITY`, `BILLING`, `OPERATIONS`.
    #[serde(default)]
    pub alternate_contacts: Collected<Vec<AlternateContact>>,
}

/// Everything collected in one region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RegionInventory {
    #[serde(default)]
    pub guardduty_detectors: Collected<Vec<GuardDutyDetector>>,
    /// AMIs the account owns (DescribeImages Owners=self).
    #[serde(default)]
    pub images: Collected<Vec<Image>>,
    /// Snapshots restorable by everyone (DescribeSnapshots OwnerIds=self,
    /// RestorableByUserIds=all), as the API returned them: checks filter on owner.
    #[serde(default)]
    pub public_snapshots: Collected<Vec<Snapshot>>,
    #[serde(default)]
    pub instances: Collected<Vec<Instance>>,
    #[serde(default)]
    pub spot_requests: Collected<Vec<SpotRequest>>,
    #[serde(default)]
    pub spot_fleets: Collected<Vec<SpotFleet>>,
    #[serde(default)]
    pub security_groups: Collected<Vec<SecurityGroup>>,
    /// Network interfaces, reduced to the security groups each carries.
    #[serde(default)]
    pub network_interfaces: Collected<Vec<NetworkInterface>>,
    /// Unarchived GuardDuty findings of severity 7 or more, of every detector.
    #[serde(default)]
    pub guardduty_findings: Collected<Vec<GuardDutyFinding>>,
    /// EC2 GetSnapshotBlockPublicAccessState.
    #[serde(default)]
    pub snapshot_block_public_access: Collected<BlockPublicAccessState>,
    /// EC2 GetImageBlockPublicAccessState.
    #[serde(default)]
    pub image_block_public_access: Collected<BlockPublicAccessState>,
    #[serde(default)]
    pub ses_account: Collected<SesAccount>,
    /// Read only where SES is in use ([`SesAccount::in_use`]).
    #[serde(default)]
    pub ses_reputation: Collected<SesReputation>,
    /// Manual DB snapshots the account owns (DescribeDBSnapshots SnapshotType=manual),
    /// each with its `restore` attribute.
    #[serde(default)]
    pub rds_snapshots: Collected<Vec<RdsSnapshot>>,
    /// Manual DB cluster snapshots (DescribeDBClusterSnapshots SnapshotType=manual).
    #[serde(default)]
    pub rds_cluster_snapshots: Collected<Vec<RdsSnapshot>>,
    /// The root user's console sign-ins (CloudTrail LookupEvents EventName=ConsoleLogin,
    /// root's kept) over root-sign-ins' `days`.
    #[serde(default, skip_serializing_if = "Collected::is_not_collected")]
    pub root_sign_ins: Collected<Vec<RootSignIn>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::account;

    fn inventory() -> Inventory {
        Inventory {
            schema: INVENTORY_SCHEMA.into(),
            tool_version: "0.1.0".into(),
            collected_at: "2026-11-20T00:00:00Z".into(),
            accounts: vec![account(&["ap-northeast-1", "sa-east-1", "us-east-1"])],
        }
    }

    #[test]
    fn select_regions_narrows_like_a_scan_with_regions() {
        let mut inv = inventory();
        assert!(inv.accounts[0].regional.contains_key("us-east-1"));
        inv.select_regions(&["sa-east-1".into(), "ap-northeast-1".into()])
            .unwrap();
        let acc = &inv.accounts[0];
        assert_eq!(acc.regions.scanned, ["ap-northeast-1", "sa-east-1"]);
        assert_eq!(
            acc.regions.skipped,
            [SkippedRegion {
                region: "us-east-1".into(),
                reason: "not selected (--regions)".into()
            }]
        );
        assert!(!acc.regional.contains_key("us-east-1"));
    }

    #[test]
    fn select_regions_refuses_a_region_the_inventory_does_not_hold() {
        let mut inv = inventory();
        let before = inv.clone();
        let err = inv.select_regions(&["eu-west-9".into()]).unwrap_err();
        assert!(err.contains("`eu-west-9`"), "{err}");
        assert!(
            err.contains("ap-northeast-1, sa-east-1, us-east-1"),
            "{err}"
        );
        assert_eq!(inv, before, "nothing changes on a refusal");
    }

    #[test]
    fn known_words_parse_to_their_variants() {
        assert_eq!(
            InstanceState::from("shutting-down"),
            InstanceState::ShuttingDown
        );
        assert_eq!(SpotRequestState::from("open"), SpotRequestState::Open);
        assert_eq!(
            SpotFleetState::from("cancelled_running"),
            SpotFleetState::CancelledRunning
        );
        assert_eq!(DetectorStatus::from("DISABLED"), DetectorStatus::Disabled);
        assert_eq!(
            SesEnforcementStatus::from("SHUTDOWN"),
            SesEnforcementStatus::Shutdown
        );
        assert_eq!(
            BlockPublicAccessState::from("block-all-sharing"),
            BlockPublicAccessState::BlockAllSharing
        );
    }

    /// A word AWS adds later is kept as written, shown as written, and is no known state:
    /// words are compared exactly, so a case AWS never writes is unknown too.
    #[test]
    fn unknown_words_are_kept_as_other() {
        let s = InstanceState::from("hibernating");
        assert_eq!(s, InstanceState::Other("hibernating".into()));
        assert_eq!(s.to_string(), "hibernating");
        assert!(!s.is_live());
        assert_eq!(
            DetectorStatus::from("enabled"),
            DetectorStatus::Other("enabled".into())
        );
        assert_eq!(
            SesEnforcementStatus::from(String::from("REVIEW")).as_str(),
            "REVIEW"
        );
        assert!(!SpotRequestState::from("pending-fulfillment").is_live());
        // Fleets are not filtered by state on the request: a new word may still launch.
        assert!(SpotFleetState::from("pausing").is_live());
        assert!(!SpotFleetState::from("cancelled_terminating").is_live());
        assert_eq!(
            BlockPublicAccessState::from("block-some-sharing"),
            BlockPublicAccessState::Other("block-some-sharing".into())
        );
    }

    /// States read and write as the plain words they were before they were typed, known
    /// or not, so saved inventories read back and serialize to the same bytes.
    #[test]
    fn states_serialize_as_the_words_aws_wrote() {
        let json = r#"{"guardduty_detectors":{"ok":[{"id":"d1","status":"ENABLED"},{"id":"d2","status":"ARCHIVED"}]},"images":"not_collected","public_snapshots":"not_collected","instances":{"ok":[{"id":"i-1","state":"running","instance_type":null,"launch_time":null,"spot_request_id":null,"name":null},{"id":"i-2","state":"hibernating","instance_type":null,"launch_time":null,"spot_request_id":null,"name":null}]},"spot_requests":{"ok":[{"id":"sir-1","state":"open","instance_type":null,"create_time":null,"instance_id":null}]},"spot_fleets":{"ok":[{"id":"sfr-1","state":"paused","target_capacity":null,"create_time":null}]},"security_groups":"not_collected","network_interfaces":"not_collected","guardduty_findings":"not_collected","snapshot_block_public_access":{"ok":"block-all-sharing"},"image_block_public_access":{"ok":"block-everything"},"ses_account":{"ok":{"offered":true,"enforcement_status":"UNDER_REVIEW","sending_enabled":true,"production_access_enabled":null,"max_24_hour_send":null,"sent_last_24_hours":null}},"ses_reputation":"not_collected","rds_snapshots":"not_collected","rds_cluster_snapshots":"not_collected"}"#;
        let inv: RegionInventory = serde_json::from_str(json).unwrap();
        let Collected::Ok(detectors) = &inv.guardduty_detectors else {
            panic!("detectors read")
        };
        assert_eq!(detectors[0].status, DetectorStatus::Enabled);
        assert_eq!(
            detectors[1].status,
            DetectorStatus::Other("ARCHIVED".into())
        );
        assert_eq!(
            inv.image_block_public_access,
            Collected::Ok(BlockPublicAccessState::Other("block-everything".into()))
        );
        assert_eq!(serde_json::to_string(&inv).unwrap(), json);
    }

    /// The shipped example reads back and serializes to the very bytes `hiyari collect
    /// --output` wrote: typed states changed nothing in the format.
    #[test]
    fn the_example_inventory_serializes_byte_identically() {
        let text = include_str!("../../../examples/inc-2015-leaked-root-key.inventory.json");
        let inv: Inventory = serde_json::from_str(text).unwrap();
        let again = serde_json::to_string_pretty(&inv).unwrap() + "\n";
        assert!(
            again == text,
            "the example inventory changed on a round trip"
        );
    }
}
