//! What `hiyari checks` and `hiyari explain ID` print on a terminal: the list of checks
//! and one check's documentation, laid out to a width (the terminal's, else `COLUMNS`,
//! else [`super::table::DEFAULT_WIDTH`]) as the table report is, with ids and incident
//! tags never broken across lines.

use std::fmt::Write as _;

use hiyari_checks::{all_checks, Check, CheckMeta, Scope};

use super::table::MIN_WIDTH;
use super::wrap::{indented, pad, width_of, wrap, wrap_hanging};

const GAP: &str = "  ";
/// The narrowest title column of the one-line-per-check layout; with less room, each
/// check's title and incidents go on the lines under it.
const MIN_TITLE: usize = 24;

/// `hiyari checks`: one entry per check (id, severity, scope, title, incidents), then
/// what each scope means.
pub fn checks(width: usize) -> String {
    checks_of(all_checks(), width)
}

fn checks_of(checks: &[&dyn Check], width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let metas: Vec<&CheckMeta> = checks.iter().map(|c| c.meta()).collect();
    let col = |f: &dyn Fn(&CheckMeta) -> usize, header: &str| {
        metas
            .iter()
            .map(|m| f(m))
            .chain([width_of(header)])
            .max()
            .unwrap_or(0)
    };
    let id = col(&|m| width_of(m.id), "ID");
    let sev = col(&|m| width_of(m.severity.as_str()), "SEVERITY");
    let scope = col(&|m| width_of(m.scope.as_str()), "SCOPE");
    let incidents = col(
        &|m| m.incidents.iter().map(|i| width_of(i)).max().unwrap_or(0),
        "INCIDENTS",
    );
    let lead = id + sev + scope + 3 * GAP.len();
    let title = width.saturating_sub(lead + GAP.len() + incidents);
    let mut out = String::new();
    let line = |out: &mut String, s: String| {
        let _ = writeln!(out, "{}", s.trim_end());
    };
    let head = |m: &CheckMeta| {
        [
            pad(m.id, id),
            pad(m.severity.as_str(), sev),
            pad(m.scope.as_str(), scope),
        ]
        .join(GAP)
    };
    if title >= MIN_TITLE {
        line(
            &mut out,
            [
                pad("ID", id),
                pad("SEVERITY", sev),
                pad("SCOPE", scope),
                pad("TITLE", title),
                "INCIDENTS".into(),
            ]
            .join(GAP),
        );
        for m in &metas {
            let titles = wrap(m.title, title);
            let rows = titles.len().max(m.incidents.len());
            for i in 0..rows {
                let first = if i == 0 {
                    head(m)
                } else {
                    " ".repeat(lead - GAP.len())
                };
                let t = titles.get(i).map(String::as_str).unwrap_or("");
                let inc = m.incidents.get(i).copied().unwrap_or("");
                line(&mut out, format!("{first}{GAP}{}{GAP}{inc}", pad(t, title)));
            }
        }
    } else {
        // Narrow: id, severity and scope on one line, the title and incidents under it.
        if lead - GAP.len() <= width {
            line(
                &mut out,
                [pad("ID", id), pad("SEVERITY", sev), "SCOPE".into()].join(GAP),
            );
        } else {
            line(&mut out, "ID SEVERITY SCOPE".into());
        }
        line(&mut out, "    TITLE; INCIDENTS".into());
        for m in &metas {
            if lead - GAP.len() <= width {
                line(&mut out, head(m));
            } else {
                let plain = format!("{} {} {}", m.id, m.severity.as_str(), m.scope.as_str());
                for l in wrap(&plain, width) {
                    line(&mut out, l);
                }
            }
            for l in indented(m.title, "    ", width) {
                line(&mut out, l);
            }
            for l in indented(&m.incidents.join(", "), "    ", width) {
                line(&mut out, l);
            }
        }
    }
    out.push('\n');
    out.push_str("Scopes:\n");
    let word = Scope::ALL
        .iter()
        .map(|s| width_of(s.as_str()))
        .max()
        .unwrap_or(0);
    for s in Scope::ALL {
        // The meaning in a column of its own after the padded word (wrapping the whole
        // line would fold the padding's spaces into one).
        let indent = 2 + word + GAP.len();
        let inner = width.saturating_sub(indent).max(1);
        for (i, l) in wrap(s.meaning(), inner).into_iter().enumerate() {
            let lead = if i == 0 {
                format!("  {}{GAP}", pad(s.as_str(), word))
            } else {
                " ".repeat(indent)
            };
            line(&mut out, format!("{lead}{l}"));
        }
    }
    out.push('\n');
    for l in wrap(
        "`hiyari explain ID` shows what a check reads, why it matters and how to fix it.",
        width,
    ) {
        line(&mut out, l);
    }
    out
}

