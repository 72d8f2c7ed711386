use crate::check::{Check, Cx, Source};
use crate::credential_report::{days_between, parse_time};
use crate::finding::Finding;
use crate::inventory::CollectError;
use serde_json::{Map, Value};

crate::check! {
    /// Fails when the credential report's `<root_account>` row shows the root password or a
    /// root access key used within `max_age_days` (default 30).
    ///
    /// ## What it does
    /// Generates and reads the IAM credential report. Fails when the <root_account> row's
    /// password_last_used, access_key_1_last_used_date or access_key_2_last_used_date is
    /// within max_age_days (default 30; [checks.root-recent-use] max_age_days) of now. A
    /// report without a <root_account> row, or with a time that cannot be read, is an
    /// error.
    ///
    /// ## Why is this bad
    /// Root credentials are for the few tasks only root can do, not for daily work, and
    /// every use of them is worth a look. In INC-2024-ROOT-KEY-IN-SCRIPT GuardDuty reported
    /// RootCredentialUsage: an ancient backup script called DescribeVolumes with a root key
    /// written in it. In INC-2017-SECURITY-JAWS reading CloudTrail showed root console
    /// logins from unknown IP addresses after credential stuffing.
    ///
    /// ## How to fix
    /// Find out who used root and why: CloudTrail event history with User name 'root'
    /// (ConsoleLogin, and API calls with the root key), and GuardDuty RootCredentialUsage
    /// findings. If it was not you, change the root password, rotate MFA and delete every
    /// root access key now. If it was a program, give it an IAM role and delete the root
    /// key; if it was a person, give them an IAM Identity Center or IAM user with the
    /// permissions they need.
    pub struct RootRecentUse;
    id: "root-recent-use",
    title: "The root user has not been used recently",
    severity: High,
    scope: Account,
    incidents: [ROOT_KEY_IN_SCRIPT, SECURITY_JAWS],
    sources: [CredentialReport],
    params {
        /// A root password or access key use this many days ago or fewer fails.
        pub max_age_days: u32 = 30,
    }
}

const API: &str = Source::CredentialReport.api();

impl Check for RootRecentUse {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let Cx { opts, b, .. } = cx;
        cx.account_wide(|account| {
            let resource = b.account_resource();
            let rows = account.iam.credential_report.get(API)?;
            let Some(root) = rows.iter().find(|r| r.is_root()) else {
                return Ok(vec![b.error(
                    None,
                    resource,
                    &CollectError::new(
                        API,
                        "NoRootAccountRow",
                        "the credential report has no <root_account> row, so root use cannot be read",
                    ),
                )]);
            };
            let max = i64::from(cx.params::<Params>().max_age_days);
            let now = opts.now();
            let mut evidence = Map::new();
            evidence.insert("max_age_days".into(), Value::from(max));
            let mut recent = Vec::new();
            for (what, value) in [
                ("password_last_used", &root.password_last_used),
                (
                    "access_key_1_last_used_date",
                    &root.access_key_1_last_used_date,
                ),
                (
                    "access_key_2_last_used_date",
                    &root.access_key_2_last_used_date,
                ),
            ] {
                match parse_time(value) {
                    Ok(Some(t)) => {
                        evidence.insert(what.into(), Value::from(value.clone()));
                        if days_between(t, now) <= max {
                            recent.push(what);
                        }
                    }
                    Ok(None) => {
                        evidence.insert(what.into(), Value::from(value.clone()));
                    }
                    Err(msg) => {
                        return Ok(vec![b.error(
                            None,
                            resource,
                            &CollectError::new(API, "InvalidReport", format!("{what}: {msg}")),
                        )])
                    }
                }
            }
            Ok(if recent.is_empty() {
                vec![b.pass(
                    None,
                    resource,
                    format!(
                        "The root user of account {} was not used in the last {max} days",
                        b.account()
                    ),
                    evidence,
                )]
            } else {
                evidence.insert("recent".into(), Value::from(recent.clone()));
                let what: Vec<_> = recent
                    .iter()
                    .map(|w| match *w {
                        "password_last_used" => "its password",
                        "access_key_1_last_used_date" => "access key 1",
                        _ => "access key 2",
                    })
                    .collect();
                vec![b.fail(
                    None,
                    resource,
                    format!(
                        "The root user of account {} was used in the last {max} days ({})",
                        b.account(),
                        what.join(", ")
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
    use crate::inventory::Collected;
    use crate::params::ParamsById;
    use time::macros::datetime;

    fn opts(max: u32) -> EvalOptions {
        EvalOptions {
            now: Some(datetime!(2026-11-22 12:00 UTC)),
            params: ParamsById::default().with(META.id, Params { max_age_days: max }),
            ..EvalOptions::default()
        }
    }

    fn with_root(password: &str, key1: &str) -> AccountInventory {
        let mut acc = account(&["us-east-1"]);
        let mut root = user_row("<root_account>", false, true);
        root.password_last_used = password.into();
        root.access_key_1_last_used_date = key1.into();
        acc.iam.credential_report = Collected::Ok(vec![root, user_row("alice", true, true)]);
        acc
    }

    #[test]
    fn fails_when_the_root_password_was_used_recently() {
        let acc = with_root("2026-11-01T08:00:00+00:00", "N/A");
        let f = run_with(&RootRecentUse, &acc, &opts(30));
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, ACCOUNT)]);
        assert!(f[0].message.contains("its password"), "{}", f[0].message);
        assert_eq!(
            f[0].evidence["recent"],
            serde_json::json!(["password_last_used"])
        );
    }

    #[test]
    fn fails_when_a_root_key_was_used_recently() {
        let acc = with_root("no_information", "2026-11-20T08:00:00+00:00");
        let f = run_with(&RootRecentUse, &acc, &opts(30));
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, ACCOUNT)]);
        assert!(f[0].message.contains("access key 1"), "{}", f[0].message);
    }

    #[test]
    fn passes_when_root_was_last_used_long_ago_or_never() {
        let acc = with_root("2026-09-01T08:00:00+00:00", "N/A");
        let f = run_with(&RootRecentUse, &acc, &opts(30));
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
        // The threshold is the parameter's.
        let f = run_with(&RootRecentUse, &acc, &opts(120));
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, ACCOUNT)]);
        let never = with_root("no_information", "N/A");
        let f = run_with(&RootRecentUse, &never, &opts(30));
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
    }

    #[test]
    fn error_when_report_unavailable() {
        let mut acc = with_root("N/A", "N/A");
        acc.iam.credential_report = Collected::Error(denied("iam:GenerateCredentialReport"));
        let f = run_with(&RootRecentUse, &acc, &opts(30));
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, "iam:GenerateCredentialReport", "AccessDenied");
    }

    #[test]
    fn error_when_the_report_has_no_root_row() {
        let mut acc = account(&["us-east-1"]);
        acc.iam.credential_report = Collected::Ok(vec![user_row("alice", true, true)]);
        let f = run_with(&RootRecentUse, &acc, &opts(30));
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, API, "NoRootAccountRow");
    }

    #[test]
    fn error_when_a_time_cannot_be_read() {
        let acc = with_root("last tuesday", "N/A");
        let f = run_with(&RootRecentUse, &acc, &opts(30));
        assert_errors_named(&f, API, "InvalidReport");
    }
}
