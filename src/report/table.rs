//! The default, human-readable report: a header per account, a table per severity of
//! what failed, could not be checked or was accepted (most severe first; the findings of
//! one check with the same cause in several regions as one row, see [`super::group`]),
//! one line per check that passed (where it verified, and where it had nothing to
//! inspect), and a summary line. Several accounts (an organization) get a section each,
//! with the account's own counts.
//!
//! The table fits the width it is given (the terminal's, else `COLUMNS`, else 100, as
//! clap's help): a check id, a status and a region are never broken; the message column
//! takes the width that is left and wraps at spaces, and an id or ARN longer than its
//! line is shortened in its middle (`…`), never broken ([`super::wrap`]). When less than
//! [`MIN_MESSAGE`] columns would be left for the message, each finding's message goes
//! on the lines under it instead. Laid out here rather than with comfy-table: on a
//! narrow terminal comfy-table shrank every column and broke check ids mid-word, and it
//! has no layout that moves a message under its row when too little width is left.
//!
//! Everything that comes from the account (resource names, descriptions, messages) goes
//! through [`super::common::sanitize_terminal`] first: an attacker who names a resource
//! must not be able to move the cursor or recolour the screen.

use std::fmt::Write as _;

use hiyari_checks::{Finding, Report, ReportAccount, Severity, Status};

use super::common::{self, sanitize_terminal as clean};
use super::group::{self, Entry};
use super::wrap::{pad, width_of, wrap, wrap_hanging};

pub struct TableOptions {
    pub color: bool,
    /// Every passing finding in full, instead of one line per check.
    pub show_pass: bool,
    /// The width to fit, in columns.
    pub width: usize,
}

/// The width when stdout is not a terminal and `COLUMNS` says nothing usable.
pub const DEFAULT_WIDTH: usize = 100;
/// Narrower than this, the table is laid out for this width anyway (lines may overflow).
pub const MIN_WIDTH: usize = 40;
/// The narrowest message column; with less room, messages go under their findings.
pub const MIN_MESSAGE: usize = 32;
/// The widest place column (region and resource) of the one-line layout; longer ids
/// wrap within it.
const MAX_PLACE: usize = 28;
const GAP: &str = "  ";

/// The width of a table that is not written to a terminal: `COLUMNS` when it holds a
/// number of at least [`MIN_WIDTH`], else [`DEFAULT_WIDTH`].
pub fn fixed_width(columns: Option<&str>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w >= MIN_WIDTH)
        .unwrap_or(DEFAULT_WIDTH)
}

/// A status cell: its text and its colour (an ANSI SGR code).
struct StatusCell {
    text: String,
    sgr: &'static str,
}

fn status_cell(f: &Finding) -> StatusCell {
    let (text, sgr) = match f.status {
        Status::Fail => ("FAIL", "31"),
        Status::Error => ("ERROR", "35"),
        Status::Muted => ("MUTED", "90"),
        Status::Pass if f.nothing_to_inspect().is_some() => ("n/a", "90"),
        Status::Pass => ("pass", "32"),
    };
    if f.baseline == Some(hiyari_checks::Baseline::New) {
        return StatusCell {
            text: format!("{text} (new)"),
            sgr: "33",
        };
    }
    StatusCell {
        text: text.to_string(),
        sgr,
    }
}

/// One row of a table.
struct Row {
    status: StatusCell,
    check: String,
    /// Where: the region (or "account" for an account-wide result), then the resource
    /// when the finding is about more than the place.
    place: Vec<String>,
    message: String,
}

fn place(f: &Finding) -> Vec<String> {
    let resource = common::names_a_resource(f).then(|| clean(&f.resource.id));
    match (f.region.as_deref(), resource) {
        (Some(r), Some(res)) => vec![clean(r), res],
        (Some(r), None) => vec![clean(r)],
        (None, Some(res)) => vec![res],
        (None, None) => vec!["account".to_string()],
    }
}

/// The row of an entry: a finding, or the findings of one check with the same cause in
/// several regions (`scanned`: the regions of the account, for "19 of 20").
fn entry_row(e: &Entry<'_>, scanned: &[String]) -> Row {
    let f = e.first();
    let mut message = clean(&e.message);
    let place = if e.is_group() {
        let regions = e.regions();
        message.push_str(&format!(
            " — {}",
            clean(&group::regions_phrase(&regions, scanned, false))
        ));
        vec![format!("{} regions", regions.len())]
    } else {
        place(f)
    };
    if let Some(reason) = &f.mute_reason {
        message.push_str(&format!(" [accepted: {}]", clean(reason)));
    }
    Row {
        status: status_cell(f),
        check: clean(&f.check),
        place,
        message,
    }
}

