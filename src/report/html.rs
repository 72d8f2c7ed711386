//! The pre-handover checklist as one self-contained HTML file: no external CSS, script,
//! font or image (a Content-Security-Policy forbids them all, so even a mistake in
//! escaping could run nothing and load nothing), readable on screen and on paper.
//!
//! The content is that of the Markdown checklist: per account a header, a summary of
//! counts by severity and status, and every check as a checklist item with its failing
//! resources, remediation and incidents. Every string from the account goes through
//! [`common::xml`]. Items carry `data-check` and `data-state` attributes (and resource
//! rows `data-status`) so that tools, and the tests, can read the checklist back.

use std::fmt::Write as _;

use hiyari_checks::{Finding, Report, ReportAccount, Severity, Status};

use super::common::{self, html_prose, xml as esc, ChecklistItem, ItemState, ReportContext};

const CSS: &str = r#"
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bad: #b3261e; --warn: #8a5300;
  --ok: #1a7f37; --acc: #6e7781; --bg-bad: #fff1f0; --bg-warn: #fff8e6; --bg-ok: #f0faf2; --bg-acc: #f4f5f7; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink);
  max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; }
code { font: .88em/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.lede { color: var(--muted); margin-top: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .25rem .55rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
table.summary td.n { text-align: right; font-variant-numeric: tabular-nums; }
table.summary tr.total td { font-weight: 700; }
ol.checklist { list-style: none; padding: 0; margin: 0; }
li.item { border: 1px solid var(--line); border-left-width: 6px; border-radius: 4px; padding: .6rem .9rem;
  margin: 0 0 .8rem; break-inside: avoid; page-break-inside: avoid; }
li.state-not-done { border-left-color: var(--bad); background: var(--bg-bad); }
li.state-could-not-check { border-left-color: var(--warn); background: var(--bg-warn); }
li.state-accepted { border-left-color: var(--acc); background: var(--bg-acc); }
li.state-done { border-left-color: var(--ok); background: var(--bg-ok); }
li.state-nothing-to-check { border-left-color: var(--line); background: #fff; border-left-style: dashed; }
.item-head { display: flex; flex-wrap: wrap; gap: .2rem .6rem; align-items: baseline; }
.box { font-size: 1.2rem; width: 1.3rem; }
.state { font-weight: 700; text-transform: uppercase; font-size: .82rem; letter-spacing: .04em; }
.state-not-done .state { color: var(--bad); }
.state-could-not-check .state { color: var(--warn); }
.state-done .state { color: var(--ok); }
.state-accepted .state { color: var(--acc); }
.title { font-weight: 600; }
.sev { font-size: .8rem; border: 1px solid currentColor; border-radius: 3px; padding: 0 .3rem; color: var(--muted); }
.sev-critical, .sev-high { color: var(--bad); }
.sev-medium { color: var(--warn); }
table.resources { width: 100%; margin: .5rem 0; background: #fff; font-size: .92rem; }
table.resources td { overflow-wrap: anywhere; }
table.resources td.status, table.resources td.place, table.resources td.place code { white-space: nowrap; overflow-wrap: normal; }
p.fix, p.incidents, p.verified, p.nothing, p.none { margin: .4rem 0 0; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: .5rem; }
@media print {
  @page { margin: 14mm 12mm; }
  body { font-size: 10pt; max-width: none; margin: 0; padding: 0; }
  h2 { break-before: auto; break-after: avoid; }
  h3 { break-after: avoid; }
  li.item, table.summary, dl.facts { break-inside: avoid; }
  li.item { background: none !important; }
  th { background: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

fn mark(s: ItemState) -> &'static str {
    match s {
        ItemState::Done | ItemState::Accepted => "\u{2611}",
        ItemState::NotDone => "\u{2610}",
        ItemState::CouldNotCheck => "\u{26A0}",
        ItemState::NothingToCheck => "\u{2205}",
    }
}

fn code(s: &str) -> String {
    format!("<code>{}</code>", esc(s))
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

fn header(out: &mut String, report: &Report, acc: &ReportAccount, ctx: &ReportContext) {
    let _ = writeln!(out, "<h2>AWS account {}</h2>", code(&acc.id));
    out.push_str("<dl class=\"facts\">\n");
    let mut fact = |k: &str, v: String| {
        let _ = writeln!(out, "<dt>{k}</dt><dd>{v}</dd>");
    };
    fact(
        "Account",
        format!("{} (partition {})", code(&acc.id), code(&acc.partition)),
    );
    if let Some(e) = &acc.error {
        fact(
            "Could not audit",
            format!(
                "{} failed with {}: {}",
                code(&e.api),
                code(&e.code),
                esc(&e.message)
            ),
        );
    }
    fact("Audited as", code(&acc.principal));
    let t = common::timing(report);
    if let Some(c) = t.collected {
        fact("Data collected", format!("<time>{}</time>", esc(c)));
    }
    fact(
        "Evaluated",
        format!(
            "<time>{}</time> to <time>{}</time>",
            esc(t.evaluated.0),
            esc(t.evaluated.1)
        ),
    );
    fact("hiyari version", esc(&report.tool_version));
    let scanned: Vec<String> = acc.regions.scanned.iter().map(|r| code(r)).collect();
    fact(
        &format!("Regions scanned ({})", scanned.len()),
        list(&scanned),
    );
    let skipped: Vec<String> = common::skipped_by_reason(&acc.regions.skipped)
        .into_iter()
        .map(|(reason, regions)| {
            let regions: Vec<String> = regions.into_iter().map(code).collect();
            format!("{}: {}", esc(&reason), regions.join(", "))
        })
        .collect();
    fact(
        &format!("Regions skipped ({})", acc.regions.skipped.len()),
        if skipped.is_empty() {
            "none".to_string()
        } else {
            skipped.join("<br>")
        },
    );
    fact(
        "Allowed regions for compute",
        match &acc.allowed_regions {
            Some(a) => {
                let regions: Vec<String> = a.regions.iter().map(|r| code(r)).collect();
                format!(
                    "{}, from {}",
                    list(&regions),
                    esc(&common::allowed_source_phrase(&a.source))
                )
            }
            None => "not recorded".to_string(),
        },
    );
    fact(
        "Configuration",
        match &ctx.config {
            Some(p) => code(p),
            None => "none".to_string(),
        },
    );
    out.push_str("</dl>\n");
}

fn summary(out: &mut String, findings: &[&Finding], items: &[ChecklistItem<'_>]) {
    let counts = common::counts(findings.iter().copied());
    out.push_str("<h3>Summary</h3>\n<table class=\"summary\">\n");
    out.push_str("<thead><tr><th>Severity</th><th>Fail</th><th>Error</th><th>Muted</th><th>Pass</th></tr></thead>\n<tbody>\n");
    let mut total = [0usize; 4];
    for (sev, row) in Severity::ALL.iter().zip(counts) {
        let _ = writeln!(
            out,
            "<tr data-severity=\"{sev}\"><td>{sev}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            row[0], row[1], row[2], row[3]
        );
        for (t, n) in total.iter_mut().zip(row) {
            *t += n;
        }
    }
    let _ = writeln!(
        out,
        "<tr class=\"total\"><td>total</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        total[0], total[1], total[2], total[3]
    );
    out.push_str("</tbody>\n</table>\n");
    let n = |s: ItemState| items.iter().filter(|i| i.state == s).count();
    let _ = writeln!(
        out,
        "<p class=\"tally\">Checks: <strong>{}</strong> done, <strong>{}</strong> not done, <strong>{}</strong> could not be checked, <strong>{}</strong> accepted, <strong>{}</strong> with nothing to check (of {}).</p>",
        n(ItemState::Done),
        n(ItemState::NotDone),
        n(ItemState::CouldNotCheck),
        n(ItemState::Accepted),
        n(ItemState::NothingToCheck),
        items.len()
    );
}

fn place(f: &Finding) -> String {
    match &f.region {
        Some(r) => code(r),
        None => "account-wide".to_string(),
    }
}

fn resource_rows(out: &mut String, findings: &[&Finding]) {
    for f in findings {
        let detail = match f.status {
            Status::Muted => format!(
                "{} <strong>Accepted:</strong> {}",
                esc(&f.message),
                esc(f.mute_reason.as_deref().unwrap_or("muted by configuration"))
            ),
            _ => esc(&f.message),
        };
        let _ = writeln!(
            out,
            "<tr class=\"resource\" data-status=\"{}\" data-finding=\"{}\"><td class=\"status\">{}</td><td class=\"place\">{}</td><td>{}</td><td>{}</td></tr>",
            f.status,
            esc(&f.id),
            f.status,
            place(f),
            if common::names_a_resource(f) {
                code(common::resource_name(f))
            } else if f.region.is_some() {
                "the region".to_string()
            } else {
                "the account".to_string()
            },
            detail
        );
    }
}

fn item(out: &mut String, it: &ChecklistItem<'_>) {
    let severity = it.severity().map(|s| s.as_str()).unwrap_or("unknown");
    let _ = writeln!(
        out,
        "<li class=\"item state-{state}\" data-check=\"{check}\" data-state=\"{state}\">",
        state = it.state.token(),
        check = esc(it.check)
    );
    let _ = writeln!(
        out,
        "<div class=\"item-head\"><span class=\"box\" aria-hidden=\"true\">{}</span><span class=\"state\">{}</span><span class=\"title\">{}</span>{}<span class=\"sev sev-{severity}\">{severity}</span></div>",
        mark(it.state),
        it.state.label(),
        esc(it.title()),
        code(it.check),
    );
    let listed: Vec<&Finding> = it
        .fails
        .iter()
        .chain(&it.errors)
        .chain(&it.muted)
        .copied()
        .collect();
    if !listed.is_empty() {
        out.push_str("<table class=\"resources\"><thead><tr><th>Status</th><th>Region</th><th>Resource</th><th>Finding</th></tr></thead><tbody>\n");
        resource_rows(out, &listed);
        out.push_str("</tbody></table>\n");
    }
    if listed.is_empty() && it.passes.is_empty() {
        out.push_str(
            "<p class=\"none\">No result for this account: the check did not run here.</p>\n",
        );
    }
    let (verified, nothing) = common::split_passes(&it.passes);
    if !verified.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"verified\">Verified: {} passing result(s) {}.</p>",
            verified.len(),
            esc(&common::scope_phrase(&verified))
        );
    }
    for (reason, fs) in &nothing {
        let _ = writeln!(
            out,
            "<p class=\"nothing\">Nothing to check {}: {}.</p>",
            esc(&common::scope_phrase(fs)),
            esc(reason)
        );
    }
    if !it.fails.is_empty() || !it.muted.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"fix\"><strong>How to fix it:</strong> {}</p>",
            html_prose(it.remediation())
        );
    }
    let incidents: Vec<String> = it.incidents().iter().map(|i| code(i)).collect();
    if !incidents.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"incidents\">Incidents: {}</p>",
            incidents.join(", ")
        );
    }
    out.push_str("</li>\n");
}

/// The report as a self-contained HTML checklist.
pub fn render(report: &Report, ctx: &ReportContext) -> String {
    let accounts: Vec<&str> = report.accounts.iter().map(|a| a.id.as_str()).collect();
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"hiyari\">\n");
    let _ = writeln!(
        out,
        "<title>Pre-handover checklist: AWS account {}</title>",
        esc(&accounts.join(", "))
    );
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>");
    out.push_str("<header>\n<h1>Pre-handover checklist</h1>\n");
    out.push_str(
        "<p class=\"lede\">Every check hiyari ran, per AWS account: <strong>done</strong> (checked, and the failure mode is absent), \
         <strong>not done</strong> (it is present: fix the resources listed), <strong>could not check</strong> (hiyari could not \
         read what it needs: the item names the API and error), <strong>accepted</strong> (a failure the configuration \
         accepts, with its reason), or <strong>nothing to check</strong> (there was nothing to inspect, e.g. the service \
         is off: the check verified nothing).</p>\n</header>\n<main>\n",
    );
    if report.accounts.is_empty() {
        out.push_str("<p>No account was audited.</p>\n");
    }
    if report.accounts.len() > 1 {
        let _ = writeln!(
            out,
            "<section class=\"accounts\"><h2>Accounts ({})</h2>\n<table>\n<thead><tr><th>Account</th><th>Fail</th><th>Error</th><th>Muted</th><th>Pass</th><th>Note</th></tr></thead>\n<tbody>",
            report.accounts.len()
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
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{note}</td></tr>",
                code(a.id),
                s.fail,
                s.error,
                s.muted,
                s.pass,
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
    for acc in &report.accounts {
        let _ = writeln!(
            out,
            "<section class=\"account\" id=\"account-{id}\" data-account=\"{id}\">",
            id = esc(&acc.id)
        );
        header(&mut out, report, acc, ctx);
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.account == acc.id)
            .collect();
        let items = common::checklist(report, &acc.id);
        summary(&mut out, &findings, &items);
        out.push_str("<h3>Checklist</h3>\n<ol class=\"checklist\">\n");
        for it in &items {
            item(&mut out, it);
        }
        out.push_str("</ol>\n</section>\n");
    }
    let t = common::timing(report);
    let collected = match t.collected {
        Some(c) => format!("data collected at {}, ", esc(c)),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "</main>\n<footer>Generated by hiyari {} (<code>{}</code>): {collected}evaluated between {} and {}.</footer>\n</body>\n</html>",
        esc(&report.tool_version),
        esc(common::HOMEPAGE),
        esc(t.evaluated.0),
        esc(t.evaluated.1)
    );
    out
}
