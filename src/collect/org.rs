//! Many accounts in one scan: which accounts (Organizations ListAccounts, or a list
//! given on the command line), how to get into each (STS AssumeRole), and the failure
//! of one account kept as that account's result instead of stopping the others.

use std::sync::Arc;

use aws_sdk_organizations::types::{AccountState, AccountStatus};
use aws_sdk_sts::config::{Credentials, SharedCredentialsProvider};
use hiyari_checks::inventory::{AccountInventory, Identity};
use hiyari_checks::org::Shard;
use hiyari_checks::CollectError;
use indicatif::ProgressBar;

use super::session::{SessionError, SessionOptions};
use super::{collect_account_listing_regions, pages, Needs, Session};

/// One account to audit and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub account_id: String,
    /// The role to assume; `None`: the account of the command line's own credentials,
    /// audited with them.
    pub role_arn: Option<String>,
}

/// How the accounts were chosen, and how to get into them.
#[derive(Debug, Clone, Default)]
pub struct OrgOptions {
    /// Organizations ListAccounts.
    pub org: bool,
    /// `--accounts`.
    pub accounts: Vec<String>,
    /// `--role-arn`.
    pub role_arns: Vec<String>,
    pub role_name: String,
    pub external_id: Option<String>,
    pub account_concurrency: usize,
}

/// An account of the organization that was not audited, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passed {
    pub account_id: String,
    pub reason: String,
}

/// Whether `s` is a 12-digit account id.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account id in a role ARN (`arn:PARTITION:iam::ACCOUNT:role/NAME`).
pub fn account_of_role(arn: &str) -> Option<&str> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "iam", "", account, rest]
            if is_account_id(account) && rest.starts_with("role/") =>
        {
            Some(account)
        }
        _ => None,
    }
}

/// The accounts to audit, before exclusion and sharding: the given ones, or the
/// organization's ACTIVE ones. Accounts not active are returned apart, with their state.
pub async fn list_targets(
    base: &Session,
    opts: &OrgOptions,
) -> Result<(Vec<Target>, Vec<Passed>), CollectError> {
    let role = |id: &str| {
        format!(
            "arn:{}:iam::{id}:role/{}",
            base.identity.partition, opts.role_name
        )
    };
    // The account of our own credentials is audited with them: a management account
    // rarely has the member-account role, and we are already in it.
    let target = |id: &str| Target {
        account_id: id.to_string(),
        role_arn: (id != base.identity.account_id).then(|| role(id)),
    };
    let mut targets = Vec::new();
    let mut passed = Vec::new();
    if opts.org {
        let org = base.organizations_in(base.global_region());
        pages(
            &base.limiter,
            "organizations:ListAccounts",
            |token| org.list_accounts().set_next_token(token).send(),
            |out| {
                for a in out.accounts() {
                    let Some(id) = a.id() else { continue };
                    // `State` replaces the older `Status`; read whichever is there.
                    let (active, state) = match (a.state(), a.status()) {
                        (Some(s), _) => (*s == AccountState::Active, s.as_str().to_string()),
                        (None, Some(s)) => (*s == AccountStatus::Active, s.as_str().to_string()),
                        (None, None) => (false, "unknown".to_string()),
                    };
                    if active {
                        targets.push(target(id));
                    } else {
                        passed.push(Passed {
                            account_id: id.to_string(),
                            reason: format!("not active (state {state})"),
                        });
                    }
                }
                out.next_token().map(str::to_string)
            },
        )
        .await?;
    }
    for id in &opts.accounts {
        targets.push(target(id));
    }
    for arn in &opts.role_arns {
        let id = account_of_role(arn).unwrap_or_default();
        targets.push(Target {
            account_id: id.to_string(),
            role_arn: Some(arn.clone()),
        });
    }
    Ok((targets, passed))
}

