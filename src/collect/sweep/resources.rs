//! The live resources a sweep lists, every scanned region at once: EC2 (instances, spot
//! requests and fleets, EC2 fleets, reserved instances, volumes, snapshots and AMIs the
//! account owns, key pairs, launch templates, security groups), Lambda functions, and
//! IAM's users, access keys, login profiles, roles and customer-managed policies.

use std::collections::BTreeMap;

use futures::future::join_all;
use hiyari_checks::inventory::sweep::LiveResource;
use hiyari_checks::{CollectError, Collected};

use crate::collect::{ec2, ids_present, pages, ts, Session};

type ByType = BTreeMap<String, Collected<Vec<LiveResource>>>;

fn live(id: &str, created_at: Option<String>, state: Option<String>) -> LiveResource {
    LiveResource {
        id: id.to_string(),
        name: None,
        created_at,
        state,
        modified_at: None,
    }
}

fn named(mut r: LiveResource, name: Option<&str>) -> LiveResource {
    r.name = name.filter(|n| !n.is_empty()).map(str::to_string);
    r
}

/// Each item one of the audit's EC2 collectors read, as a live resource.
fn each<T>(
    got: Result<Vec<T>, CollectError>,
    f: impl FnMut(T) -> LiveResource,
) -> Result<Vec<LiveResource>, CollectError> {
    got.map(|v| v.into_iter().map(f).collect())
}

fn checked(api: &str, v: Vec<LiveResource>) -> Result<Vec<LiveResource>, CollectError> {
    ids_present(api, &v, |r| &r.id)?;
    Ok(v)
}

/// Every type in every scanned region, and IAM's as region `global`.
pub async fn all(s: &Session, iam: &aws_sdk_iam::Client) -> BTreeMap<String, ByType> {
    let regions = join_all(
        s.regions
            .scanned
            .iter()
            .map(|r| async move { (r.clone(), region(s, r).await) }),
    );
    let (regions, global) = tokio::join!(regions, super::iam::resources(s, iam));
    let mut out: BTreeMap<String, ByType> = regions.into_iter().collect();
    out.insert("global".into(), global);
    out
}

async fn region(s: &Session, region: &str) -> ByType {
    let c = s.ec2(region);
    let lambda = s.lambda(region);
    // The audit's EC2 collectors first, then the sweep's own: all at once.
    let (inst, spot, sfr, imgs, sgs, fleets, ri, vols, snaps, keys, lts, fns) = tokio::join!(
        ec2::instances(s, &c),
        ec2::spot_requests(s, &c),
        ec2::spot_fleets(s, &c),
        ec2::images(s, &c),
        ec2::security_groups(s, &c),
        fleets(s, &c),
        reserved(s, &c),
        volumes(s, &c),
        snapshots(s, &c),
        key_pairs(s, &c),
        launch_templates(s, &c),
        functions(s, &lambda),
    );
    let inst = each(inst, |i| {
        let state = Some(i.state.to_string());
        named(live(&i.id, i.launch_time, state), i.name.as_deref())
    });
    let spot = each(spot, |r| {
        live(&r.id, r.create_time, Some(r.state.to_string()))
    });
    let sfr = each(sfr, |r| {
        live(&r.id, r.create_time, Some(r.state.to_string()))
    });
    // The AMIs the account owns (some endpoints answer with others' too).
    let me = s.identity.account_id.as_str();
    let imgs = imgs.map(|v| {
        v.into_iter()
            .filter(|i| i.owner_id.as_deref().is_none_or(|o| o == me))
            .map(|i| named(live(&i.id, i.creation_date, None), i.name.as_deref()))
            .collect()
    });
    let sgs = each(sgs, |g| named(live(&g.id, None, None), g.name.as_deref()));
    let mut m = ByType::new();
    for (ty, got) in [
        ("ec2:instance", inst),
        ("ec2:spot-instances-request", spot),
        ("ec2:spot-fleet-request", sfr),
        ("ec2:fleet", fleets),
        ("ec2:reserved-instances", ri),
        ("ec2:volume", vols),
        ("ec2:snapshot", snaps),
        ("ec2:image", imgs),
        ("ec2:key-pair", keys),
        ("ec2:launch-template", lts),
        ("ec2:security-group", sgs),
        ("lambda:function", fns),
    ] {
        m.insert(ty.to_string(), Collected::from_result(got));
    }
    m
}

