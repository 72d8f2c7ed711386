//! EC2, per region: images, public snapshots, instances, spot requests and fleets,
//! security groups and network interfaces. One paged list call each; never a call per
//! resource.

use aws_sdk_ec2::types::{Filter, PermissionGroup, SnapshotAttributeName};

use super::answer::aws_text;
use futures::future::join_all;
use hiyari_checks::inventory::{
    BlockPublicAccessState, Image, Instance, IpRule, NetworkInterface, SecurityGroup, Snapshot,
    SpotFleet, SpotRequest,
};
use hiyari_checks::CollectError;

use super::{ids_present, pages, ts, Session};

type Ec2 = aws_sdk_ec2::Client;

/// A filter of an EC2 Describe call: `name` is one of `values`.
fn describe_filter(name: &str, values: &[&str]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(values.iter().map(|v| v.to_string()).collect()))
        .build()
}

/// AMIs the account owns.
pub async fn images(s: &Session, ec2: &Ec2) -> Result<Vec<Image>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "ec2:DescribeImages",
        |t| {
            ec2.describe_images()
                .owners("self")
                .max_results(1000)
                .set_next_token(t)
                .send()
        },
        |out| {
            v.extend(out.images().iter().map(|i| Image {
                id: i.image_id().unwrap_or_default().to_string(),
                name: i.name().map(aws_text),
                owner_id: i.owner_id().map(str::to_string),
                public: i.public().unwrap_or(false),
                creation_date: i.creation_date().map(str::to_string),
            }));
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    ids_present("ec2:DescribeImages", &v, |x| &x.id)?;
    Ok(v)
}

/// Snapshots anyone can restore, as returned for `OwnerIds=self`,
/// `RestorableByUserIds=all`.
pub async fn public_snapshots(s: &Session, ec2: &Ec2) -> Result<Vec<Snapshot>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "ec2:DescribeSnapshots",
        |t| {
            ec2.describe_snapshots()
                .owner_ids("self")
                .restorable_by_user_ids("all")
                .max_results(1000)
                .set_next_token(t)
                .send()
        },
        |out| {
            // Emulators (and some partitions) answer with others' public snapshots too:
            // keep only the account's own (or those whose owner is not stated).
            let me = s.identity.account_id.as_str();
            let ours = out
                .snapshots()
                .iter()
                .filter(|sn| sn.owner_id().is_none_or(|o| o == me));
            v.extend(ours.map(|sn| Snapshot {
                id: sn.snapshot_id().unwrap_or_default().to_string(),
                owner_id: sn.owner_id().map(str::to_string),
                volume_id: sn.volume_id().map(str::to_string),
                volume_size_gib: sn.volume_size(),
                description: sn.description().map(aws_text),
                start_time: ts(sn.start_time()),
                encrypted: sn.encrypted(),
                create_volume_permission_all: None,
                permission_error: None,
            }));
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    ids_present("ec2:DescribeSnapshots", &v, |x| &x.id)?;
    // Confirm each candidate's permission: one call per snapshot the list called public
    // (none on an account without public snapshots). An unreadable attribute leaves the
    // listing to decide, and says why.
    join_all(v.iter_mut().map(|sn| async move {
        let got = s
            .limiter
            .call(
                "ec2:DescribeSnapshotAttribute",
                ec2.describe_snapshot_attribute()
                    .snapshot_id(&sn.id)
                    .attribute(SnapshotAttributeName::CreateVolumePermission)
                    .send(),
            )
            .await;
        match got {
            Ok(out) => {
                sn.create_volume_permission_all = Some(
                    out.create_volume_permissions()
                        .iter()
                        .any(|p| p.group() == Some(&PermissionGroup::All)),
                )
            }
            Err(e) => sn.permission_error = Some(e),
        }
    }))
    .await;
    Ok(v)
}

/// Instances that exist (pending, running, stopping, stopped).
pub async fn instances(s: &Session, ec2: &Ec2) -> Result<Vec<Instance>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "ec2:DescribeInstances",
        |t| {
            ec2.describe_instances()
                .filters(describe_filter(
                    "instance-state-name",
                    &["pending", "running", "stopping", "stopped"],
                ))
                .max_results(1000)
                .set_next_token(t)
                .send()
        },
        |out| {
            for r in out.reservations() {
                v.extend(r.instances().iter().map(|i| {
                    Instance {
                        id: i.instance_id().unwrap_or_default().to_string(),
                        state: i
                            .state()
                            .and_then(|st| st.name())
                            .map_or_else(|| "unknown".into(), |n| n.as_str().into()),
                        instance_type: i.instance_type().map(|t| t.as_str().to_string()),
                        launch_time: ts(i.launch_time()),
                        spot_request_id: i.spot_instance_request_id().map(str::to_string),
                        name: i
                            .tags()
                            .iter()
                            .find(|t| t.key() == Some("Name"))
                            .and_then(|t| t.value())
                            .map(aws_text),
                    }
                }));
            }
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    ids_present("ec2:DescribeInstances", &v, |x| &x.id)?;
    Ok(v)
}

