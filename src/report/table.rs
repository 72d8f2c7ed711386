//! The default, human-readable report: a header per account, a table per severity of
//! what failed, could not be checked or was accepted, and a summary line.
//!
//! Everything that comes from the account (resource names, descriptions, messages) goes
//! through [`super::sanitize_terminal`] first: an attacker who names a resource must not
//! be able to move the cursor or recolour the screen.

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, Color, ContentArrangement, Table};
use hiyari_checks::{Finding, Report, Severity, Status};

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

pub fn render(report: &Report, opts: &TableOptions) -> String {
    let mut out = String::new();
    out.push_str(&format!("hiyari {}\n", report.tool_version));
    for a in &report.accounts {
        out.push_str(&format!(
            "Account {} as {}\n",
            clean(&a.id),
            clean(&a.principal)
        ));
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
    out.push('\n');

    let multi_account = report.accounts.len() > 1;
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| opts.show_pass || f.status != Status::Pass)
        .collect();
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
        let mut header = vec!["Status", "Check"];
        if multi_account {
            header.push("Account");
        }
        header.extend(["Region", "Resource", "Message"]);
        t.set_header(header);
        for f in rows {
            let mut status = status_cell(f.status, opts.color);
            if f.baseline == Some(hiyari_checks::Baseline::New) {
                status = Cell::new(format!("{} (new)", status.content()));
                if opts.color {
                    status = status.fg(Color::Yellow);
                }
            }
            let mut row = vec![status, Cell::new(&f.check)];
            if multi_account {
                row.push(Cell::new(clean(&f.account)));
            }
            let mut message = clean(&f.message);
            if let Some(reason) = &f.mute_reason {
                message.push_str(&format!(" [accepted: {}]", clean(reason)));
            }
            row.extend([
                Cell::new(f.region.as_deref().map(clean).unwrap_or_else(|| "-".into())),
                Cell::new(resource_text(f)),
                Cell::new(message),
            ]);
            t.add_row(row);
        }
        out.push_str(&t.to_string());
        out.push_str("\n\n");
    }
    if shown.is_empty() {
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
