use crate::check::{Check, Cx, Source};
use crate::credential_report::{days_between, parse_time, CredentialReportRow};
use crate::evaluate::EvalOptions;
use crate::finding::{Finding, Resource};
use crate::inventory::CollectError;
use serde_json::{json, Value};

crate::check! {
    /// Fails when an IAM user's active access key was last rotated more than `max_age_days`
    /// (default 90) ago, or unused for more than `max_unused_days` (default 90) (credential
    /// report).
    ///
    /// ## What it does
    /// Generates and reads the IAM credential report. For each IAM user (the <root_account>
    /// row is root-access-keys' concern), each active access key fails when
    /// access_key_N_last_rotated is more than max_age_days (default 90) ago, or when
    /// access_key_N_last_used_date (for a key never used: its last_rotated, the time it was
    /// created) is more than max_unused_days (default 90) ago. One finding per user; set
    /// both in [checks.stale-access-keys]. A time that cannot be read is an error for that
    /// user.
    ///
    /// ## Why is this bad
    /// Every day a key lives is a day it can leak, and a leaked key works until someone
    /// deletes it. In INC-2015-LEAKED-ROOT-KEY an access key pasted with its secret into a
    /// public blog post was found and used a full year later: a key that had been rotated,
    /// or deleted when it went unused, would have been worthless by then.
    ///
    /// ## How to fix
    /// For a key in use: create a second key, move its users to it, deactivate the old one,
    /// then delete it (`aws iam create-access-key`, `update-access-key --status Inactive`,
    /// `delete-access-key`); better, replace it with an IAM role (an instance profile, OIDC
    /// federation in CI, IAM Identity Center for people). For an unused key: deactivate it,
    /// and delete it if nothing breaks.
    pub struct StaleAccessKeys;
    id: "stale-access-keys",
    title: "IAM users' active access keys are rotated and in use",
    severity: Medium,
    scope: Account,
    incidents: [LEAKED_ROOT_KEY],
    sources: [CredentialReport],
    params {
        /// An active key last rotated more than this many days ago fails.
        pub max_age_days: u32 = 90,
        /// An active key unused (never used: since it was created) for more than this many
        /// days fails.
        pub max_unused_days: u32 = 90,
    }
}

const API: &str = Source::CredentialReport.api();

/// Why one key of a user is stale, or `Ok(None)` when it is not (or not active).
fn key_problems(
    row: &CredentialReportRow,
    n: u8,
    opts: &EvalOptions,
    p: &Params,
) -> Result<Option<Value>, String> {
    let (active, rotated, used) = if n == 1 {
        (
            &row.access_key_1_active,
            &row.access_key_1_last_rotated,
            &row.access_key_1_last_used_date,
        )
    } else {
        (
            &row.access_key_2_active,
            &row.access_key_2_last_rotated,
            &row.access_key_2_last_used_date,
        )
    };
    if !active.is_true() {
        return Ok(None);
    }
    let now = opts.now();
    let rotated_at = parse_time(rotated)
        .map_err(|e| format!("access_key_{n}_last_rotated: {e}"))?
        .ok_or_else(|| format!("access_key_{n}_last_rotated of an active key is `{rotated}`"))?;
    let used_at = parse_time(used).map_err(|e| format!("access_key_{n}_last_used_date: {e}"))?;
    let age = days_between(rotated_at, now);
    let unused = days_between(used_at.unwrap_or(rotated_at), now);
    let mut reasons = Vec::new();
    if age > i64::from(p.max_age_days) {
        reasons.push(format!("not rotated for {age} days"));
    }
    if unused > i64::from(p.max_unused_days) {
        reasons.push(if used_at.is_some() {
            format!("unused for {unused} days")
        } else {
            format!("never used in the {unused} days since it was created")
        });
    }
    if reasons.is_empty() {
        return Ok(None);
    }
    Ok(Some(json!({
        "key": n,
        "last_rotated": rotated,
        "last_used_date": used,
        "reasons": reasons,
    })))
}

