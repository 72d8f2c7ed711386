//! Findings as a person reads them: the findings of one check that share their cause
//! and differ only by their region (a setting off in every region, the same error from
//! every region) become one entry that names the regions, and what is left of each is a
//! row of its own. The table, Markdown and HTML reports list these entries; the machine
//! formats keep one finding per region.
//!
//! Grouping is presentation only: it never changes a status, and a finding about a
//! resource of its own (an instance, a snapshot, a security group) always stays a row,
//! whatever its message says.

use std::collections::HashMap;

use hiyari_checks::{Finding, Status};

/// One row of a human report: a finding, or the findings of one check with the same
/// cause in several regions.
#[derive(Debug)]
pub struct Entry<'a> {
    /// One finding, or (a group) two or more in distinct regions, in report order.
    pub findings: Vec<&'a Finding>,
    /// What the row says: the finding's message, or for a group the shared message with
    /// its region taken out.
    pub message: String,
}

impl<'a> Entry<'a> {
    /// The first finding: the status, check, severity and reason every finding of the
    /// entry shares.
    pub fn first(&self) -> &'a Finding {
        self.findings[0]
    }

    pub fn is_group(&self) -> bool {
        self.findings.len() > 1
    }

    /// The regions of the entry's findings, in report order.
    pub fn regions(&self) -> Vec<&'a str> {
        self.findings
            .iter()
            .filter_map(|f| f.region.as_deref())
            .collect()
    }

    /// The finding ids of the entry, space-separated (for markup that carries them).
    pub fn ids(&self) -> String {
        self.findings
            .iter()
            .map(|f| f.id.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Stands for the region in a message while findings are compared.
const REGION: &str = "\u{0}region\u{0}";

/// The core of a word that reads as a generated AWS id (`sg-0abc12345678`,
/// `vpc-125d62aeb844e8db6`): a lowercase prefix, a hyphen, then 8 or more hex digits
/// with at least one digit. Region names (`us-east-1`) are not ids.
fn is_generated_id(word: &str) -> bool {
    let Some((prefix, hex)) = word.rsplit_once('-') else {
        return false;
    };
    prefix.starts_with(|c: char| c.is_ascii_lowercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && hex.len() >= 8
        && hex
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        && hex.chars().any(|c| c.is_ascii_digit())
}

/// `message` with its generated ids shortened to their prefix (`sg-…`).
fn without_ids(message: &str) -> String {
    message
        .split(' ')
        .map(|w| {
            let core = w.trim_matches(|c: char| matches!(c, '(' | ')' | ',' | '.' | ';' | ':'));
            if is_generated_id(core) {
                let (prefix, _) = core.rsplit_once('-').expect("an id has a hyphen");
                w.replacen(core, &format!("{prefix}-…"), 1)
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How findings are compared: the message with the region taken out, and, for a
/// finding about a resource of its own, its generated ids too.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key<'a> {
    account: &'a str,
    check: &'a str,
    status: Status,
    marks: String,
    mute_reason: Option<&'a str>,
    /// The finding is about its region itself (a setting), not a resource in it.
    regional: bool,
    template: String,
}

/// What a finding shares with the others of its group, or `None` when it is never
/// grouped: a pass (each is listed only when asked for) and an account-wide finding.
fn key(f: &Finding) -> Option<Key<'_>> {
    let region = f.region.as_deref()?;
    if f.status == Status::Pass || region.is_empty() {
        return None;
    }
    let regional = f.resource.kind == "AWS::::Region";
    let message = f.message.replace(region, REGION);
    Some(Key {
        account: &f.account,
        check: f.check.as_ref(),
        status: f.status,
        marks: format!("{:?}/{:?}", f.severity, f.baseline),
        mute_reason: f.mute_reason.as_deref(),
        regional,
        template: if regional {
            message
        } else {
            without_ids(&message)
        },
    })
}

/// The shared message of a group, its region taken out: " in REGION" goes ("GuardDuty
/// is not enabled in sa-east-1: no detector" reads "GuardDuty is not enabled: no
/// detector"), and the region anywhere else reads "the region".
fn without_region(template: &str) -> String {
    template
        .replace(&format!(" in {REGION}"), "")
        .replace(REGION, "the region")
}

/// The entries of `findings` (one account's or several accounts', in report order):
/// each group takes the place of its first finding. `scanned` gives an account's scanned
/// regions.
///
/// A group is two findings or more, each in its own region, with the same key: about
/// the region itself (a setting off, an error), whatever the number of regions; or
/// about a resource of its own only when it is there in every scanned region (each
/// region's default security group): a default left as it is, which nothing tells
/// apart but its generated id. Resources found in some regions only (two public
/// snapshots, the instances of one region) stay rows, ids and all.
pub fn entries<'a>(findings: &[&'a Finding], scanned: &dyn Fn(&str) -> usize) -> Vec<Entry<'a>> {
    let keys: Vec<Option<Key<'a>>> = findings.iter().map(|f| key(f)).collect();
    let mut members: HashMap<&Key<'a>, Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if let Some(k) = k {
            members.entry(k).or_default().push(i);
        }
    }
    let grouped = |k: &Key<'_>, idx: &[usize]| {
        let mut regions: Vec<&str> = idx
            .iter()
            .filter_map(|i| findings[*i].region.as_deref())
            .collect();
        regions.sort_unstable();
        regions.dedup();
        idx.len() > 1
            && regions.len() == idx.len()
            && (k.regional || regions.len() >= scanned(k.account))
    };
    let mut out = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        match keys[i].as_ref().and_then(|k| Some((k, members.get(k)?))) {
            Some((k, idx)) if grouped(k, idx.as_slice()) => {
                if idx[0] == i {
                    out.push(Entry {
                        findings: idx.iter().map(|j| findings[*j]).collect(),
                        message: without_region(&k.template),
                    });
                }
            }
            _ => out.push(Entry {
                findings: vec![f],
                message: f.message.clone(),
            }),
        }
    }
    out
}

