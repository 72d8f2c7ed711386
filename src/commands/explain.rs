//! `hiyari explain ID`: one check's documentation.

use anyhow::{bail, Result};
use hiyari_checks::{find_check, Check};

pub(super) fn run(id: &str) -> Result<u8> {
    let Some(check) = find_check(id) else {
        bail!("unknown check `{id}`; `hiyari checks` lists them");
    };
    print!("{}", explain_text(check));
    Ok(0)
}

/// `hiyari explain ID`: the check's documentation, sections as its page has them.
fn explain_text(check: &dyn Check) -> String {
    let m = check.meta();
    let indent = |text: &str| {
        text.split("\n\n")
            .map(|p| format!("  {p}"))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let mut out = format!("{} — {}\n", m.id, m.title);
    out += &format!("Severity: {}    Scope: {}\n", m.severity, m.scope.as_str());
    out += &format!("Fails when: {}\n", hiyari_checks::docs::what_fails(m));
    for (title, text) in [
        ("What it does", m.description()),
        ("Why is this bad", m.rationale()),
        ("How to fix", m.remediation()),
    ] {
        out += &format!("\n{title}\n{}\n", indent(text));
    }
    out += &format!(
        "\nIncidents\n  {} (the stories: {}/blob/main/docs/incidents.md)\n",
        m.incidents.join(", "),
        env!("CARGO_PKG_REPOSITORY")
    );
    out += &format!(
        "\nAPI calls and IAM actions\n  API calls: {}\n  IAM actions: {}\n",
        m.api_calls().join(", "),
        m.iam_actions().join(", ")
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hiyari_checks::all_checks;

    #[test]
    fn explain_shows_every_section_of_the_checks_doc() {
        for c in all_checks() {
            let text = explain_text(*c);
            let m = c.meta();
            for part in [
                "What it does",
                "Why is this bad",
                "How to fix",
                "Incidents",
                "API calls and IAM actions",
                m.remediation(),
                m.rationale(),
            ] {
                assert!(text.contains(part), "{}: no {part}", m.id);
            }
            for action in m.iam_actions() {
                assert!(text.contains(action), "{}: no {action}", m.id);
            }
        }
    }
}
