//! The pre-handover checklist as one self-contained HTML file: no external CSS, script,
//! font or image (a Content-Security-Policy forbids them all, so even a mistake in
//! escaping could run nothing and load nothing), readable on screen and on paper.
//!
//! The content is that of the Markdown checklist: per account a header, a summary of
//! counts by severity and status, and every check as a checklist item, most severe first,
//! with its failing resources (one row for a cause shared by several regions),
//! remediation and incidents. Ids, ARNs and regions are never broken across lines
//! (`white-space: nowrap`): a line breaks between them, and a table too wide for the
//! page scrolls sideways. The page is built with `maud`, whose markup
//! cannot be unbalanced; every string from the account is spliced in as [`Text`]. Items
//! carry `data-check` and `data-state` attributes (and resource rows `data-status`) so
//! that tools, and the tests, can read the checklist back. The `"\n"` between elements
//! keep the file readable as text and diffable.

use maud::{html, Markup, PreEscaped, Render, DOCTYPE};

use hiyari_checks::{Finding, Report, ReportAccount, Severity, Status};

use super::common::{self, html_prose, ChecklistItem, ItemState, ReportContext};
use super::group::{self, Entry};

const CSS: &str = r#"
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bad: #b3261e; --warn: #8a5300;
  --ok: #1a7f37; --acc: #6e7781; --bg-bad: #fff1f0; --bg-warn: #fff8e6; --bg-ok: #f0faf2; --bg-acc: #f4f5f7; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink);
  max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--ink); padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .6rem; }
code { font: .88em/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; white-space: nowrap; }
.lede { color: var(--muted); margin-top: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; overflow-x: auto; }
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
div.resources { overflow-x: auto; }
table.resources { width: 100%; margin: .5rem 0; background: #fff; font-size: .92rem; }
.tok { white-space: nowrap; }
table.resources td.status, table.resources td.place { white-space: nowrap; }
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

/// Text from the account or the report, in element content or an attribute value.
///
/// Escaped by [`common::xml`] rather than by maud's own escaping: maud escapes markup
/// only, while a resource name can also hold control characters and bidirectional
/// overrides, which `common::xml` shows as visible escapes (as every other format
/// does) before escaping the markup.
struct Text<'a>(&'a str);

impl Render for Text<'_> {
    fn render_to(&self, buffer: &mut String) {
        buffer.push_str(&common::xml(self.0));
    }
}

fn mark(s: ItemState) -> &'static str {
    match s {
        ItemState::Done | ItemState::Accepted => "\u{2611}",
        ItemState::NotDone => "\u{2610}",
        ItemState::CouldNotCheck => "\u{26A0}",
        ItemState::NothingToCheck => "\u{2205}",
    }
}

/// Text whose words that look like identifiers (holding `-`, `:` or `/`: ids, ARNs,
/// regions) are kept whole: a browser breaks lines at spaces only, never at a hyphen of
/// `ap-southeast-3`. The text itself is unchanged.
fn words(s: &str) -> Markup {
    html! {
        @for (i, w) in s.split(' ').enumerate() {
            @if i > 0 { " " }
            @if w.contains(['-', ':', '/']) {
                span class="tok" { (Text(w)) }
            } @else {
                (Text(w))
            }
        }
    }
}

fn code(s: &str) -> Markup {
    html! { code { (Text(s)) } }
}

/// `items` separated by `sep`.
fn joined(items: &[Markup], sep: Markup) -> Markup {
    html! {
        @for (i, m) in items.iter().enumerate() {
            @if i > 0 { (sep) }
            (m)
        }
    }
}

/// `items` separated by commas, or `none`.
fn list(items: &[Markup]) -> Markup {
    if items.is_empty() {
        html! { "none" }
    } else {
        joined(items, html! { ", " })
    }
}

fn fact(k: &str, v: Markup) -> Markup {
    html! { dt { (k) } dd { (v) } "\n" }
}

