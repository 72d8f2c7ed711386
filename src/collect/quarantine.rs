//! IAM: who has AWS's quarantine policies (`AWSCompromisedKeyQuarantine`, V2, V3)
//! attached. A policy ARN that IAM answers with NoSuchEntity does not exist in the
//! partition: nobody has it, which is not an error.

use futures::future::try_join_all;
use hiyari_checks::checks::compromised_key_quarantine::QUARANTINE_POLICIES;
use hiyari_checks::inventory::PolicyAttachments;
use hiyari_checks::CollectError;

use super::{next_marker, pages, Session};

const API: &str = "iam:ListEntitiesForPolicy";

/// ListEntitiesForPolicy, every page, for each quarantine policy of the partition. The
/// policies are independent of each other: they are read at once (one round trip, not
/// one per policy), and the answer keeps their order.
pub async fn quarantine_policies(
    s: &Session,
    iam: &aws_sdk_iam::Client,
) -> Result<Vec<PolicyAttachments>, CollectError> {
    try_join_all(QUARANTINE_POLICIES.iter().map(|name| {
        let arn = format!("arn:{}:iam::aws:policy/{name}", s.identity.partition);
        entities_for_policy(s, iam, arn)
    }))
    .await
}

async fn entities_for_policy(
    s: &Session,
    iam: &aws_sdk_iam::Client,
    arn: String,
) -> Result<PolicyAttachments, CollectError> {
    let mut found = PolicyAttachments {
        policy_arn: arn.clone(),
        exists: true,
        users: vec![],
        roles: vec![],
        groups: vec![],
    };
    let read = pages(
        &s.limiter.chain(),
        API,
        |marker| {
            iam.list_entities_for_policy()
                .policy_arn(&arn)
                .set_marker(marker)
                .send()
        },
        |page| {
            found.users.extend(
                page.policy_users()
                    .iter()
                    .filter_map(|u| u.user_name().map(str::to_string)),
            );
            found.roles.extend(
                page.policy_roles()
                    .iter()
                    .filter_map(|r| r.role_name().map(str::to_string)),
            );
            found.groups.extend(
                page.policy_groups()
                    .iter()
                    .filter_map(|g| g.group_name().map(str::to_string)),
            );
            next_marker(page.is_truncated(), page.marker())
        },
    )
    .await;
    settle(found, read)
}

/// The outcome of reading one policy: NoSuchEntity means the policy does not exist in
/// this partition (nobody has it attached), not an error; any other error stays one.
fn settle(
    found: PolicyAttachments,
    read: Result<(), CollectError>,
) -> Result<PolicyAttachments, CollectError> {
    match read {
        Ok(()) => Ok(found),
        Err(e) if e.code == "NoSuchEntity" => Ok(PolicyAttachments {
            exists: false,
            users: vec![],
            roles: vec![],
            groups: vec![],
            ..found
        }),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found() -> PolicyAttachments {
        PolicyAttachments {
            policy_arn: "arn:aws-cn:iam::aws:policy/AWSCompromisedKeyQuarantineV3".into(),
            exists: true,
            users: vec![],
            roles: vec![],
            groups: vec![],
        }
    }

    #[test]
    fn no_such_entity_is_a_policy_absent_from_the_partition() {
        let e = CollectError::new(API, "NoSuchEntity", "Policy ... does not exist");
        let p = settle(found(), Err(e)).unwrap();
        assert!(!p.exists);
        assert!(p.users.is_empty() && p.roles.is_empty() && p.groups.is_empty());
    }

    #[test]
    fn other_errors_stay_errors() {
        let e = CollectError::new(API, "AccessDenied", "not authorized");
        assert_eq!(settle(found(), Err(e.clone())), Err(e));
        assert_eq!(settle(found(), Ok(())), Ok(found()));
    }
}
