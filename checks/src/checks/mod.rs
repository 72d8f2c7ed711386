//! One file per check. Each declares its struct with its documentation (the
//! [`check!`](crate::check!) doc comment), its metadata (`META`), its parameters if it
//! has any (`Params`), its logic and its tests; the registry (`crate::registry`) is the
//! one list of them, and everything else (the configuration, `hiyari init`, `explain`,
//! the docs, the IAM policy) is derived from these.

pub mod ami_block_public_access;
pub mod billing_alarm;
pub mod cloudtrail_multi_region;
pub mod compromised_key_quarantine;
pub mod guardduty_enabled;
pub mod guardduty_high_findings;
pub mod iam_user_console_mfa;
pub mod public_ami;
pub mod public_rds_snapshot;
pub mod public_snapshot;
pub mod root_access_keys;
pub mod root_credentials_management;
pub mod root_mfa;
pub mod root_recent_use;
pub mod root_sign_ins;
pub mod s3_account_public_access_block;
pub mod security_contact;
pub mod ses_sending_health;
pub mod sg_default_closed;
pub mod sg_open_ingress;
pub mod sg_unrestricted_egress;
pub mod snapshot_block_public_access;
pub mod stale_access_keys;
pub mod unused_region_compute;
pub mod unused_region_spend;

#[cfg(test)]
pub(crate) mod testutil;

use serde_json::{Map, Value};

use crate::check::{Cx, Source};
use crate::credential_report::CredentialReportRow;
use crate::finding::Finding;
use crate::inventory::{
    AccountInventory, AccountSummary, BlockPublicAccessState, CollectError, Collected, IpRule,
    SecurityGroup,
};

/// Incident tags: each is a story in docs/incidents.md.
pub mod incidents {
    pub const LEAKED_ROOT_KEY: &str = "INC-2015-LEAKED-ROOT-KEY";
    pub const ROOT_KEY_IN_SCRIPT: &str = "INC-2024-ROOT-KEY-IN-SCRIPT";
    pub const AWS_NOTICES: &str = "INC-AWS-NOTICES";
    pub const PUBLIC_IMAGES: &str = "INC-PUBLIC-IMAGES-AND-NOTICES";
    pub const SECURITY_JAWS: &str = "INC-2017-SECURITY-JAWS";
}

/// A security group of `region` as the resource of a finding.
pub(crate) fn security_group_resource(
    b: &crate::finding::FindingBuilder,
    region: &str,
    group: &SecurityGroup,
) -> crate::finding::Resource {
    crate::finding::Resource::new(
        "AWS::EC2::SecurityGroup",
        &group.id,
        Some(b.arn("ec2", region, &format!("security-group/{}", group.id))),
    )
}

/// A security group's inbound rules; an error for an inventory saved before they were
/// recorded, whose groups were not looked at and so cannot pass.
pub(crate) fn ingress_rules(group: &SecurityGroup) -> Result<&[IpRule], CollectError> {
    group.ingress.as_deref().ok_or_else(|| {
        CollectError::new(
            Source::SecurityGroups.api(),
            "NotCollected",
            "this inventory has no inbound rules; collect it again with this version of hiyari",
        )
    })
}

/// The regional EC2 block-public-access settings (AMIs, EBS snapshots): per scanned
/// region, `unblocked` fails, `block-new-sharing` and `block-all-sharing` pass, and a
/// state that could not be read, or that hiyari does not know, is an error (a new state
/// may not block anything). `setting` names the setting in messages, `what` the thing
/// it protects.
pub(crate) fn block_public_access_per_region(
    cx: &Cx,
    source: Source,
    state_of: impl Fn(
        &crate::inventory::RegionInventory,
    ) -> &crate::inventory::Collected<BlockPublicAccessState>,
    setting: &str,
    what: &str,
) -> Vec<Finding> {
    let b = &cx.b;
    cx.per_region(source, |region, inv| {
        let resource = crate::finding::Resource::region(region);
        let state = state_of(inv).of(source)?;
        if let BlockPublicAccessState::Other(word) = state {
            return Err(CollectError::new(
                source.api(),
                "UnknownState",
                format!(
                    "the state is `{word}`, which this version of hiyari does not know: it cannot tell whether {what} can be made public"
                ),
            ));
        }
        Ok(vec![if *state == BlockPublicAccessState::Unblocked {
            b.fail(
                Some(region),
                resource,
                format!("{setting} is off (unblocked) in {region}: {what} can be made public"),
                crate::evidence! { "state" => state },
            )
        } else {
            b.pass(
                Some(region),
                resource,
                format!("{setting} is {state} in {region}"),
                crate::evidence! { "state" => state },
            )
        }])
    })
}

/// The root user has no password, access key or signing certificate (GetAccountSummary),
/// and the credential report shows no root access key either: the state an organization's
/// centralized root access leaves a member account in. Only GetAccountSummary can say so:
/// the report's `<root_account>` row never says whether a root password exists.
pub(crate) fn root_has_no_credentials(account: &AccountInventory) -> bool {
    let Collected::Ok(summary) = &account.iam.account_summary else {
        return false;
    };
    let row_has_key = match &account.iam.credential_report {
        Collected::Ok(rows) => rows
            .iter()
            .any(|r| r.is_root() && r.active_access_keys() > 0),
        _ => false,
    };
    summary.root_has_no_credentials() && !row_has_key
}

/// The answer to a yes/no question about the root user, read from GetAccountSummary and
/// cross-checked against the credential report's `<root_account>` row when it is there.
/// The "bad" answer wins when the two sources disagree; an answer needs at least one
/// source that was read.
pub(crate) fn root_fact(
    account: &AccountInventory,
    from_summary: impl Fn(&AccountSummary) -> bool,
    from_row: impl Fn(&CredentialReportRow) -> bool,
    bad: bool,
) -> Result<(bool, Map<String, Value>), CollectError> {
    let summary = account.iam.account_summary.of(Source::AccountSummary);
    let report = account.iam.credential_report.of(Source::CredentialReport);
    let root_row = report
        .as_ref()
        .ok()
        .and_then(|rows| rows.iter().find(|r| r.is_root()));
    let mut evidence = Map::new();
    let mut answers = Vec::new();
    match &summary {
        Ok(s) => {
            let v = from_summary(s);
            evidence.insert("account_summary".into(), Value::from(v));
            answers.push(v);
        }
        Err(e) => {
            evidence.insert("account_summary_error".into(), Value::from(e.to_string()));
        }
    }
    match (&report, root_row) {
        (Ok(_), Some(row)) => {
            let v = from_row(row);
            evidence.insert("credential_report_root_row".into(), Value::from(v));
            answers.push(v);
        }
        (Ok(_), None) => {
            evidence.insert(
                "credential_report_root_row".into(),
                Value::from("absent from the report"),
            );
        }
        (Err(e), _) => {
            evidence.insert("credential_report_error".into(), Value::from(e.to_string()));
        }
    }
    if answers.is_empty() {
        // Neither source was read: the summary's error is the one to report (it is the
        // primary source), unless only the report failed.
        return Err(summary.err().unwrap_or_else(|| report.err().unwrap()));
    }
    let answer = if answers.contains(&bad) { bad } else { !bad };
    Ok((answer, evidence))
}