/// How many of `scanned` regions a group covers, as a phrase: "in all 20 scanned
/// regions", "in 19 of 20 scanned regions: all but ap-northeast-1" (when naming the
/// others is shorter), or "in 3 of 20 scanned regions: a, b, c". With `full`, every
/// region of the group is named whatever the count.
pub fn regions_phrase(regions: &[&str], scanned: &[String], full: bool) -> String {
    let n = regions.len();
    let total = scanned.len().max(n);
    let others: Vec<&str> = scanned
        .iter()
        .map(String::as_str)
        .filter(|s| !regions.contains(s))
        .collect();
    if n == total && !full {
        return format!("in all {total} scanned regions");
    }
    if !full && !others.is_empty() && others.len() < n {
        return format!(
            "in {n} of {total} scanned regions: all but {}",
            others.join(", ")
        );
    }
    format!("in {n} of {total} scanned regions: {}", regions.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hiyari_checks::{find_check, FindingBuilder, Resource};

    /// Findings of check `id` in account 123456789012.
    fn builder(id: &str) -> FindingBuilder<'static> {
        FindingBuilder::new(find_check(id).unwrap().meta(), "123456789012", "aws")
    }

    fn off(region: &str) -> Finding {
        let b = builder("guardduty-enabled");
        b.fail(
            Some(region),
            Resource::region(region),
            format!("GuardDuty is not enabled in {region}: no detector"),
            Default::default(),
        )
    }

    fn snapshot(region: &str, id: &str) -> Finding {
        let b = builder("public-snapshot");
        b.fail(
            Some(region),
            Resource::new("AWS::EC2::Snapshot", id, None),
            format!("Snapshot {id} in {region} can be restored by any AWS account"),
            Default::default(),
        )
    }

    #[test]
    fn one_cause_in_several_regions_is_one_entry_and_resources_stay_rows() {
        let fs = [
            off("af-south-1"),
            snapshot("sa-east-1", "snap-1"),
            off("eu-west-1"),
            snapshot("us-east-1", "snap-2"),
            off("us-east-1"),
        ];
        let refs: Vec<&Finding> = fs.iter().collect();
        let e = entries(&refs, &|_| 20);
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(e[0].regions(), ["af-south-1", "eu-west-1", "us-east-1"]);
        assert_eq!(e[0].message, "GuardDuty is not enabled: no detector");
        assert!(!e[1].is_group() && !e[2].is_group());
        assert_eq!(e[1].first().resource.id, "snap-1");
        // Each finding is in exactly one entry.
        let n: usize = e.iter().map(|e| e.findings.len()).sum();
        assert_eq!(n, fs.len());
    }

    #[test]
    fn different_causes_or_statuses_are_not_grouped() {
        let mut other = off("eu-west-1");
        other.message = "GuardDuty is suspended in eu-west-1: every detector is DISABLED".into();
        let mut muted = off("us-east-1");
        muted.status = Status::Muted;
        muted.mute_reason = Some("accepted".into());
        let fs = [off("af-south-1"), other, muted];
        let refs: Vec<&Finding> = fs.iter().collect();
        assert_eq!(entries(&refs, &|_| 20).len(), 3);
    }

    fn default_group(region: &str, sg: &str) -> Finding {
        let b = builder("sg-default-closed");
        b.fail(
            Some(region),
            Resource::new("AWS::EC2::SecurityGroup", sg, None),
            format!("The default security group {sg} of vpc-0123456789abcdef0 in {region} has 0 inbound and 1 outbound rule(s)"),
            Default::default(),
        )
    }

    #[test]
    fn a_resource_in_every_scanned_region_is_one_entry_and_in_some_regions_rows() {
        let fs = [
            default_group("a-1", "sg-0123456789abcdef0"),
            default_group("b-1", "sg-1123456789abcdef0"),
        ];
        let refs: Vec<&Finding> = fs.iter().collect();
        let e = entries(&refs, &|_| 2);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            e[0].message,
            "The default security group sg-… of vpc-… has 0 inbound and 1 outbound rule(s)"
        );
        // Scanned in three regions, present in two: each its own row.
        assert_eq!(entries(&refs, &|_| 3).len(), 2);
        let snaps = [
            snapshot("a-1", "snap-0123456789abcdef0"),
            snapshot("b-1", "snap-1123456789abcdef0"),
        ];
        let refs: Vec<&Finding> = snaps.iter().collect();
        assert_eq!(entries(&refs, &|_| 3).len(), 2);
        assert!(!is_generated_id("us-east-1"));
        assert!(is_generated_id("i-0411e3cf2bc8d4970"));
    }

    #[test]
    fn the_regions_phrase_names_the_shorter_list() {
        let scanned: Vec<String> = ["a-1", "b-1", "c-1", "d-1"].map(String::from).to_vec();
        assert_eq!(
            regions_phrase(&["a-1", "b-1", "c-1", "d-1"], &scanned, false),
            "in all 4 scanned regions"
        );
        assert_eq!(
            regions_phrase(&["a-1", "b-1", "d-1"], &scanned, false),
            "in 3 of 4 scanned regions: all but c-1"
        );
        assert_eq!(
            regions_phrase(&["a-1", "c-1"], &scanned, false),
            "in 2 of 4 scanned regions: a-1, c-1"
        );
        assert_eq!(
            regions_phrase(&["a-1", "b-1", "d-1"], &scanned, true),
            "in 3 of 4 scanned regions: a-1, b-1, d-1"
        );
    }
}
