//! Organizations against moto_server: `audit --org` over an organization of seven
//! accounts (the management account, five members with a different failure each or
//! none, one member whose role cannot be assumed, one closed), `--accounts` and
//! `--role-arn`, per-account configuration, shards and `hiyari merge`.
//!
//! The organization, its accounts and each account's state are made through the AWS
//! API (Organizations CreateOrganization/CreateAccount/CloseAccount, then STS
//! AssumeRole into each member). Moto lets any role be assumed, so the member whose role
//! cannot be assumed is made by the test proxy, which answers that one AssumeRole with
//! AWS's AccessDenied.

use crate::{scenarios, support};
use std::collections::BTreeSet;
use std::process::Output;

use aws_sdk_ec2::types::InstanceType;
use support::proxy::{Faults, Match, Proxy};
use support::{assert_has, first, hiyari_cmd, report, stderr, Moto, ACCOUNT};

const REGIONS: &str = "us-east-1,sa-east-1";
const CHECKS: &str =
    "root-access-keys,root-mfa,iam-user-console-mfa,unused-region-compute,guardduty-enabled";

/// The organization's member accounts, by what is wrong with them.
struct Org {
    /// A root access key.
    leaky: String,
    /// A console user without MFA.
    console: String,
    /// Two instances in sa-east-1 (the home region is us-east-1).
    miner: String,
    /// GuardDuty off in both regions.
    blind: String,
    /// Nothing wrong.
    clean: String,
    /// Its role cannot be assumed.
    locked: String,
    /// Closed: not active, not audited.
    closed: String,
}

async fn create_account(org: &aws_sdk_organizations::Client, name: &str) -> String {
    let out = org
        .create_account()
        .account_name(name)
        .email(format!("{name}@example.com"))
        .send()
        .await
        .expect("create account");
    out.create_account_status()
        .and_then(|s| s.account_id())
        .expect("account id")
        .to_string()
}

async fn guardduty_on(sdk: &aws_config::SdkConfig) {
    aws_sdk_guardduty::Client::new(sdk)
        .create_detector()
        .enable(true)
        .send()
        .await
        .expect("create detector");
}

async fn build(moto: &mut Moto) -> Org {
    let org = moto.organization().await;
    let o = Org {
        leaky: create_account(&org, "leaky").await,
        console: create_account(&org, "console").await,
        miner: create_account(&org, "miner").await,
        blind: create_account(&org, "blind").await,
        clean: create_account(&org, "clean").await,
        locked: create_account(&org, "locked").await,
        closed: create_account(&org, "closed").await,
    };
    org.close_account()
        .account_id(&o.closed)
        .send()
        .await
        .expect("close account");

    // Root MFA on everywhere (moto's default is off), root keys only in `leaky`.
    moto.set_root_in(ACCOUNT, true, false);
    for a in [&o.console, &o.miner, &o.blind, &o.clean, &o.locked] {
        moto.set_root_in(a, true, false);
    }
    moto.set_root_in(&o.leaky, true, true);

    // GuardDuty on in both regions of every account but `blind`.
    for region in ["us-east-1", "sa-east-1"] {
        guardduty_on(&moto.sdk(region).await).await;
        for a in [&o.leaky, &o.console, &o.miner, &o.clean, &o.locked] {
            guardduty_on(&moto.sdk_in(a, region).await).await;
        }
    }

    let iam = aws_sdk_iam::Client::new(&moto.sdk_in(&o.console, "us-east-1").await);
    iam.create_user().user_name("intern").send().await.unwrap();
    iam.create_login_profile()
        .user_name("intern")
        .password("Passw0rd!Passw0rd!")
        .send()
        .await
        .unwrap();

    let ec2 = aws_sdk_ec2::Client::new(&moto.sdk_in(&o.miner, "sa-east-1").await);
    let ami = scenarios::some_ami(&ec2).await;
    ec2.run_instances()
        .image_id(ami)
        .min_count(2)
        .max_count(2)
        .instance_type(InstanceType::C48xlarge)
        .send()
        .await
        .expect("run instances");
    o
}

