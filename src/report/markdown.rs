//! The pre-handover checklist in Markdown (CommonMark with GitHub's task lists and
//! tables), for a pull request, an issue, a wiki page or a ticket.
//!
//! Per account: a header (account and principal, date, hiyari version, regions scanned
//! and skipped, allowed regions, configuration), a summary of counts by severity and
//! status, then every check as a task-list item, most severe first — done, not done,
//! could not check, or accepted with the reason — with the failing resources and their
//! regions under it (one line for a cause shared by several regions), the remediation
//! and the incidents it comes from.
//!
//! Text from the account is escaped ([`common::markdown`]) and identifiers are code
//! spans ([`common::markdown_code`]): a resource name cannot become a link, an image,
//! raw HTML, a mention or a table cell.

use std::fmt::Write as _;

use hiyari_checks::{Finding, Report, ReportAccount, Severity};

use super::common::{
    self, markdown as md, markdown_code as code, markdown_prose as prose, ChecklistItem, ItemState,
    ReportContext,
};
use super::group;

fn header(out: &mut String, report: &Report, acc: &ReportAccount, ctx: &ReportContext) {
    let _ = writeln!(out, "## AWS account {}\n", code(&acc.id));
    let _ = writeln!(
        out,
        "- **Account:** {} (partition {})",
        code(&acc.id),
        code(&acc.partition)
    );
    let _ = writeln!(out, "- **Audited as:** {}", code(&acc.principal));
    if let Some(e) = &acc.error {
        let _ = writeln!(
            out,
            "- **Could not audit:** {} failed with {}: {}",
            code(&e.api),
            code(&e.code),
            md(&e.message)
        );
    }
    let t = common::timing(report);
    if let Some(c) = t.collected {
        let _ = writeln!(out, "- **Data collected:** {}", md(c));
    }
    let _ = writeln!(
        out,
        "- **Evaluated:** {}",
        md(&common::evaluated_phrase(&t))
    );
    let _ = writeln!(out, "- **hiyari version:** {}", md(&report.tool_version));
    let scanned: Vec<String> = acc.regions.scanned.iter().map(|r| code(r)).collect();
    let _ = writeln!(
        out,
        "- **Regions scanned ({}):** {}",
        scanned.len(),
        if scanned.is_empty() {
            "none".to_string()
        } else {
            scanned.join(", ")
        }
    );
    let skipped = common::skipped_by_reason(&acc.regions.skipped);
    if skipped.is_empty() {
        let _ = writeln!(out, "- **Regions skipped (0):** none");
    } else {
        let _ = writeln!(
            out,
            "- **Regions skipped ({}):**",
            acc.regions.skipped.len()
        );
        for (reason, regions) in &skipped {
            let list: Vec<String> = regions.iter().map(|r| code(r)).collect();
            let _ = writeln!(out, "  - {}: {}", md(reason), list.join(", "));
        }
    }
    match &acc.allowed_regions {
        Some(a) => {
            let list: Vec<String> = a.regions.iter().map(|r| code(r)).collect();
            let _ = writeln!(
                out,
                "- **Allowed regions for compute:** {}, from {}",
                if list.is_empty() {
                    "none".to_string()
                } else {
                    list.join(", ")
                },
                md(&common::allowed_source_phrase(&a.source))
            );
        }
        None => {
            let _ = writeln!(out, "- **Allowed regions for compute:** not recorded");
        }
    }
    let config = match &ctx.config {
        Some(path) => code(path),
        None => "none".to_string(),
    };
    let _ = writeln!(out, "- **Configuration:** {config}\n");
}

fn summary(out: &mut String, findings: &[&Finding], items: &[ChecklistItem<'_>]) {
    let counts = common::counts(findings.iter().copied());
    out.push_str("### Summary\n\n");
    out.push_str("| Severity | Fail | Error | Muted | Pass |\n");
    out.push_str("|---|---:|---:|---:|---:|\n");
    let mut total = [0usize; 4];
    for (sev, row) in Severity::ALL.iter().zip(counts) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            sev, row[0], row[1], row[2], row[3]
        );
        for (t, n) in total.iter_mut().zip(row) {
            *t += n;
        }
    }
    let _ = writeln!(
        out,
        "| **total** | **{}** | **{}** | **{}** | **{}** |\n",
        total[0], total[1], total[2], total[3]
    );
    let n = |s: ItemState| items.iter().filter(|i| i.state == s).count();
    let _ = writeln!(
        out,
        "Checks: {} done, {} not done, {} could not be checked, {} accepted, {} with nothing to check (of {}).\n",
        n(ItemState::Done),
        n(ItemState::NotDone),
        n(ItemState::CouldNotCheck),
        n(ItemState::Accepted),
        n(ItemState::NothingToCheck),
        items.len()
    );
}

/// Where a finding is, and what it is about when that is more than the place.
fn place(f: &Finding) -> String {
    let mut s = match &f.region {
        Some(r) => code(r),
        None => "account-wide".to_string(),
    };
    if common::names_a_resource(f) {
        s.push(' ');
        s.push_str(&code(common::resource_name(f)));
    }
    s
}

