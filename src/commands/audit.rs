//! `hiyari audit`: scan (or read a saved inventory), evaluate, and write every
//! requested report from the one result.

use anyhow::Result;
use hiyari_checks::evaluate::assemble;
use hiyari_checks::warning::kind;
use hiyari_checks::{EvalOptions, Severity};

use super::{scan_request, select};
use crate::cli::AuditArgs;
use crate::inventory_file;
use crate::output;
use crate::report;
use crate::report::common::ReportContext;
use crate::scan::{self, now};

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
        Some(path) => inventory_file::evaluate(
            path,
            args.aws.region.as_deref(),
            args.aws.regions.as_deref(),
            &checks,
            &mut opts,
        )?,
        None => {
            let request = scan_request(&args.aws, &args.targets);
            scan::evaluate(&request, &checks, &opts).await?
        }
    };
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
        home_regions: report
            .accounts
            .iter()
            .filter_map(|a| Some((a.id.clone(), a.home_region.clone()?)))
            .collect(),
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
