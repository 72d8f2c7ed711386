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
use std::fmt::Write as _;

use hiyari_checks::sweep::report::{CreatedBy, ResourceEntry};
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

/// How a text format writes what AWS returned: the escaping every value goes through,
/// what stands for a value AWS did not give, and the indent of a detail line under an
/// item. The Markdown checklist and the terminal table differ only in these.
pub struct TextStyle {
    pub esc: fn(&str) -> String,
    pub missing: &'static str,
    pub indent: &'static str,
}

impl TextStyle {
    /// An optional value, escaped, or the placeholder for a missing one.
    pub fn o(&self, s: &Option<String>) -> String {
        self.opt(s.as_deref(), self.missing)
    }

    /// An optional value, escaped, or `none` when it is missing.
    pub fn opt(&self, s: Option<&str>, none: &str) -> String {
        s.map(self.esc).unwrap_or_else(|| none.into())
    }

    /// `before`, the escaped value and `after` when there is a value; nothing otherwise.
    pub fn around(&self, s: &Option<String>, before: &str, after: &str) -> String {
        s.as_deref()
            .map(|v| format!("{before}{}{after}", (self.esc)(v)))
            .unwrap_or_default()
    }

    /// One detail line under an item: the indent, the label, then `text` as given.
    pub fn detail(&self, out: &mut String, label: &str, text: &str) {
        let _ = writeln!(out, "{}{label}{text}", self.indent);
    }

    /// A resource's detail lines: its name, who created it (or why that is unknown) and
    /// the command that removes it.
    pub fn resource_details(
        &self,
        out: &mut String,
        x: &ResourceEntry,
        note_label: &str,
        removal_label: &str,
    ) {
        if let Some(n) = &x.name {
            self.detail(out, "name: ", &(self.esc)(n));
        }
        match &x.created_by {
            Some(by) => {
                for (k, v) in creator_parts(by) {
                    self.detail(out, &format!("{k}: "), &(self.esc)(&v));
                }
            }
            None => self.detail(out, note_label, &self.o(&x.created_by_note)),
        }
        if let Some(cmd) = &x.removal {
            self.detail(out, removal_label, &(self.esc)(cmd));
        }
    }
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
