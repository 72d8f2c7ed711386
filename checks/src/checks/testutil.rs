//! Builders for inventories in unit tests: everything collected and empty unless a test
//! says otherwise.

use std::collections::BTreeMap;

use crate::credential_report::CredentialReportRow;
pub use crate::evaluate::EvalOptions;
use crate::finding::{Finding, Status};
pub use crate::inventory::*;

pub const ACCOUNT: &str = "123456789012";
pub const OTHER_ACCOUNT: &str = "210987654321";

pub fn empty_region() -> RegionInventory {
    RegionInventory {
        guardduty_detectors: Collected::Ok(vec![]),
        images: Collected::Ok(vec![]),
        public_snapshots: Collected::Ok(vec![]),
        instances: Collected::Ok(vec![]),
        spot_requests: Collected::Ok(vec![]),
        spot_fleets: Collected::Ok(vec![]),
        security_groups: Collected::Ok(vec![]),
        network_interfaces: Collected::Ok(vec![]),
        guardduty_findings: Collected::Ok(vec![]),
        snapshot_block_public_access: Collected::Ok("block-all-sharing".into()),
        image_block_public_access: Collected::Ok("block-new-sharing".into()),
        ses_account: Collected::Ok(SesAccount {
            offered: true,
            enforcement_status: Some("HEALTHY".into()),
            sending_enabled: Some(true),
            production_access_enabled: Some(false),
            max_24_hour_send: Some(200.0),
            sent_last_24_hours: Some(0.0),
        }),
        ses_reputation: Collected::NotCollected,
        rds_snapshots: Collected::Ok(vec![]),
        rds_cluster_snapshots: Collected::Ok(vec![]),
        root_sign_ins: Collected::Ok(vec![]),
    }
}

/// An account scanned in `regions`, home region the first one, nothing found anywhere.
pub fn account(regions: &[&str]) -> AccountInventory {
    AccountInventory {
        identity: Identity {
            account_id: ACCOUNT.into(),
            partition: "aws".into(),
            principal_arn: format!("arn:aws:iam::{ACCOUNT}:user/auditor"),
        },
        home_region: regions.first().map(|r| r.to_string()),
        regions: Regions {
            scanned: regions.iter().map(|r| r.to_string()).collect(),
            skipped: vec![],
        },
        iam: IamInventory {
            account_summary: Collected::Ok(AccountSummary {
                root_access_keys_present: false,
                root_mfa_enabled: true,
                root_password_present: Some(true),
                root_signing_certificates_present: Some(false),
            }),
            credential_report: Collected::Ok(vec![]),
            quarantine_policies: Collected::Ok(vec![]),
            organizations_features: Collected::Ok(OrganizationsFeatures {
                status: "not_management_account".into(),
                organization_id: None,
                enabled_features: vec![],
            }),
            virtual_mfa_devices: Collected::Ok(vec![]),
        },
        billing: BillingInventory {
            budgets: Collected::Ok(vec![]),
            billing_alarms: Collected::Ok(vec![]),
            cost_by_region: Collected::Ok(CostByRegion {
                start: "2026-11-06".into(),
                end: "2026-11-20".into(),
                costs: vec![],
            }),
        },
        cloudtrail: CloudTrailInventory {
            trails: Collected::Ok(vec![]),
        },
        s3: S3Inventory {
            account_public_access_block: Collected::Ok(None),
        },
        contacts: ContactsInventory {
            alternate_contacts: Collected::Ok(
                ["SECURITY", "BILLING", "OPERATIONS"]
                    .into_iter()
                    .map(|t| AlternateContact {
                        contact_type: t.into(),
                        contact: Collected::Ok(Some(Contact {
                            name: Some("Cloud team".into()),
                            title: None,
                            email: Some("cloud@example.com".into()),
                        })),
                    })
                    .collect(),
            ),
        },
        regional: regions
            .iter()
            .map(|r| (r.to_string(), empty_region()))
            .collect::<BTreeMap<_, _>>(),
        failure: None,
        sweep: None,
    }
}

