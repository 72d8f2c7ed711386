//! The `hiyari.sweep/v1` report, as `hiyari sweep` writes it in JSON and every renderer
//! takes it: the window and query, the accounts, the keys, the resources created and who
//! created them, the activity, sign-ins, spend, notices, what could not be read, and
//! whether it is complete.

use serde::{Deserialize, Serialize};

use crate::inventory::sweep::{SweepQuery, Window};
use crate::inventory::Regions;
use crate::warning::Warning;

/// The schema tag of the sweep report.
pub const SCHEMA: &str = "hiyari.sweep/v1";

/// Warning kinds of a sweep.
pub mod kind {
    /// The AWS Health API needs a Business or Enterprise support plan.
    pub const NO_SUPPORT_PLAN: &str = "health-no-support-plan";
    /// A region had more write events than `--max-events`.
    pub const EVENT_BOUND: &str = "event-bound-reached";
    /// Spend was not read (opted out).
    pub const SPEND_NOT_READ: &str = "spend-not-read";
    /// Resources created in the window by principals the sweep did not name.
    pub const OTHER_PRINCIPALS: &str = "created-by-other-principals";
    /// An event record that was not valid JSON.
    pub const UNREADABLE_EVENT: &str = "unreadable-event";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepReport {
    pub schema: String,
    pub tool: Tool,
    pub window: Window,
    pub query: SweepQuery,
    pub collected_at: String,
    /// False when something could not be read or a bound was reached (exit 3).
    pub complete: bool,
    /// A region's write events went past `query.max_events`: the activity is cut there.
    pub bound_reached: bool,
    pub accounts: Vec<AccountEntry>,
    pub keys: Vec<KeyEntry>,
    pub resources: Vec<ResourceEntry>,
    pub activity: Vec<ActivityEntry>,
    pub sign_ins: Vec<SignInEntry>,
    pub spend: Vec<SpendEntry>,
    pub notices: Vec<NoticeEntry>,
    pub errors: Vec<ErrorEntry>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountEntry {
    pub id: String,
    pub partition: String,
    pub principal: String,
    pub regions: Regions,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEntry {
    pub access_key_id: String,
    pub account: String,
    pub user: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub last_used_at: Option<String>,
    pub last_used_service: Option<String>,
    pub last_used_region: Option<String>,
    /// AWS's quarantine policy is attached to the owning user; `null` when not known.
    pub quarantined: Option<bool>,
    /// The key that minted this temporary key; `null` for a named key.
    pub derived_from: Option<String>,
    /// For a temporary key: the call that minted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minted_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceEntry {
    pub account: String,
    pub region: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub created_at: Option<String>,
    pub state: Option<String>,
    pub created_by: Option<CreatedBy>,
    /// Why `created_by` is null: "not found in CloudTrail: ...".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by_note: Option<String>,
    /// The AWS CLI command that removes it, to review (hiyari runs none).
    pub removal: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedBy {
    pub principal: Option<String>,
    pub access_key_id: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub event_name: String,
    pub event_time: String,
    /// The named key a temporary key came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub account: String,
    pub region: String,
    pub time: String,
    pub event_name: String,
    pub event_source: Option<String>,
    pub principal: Option<String>,
    pub access_key_id: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub read_only: Option<bool>,
    pub error_code: Option<String>,
    pub resource_ids: Vec<String>,
    /// The key at the start of the chain of temporary keys this event's key came from,
    /// when it is another key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    pub event_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInEntry {
    pub account: String,
    pub region: String,
    pub time: String,
    pub principal: Option<String>,
    pub identity_type: Option<String>,
    pub source_ip: Option<String>,
    pub mfa_used: Option<bool>,
    pub outcome: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendEntry {
    pub account: String,
    pub region: String,
    pub usd: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeEntry {
    pub account: String,
    pub time: Option<String>,
    pub service: String,
    pub event_type_code: String,
    pub status: Option<String>,
    pub description: Option<String>,
    pub region: Option<String>,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEntry {
    pub account: String,
    /// `null` for an account-wide piece.
    pub region: Option<String>,
    pub api: String,
    pub code: String,
    pub message: String,
}

impl SweepReport {
    /// Something is there to review: a resource, an event, a sign-in or a notice.
    pub fn has_findings(&self) -> bool {
        !self.resources.is_empty()
            || !self.activity.is_empty()
            || !self.sign_ins.is_empty()
            || !self.notices.is_empty()
    }

    /// 3 incomplete (an error, or a bound reached), else 1 something to review, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.complete {
            3
        } else if self.has_findings() {
            1
        } else {
            0
        }
    }
}
