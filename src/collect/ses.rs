//! SES, per region: the account's sending status (SES v2 GetAccount) and, where SES is
//! in use, its reputation metrics (CloudWatch AWS/SES).

use aws_sdk_cloudwatch::types::{Metric, MetricDataQuery, MetricStat, ScanBy};
use hiyari_checks::inventory::{SesAccount, SesReputation};
use hiyari_checks::{CollectError, Collected, Source};

use super::{pages, Needs, Session};

pub const API: &str = "ses:GetAccount";
pub const METRICS_API: &str = "cloudwatch:GetMetricData";

/// The reputation metrics are read over this many hours back from the scan.
pub const REPUTATION_WINDOW_HOURS: u32 = 24;

/// The regions of each partition where SES is offered (the SES endpoints of the AWS
/// SDKs' endpoint data, 2026). GetAccount is called in every other scanned region too,
/// but there a call that reaches no service (the endpoint does not resolve) means "not
/// offered", and the region is skipped instead of reported as an error.
const SES_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "us-gov-east-1",
    "us-gov-west-1",
];

pub fn offered_in(region: &str) -> bool {
    SES_REGIONS.contains(&region)
}

/// Error codes of a call that no service answered.
fn unreachable(e: &CollectError) -> bool {
    matches!(e.code.as_str(), "ConnectionError" | "DispatchFailure")
}

/// GetAccount when the scan needs it, then the reputation metrics when it needs them
/// too and GetAccount shows SES in use ([`SesAccount::in_use`]).
pub async fn account_and_reputation(
    s: &Session,
    region: &str,
    needs: &Needs,
) -> (Collected<SesAccount>, Collected<SesReputation>) {
    let account = if needs.has(Source::SesAccount) {
        Collected::from_result(account(s, &s.sesv2(region), region).await)
    } else {
        Collected::NotCollected
    };
    let reputation = match &account {
        Collected::Ok(a) if a.in_use() && needs.has(Source::SesReputation) => {
            Collected::from_result(reputation(s, &s.cloudwatch(region)).await)
        }
        _ => Collected::NotCollected,
    };
    (account, reputation)
}

pub async fn account(
    s: &Session,
    ses: &aws_sdk_sesv2::Client,
    region: &str,
) -> Result<SesAccount, CollectError> {
    match s.limiter.call(API, ses.get_account().send()).await {
        Ok(out) => Ok(SesAccount {
            offered: true,
            enforcement_status: out.enforcement_status().map(Into::into),
            sending_enabled: Some(out.sending_enabled()),
            production_access_enabled: Some(out.production_access_enabled()),
            max_24_hour_send: out.send_quota().map(|q| q.max24_hour_send()),
            sent_last_24_hours: out.send_quota().map(|q| q.sent_last24_hours()),
        }),
        Err(e) if !offered_in(region) && unreachable(&e) => Ok(SesAccount::not_offered()),
        Err(e) => Err(e),
    }
}

