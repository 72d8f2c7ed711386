//! The scan: one account, or the accounts of an organization, collected every region
//! at once, each account's inventory handed on as soon as it is complete. `audit`,
//! `collect` and `init` run it; what they make of each account is theirs ([`Keep`],
//! [`Consume`]).

mod many;

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use hiyari_checks::evaluate::{evaluate_account, EvaluatedAccount};
use hiyari_checks::inventory::AccountInventory;
use hiyari_checks::org::Shard;
use hiyari_checks::{registry, Check, EvalOptions, Needs};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::collect::org::OrgOptions;
use crate::collect::session::SessionOptions;
use crate::collect::{collect_account_listing_regions, Session};

/// What to scan and how.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    pub session: SessionOptions,
    /// The accounts beyond the credentials' own: `None` for that account alone.
    pub many: Option<ManyAccounts>,
    /// `--exclude-accounts` and `--shard`, which choose among several accounts.
    pub exclude_accounts: Vec<String>,
    pub shard: Option<Shard>,
    /// A progress bar on stderr (shown only when stderr is a terminal).
    pub progress: bool,
}

/// Several accounts: the organization's, or those named, and how to get into them.
#[derive(Debug, Clone)]
pub struct ManyAccounts {
    pub org: OrgOptions,
}

/// Scans what `request` names: identity, regions, then every source of `needs` at
/// once. Each account's inventory goes to `keep` as soon as it is complete; what `keep`
/// made of each goes to `consume`, in account order. Returns when the data was
/// collected (the end of the scan), as an RFC 3339 time.
pub async fn scan<T: Send + 'static>(
    request: &ScanRequest,
    needs: Needs,
    keep: Keep<T>,
    consume: Consume<'_, T>,
) -> Result<String> {
    if request.many.is_none() && (request.shard.is_some() || !request.exclude_accounts.is_empty()) {
        bail!("--shard and --exclude-accounts choose among several accounts: add --org, --accounts or --role-arn");
    }
    let started = Instant::now();
    let session = Session::start(&request.session).await?;
    if let Some(many) = &request.many {
        let base = Arc::new(session);
        return many::scan_many(request, base, &many.org, started, needs, keep, consume).await;
    }
    // The credentials' own account.
    tracing::info!(
        account = %session.identity.account_id,
        principal = %session.identity.principal_arn,
        "scanning"
    );
    let (limiter, requests) = (session.limiter.clone(), session.requests.clone());
    let pb = progress_bar(request.progress);
    let account = collect_account_listing_regions(
        session,
        request.session.regions.as_deref(),
        needs,
        pb.clone(),
    )
    .await;
    pb.finish_and_clear();
    let account = account?;
    eprintln!(
        "Scanned account {} in {} region(s) in {:.1}s with {} AWS API calls ({} HTTP requests with retries).",
        account.identity.account_id,
        account.regions.scanned.len(),
        started.elapsed().as_secs_f64(),
        limiter.operations(),
        requests.get(),
    );
    consume(keep(account))?;
    Ok(now())
}

/// The scan `audit` makes: each account evaluated by `checks` as its collection ends and
/// its inventory dropped, so an organization scan holds findings, not inventories.
/// Returns the accounts, in order, and when the data was collected.
pub async fn evaluate(
    request: &ScanRequest,
    checks: &[&'static dyn Check],
    opts: &EvalOptions,
) -> Result<(Vec<EvaluatedAccount>, String)> {
    let (checks_kept, opts_kept) = (checks.to_vec(), opts.clone());
    let keep: Keep<_> =
        Arc::new(move |inv: AccountInventory| evaluate_account(&inv, &checks_kept, &opts_kept));
    let mut evaluated = Vec::new();
    let collected_at = scan(
        request,
        registry::needs(checks, &opts.params),
        keep,
        &mut |e| {
            evaluated.push(e);
            Ok(())
        },
    )
    .await?;
    Ok((evaluated, collected_at))
}

/// What a scan keeps of each account once it is collected (its inventory, or what the
/// caller makes of it: `audit` evaluates it and drops it, so that memory holds findings,
/// not inventories).
pub type Keep<T> = Arc<dyn Fn(AccountInventory) -> T + Send + Sync>;

/// Takes what [`Keep`] made of each account, in target order, as soon as it and every
/// account before it are done (an inventory written to its file, a report's findings
/// held). An error stops the scan.
pub type Consume<'a, T> = &'a mut (dyn FnMut(T) -> anyhow::Result<()> + Send);

/// Keeps each account's whole inventory (`collect`, `init`).
pub fn keep_inventory() -> Keep<AccountInventory> {
    Arc::new(|inv| inv)
}

/// The current time, UTC, to the second, in RFC 3339.
pub fn now() -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc()
        .format(&f)
        .unwrap_or_default()
}

/// The progress bar: on stderr when it is a terminal and `wanted`, else hidden.
fn progress_bar(wanted: bool) -> ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} scanning {pos}/{len} region and account units  {elapsed}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}