impl Check for StaleAccessKeys {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let Cx { opts, b, .. } = cx;
        cx.account_wide(|account| {
            let rows = account.iam.credential_report.get(API)?;
            let params: Params = opts.params(META.id);
            let users: Vec<_> = rows.iter().filter(|r| !r.is_root()).collect();
            let mut out = Vec::new();
            let mut active_keys = 0usize;
            for row in &users {
                let resource = Resource::new("AWS::IAM::User", &row.user, Some(row.arn.clone()));
                active_keys += row.active_access_keys();
                let mut stale = Vec::new();
                let mut bad = None;
                for n in [1, 2] {
                    match key_problems(row, n, opts, &params) {
                        Ok(Some(v)) => stale.push(v),
                        Ok(None) => {}
                        Err(msg) => bad = Some(msg),
                    }
                }
                if let Some(msg) = bad {
                    out.push(b.error(
                        None,
                        resource,
                        &CollectError::new(API, "InvalidReport", format!("user {}: {msg}", row.user)),
                    ));
                    continue;
                }
                if stale.is_empty() {
                    continue;
                }
                let summary: Vec<String> = stale
                    .iter()
                    .map(|k| {
                        let reasons: Vec<&str> = k["reasons"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .collect();
                        format!("key {}: {}", k["key"], reasons.join(", "))
                    })
                    .collect();
                let mut evidence = serde_json::Map::new();
                evidence.insert("keys".into(), Value::from(stale));
                out.push(b.fail(
                    None,
                    resource,
                    format!(
                        "IAM user {} has a stale active access key ({})",
                        row.user,
                        summary.join("; ")
                    ),
                    evidence,
                ));
            }
            if out.is_empty() {
                let mut evidence = serde_json::Map::new();
                evidence.insert("users".into(), Value::from(users.len()));
                evidence.insert("active_keys".into(), Value::from(active_keys));
                evidence.insert("max_age_days".into(), Value::from(params.max_age_days));
                evidence.insert(
                    "max_unused_days".into(),
                    Value::from(params.max_unused_days),
                );
                out.push(b.pass(
                    None,
                    b.account_resource(),
                    format!(
                        "All {active_keys} active access keys of IAM users were rotated and used recently"
                    ),
                    evidence,
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
    use crate::params::ParamsById;
    use time::macros::datetime;

    fn opts(max_age: u32, max_unused: u32) -> EvalOptions {
        EvalOptions {
            now: Some(datetime!(2026-11-22 12:00 UTC)),
            params: ParamsById::default().with(
                META.id,
                Params {
                    max_age_days: max_age,
                    max_unused_days: max_unused,
                },
            ),
            ..EvalOptions::default()
        }
    }

    fn user_with_key(user: &str, rotated: &str, used: &str) -> CredentialReportRow {
        let mut r = user_row(user, false, false);
        r.access_key_1_active = "true".into();
        r.access_key_1_last_rotated = rotated.into();
        r.access_key_1_last_used_date = used.into();
        r
    }

    fn acc(rows: Vec<CredentialReportRow>) -> AccountInventory {
        let mut a = account(&["us-east-1"]);
        a.iam.credential_report = Collected::Ok(rows);
        a
    }

    #[test]
    fn fails_for_old_and_for_unused_keys() {
        let mut root = user_with_key("<root_account>", "2015-01-01T00:00:00+00:00", "N/A");
        root.password_enabled = "not_supported".into();
        let mut inactive = user_with_key("dora", "2015-01-01T00:00:00+00:00", "N/A");
        inactive.access_key_1_active = "false".into();
        let a = acc(vec![
            root,
            // Rotated long ago, used yesterday: old.
            user_with_key(
                "alice",
                "2025-01-01T00:00:00+00:00",
                "2026-11-21T00:00:00+00:00",
            ),
            // Rotated recently, never used for 100 days: unused.
            user_with_key("bob", "2026-08-14T00:00:00+00:00", "N/A"),
            // Fresh and in use.
            user_with_key(
                "carol",
                "2026-10-01T00:00:00+00:00",
                "2026-11-20T00:00:00+00:00",
            ),
            inactive,
        ]);
        let f = run_with(&StaleAccessKeys, &a, &opts(90, 90));
        assert_eq!(
            outcome(&f),
            vec![o(Status::Fail, None, "alice"), o(Status::Fail, None, "bob")]
        );
        let alice = f.iter().find(|f| f.resource.id == "alice").unwrap();
        assert!(
            alice.message.contains("not rotated for"),
            "{}",
            alice.message
        );
        assert_eq!(alice.resource.kind, "AWS::IAM::User");
        let bob = f.iter().find(|f| f.resource.id == "bob").unwrap();
        assert!(bob.message.contains("never used"), "{}", bob.message);
        assert_eq!(bob.evidence["keys"][0]["key"], 1);
    }

    #[test]
    fn second_key_is_read_too() {
        let mut r = user_row("erin", false, false);
        r.access_key_2_active = "true".into();
        r.access_key_2_last_rotated = "2026-11-01T00:00:00+00:00".into();
        r.access_key_2_last_used_date = "2026-05-01T00:00:00+00:00".into();
        let f = run_with(&StaleAccessKeys, &acc(vec![r]), &opts(90, 90));
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, "erin")]);
        assert!(
            f[0].message.contains("key 2: unused for"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn passes_when_every_active_key_is_fresh_and_used() {
        let a = acc(vec![
            user_with_key(
                "carol",
                "2026-10-01T00:00:00+00:00",
                "2026-11-20T00:00:00+00:00",
            ),
            user_row("no-keys", true, true),
        ]);
        let f = run_with(&StaleAccessKeys, &a, &opts(90, 90));
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
        assert_eq!(f[0].evidence["active_keys"], 1);
        // The thresholds are the parameters'.
        let f = run_with(&StaleAccessKeys, &a, &opts(30, 90));
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, "carol")]);
    }

    #[test]
    fn error_when_report_unavailable() {
        let mut a = acc(vec![]);
        a.iam.credential_report = Collected::Error(denied("iam:GenerateCredentialReport"));
        let f = run_with(&StaleAccessKeys, &a, &opts(90, 90));
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, "iam:GenerateCredentialReport", "AccessDenied");
    }

    #[test]
    fn error_for_the_user_whose_times_cannot_be_read() {
        let a = acc(vec![
            user_with_key("alice", "soon", "N/A"),
            user_with_key(
                "carol",
                "2026-10-01T00:00:00+00:00",
                "2026-11-20T00:00:00+00:00",
            ),
        ]);
        let f = run_with(&StaleAccessKeys, &a, &opts(90, 90));
        assert_eq!(outcome(&f), vec![o(Status::Error, None, "alice")]);
        assert_errors_named(&f, API, "InvalidReport");
    }
}
