//! Reading the JSON files hiyari is given (inventories, reports): one clear line for a
//! file that is empty, too large, not text, not JSON, or the other kind of hiyari file.
//! These files may come from elsewhere (another team's shard, a downloaded artifact),
//! so nothing in them may panic hiyari or make it read without bound.

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use serde::Deserialize;

/// The largest input file hiyari reads (inventories, reports): 256 MiB. A report of
/// thousands of accounts is tens of MiB; a file larger than this is refused before it
/// is read, instead of costing gigabytes of memory to parse.
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// The largest configuration file hiyari reads: 16 MiB (some 200,000 accepted risks).
pub const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// Reads a configuration file as text, as [`read_text`] does with its own limit.
pub fn read_config(path: &Path) -> Result<String> {
    // An empty configuration is a valid one: every default.
    read_file_within(
        path,
        "configuration",
        "give a hiyari.toml (`hiyari init` writes one)",
        MAX_CONFIG_BYTES,
    )
}

/// Reads `path` as text; `what` names the kind of file ("inventory", "report") and
/// `hint` says where a good one comes from.
pub fn read_text(path: &Path, what: &str, hint: &str) -> Result<String> {
    read_text_within(path, what, hint, MAX_INPUT_BYTES)
}

fn read_text_within(path: &Path, what: &str, hint: &str, limit: u64) -> Result<String> {
    let text = read_file_within(path, what, hint, limit)?;
    if text.trim().is_empty() {
        return Err(anyhow!("{} is empty; {hint}", path.display()));
    }
    Ok(text)
}

/// A regular file of at most `limit` bytes, as UTF-8 text (possibly empty).
fn read_file_within(path: &Path, what: &str, hint: &str, limit: u64) -> Result<String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let too_big = |size: &str| {
        anyhow!(
            "{} is {size}; hiyari reads {what} files of at most {} MiB",
            path.display(),
            limit >> 20
        )
    };
    let not_a_file = || {
        anyhow!(
            "{} is not a regular file (a FIFO, a device or a directory); hiyari reads {what} files only: {hint}",
            path.display()
        )
    };
    // A FIFO would block the open until a writer came, and a device (/dev/zero,
    // /dev/urandom) never ends: only a regular file is read. Opened without blocking,
    // then checked again, so that a FIFO put in its place after the first look cannot
    // hold hiyari either.
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    let m = file
        .metadata()
        .with_context(|| format!("cannot read {what} {}", path.display()))?;
    if !m.is_file() {
        return Err(not_a_file());
    }
    if m.len() > limit {
        return Err(too_big(&format!("{} MiB", m.len().div_ceil(1 << 20))));
    }
    // Counted while reading too: a file still growing has no final size up front.
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
    Ok(text)
}

/// Whether `name` has the shape of an AWS region name (`ap-northeast-1`,
/// `us-gov-west-1`, `us-isob-east-1`): lower-case words joined by `-`, the first of two
/// letters, the last a number; at most 32 characters.
pub fn is_region_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    name.len() <= 32
        && parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|n| (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Refuses an inventory whose region names (each account's `home_region`, scanned,
/// skipped and collected regions) are not region names: they are used as names
/// everywhere after, in every finding of a region and in every output.
pub fn check_inventory_names(inv: &hiyari_checks::Inventory, path: &Path) -> Result<()> {
    for (i, a) in inv.accounts.iter().enumerate() {
        let named = a
            .home_region
            .iter()
            .map(|r| ("home_region", r))
            .chain(a.regions.scanned.iter().map(|r| ("regions.scanned", r)))
            .chain(
                a.regions
                    .skipped
                    .iter()
                    .map(|r| ("regions.skipped", &r.region)),
            )
            .chain(a.regional.keys().map(|r| ("regional", r)));
        for (field, r) in named {
            if !is_region_name(r) {
                bail!(
                    "{}: account #{} has `{field}` `{}`, which is not an AWS region name (such as ap-northeast-1)",
                    path.display(),
                    i + 1,
                    clean(&r.chars().take(64).collect::<String>())
                );
            }
        }
    }
    Ok(())
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

/// A JSON file one hiyari command saves and another reads back (an inventory, a sweep
/// inventory), as [`read_saved`] refuses what is not one.
pub struct Saved {
    /// The kind of file: "inventory", "sweep inventory".
    pub kind: &'static str,
    /// Its `schema`.
    pub schema: &'static str,
    /// Where a good one comes from, said in every refusal.
    pub make: &'static str,
    /// What a file of another of hiyari's schemas is and where it goes instead, if that
    /// schema is one a user may give here by mistake.
    pub other: fn(&str) -> Option<String>,
}

/// Reads a file of `saved`'s kind: one clear line for a file that is not JSON, names a
/// key twice, has no `schema` or another one, or does not parse into `T`.
pub fn read_saved<T: serde::de::DeserializeOwned>(path: &Path, saved: &Saved) -> Result<T> {
    let text = read_text(path, saved.kind, saved.make)?;
    let invalid = |e: serde_json::Error| {
        anyhow!(
            "{} is not a valid hiyari {} ({}); {}",
            path.display(),
            saved.kind,
            json_error(&e, &text),
            saved.make
        )
    };
    match unique_keys_and_schema(&text).map_err(invalid)? {
        Some(s) if s == saved.schema => {}
        Some(s) => match (saved.other)(&s) {
            Some(what) => bail!("{} {what}", path.display()),
            None => bail!(
                "{} has schema `{}`; hiyari reads `{}` here ({})",
                path.display(),
                clean(&s),
                saved.schema,
                saved.make
            ),
        },
        None => bail!(
            "{} is not a hiyari {} (no `schema` field); {}",
            path.display(),
            saved.kind,
            saved.make
        ),
    }
    serde_json::from_str(&text).map_err(invalid)
}

/// Checks that no JSON object in `text` names a key twice, holding only the keys of
/// the objects being read (serde_json keeps the last of two keys silently, and a
/// report that says `"status": "fail"` and then `"status": "pass"` means both), and
/// gives the top-level `schema` when it is a string; `Ok(None)` for JSON that is not an
/// object or has no string `schema`. The error of a key given twice names the key (cut
/// to a line) and is a data error (`is_data`); serde_json adds its position.
pub fn unique_keys_and_schema(text: &str) -> Result<Option<String>, serde_json::Error> {
    serde_json::from_str::<TopLevel>(text).map(|t| t.0)
}

/// A JSON document read for [`unique_keys_and_schema`]: its top-level `schema`.
struct TopLevel(Option<String>);

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(TopLevelVisitor)
    }
}

struct TopLevelVisitor;

impl<'de> serde::de::Visitor<'de> for TopLevelVisitor {
    type Value = TopLevel;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<TopLevel, A::Error> {
        let mut keys = std::collections::HashSet::new();
        let mut schema = None;
        while let Some(key) = map.next_key::<String>()? {
            if !keys.insert(key.clone()) {
                return Err(twice::<A::Error>(&key));
            }
            if key == "schema" {
                schema = map
                    .next_value::<serde_json::Value>()?
                    .as_str()
                    .map(str::to_string);
            } else {
                map.next_value::<Unique>()?;
            }
        }
        Ok(TopLevel(schema))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        seq: A,
    ) -> std::result::Result<TopLevel, A::Error> {
        UniqueVisitor.visit_seq(seq).map(|_| TopLevel(None))
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel(None))
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel(None))
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel(None))
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel(None))
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel(None))
    }
    fn visit_unit<E>(self) -> std::result::Result<TopLevel, E> {
        Ok(TopLevel(None))
    }
}

