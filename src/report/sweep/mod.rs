//! The sweep's reports: `hiyari.sweep/v1` JSON, the table (a summary per region and
//! type, then the items), and the leak notice's checklist filled in as Markdown and
//! HTML, with the AWS CLI command that removes each resource found, as text to review.
//! Renderers take the finished [`SweepReport`]; everything from AWS in it is written by
//! whoever made the calls, so each format escapes it its own way (terminal controls,
//! markup, Markdown links and autolinks) and none of it is ever a link.

pub mod html;
pub mod markdown;
pub mod table;

use std::collections::BTreeMap;

use hiyari_checks::sweep::evaluate::{CreatedBy, ResourceEntry};
use hiyari_checks::sweep::SweepReport;

use crate::cli::SweepFormat;

pub struct SweepRenderOptions {
    pub color: bool,
    pub width: usize,
}

pub fn render(report: &SweepReport, format: SweepFormat, opts: &SweepRenderOptions) -> String {
    match format {
        SweepFormat::Json => {
            let mut s = serde_json::to_string_pretty(report).expect("the report serialises");
            s.push('\n');
            s
        }
        SweepFormat::Table => table::render(report, opts),
        SweepFormat::Markdown => markdown::render(report),
        SweepFormat::Html => html::render(report),
    }
}

/// The most events a human format lists (the JSON report has them all).
pub const MAX_EVENTS_SHOWN: usize = 1000;

/// Resources created, counted per account, region and type.
pub fn counts(report: &SweepReport) -> BTreeMap<(&str, &str, &str), usize> {
    let mut m = BTreeMap::new();
    for r in &report.resources {
        *m.entry((r.account.as_str(), r.region.as_str(), r.ty.as_str()))
            .or_insert(0) += 1;
    }
    m
}

/// The IAM types: step 2 of the notice's checklist.
pub fn is_iam(r: &ResourceEntry) -> bool {
    r.ty.starts_with("iam:")
}

/// The creator's parts as (label, value) pairs, in the order every format shows them.
pub fn creator_parts(c: &CreatedBy) -> Vec<(&'static str, String)> {
    let mut v = vec![("event", format!("{} at {}", c.event_name, c.event_time))];
    if let Some(p) = &c.principal {
        v.push(("principal", p.clone()));
    }
    if let Some(k) = &c.access_key_id {
        v.push(("access key", k.clone()));
    }
    if let Some(k) = &c.attributed_to {
        v.push(("minted from", k.clone()));
    }
    if let Some(ip) = &c.source_ip {
        v.push(("source address", ip.clone()));
    }
    if let Some(ua) = &c.user_agent {
        v.push(("user agent", ua.clone()));
    }
    v
}

/// "yes", "no" or "unknown".
pub fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    }
}

/// The one-line state of the report: complete, or why not.
pub fn completeness(report: &SweepReport) -> Option<String> {
    if report.complete {
        return None;
    }
    let mut why = Vec::new();
    if !report.errors.is_empty() {
        why.push(format!(
            "{} piece(s) of data could not be read (see \"What could not be read\")",
            report.errors.len()
        ));
    }
    if report.bound_reached {
        why.push(format!(
            "the bound of {} write events per account and region was reached: the activity is cut",
            report.query.max_events
        ));
    }
    Some(format!("INCOMPLETE: {}", why.join("; ")))
}

#[cfg(test)]
mod tests;
