//! The inventory: everything the collectors fetched from AWS, as plain data.
//!
//! Every piece is a [`Collected<T>`]: the data, the error that kept it away (API, error
//! code, message), or `not_collected` when no selected check needed it. Checks read only
//! this model; `hiyari collect` saves it as JSON and `hiyari audit --inventory` reads it
//! back, so a scan can be evaluated offline and reproduced.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::collected::{CollectError, Collected};
use crate::credential_report::CredentialReportRow;
use crate::word::aws_word;

/// The schema tag written into every saved inventory.
pub const INVENTORY_SCHEMA: &str = "hiyari.inventory/v1";

aws_word! {
    /// An EC2 instance's state (`InstanceStateName`).
    pub enum InstanceState {
        Pending = "pending",
        Running = "running",
        ShuttingDown = "shutting-down",
        Terminated = "terminated",
        Stopping = "stopping",
        Stopped = "stopped",
    }
}

impl InstanceState {
    /// The instance exists and can run again (or runs): pending, running, stopping,
    /// stopped.
    pub fn is_live(&self) -> bool {
        matches!(
            self,
            Self::Pending | Self::Running | Self::Stopping | Self::Stopped
        )
    }
}

aws_word! {
    /// A spot instance request's state (`SpotInstanceState`).
    pub enum SpotRequestState {
        Open = "open",
        Active = "active",
        Closed = "closed",
        Cancelled = "cancelled",
        Failed = "failed",
        Disabled = "disabled",
    }
}

impl SpotRequestState {
    /// The request can launch instances: open or active.
    pub fn is_live(&self) -> bool {
        matches!(self, Self::Open | Self::Active)
    }
}

aws_word! {
    /// A spot fleet request's state (`BatchState`).
    pub enum SpotFleetState {
        Submitted = "submitted",
        Active = "active",
        Modifying = "modifying",
        Cancelled = "cancelled",
        CancelledRunning = "cancelled_running",
        CancelledTerminating = "cancelled_terminating",
        Failed = "failed",
    }
}

impl SpotFleetState {
    /// The fleet runs or may launch instances: submitted, active or modifying, and a
    /// state hiyari does not know, which is not assumed to have stopped.
    pub fn is_live(&self) -> bool {
        matches!(
            self,
            Self::Submitted | Self::Active | Self::Modifying | Self::Other(_)
        )
    }
}

aws_word! {
    /// A GuardDuty detector's status.
    pub enum DetectorStatus {
        Enabled = "ENABLED",
        /// Suspended.
        Disabled = "DISABLED",
    }
}

aws_word! {
    /// SES's enforcement status of the account in a region.
    pub enum SesEnforcementStatus {
        Healthy = "HEALTHY",
        Probation = "PROBATION",
        Shutdown = "SHUTDOWN",
    }
}

aws_word! {
    /// An EC2 block-public-access state, of EBS snapshots or of AMIs (AMIs know only
    /// `block-new-sharing` and `unblocked`).
    pub enum BlockPublicAccessState {
        BlockAllSharing = "block-all-sharing",
        BlockNewSharing = "block-new-sharing",
        Unblocked = "unblocked",
    }
}

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

/// Who the scan ran as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub account_id: String,
    pub partition: String,
    pub principal_arn: String,
}

/// A region that was not scanned, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedRegion {
    pub region: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Regions {
    pub scanned: Vec<String>,
    pub skipped: Vec<SkippedRegion>,
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
    pub sweep: Option<crate::sweep::model::SweepData>,
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

/// What IAM ListOrganizationsFeatures says about centralized root access, as seen from
/// the scanned account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationsFeatures {
    /// `listed` (the features below were read), or why IAM would not list them:
    /// `not_management_account` (neither the management account nor IAM's delegated
    /// administrator), `no_organization`, `not_all_features` (the organization has only
    /// consolidated billing) or `iam_trusted_access_off` (trusted access for IAM is not
    /// enabled in Organizations).
    pub status: String,
    pub organization_id: Option<String>,
    /// `RootCredentialsManagement`, `RootSessions`.
    #[serde(default)]
    pub enabled_features: Vec<String>,
}

/// A virtual MFA device assigned to a user (or to the root user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VirtualMfaDevice {
    pub serial_number: String,
    /// The ARN of the user it is assigned to (`arn:aws:iam::123456789012:root` for root).
    pub user_arn: Option<String>,
}

impl VirtualMfaDevice {
    /// Assigned to the root user: IAM names the root user's ARN `...:root`, and the
    /// console names the root's first virtual device `root-account-mfa-device`.
    pub fn is_roots(&self) -> bool {
        self.user_arn
            .as_deref()
            .is_some_and(|a| a.ends_with(":root"))
            || self.serial_number.ends_with("/root-account-mfa-device")
    }
}

