use super::*;
use crate::inventory::sweep::{
    EventHistory, HealthEvent, KeyDetails, KeyFacts, LiveResource, Notices, RawEvent, SweepAccount,
    SweepData, SweepQuery, Window, SWEEP_INVENTORY_SCHEMA,
};
use crate::inventory::{CollectError, Collected, Identity, PolicyAttachments, Regions};

const ACCOUNT: &str = "111122223333";

fn ev(
    id: &str,
    region: &str,
    name: &str,
    time: &str,
    key: &str,
    extra: &str,
) -> (String, RawEvent) {
    let record = format!(
        r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","arn":"arn:aws:iam::{ACCOUNT}:user/{user}","accountId":"{ACCOUNT}","accessKeyId":"{key}","userName":"{user}"}},"eventTime":"{time}","eventSource":"ec2.amazonaws.com","eventName":"{name}","awsRegion":"{region}","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.0","eventID":"{id}","readOnly":false{extra}}}"#,
        user = if key.starts_with("AKIAOTHER") {
            "carol"
        } else {
            "bob"
        },
    );
    (
        region.to_string(),
        RawEvent {
            event_id: id.into(),
            event_name: name.into(),
            event_time: time.into(),
            event_source: Some("ec2.amazonaws.com".into()),
            username: Some("bob".into()),
            access_key_id: Some(key.into()),
            read_only: Some("false".into()),
            resources: vec![],
            cloudtrail_event: Some(record),
        },
    )
}

fn minted(
    id: &str,
    region: &str,
    name: &str,
    time: &str,
    key: &str,
    issued: &str,
) -> (String, RawEvent) {
    ev(
        id,
        region,
        name,
        time,
        key,
        &format!(
            r#","responseElements":{{"credentials":{{"accessKeyId":"{issued}","sessionToken":"x"}}}}"#
        ),
    )
}

fn run(id: &str, region: &str, time: &str, key: &str, instance: &str) -> (String, RawEvent) {
    ev(
        id,
        region,
        "RunInstances",
        time,
        key,
        &format!(
            r#","responseElements":{{"instancesSet":{{"items":[{{"instanceId":"{instance}"}}]}}}}"#
        ),
    )
}

fn res(id: &str, created: Option<&str>) -> LiveResource {
    LiveResource {
        id: id.into(),
        name: None,
        created_at: created.map(str::to_string),
        state: Some("running".into()),
        modified_at: None,
    }
}

struct Inv {
    inv: SweepInventory,
}

impl Inv {
    fn new(regions: &[&str]) -> Self {
        let mut data = SweepData::default();
        for r in regions {
            data.events
                .insert(r.to_string(), Collected::Ok(EventHistory::default()));
        }
        data.spend = Collected::Ok(crate::inventory::CostByRegion {
            start: "2026-11-01".into(),
            end: "2026-11-21".into(),
            costs: vec![],
        });
        data.notices = Collected::Ok(Notices::Read { events: vec![] });
        data.quarantine = Collected::Ok(vec![]);
        Inv {
            inv: SweepInventory {
                schema: SWEEP_INVENTORY_SCHEMA.into(),
                tool_version: "0.1.0".into(),
                window: Window {
                    since: "2026-11-20T00:00:00Z".into(),
                    until: "2026-11-21T00:00:00Z".into(),
                },
                query: SweepQuery {
                    max_events: 1000,
                    ..SweepQuery::default()
                },
                accounts: vec![SweepAccount {
                    identity: Identity {
                        account_id: ACCOUNT.into(),
                        partition: "aws".into(),
                        principal_arn: format!("arn:aws:iam::{ACCOUNT}:user/auditor"),
                    },
                    regions: Regions {
                        scanned: regions.iter().map(|r| r.to_string()).collect(),
                        skipped: vec![],
                    },
                    failure: None,
                    data,
                }],
                collected_at: "2026-11-21T00:00:00Z".into(),
            },
        }
    }

    fn data(&mut self) -> &mut SweepData {
        &mut self.inv.accounts[0].data
    }

    fn events(mut self, evs: Vec<(String, RawEvent)>) -> Self {
        for (region, e) in evs {
            match self.data().events.get_mut(&region) {
                Some(Collected::Ok(h)) => h.events.push(e),
                _ => panic!("no history for {region}"),
            }
        }
        self
    }

    fn resources(mut self, region: &str, ty: &str, list: Vec<LiveResource>) -> Self {
        self.data()
            .resources
            .entry(region.into())
            .or_default()
            .insert(ty.into(), Collected::Ok(list));
        self
    }

    fn keys(mut self, keys: &[&str]) -> Self {
        self.inv.query.access_key_ids = keys.iter().map(|k| k.to_string()).collect();
        self
    }

    fn eval(&self) -> SweepReport {
        evaluate(&self.inv, "0.1.0")
    }
}

