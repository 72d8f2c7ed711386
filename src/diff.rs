//! `hiyari diff OLD.json NEW.json` and `hiyari audit --baseline OLD.json`: reading
//! saved `hiyari.report/v1` reports back and comparing them by stable finding id.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{bail, Result};
use hiyari_checks::diff::{Change, Diff};
use hiyari_checks::inventory::INVENTORY_SCHEMA;
use hiyari_checks::{Finding, Report, Warning};

use crate::report::common::{markdown, xml};
use crate::report::json::{self, SCHEMA};
use crate::report::sanitize_terminal as clean;

/// A saved JSON report, as much of it as a comparison needs.
#[derive(Debug)]
pub struct SavedReport {
    pub started_at: String,
    pub accounts: Vec<SavedAccount>,
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug)]
pub struct SavedAccount {
    pub id: String,
}

impl SavedReport {
    pub fn account_ids(&self) -> BTreeSet<&str> {
        self.accounts.iter().map(|a| a.id.as_str()).collect()
    }
}

/// Reads a JSON report written by `hiyari audit --format json`.
pub fn load(path: &Path) -> Result<SavedReport> {
    let text = read_checked(path)?;
    let r: json::FindingsIn = serde_json::from_str(&text).map_err(|e| invalid(path, &e, &text))?;
    drop(text);
    let file = path.display().to_string();
    time_field(&r.started_at, "started_at", &file)?;
    let findings = verified(r.findings.into_iter().map(Finding::from).collect(), &file)?;
    Ok(SavedReport {
        started_at: r.started_at,
        accounts: r
            .accounts
            .into_iter()
            .map(|a| SavedAccount { id: a.id })
            .collect(),
        findings,
        warnings: r.warnings,
    })
}

/// A report whose JSON does not fit the contract; the serde error may quote the file.
fn invalid(path: &Path, e: &serde_json::Error, text: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "{} is not a valid {SCHEMA} report: {}",
        path.display(),
        crate::input::json_error(e, text)
    )
}

/// Reads a JSON report back into the report every renderer takes.
pub fn load_full(path: &Path) -> Result<Report> {
    let text = read_checked(path)?;
    let mut r = json::read_str(&text).map_err(|e| invalid(path, &e, &text))?;
    drop(text);
    let file = path.display().to_string();
    time_field(&r.started_at, "started_at", &file)?;
    time_field(&r.finished_at, "finished_at", &file)?;
    time_field(
        r.collected_at.as_deref().unwrap_or(""),
        "collected_at",
        &file,
    )?;
    r.findings = verified(std::mem::take(&mut r.findings), &file)?;
    r.summary = hiyari_checks::Summary::of(&r.findings);
    Ok(r)
}

fn time_field(text: &str, field: &str, file: &str) -> Result<()> {
    hiyari_checks::verify::time_field(text, field, file).map_err(|e| anyhow::anyhow!(clean(&e)))
}

/// The findings of a report read from `file`, identified by account and id: ids that
/// are not their finding's own hash, and two different findings with one id, are
/// refused; a finding repeated exactly is kept once, with a warning.
fn verified(findings: Vec<Finding>, file: &str) -> Result<Vec<Finding>> {
    let (findings, repeated) =
        hiyari_checks::verify::findings(findings, file).map_err(|e| anyhow::anyhow!(clean(&e)))?;
    if repeated > 0 {
        eprintln!(
            "warning: {}: {repeated} finding(s) repeated exactly: each is kept once",
            clean(file)
        );
    }
    Ok(findings)
}

/// Reads a file, checks that it is JSON without a key given twice in one object, and
/// refuses anything but a `hiyari.report/v1` report. The text is parsed into the typed
/// report afterwards, which skips the members it does not read without holding them.
fn read_checked(path: &Path) -> Result<String> {
    const MAKE: &str = "give a report from `hiyari audit --format json`";
    let text = crate::input::read_text(path, "report", MAKE)?;
    let not_json = |e: serde_json::Error| {
        anyhow::anyhow!(
            "{} is not JSON ({}); {MAKE}",
            path.display(),
            crate::input::json_error(&e, &text)
        )
    };
    // One reading for the schema and for keys given twice (a report with
    // `"status":"fail", …, "status":"pass"` means two things; serde keeps one of them
    // silently), before the typed one.
    let schema = crate::input::unique_keys_and_schema(&text).map_err(|e| {
        if e.is_data() {
            anyhow::anyhow!(
                "{} is not a valid {SCHEMA} report: {}",
                path.display(),
                crate::input::json_error(&e, &text)
            )
        } else {
            not_json(e)
        }
    })?;
    match schema.as_deref() {
        Some(SCHEMA) => Ok(text),
        Some(INVENTORY_SCHEMA) => bail!(
            "{} is a hiyari inventory ({INVENTORY_SCHEMA}), not a report; make a report of it with `hiyari audit --inventory {} --format json`",
            path.display(),
            path.display()
        ),
        Some(other) => bail!(
            "{} has schema `{}`; this hiyari reads `{SCHEMA}` reports only",
            path.display(),
            clean(other)
        ),
        None => bail!(
            "{} is not a hiyari report (no `schema` field); {MAKE}",
            path.display()
        ),
    }
}

