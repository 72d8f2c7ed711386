//! What a sweep reads: its sources are rows of [`Source`]'s table (`read by sweep`),
//! from which `hiyari policy --sweep` is derived; and each resource type it lists, with
//! where its creation time comes from, the CloudTrail events that create it, and the AWS
//! CLI command that removes it.

use crate::source::{Reader, Source};

/// Every IAM action of a sweep's sources (the rows of [`Source`]'s table read by the
/// sweep), sorted, without duplicates.
pub fn iam_actions() -> Vec<&'static str> {
    Source::iam_actions_read_by(Reader::Sweep)
}

/// Where a resource type's creation time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreatedFrom {
    /// The API that lists it gives it.
    Api,
    /// Only its creation event in CloudTrail gives it.
    CloudTrail,
}

/// A resource type a sweep lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceType {
    /// The service and the resource type of its ARN, as the Service Authorization
    /// Reference names them (`ec2:instance`).
    pub ty: &'static str,
    /// The list call, as an IAM action.
    pub api: &'static str,
    pub created_from: CreatedFrom,
    /// The CloudTrail events that create it (`eventName`; a name ending in `*` is a
    /// prefix: Lambda's event names carry an API version).
    pub creation_events: &'static [&'static str],
    /// IAM: one list for the account, reported in region `global`.
    pub global: bool,
}

/// Every resource type, in report order.
pub const RESOURCE_TYPES: &[ResourceType] = &[
    rt("ec2:instance", "ec2:DescribeInstances", &["RunInstances"]),
    rt(
        "ec2:spot-instances-request",
        "ec2:DescribeSpotInstanceRequests",
        &["RequestSpotInstances"],
    ),
    rt(
        "ec2:spot-fleet-request",
        "ec2:DescribeSpotFleetRequests",
        &["RequestSpotFleet"],
    ),
    rt("ec2:fleet", "ec2:DescribeFleets", &["CreateFleet"]),
    rt(
        "ec2:reserved-instances",
        "ec2:DescribeReservedInstances",
        &["PurchaseReservedInstancesOffering"],
    ),
    rt("ec2:volume", "ec2:DescribeVolumes", &["CreateVolume"]),
    rt(
        "ec2:snapshot",
        "ec2:DescribeSnapshots",
        &["CreateSnapshot", "CreateSnapshots", "CopySnapshot"],
    ),
    rt(
        "ec2:image",
        "ec2:DescribeImages",
        &["CreateImage", "RegisterImage", "CopyImage"],
    ),
    rt(
        "ec2:key-pair",
        "ec2:DescribeKeyPairs",
        &["CreateKeyPair", "ImportKeyPair"],
    ),
    ResourceType {
        created_from: CreatedFrom::CloudTrail,
        ..rt(
            "ec2:security-group",
            "ec2:DescribeSecurityGroups",
            &["CreateSecurityGroup"],
        )
    },
    rt(
        "ec2:launch-template",
        "ec2:DescribeLaunchTemplates",
        &["CreateLaunchTemplate"],
    ),
    ResourceType {
        created_from: CreatedFrom::CloudTrail,
        ..rt(
            "lambda:function",
            "lambda:ListFunctions",
            &["CreateFunction*"],
        )
    },
    global(rt("iam:user", "iam:ListUsers", &["CreateUser"])),
    global(rt(
        "iam:access-key",
        "iam:ListAccessKeys",
        &["CreateAccessKey"],
    )),
    global(rt(
        "iam:login-profile",
        "iam:GetLoginProfile",
        &["CreateLoginProfile"],
    )),
    global(rt("iam:role", "iam:ListRoles", &["CreateRole"])),
    global(rt("iam:policy", "iam:ListPolicies", &["CreatePolicy"])),
];

const fn rt(
    ty: &'static str,
    api: &'static str,
    creation_events: &'static [&'static str],
) -> ResourceType {
    ResourceType {
        ty,
        api,
        created_from: CreatedFrom::Api,
        creation_events,
        global: false,
    }
}

const fn global(mut r: ResourceType) -> ResourceType {
    r.global = true;
    r
}

/// The resource type named `ty`.
pub fn resource_type(ty: &str) -> Option<&'static ResourceType> {
    RESOURCE_TYPES.iter().find(|r| r.ty == ty)
}

impl ResourceType {
    /// Whether CloudTrail's `eventName` creates this type.
    pub fn is_created_by(&self, event_name: &str) -> bool {
        self.creation_events
            .iter()
            .any(|e| match e.strip_suffix('*') {
                Some(prefix) => event_name.starts_with(prefix),
                None => event_name == *e,
            })
    }
}