/// Faults that refuse AssumeRole into `locked`'s role, as AWS words it.
fn locked_out(o: &Org) -> Faults {
    let mut faults = Faults::none();
    faults.deny = vec![Match::body("sts", "AssumeRole", &o.locked)];
    faults.deny_message = Some(format!(
        "User: arn:aws:iam::{ACCOUNT}:user/auditor is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::{}:role/OrganizationAccountAccessRole",
        o.locked
    ));
    faults
}

/// A proxy in front of moto that refuses AssumeRole into `locked`'s role.
fn proxy_for(moto: &Moto, o: &Org) -> Proxy {
    Proxy::start(&moto.endpoint, locked_out(o))
}

fn run(proxy: &Proxy, args: &[&str]) -> Output {
    hiyari_cmd("us-east-1")
        .args(args)
        .args(["--endpoint-url", &proxy.endpoint, "--regions", REGIONS])
        .output()
        .expect("run hiyari")
}

/// `(account, check, region or "-", resource id)` of every finding with `status`.
fn quads(r: &serde_json::Value, status: &str) -> BTreeSet<(String, String, String, String)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == status)
        .map(|f| {
            (
                f["account"].as_str().unwrap().to_string(),
                f["check"].as_str().unwrap().to_string(),
                f["region"].as_str().unwrap_or("-").to_string(),
                f["resource"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn q(account: &str, check: &str, region: &str, id: &str) -> (String, String, String, String) {
    (account.into(), check.into(), region.into(), id.into())
}

fn account_ids(r: &serde_json::Value) -> Vec<String> {
    r["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organization_is_audited_account_by_account() {
    let mut moto = Moto::start();
    let o = build(&mut moto).await;
    let proxy = proxy_for(&moto, &o);
    let dir = tempfile::tempdir().unwrap();

    let out = run(
        &proxy,
        &["audit", "--org", "--checks", CHECKS, "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let r = report(&out);

    // Every active account, the closed one left out and said so.
    let mut expected: Vec<String> = vec![
        ACCOUNT.into(),
        o.leaky.clone(),
        o.console.clone(),
        o.miner.clone(),
        o.blind.clone(),
        o.clean.clone(),
        o.locked.clone(),
    ];
    expected.sort();
    assert_eq!(account_ids(&r), expected);
    assert_has(
        &stderr(&out),
        &format!("Not audited: account {}: not active", o.closed),
    );

    // Each account's own failures, and nothing else.
    let fails = quads(&r, "fail");
    let instances: Vec<String> = fails
        .iter()
        .filter(|f| f.1 == "unused-region-compute")
        .map(|f| f.3.clone())
        .collect();
    assert_eq!(instances.len(), 2, "{fails:?}");
    let mut want = BTreeSet::from([
        q(&o.leaky, "root-access-keys", "-", &o.leaky),
        q(&o.console, "iam-user-console-mfa", "-", "intern"),
        q(&o.blind, "guardduty-enabled", "us-east-1", "us-east-1"),
        q(&o.blind, "guardduty-enabled", "sa-east-1", "sa-east-1"),
    ]);
    for i in &instances {
        want.insert(q(&o.miner, "unused-region-compute", "sa-east-1", i));
    }
    assert_eq!(fails, want);

    // The locked account: one error per check, naming AssumeRole and AccessDenied; its
    // accounts[] entry says what failed.
    let errors: Vec<&serde_json::Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "error")
        .collect();
    assert_eq!(errors.len(), CHECKS.split(',').count(), "{errors:#?}");
    for e in &errors {
        assert_eq!(e["account"], o.locked.as_str());
        assert_eq!(e["evidence"]["api"], "sts:AssumeRole");
        assert_eq!(e["evidence"]["error_code"], "AccessDenied");
    }
    let locked = first(&r["accounts"], |a| a["id"] == o.locked.as_str());
    assert_eq!(locked["error"]["api"], "sts:AssumeRole");
    assert_eq!(locked["error"]["code"], "AccessDenied");
    assert!(r["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["id"] != o.locked.as_str())
        .all(
            |a| a.get("error").is_none() && a["regions"]["scanned"].as_array().unwrap().len() == 2
        ));
    // Members are audited as the assumed role, the management account as itself.
    let principal = |id: &str| {
        first(&r["accounts"], |a| a["id"] == id)["principal"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(principal(&o.clean).contains(":assumed-role/OrganizationAccountAccessRole/"));
    assert!(!principal(ACCOUNT).contains("OrganizationAccountAccessRole"));

    // Without the locked account and with only a passing check: nothing fails, nothing
    // errs, exit 0. With it: exit 3.
    let out = run(
        &proxy,
        &[
            "audit",
            "--org",
            "--checks",
            "root-mfa",
            "--exclude-accounts",
            &o.locked,
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert!(stderr(&out).contains("excluded (--exclude-accounts)"));
    let out = run(
        &proxy,
        &["audit", "--org", "--checks", "root-mfa", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(3), "stderr: {}", stderr(&out));

    // The table groups by account and says which could not be audited.
    let out = run(&proxy, &["audit", "--org", "--checks", CHECKS]);
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        table.contains("7 accounts, 1 of them could not be audited"),
        "{table}"
    );
    assert!(
        table.contains(&format!("== Account {} as", o.locked)),
        "{table}"
    );
    assert!(
        table.contains("Could not audit this account: sts:AssumeRole failed with AccessDenied"),
        "{table}"
    );

    // --accounts and --role-arn: just those, with the external id passed along.
    let role = format!("arn:aws:iam::{}:role/Auditor", o.miner);
    let out = run(
        &proxy,
        &[
            "audit",
            "--accounts",
            &o.leaky,
            "--role-arn",
            &role,
            "--external-id",
            "handover-2026",
            "--checks",
            CHECKS,
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let r2 = report(&out);
    let mut two = vec![o.leaky.clone(), o.miner.clone()];
    two.sort();
    assert_eq!(account_ids(&r2), two);
    let fails2 = quads(&r2, "fail");
    assert!(fails2.iter().all(|f| f.0 == o.leaky || f.0 == o.miner));
    assert_eq!(fails2.len(), 3, "{fails2:?}");

    // Per-account configuration: compute is allowed in sa-east-1 for `miner` only, and
    // `leaky`'s root key is an accepted risk.
    let config = dir.path().join("hiyari.toml");
    std::fs::write(
        &config,
        format!(
            "[accounts.\"{miner}\"]\nallowed_regions = [\"us-east-1\", \"sa-east-1\"]\n\n\
             [[accounts.\"{leaky}\".accept]]\ncheck = \"root-access-keys\"\nreason = \"break-glass key, in the safe\"\n",
            miner = o.miner,
            leaky = o.leaky
        ),
    )
    .unwrap();
    let out = run(
        &proxy,
        &[
            "audit",
            "--org",
            "--exclude-accounts",
            &o.locked,
            "--checks",
            CHECKS,
            "--config",
            config.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let r3 = report(&out);
    let fails3 = quads(&r3, "fail");
    assert!(
        !fails3.iter().any(|f| f.0 == o.miner || f.0 == o.leaky),
        "{fails3:?}"
    );
    assert_eq!(
        quads(&r3, "muted"),
        BTreeSet::from([q(&o.leaky, "root-access-keys", "-", &o.leaky)])
    );
    assert_eq!(
        fails3.len(),
        3,
        "console user and blind's two regions: {fails3:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn shards_merged_equal_the_whole_organization() {
    let mut moto = Moto::start();
    let o = build(&mut moto).await;
    let proxy = proxy_for(&moto, &o);
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();

    let whole = run(
        &proxy,
        &["audit", "--org", "--checks", CHECKS, "--format", "json"],
    );
    assert_eq!(whole.status.code(), Some(1), "stderr: {}", stderr(&whole));
    let whole = report(&whole);

    let mut seen = Vec::new();
    // Shards split by account id, which moto draws at random: any shard may be empty.
    let mut nonempty_shard = None;
    for i in 1..=3 {
        let out = run(
            &proxy,
            &[
                "audit",
                "--org",
                "--checks",
                CHECKS,
                "--shard",
                &format!("{i}/3"),
                "--format",
                "json",
                "--output",
                &path(&format!("shard{i}.json")),
            ],
        );
        assert!(
            matches!(out.status.code(), Some(0 | 1 | 3)),
            "shard {i}: {}",
            stderr(&out)
        );
        assert_has(&stderr(&out), &format!("Shard {i}/3:"));
        let r: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(path(&format!("shard{i}.json"))).unwrap(),
        )
        .unwrap();
        let ids = account_ids(&r);
        if !ids.is_empty() {
            nonempty_shard = Some(i);
        }
        seen.extend(ids);
    }
    // Each account in exactly one shard.
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(
        unique.len(),
        seen.len(),
        "an account in two shards: {seen:?}"
    );
    assert_eq!(seen.len(), 7);

    let merged = hiyari_cmd("us-east-1")
        .args([
            "merge",
            &path("shard1.json"),
            &path("shard2.json"),
            &path("shard3.json"),
        ])
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(1), "{}", stderr(&merged));
    let merged = report(&merged);
    assert_eq!(merged["schema"], "hiyari.report/v1");
    assert_eq!(merged["accounts"], whole["accounts"]);
    assert_eq!(merged["findings"], whole["findings"]);
    assert_eq!(merged["summary"], whole["summary"]);

    // Any format; an account twice is flagged; another schema is refused.
    let md = hiyari_cmd("us-east-1")
        .args([
            "merge",
            &path("shard1.json"),
            &path("shard2.json"),
            &path("shard3.json"),
            "--format",
            "markdown",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&md.stdout);
    let headings: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("## AWS account "))
        .collect();
    assert_eq!(headings.len(), 7, "{text}");
    for id in &unique {
        assert!(headings.iter().any(|h| h.contains(id.as_str())), "{text}");
    }
    let again = path(&format!("shard{}.json", nonempty_shard.unwrap()));
    let twice = hiyari_cmd("us-east-1")
        .args([
            "merge",
            &path("shard1.json"),
            &path("shard2.json"),
            &path("shard3.json"),
            &again,
        ])
        .output()
        .unwrap();
    let twice_report = report(&twice);
    assert_eq!(
        twice_report["findings"], whole["findings"],
        "nothing counted twice"
    );
    assert_has(&stderr(&twice), "appears in both");
    let old = path("old.json");
    std::fs::write(
        &old,
        r#"{"schema":"hiyari.report/v0","accounts":[],"findings":[]}"#,
    )
    .unwrap();
    let refused = hiyari_cmd("us-east-1")
        .args(["merge", &path("shard1.json"), &old])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert_has(&stderr(&refused), "hiyari.report/v0");
}

/// Nothing lost at scale: a member whose AssumeRole is throttled twice is retried and
/// audited in full, and a member whose credentials expire after a few calls has its
/// remaining calls as errors naming the expiry, while every other account's findings are
/// exactly those of a scan without faults.
#[tokio::test(flavor = "multi_thread")]
async fn throttled_roles_are_retried_and_expired_credentials_stay_with_their_account() {
    let mut moto = Moto::start();
    let o = build(&mut moto).await;
    let proxy = proxy_for(&moto, &o);
    let args = ["audit", "--org", "--checks", CHECKS, "--format", "json"];
    let calm = run(&proxy, &args);
    // Fails outrank errors (the locked member) in the exit code.
    assert_eq!(calm.status.code(), Some(1), "{}", stderr(&calm));
    let calm = report(&calm);

    let mut faults = locked_out(&o);
    faults.throttle_first = vec![(Match::body("sts", "AssumeRole", &o.miner), 2)];
    faults.expire_after = Some((o.console.clone(), 3));
    proxy.set_faults(faults);
    proxy.reset_counts();
    let out = run(&proxy, &args);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = report(&out);

    // Throttled twice, then assumed: audited as in the calm scan.
    let assumed = proxy.counts().get("sts:AssumeRole").copied().unwrap_or(0);
    let members = 5; // leaky, console, miner, blind, clean (+ locked, denied once)
    assert_eq!(assumed, members + 1 + 2, "{:?}", proxy.counts());
    let of = |r: &serde_json::Value, account: &str| -> Vec<serde_json::Value> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["account"] == account)
            .cloned()
            .collect()
    };
    for account in [ACCOUNT, &o.leaky, &o.miner, &o.blind, &o.clean, &o.locked] {
        assert_eq!(of(&r, account), of(&calm, account), "account {account}");
    }
    // The console member: what its expired credentials could not read is an error that
    // says so, never a pass; what was read before the expiry stands.
    let console = of(&r, &o.console);
    let errors: Vec<_> = console.iter().filter(|f| f["status"] == "error").collect();
    assert!(!errors.is_empty(), "{console:#?}");
    for e in &errors {
        assert!(
            e["evidence"]["error_code"]
                .as_str()
                .unwrap()
                .starts_with("ExpiredToken"),
            "{e:#}"
        );
    }
    // What was read before the expiry gives the calm scan's answers (a root fact read from
    // one of its two sources says which one in its evidence).
    let calm_console = of(&calm, &o.console);
    for f in console.iter().filter(|f| f["status"] != "error") {
        assert!(
            calm_console
                .iter()
                .any(|c| c["id"] == f["id"] && c["status"] == f["status"]),
            "a finding the calm scan did not have: {f:#}"
        );
    }
}

/// A role session that ends in the middle of a scan is renewed before it expires: the
/// member's GuardDuty chain waits past the session's end between ListDetectors and
/// GetDetector, and GetDetector is still answered (with credentials of a second
/// AssumeRole), where credentials kept as first assumed would be refused as expired.
#[tokio::test(flavor = "multi_thread")]
async fn an_assumed_role_is_renewed_before_its_session_ends() {
    let mut moto = Moto::start();
    let org = moto.organization().await;
    let member = create_account(&org, "long-scan").await;
    moto.set_root_in(&member, true, false);
    guardduty_on(&moto.sdk_in(&member, "sa-east-1").await).await;
    // The session lasts 12 s; the SDK renews credentials 10 to 15 s before they expire.
    let proxy = Proxy::start(
        &moto.endpoint,
        Faults {
            session_seconds: Some(12),
            slow: vec![(
                Match {
                    region: Some("sa-east-1".into()),
                    ..Match::action("guardduty", "ListDetectors")
                },
                std::time::Duration::from_secs(13),
            )],
            ..Faults::none()
        },
    );
    let role = format!("arn:aws:iam::{member}:role/OrganizationAccountAccessRole");
    let out = hiyari_cmd("us-east-1")
        .args([
            "audit",
            "--role-arn",
            &role,
            "--checks",
            "guardduty-enabled",
        ])
        .args(["--format", "json", "--regions", "sa-east-1"])
        .args(["--endpoint-url", &proxy.endpoint])
        .output()
        .expect("run hiyari");
    let r = report(&out);
    assert_eq!(quads(&r, "error"), BTreeSet::new(), "{}", stderr(&out));
    assert_eq!(
        quads(&r, "pass"),
        BTreeSet::from([q(&member, "guardduty-enabled", "sa-east-1", "sa-east-1")]),
        "{}",
        stderr(&out)
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        proxy.count_in("sa-east-1", "guardduty:GetDetector") >= 1,
        "{:?}",
        proxy.counts()
    );
    let assumed = proxy.counts().get("sts:AssumeRole").copied().unwrap_or(0);
    assert!(assumed >= 2, "no renewal: {:?}", proxy.counts());
    assert_eq!(
        proxy.injected().get("expired"),
        None,
        "{:?}",
        proxy.injected()
    );
}
