//! Reading the JSON files hiyari is given (inventories, reports): one clear line for a
//! file that is empty, is not JSON, or is the other kind of hiyari file.

use std::path::Path;

use anyhow::{anyhow, Context, Result};
use serde::Deserialize;

/// Reads `path` as text; `what` names the kind of file ("inventory", "report") and
/// `hint` says where a good one comes from.
pub fn read_text(path: &Path, what: &str, hint: &str) -> Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if text.trim().is_empty() {
        return Err(anyhow!("{} is empty; {hint}", path.display()));
    }
    Ok(text)
}

/// A JSON error with its position said once: `line 3, column 7: expected value`, or,
/// at the end of the input, `the file ends early, at line 2: EOF while parsing a list`.
pub fn json_error(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let msg = full.strip_suffix(&suffix).unwrap_or(&full);
    if e.line() == 0 {
        msg.to_string()
    } else if e.is_eof() {
        format!("the file ends early, at line {}: {msg}", e.line())
    } else {
        format!("line {}, column {}: {msg}", e.line(), e.column())
    }
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
        json_error(&serde_json::from_str::<serde_json::Value>(text).unwrap_err())
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