/// The lines of a list of failing, erroring or accepted findings: one per entry, the
/// findings of one cause in several regions as one line naming the regions.
fn entry_lines(out: &mut String, report: &Report, findings: &[&Finding]) {
    for e in group::entries(findings, &|a| common::scanned_regions(report, a).len()) {
        let f = e.first();
        let place = if e.is_group() {
            let scanned = common::scanned_regions(report, &f.account);
            let regions: Vec<String> = e.regions().into_iter().map(code).collect();
            let total = scanned.len().max(regions.len());
            format!(
                "in {} of {total} scanned regions ({})",
                regions.len(),
                regions.join(", ")
            )
        } else {
            place(f)
        };
        let mut line = format!("    - {place} — {}", md(&e.message));
        if f.status == hiyari_checks::Status::Muted {
            line.push_str(&format!(
                " **Reason:** {}",
                md(f.mute_reason.as_deref().unwrap_or("muted by configuration"))
            ));
        }
        let _ = writeln!(out, "{line}");
    }
}

fn item(out: &mut String, report: &Report, it: &ChecklistItem<'_>) {
    let mark = match it.state {
        ItemState::Done | ItemState::Accepted => "x",
        ItemState::NotDone | ItemState::CouldNotCheck | ItemState::NothingToCheck => " ",
    };
    let severity = it.severity().map(|s| s.as_str()).unwrap_or("unknown");
    let _ = writeln!(
        out,
        "- [{mark}] **{}** — {} ({}, {severity})",
        it.state.label(),
        md(it.title()),
        code(it.check),
    );
    if !it.fails.is_empty() {
        let _ = writeln!(out, "  - Failing ({}):", it.fails.len());
        entry_lines(out, report, &it.fails);
    }
    if !it.errors.is_empty() {
        let _ = writeln!(out, "  - Could not check ({}):", it.errors.len());
        entry_lines(out, report, &it.errors);
    }
    if !it.muted.is_empty() {
        let _ = writeln!(out, "  - Accepted ({}):", it.muted.len());
        entry_lines(out, report, &it.muted);
    }
    if it.fails.is_empty() && it.errors.is_empty() && it.muted.is_empty() && it.passes.is_empty() {
        out.push_str("  - No result for this account: the check did not run here.\n");
    }
    let (verified, nothing) = common::split_passes(&it.passes);
    if !verified.is_empty() {
        let _ = writeln!(
            out,
            "  - Verified: {} passing result(s) {}",
            verified.len(),
            common::scope_phrase(&verified)
        );
    }
    for (reason, fs) in &nothing {
        let _ = writeln!(
            out,
            "  - Nothing to check {}: {}",
            common::scope_phrase(fs),
            md(reason)
        );
    }
    if !it.fails.is_empty() || !it.muted.is_empty() {
        let _ = writeln!(out, "  - **How to fix it:** {}", prose(it.remediation()));
    }
    let incidents: Vec<String> = it.incidents().iter().map(|i| code(i)).collect();
    if !incidents.is_empty() {
        let _ = writeln!(out, "  - Incidents: {}", incidents.join(", "));
    }
}

/// The report as a Markdown checklist.
pub fn render(report: &Report, ctx: &ReportContext) -> String {
    let mut out = String::from("# Pre-handover checklist (hiyari)\n\n");
    out.push_str(
        "Every check hiyari ran, per AWS account: **done** (checked, and the failure mode \
         is absent), **not done** (it is present: fix the resources listed), **could not \
         check** (hiyari could not read what it needs: the item names the API and error), \
         **accepted** (a failure the configuration accepts, with its reason), or **nothing \
         to check** (there was nothing to inspect, e.g. the service is off: the check \
         verified nothing).\n\n",
    );
    if report.accounts.is_empty() {
        out.push_str("No account was audited.\n");
    }
    if report.accounts.len() > 1 {
        let _ = writeln!(out, "## Accounts ({})\n", report.accounts.len());
        out.push_str(
            "| Account | Fail | Error | Muted | Pass | Note |\n|---|---:|---:|---:|---:|---|\n",
        );
        for a in common::accounts_overview(report) {
            let s = a.summary;
            let note = match a.error {
                Some(e) => format!(
                    "could not audit: {} failed with {}",
                    code(&e.api),
                    code(&e.code)
                ),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {note} |",
                code(a.id),
                s.fail,
                s.error,
                s.muted,
                s.pass
            );
        }
        out.push('\n');
    }
    for acc in &report.accounts {
        header(&mut out, report, acc, ctx);
        let findings: Vec<&Finding> = report.findings_of(&acc.id).collect();
        let items = common::checklist(report, &acc.id);
        summary(&mut out, &findings, &items);
        out.push_str("### Checklist\n\n");
        for it in &items {
            item(&mut out, report, it);
        }
        out.push('\n');
    }
    out
}
