//! Every format with strings an intruder chose: markup, terminal escapes, Markdown
//! links, bare URLs and spreadsheet formulas in user agents, principals and names.

use hiyari_checks::inventory::sweep::{
    EventHistory, LiveResource, Notices, RawEvent, SweepAccount, SweepData, SweepInventory, Window,
    SWEEP_INVENTORY_SCHEMA,
};
use hiyari_checks::inventory::{Collected, Identity, Regions};
use hiyari_checks::sweep::{evaluate, SweepQuery, SweepReport};

use super::*;

pub const HOSTILE: &str = "<script>alert(1)</script><img src=x onerror=alert(2)>\u{1b}[31mRED\u{1b}]8;;http://evil.example/\u{7}click\u{1b}]8;;\u{7} [link](http://evil.example/a) ![i](http://evil.example/i.png) https://evil.example/bare www.evil.example @admin =HYPERLINK(\"http://evil.example\") |a|b| `tick` \u{202e}reversed\nsecond line";

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

pub fn hostile_report() -> SweepReport {
    let record = format!(
        r#"{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","arn":{arn},"accountId":"111122223333","accessKeyId":"AKIAHOSTILE000001","userName":{name}}},"eventTime":"2026-11-20T03:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateKeyPair","awsRegion":"us-east-1","sourceIPAddress":{name},"userAgent":{name},"requestParameters":{{"keyName":{name}}},"responseElements":{{"keyName":{name},"keyPairId":"key-0123456789abcdef0"}},"eventID":"h1","readOnly":false}}"#,
        arn = json_str(&format!("arn:aws:iam::111122223333:user/{HOSTILE}")),
        name = json_str(HOSTILE),
    );
    let login = format!(
        r#"{{"userIdentity":{{"type":"Root","arn":"arn:aws:iam::111122223333:root"}},"eventTime":"2026-11-20T04:00:00Z","eventName":"ConsoleLogin","sourceIPAddress":{name},"userAgent":{name},"responseElements":{{"ConsoleLogin":"Success"}},"additionalEventData":{{"MFAUsed":"No"}},"eventID":"h2"}}"#,
        name = json_str(HOSTILE),
    );
    let mut data = SweepData::default();
    data.events.insert(
        "us-east-1".into(),
        Collected::Ok(EventHistory {
            events: vec![
                RawEvent {
                    event_id: "h1".into(),
                    event_name: "CreateKeyPair".into(),
                    event_time: "2026-11-20T03:00:00Z".into(),
                    event_source: Some("ec2.amazonaws.com".into()),
                    username: Some(HOSTILE.into()),
                    access_key_id: Some("AKIAHOSTILE000001".into()),
                    read_only: Some("false".into()),
                    resources: vec![],
                    cloudtrail_event: Some(record),
                },
                RawEvent {
                    event_id: "h2".into(),
                    event_name: "ConsoleLogin".into(),
                    event_time: "2026-11-20T04:00:00Z".into(),
                    event_source: Some("signin.amazonaws.com".into()),
                    username: Some("root".into()),
                    access_key_id: None,
                    read_only: Some("false".into()),
                    resources: vec![],
                    cloudtrail_event: Some(login),
                },
            ],
            lookups: vec![],
            truncated: false,
            pages: 1,
        }),
    );
    data.resources
        .entry("us-east-1".into())
        .or_default()
        .insert(
            "ec2:key-pair".into(),
            Collected::Ok(vec![LiveResource {
                id: HOSTILE.into(),
                name: Some("key-0123456789abcdef0".into()),
                created_at: Some("2026-11-20T03:00:00Z".into()),
                state: None,
                modified_at: None,
            }]),
        );
    data.notices = Collected::Ok(Notices::Read { events: vec![] });
    data.spend = Collected::Ok(hiyari_checks::inventory::CostByRegion {
        start: "2026-11-19".into(),
        end: "2026-11-21".into(),
        costs: vec![],
    });
    let inv = SweepInventory {
        schema: SWEEP_INVENTORY_SCHEMA.into(),
        tool_version: "0.1.0".into(),
        window: Window {
            since: "2026-11-20T00:00:00Z".into(),
            until: "2026-11-21T00:00:00Z".into(),
        },
        query: SweepQuery {
            max_events: 100,
            ..SweepQuery::default()
        },
        accounts: vec![SweepAccount {
            identity: Identity {
                account_id: "111122223333".into(),
                partition: "aws".into(),
                principal_arn: "arn:aws:iam::111122223333:user/auditor".into(),
            },
            regions: Regions {
                scanned: vec!["us-east-1".into()],
                skipped: vec![],
            },
            failure: None,
            data,
        }],
        collected_at: "2026-11-21T00:00:00Z".into(),
    };
    let r = evaluate(&inv, "0.1.0");
    assert_eq!(r.resources.len(), 1, "{r:#?}");
    assert!(
        r.resources[0].created_by.is_some(),
        "the hostile key pair is matched"
    );
    assert_eq!(r.sign_ins.len(), 1);
    assert_eq!(r.activity.len(), 2);
    r
}