/// The one line that stands for every pass of a check.
fn passes_row(check: &str, passes: &[&Finding]) -> Row {
    let nothing = passes.iter().all(|f| f.nothing_to_inspect().is_some());
    Row {
        status: StatusCell {
            text: if nothing { "n/a" } else { "pass" }.to_string(),
            sgr: if nothing { "90" } else { "32" },
        },
        check: clean(check),
        place: vec![],
        message: clean(&common::passes_phrase(passes)),
    }
}

/// The column widths of a set of rows at a given total width.
struct Layout {
    status: usize,
    check: usize,
    place: usize,
    /// `None`: messages go on the lines under each finding.
    message: Option<usize>,
    width: usize,
}

fn layout(rows: &[&Row], width: usize) -> Layout {
    let width = width.max(MIN_WIDTH);
    let col = |f: &dyn Fn(&Row) -> usize, header: &str| {
        rows.iter()
            .map(|r| f(r))
            .chain([width_of(header)])
            .max()
            .unwrap_or(0)
    };
    let status = col(&|r| width_of(&r.status.text), "STATUS");
    let check = col(&|r| width_of(&r.check), "CHECK");
    let place_width = |r: &Row| r.place.iter().map(|p| width_of(p)).max().unwrap_or(0);
    let place = col(&place_width, "WHERE").min(MAX_PLACE);
    let fixed = status + check + place + 3 * GAP.len();
    let message = width.checked_sub(fixed).filter(|m| *m >= MIN_MESSAGE);
    Layout {
        status,
        check,
        place,
        message,
        width,
    }
}

fn write_rows(out: &mut String, rows: &[Row], l: &Layout, color: bool) {
    let status = |text: &str, sgr: &str| {
        let padded = pad(text, l.status);
        if color {
            format!("\x1b[{sgr}m{text}\x1b[0m{}", &padded[text.len()..])
        } else {
            padded
        }
    };
    let lead = |r: &Row| [status(&r.status.text, r.status.sgr), pad(&r.check, l.check)].join(GAP);
    match l.message {
        Some(mw) => {
            let header = [
                pad("STATUS", l.status),
                pad("CHECK", l.check),
                pad("WHERE", l.place),
                "MESSAGE".to_string(),
            ];
            let _ = writeln!(out, "{}", header.join(GAP).trim_end());
            let blank = " ".repeat(l.status + l.check + GAP.len());
            for r in rows {
                let place: Vec<String> = r.place.iter().flat_map(|p| wrap(p, l.place)).collect();
                let message = wrap(&r.message, mw);
                for i in 0..place.len().max(message.len()) {
                    let first = if i == 0 { lead(r) } else { blank.clone() };
                    let p = place.get(i).map(String::as_str).unwrap_or("");
                    let m = message.get(i).map(String::as_str).unwrap_or("");
                    let line = format!("{first}{GAP}{}{GAP}{m}", pad(p, l.place));
                    let _ = writeln!(out, "{}", line.trim_end());
                }
            }
        }
        None => {
            // Narrow: status, check and place on one line (the place under it when it
            // does not fit), the message under them, indented past the status.
            let indent = l.status + GAP.len();
            let inner = l.width.saturating_sub(indent);
            let header = [
                pad("STATUS", l.status),
                pad("CHECK", l.check),
                "WHERE".into(),
            ]
            .join(GAP);
            if width_of(&header) <= l.width {
                let _ = writeln!(out, "{header}");
                let _ = writeln!(out, "{}MESSAGE", " ".repeat(indent));
            } else {
                let _ = writeln!(out, "{}{GAP}CHECK", pad("STATUS", l.status));
                let _ = writeln!(out, "{}WHERE, MESSAGE", " ".repeat(indent));
            }
            for r in rows {
                let head = lead(r);
                let place = r.place.join(" ");
                let mut under = Vec::new();
                if place.is_empty() {
                    let _ = writeln!(out, "{}", head.trim_end());
                } else if l.status + l.check + 2 * GAP.len() + width_of(&place) <= l.width {
                    let _ = writeln!(out, "{head}{GAP}{place}");
                } else {
                    let _ = writeln!(out, "{}", head.trim_end());
                    under.extend(wrap(&place, inner));
                }
                under.extend(wrap(&r.message, inner));
                for line in under {
                    let _ = writeln!(out, "{}{line}", " ".repeat(indent));
                }
            }
        }
    }
}

