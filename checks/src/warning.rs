//! Run warnings: what a reader of the report should know that is not a finding (an
//! accepted risk that expired or matched nothing, an allowed region that does not
//! exist, an account given twice to `hiyari merge`).
//!
//! They are structured, not only sentences, because pipelines read them: the JSON
//! report carries them as its `warnings` array, SARIF as tool configuration
//! notifications, and `--fail-on-warnings` turns them into an exit code.

use serde::{Deserialize, Serialize};

/// The kinds hiyari writes. A report from a newer hiyari may carry others: `kind` is a
/// string so that reading it back keeps them.
pub mod kind {
    /// An `[[accept]]` entry past its `expires` date: it no longer mutes anything.
    pub const ACCEPT_EXPIRED: &str = "accept-expired";
    /// An `[[accept]]` entry for a check that ran which matched no failing finding.
    pub const ACCEPT_UNMATCHED: &str = "accept-unmatched";
    /// `allowed_regions` names a region the account does not have.
    pub const UNKNOWN_ALLOWED_REGION: &str = "unknown-allowed-region";
    /// `hiyari merge` was given the same account in two reports.
    pub const DUPLICATE_ACCOUNT: &str = "duplicate-account";
    /// A report given to `hiyari merge`, `diff` or `--baseline` repeats findings
    /// (another report's, or its own) exactly: each is kept once.
    pub const DUPLICATE_FINDING: &str = "duplicate-finding";
}

/// One warning. `message` is the sentence shown on stderr and in the human formats;
/// the other fields say the same for a program, each present when it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub kind: String,
    pub message: String,
    /// The configuration file of the entry the warning is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    /// Its line in that file (1-based).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The accepted risk's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The accepted risk's last day (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    /// The report a merged warning came from (its file), when it came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Warning {
    /// A warning of `kind` saying `message`, with no other field.
    pub fn new(kind: &str, message: impl Into<String>) -> Warning {
        Warning {
            kind: kind.to_string(),
            message: message.into(),
            config: None,
            line: None,
            check: None,
            account: None,
            region: None,
            resource: None,
            reason: None,
            expires: None,
            source: None,
        }
    }

    /// The same warning, about account `id`.
    pub fn of_account(mut self, id: impl Into<String>) -> Warning {
        self.account = Some(id.into());
        self
    }

    /// The same warning, about `region`.
    pub fn in_region(mut self, region: impl Into<String>) -> Warning {
        self.region = Some(region.into());
        self
    }

    /// The same warning as read from the report `name` (merge): said so in the message.
    pub fn from_report(mut self, name: &str) -> Warning {
        self.message = format!("{name}: {}", self.message);
        self.source.get_or_insert_with(|| name.to_string());
        self
    }
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