fn opts() -> SweepRenderOptions {
    SweepRenderOptions {
        color: false,
        width: 120,
    }
}

fn no_raw_controls(text: &str, format: &str) {
    for c in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!text.contains(c), "{format}: a raw {c:?} is in the output");
    }
}

#[test]
fn the_table_shows_hostile_strings_as_inert_text() {
    let t = render(&hostile_report(), SweepFormat::Table, &opts());
    no_raw_controls(&t, "table");
    assert!(t.contains("\\u{1b}[31mRED"), "{t}");
    assert!(
        t.contains("\\u{a}second line"),
        "line breaks are escaped: {t}"
    );
    for line in t.lines() {
        assert!(!line.starts_with(['=', '+', '@', '-']), "{line}");
    }
    assert!(t.contains("ec2:key-pair"));
    assert!(t.contains("remove: aws ec2 delete-key-pair"));
}

#[test]
fn markdown_has_no_link_image_html_or_autolink_from_aws() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let md = render(&hostile_report(), SweepFormat::Markdown, &opts());
    no_raw_controls(&md, "markdown");
    let mut code_spans = 0;
    for ev in Parser::new_ext(&md, Options::all()) {
        match ev {
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => panic!("a link in {md}"),
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML {h} in {md}"),
            Event::Text(t) => {
                assert!(
                    !t.contains("evil.example"),
                    "plain text {t:?} could be autolinked"
                );
                assert!(!t.contains("<script"), "{t}");
            }
            Event::Code(t) if t.contains("evil.example") => code_spans += 1,
            _ => {}
        }
    }
    assert!(
        code_spans >= 5,
        "the hostile strings are shown, in code spans: {md}"
    );
    assert!(
        md.contains("## 3. Review EC2 instances, Lambda functions and Spot bids in every region")
    );
    assert!(md.contains("delete-key-pair --region 'us-east-1' --key-name"));
}

#[test]
fn html_has_no_markup_from_aws() {
    let h = render(&hostile_report(), SweepFormat::Html, &opts());
    no_raw_controls(&h, "html");
    assert!(!h.contains("<script"), "{h}");
    assert!(!h.contains("<img"), "{h}");
    assert!(!h.contains("<a "), "{h}");
    assert!(!h.contains("href"), "{h}");
    assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(h.contains("default-src 'none'"));
    assert!(h.contains("to remove it: "));
}

#[test]
fn json_keeps_the_strings_exactly_and_escaped() {
    let r = hostile_report();
    let j = render(&r, SweepFormat::Json, &opts());
    // JSON is data: control characters are escaped (`\u001b`), the rest kept as written.
    assert!(!j.contains('\u{1b}') && !j.contains('\u{7}'));
    assert!(j.contains("\\u001b[31mRED"));
    let back: SweepReport = serde_json::from_str(&j).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.resources[0].id, HOSTILE);
    let v: serde_json::Value = serde_json::from_str(&j).unwrap();
    assert_eq!(v["schema"], "hiyari.sweep/v1");
    for key in [
        "tool",
        "window",
        "accounts",
        "keys",
        "resources",
        "activity",
        "sign_ins",
        "spend",
        "notices",
        "errors",
        "warnings",
    ] {
        assert!(v.get(key).is_some(), "no {key}");
    }
    let res = &v["resources"][0];
    for key in [
        "account",
        "region",
        "type",
        "id",
        "created_at",
        "state",
        "created_by",
    ] {
        assert!(res.get(key).is_some(), "resource has no {key}");
    }
    for key in [
        "principal",
        "access_key_id",
        "source_ip",
        "user_agent",
        "event_name",
        "event_time",
    ] {
        assert!(
            res["created_by"].get(key).is_some(),
            "created_by has no {key}"
        );
    }
}
