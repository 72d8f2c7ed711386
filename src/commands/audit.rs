//! `hiyari audit`: scan (or read a saved inventory), evaluate, and write every
//! requested report from the one result.

use std::path::Path;
use std::sync::Arc;

use anyhow::{bail, Result};
use hiyari_checks::evaluate::{assemble, evaluate_account, EvaluatedAccount};
use hiyari_checks::inventory::AccountInventory;
use hiyari_checks::warning::kind;
use hiyari_checks::{registry, Check, EvalOptions, Severity};

use super::{scan_request, select};
use crate::cli::AuditArgs;
use crate::inventory_file;
use crate::output;
use crate::report;
use crate::report::common::ReportContext;
use crate::scan::{self, now, Keep};

/// Each account as evaluated, with its home region (for the report's context), and
/// when its data was collected.
type Evaluated = (Vec<(EvaluatedAccount, Option<String>)>, String);

/// `hiyari audit`.
pub(super) async fn run(args: AuditArgs) -> Result<u8> {
    let (config, checks) = select(&args.select)?;
    let outputs = output::plan(args.format, &args.output)?;
    let started_at = now();
    let mut opts = EvalOptions {
        allowed_regions: args
            .allowed_regions
            .clone()
            .or_else(|| config.allowed_regions.clone()),
        account_allowed_regions: config.account_allowed_regions.clone(),
        params: config.params.clone(),
        severity: config.severity.clone(),
        accept: config.accept.clone(),
        today: None,
        now: None,
    };
    let (evaluated, collected_at) = match &args.inventory {
        Some(path) => from_inventory(&args, path, &checks, &mut opts)?,
        None => from_scan(&args, &checks, &opts).await?,
    };
    let home_regions = evaluated
        .iter()
        .filter_map(|((_, entry), home)| Some((entry.id.clone(), home.clone()?)))
        .collect();
    let evaluated: Vec<EvaluatedAccount> = evaluated.into_iter().map(|(e, _)| e).collect();
    let collected_at = Some(collected_at).filter(|c| !c.is_empty());
    let mut report = assemble(evaluated, &checks, &opts, started_at, now(), collected_at);
    // An allowed region that is no region of the account is said before the reports
    // are written, the other warnings after.
    let (early, late): (Vec<_>, Vec<_>) = report
        .warnings
        .iter()
        .partition(|w| w.kind == kind::UNKNOWN_ALLOWED_REGION);
    for w in early {
        eprintln!("warning: {w}");
    }
    let late: Vec<String> = late.iter().map(|w| format!("warning: {w}")).collect();
    if let Some(path) = &args.baseline {
        let base = crate::diff::load(path)?;
        let ids = report.accounts.iter().map(|a| a.id.as_str()).collect();
        crate::diff::same_accounts(&base, &ids, &path.display().to_string())?;
        hiyari_checks::diff::mark(&mut report.findings, &base.findings);
    }
    let context = ReportContext {
        config: config.path.as_ref().map(|p| p.display().to_string()),
        sarif_location: args.sarif_location.clone(),
        home_regions,
    };
    // One scan, every requested format, written all or none.
    let mut files = Vec::new();
    for (format, path) in &outputs {
        let mut out = output::Output::open(path.as_deref())?;
        let opts = output::render_options(path.as_deref(), args.show_pass, context.clone());
        report::write(&report, *format, &opts, &mut out).map_err(|e| out.error(e))?;
        files.push(out);
    }
    output::commit(files)?;
    for w in late {
        eprintln!("{w}");
    }
    let code = report.gate_warnings(
        report.exit_code_gated(
            args.fail_on.or(config.fail_on).unwrap_or(Severity::Low),
            args.fail_on_new,
        ),
        args.fail_on_warnings || config.fail_on_warnings,
    );
    Ok(code as u8)
}

/// `--inventory FILE`: the saved accounts, judged as of when they were collected.
fn from_inventory(
    args: &AuditArgs,
    path: &Path,
    checks: &[&dyn Check],
    opts: &mut EvalOptions,
) -> Result<Evaluated> {
    let mut inv = inventory_file::load(path)?;
    if let Some(region) = &args.aws.region {
        let homes: Vec<&str> = inv
            .accounts
            .iter()
            .filter_map(|a| a.home_region.as_deref())
            .collect();
        bail!(
                "--region {region} cannot apply to a saved inventory: its home region was recorded when it was collected ({}). Leave --region out; --allowed-regions says where compute is expected, --regions narrows the regions evaluated",
                if homes.is_empty() {
                    "none".to_string()
                } else {
                    homes.join(", ")
                }
            );
    }
    if let Some(regions) = &args.aws.regions {
        inv.select_regions(regions)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), crate::input::clean(&e)))?;
    }
    // A saved inventory is judged as of when it was collected (ages of keys,
    // of root use): the same file gives the same findings whenever it is
    // evaluated.
    opts.now = Some(
            time::OffsetDateTime::parse(
                &inv.collected_at,
                &time::format_description::well_known::Rfc3339,
            )
            .map_err(|e| {
                // Judged against today instead, a key used the day before
                // collection could read as months old: no report rather than a
                // wrong one.
                anyhow::anyhow!(
                    "{}: collected_at `{}` is not an RFC 3339 time ({e}); the ages of keys and of root use cannot be judged without it",
                    path.display(),
                    crate::input::clean(&inv.collected_at)
                )
            })?,
        );
    let evaluated = inv
        .accounts
        .iter()
        .map(|a| (evaluate_account(a, checks, opts), a.home_region.clone()))
        .collect();
    Ok((evaluated, inv.collected_at))
}

/// A scan: each account evaluated as its collection ends, and its inventory dropped,
/// so an organization scan holds findings, not inventories.
async fn from_scan(
    args: &AuditArgs,
    checks: &[&'static dyn Check],
    opts: &EvalOptions,
) -> Result<Evaluated> {
    let (checks_kept, opts_kept) = (checks.to_vec(), opts.clone());
    let keep: Keep<_> = Arc::new(move |inv: AccountInventory| {
        let home = inv.home_region.clone();
        (evaluate_account(&inv, &checks_kept, &opts_kept), home)
    });
    let mut evaluated = Vec::new();
    let collected_at = scan::scan(
        &scan_request(&args.aws, &args.targets),
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
