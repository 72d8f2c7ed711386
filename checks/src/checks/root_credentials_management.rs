use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};

crate::check! {
    /// Fails when an organization's management account (or IAM's delegated administrator)
    /// has not turned on centralized root access: root credentials management and
    /// privileged root sessions. In any other account it passes, marked as having nothing
    /// to inspect.
    ///
    /// ## What it does
    /// IAM ListOrganizationsFeatures, once per account (in `--org` scans, the management
    /// account answers for the organization). Fails when RootCredentialsManagement or
    /// RootSessions is not among the enabled features, and when IAM says centralized root
    /// access cannot be on yet: trusted access for IAM is not enabled in Organizations
    /// (ServiceAccessNotEnabledException), or the organization has only consolidated
    /// billing (OrganizationNotInAllFeaturesModeException). In an account that is neither
    /// the management account nor IAM's delegated administrator
    /// (AccountNotManagementOrDelegatedAdministratorException), or in no organization
    /// (OrganizationNotFoundException), there is nothing to inspect: the check passes and
    /// says so, marked as nothing to inspect, so that an organization scan shows one real
    /// answer and no false alarm per member account.
    ///
    /// ## Why is this bad
    /// Every member account's root user has its own password, recoverable through its
    /// e-mail address, and can create root access keys: the keys of
    /// INC-2015-LEAKED-ROOT-KEY. With root credentials management on, the organization
    /// deletes member accounts' root credentials and keeps new ones from being recovered;
    /// with root sessions on, the few tasks that need root run as short sessions from the
    /// management account instead.
    ///
    /// ## How to fix
    /// From the management account: `aws organizations enable-aws-service-access
    /// --service-principal iam.amazonaws.com`, then `aws iam
    /// enable-organizations-root-credentials-management` and `aws iam
    /// enable-organizations-root-sessions`. Then delete the member accounts' root
    /// credentials (IAM console, Root access management, or `aws sts assume-root` with the
    /// IAMDeleteRootUserCredentials task policy).
    pub struct RootCredentialsManagement;
    id: "root-credentials-management",
    title: "The organization manages member accounts' root credentials centrally",
    severity: Medium,
    scope: Organization,
    incidents: [LEAKED_ROOT_KEY],
    sources: [OrganizationsFeatures],
}

const FEATURES: [&str; 2] = ["RootCredentialsManagement", "RootSessions"];

impl Check for RootCredentialsManagement {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.account_wide(|account| {
            let features = account.iam.organizations_features.of(Source::OrganizationsFeatures)?;
            let resource = || match &features.organization_id {
                Some(id) => Resource::new("AWS::Organizations::Organization", id, None),
                None => b.account_resource(),
            };
            let ev = evidence! {
                "status" => features.status,
                "organization_id" => features.organization_id,
                "enabled_features" => features.enabled_features,
            };
            let missing: Vec<&str> = FEATURES
                .iter()
                .copied()
                .filter(|f| !features.enabled_features.iter().any(|e| e == f))
                .collect();
            Ok(match features.status.as_str() {
                "no_organization" => vec![b.nothing_to_inspect(
                    None,
                    resource(),
                    format!(
                        "Account {} is in no organization: centralized root access does not apply",
                        b.account()
                    ),
                    "not in an organization",
                    ev,
                )],
                "not_management_account" => vec![b.nothing_to_inspect(
                    None,
                    resource(),
                    format!(
                        "Account {} is not its organization's management account or IAM's delegated administrator: centralized root access is set there",
                        b.account()
                    ),
                    "not an organization's management account",
                    ev,
                )],
                "listed" if missing.is_empty() => vec![b.pass(
                    None,
                    resource(),
                    "Centralized root access is on: root credentials management and root sessions",
                    ev,
                )],
                "listed" => vec![b.fail(
                    None,
                    resource(),
                    format!(
                        "Centralized root access is not fully on: {} not enabled",
                        missing.join(" and ")
                    ),
                    ev,
                )],
                "iam_trusted_access_off" => vec![b.fail(
                    None,
                    resource(),
                    "Centralized root access is off: trusted access for IAM is not enabled in Organizations",
                    ev,
                )],
                "not_all_features" => vec![b.fail(
                    None,
                    resource(),
                    "Centralized root access cannot be on: the organization has only consolidated billing, not all features",
                    ev,
                )],
                other => vec![b.error(
                    None,
                    resource(),
                    &crate::inventory::CollectError::new(
                        Source::OrganizationsFeatures.api(),
                        "UnknownStatus",
                        format!("hiyari does not know the status `{other}`"),
                    ),
                )],
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{Collected, OrganizationsFeatures};

    fn with(status: &str, features: &[&str]) -> AccountInventory {
        let mut acc = account(&["us-east-1"]);
        acc.iam.organizations_features = Collected::Ok(OrganizationsFeatures {
            status: status.into(),
            organization_id: (status == "listed").then(|| "o-aa111bb222".to_string()),
            enabled_features: features.iter().map(|s| s.to_string()).collect(),
        });
        acc
    }

    #[test]
    fn both_features_pass_on_the_organization() {
        let f = run(&RootCredentialsManagement, &with("listed", &FEATURES));
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, "o-aa111bb222")]);
        assert_eq!(f[0].nothing_to_inspect(), None);
    }

    #[test]
    fn a_missing_feature_or_a_prerequisite_fails() {
        for (status, features, says) in [
            (
                "listed",
                &["RootSessions"][..],
                "RootCredentialsManagement not enabled",
            ),
            (
                "listed",
                &[][..],
                "RootCredentialsManagement and RootSessions",
            ),
            ("iam_trusted_access_off", &[][..], "trusted access"),
            ("not_all_features", &[][..], "consolidated billing"),
        ] {
            let f = run(&RootCredentialsManagement, &with(status, features));
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].status, Status::Fail, "{status}");
            assert!(f[0].message.contains(says), "{}", f[0].message);
        }
    }

    #[test]
    fn a_member_account_has_nothing_to_inspect() {
        for status in ["not_management_account", "no_organization"] {
            let f = run(&RootCredentialsManagement, &with(status, &[]));
            assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
            assert!(f[0].nothing_to_inspect().is_some(), "{status}");
        }
    }

    #[test]
    fn a_denied_call_is_an_error() {
        let mut acc = account(&["us-east-1"]);
        acc.iam.organizations_features = Collected::Error(denied("iam:ListOrganizationsFeatures"));
        let f = run(&RootCredentialsManagement, &acc);
        assert_errors_named(&f, "iam:ListOrganizationsFeatures", "AccessDenied");
    }
}