/// The AWS CLI command a person would run to remove a resource (hiyari runs none), as
/// text to review. `id` is the resource's id (for IAM access keys `USER/KEY`, for
/// login profiles the user name). Every value is single-quoted for a POSIX shell, so a
/// hostile name stays one argument and nothing in it is expanded.
pub fn removal_command(ty: &str, region: &str, id: &str) -> Option<String> {
    let q = shell_quote;
    let r = q(region);
    let cmd = match ty {
        "ec2:instance" => format!("aws ec2 terminate-instances --region {r} --instance-ids {}", q(id)),
        "ec2:spot-instances-request" => format!(
            "aws ec2 cancel-spot-instance-requests --region {r} --spot-instance-request-ids {}",
            q(id)
        ),
        "ec2:spot-fleet-request" => format!(
            "aws ec2 cancel-spot-fleet-requests --region {r} --spot-fleet-request-ids {} --terminate-instances",
            q(id)
        ),
        "ec2:fleet" => format!(
            "aws ec2 delete-fleets --region {r} --fleet-ids {} --terminate-instances",
            q(id)
        ),
        // Reserved instances cannot be deleted: only AWS Support can refund them.
        "ec2:reserved-instances" => format!(
            "aws support create-case --subject {} --communication-body {} --service-code billing --category-code other --language en --region us-east-1",
            q("Unauthorized reserved instance purchase"),
            q(&format!("Reserved instances {id} in {region} were bought with a leaked key; please cancel and refund them."))
        ),
        "ec2:volume" => format!("aws ec2 delete-volume --region {r} --volume-id {}", q(id)),
        "ec2:snapshot" => format!("aws ec2 delete-snapshot --region {r} --snapshot-id {}", q(id)),
        "ec2:image" => format!("aws ec2 deregister-image --region {r} --image-id {}", q(id)),
        "ec2:key-pair" => format!("aws ec2 delete-key-pair --region {r} --key-name {}", q(id)),
        "ec2:security-group" => format!("aws ec2 delete-security-group --region {r} --group-id {}", q(id)),
        "ec2:launch-template" => format!(
            "aws ec2 delete-launch-template --region {r} --launch-template-id {}",
            q(id)
        ),
        "lambda:function" => format!("aws lambda delete-function --region {r} --function-name {}", q(id)),
        "iam:user" => format!("aws iam delete-user --user-name {}  # after removing its keys, login profile, policies and groups", q(id)),
        "iam:access-key" => {
            let (user, key) = id.split_once('/').unwrap_or(("", id));
            format!("aws iam delete-access-key --user-name {} --access-key-id {}", q(user), q(key))
        }
        "iam:login-profile" => format!("aws iam delete-login-profile --user-name {}", q(id)),
        "iam:role" => format!("aws iam delete-role --role-name {}  # after detaching its policies and removing it from instance profiles", q(id.rsplit('/').next().unwrap_or(id))),
        "iam:policy" => format!("aws iam delete-policy --policy-arn {}  # after detaching it and deleting its other versions", q(id)),
        _ => return None,
    };
    Some(cmd)
}

/// `s` single-quoted for a POSIX shell: nothing inside is expanded; a `'` is written
/// `'\''`.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_a_removal_command_and_a_read_only_list_call() {
        for t in RESOURCE_TYPES {
            let cmd = removal_command(t.ty, "eu-west-1", "x-1").unwrap();
            assert!(cmd.starts_with("aws "), "{cmd}");
            assert!(crate::check::is_read_only_action(t.api), "{}", t.api);
            assert!(
                iam_actions().contains(&t.api),
                "{} is not read by a sweep source",
                t.api
            );
        }
        for a in iam_actions() {
            assert!(crate::check::is_read_only_action(a), "{a}");
        }
    }

    #[test]
    fn removal_commands_quote_hostile_names() {
        let cmd = removal_command("ec2:key-pair", "us-east-1", "k'; rm -rf / #$(id)").unwrap();
        assert_eq!(
            cmd,
            r"aws ec2 delete-key-pair --region 'us-east-1' --key-name 'k'\''; rm -rf / #$(id)'"
        );
        let cmd = removal_command("iam:access-key", "global", "bob/AKIAEXAMPLE").unwrap();
        assert!(cmd.contains("--user-name 'bob' --access-key-id 'AKIAEXAMPLE'"));
    }

    #[test]
    fn lambda_event_names_carry_a_version() {
        let t = resource_type("lambda:function").unwrap();
        assert!(t.is_created_by("CreateFunction20150331"));
        assert!(!t.is_created_by("DeleteFunction20150331"));
        assert!(resource_type("ec2:instance")
            .unwrap()
            .is_created_by("RunInstances"));
    }
}
