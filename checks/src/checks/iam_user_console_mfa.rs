use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};

crate::check! {
    /// Fails when an IAM user with a console password has no MFA (credential report).
    ///
    /// ## What it does
    /// Generates and reads the IAM credential report. Fails for each IAM user whose row has
    /// password_enabled = true and mfa_active = false. The <root_account> row is the
    /// root-mfa check's.
    ///
    /// ## Why is this bad
    /// A console password alone falls to phishing and credential stuffing, as in
    /// INC-2017-SECURITY-JAWS, where a layered defence with MFA was the lesson. AWS's
    /// 'account compromised' notices (INC-AWS-NOTICES) ask you to review every IAM user.
    ///
    /// ## How to fix
    /// For each user listed: if they need the console, have them assign an MFA device (IAM
    /// console > Users > the user > Security credentials > Assign MFA device), and attach a
    /// policy that denies everything without aws:MultiFactorAuthPresent until they do. If
    /// they do not need the console, delete the login profile: `aws iam
    /// delete-login-profile --user-name NAME`.
    pub struct IamUserConsoleMfa;
    id: "iam-user-console-mfa",
    title: "IAM users with a console password have MFA",
    severity: High,
    scope: Account,
    incidents: [SECURITY_JAWS, AWS_NOTICES],
    sources: [CredentialReport],
}

impl Check for IamUserConsoleMfa {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.account_wide(|account| {
            let rows = account.iam.credential_report.of(Source::CredentialReport)?;
            let console_users: Vec<_> = rows
                .iter()
                .filter(|r| !r.is_root() && r.has_console_password())
                .collect();
            let mut out: Vec<Finding> = console_users
                .iter()
                .filter(|r| !r.mfa_active())
                .map(|r| {
                    b.fail(
                        None,
                        Resource::new("AWS::IAM::User", &r.user, Some(r.arn.clone())),
                        format!(
                            "IAM user {} can sign in to the console with a password and has no MFA",
                            r.user
                        ),
                        evidence! {
                            "password_last_used" => r.password_last_used,
                            "user_creation_time" => r.user_creation_time,
                        },
                    )
                })
                .collect();
            if out.is_empty() {
                out.push(b.pass(
                    None,
                    b.account_resource(),
                    format!(
                        "All {} IAM users with a console password have MFA",
                        console_users.len()
                    ),
                    evidence! {
                        "users" => rows.iter().filter(|r| !r.is_root()).count(),
                        "console_users" => console_users.len(),
                    },
                ));
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::Collected;

    #[test]
    fn fails_per_console_user_without_mfa() {
        let mut acc = account(&["us-east-1"]);
        acc.iam.credential_report = Collected::Ok(vec![
            user_row("<root_account>", false, false),
            user_row("alice", true, false),
            user_row("bob", true, true),
            user_row("ci-bot", false, false),
            user_row("carol", true, false),
        ]);
        let f = run(&IamUserConsoleMfa, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, None, "alice"),
                o(Status::Fail, None, "carol")
            ]
        );
        assert_eq!(f[0].resource.kind, "AWS::IAM::User");
        assert_eq!(
            f[0].resource.arn.as_deref(),
            Some("arn:aws:iam::123456789012:user/alice")
        );
    }

    #[test]
    fn passes_when_every_console_user_has_mfa() {
        let mut acc = account(&["us-east-1"]);
        acc.iam.credential_report = Collected::Ok(vec![
            user_row("<root_account>", false, false),
            user_row("bob", true, true),
            user_row("ci-bot", false, false),
        ]);
        let f = run(&IamUserConsoleMfa, &acc);
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
        assert_eq!(f[0].evidence["console_users"], 1);
    }

    #[test]
    fn error_when_report_unavailable() {
        let mut acc = account(&["us-east-1"]);
        acc.iam.credential_report = Collected::Error(denied("iam:GenerateCredentialReport"));
        let f = run(&IamUserConsoleMfa, &acc);
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, "iam:GenerateCredentialReport", "AccessDenied");
    }
}
