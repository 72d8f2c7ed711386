//! The inventory's items: each piece of AWS data a source collects (a trail, an image, a
//! security group...), the account's identity and its regions, as plain data that the
//! containers in [`super`] hold and the sweep's inventory reuses.

use serde::{Deserialize, Serialize};

use crate::collected::{CollectError, Collected};
use crate::word::aws_word;

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
    /// A region where SES is not offered: nothing was read there.
    pub fn not_offered() -> Self {
        SesAccount {
            offered: false,
            enforcement_status: None,
            sending_enabled: None,
            production_access_enabled: None,
            max_24_hour_send: None,
            sent_last_24_hours: None,
        }
    }

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
