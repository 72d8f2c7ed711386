//! The [`Check`] trait, check metadata, and the data [`Source`]s checks read.
//!
//! A check declares the sources it reads; the collectors fetch only the sources the
//! selected checks need, and the IAM policy is the union of those sources' actions.

use std::sync::OnceLock;

use crate::evaluate::EvalOptions;
use crate::finding::{Finding, FindingBuilder, Resource, Severity};
use crate::inventory::{AccountInventory, CollectError, RegionInventory};
use crate::params::{NoParams, ParamsSpec, Typed};

/// Where a check's results are scoped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Scope {
    /// One result for the account (or per item of an account-wide list, such as an IAM
    /// user or a region on the bill).
    Account,
    /// One result per scanned region (or per regional resource).
    Region,
    /// One result per account about its organization: a real answer from the management
    /// account or IAM's delegated administrator, "nothing to inspect" from any other.
    Organization,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Account, Scope::Region, Scope::Organization];

    /// `account`, `region` or `organization`, as `hiyari checks` and the docs write it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// What the results of a check of this scope are about, in a phrase (the legend of
    /// `hiyari checks`).
    pub fn meaning(self) -> &'static str {
        match self {
            Scope::Account => {
                "one result for the account, or one per item of an account-wide list (an IAM user, a region on the bill)"
            }
            Scope::Region => "one result per scanned region, or per regional resource",
            Scope::Organization => {
                "one result per account about its organization, which only the management account can answer"
            }
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
    AlternateContacts,
    RdsSnapshots,
    RdsClusterSnapshots,
    CostByRegion,
    OrganizationsFeatures,
    VirtualMfaDevices,
}

impl Source {
    pub const ALL: [Source; 26] = [
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
        Source::AlternateContacts,
        Source::RdsSnapshots,
        Source::RdsClusterSnapshots,
        Source::CostByRegion,
        Source::OrganizationsFeatures,
        Source::VirtualMfaDevices,
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
            Source::AlternateContacts => &["account:GetAlternateContact"],
            Source::RdsSnapshots => &[
                "rds:DescribeDBSnapshotAttributes",
                "rds:DescribeDBSnapshots",
            ],
            Source::RdsClusterSnapshots => &[
                "rds:DescribeDBClusterSnapshotAttributes",
                "rds:DescribeDBClusterSnapshots",
            ],
            Source::CostByRegion => &["ce:GetCostAndUsage"],
            Source::OrganizationsFeatures => &["iam:ListOrganizationsFeatures"],
            Source::VirtualMfaDevices => &["iam:ListVirtualMFADevices"],
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
            // In the order they are made: the list, then one call per manual snapshot.
            Source::RdsSnapshots => &[
                "rds:DescribeDBSnapshots",
                "rds:DescribeDBSnapshotAttributes",
            ],
            Source::RdsClusterSnapshots => &[
                "rds:DescribeDBClusterSnapshots",
                "rds:DescribeDBClusterSnapshotAttributes",
            ],
            other => other.iam_actions(),
        }
    }

    /// The call whose answer this source is (its list call, for a source read in
    /// several calls), as an IAM action: the API a check names when the source is
    /// missing. Checks and their errors take API names from here.
    pub const fn api(self) -> &'static str {
        match self {
            Source::Budgets => "budgets:DescribeBudgets",
            Source::BillingAlarms => "cloudwatch:DescribeAlarms",
            Source::GuardDutyDetectors => "guardduty:ListDetectors",
            Source::GuardDutyFindings => "guardduty:ListFindings",
            Source::CredentialReport => "iam:GetCredentialReport",
            Source::AccountSummary => "iam:GetAccountSummary",
            Source::Images => "ec2:DescribeImages",
            Source::PublicSnapshots => "ec2:DescribeSnapshots",
            Source::OrganizationsFeatures => "iam:ListOrganizationsFeatures",
            Source::VirtualMfaDevices => "iam:ListVirtualMFADevices",
            Source::QuarantinePolicies => "iam:ListEntitiesForPolicy",
            Source::SecurityGroups => "ec2:DescribeSecurityGroups",
            Source::NetworkInterfaces => "ec2:DescribeNetworkInterfaces",
            Source::Instances => "ec2:DescribeInstances",
            Source::SpotRequests => "ec2:DescribeSpotInstanceRequests",
            Source::SpotFleets => "ec2:DescribeSpotFleetRequests",
            Source::CloudTrailTrails => "cloudtrail:DescribeTrails",
            Source::AccountPublicAccessBlock => "s3:GetAccountPublicAccessBlock",
            Source::SnapshotBlockPublicAccess => "ec2:GetSnapshotBlockPublicAccessState",
            Source::ImageBlockPublicAccess => "ec2:GetImageBlockPublicAccessState",
            Source::SesAccount => "ses:GetAccount",
            Source::SesReputation => "cloudwatch:GetMetricData",
            Source::AlternateContacts => "account:GetAlternateContact",
            Source::RdsSnapshots => "rds:DescribeDBSnapshots",
            Source::RdsClusterSnapshots => "rds:DescribeDBClusterSnapshots",
            Source::CostByRegion => "ce:GetCostAndUsage",
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
                | Source::AlternateContacts
                | Source::CostByRegion
                | Source::OrganizationsFeatures
                | Source::VirtualMfaDevices
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
    /// Incident tags (docs/incidents.md) that this check answers.
    pub incidents: &'static [&'static str],
    pub sources: &'static [Source],
    /// The check's documentation: the doc comment of its struct (see [`check!`]).
    pub doc: Doc,
}