/// Spot instance requests that are open or active.
pub async fn spot_requests(s: &Session, ec2: &Ec2) -> Result<Vec<SpotRequest>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "ec2:DescribeSpotInstanceRequests",
        |t| {
            ec2.describe_spot_instance_requests()
                .filters(describe_filter("state", &["open", "active"]))
                .max_results(1000)
                .set_next_token(t)
                .send()
        },
        |out| {
            v.extend(out.spot_instance_requests().iter().map(|r| {
                SpotRequest {
                    id: r.spot_instance_request_id().unwrap_or_default().to_string(),
                    state: r
                        .state()
                        .map_or_else(|| "unknown".into(), |st| st.as_str().into()),
                    instance_type: r
                        .launch_specification()
                        .and_then(|l| l.instance_type())
                        .map(|t| t.as_str().to_string()),
                    create_time: ts(r.create_time()),
                    instance_id: r.instance_id().map(str::to_string),
                }
            }));
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    ids_present("ec2:DescribeSpotInstanceRequests", &v, |x| &x.id)?;
    Ok(v)
}

/// Spot fleet requests (every state: the check keeps active and modifying ones).
pub async fn spot_fleets(s: &Session, ec2: &Ec2) -> Result<Vec<SpotFleet>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "ec2:DescribeSpotFleetRequests",
        |t| {
            ec2.describe_spot_fleet_requests()
                .max_results(1000)
                .set_next_token(t)
                .send()
        },
        |out| {
            v.extend(out.spot_fleet_request_configs().iter().map(|c| {
                SpotFleet {
                    id: c.spot_fleet_request_id().unwrap_or_default().to_string(),
                    state: c
                        .spot_fleet_request_state()
                        .map_or_else(|| "unknown".into(), |st| st.as_str().into()),
                    target_capacity: c
                        .spot_fleet_request_config()
                        .and_then(|cfg| cfg.target_capacity()),
                    create_time: ts(c.create_time()),
                }
            }));
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    ids_present("ec2:DescribeSpotFleetRequests", &v, |x| &x.id)?;
    Ok(v)
}

/// A permission's protocol, ports and CIDRs (group and prefix-list sources are left out:
/// they are never "anyone").
fn ip_rule(p: &aws_sdk_ec2::types::IpPermission) -> IpRule {
    IpRule {
        protocol: p.ip_protocol().unwrap_or("-1").to_string(),
        from_port: p.from_port(),
        to_port: p.to_port(),
        ipv4_ranges: p
            .ip_ranges()
            .iter()
            .filter_map(|r| r.cidr_ip().map(str::to_string))
            .collect(),
        ipv6_ranges: p
            .ipv6_ranges()
            .iter()
            .filter_map(|r| r.cidr_ipv6().map(str::to_string))
            .collect(),
    }
}

pub async fn security_groups(s: &Session, ec2: &Ec2) -> Result<Vec<SecurityGroup>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "ec2:DescribeSecurityGroups",
        |t| {
            ec2.describe_security_groups()
                .max_results(1000)
                .set_next_token(t)
                .send()
        },
        |out| {
            v.extend(out.security_groups().iter().map(|g| SecurityGroup {
                id: g.group_id().unwrap_or_default().to_string(),
                name: g.group_name().map(aws_text),
                vpc_id: g.vpc_id().map(str::to_string),
                owner_id: g.owner_id().map(str::to_string),
                egress: g.ip_permissions_egress().iter().map(ip_rule).collect(),
                ingress: Some(g.ip_permissions().iter().map(ip_rule).collect()),
            }));
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    ids_present("ec2:DescribeSecurityGroups", &v, |x| &x.id)?;
    Ok(v)
}

pub async fn network_interfaces(
    s: &Session,
    ec2: &Ec2,
) -> Result<Vec<NetworkInterface>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "ec2:DescribeNetworkInterfaces",
        |t| {
            ec2.describe_network_interfaces()
                .max_results(1000)
                .set_next_token(t)
                .send()
        },
        |out| {
            v.extend(out.network_interfaces().iter().map(|n| {
                NetworkInterface {
                    id: n.network_interface_id().unwrap_or_default().to_string(),
                    group_ids: n
                        .groups()
                        .iter()
                        .filter_map(|g| g.group_id().map(str::to_string))
                        .collect(),
                    description: n.description().map(aws_text),
                }
            }));
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    ids_present("ec2:DescribeNetworkInterfaces", &v, |x| &x.id)?;
    Ok(v)
}

