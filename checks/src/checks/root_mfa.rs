use crate::check::{Check, Cx, Source};
use crate::checks::{root_fact, root_has_no_credentials};
use crate::evidence;
use crate::finding::Finding;

crate::check! {
    /// Fails when the root user has no MFA, or, with require_hardware on, a virtual MFA
    /// device.
    ///
    /// ## What it does
    /// Fails when IAM GetAccountSummary reports AccountMFAEnabled = 0, or when the
    /// credential report's <root_account> row has mfa_active = false. A root user with no
    /// credential at all (GetAccountSummary: AccountPasswordPresent,
    /// AccountAccessKeysPresent and AccountSigningCertificatesPresent all 0, as after an
    /// organization deletes a member account's root credentials through centralized root
    /// access) passes, since nobody can sign in as it; the evidence says so. The credential
    /// report cannot tell that state apart: its <root_account> row always has
    /// password_enabled = not_supported, and with no credential it shows mfa_active = false
    /// like a root user with a password and no MFA, so the pass rests on GetAccountSummary,
    /// and a root access key in either source still fails. With
    /// [checks.root-mfa] require_hardware = true, a root user whose MFA is a virtual device
    /// (IAM ListVirtualMFADevices, AssignmentStatus=Assigned, a device assigned to the
    /// root user) fails too, as the CIS benchmark asks. The policy always allows
    /// ListVirtualMFADevices; the list is read on every scan and only judged when
    /// require_hardware is on, so a denied call is an error only then.
    ///
    /// ## Why is this bad
    /// Whoever has the root password owns the account. INC-2017-SECURITY-JAWS found root
    /// console sign-ins from unknown IP addresses after credential stuffing; the speaker of
    /// INC-2015-LEAKED-ROOT-KEY listed 'turn on MFA' among the lessons. A virtual MFA
    /// lives on a phone that can be lost, cloned or phished along with the password; a
    /// hardware key cannot be copied.
    ///
    /// ## How to fix
    /// Sign in as the root user, open Security credentials, and assign an MFA device (a
    /// passkey or security key is best; an authenticator app will do unless
    /// require_hardware is on). Then keep the root user for the few tasks that need it. In
    /// an organization, the management account can delete member accounts' root
    /// credentials instead (IAM, Root access management).
    pub struct RootMfa;
    id: "root-mfa",
    title: "The root user has MFA",
    severity: Critical,
    scope: Account,
    incidents: [LEAKED_ROOT_KEY, SECURITY_JAWS],
    sources: [AccountSummary, CredentialReport, VirtualMfaDevices],
    params {
        /// Fail a root user whose MFA is a virtual device (an authenticator app).
        pub require_hardware: bool = false,
    }
}

