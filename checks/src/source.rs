//! The data sources the collectors fetch, declared once in [`sources!`]'s table: one
//! row per source, from which [`Source::ALL`], the IAM policies (of `audit` and of
//! `sweep`), `explain`'s API calls and the scope each collector runs in are all derived.
//!
//! Adding a source for the checks is one row here, its field in the inventory, its
//! collector in `src/collect/` (one line in the table of its scope there, checked against
//! the row's scope when it compiles) and their tests. A source `hiyari sweep` reads says
//! so in its row (`read by sweep`); its collector is in `src/collect/sweep/`.

/// Where a source is read: once per account, or once per scanned region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceScope {
    Account,
    Region,
}

/// Which command's collectors read a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// `audit` and `collect`: the collector tables of `src/collect/`, for the checks.
    Audit,
    /// `sweep`: the collectors of `src/collect/sweep/`.
    Sweep,
}

/// What the table says of one source.
#[derive(Debug)]
pub struct SourceInfo {
    pub scope: SourceScope,
    /// The commands whose collectors read it.
    pub read_by: &'static [Reader],
    /// The call whose answer this source is (its list call, for a source read in
    /// several calls), as an IAM action: the API a check names when the source is
    /// missing.
    pub api: &'static str,
    /// The API calls, as `service:Operation`, in the order they are made; empty when
    /// they are the IAM actions (the services whose actions differ from their
    /// operations are Budgets, S3 Control and SES v2).
    pub calls: &'static [&'static str],
    /// The IAM actions the collector calls: exactly these, no more.
    pub actions: &'static [&'static str],
}

