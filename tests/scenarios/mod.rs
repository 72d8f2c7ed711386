//! Scenarios built through the AWS API against moto_server: a breached account
//! replaying INC-2015-LEAKED-ROOT-KEY, and a clean account where every check passes.
#![allow(dead_code)]

use aws_sdk_ec2::types::{
    InstanceType, IpPermission, IpRange, LaunchPermission, LaunchPermissionModifications,
    RequestSpotLaunchSpecification,
};

use crate::support::{Moto, ACCOUNT};

/// An image id moto knows in `region` (one of its built-in AMIs).
pub async fn some_ami(ec2: &aws_sdk_ec2::Client) -> String {
    let out = ec2
        .describe_images()
        .owners("amazon")
        .send()
        .await
        .expect("describe images");
    out.images()[0].image_id().unwrap().to_string()
}

/// Runs `n` instances in `region`; returns their ids.
pub async fn run_instances(
    moto: &Moto,
    region: &str,
    n: i32,
    instance_type: InstanceType,
    security_group: Option<&str>,
) -> Vec<String> {
    let ec2 = aws_sdk_ec2::Client::new(&moto.sdk(region).await);
    let ami = some_ami(&ec2).await;
    let mut req = ec2
        .run_instances()
        .image_id(ami)
        .min_count(n)
        .max_count(n)
        .instance_type(instance_type);
    if let Some(sg) = security_group {
        req = req.security_group_ids(sg);
    }
    let out = req.send().await.expect("run instances");
    out.instances()
        .iter()
        .map(|i| i.instance_id().unwrap().to_string())
        .collect()
}

