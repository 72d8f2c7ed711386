use std::collections::BTreeSet;

use crate::check::{Check, Cx, Source};
use crate::checks::{ingress_rules, security_group_resource};
use crate::evidence;
use crate::finding::{Finding, Resource, Severity};
use crate::inventory::IpRule;

crate::check! {
    /// Fails when a security group attached to a network interface lets anyone on the
    /// internet reach an administration or database port in `ports` (default 22, 3389, 23,
    /// 3306, 5432, 1433, 1521, 27017, 6379, 9200, 11211, 2375, 2376, 5601; critical when it
    /// opens every port).
    ///
    /// ## What it does
    /// In every scanned region, reads the same DescribeSecurityGroups and
    /// DescribeNetworkInterfaces pages as sg-unrestricted-egress (no call of its own). A
    /// group in use (carried by at least one network interface) fails when an inbound rule
    /// from 0.0.0.0/0 or ::/0 covers one of the listed ports (by default 22 SSH, 3389 RDP,
    /// 23 Telnet, 3306 MySQL, 5432 PostgreSQL, 1433 SQL Server, 1521 Oracle, 27017 MongoDB,
    /// 6379 Redis, 9200 Elasticsearch, 11211 Memcached, 2375 and 2376 Docker, 5601 Kibana;
    /// [checks.sg-open-ingress] ports), with TCP, UDP or all protocols; a port range counts
    /// when it includes a listed port. A rule that opens all protocols, or every TCP or
    /// UDP port, fails as critical. The evidence names each rule (protocol, ports, source)
    /// and the network interfaces that carry the group.
    ///
    /// ## Why is this bad
    /// In INC-2017-SECURITY-JAWS the breach widened through a test instance with a default
    /// password that anyone on the internet could reach. The abuse reports of
    /// INC-PUBLIC-IMAGES-AND-NOTICES are about hosts open to the internet: SSH, RDP and
    /// database ports are scanned within minutes of an address going live, and an exposed
    /// Redis, MongoDB, Elasticsearch or Docker API is taken over without any password.
    ///
    /// ## How to fix
    /// Remove the rule and reach the host another way: AWS Systems Manager Session Manager
    /// instead of SSH or RDP, a VPN or a bastion with its own address list, databases in
    /// private subnets. `aws ec2 revoke-security-group-ingress --region REGION --group-id
    /// SG --ip-permissions 'IpProtocol=tcp,FromPort=22,ToPort=22,IpRanges=[{CidrIp=0.0.0.0/0}]'`
    /// (and the same with Ipv6Ranges=[{CidrIpv6=::/0}]); if the port must stay reachable,
    /// allow only the addresses that need it.
    pub struct SgOpenIngress;
    id: "sg-open-ingress",
    title: "Security groups in use do not open administration or database ports to the internet",
    severity: High,
    scope: Region,
    incidents: [SECURITY_JAWS, PUBLIC_IMAGES],
    sources: [SecurityGroups, NetworkInterfaces],
    params {
        /// The administration and database ports that must not be open to the internet.
        pub ports: Vec<u16> = vec![
            22, 3389, 23, 3306, 5432, 1433, 1521, 27017, 6379, 9200, 11211, 2375, 2376, 5601,
        ],
    }
}

const ANYONE: [&str; 2] = ["0.0.0.0/0", "::/0"];

/// What an inbound rule from anyone opens.
#[derive(Debug, PartialEq)]
enum Opens {
    /// All protocols, or every TCP or UDP port.
    Everything,
    /// These listed ports.
    Ports(Vec<u16>),
}

/// What `rule` opens to the internet among `ports`, and from which source; `None` when
/// it opens none of them or is not from anyone.
fn opens<'r>(rule: &'r IpRule, ports: &[u16]) -> Option<(Opens, &'r str)> {
    let source = rule
        .ipv4_ranges
        .iter()
        .chain(&rule.ipv6_ranges)
        .map(String::as_str)
        .find(|c| ANYONE.contains(c))?;
    if rule.protocol == "-1" || rule.protocol.eq_ignore_ascii_case("all") {
        return Some((Opens::Everything, source));
    }
    if !matches!(rule.protocol.as_str(), "tcp" | "udp" | "6" | "17") {
        return None;
    }
    // EC2 gives TCP and UDP rules a range; a missing bound reads as the widest.
    let from = rule.from_port.unwrap_or(0);
    let to = rule.to_port.unwrap_or(65535);
    if from <= 1 && to >= 65535 {
        return Some((Opens::Everything, source));
    }
    let hit: Vec<u16> = ports
        .iter()
        .copied()
        .filter(|p| (from..=to).contains(&i32::from(*p)))
        .collect();
    (!hit.is_empty()).then_some((Opens::Ports(hit), source))
}

