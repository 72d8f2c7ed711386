use crate::check::{Check, Cx};
use crate::checks::{root_fact, root_has_no_credentials};
use crate::finding::Finding;

crate::check! {
    /// Fails when the root user has an access key (GetAccountSummary, cross-checked with
    /// the credential report's `<root_account>` row).
    ///
    /// ## What it does
    /// Fails when IAM GetAccountSummary reports AccountAccessKeysPresent, or when the
    /// credential report's <root_account> row has an active access key. A root user with
    /// no credential at all (no password, access key or signing certificate in
    /// GetAccountSummary, as after an organization deletes a member account's root
    /// credentials through centralized root access) passes with evidence that says so.
    ///
    /// ## Why is this bad
    /// A root access key can do anything in the account and no IAM policy limits it. In
    /// INC-2015-LEAKED-ROOT-KEY a root key pasted with its secret into a public blog post
    /// was found a year later and used to run about 20 large EC2 instances in sa-east-1, a
    /// region the owner never used: about 1.8 million yen before anyone noticed. In
    /// INC-2024-ROOT-KEY-IN-SCRIPT GuardDuty found root credentials used by an ancient
    /// backup script.
    ///
    /// ## How to fix
    /// Sign in as the root user, open Security credentials, and delete every access key
    /// (deactivate first if you must find its users; GuardDuty RootCredentialUsage and
    /// CloudTrail show them). Give programs an IAM role instead: an instance profile on
    /// EC2, a task role on ECS, OIDC federation in CI.
    pub struct RootAccessKeys;
    id: "root-access-keys",
    title: "The root user has no access keys",
    severity: Critical,
    scope: Account,
    incidents: [LEAKED_ROOT_KEY, ROOT_KEY_IN_SCRIPT],
    sources: [AccountSummary, CredentialReport],
}

impl Check for RootAccessKeys {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let Cx { account, b, .. } = cx;
        let resource = b.account_resource();
        match root_fact(
            account,
            |s| s.root_access_keys_present,
            |row| row.active_access_keys() > 0,
            true,
        ) {
            Ok((true, evidence)) => vec![b.fail(
                None,
                resource,
                format!("The root user of account {} has an access key", b.account()),
                evidence,
            )],
            Ok((false, mut evidence)) => {
                let mut message =
                    format!("The root user of account {} has no access key", b.account());
                if root_has_no_credentials(account) {
                    message += ", nor a password or signing certificate: its root credentials \
                                were removed, as an organization's centralized root access does";
                    evidence.insert("root_credentials".into(), "none".into());
                }
                vec![b.pass(None, resource, message, evidence)]
            }
            Err(e) => vec![b.error(None, resource, &e)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{AccountSummary, Collected};

    fn with(keys: bool) -> AccountInventory {
        let mut acc = account(&["us-east-1"]);
        acc.iam.account_summary = Collected::Ok(AccountSummary {
            root_access_keys_present: keys,
            root_password_present: Some(true),
            root_signing_certificates_present: Some(false),
            root_mfa_enabled: true,
        });
        acc
    }

    #[test]
    fn fails_when_summary_reports_root_keys() {
        let f = run(&RootAccessKeys, &with(true));
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, ACCOUNT)]);
        assert_eq!(f[0].resource.kind, "AWS::::Account");
        assert_eq!(f[0].region, None);
    }

    #[test]
    fn passes_when_no_source_reports_keys() {
        let mut acc = with(false);
        acc.iam.credential_report = Collected::Ok(vec![user_row("<root_account>", false, true)]);
        let f = run(&RootAccessKeys, &acc);
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
    }

    #[test]
    fn a_root_user_without_any_credential_passes_saying_why() {
        let mut acc = with(false);
        acc.iam.account_summary = Collected::Ok(AccountSummary {
            root_access_keys_present: false,
            root_password_present: Some(false),
            root_signing_certificates_present: Some(false),
            root_mfa_enabled: false,
        });
        // What the report shows for such a root user: no MFA, no key, password unknowable.
        acc.iam.credential_report = Collected::Ok(vec![user_row("<root_account>", false, false)]);
        let f = run(&RootAccessKeys, &acc);
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
        assert!(
            f[0].message.contains("root credentials were removed"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].evidence["root_credentials"], "none");
        // With a password left, the plain pass.
        let f = run(&RootAccessKeys, &with(false));
        assert!(!f[0].message.contains("removed"), "{}", f[0].message);
    }

    #[test]
    fn credential_report_root_row_overrides_a_clean_summary() {
        let mut acc = with(false);
        let mut root = user_row("<root_account>", false, true);
        root.access_key_2_active = "true".into();
        acc.iam.credential_report = Collected::Ok(vec![root]);
        assert_eq!(
            outcome(&run(&RootAccessKeys, &acc)),
            vec![o(Status::Fail, None, ACCOUNT)]
        );
    }

    #[test]
    fn report_alone_answers_when_summary_denied() {
        let mut acc = with(false);
        acc.iam.account_summary = Collected::Error(denied("iam:GetAccountSummary"));
        acc.iam.credential_report = Collected::Ok(vec![user_row("<root_account>", false, true)]);
        assert_eq!(
            outcome(&run(&RootAccessKeys, &acc)),
            vec![o(Status::Pass, None, ACCOUNT)]
        );
    }

    #[test]
    fn error_when_summary_denied_and_no_root_row() {
        let mut acc = with(false);
        acc.iam.account_summary = Collected::Error(denied("iam:GetAccountSummary"));
        let f = run(&RootAccessKeys, &acc);
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, "iam:GetAccountSummary", "AccessDenied");
        assert!(f[0].message.contains("grant the IAM action"));
    }

    #[test]
    fn error_when_nothing_collected() {
        let mut acc = with(false);
        acc.iam.account_summary = Collected::NotCollected;
        acc.iam.credential_report = Collected::NotCollected;
        let f = run(&RootAccessKeys, &acc);
        assert_errors_named(&f, "iam:GetAccountSummary", "NotCollected");
    }
}
