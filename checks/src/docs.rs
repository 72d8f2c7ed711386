//! Documentation generated from the registry: a page per check (`docs/checks/<id>.md`),
//! the README's checks table, and `hiyari checks --format markdown`. Each check's text
//! is its [`Doc`](crate::check::Doc); its incidents, API calls and IAM actions come from
//! its metadata. A test keeps the files in the repository equal to what this generates.

use std::fmt::Write;

use crate::check::{Check, CheckMeta};
use crate::registry::all_checks;

/// How to regenerate the files after changing a check (the stale-file test says it).
pub const REGENERATE: &str = "HIYARI_UPDATE_DOCS=1 cargo test -p hiyari-checks generated_docs";

/// The markers around the generated table in README.md.
pub const README_BEGIN: &str =
    "<!-- checks:begin: generated from the check registry; edit the checks, not this table -->";
pub const README_END: &str = "<!-- checks:end -->";

/// The source file of a check, relative to the repository (its id in snake case).
pub fn source_file(m: &CheckMeta) -> String {
    format!("checks/src/checks/{}.rs", m.id.replace('-', "_"))
}

/// Markdown text with `<` outside code spans escaped, so that `<root_account>` shows.
fn md(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 0 {
            out.push_str(&part.replace('<', "&lt;"));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// The "what fails" phrase: the doc's summary without its "Fails when" and full stop.
pub fn what_fails(m: &CheckMeta) -> &str {
    let s = m.doc.summary();
    let s = ["Fails when ", "Fails on ", "Fails "]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .unwrap_or(s);
    s.strip_suffix('.').unwrap_or(s)
}

/// One check's page, `docs/checks/<id>.md`; `level` is the depth of its title heading.
pub fn check_page(check: &dyn Check, level: usize) -> String {
    let m = check.meta();
    let h = |n: usize| "#".repeat(level + n);
    let mut out = String::new();
    let _ = writeln!(out, "{} {}: {}\n", h(0), m.id, m.title);
    let _ = writeln!(
        out,
        "Severity: **{}**. Scope: {}.\n",
        m.severity,
        m.scope.as_str()
    );
    let mut heading_done = false;
    for line in m.doc.markdown().lines() {
        match line.strip_prefix("## ") {
            Some(title) => {
                let _ = writeln!(out, "{} {title}\n", h(1));
                heading_done = true;
            }
            None => {
                let _ = writeln!(out, "{}", md(line));
            }
        }
    }
    debug_assert!(heading_done);
    let _ = writeln!(out, "\n{} Incidents\n", h(1));
    for inc in m.incidents {
        let _ = writeln!(out, "- {inc} ([the story](../incidents.md))");
    }
    let _ = writeln!(out, "\n{} API calls and IAM actions\n", h(1));
    let code = |v: Vec<&str>| {
        v.iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "- API calls: {}", code(m.api_calls()));
    let _ = writeln!(out, "- IAM actions: {}", code(m.iam_actions()));
    out
}

/// A file in docs/checks/: the page with a header saying where it comes from.
pub fn check_file(check: &dyn Check) -> String {
    format!(
        "<!-- Generated from {} by the check registry: edit the check, then run `{REGENERATE}` -->\n\n{}",
        source_file(check.meta()),
        check_page(check, 1)
    )
}

/// The checks table (README.md, and the start of `hiyari checks --format markdown`);
/// `link` is the folder the pages are linked in.
pub fn checks_table(link: &str) -> String {
    let mut out = String::from("| id | severity | what fails |\n|---|---|---|\n");
    for c in all_checks() {
        let m = c.meta();
        let _ = writeln!(
            out,
            "| [{id}]({link}{id}.md) | {} | {} |",
            m.severity,
            md(what_fails(m)),
            id = m.id
        );
    }
    out
}

/// `hiyari checks --format markdown`: the table, then every check's page.
pub fn reference() -> String {
    let mut out = String::from("# hiyari checks\n\n");
    out.push_str(&checks_table("docs/checks/"));
    for c in all_checks() {
        out.push('\n');
        out.push_str(&check_page(*c, 2));
    }
    out
}

/// README.md with its checks table (between [`README_BEGIN`] and [`README_END`])
/// regenerated.
pub fn readme_with_table(readme: &str) -> Option<String> {
    let start = readme.find(README_BEGIN)? + README_BEGIN.len();
    let end = readme[start..].find(README_END)? + start;
    Some(format!(
        "{}\n{}{}",
        &readme[..start],
        checks_table("docs/checks/"),
        &readme[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The generated files are what the registry generates: docs/checks/<id>.md (one per
    /// check, no others) and README.md's checks table. With HIYARI_UPDATE_DOCS=1 the
    /// test writes them instead.
    #[test]
    fn generated_docs_are_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let update = std::env::var_os("HIYARI_UPDATE_DOCS").is_some();
        let dir = root.join("docs/checks");
        let mut expected: Vec<(std::path::PathBuf, String)> = all_checks()
            .iter()
            .map(|c| (dir.join(format!("{}.md", c.meta().id)), check_file(*c)))
            .collect();
        let readme_path = root.join("README.md");
        let readme = std::fs::read_to_string(&readme_path).unwrap();
        let new_readme = readme_with_table(&readme)
            .unwrap_or_else(|| panic!("README.md has no {README_BEGIN} ... {README_END}"));
        expected.push((readme_path, new_readme));
        let mut stale = Vec::new();
        if update {
            std::fs::create_dir_all(&dir).unwrap();
        }
        for (path, text) in &expected {
            if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
                if update {
                    std::fs::write(path, text).unwrap();
                } else {
                    stale.push(path.display().to_string());
                }
            }
        }
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if !expected.iter().any(|(p, _)| *p == path) {
                if update {
                    std::fs::remove_file(&path).unwrap();
                } else {
                    stale.push(format!("{} (no such check)", path.display()));
                }
            }
        }
        assert!(
            stale.is_empty(),
            "generated docs are stale: {}\nregenerate them with: {REGENERATE}",
            stale.join(", ")
        );
    }

    #[test]
    fn each_check_lives_in_the_file_its_page_names() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for c in all_checks() {
            let file = source_file(c.meta());
            let text = std::fs::read_to_string(root.join(&file)).unwrap();
            assert!(
                text.contains(&format!("id: \"{}\"", c.meta().id)),
                "{file} does not declare {}",
                c.meta().id
            );
        }
    }
}