/// The error of a key given twice, the key cut to a line.
fn twice<E: serde::de::Error>(key: &str) -> E {
    let mut shown: String = key.chars().take(80).collect();
    if shown.len() < key.len() {
        shown.push('…');
    }
    E::custom(format!("the key `{shown}` is given twice in one object"))
}

/// Any JSON value, read for [`unique_keys_and_schema`] and dropped as it is read.
struct Unique;

impl<'de> Deserialize<'de> for Unique {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor)
    }
}

struct UniqueVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueVisitor {
    type Value = Unique;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> std::result::Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_str<E>(self, _: &str) -> std::result::Result<Unique, E> {
        Ok(Unique)
    }
    fn visit_unit<E>(self) -> std::result::Result<Unique, E> {
        Ok(Unique)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Unique, A::Error> {
        while seq.next_element::<Unique>()?.is_some() {}
        Ok(Unique)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Unique, A::Error> {
        let mut keys = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !keys.insert(key.clone()) {
                return Err(twice::<A::Error>(&key));
            }
            map.next_value::<Unique>()?;
        }
        Ok(Unique)
    }
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
    fn a_key_given_twice_in_one_object_is_refused_where_it_is() {
        let text = "{\"findings\": [{\"status\": \"fail\",\n \"status\": \"pass\"}]}";
        let e = unique_keys_and_schema(text).unwrap_err();
        let msg = json_error(&e, text);
        assert!(msg.starts_with("line 2, column "), "{msg}");
        assert!(
            msg.ends_with(": the key `status` is given twice in one object"),
            "{msg}"
        );
        unique_keys_and_schema(
            "{\"a\": {\"status\": 1}, \"b\": {\"status\": 2}, \"c\": [{\"k\": 1}, {\"k\": 2}]}",
        )
        .unwrap();
    }

    #[test]
    fn schema_is_probed_without_a_model() {
        assert_eq!(
            unique_keys_and_schema(r#"{"findings": [], "schema": "hiyari.report/v1"}"#).unwrap(),
            Some("hiyari.report/v1".to_string())
        );
        assert_eq!(unique_keys_and_schema(r#"{"schema": 1}"#).unwrap(), None);
        assert_eq!(unique_keys_and_schema("[1, 2]").unwrap(), None);
        assert!(unique_keys_and_schema("[1, 2").is_err());
        assert!(unique_keys_and_schema(r#"{"schema": "x", "#).is_err());
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
    }

    #[test]
    fn region_names() {
        for ok in [
            "ap-northeast-1",
            "us-gov-west-1",
            "us-isob-east-1",
            "eu-central-2",
            "il-central-1",
        ] {
            assert!(is_region_name(ok), "{ok}");
        }
        let long = format!("us-{}-1", "a".repeat(100));
        for bad in [
            "",
            "us-east",
            "US-EAST-1",
            "us-east-1a",
            "u-east-1",
            "us--1",
            "us-east-123",
            "us-east-1\n",
            long.as_str(),
        ] {
            assert!(!is_region_name(bad), "{bad}");
        }
    }

    #[test]
    fn devices_fifos_and_links_to_them_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("hiyari.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let link = dir.path().join("random.json");
        std::os::unix::fs::symlink("/dev/urandom", &link).unwrap();
        for p in [Path::new("/dev/zero"), &fifo, &link, dir.path()] {
            let e = read_text_within(p, "report", "hint", 1 << 20).unwrap_err();
            assert!(
                e.to_string().contains("is not a regular file"),
                "{}: {e}",
                p.display()
            );
        }
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