/// The leaked-root-key account: a root key, no root MFA, a console user without MFA,
/// no budget, no GuardDuty anywhere, 20 large instances and an open spot request in
/// sa-east-1 (the owner works from ap-northeast-1), on the default security group.
/// Returns the ids that unused-region-compute must report.
pub async fn leaked_root_key(moto: &mut Moto) -> Vec<String> {
    moto.set_root(false, true);
    let iam = aws_sdk_iam::Client::new(&moto.sdk("us-east-1").await);
    iam.create_user()
        .user_name("blog-author")
        .send()
        .await
        .unwrap();
    iam.create_login_profile()
        .user_name("blog-author")
        .password("Passw0rd!Passw0rd!")
        .send()
        .await
        .unwrap();
    let mut ids = run_instances(moto, "sa-east-1", 20, InstanceType::C48xlarge, None).await;
    let ec2 = aws_sdk_ec2::Client::new(&moto.sdk("sa-east-1").await);
    let ami = some_ami(&ec2).await;
    let spot = ec2
        .request_spot_instances()
        .spot_price("2.00")
        .instance_count(1)
        .launch_specification(
            RequestSpotLaunchSpecification::builder()
                .image_id(ami)
                .instance_type(InstanceType::C48xlarge)
                .build(),
        )
        .send()
        .await
        .unwrap();
    ids.extend(
        spot.spot_instance_requests()
            .iter()
            .map(|r| r.spot_instance_request_id().unwrap().to_string()),
    );
    // moto may fulfil the spot request with an instance of its own: that instance is
    // compute in sa-east-1 too.
    let live = ec2.describe_instances().send().await.unwrap();
    for r in live.reservations() {
        for i in r.instances() {
            let id = i.instance_id().unwrap().to_string();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids.sort();
    ids
}

/// Public AMI and public snapshot in `region`, plus a snapshot and an AMI shared with
/// one named account only (which are not public). The instance the images are made
/// from keeps running, on the region's default security group (open egress).
/// Returns (public AMI, public snapshot).
pub async fn public_images(moto: &Moto, region: &str) -> (String, String) {
    let ec2 = aws_sdk_ec2::Client::new(&moto.sdk(region).await);
    let inst = run_instances(moto, region, 1, InstanceType::T3Micro, None).await;
    let mut amis = Vec::new();
    for name in ["public-image", "shared-image"] {
        let img = ec2
            .create_image()
            .instance_id(&inst[0])
            .name(name)
            .send()
            .await
            .unwrap();
        amis.push(img.image_id().unwrap().to_string());
    }
    ec2.modify_image_attribute()
        .image_id(&amis[0])
        .launch_permission(
            LaunchPermissionModifications::builder()
                .add(
                    LaunchPermission::builder()
                        .group(aws_sdk_ec2::types::PermissionGroup::All)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    ec2.modify_image_attribute()
        .image_id(&amis[1])
        .launch_permission(
            LaunchPermissionModifications::builder()
                .add(LaunchPermission::builder().user_id("111122223333").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    let az = format!("{region}a");
    let vol = ec2
        .create_volume()
        .availability_zone(&az)
        .size(8)
        .send()
        .await
        .unwrap();
    let mut snaps = Vec::new();
    for d in ["public", "shared"] {
        let s = ec2
            .create_snapshot()
            .volume_id(vol.volume_id().unwrap())
            .description(d)
            .send()
            .await
            .unwrap();
        snaps.push(s.snapshot_id().unwrap().to_string());
    }
    ec2.modify_snapshot_attribute()
        .snapshot_id(&snaps[0])
        .attribute(aws_sdk_ec2::types::SnapshotAttributeName::CreateVolumePermission)
        .operation_type(aws_sdk_ec2::types::OperationType::Add)
        .group_names("all")
        .send()
        .await
        .unwrap();
    ec2.modify_snapshot_attribute()
        .snapshot_id(&snaps[1])
        .attribute(aws_sdk_ec2::types::SnapshotAttributeName::CreateVolumePermission)
        .operation_type(aws_sdk_ec2::types::OperationType::Add)
        .user_ids("111122223333")
        .send()
        .await
        .unwrap();
    (amis[0].clone(), snaps[0].clone())
}

/// Every region moto says is enabled for the account.
pub async fn enabled_regions(moto: &Moto) -> Vec<String> {
    let ec2 = aws_sdk_ec2::Client::new(&moto.sdk("us-east-1").await);
    let out = ec2.describe_regions().send().await.unwrap();
    let mut v: Vec<String> = out
        .regions()
        .iter()
        .filter(|r| {
            matches!(
                r.opt_in_status(),
                Some("opt-in-not-required") | Some("opted-in") | None
            )
        })
        .map(|r| r.region_name().unwrap().to_string())
        .filter(|r| !r.starts_with("cn-") && !r.starts_with("us-gov-"))
        .collect();
    v.sort();
    v
}

/// A clean account: root MFA and no root key, every console user with MFA, a budget
/// with a notification, GuardDuty on in every region, the one instance in the home
/// region behind a security group that only allows HTTPS to the VPC, and images and
/// snapshots shared with one named account only.
pub async fn clean(moto: &mut Moto, home: &str) {
    moto.set_root(true, false);
    let iam = aws_sdk_iam::Client::new(&moto.sdk("us-east-1").await);
    iam.create_user()
        .user_name("operator")
        .send()
        .await
        .unwrap();
    iam.create_login_profile()
        .user_name("operator")
        .password("Passw0rd!Passw0rd!")
        .send()
        .await
        .unwrap();
    let mfa = iam
        .create_virtual_mfa_device()
        .virtual_mfa_device_name("operator")
        .send()
        .await
        .unwrap();
    iam.enable_mfa_device()
        .user_name("operator")
        .serial_number(mfa.virtual_mfa_device().unwrap().serial_number())
        .authentication_code1("123456")
        .authentication_code2("654321")
        .send()
        .await
        .unwrap();
    iam.create_user().user_name("ci-bot").send().await.unwrap();

    let budgets = aws_sdk_budgets::Client::new(&moto.sdk("us-east-1").await);
    use aws_sdk_budgets::types::*;
    budgets
        .create_budget()
        .account_id(ACCOUNT)
        .budget(
            Budget::builder()
                .budget_name("monthly")
                .budget_limit(Spend::builder().amount("100").unit("USD").build().unwrap())
                .time_unit(TimeUnit::Monthly)
                .budget_type(BudgetType::Cost)
                .build()
                .unwrap(),
        )
        .notifications_with_subscribers(
            NotificationWithSubscribers::builder()
                .notification(
                    Notification::builder()
                        .notification_type(NotificationType::Actual)
                        .comparison_operator(ComparisonOperator::GreaterThan)
                        .threshold(80.0)
                        .build()
                        .unwrap(),
                )
                .subscribers(
                    Subscriber::builder()
                        .subscription_type(SubscriptionType::Email)
                        .address("owner@example.com")
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();

    for region in enabled_regions(moto).await {
        let gd = aws_sdk_guardduty::Client::new(&moto.sdk(&region).await);
        gd.create_detector().enable(true).send().await.unwrap();
    }

    let ec2 = aws_sdk_ec2::Client::new(&moto.sdk(home).await);
    let vpc = ec2
        .describe_vpcs()
        .send()
        .await
        .unwrap()
        .vpcs()
        .iter()
        .find(|v| v.is_default() == Some(true))
        .and_then(|v| v.vpc_id())
        .unwrap()
        .to_string();
    let sg = ec2
        .create_security_group()
        .group_name("web-https-only")
        .description("HTTPS to the VPC only")
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string();
    ec2.revoke_security_group_egress()
        .group_id(&sg)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("-1")
                .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    ec2.authorize_security_group_egress()
        .group_id(&sg)
        .ip_permissions(
            IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(443)
                .to_port(443)
                .ip_ranges(IpRange::builder().cidr_ip("10.0.0.0/8").build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    run_instances(moto, home, 1, InstanceType::T3Micro, Some(&sg)).await;
}
