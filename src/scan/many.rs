//! Several accounts in one scan: the organization's, or those named, each assumed and
//! collected, `--account-concurrency` at a time under one bound on requests; the
//! failure of one account kept as that account's result instead of stopping the others.

use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Result};
use hiyari_checks::inventory::{AccountInventory, Identity};
use hiyari_checks::names::is_account_id;
use hiyari_checks::org::Shard;
use hiyari_checks::{CollectError, Needs};
use indicatif::ProgressBar;

use super::{now, progress_bar, Consume, Keep, ScanRequest};
use crate::collect::collect_account_listing_regions;
use crate::collect::org::{self, session_failure, OrgOptions, Passed, Target};
use crate::collect::session::SessionOptions;
use crate::collect::Session;

/// The accounts of `org` (less those excluded, and only this shard's), each assumed
/// from `base`, the session of the credentials given, and collected.
pub(super) async fn scan_many<T: Send + 'static>(
    request: &ScanRequest,
    base: Arc<Session>,
    org_opts: &OrgOptions,
    started: Instant,
    needs: Needs,
    keep: Keep<T>,
    consume: Consume<'_, T>,
) -> Result<String> {
    let opts = &request.session;
    let (listed, inactive) = org::list_targets(&base, org_opts).await.map_err(|e| {
        anyhow::anyhow!(
            "could not list the organization's accounts ({e}). Run --org as the management account or a delegated administrator with organizations:ListAccounts (see `hiyari policy --org`), or name the accounts with --accounts / --role-arn"
        )
    })?;
    let listed_n = listed.len();
    let (chosen, excluded) = select(listed, &request.exclude_accounts, request.shard);
    for p in inactive.iter().chain(&excluded) {
        eprintln!("Not audited: account {}: {}", p.account_id, p.reason);
    }
    match request.shard {
        Some(shard) => eprintln!(
            "Shard {shard}: {} of {} account(s).",
            chosen.len(),
            listed_n - excluded.len()
        ),
        None if chosen.is_empty() => bail!("no account is left to audit"),
        None => {}
    }
    let pb = progress_bar(request.progress);
    let audited = chosen.len();
    let failed = audit_all(
        base.clone(),
        chosen,
        opts,
        org_opts,
        needs,
        pb.clone(),
        keep,
        consume,
    )
    .await;
    pb.finish_and_clear();
    let failed = failed?;
    eprintln!(
        "Scanned {} account(s) ({} could not be audited) in {:.1}s with {} AWS API calls ({} HTTP requests with retries).",
        audited,
        failed,
        started.elapsed().as_secs_f64(),
        base.limiter.operations(),
        base.requests.get(),
    );
    Ok(now())
}

/// Removes excluded accounts, keeps this shard's, drops repeats (first wins), sorts.
fn select(
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
        Some(arn) => match org::assume(&base, arn, external_id.as_deref()).await {
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

/// Audits every target, `account_concurrency` accounts at a time, all sharing the base
/// session's bound on requests in flight. Results go to `consume` in target order; the
/// number of accounts that could not be audited comes back.
#[allow(clippy::too_many_arguments)]
async fn audit_all<T: Send + 'static>(
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
