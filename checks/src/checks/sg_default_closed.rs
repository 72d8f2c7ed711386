use crate::check::{Check, Cx, Source};
use crate::checks::{ingress_rules, security_group_resource};
use crate::evidence;
use crate::finding::{Finding, Resource};
use crate::inventory::IpRule;

crate::check! {
    /// Fails when the default security group of a VPC allows any traffic, in or out.
    ///
    /// ## What it does
    /// In every scanned region, reads the same DescribeSecurityGroups pages as
    /// sg-unrestricted-egress (no call of its own). Each VPC's default security group (the
    /// group named `default`, which AWS creates with the VPC and which cannot be deleted)
    /// fails when it has any inbound or outbound rule, whatever its source or destination:
    /// CIDRs, other groups or prefix lists. One finding per default group, whose evidence
    /// lists the rules; a region whose default groups have no rule passes, and a region
    /// with no VPC passes with nothing to inspect.
    ///
    /// ## Why is this bad
    /// AWS creates the default group allowing all traffic between its members and all
    /// outbound traffic, and every instance, network interface or database launched
    /// without a group of its own lands in it. In INC-2024-ROOT-KEY-IN-SCRIPT an old
    /// instance nobody watched talked to an address on the internet because outbound
    /// traffic was open; in INC-2017-SECURITY-JAWS one test instance reachable by
    /// attackers widened the breach, which a group open between all its members makes
    /// easy: whatever lands in the default group reaches everything else in it, on every
    /// port.
    ///
    /// ## How to fix
    /// Give every resource in the default group a group of its own that allows only what it
    /// needs (find them with `aws ec2 describe-network-interfaces --region REGION --filters
    /// Name=group-id,Values=SG`), then remove every rule of the default group: `aws ec2
    /// revoke-security-group-ingress --region REGION --group-id SG --security-group-rule-ids
    /// RULE...` and `aws ec2 revoke-security-group-egress` with its outbound rule ids (`aws
    /// ec2 describe-security-group-rules --region REGION --filters Name=group-id,Values=SG`
    /// lists them).
    pub struct SgDefaultClosed;
    id: "sg-default-closed",
    title: "Default security groups allow no traffic",
    severity: Medium,
    scope: Region,
    incidents: [ROOT_KEY_IN_SCRIPT, SECURITY_JAWS],
    sources: [SecurityGroups],
}

/// The name AWS gives each VPC's default group, and lets no other group take.
const DEFAULT: &str = "default";

/// A rule as the evidence shows it.
fn described(r: &IpRule) -> serde_json::Value {
    let cidrs: Vec<&String> = r.ipv4_ranges.iter().chain(&r.ipv6_ranges).collect();
    serde_json::json!({
        "protocol": r.protocol,
        "from_port": r.from_port,
        "to_port": r.to_port,
        // Sources and destinations that are groups or prefix lists are not recorded.
        "cidrs": cidrs,
    })
}