/// `hiyari explain ID`: the check's documentation, sections as its page has them,
/// wrapped to `width`.
pub fn explain(check: &dyn Check, width: usize) -> String {
    let width = width.max(MIN_WIDTH);
    let m = check.meta();
    let mut out = String::new();
    let para = |out: &mut String, text: &str| {
        for (i, l) in wrap_hanging(text, width, width - 2).into_iter().enumerate() {
            let _ = writeln!(out, "{}{l}", if i == 0 { "" } else { "  " });
        }
    };
    let section = |out: &mut String, title: &str, text: &str| {
        let _ = writeln!(out, "\n{title}");
        for (i, p) in text.split("\n\n").enumerate() {
            if i > 0 {
                out.push('\n');
            }
            for l in indented(p, "  ", width) {
                let _ = writeln!(out, "{l}");
            }
        }
    };
    para(&mut out, &format!("{} — {}", m.id, m.title));
    para(
        &mut out,
        &format!(
            "Severity: {}. Scope: {} ({}).",
            m.severity,
            m.scope.as_str(),
            m.scope.meaning()
        ),
    );
    para(
        &mut out,
        &format!("Fails when: {}", hiyari_checks::docs::what_fails(m)),
    );
    section(&mut out, "What it does", m.description());
    section(&mut out, "Why is this bad", m.rationale());
    section(&mut out, "How to fix", m.remediation());
    section(
        &mut out,
        "Incidents",
        &format!(
            "{} (the stories: {}/blob/main/docs/incidents.md)",
            m.incidents.join(", "),
            env!("CARGO_PKG_REPOSITORY")
        ),
    );
    section(
        &mut out,
        "API calls and IAM actions",
        &format!(
            "API calls: {}\n\nIAM actions: {}",
            m.api_calls().join(", "),
            m.iam_actions().join(", ")
        ),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn checks_fit_every_width_and_keep_ids_whole() {
        for width in [MIN_WIDTH, 80, 100, 120, 200] {
            let text = checks(width);
            for l in text.lines() {
                assert!(width_of(l) <= width, "{width}: {l:?}\n{text}");
            }
            for c in all_checks() {
                let m = c.meta();
                assert!(
                    text.lines()
                        .any(|l| l.split_whitespace().next() == Some(m.id)),
                    "{}: {text}",
                    m.id
                );
                let words: Vec<&str> = text.split_whitespace().collect();
                for w in m.title.split_whitespace() {
                    assert!(words.contains(&w), "{}: {w}", m.id);
                }
                for i in m.incidents {
                    assert!(text.split([' ', ',', '\n']).any(|w| w == *i), "{i}");
                }
            }
        }
    }

    #[test]
    fn explain_fits_and_shows_every_section_of_the_checks_doc() {
        for c in all_checks() {
            let m = c.meta();
            for width in [80, 120] {
                let text = explain(*c, width);
                for l in text.lines() {
                    // Only a word longer than a line (a command to copy) may pass the
                    // width, alone on its line.
                    let alone = l.split_whitespace().count() == 1;
                    assert!(width_of(l) <= width || alone, "{}: {l:?}", m.id);
                }
                let flat = flat(&text);
                for part in [
                    "What it does",
                    "Why is this bad",
                    "How to fix",
                    "Incidents",
                    "API calls and IAM actions",
                    m.remediation(),
                    m.rationale(),
                    m.description(),
                ] {
                    assert!(flat.contains(&self::flat(part)), "{}: no {part}", m.id);
                }
                for action in m.iam_actions() {
                    assert!(text.contains(action), "{}: no {action}", m.id);
                }
            }
        }
    }
}