pub fn region<'a>(acc: &'a mut AccountInventory, name: &str) -> &'a mut RegionInventory {
    acc.regional.get_mut(name).expect("region in test account")
}

pub fn denied(api: &str) -> CollectError {
    CollectError::new(
        api,
        "AccessDenied",
        "User is not authorized to perform this action",
    )
}

pub fn user_row(user: &str, password: bool, mfa: bool) -> CredentialReportRow {
    CredentialReportRow {
        user: user.into(),
        arn: if user == "<root_account>" {
            format!("arn:aws:iam::{ACCOUNT}:root")
        } else {
            format!("arn:aws:iam::{ACCOUNT}:user/{user}")
        },
        user_creation_time: "2020-01-01T00:00:00+00:00".into(),
        password_enabled: if user == "<root_account>" {
            "not_supported".into()
        } else {
            password.to_string().into()
        },
        password_last_used: "N/A".into(),
        mfa_active: mfa.to_string().into(),
        access_key_1_active: "false".into(),
        access_key_1_last_rotated: "N/A".into(),
        access_key_1_last_used_date: "N/A".into(),
        access_key_2_active: "false".into(),
        access_key_2_last_rotated: "N/A".into(),
        access_key_2_last_used_date: "N/A".into(),
    }
}

pub fn run(check: &dyn crate::Check, acc: &AccountInventory) -> Vec<Finding> {
    run_with(check, acc, &EvalOptions::default())
}

/// Runs one check over one account with these options.
pub fn run_with(
    check: &dyn crate::Check,
    acc: &AccountInventory,
    opts: &EvalOptions,
) -> Vec<Finding> {
    check.evaluate(&crate::check::Cx::new(check.meta(), acc, opts))
}

/// `(status, region, resource id)` of each finding, sorted: what a test asserts.
pub fn outcome(findings: &[Finding]) -> Vec<(Status, Option<String>, String)> {
    let mut v: Vec<_> = findings
        .iter()
        .map(|f| (f.status, f.region.clone(), f.resource.id.clone()))
        .collect();
    v.sort();
    v
}

pub fn o(status: Status, region: Option<&str>, id: &str) -> (Status, Option<String>, String) {
    (status, region.map(str::to_string), id.to_string())
}

/// Asserts every error finding names the API and the error code.
pub fn assert_errors_named(findings: &[Finding], api: &str, code: &str) {
    let errors: Vec<_> = findings
        .iter()
        .filter(|f| f.status == Status::Error)
        .collect();
    assert!(!errors.is_empty(), "expected an error finding");
    for f in errors {
        assert_eq!(f.error_source(), Some((api, code)), "{f:?}");
        assert!(
            f.message.contains(api) && f.message.contains(code),
            "{}",
            f.message
        );
    }
}

/// A security-group rule: protocol, ports, IPv4 and IPv6 CIDRs.
pub fn rule(proto: &str, from: Option<i32>, to: Option<i32>, v4: &[&str], v6: &[&str]) -> IpRule {
    IpRule {
        protocol: proto.into(),
        from_port: from,
        to_port: to,
        ipv4_ranges: v4.iter().map(|s| s.to_string()).collect(),
        ipv6_ranges: v6.iter().map(|s| s.to_string()).collect(),
    }
}

/// A security group of the account with these rules.
pub fn security_group(id: &str, egress: Vec<IpRule>, ingress: Vec<IpRule>) -> SecurityGroup {
    SecurityGroup {
        id: id.into(),
        name: Some(format!("{id}-name")),
        vpc_id: Some("vpc-1".into()),
        owner_id: Some(ACCOUNT.into()),
        egress,
        ingress: Some(ingress),
    }
}

/// A network interface carrying these groups.
pub fn eni(id: &str, groups: &[&str]) -> NetworkInterface {
    NetworkInterface {
        id: id.into(),
        group_ids: groups.iter().map(|s| s.to_string()).collect(),
        description: None,
    }
}
