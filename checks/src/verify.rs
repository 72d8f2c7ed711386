//! What a report read back from a file must be before it is merged or compared: its
//! findings identified by account and id, each id the stable hash of the finding's own
//! check, account, region and resource, no two different findings with one id, and its
//! times real RFC 3339 instants. Reports come from other machines and other teams (an
//! organization's shards): a crafted one must not replace or hide another account's
//! findings.

use std::collections::BTreeMap;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::finding::{stable_id, Finding};

/// How a finding is quoted in a message: at most this many characters of each field.
const QUOTED: usize = 80;

/// `text` on one line, at most [`QUOTED`] characters, control characters escaped.
fn quote(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == QUOTED {
            out.push('…');
            break;
        }
        if c.is_control() || invisible(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that show as nothing (zero-width ones, bidirectional controls).
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// The finding as a message names it: its position in the file, check and account.
fn named(i: usize, f: &Finding) -> String {
    format!(
        "finding #{} (check `{}`, account {}, id {})",
        i + 1,
        quote(&f.check),
        quote(&f.account),
        quote(&f.id)
    )
}

/// The findings of the report in `file`, with exact duplicates removed (and how many
/// there were). Refuses a finding whose id is not the hash of its check, account,
/// region and resource, and two different findings with one account and id.
pub fn findings(findings: Vec<Finding>, file: &str) -> Result<(Vec<Finding>, usize), String> {
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut duplicates = 0;
    for (i, f) in findings.into_iter().enumerate() {
        let expected = stable_id(&f.check, &f.account, f.region.as_deref(), &f.resource);
        if f.id != expected {
            return Err(format!(
                "{file}: {} has an id that is not the hash of its check, account, region and resource: the report was altered or not written by hiyari",
                named(i, &f)
            ));
        }
        match seen.get(&(f.account.clone(), f.id.clone())) {
            Some(&k) if kept[k] == f => duplicates += 1,
            Some(&k) => {
                return Err(format!(
                    "{file}: {} and an earlier finding (check `{}`, status {}) have one id but differ: which one holds is unknown",
                    named(i, &f),
                    quote(&kept[k].check),
                    kept[k].status.as_str()
                ))
            }
            None => {
                seen.insert((f.account.clone(), f.id.clone()), kept.len());
                kept.push(f);
            }
        }
    }
    Ok((kept, duplicates))
}

/// A timestamp of a report: an RFC 3339 date and time (`2026-11-22T10:00:00Z`,
/// `2026-11-22T19:00:00+09:00`).
pub fn instant(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

/// Refuses a report time that is not RFC 3339; `field` names it. An empty time (a report
/// that did not say) passes.
pub fn time_field(text: &str, field: &str, file: &str) -> Result<(), String> {
    if text.is_empty() || instant(text).is_some() {
        Ok(())
    } else {
        Err(format!(
            "{file}: `{field}` is `{}`, which is not an RFC 3339 date and time (such as 2026-11-22T10:00:00Z)",
            quote(text)
        ))
    }
}

/// The earlier (`earliest`) or later of two report times, compared as instants (an
/// offset of +14:00 is 14 hours before the same clock time in UTC). Both are checked
/// with [`time_field`] before; an unparseable one loses.
pub fn pick<'a>(a: &'a str, b: &'a str, earliest: bool) -> &'a str {
    match (instant(a), instant(b)) {
        (Some(x), Some(y)) => {
            if (y < x) == earliest && y != x {
                b
            } else {
                a
            }
        }
        (None, Some(_)) => b,
        _ => a,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Resource, Severity, Status};

    fn finding(check: &'static str, account: &str, resource: &str, status: Status) -> Finding {
        let resource = Resource::new("AWS::EC2::Snapshot", resource, None);
        Finding {
            id: stable_id(check, account, Some("us-east-1"), &resource),
            account: account.into(),
            check: check.into(),
            status,
            severity: Severity::High,
            region: Some("us-east-1".into()),
            resource,
            message: "m".into(),
            remediation: "r".into(),
            incidents: vec![],
            evidence: Default::default(),
            mute_reason: None,
            baseline: None,
        }
    }

    #[test]
    fn an_id_that_is_not_the_findings_own_hash_is_refused() {
        let fail = finding("public-snapshot", "111111111111", "snap-1", Status::Fail);
        // Another account's pass wearing the fail's id.
        let mut forged = finding("public-snapshot", "999999999999", "snap-1", Status::Pass);
        forged.id = fail.id.clone();
        let e = findings(vec![fail.clone(), forged], "shard-1.json").unwrap_err();
        assert!(e.starts_with("shard-1.json: finding #2 "), "{e}");
        assert!(e.contains("account 999999999999"), "{e}");
        assert!(e.contains("not the hash"), "{e}");
        assert_eq!(findings(vec![fail], "a").unwrap().1, 0);
    }

    #[test]
    fn two_different_findings_with_one_id_are_refused_and_exact_duplicates_kept_once() {
        let fail = finding("public-snapshot", "111111111111", "snap-1", Status::Fail);
        let mut pass = fail.clone();
        pass.status = Status::Pass;
        let e = findings(vec![fail.clone(), pass], "r.json").unwrap_err();
        assert!(e.contains("have one id but differ"), "{e}");
        let other = finding("public-snapshot", "111111111111", "snap-2", Status::Fail);
        let (kept, dups) = findings(
            vec![fail.clone(), other.clone(), fail.clone(), fail.clone()],
            "r.json",
        )
        .unwrap();
        assert_eq!(kept, vec![fail, other]);
        assert_eq!(dups, 2);
    }

    #[test]
    fn times_are_rfc3339_and_compared_as_instants() {
        assert!(time_field("9999-99-99T99:99:99Z", "started_at", "r.json")
            .unwrap_err()
            .contains("`started_at` is `9999-99-99T99:99:99Z`"));
        time_field("2026-11-22T17:19:20+14:00", "collected_at", "r").unwrap();
        time_field("", "collected_at", "r").unwrap();
        // 17:19:20+14:00 is 03:19:20Z, before 05:00Z.
        assert_eq!(
            pick("2026-11-22T05:00:00Z", "2026-11-22T17:19:20+14:00", true),
            "2026-11-22T17:19:20+14:00"
        );
        assert_eq!(
            pick("2026-11-22T05:00:00Z", "2026-11-22T17:19:20+14:00", false),
            "2026-11-22T05:00:00Z"
        );
        assert_eq!(
            pick("", "2026-11-22T05:00:00Z", true),
            "2026-11-22T05:00:00Z"
        );
    }

    #[test]
    fn quotes_are_one_short_line() {
        let q = quote(&format!("a\nb\u{200b}{}", "x".repeat(500)));
        assert!(!q.contains('\n') && !q.contains('\u{200b}'), "{q}");
        assert!(q.chars().count() < 100, "{q}");
    }
}
