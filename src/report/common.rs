//! What the report formats share: the context a report is rendered with (what the
//! [`Report`] itself does not hold), escaping for each output syntax (re-exported from
//! [`super::text`]), and the checklist view of a report (one item per check and
//! account) that the Markdown and HTML handover checklists print.
//!
//! Everything that comes from the account (resource ids and names, messages, evidence,
//! error messages) is chosen by whoever controls the account: each format escapes it
//! with the function for its syntax here, never by hand.
//!
//! The format modules (`ocsf`, `sarif`, `junit`, `asff`, `csv`, `markdown`, `html` and
//! this one) depend only on `hiyari_checks` and on each other, never on the rest of the
//! binary, so that `tests/it/report_formats.rs` compiles them in as they are and renders a
//! fixed report with them.

use std::collections::BTreeMap;

use hiyari_checks::{all_checks, find_check, CheckMeta, Finding, Report, Severity, Status};

pub use super::text::{
    csv, html_prose, markdown, markdown_code, markdown_prose, sanitize_terminal, truncate, xml,
};

/// The project's home page, named in the formats that carry a product URL.
pub const HOMEPAGE: &str = "https://github.com/hiyari-dev/hiyari";

/// What a renderer needs beyond the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportContext {
    /// The configuration file the scan used; `None` when there was none.
    pub config: Option<String>,
    /// The repository file SARIF results are anchored to (`--sarif-location`).
    pub sarif_location: Option<String>,
    /// Per account id, its home region: where ASFF findings are to be imported
    /// (the region of their `ProductArn`).
    pub home_regions: BTreeMap<String, String>,
}

impl ReportContext {
    /// The file SARIF results point at: `--sarif-location`, else the configuration
    /// file, else `hiyari.toml` (where a configuration would be).
    pub fn sarif_anchor(&self) -> &str {
        self.sarif_location
            .as_deref()
            .or(self.config.as_deref())
            .unwrap_or("hiyari.toml")
    }
}

/// The metadata of a check the registry knows.
pub fn meta(check: &str) -> Option<&'static CheckMeta> {
    find_check(check).map(|c| c.meta())
}

/// The check's title, or its id when the registry does not know it.
pub fn title(check: &str) -> &str {
    meta(check).map(|m| m.title).unwrap_or(check)
}

/// The checks that have findings in the report: registry order first, then any id
/// the registry does not know (from a newer inventory), sorted.
pub fn checks_in(report: &Report) -> Vec<&str> {
    let mut out: Vec<&str> = all_checks()
        .iter()
        .map(|c| c.meta().id)
        .filter(|id| report.findings.iter().any(|f| f.check == *id))
        .collect();
    let mut unknown: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.check.as_ref())
        .filter(|id| find_check(id).is_none())
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    out.extend(unknown);
    out
}

/// The partition of an account of the report (`aws` when the report does not list it).
pub fn partition<'a>(report: &'a Report, account: &str) -> &'a str {
    report
        .accounts
        .iter()
        .find(|a| a.id == account)
        .map(|a| a.partition.as_str())
        .unwrap_or("aws")
}

/// False for the account or a region as a whole (`AWS::::Account`, `AWS::::Region`),
/// which the finding's place already names.
pub fn names_a_resource(f: &Finding) -> bool {
    !matches!(f.resource.kind.as_str(), "AWS::::Account" | "AWS::::Region")
}

/// What a finding is about, in one string: the ARN when there is one, else the id.
pub fn resource_name(f: &Finding) -> &str {
    f.resource.arn.as_deref().unwrap_or(&f.resource.id)
}

/// Severity as a capitalised word ("Critical").
pub fn severity_caption(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "Critical",
        Severity::High => "High",
        Severity::Medium => "Medium",
        Severity::Low => "Low",
        Severity::Info => "Informational",
    }
}

/// Milliseconds since the Unix epoch of an RFC 3339 time, as the report writes them.
pub fn epoch_millis(rfc3339: &str) -> Option<i64> {
    let t = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// Counts of one account's findings by severity (rows, most severe first) and status
/// (columns: fail, error, muted, pass).
pub fn counts<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> [[usize; 4]; 5] {
    let mut t = [[0usize; 4]; 5];
    for f in findings {
        let row = Severity::ALL
            .iter()
            .position(|s| *s == f.severity)
            .unwrap_or(4);
        let col = match f.status {
            Status::Fail => 0,
            Status::Error => 1,
            Status::Muted => 2,
            Status::Pass => 3,
        };
        t[row][col] += 1;
    }
    t
}

/// Where a checklist item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemState {
    /// At least one resource fails.
    NotDone,
    /// Nothing fails, but some scope could not be checked (or the check gave no result).
    CouldNotCheck,
    /// Nothing fails or is in error; some fails are accepted by the configuration.
    Accepted,
    /// Every result is a pass that had nothing to inspect (the service is off or not in
    /// use): the check verified nothing. The check decides this, in the finding's
    /// evidence ([`Finding::nothing_to_inspect`]); the checklist only shows it.
    NothingToCheck,
    /// Every scope was checked and passes.
    Done,
}