/// The latest Reputation.BounceRate and Reputation.ComplaintRate (hourly averages) of
/// the last [`REPUTATION_WINDOW_HOURS`], in one GetMetricData call.
pub async fn reputation(
    s: &Session,
    cw: &aws_sdk_cloudwatch::Client,
) -> Result<SesReputation, CollectError> {
    let now = std::time::SystemTime::now();
    let start = now - std::time::Duration::from_secs(u64::from(REPUTATION_WINDOW_HOURS) * 3600);
    let query = |id: &str, metric: &str| {
        MetricDataQuery::builder()
            .id(id)
            .metric_stat(
                MetricStat::builder()
                    .metric(
                        Metric::builder()
                            .namespace("AWS/SES")
                            .metric_name(metric)
                            .build(),
                    )
                    .period(3600)
                    .stat("Average")
                    .build(),
            )
            .return_data(true)
            .build()
    };
    let mut rep = SesReputation {
        bounce_rate: None,
        complaint_rate: None,
        window_hours: REPUTATION_WINDOW_HOURS,
    };
    // Paged like every list (a repeated token is a PaginationLoop error, not an end).
    pages(
        &s.limiter,
        METRICS_API,
        |token| {
            cw.get_metric_data()
                .metric_data_queries(query("bounce", "Reputation.BounceRate"))
                .metric_data_queries(query("complaint", "Reputation.ComplaintRate"))
                .start_time(start.into())
                .end_time(now.into())
                .scan_by(ScanBy::TimestampDescending)
                .set_next_token(token)
                .send()
        },
        |out| {
            for r in out.metric_data_results() {
                // Newest first: the first value seen of each metric is the latest.
                let latest = r.values().first().copied();
                match r.id() {
                    Some("bounce") if rep.bounce_rate.is_none() => rep.bounce_rate = latest,
                    Some("complaint") if rep.complaint_rate.is_none() => {
                        rep.complaint_rate = latest
                    }
                    _ => {}
                }
            }
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    Ok(rep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::testing::mock;
    use crate::collect::testing::{json_error, mock_session, ok_json};
    use aws_sdk_cloudwatch::operation::get_metric_data::GetMetricDataOutput;
    use aws_sdk_cloudwatch::types::MetricDataResult;

    #[tokio::test]
    async fn reads_the_account_as_ses_v2_sends_it() {
        let get = mock!(aws_sdk_sesv2::Client::get_account).then_http_response(|| {
            ok_json(
                r#"{"DedicatedIpAutoWarmupEnabled":false,"Details":{"MailType":"TRANSACTIONAL","ReviewDetails":{"CaseId":"1234567890","Status":"GRANTED"},"WebsiteURL":"https://example.com"},"EnforcementStatus":"PROBATION","ProductionAccessEnabled":true,"SendQuota":{"Max24HourSend":50000.0,"MaxSendRate":14.0,"SentLast24Hours":1234.0},"SendingEnabled":true,"SuppressionAttributes":{"SuppressedReasons":["BOUNCE","COMPLAINT"]}}"#,
            )
        });
        let (s, seen) = mock_session(&[&get], "us-east-1");
        let a = account(&s, &s.sesv2("eu-west-1"), "eu-west-1")
            .await
            .unwrap();
        assert_eq!(
            a,
            SesAccount {
                offered: true,
                enforcement_status: Some("PROBATION".into()),
                sending_enabled: Some(true),
                production_access_enabled: Some(true),
                max_24_hour_send: Some(50000.0),
                sent_last_24_hours: Some(1234.0),
            }
        );
        assert!(a.in_use());
        assert_eq!(seen.hosts(), ["email.eu-west-1.amazonaws.com"]);
    }

    #[tokio::test]
    async fn an_answered_error_is_an_error_even_outside_the_list() {
        let get = mock!(aws_sdk_sesv2::Client::get_account).then_http_response(|| {
            json_error(
                403,
                "AccessDeniedException",
                "User is not authorized to perform: ses:GetAccount",
            )
        });
        let (s, _) = mock_session(&[&get], "us-east-1");
        for region in ["us-east-1", "ap-east-1"] {
            let e = account(&s, &s.sesv2(region), region).await.unwrap_err();
            assert_eq!(
                (e.api.as_str(), e.code.as_str()),
                (API, "AccessDeniedException")
            );
        }
    }

    /// A call that reaches no service: SES is not offered outside the list, and an error
    /// inside it.
    #[tokio::test]
    async fn no_service_answering_means_not_offered_only_outside_the_list() {
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .credentials_provider(aws_credential_types::Credentials::new(
                "AKIDTEST", "secret", None, None, "test",
            ))
            .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(1))
            // Nothing listens on port 1: the connection is refused.
            .endpoint_url("http://127.0.0.1:1")
            .load()
            .await;
        let s = crate::collect::testing::session_on(sdk, "us-east-1");
        let a = account(&s, &s.sesv2("ap-east-1"), "ap-east-1")
            .await
            .unwrap();
        assert!(!a.offered && !a.in_use());
        let e = account(&s, &s.sesv2("us-east-1"), "us-east-1")
            .await
            .unwrap_err();
        assert_eq!(e.api, API);
        assert!(unreachable(&e), "{e}");
    }

    #[test]
    fn the_list_of_ses_regions() {
        assert!(offered_in("ap-northeast-1") && offered_in("sa-east-1"));
        assert!(!offered_in("ap-east-1") && !offered_in("cn-north-1"));
    }

    /// CloudWatch speaks RPC v2 CBOR: its answers are given as modeled outputs.
    #[tokio::test]
    async fn reads_the_latest_reputation_rates() {
        let rule = mock!(aws_sdk_cloudwatch::Client::get_metric_data)
            .match_requests(|r| {
                let q = r.metric_data_queries();
                let names: Vec<_> = q
                    .iter()
                    .filter_map(|q| q.metric_stat()?.metric()?.metric_name())
                    .collect();
                names == ["Reputation.BounceRate", "Reputation.ComplaintRate"]
                    && q.iter().all(|q| {
                        q.metric_stat()
                            .and_then(|m| m.metric())
                            .and_then(|m| m.namespace())
                            == Some("AWS/SES")
                    })
                    && r.scan_by() == Some(&ScanBy::TimestampDescending)
            })
            .then_output(|| {
                GetMetricDataOutput::builder()
                    .metric_data_results(
                        MetricDataResult::builder()
                            .id("bounce")
                            .values(0.062)
                            .values(0.01)
                            .build(),
                    )
                    .metric_data_results(MetricDataResult::builder().id("complaint").build())
                    .build()
            });
        let (s, _) = mock_session(&[&rule], "us-east-1");
        let rep = reputation(&s, &s.cloudwatch("us-east-1")).await.unwrap();
        assert_eq!(rep.bounce_rate, Some(0.062), "the newest value");
        assert_eq!(rep.complaint_rate, None, "no datapoint");
        assert_eq!(rep.window_hours, 24);
    }

    /// A service that hands back the same page token forever: the scan stops with
    /// PaginationLoop instead of looping, or of returning what it read as complete.
    #[tokio::test]
    async fn a_repeated_page_token_is_an_error() {
        let rule = mock!(aws_sdk_cloudwatch::Client::get_metric_data).then_output(|| {
            GetMetricDataOutput::builder()
                .metric_data_results(
                    MetricDataResult::builder()
                        .id("bounce")
                        .values(0.01)
                        .build(),
                )
                .next_token("same")
                .build()
        });
        let (s, _) = mock_session(&[&rule], "us-east-1");
        let e = reputation(&s, &s.cloudwatch("us-east-1"))
            .await
            .unwrap_err();
        assert_eq!(
            (e.api.as_str(), e.code.as_str()),
            (METRICS_API, "PaginationLoop")
        );
        assert_eq!(rule.num_calls(), 2, "the first page, then the repeat");
    }
}
