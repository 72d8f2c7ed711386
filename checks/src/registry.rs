//! The registry: the one list of checks. `hiyari checks`, `explain`, the IAM policy and
//! the docs are generated from it, and a test snapshots the ids so none changes by
//! accident.

use crate::check::Check;
use crate::checks::*;
use crate::needs::Needs;
use crate::params::ParamsById;

static CHECKS: &[&dyn Check] = &[
    &root_access_keys::RootAccessKeys,
    &root_mfa::RootMfa,
    &iam_user_console_mfa::IamUserConsoleMfa,
    &billing_alarm::BillingAlarm,
    &guardduty_enabled::GuardDutyEnabled,
    &public_ami::PublicAmi,
    &public_snapshot::PublicSnapshot,
    &unused_region_compute::UnusedRegionCompute,
    &sg_unrestricted_egress::SgUnrestrictedEgress,
    &root_recent_use::RootRecentUse,
    &stale_access_keys::StaleAccessKeys,
    &compromised_key_quarantine::CompromisedKeyQuarantine,
    &cloudtrail_multi_region::CloudTrailMultiRegion,
    &guardduty_high_findings::GuardDutyHighFindings,
    &s3_account_public_access_block::S3AccountPublicAccessBlock,
    &snapshot_block_public_access::SnapshotBlockPublicAccess,
    &ami_block_public_access::AmiBlockPublicAccess,
    &ses_sending_health::SesSendingHealth,
    &security_contact::SecurityContact,
    &sg_open_ingress::SgOpenIngress,
    &sg_default_closed::SgDefaultClosed,
    &public_rds_snapshot::PublicRdsSnapshot,
    &unused_region_spend::UnusedRegionSpend,
    &root_credentials_management::RootCredentialsManagement,
    &root_sign_ins::RootSignIns,
];

/// Every check, in registry order.
pub fn all_checks() -> &'static [&'static dyn Check] {
    CHECKS
}

/// The check with this id.
pub fn find_check(id: &str) -> Option<&'static dyn Check> {
    CHECKS.iter().copied().find(|c| c.meta().id == id)
}

/// What `checks` need collected, with their settings `params`: each check's sources,
/// widened by what each check declares ([`Check::widen`]: the days of cost to read).
pub fn needs(checks: &[&dyn Check], params: &ParamsById) -> Needs {
    let mut needs = Needs::of(checks.iter().flat_map(|c| c.meta().sources.iter().copied()));
    for c in checks {
        c.widen(&mut needs, params);
    }
    needs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cost window is the spend check's to declare: its `days` when it runs, the
    /// default otherwise.
    #[test]
    fn the_checks_declare_how_many_days_of_cost_to_read() {
        use crate::checks::unused_region_spend::{Params, UnusedRegionSpend, META};
        let params = ParamsById::default().with(
            META.id,
            Params {
                days: 30,
                ..Params::default()
            },
        );
        let spend: &dyn Check = &UnusedRegionSpend;
        let other = find_check("root-mfa").unwrap();
        assert_eq!(needs(&[other, spend], &params).cost_days, 30);
        assert!(needs(&[spend], &params).has(crate::Source::CostByRegion));
        assert_eq!(
            needs(&[spend], &ParamsById::default()).cost_days,
            Params::default().days
        );
        let without = needs(&[other], &params);
        assert_eq!(without.cost_days, crate::needs::DEFAULT_COST_DAYS);
        assert!(!without.has(crate::Source::CostByRegion));
    }

    #[test]
    fn check_ids_are_stable() {
        let ids: Vec<_> = all_checks().iter().map(|c| c.meta().id).collect();
        assert_eq!(
            ids,
            [
                "root-access-keys",
                "root-mfa",
                "iam-user-console-mfa",
                "billing-alarm",
                "guardduty-enabled",
                "public-ami",
                "public-snapshot",
                "unused-region-compute",
                "sg-unrestricted-egress",
                "root-recent-use",
                "stale-access-keys",
                "compromised-key-quarantine",
                "cloudtrail-multi-region",
                "guardduty-high-findings",
                "s3-account-public-access-block",
                "snapshot-block-public-access",
                "ami-block-public-access",
                "ses-sending-health",
                "security-contact",
                "sg-open-ingress",
                "sg-default-closed",
                "public-rds-snapshot",
                "unused-region-spend",
                "root-credentials-management",
                "root-sign-ins",
            ]
        );
    }

    /// The API a source names when it is missing is one it calls: one place for API
    /// names, and no name that the policy or `explain` would not know.
    #[test]
    fn each_source_names_one_of_its_own_calls() {
        for s in crate::check::Source::ALL {
            assert!(
                s.iam_actions().contains(&s.api()) || s.api_calls().contains(&s.api()),
                "{s:?}: {}",
                s.api()
            );
        }
    }

    #[test]
    fn metadata_is_complete() {
        for c in all_checks() {
            let m = c.meta();
            assert!(
                m.id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                m.id
            );
            for (what, text) in [
                ("title", m.title),
                ("summary", m.doc.summary()),
                ("description", m.description()),
                ("rationale", m.rationale()),
                ("remediation", m.remediation()),
            ] {
                assert!(text.len() > 20, "{} has no {what}", m.id);
            }
            assert!(
                m.doc.unknown_sections().is_empty(),
                "{}'s doc has sections {:?}: a check's doc has {:?} (the incidents and API calls are generated)",
                m.id,
                m.doc.unknown_sections(),
                crate::check::DOC_SECTIONS
            );
            assert!(!m.incidents.is_empty(), "{} cites no incident", m.id);
            for inc in m.incidents {
                assert!(
                    m.rationale().contains(inc),
                    "{}'s rationale does not tell incident {inc}",
                    m.id
                );
            }
            assert!(!m.sources.is_empty() && !m.iam_actions().is_empty());
            for a in m.iam_actions() {
                assert!(
                    a.contains(':') && crate::check::is_read_only_action(a),
                    "{} needs a non-read action {a}",
                    m.id
                );
            }
        }
    }

    /// docs/incidents.md tells each incident and lists the checks that answer it: the
    /// list must be exactly the checks whose metadata cites that incident.
    #[test]
    fn the_incidents_page_lists_the_checks_that_cite_each_incident() {
        use std::collections::{BTreeMap, BTreeSet};
        let page = include_str!("../../docs/incidents.md");
        let mut listed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for section in page.split("\n## ").skip(1) {
            let tag = section.split(':').next().unwrap().trim().to_string();
            let checks = section
                .split("Checks:")
                .nth(1)
                .unwrap_or_else(|| panic!("the section on {tag} lists no checks"));
            let ids = checks
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            listed.insert(tag, ids);
        }
        let mut cited: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for c in all_checks() {
            let m = c.meta();
            for tag in m.incidents {
                cited
                    .entry(tag.to_string())
                    .or_default()
                    .insert(m.id.to_string());
            }
        }
        assert_eq!(listed, cited, "docs/incidents.md is out of date");
    }
}
