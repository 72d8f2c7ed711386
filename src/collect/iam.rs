//! IAM: the account summary (root keys, root MFA) and the credential report.

use std::time::{Duration, Instant};

use aws_sdk_iam::types::{ReportStateType, SummaryKeyType};
use hiyari_checks::credential_report::{self, CredentialReportRow};
use hiyari_checks::inventory::AccountSummary;
use hiyari_checks::CollectError;

use super::Session;

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
    Ok(AccountSummary {
        root_access_keys_present: read(SummaryKeyType::AccountAccessKeysPresent)? > 0,
        root_mfa_enabled: read(SummaryKeyType::AccountMfaEnabled)? > 0,
    })
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
