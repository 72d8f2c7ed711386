//! Tests that keep the repository's Markdown true to the repository: every relative link
//! reaches a file (and, in a Markdown file, the heading it names), and every code excerpt
//! of CONTRIBUTING.md is still, line for line, in the file it names. The guide moves and
//! the code changes; these make a dead link or a walkthrough that drifted from the code
//! fail the tests instead of misleading a reader.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// The repository: the workspace above this crate.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the checks crate is in the workspace")
        .to_path_buf()
}

/// Every Markdown file of the repository, outside hidden folders (`.git`, `.venv`) and
/// build output.
fn markdown_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            markdown_files(&path, out);
        } else if name.ends_with(".md") {
            out.push(path);
        }
    }
}

/// The anchor GitHub gives a heading: lower case, letters, digits, `-` and `_` kept,
/// spaces turned into `-`, everything else dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// What a Markdown file offers and asks for: the anchors of its headings (a repeated
/// heading's anchor gets `-1`, `-2`, as on GitHub) and the destinations of its links and
/// images.
struct Page {
    anchors: BTreeSet<String>,
    links: Vec<String>,
}

fn page(text: &str) -> Page {
    let mut anchors = BTreeSet::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut links = Vec::new();
    let mut heading: Option<String> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                let base = slug(&heading.take().unwrap_or_default());
                let n = seen.entry(base.clone()).or_insert(0);
                anchors.insert(match *n {
                    0 => base,
                    n => format!("{base}-{n}"),
                });
                *n += 1;
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                links.push(dest_url.to_string())
            }
            _ => {}
        }
    }
    Page { anchors, links }
}

/// `path` without its `.` and `..` components (the files need not exist).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// Why the link `dest` of the file `from` is dead, or `None` when it reaches its file
/// (and heading).
fn dead(root: &Path, from: &Path, dest: &str) -> Option<String> {
    if dest.contains("://") || dest.starts_with("mailto:") {
        return None;
    }
    let (file, anchor) = dest.split_once('#').unwrap_or((dest, ""));
    let target = if file.is_empty() {
        from.to_path_buf()
    } else if file.starts_with('/') {
        return Some("an absolute path: it breaks outside this checkout".into());
    } else {
        normalize(&from.parent().unwrap().join(file))
    };
    if !target.starts_with(root) {
        return Some("leaves the repository".into());
    }
    let name = target.strip_prefix(root).unwrap_or(&target).display();
    if !target.exists() {
        return Some(format!("{name} does not exist"));
    }
    let is_markdown = target.extension().is_some_and(|e| e == "md");
    if !anchor.is_empty() && is_markdown {
        let text = std::fs::read_to_string(&target).unwrap();
        if !page(&text).anchors.contains(anchor) {
            return Some(format!("{name} has no heading #{anchor}"));
        }
    }
    None
}

/// Every relative link of every Markdown file (README.md, CONTRIBUTING.md, docs/, the
/// guide, bench/ and examples/) reaches an existing file of the repository, and a link
/// to a heading of a Markdown file reaches a heading that is there.
#[test]
fn every_relative_link_in_the_markdown_resolves() {
    let root = normalize(&root());
    let mut files = Vec::new();
    markdown_files(&root, &mut files);
    for must in ["README.md", "CONTRIBUTING.md", "docs/guide/README.md"] {
        assert!(files.contains(&root.join(must)), "{must} was not read");
    }
    let mut broken = Vec::new();
    let mut checked = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for dest in page(&text).links {
            checked += 1;
            if let Some(why) = dead(&root, file, &dest) {
                let name = file.strip_prefix(&root).unwrap_or(file).display();
                broken.push(format!("{name}: ({dest}): {why}"));
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} links found: is the walk right?"
    );
    assert!(broken.is_empty(), "dead links:\n{}", broken.join("\n"));
}

#[test]
fn the_link_checker_sees_dead_files_and_headings() {
    let root = normalize(&root());
    let readme = root.join("README.md");
    let guide = root.join("docs/guide/README.md");
    assert_eq!(dead(&root, &readme, "docs/guide/README.md"), None);
    assert_eq!(dead(&root, &guide, "../../README.md#exit-codes"), None);
    assert_eq!(dead(&root, &guide, "https://example.com/x.md"), None);
    assert!(dead(&root, &readme, "docs/guide/no-such-page.md").is_some());
    assert!(dead(&root, &guide, "../../README.md#no-such-heading").is_some());
    assert!(dead(&root, &guide, "../../../elsewhere.md").is_some());
    assert!(dead(&root, &readme, "#no-such-heading").is_some());
}

#[test]
fn anchors_are_githubs() {
    let p = page("# The JSON report (`hiyari.report/v1`)\n\n## Try it, then run it: two commands\n\n## Notes\n\n## Notes\n");
    assert_eq!(
        p.anchors,
        BTreeSet::from([
            "the-json-report-hiyarireportv1".to_string(),
            "try-it-then-run-it-two-commands".to_string(),
            "notes".to_string(),
            "notes-1".to_string(),
        ])
    );
}

