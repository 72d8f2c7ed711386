//! CSV (RFC 4180): a header row, then one row per finding in the report's order, lines
//! ending in CRLF. Cells a spreadsheet would evaluate as a formula are neutralised
//! (see [`super::common::csv`]), since resource names are chosen by whoever controls
//! the account.

use hiyari_checks::Report;

use super::common::{self, csv};

pub const HEADER: [&str; 14] = [
    "account",
    "region",
    "check",
    "title",
    "status",
    "severity",
    "resource_type",
    "resource_id",
    "resource_arn",
    "message",
    "mute_reason",
    "remediation",
    "incidents",
    "finding_id",
];

fn row(cells: &[&str]) -> String {
    let mut line = cells.iter().map(|c| csv(c)).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// The report as CSV.
pub fn render(report: &Report) -> String {
    let mut out = row(&HEADER);
    for f in &report.findings {
        let incidents = f.incidents.join(" ");
        out.push_str(&row(&[
            &f.account,
            f.region.as_deref().unwrap_or(""),
            &f.check,
            common::title(&f.check),
            f.status.as_str(),
            f.severity.as_str(),
            &f.resource.kind,
            &f.resource.id,
            f.resource.arn.as_deref().unwrap_or(""),
            &f.message,
            f.mute_reason.as_deref().unwrap_or(""),
            &f.remediation,
            &incidents,
            &f.id,
        ]));
    }
    out
}
