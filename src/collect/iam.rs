//! IAM: the account summary (root keys, root MFA) and the credential report.

use std::time::{Duration, Instant};

use aws_sdk_iam::types::{AssignmentStatusType, ReportStateType, SummaryKeyType};
use hiyari_checks::credential_report::{self, CredentialReportRow};
use hiyari_checks::inventory::{AccountSummary, OrganizationsFeatures, VirtualMfaDevice};
use hiyari_checks::CollectError;

use super::{next_marker, pages, Session};

/// How long to wait for AWS to generate the credential report.
const REPORT_DEADLINE: Duration = Duration::from_secs(120);

pub async fn account_summary(
    s: &Session,
    iam: &aws_sdk_iam::Client,
) -> Result<AccountSummary, CollectError> {
    const API: &str = "iam:GetAccountSummary";
    let out = s
        .limiter
        .chain()
        .call(API, iam.get_account_summary().send())
        .await?;
    let map = out.summary_map().cloned().unwrap_or_default();
    let read = |k: SummaryKeyType| {
        map.get(&k).copied().ok_or_else(|| {
            CollectError::new(
                API,
                "IncompleteResponse",
                format!("the summary has no {} entry", k.as_str()),
            )
        })
    };
    // Entries AWS added later (with centralized root access): absent means not known.
    let optional = |k: SummaryKeyType| map.get(&k).map(|v| *v > 0);
    Ok(AccountSummary {
        root_access_keys_present: read(SummaryKeyType::AccountAccessKeysPresent)? > 0,
        root_mfa_enabled: read(SummaryKeyType::AccountMfaEnabled)? > 0,
        root_password_present: optional(SummaryKeyType::AccountPasswordPresent),
        root_signing_certificates_present: optional(
            SummaryKeyType::AccountSigningCertificatesPresent,
        ),
    })
}

/// IAM ListOrganizationsFeatures. IAM answers with an error when the account cannot
/// list them (not the management account or IAM's delegated administrator, no
/// organization, no trusted access for IAM, consolidated billing only): those answers are
/// facts about the account, kept as its status; any other error is an error.
pub async fn organizations_features(
    s: &Session,
    iam: &aws_sdk_iam::Client,
) -> Result<OrganizationsFeatures, CollectError> {
    const API: &str = "iam:ListOrganizationsFeatures";
    let status = |status: &str| OrganizationsFeatures {
        status: status.to_string(),
        organization_id: None,
        enabled_features: vec![],
    };
    match s
        .limiter
        .call(API, iam.list_organizations_features().send())
        .await
    {
        Ok(out) => Ok(OrganizationsFeatures {
            status: "listed".into(),
            organization_id: out.organization_id().map(str::to_string),
            enabled_features: out
                .enabled_features()
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
        }),
        // The SDK's model names the codes with `Exception`, the API reference without.
        Err(e) => match e.code.trim_end_matches("Exception") {
            "AccountNotManagementOrDelegatedAdministrator" => Ok(status("not_management_account")),
            "OrganizationNotFound" => Ok(status("no_organization")),
            "OrganizationNotInAllFeaturesMode" => Ok(status("not_all_features")),
            "ServiceAccessNotEnabled" => Ok(status("iam_trusted_access_off")),
            _ => Err(e),
        },
    }
}

/// IAM ListVirtualMFADevices, the assigned ones (paged).
pub async fn virtual_mfa_devices(
    s: &Session,
    iam: &aws_sdk_iam::Client,
) -> Result<Vec<VirtualMfaDevice>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "iam:ListVirtualMFADevices",
        |marker| {
            iam.list_virtual_mfa_devices()
                .assignment_status(AssignmentStatusType::Assigned)
                .set_marker(marker)
                .send()
        },
        |out| {
            v.extend(out.virtual_mfa_devices().iter().map(|d| VirtualMfaDevice {
                serial_number: d.serial_number().to_string(),
                user_arn: d.user().map(|u| u.arn().to_string()),
            }));
            next_marker(out.is_truncated(), out.marker())
        },
    )
    .await?;
    Ok(v)
}