async fn fleets(s: &Session, c: &aws_sdk_ec2::Client) -> Result<Vec<LiveResource>, CollectError> {
    const API: &str = "ec2:DescribeFleets";
    let mut v = Vec::new();
    pages(
        &s.limiter,
        API,
        |t| {
            c.describe_fleets()
                .max_results(1000)
                .set_next_token(t)
                .send()
        },
        |out| {
            v.extend(out.fleets().iter().map(|f| {
                live(
                    f.fleet_id().unwrap_or_default(),
                    ts(f.create_time()),
                    f.fleet_state().map(|st| st.as_str().to_string()),
                )
            }));
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    checked(API, v)
}

async fn reserved(s: &Session, c: &aws_sdk_ec2::Client) -> Result<Vec<LiveResource>, CollectError> {
    const API: &str = "ec2:DescribeReservedInstances";
    let out = s
        .limiter
        .call(API, c.describe_reserved_instances().send())
        .await?;
    let v = out
        .reserved_instances()
        .iter()
        .map(|r| {
            live(
                r.reserved_instances_id().unwrap_or_default(),
                ts(r.start()),
                r.state().map(|st| st.as_str().to_string()),
            )
        })
        .collect();
    checked(API, v)
}

async fn volumes(s: &Session, c: &aws_sdk_ec2::Client) -> Result<Vec<LiveResource>, CollectError> {
    const API: &str = "ec2:DescribeVolumes";
    let mut v = Vec::new();
    pages(
        &s.limiter,
        API,
        |t| {
            c.describe_volumes()
                .max_results(500)
                .set_next_token(t)
                .send()
        },
        |out| {
            v.extend(out.volumes().iter().map(|x| {
                live(
                    x.volume_id().unwrap_or_default(),
                    ts(x.create_time()),
                    x.state().map(|st| st.as_str().to_string()),
                )
            }));
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    checked(API, v)
}

/// Snapshots the account owns (`OwnerIds=self`; the owner is compared too, as some
/// endpoints answer with others').
async fn snapshots(
    s: &Session,
    c: &aws_sdk_ec2::Client,
) -> Result<Vec<LiveResource>, CollectError> {
    const API: &str = "ec2:DescribeSnapshots";
    let mut v = Vec::new();
    let me = s.identity.account_id.as_str();
    pages(
        &s.limiter,
        API,
        |t| {
            c.describe_snapshots()
                .owner_ids("self")
                .max_results(1000)
                .set_next_token(t)
                .send()
        },
        |out| {
            v.extend(
                out.snapshots()
                    .iter()
                    .filter(|x| x.owner_id().is_none_or(|o| o == me))
                    .map(|x| {
                        live(
                            x.snapshot_id().unwrap_or_default(),
                            ts(x.start_time()),
                            x.state().map(|st| st.as_str().to_string()),
                        )
                    }),
            );
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    checked(API, v)
}

async fn key_pairs(
    s: &Session,
    c: &aws_sdk_ec2::Client,
) -> Result<Vec<LiveResource>, CollectError> {
    const API: &str = "ec2:DescribeKeyPairs";
    let out = s.limiter.call(API, c.describe_key_pairs().send()).await?;
    // The key's name is what every other call takes; its id is kept as the name too.
    let v = out
        .key_pairs()
        .iter()
        .map(|k| {
            named(
                live(k.key_name().unwrap_or_default(), ts(k.create_time()), None),
                k.key_pair_id(),
            )
        })
        .collect();
    checked(API, v)
}

async fn launch_templates(
    s: &Session,
    c: &aws_sdk_ec2::Client,
) -> Result<Vec<LiveResource>, CollectError> {
    const API: &str = "ec2:DescribeLaunchTemplates";
    let mut v = Vec::new();
    pages(
        &s.limiter,
        API,
        |t| {
            c.describe_launch_templates()
                .max_results(200)
                .set_next_token(t)
                .send()
        },
        |out| {
            v.extend(out.launch_templates().iter().map(|l| {
                named(
                    live(
                        l.launch_template_id().unwrap_or_default(),
                        ts(l.create_time()),
                        None,
                    ),
                    l.launch_template_name(),
                )
            }));
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    checked(API, v)
}

/// Lambda ListFunctions gives no creation time: `LastModified` is kept, and the
/// creation event dates the function.
async fn functions(
    s: &Session,
    c: &aws_sdk_lambda::Client,
) -> Result<Vec<LiveResource>, CollectError> {
    const API: &str = "lambda:ListFunctions";
    let mut v = Vec::new();
    pages(
        &s.limiter,
        API,
        |t| c.list_functions().max_items(50).set_marker(t).send(),
        |out| {
            v.extend(out.functions().iter().map(|f| {
                let mut r = named(
                    live(f.function_name().unwrap_or_default(), None, None),
                    f.function_arn(),
                );
                r.state = f.state().map(|st| st.as_str().to_string());
                r.modified_at = f.last_modified().map(str::to_string);
                r
            }));
            out.next_marker().map(str::to_string)
        },
    )
    .await?;
    checked(API, v)
}