/// The INC-2015 shape: a key mints a session token, the session assumes a role, and
/// the role's key launches an instance in another region. Everything is attributed to
/// the named key; another principal's work is left out.
#[test]
fn temporary_keys_are_followed_and_attributed_to_the_named_key() {
    let inv = Inv::new(&["us-east-1", "sa-east-1"])
        .keys(&["AKIALEAKED"])
        .events(vec![
            minted(
                "e1",
                "us-east-1",
                "GetSessionToken",
                "2026-11-20T01:00:00Z",
                "AKIALEAKED",
                "ASIASESSION",
            ),
            minted(
                "e2",
                "us-east-1",
                "AssumeRole",
                "2026-11-20T02:00:00Z",
                "ASIASESSION",
                "ASIAROLE",
            ),
            run(
                "e3",
                "sa-east-1",
                "2026-11-20T03:00:00Z",
                "ASIAROLE",
                "i-0aaaaaaaaaaaaaaa1",
            ),
            run(
                "e4",
                "sa-east-1",
                "2026-11-20T04:00:00Z",
                "AKIAOTHER",
                "i-0bbbbbbbbbbbbbbb2",
            ),
            // Before the window: never shown.
            run(
                "e0",
                "sa-east-1",
                "2026-11-19T23:59:59Z",
                "AKIALEAKED",
                "i-0ccccccccccccccc3",
            ),
        ])
        .resources(
            "sa-east-1",
            "ec2:instance",
            vec![
                res("i-0aaaaaaaaaaaaaaa1", Some("2026-11-20T03:00:01Z")),
                res("i-0bbbbbbbbbbbbbbb2", Some("2026-11-20T04:00:01Z")),
                res("i-0ccccccccccccccc3", Some("2026-11-19T23:59:59Z")),
            ],
        );
    let r = inv.eval();
    let events: Vec<_> = r.activity.iter().map(|a| a.event_id.as_str()).collect();
    assert_eq!(events, ["e1", "e2", "e3"]);
    assert_eq!(r.activity[2].attributed_to.as_deref(), Some("AKIALEAKED"));
    assert_eq!(r.activity[1].attributed_to.as_deref(), Some("AKIALEAKED"));
    assert_eq!(
        r.activity[0].attributed_to, None,
        "the named key's own call"
    );

    assert_eq!(r.resources.len(), 1, "{:#?}", r.resources);
    let i = &r.resources[0];
    assert_eq!(i.id, "i-0aaaaaaaaaaaaaaa1");
    let by = i.created_by.as_ref().unwrap();
    assert_eq!(by.access_key_id.as_deref(), Some("ASIAROLE"));
    assert_eq!(by.attributed_to.as_deref(), Some("AKIALEAKED"));
    assert_eq!(by.source_ip.as_deref(), Some("198.51.100.7"));
    assert_eq!(by.event_name, "RunInstances");
    assert!(i
        .removal
        .as_deref()
        .unwrap()
        .contains("terminate-instances"));

    let derived: Vec<_> = r
        .keys
        .iter()
        .map(|k| (k.access_key_id.as_str(), k.derived_from.as_deref()))
        .collect();
    assert_eq!(
        derived,
        [
            ("ASIASESSION", Some("AKIALEAKED")),
            ("ASIAROLE", Some("ASIASESSION"))
        ]
    );
    assert!(r.warnings.iter().any(|w| w.kind == kind::OTHER_PRINCIPALS));
    assert_eq!(r.exit_code(), 1);
}

