//! The sweep inventory: what the collectors gathered for `hiyari sweep`, as plain data.
//!
//! `hiyari sweep --save FILE` writes it and `hiyari sweep --inventory FILE` evaluates it
//! again with no AWS call. Every piece is a [`Collected<T>`]: a region whose event
//! history could not be read completely is an error there, never a shorter list.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::items::{CostByRegion, Identity, PolicyAttachments, Regions};
use crate::collected::{CollectError, Collected};

/// The schema tag of a saved sweep inventory.
pub const SWEEP_INVENTORY_SCHEMA: &str = "hiyari.sweep-inventory/v1";

/// The time window of a sweep, RFC 3339 in UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub since: String,
    pub until: String,
}

/// What a sweep collects: the window, what to look for, and whether to read spend
/// (Cost Explorer charges USD 0.01 a request).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepPlan {
    pub window: Window,
    pub query: SweepQuery,
    pub spend: bool,
}

/// What the sweep looks for in CloudTrail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SweepQuery {
    /// `--access-key-id`: everything these keys (and the temporary keys they minted) did.
    #[serde(default)]
    pub access_key_ids: Vec<String>,
    /// `--principal`: everything these principals (ARN or user name) did.
    #[serde(default)]
    pub principals: Vec<String>,
    /// With neither: every write event, at most this many per account and region.
    pub max_events: u32,
}

impl SweepQuery {
    /// Keys or principals are named: the activity is theirs only.
    pub fn is_targeted(&self) -> bool {
        !self.access_key_ids.is_empty() || !self.principals.is_empty()
    }
}

/// A saved sweep: the window, the query and one entry per account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepInventory {
    pub schema: String,
    pub tool_version: String,
    pub window: Window,
    pub query: SweepQuery,
    pub accounts: Vec<SweepAccount>,
    pub collected_at: String,
}

/// Everything a sweep collected in one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepAccount {
    pub identity: Identity,
    pub regions: Regions,
    /// Set when the account could not be swept at all (its role could not be assumed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<CollectError>,
    #[serde(flatten)]
    pub data: SweepData,
}

/// The sweep's data of one account (what the collectors fill).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SweepData {
    /// Live resources per region (`global` for IAM), then per type (`ec2:instance`).
    #[serde(default)]
    pub resources: BTreeMap<String, BTreeMap<String, Collected<Vec<LiveResource>>>>,
    /// CloudTrail event history per region: every lookup the sweep made there.
    #[serde(default)]
    pub events: BTreeMap<String, Collected<EventHistory>>,
    /// The named access keys (`--access-key-id`), one entry each.
    #[serde(default)]
    pub keys: Vec<KeyDetails>,
    /// Who has AWS's quarantine policies attached.
    #[serde(default)]
    pub quarantine: Collected<Vec<PolicyAttachments>>,
    /// Spend by region over the window; `not_collected` when opted out.
    #[serde(default)]
    pub spend: Collected<CostByRegion>,
    /// AWS Health events of the RISK and ABUSE services.
    #[serde(default)]
    pub notices: Collected<Notices>,
}

/// A resource that exists now, as its list call gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveResource {
    pub id: String,
    /// A name besides the id (key pair and launch template names, an ARN), which the
    /// creation event may give instead of the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// From the API; `None` where the API gives none (security groups, Lambda
    /// functions).
    pub created_at: Option<String>,
    pub state: Option<String>,
    /// When it was last changed, where the API says so but gives no creation time
    /// (Lambda's `LastModified`): a resource changed in the window may be new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<String>,
}

/// The events one region's history gave, every lookup together (an event found by two
/// lookups is kept once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct EventHistory {
    pub events: Vec<RawEvent>,
    /// The lookups made, as `Attribute=value` (`ReadOnly=false`, `AccessKeyId=AKIA…`).
    pub lookups: Vec<String>,
    /// The write-event lookup stopped at `max_events`: there are more.
    #[serde(default)]
    pub truncated: bool,
    /// Pages read.
    #[serde(default)]
    pub pages: u32,
}

/// One event as LookupEvents returns it: the record is `cloudtrail_event`, a JSON string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawEvent {
    pub event_id: String,
    pub event_name: String,
    pub event_time: String,
    #[serde(default)]
    pub event_source: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub access_key_id: Option<String>,
    #[serde(default)]
    pub read_only: Option<String>,
    /// LookupEvents' `Resources`: `(type, name)`.
    #[serde(default)]
    pub resources: Vec<(Option<String>, String)>,
    #[serde(default)]
    pub cloudtrail_event: Option<String>,
}

/// A named access key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyDetails {
    pub access_key_id: String,
    /// IAM GetAccessKeyLastUsed (and ListAccessKeys for status and creation).
    pub details: Collected<KeyFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct KeyFacts {
    pub user: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub last_used_at: Option<String>,
    pub last_used_service: Option<String>,
    pub last_used_region: Option<String>,
}

/// What AWS Health answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Notices {
    Read {
        events: Vec<HealthEvent>,
    },
    /// SubscriptionRequiredException: the Health API needs a Business or Enterprise
    /// support plan.
    NoSupportPlan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthEvent {
    pub arn: String,
    pub service: String,
    pub event_type_code: String,
    pub status: Option<String>,
    pub start_time: Option<String>,
    pub region: Option<String>,
    /// DescribeEventDetails' latest description.
    #[serde(default)]
    pub description: Option<String>,
}
