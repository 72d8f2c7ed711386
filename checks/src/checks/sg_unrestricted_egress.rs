use std::collections::BTreeSet;

use crate::check::{Check, Cx, Source};
use crate::checks::security_group_resource;
use crate::evidence;
use crate::finding::{Finding, Resource};
use crate::inventory::IpRule;

crate::check! {
    /// Fails when a security group attached to a network interface allows all protocols, or
    /// all ports, out to 0.0.0.0/0 or ::/0.
    ///
    /// ## What it does
    /// In every scanned region, DescribeSecurityGroups and DescribeNetworkInterfaces (both
    /// paged). A group is in use when at least one network interface carries it. Fails for
    /// each group in use that has an egress rule allowing all protocols (-1), or TCP or UDP
    /// on every port (0 or 1 to 65535), to 0.0.0.0/0 or ::/0. Groups attached to nothing
    /// are listed in the evidence but do not fail, unless [checks.sg-unrestricted-egress]
    /// include_unused = true.
    ///
    /// ## Why is this bad
    /// In INC-2024-ROOT-KEY-IN-SCRIPT GuardDuty flagged an instance talking to an
    /// unexpected DNS server: an old cron job nobody knew of, free to reach anything
    /// because egress was open. The 'Your AWS Abuse Report' notice of INC-AWS-NOTICES is
    /// what AWS sends when a compromised instance uses open egress to scan other hosts.
    ///
    /// ## How to fix
    /// Replace the allow-all egress rule with the destinations the workload needs: `aws ec2
    /// revoke-security-group-egress --region REGION --group-id SG --ip-permissions
    /// 'IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}]'` (and the same with
    /// Ipv6Ranges=[{CidrIpv6=::/0}]), then `aws ec2 authorize-security-group-egress` for
    /// each port and destination (for example 443 to a VPC endpoint's prefix list). Use VPC
    /// endpoints or a proxy for AWS APIs and updates.
    pub struct SgUnrestrictedEgress;
    id: "sg-unrestricted-egress",
    title: "Security groups in use do not allow all traffic out",
    severity: Medium,
    scope: Region,
    incidents: [ROOT_KEY_IN_SCRIPT, AWS_NOTICES],
    sources: [SecurityGroups, NetworkInterfaces],
    params {
        /// Also fail open groups attached to no network interface.
        pub include_unused: bool = false,
    }
}

const ANY: [&str; 2] = ["0.0.0.0/0", "::/0"];

/// The destination a rule opens to everyone, if it allows all protocols or all ports.
fn open_destination(rule: &IpRule) -> Option<&str> {
    let all_protocols = rule.protocol == "-1" || rule.protocol.eq_ignore_ascii_case("all");
    let all_ports = matches!(rule.protocol.as_str(), "tcp" | "udp" | "6" | "17")
        && rule.from_port.unwrap_or(0) <= 1
        && rule.to_port.unwrap_or(65535) >= 65535;
    if !(all_protocols || all_ports) {
        return None;
    }
    rule.ipv4_ranges
        .iter()
        .chain(&rule.ipv6_ranges)
        .map(String::as_str)
        .find(|c| ANY.contains(c))
}

