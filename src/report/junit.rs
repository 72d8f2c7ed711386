//! JUnit XML for CI test reports (GitLab, Jenkins, and the many tools that read it).
//!
//! One `<testsuite>` per check, one `<testcase>` per scope or resource. A case is named
//! `<account>/<region or global>/<resource id>`, because consumers merge cases of the
//! same name. A fail carries `<failure>`, an error `<error>` (the API and error code),
//! a muted fail `<skipped>` with the reason it is accepted; a pass has no child. A run
//! warning about a check (an accepted risk that expired or matched nothing) is a
//! `hiyari.warning.<kind>` property of its suite; any other warning (one about no check, or
//! about a check that did not run) is a property of a suite named `hiyari` with no test
//! case. All text from the account is escaped.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use hiyari_checks::{Finding, Report, Status, Warning};

use super::common::{self, xml};

fn case_name(f: &Finding) -> String {
    format!(
        "{}/{}/{}",
        f.account,
        f.region.as_deref().unwrap_or("global"),
        f.resource.id
    )
}

/// The body of a failure or error: one line per fact. Each line is escaped on its own
/// (a line break from the account becomes a visible escape), then the lines are joined.
fn details(f: &Finding) -> String {
    let mut lines = vec![
        f.message.clone(),
        format!(
            "Resource: {} ({})",
            common::resource_name(f),
            f.resource.kind
        ),
        format!("Account: {}", f.account),
        format!("Region: {}", f.region.as_deref().unwrap_or("account-wide")),
        format!("Severity: {}", f.severity),
        format!("Finding id: {}", f.id),
    ];
    if let Some((api, code)) = f.error_source() {
        lines.push(format!("API: {api}, error code: {code}"));
    }
    if !f.incidents.is_empty() {
        lines.push(format!("Incidents: {}", f.incidents.join(", ")));
    }
    lines.push(format!("Remediation: {}", f.remediation));
    lines.iter().map(|l| xml(l)).collect::<Vec<_>>().join("\n")
}

/// The report as a JUnit XML document.
pub fn render(report: &Report) -> String {
    // JUnit timestamps have no zone (the Ant schema's pattern); the report's are UTC.
    let timestamp = report.started_at.trim_end_matches('Z');
    let s = &report.summary;
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"hiyari\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\" timestamp=\"{}\">",
        report.findings.len(),
        s.fail,
        s.error,
        s.muted,
        xml(timestamp),
    );
    let suites = common::checks_in(report);
    for &check in &suites {
        let findings: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.check == check)
            .collect();
        let count = |st: Status| findings.iter().filter(|f| f.status == st).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"0\" timestamp=\"{}\">",
            xml(check),
            findings.len(),
            count(Status::Fail),
            count(Status::Error),
            count(Status::Muted),
            xml(timestamp),
        );
        out.push_str("    <properties>\n");
        let _ = writeln!(
            out,
            "      <property name=\"title\" value=\"{}\"/>",
            xml(common::title(check))
        );
        if let Some(m) = common::meta(check) {
            let _ = writeln!(
                out,
                "      <property name=\"severity\" value=\"{}\"/>",
                m.severity
            );
            let _ = writeln!(
                out,
                "      <property name=\"incidents\" value=\"{}\"/>",
                xml(&m.incidents.join(", "))
            );
        }
        // A warning about the check (an accepted risk of it that expired or matched
        // nothing) is a property of its suite: JUnit has no other place for it.
        for w in report
            .warnings
            .iter()
            .filter(|w| w.check.as_deref() == Some(check))
        {
            write_warning(&mut out, w);
        }
        out.push_str("    </properties>\n");
        let mut seen = BTreeSet::new();
        for f in findings {
            let mut name = case_name(f);
            if !seen.insert(name.clone()) {
                // Two resources with the same id (of different types): keep both.
                name = format!("{name} ({})", f.resource.kind);
                seen.insert(name.clone());
            }
            let open = format!(
                "    <testcase classname=\"hiyari.{}\" name=\"{}\" time=\"0\"",
                xml(check),
                xml(&name)
            );
            match f.status {
                Status::Pass => {
                    let _ = writeln!(out, "{open}/>");
                }
                Status::Fail => {
                    let _ = writeln!(
                        out,
                        "{open}>\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                        xml(&f.message),
                        f.severity,
                        details(f),
                    );
                }
                Status::Error => {
                    let code = f
                        .error_source()
                        .map(|(api, code)| format!("{api} {code}"))
                        .unwrap_or_else(|| "error".into());
                    let _ = writeln!(
                        out,
                        "{open}>\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>",
                        xml(&f.message),
                        xml(&code),
                        details(f),
                    );
                }
                Status::Muted => {
                    let reason = f.mute_reason.as_deref().unwrap_or("muted by configuration");
                    let _ = writeln!(
                        out,
                        "{open}>\n      <skipped message=\"accepted: {}\"/>\n    </testcase>",
                        xml(reason),
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    // Warnings with no suite of their own: `<testsuites>` has no properties in the JUnit
    // schema, so they go to a suite of no test case.
    let rest: Vec<_> = report
        .warnings
        .iter()
        .filter(|w| !w.check.as_deref().is_some_and(|c| suites.contains(&c)))
        .collect();
    if !rest.is_empty() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"hiyari\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\" timestamp=\"{}\">",
            xml(timestamp),
        );
        out.push_str("    <properties>\n");
        for w in rest {
            write_warning(&mut out, w);
        }
        out.push_str("    </properties>\n  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn write_warning(out: &mut String, w: &Warning) {
    let _ = writeln!(
        out,
        "      <property name=\"hiyari.warning.{}\" value=\"{}\"/>",
        xml(&w.kind),
        xml(&w.message)
    );
}