/// A check's one documentation text: a summary paragraph, then the sections
/// `## What it does`, `## Why is this bad` and `## How to fix` (Markdown). The
/// incidents and the API calls and IAM actions are not written: they are generated from
/// [`CheckMeta::incidents`] and [`CheckMeta::sources`].
#[derive(Debug)]
pub struct Doc {
    text: &'static str,
    sections: OnceLock<DocSections>,
}

#[derive(Debug, Default)]
struct DocSections {
    summary: String,
    what: String,
    why: String,
    fix: String,
    unknown: Vec<String>,
}

/// The section headings a check's documentation has, in order.
pub const DOC_SECTIONS: [&str; 3] = ["What it does", "Why is this bad", "How to fix"];

impl Doc {
    pub const fn new(text: &'static str) -> Self {
        Doc {
            text,
            sections: OnceLock::new(),
        }
    }

    /// The text as written (the doc comment, each line without the space after `///`).
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for line in self.text.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line).trim_end());
            out.push('\n');
        }
        out.trim().to_string()
    }

    fn sections(&self) -> &DocSections {
        self.sections.get_or_init(|| {
            let mut s = DocSections::default();
            let mut current = String::new();
            let mut heading: Option<String> = None;
            let text = self.markdown();
            let flush = |heading: &Option<String>, body: &str, s: &mut DocSections| {
                let body = prose(body);
                match heading.as_deref() {
                    None => s.summary = body,
                    Some("What it does") => s.what = body,
                    Some("Why is this bad") => s.why = body,
                    Some("How to fix") => s.fix = body,
                    Some(other) => s.unknown.push(other.to_string()),
                }
            };
            for line in text.lines() {
                if let Some(h) = line.strip_prefix("## ") {
                    flush(&heading, &current, &mut s);
                    heading = Some(h.trim().to_string());
                    current.clear();
                } else {
                    current.push_str(line);
                    current.push('\n');
                }
            }
            flush(&heading, &current, &mut s);
            s
        })
    }

    /// The paragraph before the first section: what fails, in one sentence or two.
    pub fn summary(&self) -> &str {
        &self.sections().summary
    }

    /// `## What it does`: exactly what is checked.
    pub fn what(&self) -> &str {
        &self.sections().what
    }

    /// `## Why is this bad`: why it matters, telling the incidents.
    pub fn why(&self) -> &str {
        &self.sections().why
    }

    /// `## How to fix`: the remediation every finding of the check carries.
    pub fn fix(&self) -> &str {
        &self.sections().fix
    }

    /// Headings other than [`DOC_SECTIONS`] (a test keeps this empty).
    pub fn unknown_sections(&self) -> &[String] {
        &self.sections().unknown
    }
}

