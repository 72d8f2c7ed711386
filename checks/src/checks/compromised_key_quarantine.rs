use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};

crate::check! {
    /// Fails when an IAM user, role or group has AWS's `AWSCompromisedKeyQuarantine`, `V2`
    /// or `V3` policy attached (ListEntitiesForPolicy): AWS found its key in public.
    ///
    /// ## What it does
    /// Calls IAM ListEntitiesForPolicy for
    /// arn:<partition>:iam::aws:policy/AWSCompromisedKeyQuarantine,
    /// AWSCompromisedKeyQuarantineV2 and AWSCompromisedKeyQuarantineV3. Fails for each IAM
    /// user, role or group that has one of them attached. A policy that does not exist in
    /// the partition (NoSuchEntity) counts as attached to nobody.
    ///
    /// ## Why is this bad
    /// AWS attaches a quarantine policy when it finds an access key in public, for example
    /// on GitHub, and sends 'Action Required: Your AWS account is compromised'
    /// (INC-AWS-NOTICES): it 'temporarily limited your ability to create some AWS
    /// resources'. The key has leaked and may already be in use; the notice email is often
    /// unread, but the attached policy stays visible.
    ///
    /// ## How to fix
    /// Treat the account as compromised: delete (not just deactivate) the user's access
    /// keys, and look in CloudTrail, in every region, for what they did (new IAM users,
    /// roles, policies and keys; EC2 and Spot instances; Lambda functions). Remove what you
    /// did not create, check the bill, reply to the AWS Support case, and only then detach
    /// the quarantine policy. Replace the key with an IAM role.
    pub struct CompromisedKeyQuarantine;
    id: "compromised-key-quarantine",
    title: "AWS has not quarantined any IAM user or role",
    severity: Critical,
    scope: Account,
    incidents: [AWS_NOTICES],
    sources: [QuarantinePolicies],
}

/// The names of AWS's quarantine policies; their ARNs are
/// `arn:<partition>:iam::aws:policy/<name>`.
pub const QUARANTINE_POLICIES: [&str; 3] = [
    "AWSCompromisedKeyQuarantine",
    "AWSCompromisedKeyQuarantineV2",
    "AWSCompromisedKeyQuarantineV3",
];

impl Check for CompromisedKeyQuarantine {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.account_wide(|account| {
            let policies = account.iam.quarantine_policies.of(Source::QuarantinePolicies)?;
            let mut out = Vec::new();
            for p in policies {
                for (kind, path, names) in [
                    ("AWS::IAM::User", "user", &p.users),
                    ("AWS::IAM::Role", "role", &p.roles),
                    ("AWS::IAM::Group", "group", &p.groups),
                ] {
                    for name in names {
                        out.push(b.fail(
                            None,
                            Resource::new(kind, name, None),
                            format!(
                                "AWS has quarantined IAM {path} {name}: {} is attached, so its key was found in public",
                                p.policy_arn
                            ),
                            evidence! { "policy_arn" => p.policy_arn },
                        ));
                    }
                }
            }
            if out.is_empty() {
                let read: Vec<&str> = policies
                    .iter()
                    .filter(|p| p.exists)
                    .map(|p| p.policy_arn.as_str())
                    .collect();
                let absent: Vec<&str> = policies
                    .iter()
                    .filter(|p| !p.exists)
                    .map(|p| p.policy_arn.as_str())
                    .collect();
                out.push(b.pass(
                    None,
                    b.account_resource(),
                    format!(
                        "No IAM user, role or group of account {} has an AWS quarantine policy attached",
                        b.account()
                    ),
                    evidence! {
                        "policies_read" => read,
                        "policies_not_in_partition" => absent,
                    },
                ));
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{Collected, PolicyAttachments};

    fn policy(name: &str, exists: bool, users: &[&str], roles: &[&str]) -> PolicyAttachments {
        PolicyAttachments {
            policy_arn: format!("arn:aws:iam::aws:policy/{name}"),
            exists,
            users: users.iter().map(|s| s.to_string()).collect(),
            roles: roles.iter().map(|s| s.to_string()).collect(),
            groups: vec![],
        }
    }

    #[test]
    fn fails_per_quarantined_user_and_role() {
        let mut acc = account(&["us-east-1"]);
        acc.iam.quarantine_policies = Collected::Ok(vec![
            policy("AWSCompromisedKeyQuarantine", true, &[], &[]),
            policy("AWSCompromisedKeyQuarantineV2", true, &["leaky"], &[]),
            policy("AWSCompromisedKeyQuarantineV3", true, &[], &["ci-deploy"]),
        ]);
        let f = run(&CompromisedKeyQuarantine, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, None, "ci-deploy"),
                o(Status::Fail, None, "leaky")
            ]
        );
        let leaky = f.iter().find(|f| f.resource.id == "leaky").unwrap();
        assert_eq!(leaky.resource.kind, "AWS::IAM::User");
        assert_eq!(
            leaky.evidence["policy_arn"],
            "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2"
        );
    }

    #[test]
    fn passes_when_nothing_is_attached_and_absent_policies_are_not_errors() {
        let mut acc = account(&["us-east-1"]);
        acc.iam.quarantine_policies = Collected::Ok(vec![
            policy("AWSCompromisedKeyQuarantine", true, &[], &[]),
            policy("AWSCompromisedKeyQuarantineV2", true, &[], &[]),
            policy("AWSCompromisedKeyQuarantineV3", false, &[], &[]),
        ]);
        let f = run(&CompromisedKeyQuarantine, &acc);
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
        assert_eq!(
            f[0].evidence["policies_not_in_partition"],
            serde_json::json!(["arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3"])
        );
    }

    #[test]
    fn error_when_the_policies_could_not_be_read() {
        let mut acc = account(&["us-east-1"]);
        acc.iam.quarantine_policies = Collected::Error(denied("iam:ListEntitiesForPolicy"));
        let f = run(&CompromisedKeyQuarantine, &acc);
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, "iam:ListEntitiesForPolicy", "AccessDenied");
        acc.iam.quarantine_policies = Collected::NotCollected;
        let f = run(&CompromisedKeyQuarantine, &acc);
        assert_errors_named(&f, "iam:ListEntitiesForPolicy", "NotCollected");
    }
}
