//! A check's metadata and documentation: id, title, severity, scope, incidents, the
//! sources it reads, and its one documentation text.

use std::sync::OnceLock;

use crate::severity::Severity;
use crate::source::Source;

/// Where a check's results are scoped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Scope {
    /// One result for the account (or per account-wide resource, such as an IAM user).
    Account,
    /// One result per scanned region (or per regional resource).
    Region,
    /// One result per account about its organization: a real answer from the management
    /// account or IAM's delegated administrator, "nothing to inspect" from any other.
    Organization,
}

impl Scope {
    /// `account`, `region` or `organization`, as `hiyari checks` and the docs write it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A check's metadata, declared next to its logic.
#[derive(Debug)]
pub struct CheckMeta {
    /// Stable kebab-case id; other tools and tests rely on it.
    pub id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub scope: Scope,
    /// Incident tags (docs/incidents.md) that this check answers.
    pub incidents: &'static [&'static str],
    pub sources: &'static [Source],
    /// The check's documentation: the doc comment of its struct (see [`check!`]).
    pub doc: Doc,
}

/// A check's one documentation text: a summary paragraph, then the sections
/// `## What it does`, `## Why is this bad` and `## How to fix` (Markdown). The
/// incidents and the API calls and IAM actions are not written: they are generated from
/// [`CheckMeta::incidents`] and [`CheckMeta::sources`].
#[derive(Debug)]
pub struct Doc {
    text: &'static str,
    sections: OnceLock<DocSections>,
}

#[derive(Debug, Default)]
struct DocSections {
    summary: String,
    what: String,
    why: String,
    fix: String,
    unknown: Vec<String>,
}

/// The section headings a check's documentation has, in order.
pub const DOC_SECTIONS: [&str; 3] = ["What it does", "Why is this bad", "How to fix"];

impl Doc {
    pub const fn new(text: &'static str) -> Self {
        Doc {
            text,
            sections: OnceLock::new(),
        }
    }

    /// The text as written (the doc comment, each line without the space after `///`).
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        for line in self.text.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line).trim_end());
            out.push('\n');
        }
        out.trim().to_string()
    }

    fn sections(&self) -> &DocSections {
        self.sections.get_or_init(|| {
            let mut s = DocSections::default();
            let mut current = String::new();
            let mut heading: Option<String> = None;
            let text = self.markdown();
            let flush = |heading: &Option<String>, body: &str, s: &mut DocSections| {
                let body = prose(body);
                match heading.as_deref() {
                    None => s.summary = body,
                    Some("What it does") => s.what = body,
                    Some("Why is this bad") => s.why = body,
                    Some("How to fix") => s.fix = body,
                    Some(other) => s.unknown.push(other.to_string()),
                }
            };
            for line in text.lines() {
                if let Some(h) = line.strip_prefix("## ") {
                    flush(&heading, &current, &mut s);
                    heading = Some(h.trim().to_string());
                    current.clear();
                } else {
                    current.push_str(line);
                    current.push('\n');
                }
            }
            flush(&heading, &current, &mut s);
            s
        })
    }

    /// The paragraph before the first section: what fails, in one sentence or two.
    pub fn summary(&self) -> &str {
        &self.sections().summary
    }

    /// `## What it does`: exactly what is checked.
    pub fn what(&self) -> &str {
        &self.sections().what
    }

    /// `## Why is this bad`: why it matters, telling the incidents.
    pub fn why(&self) -> &str {
        &self.sections().why
    }

    /// `## How to fix`: the remediation every finding of the check carries.
    pub fn fix(&self) -> &str {
        &self.sections().fix
    }

    /// Headings other than [`DOC_SECTIONS`] (a test keeps this empty).
    pub fn unknown_sections(&self) -> &[String] {
        &self.sections().unknown
    }
}

/// Markdown prose as one line per paragraph: the lines of a paragraph joined with one
/// space, paragraphs separated by a blank line.
fn prose(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

impl CheckMeta {
    /// What is checked, exactly (the doc's `What it does`).
    pub fn description(&self) -> &str {
        self.doc.what()
    }

    /// Why it matters, telling the incidents (the doc's `Why is this bad`).
    pub fn rationale(&self) -> &str {
        self.doc.why()
    }

    /// How to fix it (the doc's `How to fix`): each finding's `remediation`.
    pub fn remediation(&self) -> &str {
        self.doc.fix()
    }

    /// The API calls of this check's sources, in order, without duplicates.
    pub fn api_calls(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = Vec::new();
        for c in self
            .sources
            .iter()
            .flat_map(|s| s.api_calls().iter().copied())
        {
            if !v.contains(&c) {
                v.push(c);
            }
        }
        v
    }

    /// The IAM actions this check needs, sorted and without duplicates.
    pub fn iam_actions(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self
            .sources
            .iter()
            .flat_map(|s| s.iam_actions().iter().copied())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}
