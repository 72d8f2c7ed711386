use crate::check::{Check, CheckMeta, Doc, Scope, Source};
use crate::checks::{incidents, root_fact};
use crate::evaluate::EvalOptions;
use crate::finding::{Finding, FindingBuilder, Severity};
use crate::inventory::AccountInventory;

crate::check! {
    /// Fails when the root user has no MFA.
    ///
    /// ## What it does
    /// Fails when IAM GetAccountSummary reports AccountMFAEnabled = 0, or when the
    /// credential report's <root_account> row has mfa_active = false.
    ///
    /// ## Why is this bad
    /// Whoever has the root password owns the account. INC-2017-SECURITY-JAWS found root
    /// console sign-ins from unknown IP addresses after credential stuffing; the speaker of
    /// INC-2015-LEAKED-ROOT-KEY listed 'turn on MFA' among the lessons.
    ///
    /// ## How to fix
    /// Sign in as the root user, open Security credentials, and assign an MFA device (a
    /// passkey or security key is best; an authenticator app will do). Then keep the root
    /// user for the few tasks that need it.
    pub struct RootMfa;
}

pub static META: CheckMeta = CheckMeta {
    id: "root-mfa",
    title: "The root user has MFA",
    severity: Severity::Critical,
    scope: Scope::Account,
    incidents: &[incidents::LEAKED_ROOT_KEY, incidents::SECURITY_JAWS],
    sources: &[Source::AccountSummary, Source::CredentialReport],
    doc: Doc::new(RootMfa::DOC),
};

impl Check for RootMfa {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn evaluate(&self, account: &AccountInventory, _opts: &EvalOptions) -> Vec<Finding> {
        let b = FindingBuilder::new(
            &META,
            &account.identity.account_id,
            &account.identity.partition,
        );
        let resource = b.account_resource();
        // The question asked is "is MFA off?": true is the bad answer.
        match root_fact(
            account,
            |s| !s.root_mfa_enabled,
            |row| !row.mfa_active(),
            true,
        ) {
            Ok((true, evidence)) => vec![b.fail(
                None,
                resource,
                format!("The root user of account {} has no MFA device", b.account()),
                evidence,
            )],
            Ok((false, evidence)) => vec![b.pass(
                None,
                resource,
                format!("The root user of account {} has MFA", b.account()),
                evidence,
            )],
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

    fn with(mfa: bool) -> AccountInventory {
        let mut acc = account(&["us-east-1"]);
        acc.iam.account_summary = Collected::Ok(AccountSummary {
            root_access_keys_present: false,
            root_mfa_enabled: mfa,
        });
        acc
    }

    #[test]
    fn fails_without_mfa() {
        assert_eq!(
            outcome(&run(&RootMfa, &with(false))),
            vec![o(Status::Fail, None, ACCOUNT)]
        );
    }

    #[test]
    fn passes_with_mfa() {
        assert_eq!(
            outcome(&run(&RootMfa, &with(true))),
            vec![o(Status::Pass, None, ACCOUNT)]
        );
    }

    #[test]
    fn root_row_without_mfa_fails_even_if_summary_says_enabled() {
        let mut acc = with(true);
        acc.iam.credential_report = Collected::Ok(vec![user_row("<root_account>", false, false)]);
        assert_eq!(
            outcome(&run(&RootMfa, &acc)),
            vec![o(Status::Fail, None, ACCOUNT)]
        );
    }

    #[test]
    fn error_when_summary_denied_and_report_failed() {
        let mut acc = with(true);
        acc.iam.account_summary = Collected::Error(denied("iam:GetAccountSummary"));
        acc.iam.credential_report = Collected::Error(denied("iam:GetCredentialReport"));
        let f = run(&RootMfa, &acc);
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, "iam:GetAccountSummary", "AccessDenied");
    }
}