/// The marker a Markdown code block is preceded by when it quotes a file:
/// `<!-- excerpt: checks/src/checks/root_mfa.rs -->`.
const EXCERPT: &str = "<!-- excerpt:";

/// A code block of a Markdown text that quotes a file: the file, and the block.
#[derive(Debug)]
struct Excerpt {
    file: String,
    code: String,
}

/// The code blocks of `text`, each with the file named by the excerpt marker just before
/// it (`None` when there is none).
fn code_blocks(text: &str) -> Vec<(Option<String>, String, String)> {
    let mut out = Vec::new();
    let mut pending: Option<String> = None;
    let mut block: Option<(Option<String>, String, String)> = None;
    for event in Parser::new(text) {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                if let Some(rest) = html.trim().strip_prefix(EXCERPT) {
                    let file = rest.trim().trim_end_matches("-->").trim();
                    pending = Some(file.to_string());
                }
            }
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                block = Some((pending.take(), lang, String::new()));
            }
            Event::Text(t) if block.is_some() => block.as_mut().unwrap().2.push_str(&t),
            Event::End(TagEnd::CodeBlock) => out.extend(block.take()),
            // Anything else between the marker and the block: the marker is not this
            // block's.
            _ => pending = None,
        }
    }
    out
}

/// The excerpts of a Markdown text. A Rust block without a marker is an error: the
/// walkthroughs show code only as it is in the repository.
fn excerpts(text: &str) -> Result<Vec<Excerpt>, String> {
    let mut out = Vec::new();
    for (file, lang, code) in code_blocks(text) {
        match file {
            Some(file) => out.push(Excerpt { file, code }),
            None if lang == "rust" => {
                return Err(format!(
                    "a rust block without a `{EXCERPT} FILE -->` line before it:\n{code}"
                ))
            }
            None => {}
        }
    }
    Ok(out)
}

/// The block's lines, without blank lines before or after, are consecutive lines of
/// `file`, exactly.
fn is_excerpt_of(code: &str, file: &str) -> bool {
    let lines: Vec<&str> = code.lines().collect();
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    let (Some(start), Some(end)) = (start, end) else {
        return false;
    };
    let wanted = &lines[start..=end];
    let have: Vec<&str> = file.lines().collect();
    have.windows(wanted.len()).any(|w| w == wanted)
}

/// CONTRIBUTING.md's walkthroughs quote the code they describe: each quoted block is, word
/// for word, in the file its marker names, and the command that regenerates the docs is
/// the one the docs test prints.
#[test]
fn contributing_excerpts_are_in_the_files_they_name() {
    let root = root();
    let text = std::fs::read_to_string(root.join("CONTRIBUTING.md")).unwrap();
    let excerpts = excerpts(&text).unwrap_or_else(|e| panic!("CONTRIBUTING.md: {e}"));
    assert!(
        excerpts.len() >= 10,
        "CONTRIBUTING.md quotes {} blocks: are the markers read?",
        excerpts.len()
    );
    let mut drifted = Vec::new();
    for e in &excerpts {
        let file = std::fs::read_to_string(root.join(&e.file))
            .unwrap_or_else(|err| panic!("CONTRIBUTING.md quotes {}: {err}", e.file));
        if !is_excerpt_of(&e.code, &file) {
            drifted.push(format!("--- not in {}:\n{}", e.file, e.code));
        }
    }
    assert!(
        drifted.is_empty(),
        "CONTRIBUTING.md quotes code that is no longer in its file; copy it again from the file:\n{}",
        drifted.join("\n")
    );
    assert!(
        text.contains(crate::docs::REGENERATE),
        "CONTRIBUTING.md does not give the command that regenerates the docs: {}",
        crate::docs::REGENERATE
    );
}

#[test]
fn an_excerpt_must_be_whole_consecutive_lines() {
    let file = "fn a() {\n    let x = 1;\n    let y = 2;\n}\n";
    assert!(is_excerpt_of("\n    let x = 1;\n    let y = 2;\n\n", file));
    assert!(!is_excerpt_of("let x = 1;\n", file), "indentation counts");
    assert!(
        !is_excerpt_of("    let x = 1;\n}\n", file),
        "not consecutive"
    );
    assert!(
        !is_excerpt_of("\n\n", file),
        "an empty block quotes nothing"
    );

    let md = "Text.\n\n<!-- excerpt: a.rs -->\n```rust\nfn a() {\n```\n\n- item\n\n  <!-- excerpt: b.rs -->\n  ```rust\n  let x = 1;\n  ```\n\n```sh\ncargo test\n```\n";
    let got = excerpts(md).unwrap();
    assert_eq!(got.len(), 2);
    assert_eq!(
        (got[0].file.as_str(), got[0].code.as_str()),
        ("a.rs", "fn a() {\n")
    );
    assert_eq!(
        (got[1].file.as_str(), got[1].code.as_str()),
        ("b.rs", "let x = 1;\n")
    );
    // A marker separated from its block by text is not the block's.
    let stray = "<!-- excerpt: a.rs -->\n\nSome text.\n\n```rust\nfn a() {\n```\n";
    assert!(excerpts(stray).is_err());
}