impl Check for SgDefaultClosed {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.per_region(Source::SecurityGroups, |region, inv| {
            let groups = inv.security_groups.of(Source::SecurityGroups)?;
            let defaults: Vec<_> = groups
                .iter()
                .filter(|g| g.name.as_deref() == Some(DEFAULT))
                .collect();
            if defaults.is_empty() {
                return Ok(vec![b.nothing_to_inspect(
                    Some(region),
                    Resource::region(region),
                    format!("No VPC in {region}, so no default security group"),
                    "no VPC",
                    evidence! {},
                )]);
            }
            let mut out = Vec::new();
            for g in &defaults {
                let ingress = ingress_rules(g)?;
                if ingress.is_empty() && g.egress.is_empty() {
                    continue;
                }
                out.push(b.fail(
                    Some(region),
                    security_group_resource(b, region, g),
                    format!(
                        "The default security group {} of {} in {region} has {} inbound and {} outbound rule(s)",
                        g.id,
                        g.vpc_id.as_deref().unwrap_or("its VPC"),
                        ingress.len(),
                        g.egress.len()
                    ),
                    evidence! {
                        "vpc_id" => g.vpc_id,
                        "inbound_rules" => ingress.iter().map(described).collect::<Vec<_>>(),
                        "outbound_rules" => g.egress.iter().map(described).collect::<Vec<_>>(),
                    },
                ));
            }
            if out.is_empty() {
                out.push(b.pass(
                    Some(region),
                    Resource::region(region),
                    format!(
                        "The {} default security group(s) in {region} have no rules",
                        defaults.len()
                    ),
                    evidence! {
                        "default_groups" => defaults.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(),
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
    use crate::inventory::{Collected, SecurityGroup};

    /// A VPC's default group as AWS creates it: all traffic from its own members (a rule
    /// naming the group, so no CIDR), all traffic out.
    fn as_created(id: &str) -> SecurityGroup {
        SecurityGroup {
            name: Some(DEFAULT.into()),
            ..security_group(
                id,
                vec![rule("-1", None, None, &["0.0.0.0/0"], &[])],
                vec![rule("-1", None, None, &[], &[])],
            )
        }
    }

    fn closed(id: &str) -> SecurityGroup {
        SecurityGroup {
            name: Some(DEFAULT.into()),
            ..security_group(id, vec![], vec![])
        }
    }

    #[test]
    fn a_default_group_as_aws_creates_it_fails_with_its_rules() {
        let mut acc = account(&["us-east-1", "sa-east-1"]);
        region(&mut acc, "us-east-1").security_groups = Collected::Ok(vec![
            as_created("sg-def1"),
            // A group of its own with rules is not this check's concern.
            security_group(
                "sg-web",
                vec![rule("-1", None, None, &["0.0.0.0/0"], &[])],
                vec![],
            ),
        ]);
        region(&mut acc, "sa-east-1").security_groups = Collected::Ok(vec![
            closed("sg-def2"),
            security_group("sg-x", vec![], vec![]),
        ]);
        let out = run(&SgDefaultClosed, &acc);
        assert_eq!(
            outcome(&out),
            vec![
                o(Status::Fail, Some("us-east-1"), "sg-def1"),
                o(Status::Pass, Some("sa-east-1"), "sa-east-1"),
            ]
        );
        let fail = out.iter().find(|f| f.status == Status::Fail).unwrap();
        assert!(
            fail.message.contains("1 inbound and 1 outbound"),
            "{}",
            fail.message
        );
        assert_eq!(
            fail.evidence["inbound_rules"][0]["cidrs"],
            serde_json::json!([])
        );
        assert_eq!(
            fail.evidence["outbound_rules"][0]["cidrs"],
            serde_json::json!(["0.0.0.0/0"])
        );
        assert_eq!(fail.evidence["vpc_id"], "vpc-1");
    }

    #[test]
    fn one_rule_either_way_is_enough_to_fail() {
        for (egress, ingress) in [
            (
                vec![],
                vec![rule("tcp", Some(443), Some(443), &["10.0.0.0/8"], &[])],
            ),
            (
                vec![rule("udp", Some(53), Some(53), &[], &["::/0"])],
                vec![],
            ),
        ] {
            let mut acc = account(&["us-east-1"]);
            region(&mut acc, "us-east-1").security_groups = Collected::Ok(vec![SecurityGroup {
                name: Some(DEFAULT.into()),
                ..security_group("sg-def", egress, ingress)
            }]);
            let out = run(&SgDefaultClosed, &acc);
            assert_eq!(
                outcome(&out),
                vec![o(Status::Fail, Some("us-east-1"), "sg-def")]
            );
        }
    }

    #[test]
    fn a_region_without_a_vpc_has_nothing_to_inspect() {
        let mut acc = account(&["us-east-1"]);
        region(&mut acc, "us-east-1").security_groups = Collected::Ok(vec![]);
        let out = run(&SgDefaultClosed, &acc);
        assert_eq!(
            outcome(&out),
            vec![o(Status::Pass, Some("us-east-1"), "us-east-1")]
        );
        assert_eq!(out[0].nothing_to_inspect(), Some("no VPC"));
    }

    #[test]
    fn groups_that_could_not_be_read_are_an_error_never_a_pass() {
        let mut acc = account(&["us-east-1", "sa-east-1"]);
        region(&mut acc, "us-east-1").security_groups =
            Collected::Error(denied(Source::SecurityGroups.api()));
        region(&mut acc, "sa-east-1").security_groups = Collected::Ok(vec![SecurityGroup {
            ingress: None,
            ..closed("sg-old")
        }]);
        let out = run(&SgDefaultClosed, &acc);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|f| f.status == Status::Error), "{out:?}");
        let (denied, old): (Vec<_>, Vec<_>) = out
            .into_iter()
            .partition(|f| f.region.as_deref() == Some("us-east-1"));
        assert_errors_named(&denied, Source::SecurityGroups.api(), "AccessDenied");
        assert_errors_named(&old, Source::SecurityGroups.api(), "NotCollected");
    }
}
