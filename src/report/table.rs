//! The default, human-readable report: a header per account, a table per severity of
//! what failed, could not be checked or was accepted, and a summary line. Several
//! accounts (an organization) get a section each, with the account's own counts.
//!
//! Everything that comes from the account (resource names, descriptions, messages) goes
//! through [`super::sanitize_terminal`] first: an attacker who names a resource must not
//! be able to move the cursor or recolour the screen.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};
use hiyari_checks::{Finding, Report, ReportAccount, Severity, Status};

use super::sanitize_terminal as clean;

pub struct TableOptions {
    pub color: bool,
    pub show_pass: bool,
}

fn status_cell(s: Status, color: bool) -> Cell {
    let label = match s {
        Status::Fail => "FAIL",
        Status::Error => "ERROR",
        Status::Muted => "MUTED",
        Status::Pass => "pass",
    };
    let cell = Cell::new(label);
    if !color {
        return cell;
    }
    match s {
        Status::Fail => cell.fg(Color::Red),
        Status::Error => cell.fg(Color::Magenta),
        Status::Muted => cell.fg(Color::DarkGrey),
        Status::Pass => cell.fg(Color::Green),
    }
}

fn resource_text(f: &Finding) -> String {
    clean(&f.resource.id)
}

fn account_header(out: &mut String, a: &ReportAccount) {
    out.push_str(&format!(
        "Account {} as {}\n",
        clean(&a.id),
        clean(&a.principal)
    ));
    if let Some(e) = &a.error {
        out.push_str(&format!(
            "Could not audit this account: {} failed with {}: {}\n",
            clean(&e.api),
            clean(&e.code),
            clean(&e.message)
        ));
        return;
    }
    let other_partition = a
        .regions
        .skipped
        .iter()
        .filter(|s| s.reason.contains("partition"))
        .count();
    let not_opted = a
        .regions
        .skipped
        .iter()
        .filter(|s| s.reason.contains("not opted in"))
        .count();
    out.push_str(&format!(
        "Regions: {} scanned, {} skipped ({} not opted in, {} in other partitions, {} not selected)\n",
        a.regions.scanned.len(),
        a.regions.skipped.len(),
        not_opted,
        other_partition,
        a.regions.skipped.len() - not_opted - other_partition,
    ));
    if let Some(allowed) = &a.allowed_regions {
        let list = if allowed.regions.is_empty() {
            "none".to_string()
        } else {
            allowed.regions.join(", ")
        };
        out.push_str(&format!(
            "Allowed regions for compute: {} (from {})\n",
            clean(&list),
            allowed.source
        ));
    }
}

/// One table per severity of `shown`.
fn tables(out: &mut String, shown: &[&Finding], opts: &TableOptions) {
    for sev in Severity::ALL {
        let rows: Vec<&&Finding> = shown.iter().filter(|f| f.severity == sev).collect();
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!("{}\n", sev.as_str().to_uppercase()));
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        if opts.color {
            t.enforce_styling();
        }
        t.set_header(["Status", "Check", "Region", "Resource", "Message"]);
        for f in rows {
            let mut status = status_cell(f.status, opts.color);
            if f.baseline == Some(hiyari_checks::Baseline::New) {
                status = Cell::new(format!("{} (new)", status.content()));
                if opts.color {
                    status = status.fg(Color::Yellow);
                }
            }
            let mut message = clean(&f.message);
            if let Some(reason) = &f.mute_reason {
                message.push_str(&format!(" [accepted: {}]", clean(reason)));
            }
            t.add_row(vec![
                status,
                Cell::new(&f.check),
                Cell::new(f.region.as_deref().map(clean).unwrap_or_else(|| "-".into())),
                Cell::new(resource_text(f)),
                Cell::new(message),
            ]);
        }
        out.push_str(&t.to_string());
        out.push_str("\n\n");
    }
}

/// The table report: one account's header then its tables by severity; with several
/// accounts, one such section per account, then the totals.
pub fn render(report: &Report, opts: &TableOptions) -> String {
    let mut out = String::new();
    out.push_str(&format!("hiyari {}\n", report.tool_version));
    let visible = |f: &&Finding| opts.show_pass || f.status != Status::Pass;
    let mut any_shown = false;
    if report.accounts.len() > 1 {
        let failed = report.accounts.iter().filter(|a| a.error.is_some()).count();
        out.push_str(&format!(
            "{} accounts{}\n",
            report.accounts.len(),
            if failed > 0 {
                format!(", {failed} of them could not be audited")
            } else {
                String::new()
            }
        ));
        for a in &report.accounts {
            out.push_str("\n== ");
            account_header(&mut out, a);
            let mine: Vec<&Finding> = report
                .findings
                .iter()
                .filter(|f| f.account == a.id)
                .collect();
            let c =
                hiyari_checks::Summary::of(&mine.iter().map(|f| (*f).clone()).collect::<Vec<_>>());
            out.push_str(&format!(
                "Account summary: {} fail, {} error, {} muted, {} pass\n\n",
                c.fail, c.error, c.muted, c.pass
            ));
            let shown: Vec<&Finding> = mine.into_iter().filter(visible).collect();
            any_shown |= !shown.is_empty();
            tables(&mut out, &shown, opts);
        }
    } else {
        for a in &report.accounts {
            account_header(&mut out, a);
        }
        out.push('\n');
        let shown: Vec<&Finding> = report.findings.iter().filter(visible).collect();
        any_shown = !shown.is_empty();
        tables(&mut out, &shown, opts);
    }
    if !any_shown {
        out.push_str("Nothing failed and nothing was in error.\n\n");
    }
    let s = &report.summary;
    out.push_str(&format!(
        "Summary: {} fail, {} error, {} muted, {} pass",
        s.fail, s.error, s.muted, s.pass
    ));
    if !opts.show_pass && s.pass > 0 {
        out.push_str(" (--show-pass lists the passes)");
    }
    out.push('\n');
    for w in &report.warnings {
        out.push_str(&format!("Warning: {}\n", clean(w)));
    }
    if s.error > 0 {
        out.push_str(
            "Checks in error could not be evaluated: hiyari does not vouch for them. Each names the API and error code.\n",
        );
    }
    out
}