impl ItemState {
    /// The word the checklists show.
    pub fn label(self) -> &'static str {
        match self {
            ItemState::NotDone => "not done",
            ItemState::CouldNotCheck => "could not check",
            ItemState::Accepted => "accepted",
            ItemState::NothingToCheck => "nothing to check",
            ItemState::Done => "done",
        }
    }

    /// A stable token for markup (classes, data attributes).
    pub fn token(self) -> &'static str {
        match self {
            ItemState::NotDone => "not-done",
            ItemState::CouldNotCheck => "could-not-check",
            ItemState::Accepted => "accepted",
            ItemState::NothingToCheck => "nothing-to-check",
            ItemState::Done => "done",
        }
    }
}

/// One check in one account, as a checklist item.
#[derive(Debug)]
pub struct ChecklistItem<'a> {
    pub check: &'a str,
    pub meta: Option<&'static CheckMeta>,
    pub state: ItemState,
    pub fails: Vec<&'a Finding>,
    pub errors: Vec<&'a Finding>,
    pub muted: Vec<&'a Finding>,
    pub passes: Vec<&'a Finding>,
}

impl ChecklistItem<'_> {
    pub fn title(&self) -> &str {
        self.meta.map(|m| m.title).unwrap_or(self.check)
    }

    /// The check's severity (from the registry, else from its findings).
    pub fn severity(&self) -> Option<Severity> {
        self.meta
            .map(|m| m.severity)
            .or_else(|| self.findings_severity())
    }

    /// The severity of its first finding (fails first): the one in force, which the
    /// configuration may have changed.
    fn findings_severity(&self) -> Option<Severity> {
        self.fails
            .iter()
            .chain(&self.errors)
            .chain(&self.muted)
            .chain(&self.passes)
            .map(|f| f.severity)
            .next()
    }

    /// The remediation text (the registry's, else the findings').
    pub fn remediation(&self) -> &str {
        self.meta.map(|m| m.remediation()).unwrap_or_else(|| {
            self.fails
                .iter()
                .chain(&self.errors)
                .chain(&self.muted)
                .chain(&self.passes)
                .map(|f| f.remediation.as_ref())
                .next()
                .unwrap_or("")
        })
    }

    /// The incident tags the check answers.
    pub fn incidents(&self) -> Vec<&str> {
        match self.meta {
            Some(m) => m.incidents.to_vec(),
            None => self
                .fails
                .iter()
                .chain(&self.errors)
                .chain(&self.muted)
                .chain(&self.passes)
                .flat_map(|f| f.incidents.iter().map(String::as_str))
                .take(8)
                .collect(),
        }
    }
}

/// The checklist of one account: every check of the report, most severe first (critical
/// and high on top), in registry order within a severity.
pub fn checklist<'a>(report: &'a Report, account: &str) -> Vec<ChecklistItem<'a>> {
    let mut items: Vec<ChecklistItem<'a>> = checks_in(report)
        .into_iter()
        .map(|check| {
            let of = |s: Status| -> Vec<&'a Finding> {
                report
                    .findings_of(account)
                    .filter(|f| f.check == check && f.status == s)
                    .collect()
            };
            let (fails, errors, muted, passes) = (
                of(Status::Fail),
                of(Status::Error),
                of(Status::Muted),
                of(Status::Pass),
            );
            let state = if !fails.is_empty() {
                ItemState::NotDone
            } else if !errors.is_empty() || (muted.is_empty() && passes.is_empty()) {
                ItemState::CouldNotCheck
            } else if !muted.is_empty() {
                ItemState::Accepted
            } else if passes.iter().all(|f| f.nothing_to_inspect().is_some()) {
                ItemState::NothingToCheck
            } else {
                ItemState::Done
            };
            ChecklistItem {
                check,
                meta: meta(check),
                state,
                fails,
                errors,
                muted,
                passes,
            }
        })
        .collect();
    // Stable: registry order within a severity. Severity orders critical first.
    items.sort_by_key(|i| {
        i.findings_severity()
            .or(i.severity())
            .unwrap_or(Severity::Info)
    });
    items
}

