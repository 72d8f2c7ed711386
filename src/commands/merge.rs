//! `hiyari merge`: one report of several (the shards of an organization).

use anyhow::Result;

use crate::cli::MergeArgs;
use crate::output;
use crate::report;
use crate::report::common::ReportContext;

/// `hiyari merge A.json B.json ...`: one report of several, in any format.
pub(super) fn run(args: MergeArgs) -> Result<u8> {
    let mut reports = Vec::new();
    let mut names = Vec::new();
    for path in &args.reports {
        reports.push(crate::diff::load_full(path)?);
        names.push(path.display().to_string());
    }
    let report = hiyari_checks::org::merge(reports, &names);
    let text = report::render(
        &report,
        args.format,
        &output::render_options(
            args.output.as_deref(),
            args.show_pass,
            ReportContext::default(),
        ),
    );
    output::write_all(&[(args.output.as_deref(), &text)])?;
    // Merged warnings quote the reports, which may come from anywhere.
    for w in &report.warnings {
        eprintln!("warning: {}", crate::input::clean(&w.message));
    }
    eprintln!(
        "Merged {} report(s): {} account(s), {} finding(s).",
        args.reports.len(),
        report.accounts.len(),
        report.findings.len()
    );
    Ok(report.gate_warnings(report.exit_code(args.fail_on), args.fail_on_warnings) as u8)
}