/// Markdown prose as one line per paragraph: the lines of a paragraph joined with one
/// space, paragraphs separated by a blank line.
fn prose(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Declares a check: its struct, whose doc comment is the check's documentation
/// ([`Doc`]: it becomes the struct's `DOC` constant, for `doc: Doc::new(Self::DOC)` in its
/// [`CheckMeta`]), the static holding that metadata, and its parameter struct if it has
/// one. The check then implements only [`Check::evaluate`].
///
/// ```text
/// crate::check! {
///     /// Fails when ...
///     pub struct MyCheck;
///     meta = META;
///     params = Params;   // when it has settings
/// }
/// ```
#[macro_export]
macro_rules! check {
    ($(#[doc = $doc:literal])* $vis:vis struct $name:ident; meta = $meta:ident; $(params = $params:ty;)?) => {
        $(#[doc = $doc])*
        $vis struct $name;

        impl $name {
            /// This check's documentation, as written above.
            pub const DOC: &'static str = concat!($($doc, "\n"),*);
        }

        impl $crate::check::Declared for $name {
            fn meta(&self) -> &'static $crate::check::CheckMeta {
                &$meta
            }
            $(
                fn params(&self) -> &'static dyn $crate::params::ParamsSpec {
                    &$crate::params::Typed::<$params>::NEW
                }
            )?
        }
    };
}

impl CheckMeta {
    /// What is checked, exactly (the doc's `What it does`).
    pub fn description(&self) -> &str {
        self.doc.what()
    }

    /// Why it matters, telling the incidents (the doc's `Why is this bad`).
    pub fn rationale(&self) -> &str {
        self.doc.why()
    }

    /// How to fix it (the doc's `How to fix`): each finding's `remediation`.
    pub fn remediation(&self) -> &str {
        self.doc.fix()
    }

    /// The API calls of this check's sources, in order, without duplicates.
    pub fn api_calls(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = Vec::new();
        for c in self
            .sources
            .iter()
            .flat_map(|s| s.api_calls().iter().copied())
        {
            if !v.contains(&c) {
                v.push(c);
            }
        }
        v
    }

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

/// What a check declares, written by [`check!`]: its metadata and its parameters.
pub trait Declared {
    fn meta(&self) -> &'static CheckMeta;
    /// The check's own parameters (`[checks.<id>]` besides `enabled` and `severity`):
    /// none unless the check names its `Params` in [`check!`].
    fn params(&self) -> &'static dyn ParamsSpec {
        &Typed::<NoParams>::NEW
    }
}

/// A check: a pure function from one account's inventory to findings.
pub trait Check: Declared + Sync + Send {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding>;
}

/// What one check evaluates: one account's inventory and the options in force, with a
/// [`FindingBuilder`] ready for this check and account.
pub struct Cx<'a> {
    pub account: &'a AccountInventory,
    pub opts: &'a EvalOptions,
    pub b: FindingBuilder<'a>,
}

impl<'a> Cx<'a> {
    pub fn new(
        meta: &'static CheckMeta,
        account: &'a AccountInventory,
        opts: &'a EvalOptions,
    ) -> Self {
        Cx {
            account,
            opts,
            b: FindingBuilder::new(
                meta,
                &account.identity.account_id,
                &account.identity.partition,
            ),
        }
    }

    /// This check's parameters in force: as configured, else the defaults of `P` (the
    /// check's `Params`).
    pub fn params<P: Clone + Default + 'static>(&self) -> P {
        self.opts.params(self.b.meta().id)
    }

    /// Runs `f` once per scanned region with that region's inventory. An `Err` from `f`
    /// (a source of the region that could not be read) becomes the region's one `error`
    /// finding, and a scanned region with no inventory at all is an error naming
    /// `source`'s API:
    /// never a silent skip.
    pub fn per_region(
        &self,
        source: Source,
        mut f: impl FnMut(&str, &RegionInventory) -> Result<Vec<Finding>, CollectError>,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        for region in &self.account.regions.scanned {
            let found = match self.account.regional.get(region) {
                Some(inv) => f(region, inv),
                None => Err(CollectError::new(
                    source.api(),
                    "NotCollected",
                    "no data was collected in this region",
                )),
            };
            match found {
                Ok(found) => out.extend(found),
                Err(e) => out.push(self.b.error(Some(region), Resource::region(region), &e)),
            }
        }
        out
    }
}