/// The users, roles and groups a managed policy is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyAttachments {
    pub policy_arn: String,
    /// `false` when IAM answered NoSuchEntity: the policy does not exist in this
    /// partition, so nothing can have it attached.
    pub exists: bool,
    #[serde(default)]
    pub users: Vec<String>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default)]
    pub groups: Vec<String>,
}

/// The two root-user facts of IAM GetAccountSummary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// `AccountAccessKeysPresent`: the root user has at least one access key.
    pub root_access_keys_present: bool,
    /// `AccountMFAEnabled`: the root user has an MFA device.
    pub root_mfa_enabled: bool,
    /// `AccountPasswordPresent`: the root user has a password. `None` when the summary
    /// does not carry the entry (older inventories, some emulators): then it is not known.
    #[serde(default)]
    pub root_password_present: Option<bool>,
    /// `AccountSigningCertificatesPresent`: the root user has an X.509 signing certificate.
    #[serde(default)]
    pub root_signing_certificates_present: Option<bool>,
}

impl AccountSummary {
    /// The summary says the root user has no credential at all: no password, no access
    /// key, no signing certificate (as after an organization deletes a member account's
    /// root credentials through centralized root access). Nobody can sign in as root
    /// then. `false` when an entry is missing, since that is not known.
    pub fn root_has_no_credentials(&self) -> bool {
        self.root_password_present == Some(false)
            && !self.root_access_keys_present
            && self.root_signing_certificates_present == Some(false)
    }
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

/// What the account spent per region over a window of days, as Cost Explorer reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostByRegion {
    /// The first day read (`YYYY-MM-DD`).
    pub start: String,
    /// The day after the last day read (Cost Explorer's end is exclusive).
    pub end: String,
    /// Each `REGION` group's total over the window, with its unit (`USD`). Cost Explorer's
    /// groups include `global` and `NoRegion`, which are not regions.
    pub costs: Vec<RegionCost>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionCost {
    pub region: String,
    pub amount: f64,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    pub name: String,
    pub budget_type: String,
    pub notifications: Vec<BudgetNotification>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BudgetNotification {
    pub notification_type: String,
    pub comparison_operator: String,
    pub threshold: f64,
}

/// A CloudWatch metric alarm, reduced to what the billing check reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricAlarm {
    pub name: String,
    pub arn: Option<String>,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
    /// `(namespace, metric name)` pairs the alarm watches: its own metric, and every
    /// metric of a metric-math alarm.
    pub metrics: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CloudTrailInventory {
    /// What DescribeTrails (includeShadowTrails) lists in the home region: the region's
    /// own trails and every multi-region or organization trail that covers it. Status and
    /// event selectors are read for the multi-region trails, in each one's home region.
    #[serde(default)]
    pub trails: Collected<Vec<Trail>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trail {
    pub name: String,
    pub arn: Option<String>,
    pub home_region: Option<String>,
    pub multi_region: bool,
    pub organization_trail: bool,
    /// GetTrailStatus `IsLogging` (read for multi-region trails only).
    #[serde(default)]
    pub is_logging: Collected<bool>,
    /// What GetEventSelectors says about management events (multi-region trails only).
    #[serde(default)]
    pub management_events: Collected<ManagementEvents>,
}

/// Which management events a trail records, from its basic or advanced event selectors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagementEvents {
    pub read: bool,
    pub write: bool,
    /// `basic`, `advanced`, or `none` (no selector at all: the trail records nothing).
    pub selectors: String,
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

/// One alternate contact type and what the account has for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternateContact {
    /// `SECURITY`, `BILLING` or `OPERATIONS`.
    pub contact_type: String,
    /// The contact (`None` when the account has none: ResourceNotFoundException), or the
    /// error that kept it away.
    pub contact: Collected<Option<Contact>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: Option<String>,
    pub title: Option<String>,
    pub email: Option<String>,
}

/// The four S3 Block Public Access settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

/// An unarchived GuardDuty finding (ListFindings, then GetFindings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GuardDutyFinding {
    pub detector_id: String,
    pub id: String,
    pub arn: Option<String>,
    /// e.g. `UnauthorizedAccess:IAMUser/RootCredentialUsage`.
    pub finding_type: String,
    pub severity: f64,
    pub title: Option<String>,
    /// The affected resource's type (`Instance`, `AccessKey`, `S3Bucket`, ...).
    pub resource_type: Option<String>,
    /// The affected resource: an instance id, a user name, a bucket name, ...
    pub resource_id: Option<String>,
    /// How many times GuardDuty saw the activity.
    pub count: Option<i64>,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
}

/// SES v2 GetAccount, reduced to what ses-sending-health reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SesAccount {
    /// `false`: SES is not offered in this region (nothing else is set).
    pub offered: bool,
    pub enforcement_status: Option<SesEnforcementStatus>,
    pub sending_enabled: Option<bool>,
    pub production_access_enabled: Option<bool>,
    pub max_24_hour_send: Option<f64>,
    pub sent_last_24_hours: Option<f64>,
}