impl Check for RootMfa {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.account_wide(|account| {
            let resource = b.account_resource();
            if root_has_no_credentials(account) {
                return Ok(vec![b.pass(
                    None,
                    resource,
                    format!(
                        "The root user of account {} has no password, access key or signing certificate: nobody can sign in as it, so it needs no MFA",
                        b.account()
                    ),
                    evidence! {
                        "root_password_present" => false,
                        "root_access_keys_present" => false,
                        "root_signing_certificates_present" => false,
                    },
                )]);
            }
            // The question asked is "is MFA off?": true is the bad answer.
            let mut evidence = match root_fact(
                account,
                |s| !s.root_mfa_enabled,
                |row| !row.mfa_active(),
                true,
            ) {
                Ok((true, evidence)) => {
                    return Ok(vec![b.fail(
                        None,
                        resource,
                        format!("The root user of account {} has no MFA device", b.account()),
                        evidence,
                    )])
                }
                Ok((false, evidence)) => evidence,
                Err(e) => return Ok(vec![b.error(None, resource, &e)]),
            };
            if !cx.params::<Params>().require_hardware {
                return Ok(vec![b.pass(
                    None,
                    resource,
                    format!("The root user of account {} has MFA", b.account()),
                    evidence,
                )]);
            }
            let devices = account.iam.virtual_mfa_devices.of(Source::VirtualMfaDevices)?;
            let virtual_serials: Vec<&str> = devices
                .iter()
                .filter(|d| d.is_roots())
                .map(|d| d.serial_number.as_str())
                .collect();
            evidence.insert(
                "root_virtual_mfa_devices".into(),
                serde_json::json!(virtual_serials),
            );
            Ok(if virtual_serials.is_empty() {
                vec![b.pass(
                    None,
                    resource,
                    format!(
                        "The root user of account {} has MFA, and none of it is a virtual device",
                        b.account()
                    ),
                    evidence,
                )]
            } else {
                vec![b.fail(
                    None,
                    resource,
                    format!(
                        "The root user of account {} has a virtual MFA device ({}); require_hardware asks for a hardware key",
                        b.account(),
                        virtual_serials.join(", ")
                    ),
                    evidence,
                )]
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{AccountInventory, AccountSummary, Collected, VirtualMfaDevice};

    fn with(mfa: bool) -> AccountInventory {
        let mut acc = account(&["us-east-1"]);
        acc.iam.account_summary = Collected::Ok(AccountSummary {
            root_access_keys_present: false,
            root_mfa_enabled: mfa,
            root_password_present: Some(true),
            root_signing_certificates_present: Some(false),
        });
        acc
    }

    /// A member account whose root credentials the organization deleted: what
    /// GetAccountSummary reports then.
    fn without_root_credentials() -> AccountInventory {
        let mut acc = with(false);
        acc.iam.account_summary = Collected::Ok(AccountSummary {
            root_access_keys_present: false,
            root_mfa_enabled: false,
            root_password_present: Some(false),
            root_signing_certificates_present: Some(false),
        });
        acc.iam.credential_report = Collected::Ok(vec![user_row("<root_account>", false, false)]);
        acc
    }

    fn hardware_required() -> EvalOptions {
        EvalOptions {
            params: crate::params::ParamsById::default().with(
                META.id,
                Params {
                    require_hardware: true,
                },
            ),
            ..EvalOptions::default()
        }
    }

    fn virtual_device(serial: &str, user_arn: Option<&str>) -> VirtualMfaDevice {
        VirtualMfaDevice {
            serial_number: serial.into(),
            user_arn: user_arn.map(str::to_string),
        }
    }

    #[test]
    fn a_root_user_without_any_credential_passes_and_says_why() {
        let f = run(&RootMfa, &without_root_credentials());
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
        assert!(f[0].message.contains("no password"), "{}", f[0].message);
        assert_eq!(f[0].evidence["root_password_present"], false);
    }

    #[test]
    fn a_root_password_or_key_without_mfa_still_fails() {
        for (password, keys, certs) in [
            (Some(true), false, Some(false)),
            (Some(false), true, Some(false)),
            (Some(false), false, Some(true)),
            // Not stated (an older summary): not known to be absent.
            (None, false, Some(false)),
        ] {
            let mut acc = without_root_credentials();
            acc.iam.account_summary = Collected::Ok(AccountSummary {
                root_access_keys_present: keys,
                root_mfa_enabled: false,
                root_password_present: password,
                root_signing_certificates_present: certs,
            });
            assert_eq!(
                outcome(&run(&RootMfa, &acc)),
                vec![o(Status::Fail, None, ACCOUNT)],
                "{password:?} {keys} {certs:?}"
            );
        }
        // The credential report's active key contradicts the summary: the key wins.
        let mut acc = without_root_credentials();
        let mut row = user_row("<root_account>", false, false);
        row.access_key_1_active = "true".into();
        acc.iam.credential_report = Collected::Ok(vec![row]);
        assert_eq!(
            outcome(&run(&RootMfa, &acc)),
            vec![o(Status::Fail, None, ACCOUNT)]
        );
    }

    #[test]
    fn require_hardware_fails_a_virtual_root_device_and_passes_otherwise() {
        let mut acc = with(true);
        acc.iam.virtual_mfa_devices = Collected::Ok(vec![
            virtual_device(
                &format!("arn:aws:iam::{ACCOUNT}:mfa/alice"),
                Some("arn:aws:iam::123456789012:user/alice"),
            ),
            virtual_device(
                &format!("arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device"),
                Some(&format!("arn:aws:iam::{ACCOUNT}:root")),
            ),
        ]);
        // Off by default: a virtual device is MFA.
        assert_eq!(
            outcome(&run(&RootMfa, &acc)),
            vec![o(Status::Pass, None, ACCOUNT)]
        );
        let f = run_with(&RootMfa, &acc, &hardware_required());
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, ACCOUNT)]);
        assert!(
            f[0].message.contains("root-account-mfa-device"),
            "{}",
            f[0].message
        );

        // Only another user's virtual device: the root's MFA is hardware.
        acc.iam.virtual_mfa_devices = Collected::Ok(vec![virtual_device(
            &format!("arn:aws:iam::{ACCOUNT}:mfa/alice"),
            Some("arn:aws:iam::123456789012:user/alice"),
        )]);
        let f = run_with(&RootMfa, &acc, &hardware_required());
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
    }

    #[test]
    fn require_hardware_is_an_error_when_the_devices_cannot_be_listed() {
        let mut acc = with(true);
        acc.iam.virtual_mfa_devices = Collected::Error(denied("iam:ListVirtualMFADevices"));
        // Not asked: the denied list does not matter.
        assert_eq!(
            outcome(&run(&RootMfa, &acc)),
            vec![o(Status::Pass, None, ACCOUNT)]
        );
        let f = run_with(&RootMfa, &acc, &hardware_required());
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, "iam:ListVirtualMFADevices", "AccessDenied");
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
