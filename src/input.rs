//! Reading the JSON files hiyari is given (inventories, reports): one clear line for a
//! file that is empty, too large, not text, not JSON, or the other kind of hiyari file.
//! These files may come from elsewhere (another team's shard, a downloaded artifact),
//! so nothing in them may panic hiyari or make it read without bound.

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use serde::Deserialize;

/// The largest input file hiyari reads (inventories, reports): 256 MiB. A report of
/// thousands of accounts is tens of MiB; a file larger than this is refused before it
/// is read, instead of costing gigabytes of memory to parse.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Reads `path` as text; `what` names the kind of file ("inventory", "report") and
/// `hint` says where a good one comes from.
pub fn read_text(path: &Path, what: &str, hint: &str) -> Result<String> {
    read_text_within(path, what, hint, MAX_INPUT_BYTES)
}

fn read_text_within(path: &Path, what: &str, hint: &str, limit: u64) -> Result<String> {
    use std::io::Read;
    let too_big = |size: &str| {
        anyhow!(
            "{} is {size}; hiyari reads {what} files of at most {} MiB",
            path.display(),
            limit >> 20
        )
    };
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if let Ok(m) = file.metadata() {
        if m.is_file() && m.len() > limit {
            return Err(too_big(&format!("{} MiB", m.len().div_ceil(1 << 20))));
        }
    }
    // Counted while reading too: a pipe or a file still growing has no size up front.
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(&format!("over {} MiB", limit >> 20)));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "{} is not UTF-8 text (at byte {}); {hint}",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.trim().is_empty() {
        return Err(anyhow!("{} is empty; {hint}", path.display()));
    }
    Ok(text)
}

/// Text taken from an input file (a value serde quotes in its error, a schema name,
/// an account id), made safe to print: escapes and line breaks cannot act on the
/// terminal or split the one error line, and a huge value is cut.
pub fn clean(text: &str) -> String {
    crate::report::sanitize_terminal(text)
}

/// A JSON error with its position said once: `line 3, column 7: expected value`, or,
/// at the end of the input, `the file ends early, at line 2: EOF while parsing a list`.
/// Values the error quotes from the file are [`clean`]ed; `text` is what was parsed.
pub fn json_error(e: &serde_json::Error, text: &str) -> String {
    clean(&json_error_raw(e, text))
}

fn json_error_raw(e: &serde_json::Error, text: &str) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let msg = full.strip_suffix(&suffix).unwrap_or(&full);
    if e.line() == 0 {
        msg.to_string()
    } else if e.is_eof() || (e.is_syntax() && at_end(text, e.line(), e.column())) {
        format!("the file ends early, at line {}: {msg}", e.line())
    } else {
        format!("line {}, column {}: {msg}", e.line(), e.column())
    }
}

/// Whether a position (1-based line, byte column) is the last byte of `text` before
/// trailing whitespace. serde_json says `invalid number` rather than EOF for a file cut
/// inside a number (`0.`, `-`, `1e`): that file too ends early.
fn at_end(text: &str, line: usize, column: usize) -> bool {
    let body = text.trim_end();
    let last = body.rsplit('\n').next().unwrap_or("");
    line == body.split('\n').count() && column >= last.len()
}

/// The top-level `schema` of a JSON document, the rest only checked to be JSON.
/// `Ok(None)` for JSON that is not an object or has no string `schema`.
pub fn schema_of(text: &str) -> Result<Option<String>, serde_json::Error> {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        schema: Option<serde_json::Value>,
    }
    if !text.trim_start().starts_with('{') {
        serde_json::from_str::<serde::de::IgnoredAny>(text)?;
        return Ok(None);
    }
    let probe: Probe = serde_json::from_str(text)?;
    Ok(probe.schema.and_then(|s| s.as_str().map(str::to_string)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        json_error(
            &serde_json::from_str::<serde_json::Value>(text).unwrap_err(),
            text,
        )
    }

    #[test]
    fn values_quoted_from_the_file_cannot_act_on_the_terminal() {
        #[derive(Debug, serde::Deserialize)]
        enum Status {
            #[allow(dead_code)]
            Pass,
        }
        let e = serde_json::from_str::<Status>("\"\\u001b[2J\\r\\nfake line\"").unwrap_err();
        let msg = json_error(&e, "");
        assert!(!msg.chars().any(|c| c.is_control()), "{msg:?}");
        assert!(msg.contains("\\u{1b}[2J\\u{d}\\u{a}fake line"), "{msg}");
    }

    #[test]
    fn the_position_is_said_once() {
        assert_eq!(
            err("{\"accounts\": [\n"),
            "the file ends early, at line 2: EOF while parsing a list"
        );
        assert_eq!(
            err("{\"a\": 1,\n  x}"),
            "line 2, column 3: key must be a string"
        );
        // Cut inside a number: serde_json says `invalid number`, not EOF, for some.
        for cut in ["{\"a\": 1,\n  \"b\": 0.", "[-", "[1e", "[1e+", "[0.5e-"] {
            assert!(
                err(cut).starts_with("the file ends early, at line "),
                "{cut}: {}",
                err(cut)
            );
        }
        assert_eq!(err("[-x]"), "line 1, column 3: invalid number");
    }

    #[test]
    fn schema_is_probed_without_a_model() {
        assert_eq!(
            schema_of(r#"{"findings": [], "schema": "hiyari.report/v1"}"#).unwrap(),
            Some("hiyari.report/v1".to_string())
        );
        assert_eq!(schema_of(r#"{"schema": 1}"#).unwrap(), None);
        assert_eq!(schema_of("[1, 2]").unwrap(), None);
        assert!(schema_of("[1, 2").is_err());
        assert!(schema_of(r#"{"schema": "x", "#).is_err());
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_is_read_and_says_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.json");
        std::fs::write(&p, format!("{{\"a\": \"{}\"}}", "x".repeat(3 << 20))).unwrap();
        let e = read_text_within(&p, "report", "hint", 2 << 20).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{} is 4 MiB; hiyari reads report files of at most 2 MiB",
                p.display()
            )
        );
        assert!(read_text_within(&p, "report", "hint", 4 << 20).is_ok());
        // A pipe has no size up front: it is cut off while read.
        let e = read_text_within(Path::new("/dev/zero"), "report", "hint", 1 << 20).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/dev/zero is over 1 MiB; hiyari reads report files of at most 1 MiB"
        );
    }

    #[test]
    fn text_that_is_not_utf8_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("latin1.json");
        std::fs::write(&p, b"{\"a\": \"caf\xe9\"}").unwrap();
        let e = read_text(&p, "report", "give a report").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{} is not UTF-8 text (at byte 10); give a report",
                p.display()
            )
        );
    }

    #[test]
    fn an_empty_file_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("empty.json");
        std::fs::write(&p, "\n  \n").unwrap();
        let e = read_text(&p, "inventory", "make one with `hiyari collect`").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("{} is empty; make one with `hiyari collect`", p.display())
        );
    }
}
