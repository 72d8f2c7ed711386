//! Accepted risks: `[[accept]]` entries of hiyari.toml.
//!
//! A `fail` that an entry matches becomes `muted` with the entry's reason: it no longer
//! fails CI, and it still appears in every report. An entry past its `expires` date
//! stops applying and is reported; so is an entry that matched nothing, so accepted
//! risks do not rot.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::finding::{Finding, Status};
use crate::warning::{kind, Warning};

/// One accepted risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptRule {
    /// The check id.
    pub check: String,
    /// Only in this region (`None`: any region, and account-wide findings).
    pub region: Option<String>,
    /// Only this resource: its exact id or ARN, or a glob (`*`, `?`) over either.
    pub resource: Option<String>,
    /// Only in this account (`None`: any account).
    pub account: Option<String>,
    /// Why the risk is accepted: shown with every muted finding.
    pub reason: String,
    /// The last day the acceptance holds.
    pub expires: Option<Date>,
    /// Where the entry was written (e.g. `hiyari.toml:12`), for warnings.
    pub origin: String,
}

impl AcceptRule {
    fn matches(&self, f: &Finding) -> bool {
        f.check == self.check
            && self
                .region
                .as_deref()
                .is_none_or(|r| f.region.as_deref() == Some(r))
            && self.account.as_deref().is_none_or(|a| f.account == a)
            && self.resource.as_deref().is_none_or(|pat| {
                glob_match(pat, &f.resource.id)
                    || f.resource
                        .arn
                        .as_deref()
                        .is_some_and(|arn| glob_match(pat, arn))
            })
    }

    fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|d| today > d)
    }

    /// The file and line of `origin` (`path:line`; the path may hold colons itself).
    fn location(&self) -> (Option<String>, Option<u32>) {
        match self.origin.rsplit_once(':') {
            Some((file, line)) if line.parse::<u32>().is_ok() => {
                (Some(file.to_string()), line.parse().ok())
            }
            _ => (Some(self.origin.clone()).filter(|o| !o.is_empty()), None),
        }
    }

    /// A warning of `kind` about this entry, every field of it said.
    fn warning(&self, kind: &str, message: String) -> Warning {
        let (config, line) = self.location();
        Warning {
            config,
            line,
            check: Some(self.check.clone()),
            account: self.account.clone(),
            region: self.region.clone(),
            resource: self.resource.clone(),
            reason: Some(self.reason.clone()),
            expires: self.expires.map(|d| d.to_string()),
            ..Warning::new(kind, message)
        }
    }

    fn describe(&self) -> String {
        let mut s = format!("accepted risk at {} (check {}", self.origin, self.check);
        if let Some(r) = &self.region {
            s.push_str(&format!(", region {r}"));
        }
        if let Some(r) = &self.resource {
            s.push_str(&format!(", resource {r}"));
        }
        s.push(')');
        s
    }
}