fn header(report: &Report, acc: &ReportAccount, ctx: &ReportContext) -> Markup {
    let t = common::timing(report);
    let scanned: Vec<Markup> = acc.regions.scanned.iter().map(|r| code(r)).collect();
    let skipped: Vec<Markup> = common::skipped_by_reason(&acc.regions.skipped)
        .into_iter()
        .map(|(reason, regions)| {
            let regions: Vec<Markup> = regions.into_iter().map(code).collect();
            html! { (Text(&reason)) ": " (joined(&regions, html! { ", " })) }
        })
        .collect();
    html! {
        h2 { "AWS account " (code(&acc.id)) } "\n"
        dl class="facts" {
            "\n"
            (fact("Account", html! {
                (code(&acc.id)) " (partition " (code(&acc.partition)) ")"
            }))
            @if let Some(e) = &acc.error {
                (fact("Could not audit", html! {
                    (code(&e.api)) " failed with " (code(&e.code)) ": " (Text(&e.message))
                }))
            }
            (fact("Audited as", code(&acc.principal)))
            @if let Some(c) = t.collected {
                (fact("Data collected", html! { time { (Text(c)) } }))
            }
            (fact("Evaluated", html! {
                time { (Text(t.evaluated.0)) }
                @if t.evaluated.1 != t.evaluated.0 {
                    " to " time { (Text(t.evaluated.1)) }
                }
            }))
            (fact("hiyari version", html! { (Text(&report.tool_version)) }))
            (fact(&format!("Regions scanned ({})", scanned.len()), list(&scanned)))
            (fact(
                &format!("Regions skipped ({})", acc.regions.skipped.len()),
                if skipped.is_empty() { html! { "none" } } else { joined(&skipped, html! { br; }) },
            ))
            (fact("Allowed regions for compute", match &acc.allowed_regions {
                Some(a) => {
                    let regions: Vec<Markup> = a.regions.iter().map(|r| code(r)).collect();
                    html! {
                        (list(&regions)) ", from "
                        (words(&common::allowed_source_phrase(&a.source)))
                    }
                }
                None => html! { "not recorded" },
            }))
            (fact("Configuration", match &ctx.config {
                Some(p) => code(p),
                None => html! { "none" },
            }))
        }
        "\n"
    }
}

