use serde_json::{Map, Value};

use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};
use crate::inventory::{CollectError, SesEnforcementStatus};
use crate::params::percentage;

crate::check! {
    /// Fails where SES is in use (production access, mail sent in the last 24 hours,
    /// or under enforcement), SES v2 GetAccount shows an EnforcementStatus other than
    /// `HEALTHY` or sending paused, or the latest CloudWatch AWS/SES
    /// `Reputation.BounceRate` is at or over `bounce_rate_percent` (5) or
    /// `Reputation.ComplaintRate` at or over `complaint_rate_percent` (0.1) over the last
    /// 24 hours. A region where SES is not in use, or not offered (see
    /// docs/guide/known-limits.md), passes, marked as having nothing to inspect.
    ///
    /// ## What it does
    /// In every scanned region, reads SES v2 GetAccount. SES counts as in use in the region
    /// when ProductionAccessEnabled is true, SendQuota.SentLast24Hours is above 0, or
    /// EnforcementStatus is not HEALTHY. Where it is in use, also reads the latest hourly
    /// CloudWatch AWS/SES Reputation.BounceRate and Reputation.ComplaintRate of the last 24
    /// hours (GetMetricData). Fails when EnforcementStatus is anything but HEALTHY
    /// (PROBATION, SHUTDOWN), when sending is paused (SendingEnabled false), or when a rate
    /// is at or over its threshold ([checks.ses-sending-health] bounce_rate_percent,
    /// default 5, and complaint_rate_percent, default 0.1). A region where SES is not in
    /// use passes and says so. So does a region where SES is not offered: one outside
    /// hiyari's list of SES regions where the call reaches no service (the endpoint does
    /// not resolve); any answer from the service is read as usual. A rate with no datapoint
    /// in the window (too little mail for SES to compute one) does not fail.
    ///
    /// ## Why is this bad
    /// INC-PUBLIC-IMAGES-AND-NOTICES: keep the bounce rate under 5% and the complaint rate
    /// under 0.1%; at 5% bounces or 0.1% complaints AWS puts the account under review, at
    /// 10% or 0.5% it can pause its sending, and 'SES Vulnerable Site' notices mean SMTP
    /// credentials may have leaked. A spike in bounces or complaints is also what a spammer
    /// using stolen SMTP credentials looks like.
    ///
    /// ## How to fix
    /// Read the SES console's Reputation metrics and the Virtual Deliverability Manager in
    /// the region named. Rotate SMTP credentials (IAM users with ses:SendRawEmail) that may
    /// have leaked, stop the sender behind the spike, remove addresses that bounce (enable
    /// the account-level suppression list: `aws sesv2 put-account-suppression-attributes
    /// --suppressed-reasons BOUNCE COMPLAINT`), and set CloudWatch alarms on
    /// Reputation.BounceRate and Reputation.ComplaintRate below the review thresholds.
    /// Under review or paused, answer AWS's case in the Support Center with what was fixed.
    pub struct SesSendingHealth;
    id: "ses-sending-health",
    title: "SES sending is healthy where SES is in use",
    severity: High,
    scope: Region,
    incidents: [PUBLIC_IMAGES],
    sources: [SesAccount, SesReputation],
    params {
        /// A Reputation.BounceRate at or over this percentage fails.
        #[serde(deserialize_with = "bounce_rate_percent")]
        pub bounce_rate_percent: f64 = 5.0,
        /// A Reputation.ComplaintRate at or over this percentage fails.
        #[serde(deserialize_with = "complaint_rate_percent")]
        pub complaint_rate_percent: f64 = 0.1,
    }
}

fn bounce_rate_percent<'de, D: serde::Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
    percentage(de, "bounce_rate_percent")
}

fn complaint_rate_percent<'de, D: serde::Deserializer<'de>>(de: D) -> Result<f64, D::Error> {
    percentage(de, "complaint_rate_percent")
}

const API: &str = Source::SesAccount.api();