#[test]
fn without_keys_every_write_event_in_the_window_is_activity() {
    let mut read = run(
        "e2",
        "us-east-1",
        "2026-11-20T05:00:00Z",
        "AKIAOTHER1",
        "i-0ddddddddddddddd4",
    );
    read.1.cloudtrail_event = Some(
        read.1
            .cloudtrail_event
            .unwrap()
            .replace(r#""readOnly":false"#, r#""readOnly":true"#),
    );
    let r = Inv::new(&["us-east-1"])
        .events(vec![
            run(
                "e1",
                "us-east-1",
                "2026-11-20T05:00:00Z",
                "AKIAOTHER1",
                "i-0ddddddddddddddd4",
            ),
            read,
            run(
                "e3",
                "us-east-1",
                "2026-11-21T00:00:01Z",
                "AKIAOTHER1",
                "i-0eeeeeeeeeeeeeee5",
            ),
        ])
        .eval();
    let events: Vec<_> = r.activity.iter().map(|a| a.event_id.as_str()).collect();
    assert_eq!(
        events,
        ["e1"],
        "read-only and after-the-window events are left out"
    );
}

#[test]
fn an_unread_region_is_an_error_and_resources_there_say_why_they_have_no_creator() {
    let mut inv = Inv::new(&["us-east-1", "eu-west-1"]).resources(
        "eu-west-1",
        "ec2:volume",
        vec![res("vol-0123456789abcdef0", Some("2026-11-20T06:00:00Z"))],
    );
    inv.data().events.insert(
        "eu-west-1".into(),
        Collected::Error(CollectError::new(
            "cloudtrail:LookupEvents",
            "ThrottlingException",
            "Rate exceeded",
        )),
    );
    let r = inv.eval();
    assert_eq!(r.errors.len(), 1);
    let e = &r.errors[0];
    assert_eq!(
        (e.region.as_deref(), e.api.as_str(), e.code.as_str()),
        (
            Some("eu-west-1"),
            "cloudtrail:LookupEvents",
            "ThrottlingException"
        )
    );
    let v = &r.resources[0];
    assert!(v.created_by.is_none());
    let note = v.created_by_note.as_deref().unwrap();
    assert!(note.starts_with("not found in CloudTrail"), "{note}");
    assert!(note.contains("eu-west-1 could not be read"), "{note}");
    assert!(!r.complete);
    assert_eq!(r.exit_code(), 3);
}

#[test]
fn a_region_missing_from_the_inventory_is_an_error_not_an_empty_history() {
    let mut inv = Inv::new(&["us-east-1"]);
    inv.data().events.clear();
    let r = inv.eval();
    assert_eq!(r.errors[0].code, "NotCollected");
    assert_eq!(r.exit_code(), 3);
}

#[test]
fn a_reached_bound_is_said_and_exits_3() {
    let mut inv = Inv::new(&["us-east-1"]);
    if let Some(Collected::Ok(h)) = inv.data().events.get_mut("us-east-1") {
        h.truncated = true;
    }
    let r = inv.eval();
    assert!(r.bound_reached && !r.complete);
    assert!(r
        .warnings
        .iter()
        .any(|w| w.kind == kind::EVENT_BOUND && w.message.contains("--max-events 1000")));
    assert_eq!(r.exit_code(), 3);
}

#[test]
fn nothing_in_the_window_exits_0() {
    let r = Inv::new(&["us-east-1"])
        .resources(
            "us-east-1",
            "ec2:instance",
            vec![res("i-0ffffffffffffffff", Some("2026-01-01T00:00:00Z"))],
        )
        .eval();
    assert!(r.resources.is_empty() && r.activity.is_empty());
    assert_eq!(r.exit_code(), 0);
}

#[test]
fn security_groups_take_their_creation_time_from_cloudtrail() {
    let r = Inv::new(&["us-east-1"])
        .events(vec![ev(
            "e1",
            "us-east-1",
            "CreateSecurityGroup",
            "2026-11-20T07:00:00Z",
            "AKIAX",
            r#","responseElements":{"_return":true,"groupId":"sg-0123456789abcdef0"}"#,
        )])
        .resources(
            "us-east-1",
            "ec2:security-group",
            vec![
                res("sg-0123456789abcdef0", None),
                res("sg-0aaaaaaaaaaaaaaaa", None),
            ],
        )
        .eval();
    assert_eq!(r.resources.len(), 1, "an undated group is not shown as new");
    assert_eq!(
        r.resources[0].created_at.as_deref(),
        Some("2026-11-20T07:00:00Z")
    );
}

#[test]
fn sign_ins_list_roots_first_with_address_and_mfa() {
    let login = |id: &str, arn: &str, ty: &str, time: &str, mfa: &str, outcome: &str| RawEvent {
        event_id: id.into(),
        event_name: "ConsoleLogin".into(),
        event_time: time.into(),
        event_source: Some("signin.amazonaws.com".into()),
        username: None,
        access_key_id: None,
        read_only: Some("false".into()),
        resources: vec![],
        cloudtrail_event: Some(format!(
            r#"{{"userIdentity":{{"type":"{ty}","arn":"{arn}","accountId":"{ACCOUNT}"}},"eventTime":"{time}","eventName":"ConsoleLogin","sourceIPAddress":"203.0.113.9","responseElements":{{"ConsoleLogin":"{outcome}"}},"additionalEventData":{{"MFAUsed":"{mfa}"}},"eventID":"{id}"}}"#
        )),
    };
    let r = Inv::new(&["us-east-1"])
        .events(vec![
            (
                "us-east-1".into(),
                login(
                    "s1",
                    &format!("arn:aws:iam::{ACCOUNT}:user/alice"),
                    "IAMUser",
                    "2026-11-20T01:00:00Z",
                    "Yes",
                    "Success",
                ),
            ),
            (
                "us-east-1".into(),
                login(
                    "s2",
                    &format!("arn:aws:iam::{ACCOUNT}:root"),
                    "Root",
                    "2026-11-20T09:00:00Z",
                    "No",
                    "Success",
                ),
            ),
        ])
        .keys(&["AKIAUNRELATED"])
        .eval();
    let got: Vec<_> = r
        .sign_ins
        .iter()
        .map(|s| {
            (
                s.identity_type.as_deref(),
                s.mfa_used,
                s.source_ip.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some("Root"), Some(false), Some("203.0.113.9")),
            (Some("IAMUser"), Some(true), Some("203.0.113.9"))
        ]
    );
}

#[test]
fn named_keys_show_their_owner_and_quarantine() {
    let mut inv = Inv::new(&["us-east-1"]).keys(&["AKIALEAKED"]);
    inv.data().keys = vec![KeyDetails {
        access_key_id: "AKIALEAKED".into(),
        details: Collected::Ok(KeyFacts {
            user: Some("bob".into()),
            status: Some("Active".into()),
            created_at: Some("2025-01-01T00:00:00Z".into()),
            last_used_at: Some("2026-11-20T03:00:00Z".into()),
            last_used_service: Some("ec2".into()),
            last_used_region: Some("sa-east-1".into()),
        }),
    }];
    inv.data().quarantine = Collected::Ok(vec![PolicyAttachments {
        policy_arn: "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3".into(),
        exists: true,
        users: vec!["bob".into()],
        roles: vec![],
        groups: vec![],
    }]);
    let r = inv.eval();
    assert_eq!(r.keys[0].user.as_deref(), Some("bob"));
    assert_eq!(r.keys[0].quarantined, Some(true));
    assert_eq!(r.keys[0].last_used_region.as_deref(), Some("sa-east-1"));
}

#[test]
fn no_support_plan_is_one_warning_and_no_error() {
    let mut inv = Inv::new(&["us-east-1"]);
    inv.data().notices = Collected::Ok(Notices::NoSupportPlan);
    let second = inv.inv.accounts[0].clone();
    let mut second = second;
    second.identity.account_id = "444455556666".into();
    inv.inv.accounts.push(second);
    let r = inv.eval();
    assert!(r.errors.is_empty());
    let w: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.kind == kind::NO_SUPPORT_PLAN)
        .collect();
    assert_eq!(w.len(), 1);
    assert!(w[0].message.contains("111122223333, 444455556666"));
    assert_eq!(r.exit_code(), 0);
}