/// Generates the credential report, waits for it, and parses it.
pub async fn credential_report(
    s: &Session,
    iam: &aws_sdk_iam::Client,
) -> Result<Vec<CredentialReportRow>, CollectError> {
    const API: &str = "iam:GetCredentialReport";
    let start = Instant::now();
    let mut wait = Duration::from_millis(100);
    loop {
        let out = s
            .limiter
            .chain()
            .call(
                "iam:GenerateCredentialReport",
                iam.generate_credential_report().send(),
            )
            .await?;
        if out.state() == Some(&ReportStateType::Complete) {
            break;
        }
        if start.elapsed() > REPORT_DEADLINE {
            return Err(CollectError::new(
                "iam:GenerateCredentialReport",
                "ReportNotReady",
                format!(
                    "the credential report was not ready after {}s",
                    REPORT_DEADLINE.as_secs()
                ),
            ));
        }
        // The wait holds no request permit.
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(Duration::from_secs(2));
    }
    let out = s
        .limiter
        .chain()
        .call(API, iam.get_credential_report().send())
        .await?;
    let content = out
        .content()
        .ok_or_else(|| CollectError::new(API, "IncompleteResponse", "the report has no content"))?;
    let text = std::str::from_utf8(content.as_ref())
        .map_err(|e| CollectError::new(API, "InvalidReport", e.to_string()))?;
    credential_report::parse(text)
        .map_err(|e| CollectError::new(API, "InvalidReport", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::testing::{mock, mock_session, ok_xml, xml_error};

    /// moto has no ListOrganizationsFeatures: these are IAM's query-protocol answers, as
    /// the API reference shows them.
    #[tokio::test]
    async fn organizations_features_as_iam_lists_them() {
        let list = mock!(aws_sdk_iam::Client::list_organizations_features).then_http_response(|| {
            ok_xml(
                r#"<ListOrganizationsFeaturesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
  <ListOrganizationsFeaturesResult>
    <OrganizationId>o-aa111bb222</OrganizationId>
    <EnabledFeatures>
      <member>RootCredentialsManagement</member>
      <member>RootSessions</member>
    </EnabledFeatures>
  </ListOrganizationsFeaturesResult>
  <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>
</ListOrganizationsFeaturesResponse>"#,
            )
        });
        let (s, seen) = mock_session(&[&list], "ap-northeast-1");
        let f = organizations_features(&s, &s.iam()).await.unwrap();
        assert_eq!(
            f,
            OrganizationsFeatures {
                status: "listed".into(),
                organization_id: Some("o-aa111bb222".into()),
                enabled_features: vec!["RootCredentialsManagement".into(), "RootSessions".into()],
            }
        );
        assert_eq!(seen.hosts(), ["iam.amazonaws.com"]);
    }

    #[tokio::test]
    async fn organizations_features_refusals_are_states_and_denials_errors() {
        for (code, status) in [
            (
                "AccountNotManagementOrDelegatedAdministratorException",
                Some("not_management_account"),
            ),
            (
                "AccountNotManagementOrDelegatedAdministrator",
                Some("not_management_account"),
            ),
            ("OrganizationNotFoundException", Some("no_organization")),
            (
                "OrganizationNotInAllFeaturesModeException",
                Some("not_all_features"),
            ),
            (
                "ServiceAccessNotEnabledException",
                Some("iam_trusted_access_off"),
            ),
            ("AccessDenied", None),
        ] {
            let code_owned = code.to_string();
            let list = mock!(aws_sdk_iam::Client::list_organizations_features).then_http_response(
                move || {
                    xml_error(
                        if code_owned == "AccessDenied" {
                            403
                        } else {
                            400
                        },
                        &code_owned,
                        "refused",
                        false,
                    )
                },
            );
            let (s, _) = mock_session(&[&list], "us-east-1");
            let got = organizations_features(&s, &s.iam()).await;
            match status {
                Some(status) => assert_eq!(got.unwrap().status, status, "{code}"),
                None => {
                    let e = got.unwrap_err();
                    assert_eq!(
                        (e.api.as_str(), e.code.as_str()),
                        ("iam:ListOrganizationsFeatures", "AccessDenied")
                    );
                }
            }
        }
    }

    #[tokio::test]
    async fn account_summary_reads_the_root_password_entry_when_iam_sends_it() {
        let summary = |password: Option<u8>| {
            let extra = password
                .map(|p| format!("<entry><key>AccountPasswordPresent</key><value>{p}</value></entry><entry><key>AccountSigningCertificatesPresent</key><value>0</value></entry>"))
                .unwrap_or_default();
            format!(
                r#"<GetAccountSummaryResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetAccountSummaryResult><SummaryMap><entry><key>AccountMFAEnabled</key><value>0</value></entry><entry><key>AccountAccessKeysPresent</key><value>0</value></entry>{extra}<entry><key>Users</key><value>3</value></entry></SummaryMap></GetAccountSummaryResult><ResponseMetadata><RequestId>85cb9b90-ac28-11e4-a88d-97964EXAMPLE</RequestId></ResponseMetadata></GetAccountSummaryResponse>"#
            )
        };
        for (password, expect) in [(Some(0), Some(false)), (Some(1), Some(true)), (None, None)] {
            let body = summary(password);
            let get = mock!(aws_sdk_iam::Client::get_account_summary)
                .then_http_response(move || ok_xml(&body));
            let (s, _) = mock_session(&[&get], "us-east-1");
            let got = account_summary(&s, &s.iam()).await.unwrap();
            assert_eq!(got.root_password_present, expect);
            assert_eq!(got.root_has_no_credentials(), password == Some(0));
        }
    }
}