/// A line of prose, wrapped to `width`; its continuation lines are indented.
fn para(out: &mut String, text: &str, width: usize) {
    let width = width.max(MIN_WIDTH);
    for (i, line) in wrap_hanging(text, width, width - 2).into_iter().enumerate() {
        let indent = if i == 0 { "" } else { "  " };
        let _ = writeln!(out, "{indent}{line}");
    }
}

fn account_header(out: &mut String, a: &ReportAccount, prefix: &str, width: usize) {
    para(
        out,
        &format!(
            "{prefix}Account {} as {}",
            clean(&a.id),
            clean(&a.principal)
        ),
        width,
    );
    if let Some(e) = &a.error {
        para(
            out,
            &format!(
                "Could not audit this account: {} failed with {}: {}",
                clean(&e.api),
                clean(&e.code),
                clean(&e.message)
            ),
            width,
        );
        return;
    }
    let skipped_for = |why: &str| {
        let is = |s: &&hiyari_checks::inventory::SkippedRegion| s.reason.contains(why);
        a.regions.skipped.iter().filter(is).count()
    };
    let other_partition = skipped_for("partition");
    let not_opted = skipped_for("not opted in");
    let not_selected = a
        .regions
        .skipped
        .len()
        .saturating_sub(not_opted + other_partition);
    let why: Vec<String> = [
        (not_opted, "not opted in"),
        (other_partition, "in other partitions"),
        (not_selected, "not selected"),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    let skipped = match a.regions.skipped.len() {
        0 => "none skipped".to_string(),
        n => format!("{n} skipped: {}", why.join(", ")),
    };
    para(
        out,
        &format!("Regions: {} scanned, {skipped}", a.regions.scanned.len()),
        width,
    );
    if let Some(allowed) = &a.allowed_regions {
        let list = if allowed.regions.is_empty() {
            "none".to_string()
        } else {
            allowed.regions.join(", ")
        };
        para(
            out,
            &format!(
                "Allowed regions for compute: {}, from {}",
                clean(&list),
                clean(&common::allowed_source_phrase(&allowed.source))
            ),
            width,
        );
    }
}

/// One table per severity of `findings`, most severe first: fails, errors and muted
/// findings (those of one check with the same cause in several regions as one row, see
/// [`group`]), then the passes (in full with `show_pass`, else one line per check). True
/// when anything but a pass was shown.
fn tables(out: &mut String, report: &Report, findings: &[&Finding], opts: &TableOptions) -> bool {
    let mut sections: Vec<(Severity, Vec<Row>)> = Vec::new();
    let mut any_not_pass = false;
    for sev in Severity::ALL {
        let of_sev: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| f.severity == sev)
            .collect();
        let listed: Vec<&Finding> = of_sev
            .iter()
            .copied()
            .filter(|f| f.status != Status::Pass || opts.show_pass)
            .collect();
        let mut rows: Vec<Row> =
            group::entries(&listed, &|a| common::scanned_regions(report, a).len())
                .iter()
                .map(|e| entry_row(e, common::scanned_regions(report, &e.first().account)))
                .collect();
        any_not_pass |= of_sev.iter().any(|f| f.status != Status::Pass);
        if !opts.show_pass {
            let mut checks: Vec<&str> = Vec::new();
            for f in of_sev.iter().filter(|f| f.status == Status::Pass) {
                if !checks.contains(&f.check.as_ref()) {
                    checks.push(&f.check);
                }
            }
            for check in checks {
                let passes: Vec<&Finding> = of_sev
                    .iter()
                    .copied()
                    .filter(|f| f.status == Status::Pass && f.check == check)
                    .collect();
                rows.push(passes_row(check, &passes));
            }
        }
        if !rows.is_empty() {
            sections.push((sev, rows));
        }
    }
    // One layout for every section, so that the columns line up down the report.
    let all: Vec<&Row> = sections.iter().flat_map(|(_, rows)| rows).collect();
    let l = layout(&all, opts.width);
    for (sev, rows) in &sections {
        out.push_str(&format!("{}\n", sev.as_str().to_uppercase()));
        write_rows(out, rows, &l, opts.color);
        out.push('\n');
    }
    any_not_pass
}