#[test]
fn notices_of_the_window_are_listed() {
    let mut inv = Inv::new(&["us-east-1"]);
    inv.data().notices = Collected::Ok(Notices::Read {
        events: vec![HealthEvent {
            arn: "arn:aws:health:global::event/RISK/AWS_RISK_CREDENTIALS_EXPOSED/1".into(),
            service: "RISK".into(),
            event_type_code: "AWS_RISK_CREDENTIALS_EXPOSED".into(),
            status: Some("open".into()),
            start_time: Some("2026-11-20T00:30:00Z".into()),
            region: Some("global".into()),
            description: Some("Your key AKIA... is exposed".into()),
        }],
    });
    let r = inv.eval();
    assert_eq!(r.notices[0].event_type_code, "AWS_RISK_CREDENTIALS_EXPOSED");
    assert_eq!(r.exit_code(), 1);
}

#[test]
fn a_failed_account_is_an_error() {
    let mut inv = Inv::new(&["us-east-1"]);
    inv.inv.accounts[0].failure = Some(CollectError::new("sts:AssumeRole", "AccessDenied", "no"));
    let r = inv.eval();
    assert_eq!(r.errors[0].api, "sts:AssumeRole");
    assert_eq!(r.exit_code(), 3);
}

#[test]
fn lambda_times_parse() {
    assert!(parse_time("2026-11-20T10:00:00.000+0000").is_some());
    assert!(parse_time("2026-11-20T10:00:00Z").is_some());
    assert!(parse_time("yesterday").is_none());
}

#[test]
fn a_named_principal_selects_its_events_and_the_keys_it_minted() {
    let r = Inv::new(&["us-east-1"])
        .events(vec![
            minted(
                "e1",
                "us-east-1",
                "GetFederationToken",
                "2026-11-20T01:00:00Z",
                "AKIABOB",
                "ASIAFED",
            ),
            run(
                "e2",
                "us-east-1",
                "2026-11-20T02:00:00Z",
                "ASIAFED",
                "i-0aaaaaaaaaaaaaaa1",
            ),
            run(
                "e3",
                "us-east-1",
                "2026-11-20T02:00:00Z",
                "AKIAOTHER",
                "i-0aaaaaaaaaaaaaaa2",
            ),
        ])
        .eval_with_principal("bob");
    let events: Vec<_> = r.activity.iter().map(|a| a.event_id.as_str()).collect();
    assert_eq!(events, ["e1", "e2"]);
}

impl Inv {
    fn eval_with_principal(mut self, p: &str) -> SweepReport {
        self.inv.query.principals = vec![p.into()];
        self.eval()
    }
}