/// Refuses to compare reports of different accounts.
pub fn same_accounts(old: &SavedReport, new_ids: &BTreeSet<&str>, what: &str) -> Result<()> {
    let old_ids = old.account_ids();
    if &old_ids != new_ids {
        bail!(
            "{what} covers account(s) {} but this report covers {}: compare reports of the same accounts",
            clean(&old_ids.into_iter().collect::<Vec<_>>().join(",")),
            clean(&new_ids.iter().copied().collect::<Vec<_>>().join(","))
        );
    }
    Ok(())
}

fn line(f: &Finding) -> String {
    format!(
        "{} {} {} {}",
        f.check,
        f.region.as_deref().unwrap_or("-"),
        f.resource.id,
        f.message
    )
}

/// The newer report's warnings, each with whether the older report lacked it: a
/// warning is news when an accepted risk has just expired or stopped matching.
pub fn warnings<'a>(old: &SavedReport, new: &'a SavedReport) -> Vec<(&'a Warning, bool)> {
    new.warnings
        .iter()
        .map(|w| (w, !old.warnings.contains(w)))
        .collect()
}

fn warning_line(w: &Warning, is_new: bool) -> String {
    format!("{}{}", if is_new { "(new) " } else { "" }, w.message)
}

pub fn render_table(d: &Diff, warnings: &[(&Warning, bool)]) -> String {
    let mut out = String::new();
    let section = |out: &mut String, title: &str, items: Vec<String>| {
        out.push_str(&format!("{title} ({})\n", items.len()));
        for i in items {
            out.push_str(&format!("  {}\n", clean(&i)));
        }
        out.push('\n');
    };
    section(
        &mut out,
        "New",
        d.new
            .iter()
            .map(|f| format!("{:<5} {}", f.status.as_str(), line(f)))
            .collect(),
    );
    section(
        &mut out,
        "Status changed",
        d.changed
            .iter()
            .map(|c| format!("{} -> {} {}", c.from, c.to, line(&c.finding)))
            .collect(),
    );
    section(
        &mut out,
        "Resolved (gone from the new report)",
        d.resolved
            .iter()
            .map(|f| format!("{:<5} {}", f.status.as_str(), line(f)))
            .collect(),
    );
    if !warnings.is_empty() {
        section(
            &mut out,
            "Warnings of the new report",
            warnings.iter().map(|(w, n)| warning_line(w, *n)).collect(),
        );
    }
    out.push_str(&format!(
        "Summary: {} new ({} new fail), {} changed, {} resolved, {} unchanged\n",
        d.new.len(),
        d.new_fails(),
        d.changed.len(),
        d.resolved.len(),
        d.unchanged.len()
    ));
    out
}