/// Declares [`Source`] and its table. A row is
/// `Name: account|region, api "svc:Action", actions [...]` with `, calls [...]` where
/// the API calls are not the actions, and `, read by sweep` (or `audit and sweep`)
/// where not only `audit` reads it.
macro_rules! sources {
    ($(
        $(#[$doc:meta])*
        $name:ident: $scope:ident, api $api:literal, actions [$($action:literal),+ $(,)?]
            $(, calls [$($call:literal),+ $(,)?])?
            $(, read by $($reader:ident)and+)?;
    )+) => {
        /// A piece of inventory the collectors can fetch.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Source {
            $($(#[$doc])* $name,)+
        }

        impl Source {
            /// Every source, in the table's order.
            pub const ALL: &'static [Source] = &[$(Source::$name,)+];

            /// This source's row.
            pub const fn info(self) -> &'static SourceInfo {
                match self {
                    $(Source::$name => &SourceInfo {
                        scope: sources!(@scope $scope),
                        read_by: sources!(@read_by $($($reader)+)?),
                        api: $api,
                        calls: &[$($($call),+)?],
                        actions: &[$($action),+],
                    },)+
                }
            }
        }
    };
    (@scope account) => { SourceScope::Account };
    (@scope region) => { SourceScope::Region };
    (@read_by) => { &[Reader::Audit] };
    (@read_by $($reader:ident)+) => { &[$(sources!(@reader $reader)),+] };
    (@reader audit) => { Reader::Audit };
    (@reader sweep) => { Reader::Sweep };
}

sources! {
    AccountSummary: account, api "iam:GetAccountSummary", actions ["iam:GetAccountSummary"];
    CredentialReport: account, api "iam:GetCredentialReport",
        actions ["iam:GenerateCredentialReport", "iam:GetCredentialReport"];
    Budgets: account, api "budgets:DescribeBudgets", actions ["budgets:ViewBudget"],
        calls ["budgets:DescribeBudgets", "budgets:DescribeNotificationsForBudget"];
    BillingAlarms: account, api "cloudwatch:DescribeAlarms",
        actions ["cloudwatch:DescribeAlarms"];
    GuardDutyDetectors: region, api "guardduty:ListDetectors",
        actions ["guardduty:ListDetectors", "guardduty:GetDetector"];
    Images: region, api "ec2:DescribeImages", actions ["ec2:DescribeImages"],
        read by audit and sweep;
    PublicSnapshots: region, api "ec2:DescribeSnapshots",
        actions ["ec2:DescribeSnapshotAttribute", "ec2:DescribeSnapshots"];
    Instances: region, api "ec2:DescribeInstances", actions ["ec2:DescribeInstances"],
        read by audit and sweep;
    SpotRequests: region, api "ec2:DescribeSpotInstanceRequests",
        actions ["ec2:DescribeSpotInstanceRequests"], read by audit and sweep;
    SpotFleets: region, api "ec2:DescribeSpotFleetRequests",
        actions ["ec2:DescribeSpotFleetRequests"], read by audit and sweep;
    SecurityGroups: region, api "ec2:DescribeSecurityGroups",
        actions ["ec2:DescribeSecurityGroups"], read by audit and sweep;
    NetworkInterfaces: region, api "ec2:DescribeNetworkInterfaces",
        actions ["ec2:DescribeNetworkInterfaces"];
    QuarantinePolicies: account, api "iam:ListEntitiesForPolicy",
        actions ["iam:ListEntitiesForPolicy"], read by audit and sweep;
    CloudTrailTrails: account, api "cloudtrail:DescribeTrails", actions [
        "cloudtrail:DescribeTrails",
        "cloudtrail:GetEventSelectors",
        "cloudtrail:GetTrailStatus",
    ];
    GuardDutyFindings: region, api "guardduty:ListFindings",
        actions ["guardduty:GetFindings", "guardduty:ListFindings"];
    AccountPublicAccessBlock: account, api "s3:GetAccountPublicAccessBlock",
        actions ["s3:GetAccountPublicAccessBlock"], calls ["s3control:GetPublicAccessBlock"];
    SnapshotBlockPublicAccess: region, api "ec2:GetSnapshotBlockPublicAccessState",
        actions ["ec2:GetSnapshotBlockPublicAccessState"];
    ImageBlockPublicAccess: region, api "ec2:GetImageBlockPublicAccessState",
        actions ["ec2:GetImageBlockPublicAccessState"];
    SesAccount: region, api "ses:GetAccount", actions ["ses:GetAccount"],
        calls ["sesv2:GetAccount"];
    SesReputation: region, api "cloudwatch:GetMetricData", actions ["cloudwatch:GetMetricData"];
    AlternateContacts: account, api "account:GetAlternateContact",
        actions ["account:GetAlternateContact"];
    // In the order they are made: the list, then one call per manual snapshot.
    RdsSnapshots: region, api "rds:DescribeDBSnapshots",
        actions ["rds:DescribeDBSnapshotAttributes", "rds:DescribeDBSnapshots"],
        calls ["rds:DescribeDBSnapshots", "rds:DescribeDBSnapshotAttributes"];
    RdsClusterSnapshots: region, api "rds:DescribeDBClusterSnapshots",
        actions ["rds:DescribeDBClusterSnapshotAttributes", "rds:DescribeDBClusterSnapshots"],
        calls ["rds:DescribeDBClusterSnapshots", "rds:DescribeDBClusterSnapshotAttributes"];
    /// Spend by region (Cost Explorer, USD 0.01 a request).
    CostByRegion: account, api "ce:GetCostAndUsage", actions ["ce:GetCostAndUsage"],
        read by audit and sweep;
    OrganizationsFeatures: account, api "iam:ListOrganizationsFeatures",
        actions ["iam:ListOrganizationsFeatures"];
    VirtualMfaDevices: account, api "iam:ListVirtualMFADevices",
        actions ["iam:ListVirtualMFADevices"];
    /// The root user's console sign-ins: LookupEvents EventName=ConsoleLogin.
    RootSignIns: region, api "cloudtrail:LookupEvents", actions ["cloudtrail:LookupEvents"];

    // What only `hiyari sweep` reads. The resources' rows list the live resources of
    // the type, whose creation the sweep then finds in the event history.
    /// CloudTrail event history: the activity, the resources' creation events and the
    /// console sign-ins of the window.
    EventHistory: region, api "cloudtrail:LookupEvents", actions ["cloudtrail:LookupEvents"],
        read by sweep;
    Fleets: region, api "ec2:DescribeFleets", actions ["ec2:DescribeFleets"], read by sweep;
    ReservedInstances: region, api "ec2:DescribeReservedInstances",
        actions ["ec2:DescribeReservedInstances"], read by sweep;
    Volumes: region, api "ec2:DescribeVolumes", actions ["ec2:DescribeVolumes"], read by sweep;
    /// The EBS snapshots the account owns.
    OwnSnapshots: region, api "ec2:DescribeSnapshots", actions ["ec2:DescribeSnapshots"],
        read by sweep;
    KeyPairs: region, api "ec2:DescribeKeyPairs", actions ["ec2:DescribeKeyPairs"],
        read by sweep;
    LaunchTemplates: region, api "ec2:DescribeLaunchTemplates",
        actions ["ec2:DescribeLaunchTemplates"], read by sweep;
    LambdaFunctions: region, api "lambda:ListFunctions", actions ["lambda:ListFunctions"],
        read by sweep;
    /// IAM users, their access keys and login profiles.
    IamUsers: account, api "iam:ListUsers",
        actions ["iam:GetLoginProfile", "iam:ListAccessKeys", "iam:ListUsers"], read by sweep;
    IamRoles: account, api "iam:ListRoles", actions ["iam:ListRoles"], read by sweep;
    /// Customer-managed IAM policies.
    IamPolicies: account, api "iam:ListPolicies", actions ["iam:ListPolicies"], read by sweep;
    /// The named access keys: their owner and last use.
    NamedKeys: account, api "iam:GetAccessKeyLastUsed",
        actions ["iam:GetAccessKeyLastUsed", "iam:ListAccessKeys"], read by sweep;
    /// AWS Health events of the RISK and ABUSE services.
    HealthNotices: account, api "health:DescribeEvents",
        actions ["health:DescribeEventDetails", "health:DescribeEvents"], read by sweep;
}

impl Source {
    /// Whether `reader`'s collectors read this source.
    pub fn is_read_by(self, reader: Reader) -> bool {
        self.info().read_by.contains(&reader)
    }

    /// Every IAM action the sources `reader` reads call, sorted, without duplicates.
    pub fn iam_actions_read_by(reader: Reader) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = Source::ALL
            .iter()
            .filter(|s| s.is_read_by(reader))
            .flat_map(|s| s.iam_actions().iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The IAM actions the collector of this source calls: exactly these, no more.
    pub fn iam_actions(self) -> &'static [&'static str] {
        self.info().actions
    }

    /// The API calls, as `service:Operation`, that this source makes (for `explain`).
    pub fn api_calls(self) -> &'static [&'static str] {
        match self.info().calls {
            [] => self.info().actions,
            calls => calls,
        }
    }

    /// The call whose answer this source is, as an IAM action: the API a check names
    /// when the source is missing. Checks and their errors take API names from here.
    pub const fn api(self) -> &'static str {
        self.info().api
    }

    /// Regional sources are fetched once per scanned region.
    pub const fn is_regional(self) -> bool {
        matches!(self.info().scope, SourceScope::Region)
    }
}