fn summary(findings: &[&Finding], items: &[ChecklistItem<'_>]) -> Markup {
    let counts = common::counts(findings.iter().copied());
    let mut total = [0usize; 4];
    for row in counts {
        for (t, n) in total.iter_mut().zip(row) {
            *t += n;
        }
    }
    let n = |s: ItemState| items.iter().filter(|i| i.state == s).count();
    html! {
        h3 { "Summary" } "\n"
        table class="summary" {
            "\n"
            thead { tr { th { "Severity" } th { "Fail" } th { "Error" } th { "Muted" } th { "Pass" } } }
            "\n"
            tbody {
                "\n"
                @for (sev, row) in Severity::ALL.iter().zip(counts) {
                    tr data-severity=(sev.as_str()) {
                        td { (sev.as_str()) }
                        @for c in row { td class="n" { (c) } }
                    }
                    "\n"
                }
                tr class="total" {
                    td { "total" }
                    @for c in total { td class="n" { (c) } }
                }
                "\n"
            }
            "\n"
        }
        "\n"
        p class="tally" {
            "Checks: " strong { (n(ItemState::Done)) } " done, "
            strong { (n(ItemState::NotDone)) } " not done, "
            strong { (n(ItemState::CouldNotCheck)) } " could not be checked, "
            strong { (n(ItemState::Accepted)) } " accepted, "
            strong { (n(ItemState::NothingToCheck)) } " with nothing to check (of "
            (items.len()) ")."
        }
        "\n"
    }
}

fn place(f: &Finding) -> Markup {
    match &f.region {
        Some(r) => code(r),
        None => html! { "account-wide" },
    }
}

/// A row of the resources table: a finding, or the findings of one cause in several
/// regions (`data-finding` then holds their ids, space-separated).
fn resource_row(report: &Report, e: &Entry<'_>) -> Markup {
    let f = e.first();
    let regions: Vec<Markup> = e.regions().into_iter().map(code).collect();
    let scanned = common::scanned_regions(report, &f.account)
        .len()
        .max(regions.len());
    html! {
        tr class="resource" data-status=(f.status.as_str()) data-finding=(Text(&e.ids())) {
            td class="status" { (f.status.as_str()) }
            td class="place" {
                @if e.is_group() { (regions.len()) " regions" } @else { (place(f)) }
            }
            td {
                @if e.is_group() {
                    "each region"
                } @else if common::names_a_resource(f) {
                    (code(common::resource_name(f)))
                } @else if f.region.is_some() {
                    "the region"
                } @else {
                    "the account"
                }
            }
            td {
                (words(&e.message))
                @if e.is_group() {
                    ", in " (regions.len()) " of " (scanned) " scanned regions: "
                    (joined(&regions, html! { ", " }))
                }
                @if f.status == Status::Muted {
                    " " strong { "Accepted:" } " "
                    (Text(f.mute_reason.as_deref().unwrap_or("muted by configuration")))
                }
            }
        }
        "\n"
    }
}

fn item(report: &Report, it: &ChecklistItem<'_>) -> Markup {
    let severity = it.severity().map(|s| s.as_str()).unwrap_or("unknown");
    let state = it.state.token();
    let listed: Vec<&Finding> = it
        .fails
        .iter()
        .chain(&it.errors)
        .chain(&it.muted)
        .copied()
        .collect();
    let entries = group::entries(&listed, &|a| common::scanned_regions(report, a).len());
    let (verified, nothing) = common::split_passes(&it.passes);
    let incidents: Vec<Markup> = it.incidents().iter().map(|i| code(i)).collect();
    html! {
        li class={ "item state-" (state) } data-check=(Text(it.check)) data-state=(state) {
            "\n"
            div class="item-head" {
                span class="box" aria-hidden="true" { (mark(it.state)) }
                span class="state" { (it.state.label()) }
                span class="title" { (Text(it.title())) }
                (code(it.check))
                span class={ "sev sev-" (severity) } { (severity) }
            }
            "\n"
            @if !listed.is_empty() {
                div class="resources" {
                    table class="resources" {
                        thead { tr { th { "Status" } th { "Region" } th { "Resource" } th { "Finding" } } }
                        tbody {
                            "\n"
                            @for e in &entries { (resource_row(report, e)) }
                        }
                    }
                }
                "\n"
            }
            @if listed.is_empty() && it.passes.is_empty() {
                p class="none" { "No result for this account: the check did not run here." }
                "\n"
            }
            @if !verified.is_empty() {
                p class="verified" {
                    "Verified: " (verified.len()) " passing result(s) "
                    (Text(&common::scope_phrase(&verified))) "."
                }
                "\n"
            }
            @for (reason, fs) in &nothing {
                p class="nothing" {
                    "Nothing to check " (Text(&common::scope_phrase(fs))) ": " (Text(reason)) "."
                }
                "\n"
            }
            @if !it.fails.is_empty() || !it.muted.is_empty() {
                p class="fix" {
                    strong { "How to fix it:" } " "
                    // html_prose escapes every part of the prose with common::xml and adds
                    // only the <code> elements of its `code` spans: nothing from the text
                    // itself is markup.
                    (PreEscaped(html_prose(it.remediation())))
                }
                "\n"
            }
            @if !incidents.is_empty() {
                p class="incidents" { "Incidents: " (joined(&incidents, html! { ", " })) }
                "\n"
            }
        }
        "\n"
    }
}

fn accounts_table(report: &Report) -> Markup {
    html! {
        section class="accounts" {
            h2 { "Accounts (" (report.accounts.len()) ")" } "\n"
            table {
                "\n"
                thead { tr {
                    th { "Account" } th { "Fail" } th { "Error" } th { "Muted" } th { "Pass" }
                    th { "Note" }
                } }
                "\n"
                tbody {
                    "\n"
                    @for a in common::accounts_overview(report) {
                        tr {
                            td { (code(a.id)) }
                            td { (a.summary.fail) }
                            td { (a.summary.error) }
                            td { (a.summary.muted) }
                            td { (a.summary.pass) }
                            td {
                                @if let Some(e) = a.error {
                                    "could not audit: " (code(&e.api)) " failed with "
                                    (code(&e.code))
                                }
                            }
                        }
                        "\n"
                    }
                }
                "\n"
            }
            "\n"
        }
        "\n"
    }
}

fn account(report: &Report, acc: &ReportAccount, ctx: &ReportContext) -> Markup {
    let findings: Vec<&Finding> = report.findings_of(&acc.id).collect();
    let items = common::checklist(report, &acc.id);
    html! {
        section class="account" id={ "account-" (Text(&acc.id)) } data-account=(Text(&acc.id)) {
            "\n"
            (header(report, acc, ctx))
            (summary(&findings, &items))
            h3 { "Checklist" } "\n"
            ol class="checklist" {
                "\n"
                @for it in &items { (item(report, it)) }
            }
            "\n"
        }
        "\n"
    }
}

/// The report as a self-contained HTML checklist.
pub fn render(report: &Report, ctx: &ReportContext) -> String {
    let accounts: Vec<&str> = report.accounts.iter().map(|a| a.id.as_str()).collect();
    let t = common::timing(report);
    let page = html! {
        (DOCTYPE) "\n"
        html lang="en" {
            "\n"
            head {
                "\n"
                meta charset="utf-8"; "\n"
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; style-src 'unsafe-inline'"; "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                meta name="generator" content="hiyari"; "\n"
                title { "Pre-handover checklist: AWS account " (Text(&accounts.join(", "))) } "\n"
                // The style sheet is hiyari's own constant; escaping it would break its
                // quoted font names.
                style { (PreEscaped(CSS)) } "\n"
            }
            "\n"
            body {
                "\n"
                header {
                    "\n"
                    h1 { "Pre-handover checklist" } "\n"
                    p class="lede" {
                        "Every check hiyari ran, per AWS account: " strong { "done" }
                        " (checked, and the failure mode is absent), " strong { "not done" }
                        " (it is present: fix the resources listed), " strong { "could not check" }
                        " (hiyari could not read what it needs: the item names the API and error), "
                        strong { "accepted" }
                        " (a failure the configuration accepts, with its reason), or "
                        strong { "nothing to check" }
                        " (there was nothing to inspect, e.g. the service is off: the check verified nothing)."
                    }
                    "\n"
                }
                "\n"
                main {
                    "\n"
                    @if report.accounts.is_empty() {
                        p { "No account was audited." } "\n"
                    }
                    @if report.accounts.len() > 1 {
                        (accounts_table(report))
                    }
                    @for acc in &report.accounts {
                        (account(report, acc, ctx))
                    }
                }
                "\n"
                footer {
                    "Generated by hiyari " (Text(&report.tool_version)) " ("
                    code { (Text(common::HOMEPAGE)) } "): "
                    @if let Some(c) = t.collected {
                        "data collected at " (Text(c)) ", "
                    }
                    @if t.evaluated.0 == t.evaluated.1 {
                        "evaluated at " (Text(t.evaluated.0)) "."
                    } @else {
                        "evaluated between " (Text(t.evaluated.0)) " and " (Text(t.evaluated.1)) "."
                    }
                }
                "\n"
            }
            "\n"
        }
        "\n"
    };
    page.into_string()
}