/// Removes excluded accounts, keeps this shard's, drops repeats (first wins), sorts.
pub fn select(
    targets: Vec<Target>,
    exclude: &[String],
    shard: Option<Shard>,
) -> (Vec<Target>, Vec<Passed>) {
    let mut keep: Vec<Target> = Vec::new();
    let mut passed = Vec::new();
    for t in targets {
        if keep.iter().any(|k| k.account_id == t.account_id) {
            continue;
        }
        if exclude.contains(&t.account_id) {
            passed.push(Passed {
                account_id: t.account_id,
                reason: "excluded (--exclude-accounts)".into(),
            });
        } else if shard.is_some_and(|s| !s.contains(&t.account_id)) {
            // Another shard's: not reported, so merged shards hold each account once.
        } else {
            keep.push(t);
        }
    }
    keep.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    (keep, passed)
}

/// The failure of a session as the account's error.
pub fn session_failure(e: SessionError) -> CollectError {
    match e {
        SessionError::Credentials { code, message } => {
            CollectError::new("sts:GetCallerIdentity", code, message)
        }
        SessionError::NoCredentials { failure, .. } => CollectError::new(
            "sts:GetCallerIdentity",
            match failure {
                None => super::NO_CREDENTIALS,
                Some(_) => super::CREDENTIALS_ERROR,
            },
            failure.unwrap_or_else(|| "no credentials found".into()),
        ),
        SessionError::Regions(e) => e,
        SessionError::BadRegion(m) => {
            CollectError::new("ec2:DescribeRegions", "RegionNotEnabled", m)
        }
        SessionError::NoRegion => CollectError::new("hiyari", "NoRegion", e.to_string()),
    }
}

/// STS AssumeRole into `role_arn`: an SDK configuration with that role's credentials,
/// and who they are (AssumeRole's answer names the assumed-role ARN, so no
/// GetCallerIdentity round trip is needed).
async fn assume(
    base: &Session,
    role_arn: &str,
    external_id: Option<&str>,
) -> Result<(aws_config::SdkConfig, Identity), CollectError> {
    let home = base
        .home_region
        .clone()
        .unwrap_or_else(|| "us-east-1".into());
    let sts = base.sts(&home);
    let out = base
        .limiter
        .call(
            "sts:AssumeRole",
            sts.assume_role()
                .role_arn(role_arn)
                .role_session_name("hiyari-audit")
                .set_external_id(external_id.map(str::to_string))
                .send(),
        )
        .await?;
    let c = out.credentials().ok_or_else(|| {
        CollectError::new(
            "sts:AssumeRole",
            "NoCredentials",
            "AssumeRole answered without credentials",
        )
    })?;
    let arn = out
        .assumed_role_user()
        .map(|u| u.arn().to_string())
        .unwrap_or_default();
    let identity = Identity {
        account_id: arn.split(':').nth(4).unwrap_or_default().to_string(),
        partition: arn.split(':').nth(1).unwrap_or("aws").to_string(),
        principal_arn: arn,
    };
    let expiry = std::time::SystemTime::try_from(*c.expiration()).ok();
    let creds = Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        expiry,
        "hiyari-assume-role",
    );
    let sdk = base
        .sdk
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(creds))
        .build();
    Ok((sdk, identity))
}

/// Audits one target: into the account, then every region at once. Any failure on the
/// way in becomes the account's error.
async fn audit_target(
    base: Arc<Session>,
    target: Target,
    opts: SessionOptions,
    external_id: Option<String>,
    needs: Needs,
    progress: ProgressBar,
) -> AccountInventory {
    let identity = Identity {
        account_id: target.account_id.clone(),
        partition: base.identity.partition.clone(),
        principal_arn: target
            .role_arn
            .clone()
            .unwrap_or_else(|| base.identity.principal_arn.clone()),
    };
    let failed = |e: CollectError| {
        progress.suspend(|| {
            eprintln!(
                "warning: could not audit account {}: {e}",
                target.account_id
            )
        });
        AccountInventory::failed(identity.clone(), base.home_region.clone(), e)
    };
    if !is_account_id(&target.account_id) {
        return failed(CollectError::new(
            "hiyari",
            "InvalidAccount",
            match &target.role_arn {
                Some(arn) => {
                    format!("`{arn}` is not a role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME)")
                }
                None => format!("`{}` is not a 12-digit account id", target.account_id),
            },
        ));
    }
    let (sdk, who) = match &target.role_arn {
        None => (base.sdk.clone(), base.identity.clone()),
        Some(arn) => match assume(&base, arn, external_id.as_deref()).await {
            Ok(got) => got,
            Err(e) => return failed(e),
        },
    };
    if who.account_id != target.account_id {
        return failed(CollectError::new(
            "sts:AssumeRole",
            "WrongAccount",
            format!(
                "the credentials for account {} belong to account `{}` ({})",
                target.account_id, who.account_id, who.principal_arn
            ),
        ));
    }
    let limiter = base.limiter.clone();
    let session = match Session::known(sdk, who, limiter, base.requests.clone()) {
        Ok(s) => s,
        Err(e) => return failed(session_failure(e)),
    };
    match collect_account_listing_regions(session, opts.regions.as_deref(), needs, progress.clone())
        .await
    {
        Ok(account) => account,
        Err(e) => failed(session_failure(e)),
    }
}