/// `*` matches any run of characters (`/` and `:` included), `?` any one character;
/// everything else matches itself. A pattern without either is an exact match.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Mutes the fails that `rules` accept; returns the warnings: expired entries, and
/// entries for checks that ran which matched nothing.
pub fn apply(
    findings: &mut [Finding],
    rules: &[AcceptRule],
    checks_run: &[&str],
    today: Date,
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    // Each rule looks only at the findings of its own check: the time grows with the
    // rules times the findings of one check, not times every finding.
    let mut by_check: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, f) in findings.iter().enumerate() {
        by_check.entry(f.check.to_string()).or_default().push(i);
    }
    let checks_run: std::collections::HashSet<&str> = checks_run.iter().copied().collect();
    for rule in rules {
        if rule.expired(today) {
            warnings.push(rule.warning(
                kind::ACCEPT_EXPIRED,
                format!(
                    "{} expired on {} and no longer applies: {}",
                    rule.describe(),
                    rule.expires.expect("expired implies a date"),
                    rule.reason
                ),
            ));
            continue;
        }
        let mut matched = 0usize;
        for &i in by_check.get(&rule.check).map_or(&[][..], Vec::as_slice) {
            let f = &mut findings[i];
            if rule.matches(f) && matches!(f.status, Status::Fail | Status::Muted) {
                matched += 1;
                if f.status == Status::Fail {
                    f.status = Status::Muted;
                    f.mute_reason = Some(rule.reason.clone());
                }
            }
        }
        if matched == 0 && checks_run.contains(rule.check.as_str()) {
            warnings.push(rule.warning(
                kind::ACCEPT_UNMATCHED,
                format!(
                    "{} matched no failing finding: remove it, or fix its region or resource",
                    rule.describe()
                ),
            ));
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Resource, Severity};
    use serde_json::Map;
    use time::macros::date;

    fn finding(check: &str, region: Option<&str>, id: &str, status: Status) -> Finding {
        Finding {
            id: "x".into(),
            account: "123456789012".into(),
            check: check.to_string().into(),
            status,
            severity: Severity::Critical,
            region: region.map(str::to_string),
            resource: Resource::new(
                "AWS::EC2::Snapshot",
                id,
                Some(format!(
                    "arn:aws:ec2:{}:123456789012:snapshot/{id}",
                    region.unwrap_or("-")
                )),
            ),
            message: String::new(),
            remediation: Default::default(),
            incidents: vec![],
            evidence: Map::new(),
            mute_reason: None,
            baseline: None,
        }
    }

    fn rule(check: &str) -> AcceptRule {
        AcceptRule {
            check: check.into(),
            region: None,
            resource: None,
            account: None,
            reason: "public dataset".into(),
            expires: None,
            origin: "hiyari.toml:3".into(),
        }
    }

    const TODAY: Date = date!(2026 - 11 - 22);

    #[test]
    fn globs() {
        assert!(glob_match("snap-*", "snap-0abc"));
        assert!(glob_match("snap-0ab?", "snap-0abc"));
        assert!(!glob_match("snap-0ab?", "snap-0abcd"));
        assert!(glob_match(
            "arn:aws:ec2:*:*:snapshot/snap-1",
            "arn:aws:ec2:us-east-1:1:snapshot/snap-1"
        ));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXbYY"));
        assert!(glob_match("exact", "exact"));
        assert!(!glob_match("exact", "exactly"));
    }

    #[test]
    fn mutes_by_check_region_exact_id_arn_and_glob() {
        let mut fs = vec![
            finding("public-snapshot", Some("us-east-1"), "snap-1", Status::Fail),
            finding("public-snapshot", Some("sa-east-1"), "snap-2", Status::Fail),
            finding("public-snapshot", Some("sa-east-1"), "data-3", Status::Fail),
            finding("public-ami", Some("sa-east-1"), "snap-9", Status::Fail),
            finding("public-snapshot", Some("eu-west-1"), "snap-4", Status::Pass),
        ];
        let rules = vec![
            AcceptRule {
                region: Some("us-east-1".into()),
                ..rule("public-snapshot")
            },
            AcceptRule {
                resource: Some("arn:aws:ec2:sa-east-1:123456789012:snapshot/snap-2".into()),
                ..rule("public-snapshot")
            },
            AcceptRule {
                resource: Some("data-*".into()),
                ..rule("public-snapshot")
            },
        ];
        let w = apply(&mut fs, &rules, &["public-snapshot", "public-ami"], TODAY);
        assert!(w.is_empty(), "{w:?}");
        let st: Vec<_> = fs.iter().map(|f| f.status).collect();
        assert_eq!(
            st,
            [
                Status::Muted,
                Status::Muted,
                Status::Muted,
                Status::Fail,
                Status::Pass
            ]
        );
        assert_eq!(fs[0].mute_reason.as_deref(), Some("public dataset"));
        assert_eq!(fs[4].mute_reason, None, "a pass is never muted");
    }

    #[test]
    fn expiry_is_inclusive_of_its_day() {
        let r = AcceptRule {
            expires: Some(date!(2026 - 11 - 22)),
            ..rule("public-snapshot")
        };
        let mut fs = vec![finding(
            "public-snapshot",
            Some("us-east-1"),
            "snap-1",
            Status::Fail,
        )];
        assert!(apply(
            &mut fs,
            std::slice::from_ref(&r),
            &["public-snapshot"],
            TODAY
        )
        .is_empty());
        assert_eq!(fs[0].status, Status::Muted);

        let mut fs = vec![finding(
            "public-snapshot",
            Some("us-east-1"),
            "snap-1",
            Status::Fail,
        )];
        let w = apply(&mut fs, &[r], &["public-snapshot"], date!(2026 - 11 - 23));
        assert_eq!(fs[0].status, Status::Fail, "expired entries stop applying");
        assert_eq!(w.len(), 1);
        assert!(
            w[0].message.contains("expired on 2026-11-22")
                && w[0].message.contains("hiyari.toml:3"),
            "{w:?}"
        );
    }

    #[test]
    fn unmatched_entries_are_reported_only_for_checks_that_ran() {
        let mut fs = vec![finding(
            "public-snapshot",
            Some("us-east-1"),
            "snap-1",
            Status::Fail,
        )];
        let rules = vec![
            AcceptRule {
                resource: Some("snap-nope".into()),
                ..rule("public-snapshot")
            },
            rule("root-mfa"),
        ];
        let w = apply(&mut fs, &rules, &["public-snapshot"], TODAY);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].message.contains("matched no failing finding")
                && w[0].message.contains("snap-nope")
        );
        assert_eq!(fs[0].status, Status::Fail);
    }

    #[test]
    fn warnings_say_the_entry_field_by_field() {
        let expired = AcceptRule {
            region: Some("us-east-1".into()),
            resource: Some("snap-*".into()),
            expires: Some(date!(2026 - 11 - 21)),
            origin: "conf/with:colon/hiyari.toml:17".into(),
            ..rule("public-snapshot")
        };
        let unmatched = AcceptRule {
            account: Some("999999999999".into()),
            ..rule("public-ami")
        };
        let mut fs = vec![];
        let w = apply(
            &mut fs,
            &[expired, unmatched],
            &["public-snapshot", "public-ami"],
            TODAY,
        );
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(w[0].kind, kind::ACCEPT_EXPIRED);
        assert_eq!(w[0].config.as_deref(), Some("conf/with:colon/hiyari.toml"));
        assert_eq!(w[0].line, Some(17));
        assert_eq!(w[0].check.as_deref(), Some("public-snapshot"));
        assert_eq!(w[0].region.as_deref(), Some("us-east-1"));
        assert_eq!(w[0].resource.as_deref(), Some("snap-*"));
        assert_eq!(w[0].reason.as_deref(), Some("public dataset"));
        assert_eq!(w[0].expires.as_deref(), Some("2026-11-21"));
        assert_eq!(w[1].kind, kind::ACCEPT_UNMATCHED);
        assert_eq!(w[1].config.as_deref(), Some("hiyari.toml"));
        assert_eq!(w[1].line, Some(3));
        assert_eq!(w[1].account.as_deref(), Some("999999999999"));
        assert_eq!(w[1].expires, None);
        assert_eq!(w[1].to_string(), w[1].message);
    }

    #[test]
    fn account_scoped_entries() {
        let mut fs = vec![finding(
            "public-snapshot",
            Some("us-east-1"),
            "snap-1",
            Status::Fail,
        )];
        let r = AcceptRule {
            account: Some("999999999999".into()),
            ..rule("public-snapshot")
        };
        apply(&mut fs, &[r], &["public-snapshot"], TODAY);
        assert_eq!(fs[0].status, Status::Fail);
    }
}
