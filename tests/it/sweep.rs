//! `hiyari sweep` end to end: moto serves the live resources, created before and after a
//! time T; the test proxy answers CloudTrail LookupEvents (which moto lacks) from planted
//! records in CloudTrail's own shapes, paged and throttled at 2 requests a second per
//! region, AWS Health (no support plan) and EC2 DescribeReservedInstances. The sweep
//! `--since T` must find every planted resource and event with who created it, nothing
//! from before T, nothing by other principals when a key is named, and name a region it
//! could not read.

use std::collections::BTreeSet;
use std::time::Duration;

use aws_sdk_ec2::types::{InstanceType, RequestLaunchTemplateData};
use serde_json::{json, Value};

use crate::scenarios;
use crate::support::cloudtrail::{self, records, Trail};
use crate::support::proxy::{Faults, Match, Proxy};
use crate::support::*;

const HOME: &str = "us-east-1";
const REGIONS: &str = "us-east-1,sa-east-1,eu-west-1";
const ACCOUNT: &str = "123456789012";
const INTRUDER_IP: &str = "198.51.100.23";
const ROOT_IP: &str = "203.0.113.66";
const UA: &str =
    "Boto3/1.34.0 Python/3.11 <b>x</b> \u{1b}[2J [click](http://evil.example/) =cmd|' /C calc'!A0";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

