//! Terminal text laid out to a width: lines break at spaces, and a token longer than its
//! line (an id, an ARN, a region) is never broken across lines: it is shortened with `…`
//! in its middle, keeping its start and its end, since the full value is in the machine
//! formats. Shared by the table report, `hiyari checks` and `hiyari explain`.
//!
//! Written here rather than with `textwrap`: textwrap breaks a word longer than the line
//! into pieces (or lets it overflow); neither keeps an ARN whole and the line in width.

/// The width of `s` in columns (one per character).
pub fn width_of(s: &str) -> usize {
    s.chars().count()
}

/// `token` in at most `max` columns: as it is when it fits, else its start, `…` and its
/// end.
pub fn shorten(token: &str, max: usize) -> String {
    let chars: Vec<char> = token.chars().collect();
    if chars.len() <= max {
        return token.to_string();
    }
    if max <= 1 {
        return "…".to_string();
    }
    let head = (max - 1) / 2;
    let tail = max - 1 - head;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// `s` in lines of at most `width` columns, broken at spaces.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    wrap_hanging(s, width, width)
}

/// `s` in a first line of at most `first` columns and further lines of at most `rest`,
/// broken at spaces; a word longer than its line is shortened ([`shorten`]).
pub fn wrap_hanging(s: &str, first: usize, rest: usize) -> Vec<String> {
    lay_out(s, first, rest, true)
}

/// [`wrap`] for text whose every character counts (a command to copy in a check's
/// documentation, whose full value is nowhere else on the screen): a word longer than
/// its line is kept whole on a line of its own, wider than the others.
pub fn wrap_keeping_words(s: &str, width: usize) -> Vec<String> {
    lay_out(s, width, width, false)
}

fn lay_out(s: &str, first: usize, rest: usize, shorten_long: bool) -> Vec<String> {
    let (first, rest) = (first.max(1), rest.max(1));
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let limit = |lines: &Vec<String>| if lines.is_empty() { first } else { rest };
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let used = width_of(&line);
        if used > 0 && used + 1 + width_of(word) <= limit(&lines) {
            line.push(' ');
            line.push_str(word);
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
        }
        line = if shorten_long {
            shorten(word, limit(&lines))
        } else {
            word.to_string()
        };
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `s` padded with spaces to `width` columns.
pub fn pad(s: &str, width: usize) -> String {
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(width_of(s))));
    out
}

/// `text` as an indented paragraph: every line starts with `indent` and fits `width`
/// (but for a word longer than a line, kept whole: see [`wrap_keeping_words`]).
pub fn indented(text: &str, indent: &str, width: usize) -> Vec<String> {
    let inner = width.saturating_sub(width_of(indent)).max(1);
    wrap_keeping_words(text, inner)
        .into_iter()
        .map(|l| format!("{indent}{l}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_shortens_only_overlong_words() {
        assert_eq!(wrap("a bb ccc dddd", 6), ["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("abcdefgh", 5), ["ab…gh"]);
        assert_eq!(wrap("", 5), [""]);
        assert_eq!(wrap("x  y", 10), ["x y"]);
    }

    #[test]
    fn a_token_keeps_its_start_and_end() {
        let arn = "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_SecurityAudit_5c2f7e8a9b1d3f46/taro";
        let s = shorten(arn, 40);
        assert_eq!(width_of(&s), 40);
        assert!(s.starts_with("arn:aws:sts::123456…"), "{s}");
        assert!(s.ends_with("c2f7e8a9b1d3f46/taro"), "{s}");
        assert_eq!(shorten("us-east-1", 9), "us-east-1");
    }
}
