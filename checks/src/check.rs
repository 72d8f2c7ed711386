//! The [`Check`] trait, check metadata, and the data [`Source`]s checks read.
//!
//! A check declares the sources it reads; the collectors fetch only the sources the
//! selected checks need, and the IAM policy is the union of those sources' actions.

use crate::evaluate::EvalOptions;
use crate::finding::{Finding, Severity};
use crate::inventory::AccountInventory;
use crate::params::{NoParams, ParamsSpec, Typed};

/// Where a check's results are scoped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One result for the account (or per account-wide resource, such as an IAM user).
    Account,
    /// One result per scanned region (or per regional resource).
    Region,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Account => "account",
            Scope::Region => "region",
        }
    }
}

/// A piece of inventory the collectors can fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    AccountSummary,
    CredentialReport,
    Budgets,
    BillingAlarms,
    GuardDutyDetectors,
    Images,
    PublicSnapshots,
    Instances,
    SpotRequests,
    SpotFleets,
    SecurityGroups,
    NetworkInterfaces,
    QuarantinePolicies,
    CloudTrailTrails,
    GuardDutyFindings,
    AccountPublicAccessBlock,
    SnapshotBlockPublicAccess,
    ImageBlockPublicAccess,
    SesAccount,
    SesReputation,
}

impl Source {
    pub const ALL: [Source; 20] = [
        Source::AccountSummary,
        Source::CredentialReport,
        Source::Budgets,
        Source::BillingAlarms,
        Source::GuardDutyDetectors,
        Source::Images,
        Source::PublicSnapshots,
        Source::Instances,
        Source::SpotRequests,
        Source::SpotFleets,
        Source::SecurityGroups,
        Source::NetworkInterfaces,
        Source::QuarantinePolicies,
        Source::CloudTrailTrails,
        Source::GuardDutyFindings,
        Source::AccountPublicAccessBlock,
        Source::SnapshotBlockPublicAccess,
        Source::ImageBlockPublicAccess,
        Source::SesAccount,
        Source::SesReputation,
    ];

    /// The IAM actions the collector of this source calls: exactly these, no more.
    pub fn iam_actions(self) -> &'static [&'static str] {
        match self {
            Source::AccountSummary => &["iam:GetAccountSummary"],
            Source::CredentialReport => {
                &["iam:GenerateCredentialReport", "iam:GetCredentialReport"]
            }
            Source::Budgets => &["budgets:ViewBudget"],
            Source::BillingAlarms => &["cloudwatch:DescribeAlarms"],
            Source::GuardDutyDetectors => &["guardduty:ListDetectors", "guardduty:GetDetector"],
            Source::Images => &["ec2:DescribeImages"],
            Source::PublicSnapshots => &["ec2:DescribeSnapshotAttribute", "ec2:DescribeSnapshots"],
            Source::Instances => &["ec2:DescribeInstances"],
            Source::SpotRequests => &["ec2:DescribeSpotInstanceRequests"],
            Source::SpotFleets => &["ec2:DescribeSpotFleetRequests"],
            Source::SecurityGroups => &["ec2:DescribeSecurityGroups"],
            Source::NetworkInterfaces => &["ec2:DescribeNetworkInterfaces"],
            Source::QuarantinePolicies => &["iam:ListEntitiesForPolicy"],
            Source::CloudTrailTrails => &[
                "cloudtrail:DescribeTrails",
                "cloudtrail:GetEventSelectors",
                "cloudtrail:GetTrailStatus",
            ],
            Source::GuardDutyFindings => &["guardduty:GetFindings", "guardduty:ListFindings"],
            Source::AccountPublicAccessBlock => &["s3:GetAccountPublicAccessBlock"],
            Source::SnapshotBlockPublicAccess => &["ec2:GetSnapshotBlockPublicAccessState"],
            Source::ImageBlockPublicAccess => &["ec2:GetImageBlockPublicAccessState"],
            Source::SesAccount => &["ses:GetAccount"],
            Source::SesReputation => &["cloudwatch:GetMetricData"],
        }
    }

    /// The API calls, as `service:Operation`, that this source makes (for `explain`).
    /// Budgets, S3 Control and SES v2 are the services whose IAM actions differ from
    /// their operations.
    pub fn api_calls(self) -> &'static [&'static str] {
        match self {
            Source::Budgets => &[
                "budgets:DescribeBudgets",
                "budgets:DescribeNotificationsForBudget",
            ],
            Source::AccountPublicAccessBlock => &["s3control:GetPublicAccessBlock"],
            Source::SesAccount => &["sesv2:GetAccount"],
            other => other.iam_actions(),
        }
    }

    /// Regional sources are fetched once per scanned region.
    pub fn is_regional(self) -> bool {
        !matches!(
            self,
            Source::AccountSummary
                | Source::CredentialReport
                | Source::QuarantinePolicies
                | Source::Budgets
                | Source::BillingAlarms
                | Source::CloudTrailTrails
                | Source::AccountPublicAccessBlock
        )
    }
}

/// True for the IAM actions a read-only auditor may call: Describe, List, Get and
/// View actions, and GenerateCredentialReport.
pub fn is_read_only_action(action: &str) -> bool {
    let op = action.split(':').nth(1).unwrap_or(action);
    ["Describe", "List", "Get", "View"]
        .iter()
        .any(|p| op.starts_with(p))
        || op == "GenerateCredentialReport"
}

/// A check's metadata, declared next to its logic.
#[derive(Debug)]
pub struct CheckMeta {
    /// Stable kebab-case id; other tools and tests rely on it.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub scope: Scope,
    /// Incident tags from INCIDENTS.md that this check answers.
    pub incidents: &'static [&'static str],
    pub sources: &'static [Source],
    /// What is checked, exactly (for `hiyari explain`).
    pub description: &'static str,
    /// Why it matters, pointing at the incident.
    pub rationale: &'static str,
    pub remediation: &'static str,
}

impl CheckMeta {
    /// The IAM actions this check needs, sorted and without duplicates.
    pub fn iam_actions(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self
            .sources
            .iter()
            .flat_map(|s| s.iam_actions().iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// A check: a pure function from one account's inventory to findings.
pub trait Check: Sync + Send {
    fn meta(&self) -> &'static CheckMeta;
    fn evaluate(&self, account: &AccountInventory, opts: &EvalOptions) -> Vec<Finding>;
    /// The check's own parameters (`[checks.<id>]` besides `enabled` and `severity`):
    /// none unless the check declares a `Params` struct and returns
    /// `&Typed::<Params>::NEW` here.
    fn params(&self) -> &'static dyn ParamsSpec {
        &Typed::<NoParams>::NEW
    }
}