impl SesAccount {
    /// SES is in use in the region: the account has production access, sent mail in
    /// the last 24 hours, or is under enforcement (probation or shutdown, which only
    /// sending earns).
    pub fn in_use(&self) -> bool {
        self.offered
            && (self.production_access_enabled == Some(true)
                || self.sent_last_24_hours.is_some_and(|n| n > 0.0)
                || self
                    .enforcement_status
                    .as_ref()
                    .is_some_and(|s| *s != SesEnforcementStatus::Healthy))
    }
}

/// The latest SES reputation metrics (CloudWatch AWS/SES), as ratios (0.05 is 5%).
/// `None`: no datapoint in the window read (SES publishes them once there is enough
/// sending to compute them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SesReputation {
    pub bounce_rate: Option<f64>,
    pub complaint_rate: Option<f64>,
    /// The window read, in hours back from the scan.
    pub window_hours: u32,
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

/// One console sign-in of the root user, from its CloudTrail record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RootSignIn {
    pub time: String,
    pub source_ip: Option<String>,
    /// `additionalEventData.MFAUsed` is `Yes`.
    pub mfa_used: Option<bool>,
    /// `responseElements.ConsoleLogin`: `Success` or `Failure`.
    pub outcome: Option<String>,
    #[serde(default)]
    pub user_agent: Option<String>,
}

/// A manual RDS DB snapshot or DB cluster snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RdsSnapshot {
    pub id: String,
    pub arn: Option<String>,
    /// The DB instance or DB cluster it was taken from.
    pub source: Option<String>,
    pub engine: Option<String>,
    pub create_time: Option<String>,
    pub encrypted: Option<bool>,
    /// The accounts (or `all`) its `restore` attribute names, from
    /// Describe(DB|DBCluster)SnapshotAttributes; `None` when it could not be read.
    pub restorable_by: Option<Vec<String>>,
    /// Why the attribute could not be read, when it could not.
    #[serde(default)]
    pub attribute_error: Option<CollectError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardDutyDetector {
    pub id: String,
    pub status: DetectorStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    pub id: String,
    pub name: Option<String>,
    pub owner_id: Option<String>,
    pub public: bool,
    pub creation_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub id: String,
    pub owner_id: Option<String>,
    pub volume_id: Option<String>,
    pub volume_size_gib: Option<i32>,
    pub description: Option<String>,
    pub start_time: Option<String>,
    pub encrypted: Option<bool>,
    /// The snapshot's `createVolumePermission` attribute (DescribeSnapshotAttribute)
    /// grants group `all`: `Some(true)` confirmed public, `None` when the attribute
    /// could not be read (see `permission_error`).
    #[serde(default)]
    pub create_volume_permission_all: Option<bool>,
    /// Why the attribute could not be read, when it could not.
    #[serde(default)]
    pub permission_error: Option<CollectError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub id: String,
    pub state: InstanceState,
    pub instance_type: Option<String>,
    pub launch_time: Option<String>,
    pub spot_request_id: Option<String>,
    /// The `Name` tag, if any.
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpotRequest {
    pub id: String,
    pub state: SpotRequestState,
    pub instance_type: Option<String>,
    pub create_time: Option<String>,
    pub instance_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpotFleet {
    pub id: String,
    pub state: SpotFleetState,
    pub target_capacity: Option<i32>,
    pub create_time: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: Option<String>,
    pub vpc_id: Option<String>,
    pub owner_id: Option<String>,
    pub egress: Vec<IpRule>,
    /// The inbound rules. `None` in inventories saved before they were recorded: a
    /// check reading them then reports an error, never a pass.
    #[serde(default)]
    pub ingress: Option<Vec<IpRule>>,
}

/// One permission of a security group: a protocol and port range, from or to a set of
/// CIDRs (rules naming other groups or prefix lists keep only their CIDRs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpRule {
    /// `-1` for all protocols, else `tcp`, `udp`, `icmp` or a protocol number.
    pub protocol: String,
    pub from_port: Option<i32>,
    pub to_port: Option<i32>,
    pub ipv4_ranges: Vec<String>,
    pub ipv6_ranges: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkInterface {
    pub id: String,
    pub group_ids: Vec<String>,
    pub description: Option<String>,
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
        let text = include_str!("../../examples/inc-2015-leaked-root-key.inventory.json");
        let inv: Inventory = serde_json::from_str(text).unwrap();
        let again = serde_json::to_string_pretty(&inv).unwrap() + "\n";
        assert!(
            again == text,
            "the example inventory changed on a round trip"
        );
    }
}