/// The regions a list of findings covers, as one short phrase ("in 3 regions",
/// "account-wide", or "for the organization" for a check of that scope), for the lines
/// that say what a passing check verified: the words of the scopes `hiyari checks`
/// lists.
pub fn scope_phrase(findings: &[&Finding]) -> String {
    let mut regions: Vec<&str> = findings
        .iter()
        .filter_map(|f| f.region.as_deref())
        .collect();
    regions.sort_unstable();
    regions.dedup();
    let account_wide = findings.iter().any(|f| f.region.is_none());
    let organization = findings
        .first()
        .and_then(|f| meta(&f.check))
        .is_some_and(|m| m.scope == hiyari_checks::Scope::Organization);
    match (regions.len(), account_wide) {
        (0, _) if organization => "for the organization".to_string(),
        (0, _) => "account-wide".to_string(),
        (1, false) => format!("in {}", regions[0]),
        (n, false) => format!("in {n} regions"),
        (n, true) => format!("account-wide and in {n} region(s)"),
    }
}

/// A check's passes split the way the reports show them: those that verified
/// something, then, per reason, those that had nothing to inspect (in reason order).
pub fn split_passes<'a>(
    passes: &[&'a Finding],
) -> (Vec<&'a Finding>, Vec<(&'a str, Vec<&'a Finding>)>) {
    let mut verified = Vec::new();
    let mut nothing: BTreeMap<&'a str, Vec<&'a Finding>> = BTreeMap::new();
    for f in passes {
        match f.nothing_to_inspect() {
            Some(reason) => nothing.entry(reason).or_default().push(f),
            None => verified.push(*f),
        }
    }
    (verified, nothing.into_iter().collect())
}

/// What a check's passes amount to, in one phrase: where it verified, and where there
/// was nothing to inspect and why ("verified in 2 regions; nothing to check in 18
/// regions: GuardDuty is off").
pub fn passes_phrase(passes: &[&Finding]) -> String {
    let (verified, nothing) = split_passes(passes);
    let mut parts = Vec::new();
    if !verified.is_empty() {
        parts.push(format!("verified {}", scope_phrase(&verified)));
    }
    for (reason, fs) in &nothing {
        parts.push(format!("nothing to check {}: {reason}", scope_phrase(fs)));
    }
    parts.join("; ")
}

/// Skipped regions grouped by reason, in the order the reasons first appear: one entry
/// per reason with its regions, so a long list reads "not opted in: af-south-1, …"
/// instead of repeating the reason after each region. The reason is reworded without
/// nested brackets ([`plain_reason`]).
pub fn skipped_by_reason(
    skipped: &[hiyari_checks::inventory::SkippedRegion],
) -> Vec<(String, Vec<&str>)> {
    let mut out: Vec<(String, Vec<&str>)> = Vec::new();
    for s in skipped {
        let reason = plain_reason(&s.reason);
        match out.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, regions)) => regions.push(&s.region),
            None => out.push((reason, vec![&s.region])),
        }
    }
    out
}

/// A skip reason as one flat phrase: "not opted in (OptInStatus not-opted-in)" (as
/// inventories record it) reads "not opted in, OptInStatus not-opted-in", and
/// "not selected (--regions)" reads "not selected by --regions". Other reasons are
/// kept as they are.
pub fn plain_reason(reason: &str) -> String {
    if let Some(status) = reason
        .strip_prefix("not opted in (OptInStatus ")
        .and_then(|r| r.strip_suffix(')'))
    {
        return format!("not opted in, OptInStatus {status}");
    }
    if let Some(flag) = reason
        .strip_prefix("not selected (")
        .and_then(|r| r.strip_suffix(')'))
    {
        return format!("not selected by {flag}");
    }
    reason.to_string()
}

/// Where an account's allowed regions came from, as a phrase that follows "from"
/// without nested brackets: "home region (no --allowed-regions given)" reads "the home
/// region, since no --allowed-regions was given".
pub fn allowed_source_phrase(source: &str) -> String {
    match source {
        "home region (no --allowed-regions given)" => {
            "the home region, since no --allowed-regions was given".to_string()
        }
        other => other.to_string(),
    }
}

/// When the data was collected and when it was evaluated, as the human formats say it.
/// `collected` is `None` for reports that do not record it (older JSON reports).
pub struct Timing<'a> {
    pub collected: Option<&'a str>,
    pub evaluated: (&'a str, &'a str),
}

