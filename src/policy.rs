//! The IAM policies hiyari needs: exactly the read-only actions of the selected
//! checks' sources, and for `--org` the actions that reach the other accounts.

use hiyari_checks::Check;

/// Calls every scan makes, whatever the checks: who am I, and which regions.
const SESSION_ACTIONS: [&str; 2] = ["sts:GetCallerIdentity", "ec2:DescribeRegions"];

/// The policy of the principal that runs `audit --org` (or `sweep --org`): `own`, the
/// policy of its own account's actions, then listing the organization and assuming
/// `role_name` in the others.
pub fn org_policy_of(own: &str, role_name: &str) -> String {
    let audit: serde_json::Value = serde_json::from_str(own).expect("policy is JSON");
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            audit["Statement"][0].clone(),
            {
                "Sid": "HiyariListOrganizationAccounts",
                "Effect": "Allow",
                "Action": ["organizations:ListAccounts"],
                "Resource": "*",
            },
            {
                "Sid": "HiyariAssumeAuditRole",
                "Effect": "Allow",
                "Action": ["sts:AssumeRole"],
                "Resource": format!("arn:*:iam::*:role/{role_name}"),
            },
        ],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("policy serialises");
    s.push('\n');
    s
}

/// The IAM policy for `checks`: the session's actions and each check's, nothing else.
pub fn policy(checks: &[&dyn Check]) -> String {
    policy_of(checks.iter().flat_map(|c| c.meta().iam_actions()))
}

/// The IAM policy of the session's actions and `more`, nothing else.
pub fn policy_of<'a>(more: impl IntoIterator<Item = &'a str>) -> String {
    let mut actions: Vec<&str> = SESSION_ACTIONS.iter().copied().chain(more).collect();
    actions.sort_unstable();
    actions.dedup();
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "HiyariReadOnlyAudit",
            "Effect": "Allow",
            "Action": actions,
            "Resource": "*",
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("policy serialises");
    s.push('\n');
    s
}