/// What the breach left, to look for.
struct Breach {
    since: String,
    leaked: String,
    /// `(type, region, id)` created after T by the leaked key or keys minted from it.
    planted: Vec<(&'static str, String, String)>,
    /// Created after T by someone else.
    others: Vec<String>,
    /// Created before T.
    before: Vec<String>,
}

fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The account before and after T, in moto, and the event history of the breach.
async fn breach(moto: &mut Moto, trail: &Trail) -> Breach {
    scenarios::spend(
        moto,
        &[
            ("sa-east-1", "812.4000000000"),
            ("us-east-1", "3.1000000000"),
        ],
    );
    let iam = aws_sdk_iam::Client::new(&moto.sdk(HOME).await);
    let sa = aws_sdk_ec2::Client::new(&moto.sdk("sa-east-1").await);
    let eu = aws_sdk_ec2::Client::new(&moto.sdk("eu-west-1").await);
    // Before T: the deploy user and its key (the one that leaks), an instance, a volume.
    iam.create_user().user_name("deploy").send().await.unwrap();
    let leaked = iam
        .create_access_key()
        .user_name("deploy")
        .send()
        .await
        .unwrap()
        .access_key()
        .unwrap()
        .access_key_id()
        .to_string();
    let before_instance =
        scenarios::run_instances(moto, "sa-east-1", 1, InstanceType::T3Micro, None).await;
    let old_vol = sa
        .create_volume()
        .availability_zone("sa-east-1a")
        .size(8)
        .send()
        .await
        .unwrap()
        .volume_id()
        .unwrap()
        .to_string();
    // T: a whole second after the last creation, and the next creation a second later.
    let t = now_secs() + 2;
    while now_secs() < t + 1 {
        std::thread::sleep(Duration::from_millis(100));
    }
    let since = cloudtrail::rfc3339(t);
    let at = |s: i64| cloudtrail::rfc3339(t + s);
    let deploy = || records::user_identity(ACCOUNT, "deploy", &leaked);
    let role = |key: &str| records::role_identity(ACCOUNT, "admin", "x", key);

    // After T: what the intruder made.
    let ids = scenarios::run_instances(
        moto,
        "sa-east-1",
        2,
        InstanceType::from("c5.24xlarge"),
        None,
    )
    .await;
    let ops_instance =
        scenarios::run_instances(moto, "sa-east-1", 1, InstanceType::T3Micro, None).await;
    let ami = scenarios::some_ami(&sa).await;
    // moto lists its spot request as neither open nor active: it is not among the planted.
    let spot = scenarios::request_spot(&sa, &ami, "3.00", InstanceType::from("c5.24xlarge")).await;
    sa.create_key_pair().key_name("miner").send().await.unwrap();
    let sg = scenarios::security_group(&sa, "open-all", "intruder").await;
    let lt = sa
        .create_launch_template()
        .launch_template_name("miner-lt")
        .launch_template_data(RequestLaunchTemplateData::builder().image_id(&ami).build())
        .send()
        .await
        .unwrap()
        .launch_template()
        .unwrap()
        .launch_template_id()
        .unwrap()
        .to_string();
    let vol = eu
        .create_volume()
        .availability_zone("eu-west-1a")
        .size(500)
        .send()
        .await
        .unwrap()
        .volume_id()
        .unwrap()
        .to_string();
    let snap = eu
        .create_snapshot()
        .volume_id(&vol)
        .send()
        .await
        .unwrap()
        .snapshot_id()
        .unwrap()
        .to_string();
    iam.create_user()
        .user_name("backdoor")
        .send()
        .await
        .unwrap();
    let backdoor_key = iam
        .create_access_key()
        .user_name("backdoor")
        .send()
        .await
        .unwrap()
        .access_key()
        .unwrap()
        .access_key_id()
        .to_string();
    iam.create_login_profile()
        .user_name("backdoor")
        .password("Backd00r!Backd00r!")
        .send()
        .await
        .unwrap();
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role_arn = iam
        .create_role()
        .role_name("backdoor-role")
        .assume_role_policy_document(trust)
        .send()
        .await
        .unwrap()
        .role()
        .unwrap()
        .arn()
        .to_string();
    let policy_arn = iam
        .create_policy()
        .policy_name("backdoor-policy")
        .policy_document(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap()
        .policy()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    let lambda = aws_sdk_lambda::Client::new(&moto.sdk("eu-west-1").await);
    lambda
        .create_function()
        .function_name("miner-fn")
        .runtime(aws_sdk_lambda::types::Runtime::Python312)
        .role(&role_arn)
        .handler("index.handler")
        .code(
            aws_sdk_lambda::types::FunctionCode::builder()
                .zip_file(aws_smithy_types::Blob::new(
                    b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec(),
                ))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let ri = "af9f760e-6f91-4559-85f7-4980eEXAMPLE".to_string();

    // The event history: the leaked key mints a session, the session assumes a role,
    // the role's key launches and creates; the key itself creates IAM backdoors.
    let session = "ASIASESSIONKEY00001";
    let role_key = "ASIAROLEKEY00000001";
    let other_key = "AKIAOTHERKEY0000001";
    let add = |region: &str, r: Value, res: &[(&str, &str)]| trail.add(region, r, res);
    add(
        "us-east-1",
        records::minting(
            "m1",
            deploy(),
            &at(1),
            "GetSessionToken",
            "us-east-1",
            INTRUDER_IP,
            session,
        ),
        &[],
    );
    add(
        "us-east-1",
        records::minting(
            "m2",
            records::user_identity(ACCOUNT, "deploy", session),
            &at(2),
            "AssumeRole",
            "us-east-1",
            INTRUDER_IP,
            role_key,
        ),
        &[("AWS::IAM::Role", "arn:aws:iam::123456789012:role/admin")],
    );
    for (n, id) in ids.iter().enumerate() {
        add(
            "sa-east-1",
            records::run_instances(
                &format!("run{n}"),
                role(role_key),
                &at(3),
                "sa-east-1",
                INTRUDER_IP,
                UA,
                id,
            ),
            &[("AWS::EC2::Instance", id)],
        );
    }
    let call = |id: &str,
                region: &str,
                who: Value,
                secs: i64,
                source: &str,
                name: &str,
                req: Value,
                resp: Value,
                res: &[(&str, &str)]| {
        add(
            region,
            records::api_call(
                id,
                who,
                &at(secs),
                source,
                name,
                region,
                INTRUDER_IP,
                UA,
                req,
                resp,
            ),
            res,
        );
    };
    call(
        "spot",
        "sa-east-1",
        deploy(),
        4,
        "ec2.amazonaws.com",
        "RequestSpotInstances",
        json!({"spotPrice": "3.00"}),
        json!({"spotInstanceRequestSet": {"items": [{"spotInstanceRequestId": spot}]}}),
        &[],
    );
    call(
        "key",
        "sa-east-1",
        deploy(),
        4,
        "ec2.amazonaws.com",
        "CreateKeyPair",
        json!({"keyName": "miner"}),
        json!({"keyName": "miner", "keyFingerprint": "1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca:9f:f5:f1:6f"}),
        &[],
    );
    call(
        "sg",
        "sa-east-1",
        deploy(),
        5,
        "ec2.amazonaws.com",
        "CreateSecurityGroup",
        json!({"groupName": "open-all", "groupDescription": "intruder"}),
        json!({"_return": true, "groupId": sg}),
        &[],
    );
    call(
        "lt",
        "sa-east-1",
        deploy(),
        5,
        "ec2.amazonaws.com",
        "CreateLaunchTemplate",
        json!({"CreateLaunchTemplateRequest": {"LaunchTemplateName": "miner-lt"}}),
        json!({"CreateLaunchTemplateResponse": {"launchTemplate": {"launchTemplateId": lt, "launchTemplateName": "miner-lt"}}}),
        &[],
    );
    call(
        "ri",
        "sa-east-1",
        deploy(),
        6,
        "ec2.amazonaws.com",
        "PurchaseReservedInstancesOffering",
        json!({"instanceCount": 4}),
        json!({"reservedInstancesId": ri}),
        &[],
    );
    call(
        "vol",
        "eu-west-1",
        role(role_key),
        6,
        "ec2.amazonaws.com",
        "CreateVolume",
        json!({"size": 500, "zone": "eu-west-1a"}),
        json!({"volumeId": vol, "size": "500"}),
        &[("AWS::EC2::Volume", &vol)],
    );
    call(
        "snap",
        "eu-west-1",
        role(role_key),
        7,
        "ec2.amazonaws.com",
        "CreateSnapshot",
        json!({"volumeId": vol}),
        json!({"snapshotId": snap, "volumeId": vol}),
        &[("AWS::EC2::Snapshot", &snap)],
    );
    call(
        "fn",
        "eu-west-1",
        role(role_key),
        7,
        "lambda.amazonaws.com",
        "CreateFunction20150331",
        json!({"functionName": "miner-fn", "role": role_arn}),
        json!({"functionName": "miner-fn", "functionArn": "arn:aws:lambda:eu-west-1:123456789012:function:miner-fn"}),
        &[],
    );
    call(
        "user",
        "us-east-1",
        deploy(),
        8,
        "iam.amazonaws.com",
        "CreateUser",
        json!({"userName": "backdoor"}),
        json!({"user": {"userName": "backdoor", "arn": "arn:aws:iam::123456789012:user/backdoor"}}),
        &[],
    );
    call(
        "ak",
        "us-east-1",
        deploy(),
        8,
        "iam.amazonaws.com",
        "CreateAccessKey",
        json!({"userName": "backdoor"}),
        json!({"accessKey": {"accessKeyId": backdoor_key, "status": "Active", "userName": "backdoor"}}),
        &[],
    );
    call(
        "lp",
        "us-east-1",
        deploy(),
        9,
        "iam.amazonaws.com",
        "CreateLoginProfile",
        json!({"userName": "backdoor"}),
        json!({"loginProfile": {"userName": "backdoor", "passwordResetRequired": false}}),
        &[],
    );
    call(
        "role",
        "us-east-1",
        deploy(),
        9,
        "iam.amazonaws.com",
        "CreateRole",
        json!({"roleName": "backdoor-role"}),
        json!({"role": {"roleName": "backdoor-role", "arn": role_arn}}),
        &[],
    );
    call(
        "pol",
        "us-east-1",
        deploy(),
        9,
        "iam.amazonaws.com",
        "CreatePolicy",
        json!({"policyName": "backdoor-policy"}),
        json!({"policy": {"policyName": "backdoor-policy", "arn": policy_arn}}),
        &[],
    );
    // Reads by the role's key: pages of them in sa-east-1.
    for n in 0..24 {
        call(
            &format!("read{n}"),
            "sa-east-1",
            role(role_key),
            10,
            "ec2.amazonaws.com",
            "DescribeInstances",
            json!({}),
            json!(null),
            &[],
        );
    }
    // Someone else's work after T, and the leaked key's before T.
    add(
        "sa-east-1",
        records::run_instances(
            "ops1",
            records::user_identity(ACCOUNT, "ops", other_key),
            &at(4),
            "sa-east-1",
            "192.0.2.10",
            "aws-cli/2.15.0",
            &ops_instance[0],
        ),
        &[("AWS::EC2::Instance", &ops_instance[0])],
    );
    add(
        "sa-east-1",
        records::run_instances(
            "old",
            deploy(),
            &at(-30),
            "sa-east-1",
            INTRUDER_IP,
            UA,
            &before_instance[0],
        ),
        &[("AWS::EC2::Instance", &before_instance[0])],
    );
    // Root signs in from an unknown address without MFA; a user with MFA.
    add(
        "us-east-1",
        records::console_login(
            "login1",
            ACCOUNT,
            true,
            "",
            &at(5),
            "us-east-1",
            ROOT_IP,
            false,
            true,
        ),
        &[],
    );
    add(
        "eu-west-1",
        records::console_login(
            "login2",
            ACCOUNT,
            false,
            "alice",
            &at(6),
            "eu-west-1",
            "192.0.2.44",
            true,
            true,
        ),
        &[],
    );
    // The history must not end after now: the sweep's window ends at its start.
    while now_secs() < t + 11 {
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut planted: Vec<(&'static str, String, String)> = ids
        .iter()
        .map(|i| ("ec2:instance", "sa-east-1".to_string(), i.clone()))
        .collect();
    planted.extend([
        ("ec2:key-pair", "sa-east-1".into(), "miner".into()),
        ("ec2:security-group", "sa-east-1".into(), sg),
        ("ec2:launch-template", "sa-east-1".into(), lt),
        ("ec2:reserved-instances", "sa-east-1".into(), ri.clone()),
        ("ec2:volume", "eu-west-1".into(), vol),
        ("ec2:snapshot", "eu-west-1".into(), snap),
        ("lambda:function", "eu-west-1".into(), "miner-fn".into()),
        ("iam:user", "global".into(), "backdoor".into()),
        ("iam:access-key", "global".into(), backdoor_key),
        ("iam:login-profile", "global".into(), "backdoor".into()),
        ("iam:role", "global".into(), "backdoor-role".into()),
        ("iam:policy", "global".into(), policy_arn),
    ]);
    Breach {
        since,
        leaked,
        planted,
        others: ops_instance,
        before: vec![before_instance[0].clone(), old_vol, "deploy".into()],
    }
}

/// A proxy in front of moto answering what moto lacks, with `trail` as the history.
fn proxy_for(moto: &Moto, trail: &Trail, faults: Faults, ri_start: &str) -> Proxy {
    let proxy = Proxy::start(&moto.endpoint, faults);
    trail.serve(&proxy);
    cloudtrail::health_without_support_plan(&proxy);
    cloudtrail::reserved_instances(
        &proxy,
        "sa-east-1",
        vec![(
            "af9f760e-6f91-4559-85f7-4980eEXAMPLE".into(),
            ri_start.into(),
        )],
    );
    proxy
}

fn sweep(proxy: &Proxy, args: &[&str]) -> Measured {
    let mut cmd = hiyari_cmd(HOME);
    cmd.arg("sweep")
        .args(args)
        .args([
            "--regions",
            REGIONS,
            "--call-timeout",
            "300",
            "--endpoint-url",
        ])
        .arg(&proxy.endpoint);
    let m = run_within(&mut cmd, Duration::from_secs(600));
    eprintln!(
        "hiyari sweep {}: exit {:?} in {:.1}s; {}",
        args.join(" "),
        m.output.status.code(),
        m.wall.as_secs_f64(),
        stderr(&m.output).trim()
    );
    m
}

/// What an independent validator (Python's jsonschema) finds wrong with a report
/// against docs/schemas/hiyari.sweep.v1.schema.json.
fn schema_errors(report: &[u8]) -> Vec<String> {
    const CHECK: &str = r#"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.loads(sys.stdin.read())
V = jsonschema.validators.validator_for(schema)
V.check_schema(schema)
v = V(schema, format_checker=V.FORMAT_CHECKER)
print(json.dumps([e.message for e in v.iter_errors(doc)]))
"#;
    use std::io::Write;
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schemas/hiyari.sweep.v1.schema.json");
    let mut child = std::process::Command::new(python())
        .arg("-c")
        .arg(CHECK)
        .arg(&schema)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(report).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

fn found(report: &Value) -> BTreeSet<(String, String, String)> {
    report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["type"].as_str().unwrap().to_string(),
                r["region"].as_str().unwrap().to_string(),
                r["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_named_key_is_followed_through_the_keys_it_minted_in_every_region() {
    let rt = rt();
    let mut moto = Moto::start();
    let trail = Trail::new(5);
    let b = rt.block_on(breach(&mut moto, &trail));
    let proxy = proxy_for(
        &moto,
        &trail,
        Faults::none(),
        &cloudtrail::rfc3339(cloudtrail::epoch(&b.since) + 6),
    );
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("sweep.md");
    let html = dir.path().join("sweep.html");
    let m = sweep(
        &proxy,
        &[
            "--since",
            &b.since,
            "--access-key-id",
            &b.leaked,
            "--format",
            "json",
            "--output",
            &format!("markdown={}", md.display()),
            "--output",
            &format!("html={}", html.display()),
        ],
    );
    let r = report(&m.output);
    assert_eq!(r["schema"], "hiyari.sweep/v1");
    assert_eq!(r["errors"], json!([]), "{}", stderr(&m.output));
    assert_eq!(schema_errors(&m.output.stdout), Vec::<String>::new());
    assert_eq!(m.output.status.code(), Some(1), "{}", stderr(&m.output));

    // Every planted resource, each with its creator; nothing from before T or by others.
    let got = found(&r);
    for (ty, region, id) in &b.planted {
        assert!(
            got.contains(&(ty.to_string(), region.clone(), id.clone())),
            "{ty} {region} {id} not found in {got:#?}"
        );
    }
    for id in b.before.iter().chain(&b.others) {
        assert!(
            !got.iter().any(|(_, _, g)| g == id),
            "{id} is not the key's, or is older than T"
        );
    }
    for res in r["resources"].as_array().unwrap() {
        let by = &res["created_by"];
        let key = (
            res["type"].as_str().unwrap().to_string(),
            res["region"].as_str().unwrap().to_string(),
            res["id"].as_str().unwrap().to_string(),
        );
        if !b
            .planted
            .iter()
            .any(|(t, reg, id)| (t.to_string(), reg.clone(), id.clone()) == key)
        {
            // What moto made along (an instance the spot request launched, instances'
            // root volumes) has no creation event of its own: listed, creator unknown.
            assert!(by.is_null(), "{res}");
            assert!(
                res["created_by_note"]
                    .as_str()
                    .unwrap()
                    .starts_with("not found in CloudTrail"),
                "{res}"
            );
            continue;
        }
        assert!(by.is_object(), "no creator for {res}");
        assert_eq!(by["source_ip"], INTRUDER_IP, "{res}");
        assert_eq!(by["user_agent"], UA);
        let key = by["access_key_id"].as_str().unwrap();
        assert!(
            key == b.leaked || by["attributed_to"] == b.leaked.as_str(),
            "{res}"
        );
    }
    let instance = first(&r["resources"], |x| x["type"] == "ec2:instance");
    assert_eq!(
        instance["created_by"]["access_key_id"],
        "ASIAROLEKEY00000001"
    );
    assert_eq!(
        instance["created_by"]["principal"],
        "arn:aws:sts::123456789012:assumed-role/admin/x"
    );
    assert!(instance["removal"]
        .as_str()
        .unwrap()
        .starts_with("aws ec2 terminate-instances --region 'sa-east-1'"));

    // The activity: the key and its temporary keys only, none before T, every page read.
    let activity = r["activity"].as_array().unwrap();
    assert_eq!(activity.len(), 2 + 2 + 13 + 24, "{activity:#?}");
    for a in activity {
        assert!(a["time"].as_str().unwrap() >= b.since.as_str());
        assert_ne!(a["access_key_id"], "AKIAOTHERKEY0000001");
    }
    let keys: Vec<(&str, Option<&str>)> = r["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["access_key_id"].as_str().unwrap(),
                k["derived_from"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            (b.leaked.as_str(), None),
            ("ASIASESSIONKEY00001", Some(b.leaked.as_str())),
            ("ASIAROLEKEY00000001", Some("ASIASESSIONKEY00001"))
        ]
    );
    assert_eq!(r["keys"][0]["user"], "deploy");
    assert_eq!(r["keys"][0]["status"], "Active");
    assert_eq!(r["keys"][0]["quarantined"], false);

    // Sign-ins, root's first, with address and MFA.
    let s = &r["sign_ins"][0];
    assert_eq!(
        (
            s["identity_type"].as_str(),
            s["source_ip"].as_str(),
            s["mfa_used"].as_bool()
        ),
        (Some("Root"), Some(ROOT_IP), Some(false))
    );
    assert_eq!(r["sign_ins"].as_array().unwrap().len(), 2);
    // Spend, and Health without a support plan: one warning, no error.
    assert!(r["spend"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["region"] == "sa-east-1" && s["usd"] == 812.4));
    let w: Vec<_> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == "health-no-support-plan")
        .collect();
    assert_eq!(w.len(), 1);
    // Paced: throttles are the exception (a loaded machine can bunch requests at the
    // proxy: 7 of 34 were seen with a load of 5 on 2 cores), and each was retried
    // through: nothing is in error, every event is there.
    let asked: u64 = ["us-east-1", "sa-east-1", "eu-west-1"]
        .iter()
        .map(|r| trail.requests(r))
        .sum();
    eprintln!(
        "LookupEvents: {asked} requests, {} throttled",
        trail.throttled()
    );
    assert!(
        trail.throttled() * 3 <= asked,
        "{} of {asked} throttled",
        trail.throttled()
    );
    assert!(
        trail.requests("sa-east-1") >= 8,
        "{}",
        trail.requests("sa-east-1")
    );

    // The checklists carry the hostile user agent as inert text.
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("## 1. Delete or rotate the exposed access keys"));
    // The user agent's Markdown link is shown only inside a code span, where it is text.
    assert!(md.contains("[click](http"));
    assert!(
        md.lines()
            .filter(|l| l.contains("[click](http"))
            .all(|l| l.trim_start().starts_with("- user agent: `")),
        "a Markdown link outside a code span"
    );
    assert!(!md.contains('\u{1b}'));
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(!html.contains("<b>x</b>") && html.contains("&lt;b&gt;x&lt;/b&gt;"));
    assert!(html.contains("aws ec2 terminate-instances"));
}

#[test]
fn a_denied_region_is_named_and_exits_3_the_rest_intact_and_the_bound_is_said() {
    let rt = rt();
    let mut moto = Moto::start();
    let trail = Trail::new(5);
    let b = rt.block_on(breach(&mut moto, &trail));
    let ri_start = cloudtrail::rfc3339(cloudtrail::epoch(&b.since) + 6);
    let faults = Faults {
        deny: vec![Match {
            region: Some("eu-west-1".into()),
            ..Match::action("cloudtrail", "LookupEvents")
        }],
        ..Faults::none()
    };
    let proxy = proxy_for(&moto, &trail, faults, &ri_start);
    let m = sweep(
        &proxy,
        &[
            "--since",
            &b.since,
            "--access-key-id",
            &b.leaked,
            "--format",
            "json",
        ],
    );
    assert_eq!(m.output.status.code(), Some(3), "{}", stderr(&m.output));
    let r = report(&m.output);
    let errors = r["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        (
            errors[0]["region"].as_str(),
            errors[0]["api"].as_str(),
            errors[0]["code"].as_str()
        ),
        (
            Some("eu-west-1"),
            Some("cloudtrail:LookupEvents"),
            Some("AccessDeniedException")
        )
    );
    // sa-east-1 is intact; eu-west-1's volume is listed, its creator not found and why.
    let got = found(&r);
    assert!(got
        .iter()
        .any(|(t, reg, _)| t == "ec2:instance" && reg == "sa-east-1"));
    let vol = first(&r["resources"], |x| {
        x["type"] == "ec2:volume" && x["region"] == "eu-west-1"
    });
    assert!(vol["created_by"].is_null());
    assert!(
        vol["created_by_note"]
            .as_str()
            .unwrap()
            .contains("eu-west-1 could not be read"),
        "{vol}"
    );

    // Every write event, bounded: a region with more than the bound says so everywhere.
    let proxy = proxy_for(&moto, &trail, Faults::none(), &ri_start);
    let dir = tempfile::tempdir().unwrap();
    let out = |f: &str| dir.path().join(format!("bound.{f}"));
    let m = sweep(
        &proxy,
        &[
            "--since",
            &b.since,
            "--max-events",
            "4",
            "--format",
            "json",
            "--output",
            &format!("table={}", out("txt").display()),
            "--output",
            &format!("markdown={}", out("md").display()),
            "--output",
            &format!("html={}", out("html").display()),
        ],
    );
    assert_eq!(m.output.status.code(), Some(3), "{}", stderr(&m.output));
    let r = report(&m.output);
    assert_eq!(r["bound_reached"], true);
    assert_eq!(r["complete"], false);
    for f in ["txt", "md", "html"] {
        let text = std::fs::read_to_string(out(f)).unwrap();
        assert!(
            text.contains("INCOMPLETE") && text.contains("bound of 4 write events"),
            "{f}: {text}"
        );
    }
    assert!(stderr(&m.output).contains("--max-events 4"));
}

#[test]
fn throttling_past_the_retries_is_an_error_for_that_region_never_a_shorter_list() {
    let rt = rt();
    let mut moto = Moto::start();
    let trail = Trail::new(50);
    let b = rt.block_on(breach(&mut moto, &trail));
    let faults = Faults {
        throttle_first: vec![(
            Match {
                region: Some("sa-east-1".into()),
                ..Match::action("cloudtrail", "LookupEvents")
            },
            1000,
        )],
        ..Faults::none()
    };
    let proxy = proxy_for(
        &moto,
        &trail,
        faults,
        &cloudtrail::rfc3339(cloudtrail::epoch(&b.since) + 6),
    );
    let m = sweep(
        &proxy,
        &[
            "--since",
            &b.since,
            "--access-key-id",
            &b.leaked,
            "--format",
            "json",
            "--max-attempts",
            "2",
        ],
    );
    assert_eq!(m.output.status.code(), Some(3), "{}", stderr(&m.output));
    let r = report(&m.output);
    let e: Vec<_> = r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["region"].as_str().unwrap_or(""),
                e["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(e, [("sa-east-1", "ThrottlingException")]);
    assert!(
        !r["activity"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["region"] == "sa-east-1"),
        "no partial list"
    );
}

#[test]
fn the_sweep_policy_covers_exactly_what_a_sweep_calls_and_it_only_reads() {
    let rt = rt();
    let mut moto = Moto::start();
    let trail = Trail::new(50);
    let b = rt.block_on(breach(&mut moto, &trail));
    let proxy = proxy_for(
        &moto,
        &trail,
        Faults::none(),
        &cloudtrail::rfc3339(cloudtrail::epoch(&b.since) + 6),
    );
    let m = sweep(
        &proxy,
        &[
            "--since",
            &b.since,
            "--access-key-id",
            &b.leaked,
            "--format",
            "json",
        ],
    );
    assert_eq!(m.output.status.code(), Some(1), "{}", stderr(&m.output));
    let called: BTreeSet<String> = proxy
        .counts()
        .keys()
        .map(|k| k.replace("monitoring:", "cloudwatch:"))
        .collect();
    let granted = policy_granting(&["policy", "--sweep"], &called);
    // And nothing granted that a sweep with a named key does not call (DescribeEventDetails
    // follows only a Health answer with events).
    let unused: Vec<_> = granted
        .difference(&called)
        .filter(|a| *a != "health:DescribeEventDetails" && *a != "ec2:DescribeRegions")
        .collect();
    assert!(unused.is_empty(), "granted but never called: {unused:?}");
}

const SWEEP_EXAMPLE: &str = "examples/inc-2015-leaked-root-key.sweep-inventory.json";

fn example_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(SWEEP_EXAMPLE)
}

/// The root key of the INC-2015 replay (AWS's documentation example key id).
const ROOT_KEY: &str = "AKIAIOSFODNN7EXAMPLE";

/// Rewrites the INC-2015 sweep example: a root key in a blog post, twenty large instances
/// and a spot request in sa-east-1, a region the owner never used, AWS's notice about the
/// exposed key, the bill. Recorded with `hiyari sweep --save` from moto, the proxy
/// answering CloudTrail and Health as AWS does.
/// `cargo test --test it -- --ignored regenerate_sweep_example`.
#[test]
#[ignore = "rewrites examples/; run by hand when the sweep inventory changes"]
fn regenerate_sweep_example() {
    let rt = rt();
    let moto = Moto::start();
    let trail = Trail::new(50);
    let t = now_secs() + 1;
    while now_secs() < t + 1 {
        std::thread::sleep(Duration::from_millis(100));
    }
    let since = cloudtrail::rfc3339(t);
    scenarios::spend(
        &moto,
        &[
            ("sa-east-1", "4817.3300000000"),
            ("ap-northeast-1", "38.1200000000"),
        ],
    );
    let (ids, spot) = rt.block_on(async {
        let ids =
            scenarios::run_instances(&moto, "sa-east-1", 20, InstanceType::C48xlarge, None).await;
        let sa = aws_sdk_ec2::Client::new(&moto.sdk("sa-east-1").await);
        let ami = scenarios::some_ami(&sa).await;
        let spot = scenarios::request_spot(&sa, &ami, "2.00", InstanceType::C48xlarge).await;
        (ids, spot)
    });
    let root = json!({"type": "Root", "principalId": ACCOUNT, "arn": format!("arn:aws:iam::{ACCOUNT}:root"), "accountId": ACCOUNT, "accessKeyId": ROOT_KEY});
    let at = |s: i64| cloudtrail::rfc3339(t + s);
    let mut items = Vec::new();
    for id in &ids {
        items.push(json!({"instanceId": id, "imageId": "ami-0123456789abcdef0", "instanceState": {"code": 0, "name": "pending"}, "instanceType": "c4.8xlarge"}));
    }
    let mut run = records::run_instances(
        "inc2015-run",
        root.clone(),
        &at(1),
        "sa-east-1",
        "198.51.100.23",
        "aws-sdk-go/1.44.0 (go1.19; linux; amd64)",
        &ids[0],
    );
    run["responseElements"]["instancesSet"]["items"] = json!(items);
    let names: Vec<(&str, &str)> = ids
        .iter()
        .map(|i| ("AWS::EC2::Instance", i.as_str()))
        .collect();
    trail.add("sa-east-1", run, &names);
    trail.add("sa-east-1", records::api_call("inc2015-spot", root, &at(2), "ec2.amazonaws.com", "RequestSpotInstances", "sa-east-1", "198.51.100.23", "aws-sdk-go/1.44.0 (go1.19; linux; amd64)",
        json!({"spotPrice": "2.00", "instanceCount": 1}), json!({"spotInstanceRequestSet": {"items": [{"spotInstanceRequestId": spot, "state": "open"}]}})), &[]);
    while now_secs() < t + 3 {
        std::thread::sleep(Duration::from_millis(100));
    }
    let proxy = Proxy::start(&moto.endpoint, Faults::none());
    trail.serve(&proxy);
    cloudtrail::reserved_instances(&proxy, "sa-east-1", vec![]);
    cloudtrail::health_without_support_plan(&proxy);
    let m = sweep(
        &proxy,
        &[
            "--since",
            &since,
            "--save",
            example_path().to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(m.output.status.code(), Some(1), "{}", stderr(&m.output));
}

#[test]
fn the_sweep_example_replays_inc_2015_offline() {
    // Any AWS call would go to a closed port and fail: the replay makes none.
    let out = hiyari_cmd(HOME)
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .args(["sweep", "--format", "json", "--inventory"])
        .arg(example_path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = report(&out);
    assert_eq!(r["errors"], json!([]));
    let sa: Vec<_> = r["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| {
            x["region"] == "sa-east-1"
                && x["type"] == "ec2:instance"
                && x["created_by"]["access_key_id"] == ROOT_KEY
        })
        .collect();
    assert_eq!(sa.len(), 20, "{r:#}");
    assert_eq!(
        sa[0]["created_by"]["principal"],
        "arn:aws:iam::123456789012:root"
    );
    assert!(r["spend"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["region"] == "sa-east-1"));
    // The checklist of the same replay.
    let md = hiyari_cmd(HOME)
        .args(["sweep", "--format", "markdown", "--inventory"])
        .arg(example_path())
        .output()
        .unwrap();
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(
        md.contains("aws ec2 terminate-instances --region 'sa-east-1'"),
        "{md}"
    );
}