impl Check for SgUnrestrictedEgress {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        let include_unused = cx.params::<Params>().include_unused;
        cx.per_region(Source::SecurityGroups, |region, inv| {
            let groups = inv.security_groups.of(Source::SecurityGroups)?;
            let open: Vec<_> = groups
                .iter()
                .filter_map(|g| {
                    let rules: Vec<_> = g
                        .egress
                        .iter()
                        .filter_map(|r| open_destination(r).map(|d| (r, d)))
                        .collect();
                    (!rules.is_empty()).then_some((g, rules))
                })
                .collect();
            if open.is_empty() {
                return Ok(vec![b.pass(
                    Some(region),
                    Resource::region(region),
                    format!("No security group in {region} allows all traffic out"),
                    evidence! { "security_groups" => groups.len() },
                )]);
            }
            // Some group is open: whether it is in use decides, so the interfaces must
            // have been read.
            let enis = inv.network_interfaces.of(Source::NetworkInterfaces)?;
            let in_use: BTreeSet<&str> = enis
                .iter()
                .flat_map(|n| n.group_ids.iter().map(String::as_str))
                .collect();
            let mut unused = Vec::new();
            let mut out = Vec::new();
            for (g, rules) in open {
                if !in_use.contains(g.id.as_str()) && !include_unused {
                    unused.push(g.id.clone());
                    continue;
                }
                let interfaces: Vec<_> = enis
                    .iter()
                    .filter(|n| n.group_ids.contains(&g.id))
                    .map(|n| n.id.as_str())
                    .collect();
                let rules_ev: Vec<_> = rules
                    .iter()
                    .map(|(r, d)| {
                        serde_json::json!({
                            "protocol": r.protocol, "from_port": r.from_port,
                            "to_port": r.to_port, "destination": d,
                        })
                    })
                    .collect();
                out.push(b.fail(
                    Some(region),
                    security_group_resource(b, region, g),
                    if interfaces.is_empty() {
                        format!(
                            "Security group {} in {region} allows all traffic out to {} (attached to nothing yet; include_unused is on)",
                            g.id, rules[0].1
                        )
                    } else {
                        format!(
                            "Security group {} in {region} is attached to {} network interface(s) and allows all traffic out to {}",
                            g.id,
                            interfaces.len(),
                            rules[0].1
                        )
                    },
                    evidence! {
                        "group_name" => g.name,
                        "vpc_id" => g.vpc_id,
                        "open_rules" => rules_ev,
                        "network_interfaces" => interfaces,
                    },
                ));
            }
            if out.is_empty() {
                out.push(b.pass(
                    Some(region),
                    Resource::region(region),
                    format!(
                        "No security group in use in {region} allows all traffic out ({} unattached group(s) do)",
                        unused.len()
                    ),
                    evidence! {
                        "security_groups" => groups.len(),
                        "unattached_groups_with_open_egress" => unused,
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

    fn sg(id: &str, egress: Vec<IpRule>) -> SecurityGroup {
        security_group(id, egress, vec![])
    }

    #[test]
    fn open_rule_shapes() {
        assert!(open_destination(&rule("-1", None, None, &["0.0.0.0/0"], &[])).is_some());
        assert_eq!(
            open_destination(&rule("-1", None, None, &[], &["::/0"])),
            Some("::/0")
        );
        assert!(
            open_destination(&rule("tcp", Some(0), Some(65535), &["0.0.0.0/0"], &[])).is_some()
        );
        assert!(
            open_destination(&rule("udp", Some(1), Some(65535), &["0.0.0.0/0"], &[])).is_some()
        );
        assert!(
            open_destination(&rule("tcp", Some(443), Some(443), &["0.0.0.0/0"], &[])).is_none()
        );
        assert!(open_destination(&rule("-1", None, None, &["10.0.0.0/8"], &[])).is_none());
        assert!(open_destination(&rule("icmp", Some(-1), Some(-1), &["0.0.0.0/0"], &[])).is_none());
    }

    #[test]
    fn attached_open_groups_fail_unattached_do_not() {
        let mut acc = account(&["us-east-1", "sa-east-1"]);
        let sa = region(&mut acc, "sa-east-1");
        sa.security_groups = Collected::Ok(vec![
            sg(
                "sg-open4",
                vec![rule("-1", None, None, &["0.0.0.0/0"], &[])],
            ),
            sg("sg-open6", vec![rule("-1", None, None, &[], &["::/0"])]),
            sg(
                "sg-unattached",
                vec![rule("-1", None, None, &["0.0.0.0/0"], &[])],
            ),
            sg(
                "sg-443",
                vec![rule("tcp", Some(443), Some(443), &["0.0.0.0/0"], &[])],
            ),
        ]);
        sa.network_interfaces = Collected::Ok(vec![
            eni("eni-1", &["sg-open4", "sg-443"]),
            eni("eni-2", &["sg-open6"]),
        ]);
        let us = region(&mut acc, "us-east-1");
        us.security_groups = Collected::Ok(vec![sg(
            "sg-lonely",
            vec![rule("-1", None, None, &["0.0.0.0/0"], &[])],
        )]);
        let f = run(&SgUnrestrictedEgress, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("sa-east-1"), "sg-open4"),
                o(Status::Fail, Some("sa-east-1"), "sg-open6"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        let pass = f.iter().find(|f| f.status == Status::Pass).unwrap();
        assert_eq!(
            pass.evidence["unattached_groups_with_open_egress"],
            serde_json::json!(["sg-lonely"])
        );
    }

    #[test]
    fn include_unused_fails_unattached_open_groups_too() {
        let mut acc = account(&["us-east-1"]);
        let us = region(&mut acc, "us-east-1");
        us.security_groups = Collected::Ok(vec![sg(
            "sg-lonely",
            vec![rule("-1", None, None, &["0.0.0.0/0"], &[])],
        )]);
        let opts = EvalOptions {
            params: crate::params::ParamsById::default().with(
                META.id,
                Params {
                    include_unused: true,
                },
            ),
            ..EvalOptions::default()
        };
        let f = run_with(&SgUnrestrictedEgress, &acc, &opts);
        assert_eq!(
            outcome(&f),
            vec![o(Status::Fail, Some("us-east-1"), "sg-lonely")]
        );
        assert!(f[0].message.contains("attached to nothing"));
    }

    #[test]
    fn interfaces_unreadable_is_error_only_when_it_matters() {
        let mut acc = account(&["us-east-1", "sa-east-1"]);
        let sa = region(&mut acc, "sa-east-1");
        sa.security_groups = Collected::Ok(vec![sg(
            "sg-open",
            vec![rule("-1", None, None, &["0.0.0.0/0"], &[])],
        )]);
        sa.network_interfaces = Collected::Error(denied("ec2:DescribeNetworkInterfaces"));
        let us = region(&mut acc, "us-east-1");
        us.security_groups = Collected::Ok(vec![sg(
            "sg-443",
            vec![rule("tcp", Some(443), Some(443), &["0.0.0.0/0"], &[])],
        )]);
        us.network_interfaces = Collected::Error(denied("ec2:DescribeNetworkInterfaces"));
        let f = run(&SgUnrestrictedEgress, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Error, Some("sa-east-1"), "sa-east-1"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        assert_errors_named(&f, "ec2:DescribeNetworkInterfaces", "AccessDenied");
    }

    #[test]
    fn groups_unreadable_is_error() {
        let mut acc = account(&["us-east-1"]);
        region(&mut acc, "us-east-1").security_groups =
            Collected::Error(denied("ec2:DescribeSecurityGroups"));
        let f = run(&SgUnrestrictedEgress, &acc);
        assert_errors_named(&f, "ec2:DescribeSecurityGroups", "AccessDenied");
    }
}
