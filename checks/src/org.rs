//! Organizations: which accounts one worker audits (`--shard I/N`), and combining the
//! reports of several workers into one (`hiyari merge`).

use std::collections::BTreeMap;

use crate::evaluate::{sort_findings, Report, Summary};
use crate::finding::Finding;
use crate::warning::{kind, Warning};

/// `--shard I/N`: worker `I` of `N` (1-based) audits the accounts whose id hashes to it.
///
/// The subset depends only on each account id, never on the order or length of the
/// account list a worker saw: `N` workers that each list the organization cover every
/// account exactly once, and an account stays on its shard as others come and go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Parses `I/N` with `1 <= I <= N`. `I` may be written `K+1`: the 0-based index
    /// that Kubernetes Indexed Jobs (`JOB_COMPLETION_INDEX`) and AWS Batch array jobs
    /// give each worker can then be passed as it is (`$(JOB_COMPLETION_INDEX)+1/4`), with
    /// no shell to add one.
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard takes I/N with 1 <= I <= N (e.g. 2/8, or 1+1/8), not `{s}`");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = match i.split_once('+') {
            None => i.trim().parse().map_err(|_| bad())?,
            Some((k, "1")) => k
                .trim()
                .parse::<u32>()
                .map_err(|_| bad())?
                .checked_add(1)
                .ok_or_else(bad)?,
            Some(_) => return Err(bad()),
        };
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether this shard audits `account_id`.
    pub fn contains(&self, account_id: &str) -> bool {
        (fnv1a(account_id.trim().as_bytes()) % u64::from(self.count)) as u32 == self.index - 1
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// 64-bit FNV-1a: fixed by its definition, so shards never move between hiyari versions
/// or platforms (unlike the standard library's hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One report made of several: every account and finding, sorted the report's way.
///
/// `names` labels each report for the messages (its file). A finding is identified by
/// its account and id: the same finding in two reports (overlapping shards) is kept once,
/// with a warning; two different findings with one account and id are refused, since
/// which of them holds cannot be known. Each report's findings are expected checked
/// with [`crate::verify::findings`] (ids that are their own hash), and its times with
/// [`crate::verify::time_field`]. An account present in more than one report is flagged
/// in the warnings. The summary is counted from the merged findings.
pub fn merge(reports: Vec<Report>, names: &[String]) -> Result<Report, String> {
    let mut accounts = Vec::new();
    let mut seen_account: BTreeMap<String, usize> = BTreeMap::new();
    let mut findings: Vec<Finding> = Vec::new();
    // (account, id) -> (index in `findings`, the report it came from)
    let mut seen_finding: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    // (first report, later report) -> how many findings the later one repeated.
    let mut repeated: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut warnings = Vec::new();
    let mut started: Option<String> = None;
    let mut finished: Option<String> = None;
    let mut collected: Option<String> = None;
    let mut version = String::new();
    let name_of = |i: usize| {
        names
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("#{}", i + 1))
    };
    for (i, r) in reports.into_iter().enumerate() {
        let name = name_of(i);
        if version.is_empty() {
            version = r.tool_version.clone();
        }
        // Times are compared as instants, not as text: `17:19:20+14:00` is before
        // `05:00:00Z` of the same day.
        let earliest = |held: &mut Option<String>, t: &str, first: bool| {
            if t.is_empty() {
                return;
            }
            *held = Some(match held.take() {
                None => t.to_string(),
                Some(h) => crate::verify::pick(&h, t, first).to_string(),
            });
        };
        earliest(&mut started, &r.started_at, true);
        // The oldest data decides how old the merged report's data may be.
        if let Some(c) = r.collected_at.as_deref() {
            earliest(&mut collected, c, true);
        }
        earliest(&mut finished, &r.finished_at, false);
        for a in r.accounts {
            match seen_account.get(&a.id) {
                Some(first) => warnings.push(Warning {
                    account: Some(a.id.clone()),
                    source: Some(name.clone()),
                    ..Warning::new(kind::DUPLICATE_ACCOUNT, format!(
                        "account {} appears in both {} and {}: were two shards or runs given the same account? Its findings are kept once per finding id",
                        a.id,
                        name_of(*first),
                        name,
                    ))
                }),
                None => {
                    seen_account.insert(a.id.clone(), i);
                    accounts.push(a);
                }
            }
        }
        for f in r.findings {
            let key = (f.account.clone(), f.id.clone());
            match seen_finding.get(&key) {
                Some(&(k, from)) if findings[k] == f => {
                    *repeated.entry((from, i)).or_default() += 1;
                }
                Some(&(k, from)) => {
                    return Err(format!(
                        "{name} and {} both hold finding {} of account {} (check `{}`) but they differ ({} and {}): which one holds is unknown; merge reports of one scan, or leave one of them out",
                        name_of(from),
                        f.id,
                        f.account,
                        f.check,
                        f.status.as_str(),
                        findings[k].status.as_str()
                    ));
                }
                None => {
                    seen_finding.insert(key, (findings.len(), i));
                    findings.push(f);
                }
            }
        }
        warnings.extend(r.warnings.into_iter().map(|w| w.from_report(&name)));
    }
    for ((first, later), n) in repeated {
        warnings.push(Warning {
            source: Some(name_of(later)),
            ..Warning::new(
                kind::DUPLICATE_FINDING,
                format!(
                    "{} repeats {n} finding(s) of {} exactly: each is kept once",
                    name_of(later),
                    name_of(first)
                ),
            )
        });
    }
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    sort_findings(&mut findings);
    Ok(Report {
        tool_version: version,
        started_at: started.unwrap_or_default(),
        finished_at: finished.unwrap_or_default(),
        collected_at: collected,
        accounts,
        summary: Summary::of(&findings),
        findings,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
        // A 0-based index plus one, as a Kubernetes manifest writes it.
        assert_eq!(Shard::parse("0+1/4"), Ok(Shard { index: 1, count: 4 }));
        assert_eq!(Shard::parse("3+1/4"), Ok(Shard { index: 4, count: 4 }));
        for bad in [
            "0/3",
            "4/3",
            "1/0",
            "3",
            "a/b",
            "-1/3",
            "",
            "3+1/3",
            "1+2/4",
            "+1/4",
            "1+/4",
            "4294967295+1/4",
        ] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Shard::parse("1/1").unwrap().to_string(), "1/1");
    }

    #[test]
    fn fnv_is_the_published_function() {
        // Test vectors of FNV-1a 64 (Fowler, Noll, Vo).
        assert_eq!(fnv1a(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x85944171f73967e8);
    }

    proptest! {
        #[test]
        fn shards_cover_every_account_exactly_once(
            ids in proptest::collection::btree_set("[0-9]{12}", 0..60),
            n in 1u32..12,
        ) {
            for id in &ids {
                let owners = (1..=n)
                    .filter(|i| Shard { index: *i, count: n }.contains(id))
                    .count();
                prop_assert_eq!(owners, 1);
            }
        }
    }

    #[test]
    fn shards_spread_accounts() {
        let n = 4;
        let mut per = [0usize; 4];
        for k in 0..1000u64 {
            let id = format!("{:012}", 100_000_000_000 + k * 7919);
            let s = (1..=n)
                .find(|i| {
                    Shard {
                        index: *i,
                        count: n,
                    }
                    .contains(&id)
                })
                .unwrap();
            per[(s - 1) as usize] += 1;
        }
        for c in per {
            assert!((150..350).contains(&c), "{per:?}");
        }
    }
}