pub fn render_json(d: &Diff, warnings: &[(&Warning, bool)]) -> String {
    let brief = |f: &Finding| {
        serde_json::json!({
            "id": f.id, "account": f.account, "check": f.check, "status": f.status.as_str(),
            "severity": f.severity.as_str(), "region": f.region,
            "resource": {"type": f.resource.kind, "id": f.resource.id, "arn": f.resource.arn},
            "message": f.message,
        })
    };
    let change = |c: &Change| {
        let mut v = brief(&c.finding);
        v["from"] = serde_json::json!(c.from.as_str());
        v["to"] = serde_json::json!(c.to.as_str());
        v
    };
    let v = serde_json::json!({
        "schema": "hiyari.diff/v1",
        "summary": {
            "new": d.new.len(), "new_fail": d.new_fails(), "changed": d.changed.len(),
            "resolved": d.resolved.len(), "unchanged": d.unchanged.len(),
        },
        "new": d.new.iter().map(brief).collect::<Vec<_>>(),
        "changed": d.changed.iter().map(change).collect::<Vec<_>>(),
        "resolved": d.resolved.iter().map(brief).collect::<Vec<_>>(),
        "unchanged": d.unchanged.iter().map(brief).collect::<Vec<_>>(),
        "warnings": warnings
            .iter()
            .map(|(w, is_new)| {
                let mut v = serde_json::json!(w);
                v["new"] = serde_json::json!(is_new);
                v
            })
            .collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&v).expect("diff serialises");
    s.push('\n');
    s
}

/// The three lists a reader goes through, with the status to show for each row.
fn sections(d: &Diff) -> [(&'static str, Vec<(String, &Finding)>); 3] {
    [
        (
            "New",
            d.new.iter().map(|f| (f.status.to_string(), f)).collect(),
        ),
        (
            "Status changed",
            d.changed
                .iter()
                .map(|c| (format!("{} → {}", c.from, c.to), &c.finding))
                .collect(),
        ),
        (
            "Resolved",
            d.resolved
                .iter()
                .map(|f| (f.status.to_string(), f))
                .collect(),
        ),
    ]
}

/// One row's cells: status, check, region, resource, message.
fn cells<'a>(status: &'a str, f: &'a Finding) -> [&'a str; 5] {
    [
        status,
        &f.check,
        f.region.as_deref().unwrap_or("-"),
        &f.resource.id,
        &f.message,
    ]
}

pub fn render_markdown(d: &Diff, old: &str, new: &str, warnings: &[(&Warning, bool)]) -> String {
    let mut out = format!(
        "# hiyari: what changed\n\nFrom {} to {}.\n\n",
        markdown(old),
        markdown(new)
    );
    for (title, rows) in sections(d) {
        out.push_str(&format!("## {title} ({})\n\n", rows.len()));
        if rows.is_empty() {
            out.push_str("None.\n\n");
            continue;
        }
        out.push_str("| Status | Check | Region | Resource | Message |\n|---|---|---|---|---|\n");
        for (status, f) in rows {
            let row: Vec<String> = cells(&status, f).iter().map(|c| markdown(c)).collect();
            out.push_str(&format!("| {} |\n", row.join(" | ")));
        }
        out.push('\n');
    }
    if !warnings.is_empty() {
        out.push_str(&format!(
            "## Warnings of the new report ({})\n\n",
            warnings.len()
        ));
        for (w, n) in warnings {
            out.push_str(&format!("- {}\n", markdown(&warning_line(w, *n))));
        }
        out.push('\n');
    }
    out.push_str(&format!("{} finding(s) unchanged.\n", d.unchanged.len()));
    out
}

pub fn render_html(d: &Diff, old: &str, new: &str, warnings: &[(&Warning, bool)]) -> String {
    let mut body = String::new();
    for (title, rows) in sections(d) {
        body.push_str(&format!("<h2>{} ({})</h2>\n", xml(title), rows.len()));
        if rows.is_empty() {
            body.push_str("<p>None.</p>\n");
            continue;
        }
        body.push_str("<table><thead><tr><th>Status</th><th>Check</th><th>Region</th><th>Resource</th><th>Message</th></tr></thead><tbody>\n");
        for (status, f) in rows {
            let row: String = cells(&status, f)
                .iter()
                .map(|c| format!("<td>{}</td>", xml(c)))
                .collect();
            body.push_str(&format!("<tr>{row}</tr>\n"));
        }
        body.push_str("</tbody></table>\n");
    }
    if !warnings.is_empty() {
        body.push_str(&format!(
            "<h2>Warnings of the new report ({})</h2>\n<ul>\n",
            warnings.len()
        ));
        for (w, n) in warnings {
            body.push_str(&format!("<li>{}</li>\n", xml(&warning_line(w, *n))));
        }
        body.push_str("</ul>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>hiyari: what changed</title>\n\
<style>body{{font-family:system-ui,sans-serif;margin:2rem;}}table{{border-collapse:collapse;width:100%;}}\
td,th{{border:1px solid #999;padding:.3rem;text-align:left;vertical-align:top;word-break:break-word;}}</style></head>\n\
<body><h1>hiyari: what changed</h1><p>From {} to {}.</p>\n{body}<p>{} finding(s) unchanged.</p></body></html>\n",
        xml(old),
        xml(new),
        d.unchanged.len()
    )
}
