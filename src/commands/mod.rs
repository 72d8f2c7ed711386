//! The subcommands, one file each: each reads its arguments and hands the work to the
//! modules below (the scan, the checks, the reports, the output files).

mod audit;
mod checks;
mod collect;
mod completions;
mod diff;
mod explain;
mod init;
mod merge;
mod policy;
mod sweep;

use anyhow::{bail, Result};
use hiyari_checks::{all_checks, find_check, Check};

use crate::cli::{AwsArgs, Cli, Command, SelectArgs, TargetArgs};
use crate::collect::org::OrgOptions;
use crate::collect::session::SessionOptions;
use crate::config::{self, Config};
use crate::scan::{ManyAccounts, ScanRequest};

pub async fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Audit(args) => audit::run(args).await,
        Command::Collect(args) => collect::run(args).await,
        Command::Init(args) => init::run(args).await,
        Command::Diff(args) => diff::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Checks(args) => checks::run(args),
        Command::Policy(args) => policy::run(args),
        Command::Explain { id } => explain::run(&id),
        Command::Completions { shell } => completions::run(shell),
        Command::Sweep(args) => sweep::run(args).await,
    }
}

/// The configuration, and the checks selected by it, --checks and --skip-checks; an
/// unknown id is an error. A check the config disables runs only when --checks names it.
pub(crate) fn select(sel: &SelectArgs) -> Result<(Config, Vec<&'static dyn Check>)> {
    let config = config::load(sel.config.as_deref())?;
    for id in sel.checks.iter().chain(sel.skip_checks.iter()).flatten() {
        if find_check(id).is_none() {
            bail!("{}", crate::suggest::unknown_check(id));
        }
    }
    let chosen: Vec<_> = all_checks()
        .iter()
        .copied()
        .filter(|c| {
            sel.checks
                .as_ref()
                .is_none_or(|l| l.iter().any(|id| id == c.meta().id))
        })
        .filter(|c| {
            !sel.skip_checks
                .as_ref()
                .is_some_and(|l| l.iter().any(|id| id == c.meta().id))
        })
        .filter(|c| sel.checks.is_some() || !config.disabled.iter().any(|d| d == c.meta().id))
        .collect();
    if chosen.is_empty() {
        bail!("no check is selected; see `hiyari checks`");
    }
    Ok((config, chosen))
}

/// What `aws` and `targets` ask to scan.
pub(crate) fn scan_request(aws: &AwsArgs, targets: &TargetArgs) -> ScanRequest {
    ScanRequest {
        session: SessionOptions {
            profile: aws.profile.clone(),
            region: aws.region.clone(),
            endpoint_url: aws.endpoint_url.clone(),
            regions: aws.regions.clone(),
            concurrency: aws.concurrency,
            max_attempts: aws.max_attempts,
            call_timeout: std::time::Duration::from_secs(aws.call_timeout.max(1)),
            scan_timeout: Some(std::time::Duration::from_secs(aws.timeout.max(1))),
        },
        many: targets.many().then(|| ManyAccounts {
            org: OrgOptions {
                org: targets.org,
                accounts: targets.accounts.clone().unwrap_or_default(),
                role_arns: targets.role_arns.clone(),
                role_name: targets.role_name.clone(),
                external_id: targets.external_id.clone(),
                account_concurrency: targets.account_concurrency,
            },
        }),
        exclude_accounts: targets.exclude_accounts.clone(),
        shard: targets.shard,
        progress: !aws.no_progress,
    }
}