/// True for the IAM actions a read-only auditor may call: Describe, List, Get, View and
/// Lookup actions (CloudTrail LookupEvents), and GenerateCredentialReport.
pub fn is_read_only_action(action: &str) -> bool {
    let op = action.split(':').nth(1).unwrap_or(action);
    ["Describe", "List", "Get", "View", "Lookup"]
        .iter()
        .any(|p| op.starts_with(p))
        || op == "GenerateCredentialReport"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_actions_are_describe_list_get_view_and_the_credential_report() {
        for a in [
            "ec2:DescribeRegions",
            "iam:ListUsers",
            "iam:GenerateCredentialReport",
        ] {
            assert!(is_read_only_action(a), "{a}");
        }
        for a in [
            "ec2:RunInstances",
            "iam:DeleteAccessKey",
            "iam:GenerateServiceLastAccessedDetails",
        ] {
            assert!(!is_read_only_action(a), "{a}");
        }
    }

    #[test]
    fn api_calls_are_the_actions_unless_the_row_says_otherwise() {
        assert_eq!(
            Source::Instances.api_calls(),
            Source::Instances.iam_actions()
        );
        assert_eq!(
            Source::SesAccount.api_calls(),
            &["sesv2:GetAccount"],
            "SES v2's action is ses:GetAccount, its call sesv2:GetAccount"
        );
        assert!(Source::Instances.is_regional());
        assert!(!Source::CredentialReport.is_regional());
    }
}