/// When the data is older than the evaluation (a saved inventory), the header says so.
fn collected_line(out: &mut String, report: &Report, width: usize) {
    let t = common::timing(report);
    let Some(collected) = t.collected else {
        return;
    };
    let older = match (
        common::epoch_millis(collected),
        common::epoch_millis(t.evaluated.0),
    ) {
        (Some(c), Some(s)) => c < s,
        _ => false,
    };
    if older {
        para(
            out,
            &format!(
                "Data collected {}, evaluated {}",
                clean(collected),
                clean(t.evaluated.0)
            ),
            width,
        );
    }
}

/// The table report: one account's header then its tables by severity; with several
/// accounts, one such section per account, then the totals.
pub fn render(report: &Report, opts: &TableOptions) -> String {
    let mut out = String::new();
    out.push_str(&format!("hiyari {}\n", clean(&report.tool_version)));
    let w = opts.width;
    collected_line(&mut out, report, w);
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
            out.push('\n');
            account_header(&mut out, a, "== ", w);
            let mine: Vec<&Finding> = report.findings_of(&a.id).collect();
            let c = hiyari_checks::Summary::of(mine.iter().copied());
            para(
                &mut out,
                &format!(
                    "Account summary: {} fail, {} error, {} muted, {} pass",
                    c.fail, c.error, c.muted, c.pass
                ),
                opts.width,
            );
            out.push('\n');
            any_shown |= tables(&mut out, report, &mine, opts);
        }
    } else {
        for a in &report.accounts {
            account_header(&mut out, a, "", w);
        }
        out.push('\n');
        let all: Vec<&Finding> = report.findings.iter().collect();
        any_shown = tables(&mut out, report, &all, opts);
    }
    if !any_shown {
        out.push_str("Nothing failed and nothing was in error.\n\n");
    }
    let s = &report.summary;
    let mut summary = format!(
        "Summary: {} fail, {} error, {} muted, {} pass",
        s.fail, s.error, s.muted, s.pass
    );
    let nothing = report
        .findings
        .iter()
        .filter(|f| f.nothing_to_inspect().is_some())
        .count();
    if nothing > 0 {
        summary.push_str(&format!(", {nothing} of them with nothing to check"));
    }
    if !opts.show_pass && s.pass > 0 {
        summary.push_str(" (--show-pass lists every pass)");
    }
    para(&mut out, &summary, w);
    for warning in &report.warnings {
        para(
            &mut out,
            &format!("Warning: {}", clean(&warning.message)),
            w,
        );
    }
    if s.error > 0 {
        para(
            &mut out,
            "Checks in error could not be evaluated: hiyari does not vouch for them. Each names the API and error code.",
            w,
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_never_breaks_an_arn_and_shortens_it_where_it_does_not_fit() {
        let arn = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_SecurityAudit_5c2f7e8a9b1d3f46/taro";
        for width in [MIN_WIDTH, 60, 80, 120] {
            let mut out = String::new();
            para(&mut out, &format!("Account 123456789012 as {arn}"), width);
            let lines: Vec<&str> = out.lines().collect();
            assert!(lines.iter().all(|l| width_of(l) <= width), "{out}");
            if width >= 120 {
                assert_eq!(lines, [format!("Account 123456789012 as {arn}")]);
                continue;
            }
            assert_eq!(lines[0], "Account 123456789012 as", "{out}");
            assert_eq!(lines.len(), 2, "the ARN on one line: {out}");
            let shown = lines[1].trim_start();
            assert!(shown.contains('…'), "{out}");
            let (head, tail) = shown.split_once('…').unwrap();
            assert!(arn.starts_with(head) && arn.ends_with(tail), "{out}");
        }
    }

    #[test]
    fn fixed_width_reads_columns_or_falls_back() {
        assert_eq!(fixed_width(None), DEFAULT_WIDTH);
        assert_eq!(fixed_width(Some("90")), 90);
        assert_eq!(fixed_width(Some("10")), DEFAULT_WIDTH);
        assert_eq!(fixed_width(Some("wide")), DEFAULT_WIDTH);
    }
}