impl Check for SgOpenIngress {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        let ports = &cx.params::<Params>().ports;
        cx.per_region(Source::SecurityGroups, |region, inv| {
            let groups = inv.security_groups.of(Source::SecurityGroups)?;
            let mut open = Vec::new();
            for g in groups {
                let ingress = ingress_rules(g)?;
                let rules: Vec<_> = ingress
                    .iter()
                    .filter_map(|r| opens(r, ports).map(|(what, from)| (r, what, from)))
                    .collect();
                if !rules.is_empty() {
                    open.push((g, rules));
                }
            }
            if open.is_empty() {
                return Ok(vec![b.pass(
                    Some(region),
                    Resource::region(region),
                    format!(
                        "No security group in {region} opens an administration or database port to the internet"
                    ),
                    evidence! { "security_groups" => groups.len(), "ports" => ports },
                )]);
            }
            // Whether an open group is in use decides, so the interfaces must be read.
            let enis = inv.network_interfaces.of(Source::NetworkInterfaces)?;
            let in_use: BTreeSet<&str> = enis
                .iter()
                .flat_map(|n| n.group_ids.iter().map(String::as_str))
                .collect();
            let mut unattached = Vec::new();
            let mut out = Vec::new();
            for (g, rules) in open {
                if !in_use.contains(g.id.as_str()) {
                    unattached.push(g.id.clone());
                    continue;
                }
                let interfaces: Vec<&str> = enis
                    .iter()
                    .filter(|n| n.group_ids.contains(&g.id))
                    .map(|n| n.id.as_str())
                    .collect();
                let everything = rules.iter().any(|(_, w, _)| *w == Opens::Everything);
                let mut exposed: Vec<u16> = rules
                    .iter()
                    .flat_map(|(_, w, _)| match w {
                        Opens::Ports(p) => p.clone(),
                        Opens::Everything => vec![],
                    })
                    .collect();
                exposed.sort_unstable();
                exposed.dedup();
                let rules_ev: Vec<_> = rules
                    .iter()
                    .map(|(r, _, from)| {
                        serde_json::json!({
                            "protocol": r.protocol, "from_port": r.from_port,
                            "to_port": r.to_port, "source": from,
                        })
                    })
                    .collect();
                let what = if everything {
                    "every port".to_string()
                } else {
                    format!(
                        "port(s) {}",
                        exposed
                            .iter()
                            .map(u16::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let mut f = b.fail(
                    Some(region),
                    security_group_resource(b, region, g),
                    format!(
                        "Security group {} in {region} opens {what} to {} and is attached to {} network interface(s)",
                        g.id,
                        rules[0].2,
                        interfaces.len()
                    ),
                    evidence! {
                        "group_name" => g.name,
                        "vpc_id" => g.vpc_id,
                        "open_rules" => rules_ev,
                        "exposed_ports" => exposed,
                        "network_interfaces" => interfaces,
                    },
                );
                if everything {
                    f.severity = Severity::Critical;
                }
                out.push(f);
            }
            if out.is_empty() {
                out.push(b.pass(
                    Some(region),
                    Resource::region(region),
                    format!(
                        "No security group in use in {region} opens an administration or database port to the internet ({} unattached group(s) do)",
                        unattached.len()
                    ),
                    evidence! {
                        "security_groups" => groups.len(),
                        "ports" => ports,
                        "unattached_groups_open_to_the_internet" => unattached,
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

    fn sg(id: &str, ingress: Vec<IpRule>) -> SecurityGroup {
        security_group(id, vec![], ingress)
    }

    #[test]
    fn rule_shapes() {
        let ports = Params::default().ports;
        let ssh = rule("tcp", Some(22), Some(22), &["0.0.0.0/0"], &[]);
        assert_eq!(
            opens(&ssh, &ports),
            Some((Opens::Ports(vec![22]), "0.0.0.0/0"))
        );
        // A range that covers listed ports counts, for each of them.
        let range = rule("tcp", Some(3000), Some(6000), &[], &["::/0"]);
        assert_eq!(
            opens(&range, &ports),
            Some((Opens::Ports(vec![3389, 3306, 5432, 5601]), "::/0"))
        );
        assert_eq!(
            opens(&rule("-1", None, None, &["0.0.0.0/0"], &[]), &ports),
            Some((Opens::Everything, "0.0.0.0/0"))
        );
        assert_eq!(
            opens(
                &rule("udp", Some(0), Some(65535), &["0.0.0.0/0"], &[]),
                &ports
            ),
            Some((Opens::Everything, "0.0.0.0/0"))
        );
        // Web ports, a private source, ICMP: nothing to report.
        assert_eq!(
            opens(
                &rule("tcp", Some(443), Some(443), &["0.0.0.0/0"], &[]),
                &ports
            ),
            None
        );
        assert_eq!(
            opens(
                &rule("tcp", Some(22), Some(22), &["10.0.0.0/8"], &[]),
                &ports
            ),
            None
        );
        assert_eq!(
            opens(
                &rule("icmp", Some(-1), Some(-1), &["0.0.0.0/0"], &[]),
                &ports
            ),
            None
        );
        // The ports are a parameter.
        assert_eq!(
            opens(
                &rule("tcp", Some(8080), Some(8080), &["0.0.0.0/0"], &[]),
                &[8080]
            ),
            Some((Opens::Ports(vec![8080]), "0.0.0.0/0"))
        );
    }

    #[test]
    fn attached_open_groups_fail_critical_when_everything_is_open() {
        let mut acc = account(&["us-east-1", "sa-east-1"]);
        let sa = region(&mut acc, "sa-east-1");
        sa.security_groups = Collected::Ok(vec![
            sg(
                "sg-ssh",
                vec![rule("tcp", Some(22), Some(22), &["0.0.0.0/0"], &[])],
            ),
            sg("sg-all", vec![rule("-1", None, None, &[], &["::/0"])]),
            sg(
                "sg-web",
                vec![rule("tcp", Some(443), Some(443), &["0.0.0.0/0"], &[])],
            ),
            sg(
                "sg-unattached",
                vec![rule("tcp", Some(3389), Some(3389), &["0.0.0.0/0"], &[])],
            ),
        ]);
        sa.network_interfaces = Collected::Ok(vec![
            eni("eni-1", &["sg-ssh", "sg-web"]),
            eni("eni-2", &["sg-all", "sg-ssh"]),
        ]);
        let f = run(&SgOpenIngress, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("sa-east-1"), "sg-all"),
                o(Status::Fail, Some("sa-east-1"), "sg-ssh"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        let all = f.iter().find(|f| f.resource.id == "sg-all").unwrap();
        assert_eq!(all.severity, Severity::Critical);
        assert!(all.message.contains("every port"), "{}", all.message);
        let ssh = f.iter().find(|f| f.resource.id == "sg-ssh").unwrap();
        assert_eq!(ssh.severity, Severity::High);
        assert_eq!(ssh.evidence["exposed_ports"], serde_json::json!([22]));
        assert_eq!(
            ssh.evidence["network_interfaces"],
            serde_json::json!(["eni-1", "eni-2"])
        );
        assert_eq!(ssh.evidence["open_rules"][0]["source"], "0.0.0.0/0");
    }

    #[test]
    fn unattached_open_groups_pass_and_are_named() {
        let mut acc = account(&["us-east-1"]);
        region(&mut acc, "us-east-1").security_groups = Collected::Ok(vec![sg(
            "sg-lonely",
            vec![rule("tcp", Some(22), Some(22), &["0.0.0.0/0"], &[])],
        )]);
        let f = run(&SgOpenIngress, &acc);
        assert_eq!(
            outcome(&f),
            vec![o(Status::Pass, Some("us-east-1"), "us-east-1")]
        );
        assert_eq!(
            f[0].evidence["unattached_groups_open_to_the_internet"],
            serde_json::json!(["sg-lonely"])
        );
    }

    #[test]
    fn unreadable_groups_interfaces_or_rules_are_errors() {
        let mut acc = account(&["us-east-1", "sa-east-1", "eu-west-1"]);
        region(&mut acc, "us-east-1").security_groups =
            Collected::Error(denied("ec2:DescribeSecurityGroups"));
        let sa = region(&mut acc, "sa-east-1");
        sa.security_groups = Collected::Ok(vec![sg(
            "sg-ssh",
            vec![rule("tcp", Some(22), Some(22), &["0.0.0.0/0"], &[])],
        )]);
        sa.network_interfaces = Collected::Error(denied("ec2:DescribeNetworkInterfaces"));
        // An inventory saved before inbound rules were recorded.
        let mut old = sg("sg-old", vec![]);
        old.ingress = None;
        region(&mut acc, "eu-west-1").security_groups = Collected::Ok(vec![old]);
        let f = run(&SgOpenIngress, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Error, Some("eu-west-1"), "eu-west-1"),
                o(Status::Error, Some("sa-east-1"), "sa-east-1"),
                o(Status::Error, Some("us-east-1"), "us-east-1"),
            ]
        );
        let old = f
            .iter()
            .find(|f| f.region.as_deref() == Some("eu-west-1"))
            .unwrap();
        assert_eq!(old.evidence["error_code"], "NotCollected");
        let sa = f
            .iter()
            .find(|f| f.region.as_deref() == Some("sa-east-1"))
            .unwrap();
        assert_eq!(sa.evidence["api"], "ec2:DescribeNetworkInterfaces");
    }
}
