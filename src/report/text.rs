//! Escaping and shortening of untrusted text for each output syntax (terminal, XML,
//! Markdown, HTML prose, CSV cells); [`super::common`] re-exports all of it.

/// Makes text safe for a terminal: what [`is_hostile`] names (escape sequences, line
/// breaks, bidirectional overrides) is shown as `\u{..}` escapes instead of acting on
/// the screen, and very long values are cut.
pub fn sanitize_terminal(s: &str) -> String {
    escaped(s, 512, |_| "…[cut]".to_string())
}

/// At most `max` characters of `s`, each that [`is_hostile`] names shown as a `\u{..}`
/// escape, and `cut(characters left out)` after them when `s` is longer.
fn escaped(s: &str, max: usize, cut: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(s.len().min(4 * max));
    for (n, c) in s.chars().enumerate() {
        if n == max {
            out.push_str(&cut(s.chars().count() - n));
            break;
        }
        if is_hostile(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// At most `max` characters of `s`, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// True for characters that must not act in a document: control characters (escape
/// sequences, carriage returns, newlines, NUL), bidirectional overrides that reorder
/// what is shown, line separators, and the non-characters XML forbids.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{FFFE}'
                | '\u{FFFF}'
        )
        || is_invisible(c)
}

/// Characters that take no space and show nothing (zero-width space, joiners, word
/// joiner, invisible operators, the byte order mark, the soft hyphen, Hangul fillers):
/// `ab` and `ab\u{200d}` would look like one name.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2065}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// The most characters of one text (a name, a message, a description) that the human
/// formats (Markdown, HTML, CSV, JUnit) show: a longer one is cut there, and says so.
/// The table shows at most 512 ([`sanitize_terminal`]). Documented in
/// docs/guide/limits.md.
pub const MAX_SHOWN: usize = 1000;

/// `s` with every control character, bidirectional override and XML non-character
/// shown as a `\u{..}` escape: the text reads the same in any viewer and cannot change
/// the layout (no line breaks, no reordering).
///
/// At most [`MAX_SHOWN`] characters are shown; a longer text ends with
/// `…[cut: N more characters]`.
pub fn visible(s: &str) -> String {
    escaped(s, MAX_SHOWN, |rest| {
        format!("…[cut: {rest} more characters]")
    })
}

/// Escapes text for XML and HTML, in element content and in quoted attribute values
/// alike. Control characters become visible escapes first (XML 1.0 cannot carry most
/// of them at all).
pub fn xml(s: &str) -> String {
    let v = visible(s);
    let mut out = String::with_capacity(v.len() + 16);
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for inline Markdown (CommonMark and GitHub's dialect), in paragraphs,
/// list items and table cells: every character that can start inline markup gets a
/// backslash (emphasis, code, links and images — `(` and `!` are inert once `[` is
/// escaped —, raw HTML and autolinks, entities, table cells, strikethrough, math,
/// mentions), and line breaks become visible escapes, so the text stays one line of
/// plain text and no line of it can start a block.
///
/// A word that could be read as a link (with `:`, `@`, `www.` or a dot between two
/// letters or digits: `http://x.example`, `a@b.example`, `evil.example`) is a code span
/// instead: GitHub's autolinks, and the linkify of other renderers, find links in text
/// after escapes are resolved, but never inside code.
pub fn markdown(s: &str) -> String {
    let v = visible(s);
    let mut out = String::with_capacity(v.len() + 16);
    let mut word = String::new();
    for c in v.chars().chain(std::iter::once(' ')) {
        if !c.is_whitespace() {
            word.push(c);
            continue;
        }
        if link_shaped(&word) {
            // `|` would end a table cell even inside a code span: it stays outside.
            for (i, part) in word.split('|').enumerate() {
                if i > 0 {
                    out.push_str("\\|");
                }
                if !part.is_empty() {
                    out.push_str(&markdown_code(part));
                }
            }
        } else {
            for w in word.chars() {
                if matches!(
                    w,
                    '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '$' | '&' | '@'
                ) {
                    out.push('\\');
                }
                out.push(w);
            }
        }
        word.clear();
        out.push(c);
    }
    out.pop();
    out
}

/// Whether a renderer could turn `word` into a link: a scheme (`http:`, `mailto:`: a
/// letter, `:`, then a letter, a digit or `/`), a mail address (`@` between two letters
/// or digits) or a domain name (a dot between a letter or digit and a letter: `www.x`,
/// `evil.example`). Times (`10:00`), versions (`0.1.0`) and a word ending in `:` or `.`
/// stay plain text.
fn link_shaped(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    let before = |i: usize| i.checked_sub(1).map(|j| chars[j]);
    let after = |i: usize| chars.get(i + 1).copied();
    chars.iter().enumerate().any(|(i, &c)| match c {
        ':' => {
            before(i).is_some_and(|b| b.is_ascii_alphabetic())
                && after(i).is_some_and(|a| a.is_alphanumeric() || a == '/')
        }
        '@' => {
            before(i).is_some_and(char::is_alphanumeric)
                && after(i).is_some_and(char::is_alphanumeric)
        }
        '.' => {
            before(i).is_some_and(char::is_alphanumeric)
                && after(i).is_some_and(char::is_alphabetic)
        }
        _ => false,
    })
}

/// An inline Markdown code span holding `s` literally: for identifiers (resource ids,
/// ARNs, regions). Nothing inside a code span is markup (no links, no HTML, no
/// mentions); the fence is one backtick longer than the longest run of backticks in the
/// text, and the padding spaces are the ones CommonMark strips.
pub fn markdown_code(s: &str) -> String {
    let v = visible(s);
    let mut longest = 0;
    let mut run = 0;
    for c in v.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    format!("{fence} {v} {fence}")
}

/// Prose with `code` spans (the checks' descriptions and remediations): its plain parts
/// and its code parts, in order. A backtick with no partner opens a code part that runs
/// to the end.
pub fn prose_parts(s: &str) -> Vec<(bool, &str)> {
    s.split('`')
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| (i % 2 == 1, part))
        .collect()
}

/// Prose with `code` spans as Markdown: plain parts escaped, code parts as code spans.
pub fn markdown_prose(s: &str) -> String {
    prose_parts(s)
        .into_iter()
        .map(|(code, p)| if code { markdown_code(p) } else { markdown(p) })
        .collect()
}

/// Prose with `code` spans as HTML: plain parts escaped, code parts in `<code>`.
pub fn html_prose(s: &str) -> String {
    prose_parts(s)
        .into_iter()
        .map(|(code, p)| {
            if code {
                format!("<code>{}</code>", xml(p))
            } else {
                xml(p)
            }
        })
        .collect()
}

/// One CSV cell's text, before quoting: a cell a spreadsheet would read as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`,
/// so it is shown as text and never evaluated. Control characters become visible
/// escapes first. Quoting (RFC 4180) is `csv::Writer`'s, in [`super::csv`]: no CSV
/// writer knows about formulas, so this guard is hiyari's own.
pub fn csv(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let mut v = visible(s);
    if formula {
        v.insert(0, '\'');
    }
    v
}