/// What a scan keeps of each account once it is collected (its inventory, or what the
/// caller makes of it: `audit` evaluates it and drops it, so that memory holds findings,
/// not inventories).
pub type Keep<T> = Arc<dyn Fn(AccountInventory) -> T + Send + Sync>;

/// Takes what [`Keep`] made of each account, in target order, as soon as it and every
/// account before it are done (an inventory written to its file, a report's findings
/// held). An error stops the scan.
pub type Consume<'a, T> = &'a mut (dyn FnMut(T) -> anyhow::Result<()> + Send);

/// Audits every target, `account_concurrency` accounts at a time, all sharing the base
/// session's bound on requests in flight. Results go to `consume` in target order; the
/// number of accounts that could not be audited comes back.
#[allow(clippy::too_many_arguments)]
pub async fn audit_all<T: Send + 'static>(
    base: Arc<Session>,
    targets: Vec<Target>,
    opts: &SessionOptions,
    org: &OrgOptions,
    needs: Needs,
    progress: ProgressBar,
    keep: Keep<T>,
    consume: Consume<'_, T>,
) -> anyhow::Result<usize> {
    let (partition, home) = (base.identity.partition.clone(), base.home_region.clone());
    let (opts, external_id) = (opts.clone(), org.external_id.clone());
    let audit = move |t| {
        audit_target(
            base.clone(),
            t,
            opts.clone(),
            external_id.clone(),
            needs.clone(),
            progress.clone(),
        )
    };
    each_isolated(
        targets,
        org.account_concurrency,
        partition,
        home,
        audit,
        keep,
        consume,
    )
    .await
}