/// When a report was evaluated, as the human formats say it: one time when it started
/// and finished in the same second, else "T1 to T2".
pub fn evaluated_phrase(t: &Timing<'_>) -> String {
    let (start, end) = t.evaluated;
    if start == end {
        start.to_string()
    } else {
        format!("{start} to {end}")
    }
}

/// The regions scanned in an account of the report (none when the report does not list
/// the account).
pub fn scanned_regions<'a>(report: &'a Report, account: &str) -> &'a [String] {
    report
        .accounts
        .iter()
        .find(|a| a.id == account)
        .map(|a| a.regions.scanned.as_slice())
        .unwrap_or(&[])
}

/// The timing of a report.
pub fn timing(report: &Report) -> Timing<'_> {
    Timing {
        collected: report.collected_at.as_deref().filter(|c| !c.is_empty()),
        evaluated: (&report.started_at, &report.finished_at),
    }
}

/// One line of the accounts overview of a report that holds several accounts.
pub struct AccountLine<'a> {
    pub id: &'a str,
    pub summary: hiyari_checks::Summary,
    /// Why the account could not be audited, when it could not.
    pub error: Option<&'a hiyari_checks::CollectError>,
}

/// Per account of `report`, its counts by status and its error, in report order.
pub fn accounts_overview(report: &Report) -> Vec<AccountLine<'_>> {
    report
        .accounts
        .iter()
        .map(|a| AccountLine {
            id: &a.id,
            summary: hiyari_checks::Summary::of(report.findings_of(&a.id)),
            error: a.error.as_ref(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::text::{visible, MAX_SHOWN};
    use super::*;

    /// `s` as one cell of a CSV file: guarded, then quoted by `csv::Writer` as the CSV
    /// report quotes it.
    fn csv_cell(s: &str) -> String {
        let mut w = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(Vec::new());
        w.write_record([csv(s)]).unwrap();
        let line = String::from_utf8(w.into_inner().unwrap()).unwrap();
        line.strip_suffix("\r\n").unwrap().to_string()
    }

    #[test]
    fn escapes_hold_against_hostile_text() {
        let hostile = "a<script>&\"'\x1b[2J\r\n\u{202E}";
        let x = xml(hostile);
        assert!(!x.contains(['<', '>', '"', '\'']), "{x}");
        assert!(!x.chars().any(|c| c.is_control()), "{x:?}");
        assert!(x.contains("&lt;script&gt;&amp;&quot;&#39;"));
        assert!(x.contains("\\u{202e}"));

        let m = markdown("[x](http://evil) <img> | `c` *b* @team");
        assert_eq!(
            m,
            "` [x](http://evil) ` \\<img\\> \\| \\`c\\` \\*b\\* \\@team"
        );
        // Link-shaped words are code; a `|` in one stays outside the code span.
        assert_eq!(
            markdown("user www.evil.example|x, a@b.example. Done."),
            "user ` www.evil.example `\\|` x, ` ` a@b.example. ` Done."
        );
        assert_eq!(markdown("no link here."), "no link here.");
        assert_eq!(
            markdown("at 10:00, version 0.1.0: done"),
            "at 10:00, version 0.1.0: done"
        );
        // Zero-width characters show, in every escape.
        assert_eq!(visible("ab\u{200d}"), "ab\\u{200d}");
        assert_eq!(csv_cell("a\u{200b}b"), "a\\u{200b}b");
        assert!(xml("a\u{feff}").contains("\\u{feff}"));
        let long = visible(&"x".repeat(MAX_SHOWN + 5));
        assert!(long.ends_with("x…[cut: 5 more characters]"), "{long}");
        assert_eq!(markdown_code("sg-1"), "` sg-1 `");
        assert_eq!(markdown_code("a``b`"), "``` a``b` ```");
        assert_eq!(
            markdown_prose("run `aws x --y` <root_account>"),
            "run ` aws x --y ` \\<root\\_account\\>"
        );
        assert_eq!(
            html_prose("run `a<b` & go"),
            "run <code>a&lt;b</code> &amp; go"
        );

        assert_eq!(csv_cell("=1+2"), "'=1+2");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-1"), "'-1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\\u{9}x");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("sg-0abc"), "sg-0abc");
    }

    #[test]
    fn times_and_truncation() {
        assert_eq!(epoch_millis("1970-01-01T00:00:01Z"), Some(1000));
        assert_eq!(epoch_millis("not a time"), None);
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("日本語テキスト", 3).chars().count(), 3);
    }
}