/// EBS snapshot block public access: `block-all-sharing`, `block-new-sharing` or
/// `unblocked`.
pub async fn snapshot_block_public_access(
    s: &Session,
    ec2: &Ec2,
) -> Result<BlockPublicAccessState, CollectError> {
    let api = "ec2:GetSnapshotBlockPublicAccessState";
    let out = s
        .limiter
        .call(api, ec2.get_snapshot_block_public_access_state().send())
        .await?;
    out.state()
        .map(|st| st.as_str().into())
        .ok_or_else(|| CollectError::new(api, "IncompleteAnswer", "the answer has no state"))
}

/// Block public access for AMIs: `block-new-sharing` or `unblocked`.
pub async fn image_block_public_access(
    s: &Session,
    ec2: &Ec2,
) -> Result<BlockPublicAccessState, CollectError> {
    let api = "ec2:GetImageBlockPublicAccessState";
    let out = s
        .limiter
        .call(api, ec2.get_image_block_public_access_state().send())
        .await?;
    out.image_block_public_access_state()
        .map(BlockPublicAccessState::from)
        .ok_or_else(|| CollectError::new(api, "IncompleteAnswer", "the answer has no state"))
}

#[cfg(test)]
mod bpa_tests {
    use super::*;
    use crate::collect::testing::mock;
    use crate::collect::testing::{mock_session, ok_xml, xml_error};

    #[tokio::test]
    async fn reads_both_block_public_access_states() {
        let snap = mock!(aws_sdk_ec2::Client::get_snapshot_block_public_access_state)
            .then_http_response(|| {
                ok_xml(
                    r#"<?xml version="1.0" encoding="UTF-8"?>
<GetSnapshotBlockPublicAccessStateResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>3f1b7d0e-1111-4000-8000-000000000000</requestId><state>unblocked</state><managedBy>account</managedBy></GetSnapshotBlockPublicAccessStateResponse>"#,
                )
            });
        let image = mock!(aws_sdk_ec2::Client::get_image_block_public_access_state)
            .then_http_response(|| {
                ok_xml(
                    r#"<?xml version="1.0" encoding="UTF-8"?>
<GetImageBlockPublicAccessStateResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>3f1b7d0e-2222-4000-8000-000000000000</requestId><imageBlockPublicAccessState>block-new-sharing</imageBlockPublicAccessState><managedBy>account</managedBy></GetImageBlockPublicAccessStateResponse>"#,
                )
            });
        let (s, seen) = mock_session(&[&snap, &image], "us-east-1");
        let ec2 = s.ec2("sa-east-1");
        assert_eq!(
            snapshot_block_public_access(&s, &ec2).await.unwrap(),
            "unblocked"
        );
        assert_eq!(
            image_block_public_access(&s, &ec2).await.unwrap(),
            "block-new-sharing"
        );
        assert_eq!(seen.regions(), ["sa-east-1", "sa-east-1"]);
    }

    /// A group without its id in the answer: an error for the region, never a finding
    /// about a resource with an empty id.
    #[tokio::test]
    async fn an_item_without_its_id_is_an_error() {
        let list = mock!(aws_sdk_ec2::Client::describe_security_groups).then_http_response(|| {
            ok_xml(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeSecurityGroupsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>3f1b7d0e-3333-4000-8000-000000000000</requestId><securityGroupInfo><item><ownerId>123456789012</ownerId><groupName>nameless</groupName><groupDescription>x</groupDescription><vpcId>vpc-1</vpcId><ipPermissions/><ipPermissionsEgress/></item></securityGroupInfo></DescribeSecurityGroupsResponse>"#,
            )
        });
        let (s, _) = mock_session(&[&list], "us-east-1");
        let e = security_groups(&s, &s.ec2("us-east-1")).await.unwrap_err();
        assert_eq!(
            (e.api.as_str(), e.code.as_str()),
            ("ec2:DescribeSecurityGroups", "IncompleteResponse")
        );
    }

    #[tokio::test]
    async fn a_denied_call_names_the_action() {
        let snap = mock!(aws_sdk_ec2::Client::get_snapshot_block_public_access_state)
            .then_http_response(|| {
                xml_error(
                    403,
                    "UnauthorizedOperation",
                    "You are not authorized to perform this operation.",
                    true,
                )
            });
        let (s, _) = mock_session(&[&snap], "us-east-1");
        let e = snapshot_block_public_access(&s, &s.ec2("us-east-1"))
            .await
            .unwrap_err();
        assert_eq!(
            (e.api.as_str(), e.code.as_str()),
            (
                "ec2:GetSnapshotBlockPublicAccessState",
                "UnauthorizedOperation"
            )
        );
    }
}