impl Check for SesSendingHealth {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        let params: Params = cx.params();
        let bounce_max = params.bounce_rate_percent;
        let complaint_max = params.complaint_rate_percent;
        cx.per_region(Source::SesAccount, |region, inv| {
            let resource = Resource::region(region);
            let acct = inv.ses_account.of(Source::SesAccount)?;
            if !acct.offered {
                return Ok(vec![b.nothing_to_inspect(
                    Some(region),
                    resource,
                    format!("SES is not offered in {region}: nothing to check"),
                    "SES is not offered here",
                    evidence! { "offered" => false },
                )]);
            }
            let mut ev: Map<String, Value> = evidence! {
                "offered" => true,
                "enforcement_status" => acct.enforcement_status,
                "sending_enabled" => acct.sending_enabled,
                "production_access_enabled" => acct.production_access_enabled,
                "max_24_hour_send" => acct.max_24_hour_send,
                "sent_last_24_hours" => acct.sent_last_24_hours,
            };
            if !acct.in_use() {
                return Ok(vec![b.nothing_to_inspect(
                    Some(region),
                    resource,
                    format!(
                        "SES is not in use in {region} (no production access, nothing sent in the last 24 hours, status HEALTHY)"
                    ),
                    "SES is not in use",
                    ev,
                )]);
            }
            let (Some(status), Some(sending)) =
                (acct.enforcement_status.as_ref(), acct.sending_enabled)
            else {
                return Ok(vec![b.error(
                    Some(region),
                    resource,
                    &CollectError::new(
                        API,
                        "IncompleteAnswer",
                        "GetAccount did not state EnforcementStatus and SendingEnabled",
                    ),
                )]);
            };
            let mut problems = Vec::new();
            if *status != SesEnforcementStatus::Healthy {
                problems.push(format!("enforcement status {status}"));
            }
            if !sending {
                problems.push("sending is paused".to_string());
            }
            ev.insert("bounce_rate_percent_threshold".into(), bounce_max.into());
            ev.insert(
                "complaint_rate_percent_threshold".into(),
                complaint_max.into(),
            );
            match inv.ses_reputation.of(Source::SesReputation) {
                Ok(rep) => {
                    ev.insert(
                        "bounce_rate_percent".into(),
                        Value::from(rep.bounce_rate.map(|r| r * 100.0)),
                    );
                    ev.insert(
                        "complaint_rate_percent".into(),
                        Value::from(rep.complaint_rate.map(|r| r * 100.0)),
                    );
                    ev.insert("reputation_window_hours".into(), rep.window_hours.into());
                    if let Some(r) = rep.bounce_rate.filter(|r| *r >= bounce_max / 100.0) {
                        problems.push(format!(
                            "bounce rate {:.2}% (at or over {bounce_max}%)",
                            r * 100.0
                        ));
                    }
                    if let Some(r) = rep.complaint_rate.filter(|r| *r >= complaint_max / 100.0) {
                        problems.push(format!(
                            "complaint rate {:.3}% (at or over {complaint_max}%)",
                            r * 100.0
                        ));
                    }
                }
                Err(e) => {
                    if problems.is_empty() {
                        // The account looks healthy, but the rates were not read.
                        return Ok(vec![b.error(Some(region), resource, &e)]);
                    }
                    ev.insert("reputation_error".into(), e.to_string().into());
                }
            }
            Ok(if problems.is_empty() {
                vec![b.pass(
                    Some(region),
                    resource,
                    format!(
                        "SES sending is healthy in {region}: status HEALTHY, sending enabled, bounce and complaint rates under their thresholds"
                    ),
                    ev,
                )]
            } else {
                vec![b.fail(
                    Some(region),
                    resource,
                    format!(
                        "SES sending in {region} is at risk: {}",
                        problems.join(", ")
                    ),
                    ev,
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
    use crate::inventory::{Collected, SesAccount, SesReputation};
    use crate::params::ParamsById;

    fn in_use(status: &str, sending: bool) -> SesAccount {
        SesAccount {
            offered: true,
            enforcement_status: Some(status.into()),
            sending_enabled: Some(sending),
            production_access_enabled: Some(true),
            max_24_hour_send: Some(50000.0),
            sent_last_24_hours: Some(1200.0),
        }
    }

    fn rep(bounce: Option<f64>, complaint: Option<f64>) -> Collected<SesReputation> {
        Collected::Ok(SesReputation {
            bounce_rate: bounce,
            complaint_rate: complaint,
            window_hours: 24,
        })
    }

    fn set(
        acc: &mut AccountInventory,
        r: &str,
        a: Collected<SesAccount>,
        rp: Collected<SesReputation>,
    ) {
        let inv = region(acc, r);
        inv.ses_account = a;
        inv.ses_reputation = rp;
    }

    /// An enforcement status SES may add is not HEALTHY: SES counts as in use, and the
    /// region fails naming the status, even with good rates.
    #[test]
    fn an_unknown_enforcement_status_fails_and_is_named() {
        let mut acc = account(&["us-east-1"]);
        let mut quiet = in_use("UNDER_REVIEW", true);
        quiet.production_access_enabled = Some(false);
        quiet.sent_last_24_hours = Some(0.0);
        assert!(quiet.in_use());
        set(
            &mut acc,
            "us-east-1",
            Collected::Ok(quiet),
            rep(Some(0.0), Some(0.0)),
        );
        let f = run(&SesSendingHealth, &acc);
        assert_eq!(f[0].status, Status::Fail, "{}", f[0].message);
        assert!(
            f[0].message.contains("enforcement status UNDER_REVIEW"),
            "{}",
            f[0].message
        );
        assert_eq!(f[0].evidence["enforcement_status"], "UNDER_REVIEW");
    }

    #[test]
    fn review_pause_and_rates_fail() {
        let mut acc = account(&[
            "us-east-1",
            "us-west-2",
            "eu-west-1",
            "ap-northeast-1",
            "sa-east-1",
        ]);
        set(
            &mut acc,
            "us-east-1",
            Collected::Ok(in_use("PROBATION", true)),
            rep(Some(0.01), Some(0.0)),
        );
        set(
            &mut acc,
            "us-west-2",
            Collected::Ok(in_use("HEALTHY", false)),
            // A paused account fails whether or not its rates could be read.
            Collected::Error(denied("cloudwatch:GetMetricData")),
        );
        set(
            &mut acc,
            "eu-west-1",
            Collected::Ok(in_use("HEALTHY", true)),
            rep(Some(0.05), Some(0.0002)),
        );
        set(
            &mut acc,
            "ap-northeast-1",
            Collected::Ok(in_use("HEALTHY", true)),
            rep(Some(0.01), Some(0.001)),
        );
        set(
            &mut acc,
            "sa-east-1",
            Collected::Ok(in_use("HEALTHY", true)),
            rep(Some(0.049), Some(0.0009)),
        );
        let f = run(&SesSendingHealth, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("ap-northeast-1"), "ap-northeast-1"),
                o(Status::Fail, Some("eu-west-1"), "eu-west-1"),
                o(Status::Fail, Some("us-east-1"), "us-east-1"),
                o(Status::Fail, Some("us-west-2"), "us-west-2"),
                o(Status::Pass, Some("sa-east-1"), "sa-east-1"),
            ]
        );
        let msg = |r: &str| {
            f.iter()
                .find(|f| f.resource.id == r)
                .unwrap()
                .message
                .clone()
        };
        assert!(
            msg("us-east-1").contains("PROBATION"),
            "{}",
            msg("us-east-1")
        );
        assert!(msg("us-west-2").contains("paused"));
        assert!(
            msg("eu-west-1").contains("bounce rate 5.00%"),
            "{}",
            msg("eu-west-1")
        );
        assert!(msg("ap-northeast-1").contains("complaint rate 0.100%"));
    }

    #[test]
    fn thresholds_are_parameters() {
        let mut acc = account(&["us-east-1"]);
        set(
            &mut acc,
            "us-east-1",
            Collected::Ok(in_use("HEALTHY", true)),
            rep(Some(0.03), None),
        );
        assert_eq!(outcome(&run(&SesSendingHealth, &acc))[0].0, Status::Pass);
        let opts = EvalOptions {
            params: ParamsById::default().with(
                META.id,
                Params {
                    bounce_rate_percent: 2.5,
                    ..Params::default()
                },
            ),
            ..EvalOptions::default()
        };
        let f = run_with(&SesSendingHealth, &acc, &opts);
        assert_eq!(f[0].status, Status::Fail, "{}", f[0].message);
    }

    #[test]
    fn not_in_use_or_not_offered_passes_and_says_so() {
        let mut acc = account(&["us-east-1", "ap-east-2"]);
        // testutil's default: a sandbox account that sent nothing, reputation unread.
        set(
            &mut acc,
            "ap-east-2",
            Collected::Ok(SesAccount::not_offered()),
            Collected::NotCollected,
        );
        let f = run(&SesSendingHealth, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Pass, Some("ap-east-2"), "ap-east-2"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        let msg = |r: &str| {
            f.iter()
                .find(|f| f.resource.id == r)
                .unwrap()
                .message
                .clone()
        };
        assert!(msg("ap-east-2").contains("not offered"));
        assert!(msg("us-east-1").contains("not in use"));
        // Both passes say, for machines too, that there was nothing to inspect.
        let marker = |r: &str| {
            f.iter()
                .find(|f| f.resource.id == r)
                .unwrap()
                .nothing_to_inspect()
                .map(str::to_string)
        };
        assert_eq!(
            marker("ap-east-2").as_deref(),
            Some("SES is not offered here")
        );
        assert_eq!(marker("us-east-1").as_deref(), Some("SES is not in use"));
    }

    #[test]
    fn errors_when_the_account_or_the_rates_cannot_be_read() {
        let mut acc = account(&["us-east-1", "eu-west-1"]);
        set(
            &mut acc,
            "us-east-1",
            Collected::Error(CollectError::new(API, "HTTP404", "HTTP status 404")),
            Collected::NotCollected,
        );
        set(
            &mut acc,
            "eu-west-1",
            Collected::Ok(in_use("HEALTHY", true)),
            Collected::Error(denied("cloudwatch:GetMetricData")),
        );
        let f = run(&SesSendingHealth, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Error, Some("eu-west-1"), "eu-west-1"),
                o(Status::Error, Some("us-east-1"), "us-east-1"),
            ]
        );
        let by = |r: &str| f.iter().find(|f| f.resource.id == r).unwrap();
        assert_eq!(by("us-east-1").error_source(), Some((API, "HTTP404")));
        assert_eq!(
            by("eu-west-1").error_source(),
            Some(("cloudwatch:GetMetricData", "AccessDenied"))
        );
    }
}