/// Runs `audit` on every target, `concurrency` at a time, each in a task of its own
/// that hands its inventory to `keep` as soon as it is complete: an account whose audit
/// panics becomes that account's error entry (every check in error for it, exit 3), and
/// every other account is kept. Results go to `consume` in target order; the number of
/// accounts that could not be audited comes back.
async fn each_isolated<F, Fut, T>(
    targets: Vec<Target>,
    concurrency: usize,
    partition: String,
    home_region: Option<String>,
    audit: F,
    keep: Keep<T>,
    consume: Consume<'_, T>,
) -> anyhow::Result<usize>
where
    F: Fn(Target) -> Fut,
    Fut: std::future::Future<Output = AccountInventory> + Send + 'static,
    T: Send + 'static,
{
    use futures::stream::{self, StreamExt};
    // An account's audit is made (its future, which holds the SDK's request futures and
    // is tens of KiB) only when it may start: `buffered` pulls the next target as one
    // finishes, so memory holds `concurrency` audits in flight, not one per account.
    let audit = &audit;
    let mut results = stream::iter(targets)
        .map(|t| {
            let keep = keep.clone();
            let work = audit(t.clone());
            let (partition, home_region) = (partition.clone(), home_region.clone());
            async move {
                let kept = keep.clone();
                let task = tokio::spawn(async move {
                    let inv = work.await;
                    let failed = inv.failure.is_some();
                    (kept(inv), failed)
                });
                match task.await {
                    Ok(done) => done,
                    Err(e) => (
                        keep(AccountInventory::failed(
                            Identity {
                                account_id: t.account_id.clone(),
                                partition,
                                principal_arn: t.role_arn.clone().unwrap_or_default(),
                            },
                            home_region,
                            CollectError::new(
                                "hiyari",
                                "InternalError",
                                format!("the audit of this account stopped: {e}; please report it"),
                            ),
                        )),
                        true,
                    ),
                }
            }
        })
        .buffered(concurrency.max(1));
    let mut failed = 0;
    while let Some((kept, broken)) = results.next().await {
        failed += usize::from(broken);
        consume(kept)?;
    }
    Ok(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(id: &str) -> Target {
        Target {
            account_id: id.into(),
            role_arn: Some(format!("arn:aws:iam::{id}:role/R")),
        }
    }

    /// The orchestration with an injected failing account task: the panicking account
    /// is an error entry, the others are audited, in order.
    #[tokio::test(flavor = "multi_thread")]
    async fn an_account_whose_audit_panics_is_an_error_and_the_others_are_kept() {
        let targets = vec![t("111111111111"), t("222222222222"), t("333333333333")];
        let audit = |t: Target| async move {
            if t.account_id == "222222222222" {
                panic!("injected failure");
            }
            AccountInventory::failed(
                Identity {
                    account_id: t.account_id.clone(),
                    partition: "aws".into(),
                    principal_arn: "audited".into(),
                },
                None,
                CollectError::new("test", "Marker", "audited"),
            )
        };
        let keep: Keep<AccountInventory> = Arc::new(|inv| inv);
        let mut out = Vec::new();
        let failed = each_isolated(
            targets,
            2,
            "aws".into(),
            Some("us-east-1".into()),
            audit,
            keep,
            &mut |inv| {
                out.push(inv);
                Ok(())
            },
        )
        .await
        .unwrap();
        // The two that ran carry a marker failure of their own; the panic is the third.
        assert_eq!(failed, 3);
        let ids: Vec<_> = out.iter().map(|a| a.identity.account_id.as_str()).collect();
        assert_eq!(ids, ["111111111111", "222222222222", "333333333333"]);
        assert_eq!(out[0].failure.as_ref().unwrap().code, "Marker");
        assert_eq!(out[2].failure.as_ref().unwrap().code, "Marker");
        let broken = out[1].failure.as_ref().unwrap();
        assert_eq!(broken.code, "InternalError");
        assert!(broken.message.contains("panic"), "{}", broken.message);
        assert_eq!(out[1].home_region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn role_arns_name_their_account() {
        assert_eq!(
            account_of_role("arn:aws:iam::111122223333:role/Audit"),
            Some("111122223333")
        );
        assert_eq!(
            account_of_role("arn:aws-cn:iam::111122223333:role/path/Audit"),
            Some("111122223333")
        );
        assert_eq!(account_of_role("arn:aws:iam::1111:role/Audit"), None);
        assert_eq!(account_of_role("arn:aws:iam::111122223333:user/x"), None);
        assert_eq!(account_of_role("111122223333"), None);
    }

    #[test]
    fn select_excludes_dedupes_sorts_and_shards() {
        let all = vec![
            t("333333333333"),
            t("111111111111"),
            t("222222222222"),
            t("111111111111"),
        ];
        let (keep, passed) = select(all.clone(), &["222222222222".into()], None);
        let ids: Vec<_> = keep.iter().map(|t| t.account_id.as_str()).collect();
        assert_eq!(ids, ["111111111111", "333333333333"]);
        assert_eq!(passed.len(), 1);
        assert!(passed[0].reason.contains("--exclude-accounts"));

        // The shards of any order of the list partition it.
        let mut seen = Vec::new();
        for i in 1..=3 {
            let mut reversed = all.clone();
            reversed.reverse();
            let (a, _) = select(all.clone(), &[], Some(Shard { index: i, count: 3 }));
            let (b, _) = select(reversed, &[], Some(Shard { index: i, count: 3 }));
            assert_eq!(a, b);
            seen.extend(a.into_iter().map(|t| t.account_id));
        }
        seen.sort();
        assert_eq!(seen, ["111111111111", "222222222222", "333333333333"]);
    }
}
