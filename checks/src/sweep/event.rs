//! One CloudTrail event record read: who made the call (principal, access key, source
//! address, user agent), what it did, the temporary key it minted, the resources it
//! names, and for a console sign-in its outcome and MFA.

use serde_json::Value;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::inventory::sweep::RawEvent;

/// The STS calls whose answer is a temporary key (`responseElements.credentials`).
pub const MINTING_EVENTS: [&str; 3] = ["GetSessionToken", "AssumeRole", "GetFederationToken"];

/// An event, read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    pub event_id: String,
    pub event_name: String,
    pub event_time: String,
    pub event_source: Option<String>,
    /// `userIdentity.arn`, else LookupEvents' `Username`.
    pub principal: Option<String>,
    pub user_name: Option<String>,
    /// `userIdentity.type`: `Root`, `IAMUser`, `AssumedRole`, `FederatedUser`, ...
    pub identity_type: Option<String>,
    pub access_key_id: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub read_only: Option<bool>,
    pub error_code: Option<String>,
    /// The temporary key a successful GetSessionToken, AssumeRole or GetFederationToken
    /// handed out.
    pub issued_key: Option<String>,
    /// Ids and names the event names: LookupEvents' resources, then every string of
    /// the record's `responseElements` and `requestParameters` that looks like one.
    pub resource_ids: Vec<String>,
    /// ConsoleLogin: `additionalEventData.MFAUsed` is `Yes`.
    pub mfa_used: Option<bool>,
    /// ConsoleLogin: `responseElements.ConsoleLogin` (`Success`, `Failure`).
    pub outcome: Option<String>,
    /// The record could not be read as JSON: what is known comes from LookupEvents' own
    /// fields.
    pub unreadable: bool,
}

fn text(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    match cur {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Every string under `v` that could be a resource's id or name: no spaces, not too
/// long, not a time. The matching compares whole strings, so extra ones cost nothing.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !s.is_empty() && s.len() <= 2048 => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

impl RawEvent {
    /// The event read: the record's fields where it has them, else LookupEvents'.
    pub fn read(&self) -> Event {
        let record: Option<Value> = self
            .cloudtrail_event
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok());
        let mut e = Event {
            event_id: self.event_id.clone(),
            event_name: self.event_name.clone(),
            event_time: self.event_time.clone(),
            event_source: self.event_source.clone(),
            principal: None,
            user_name: self.username.clone(),
            access_key_id: self.access_key_id.clone().filter(|k| !k.is_empty()),
            read_only: self.read_only.as_deref().map(|r| r == "true"),
            unreadable: self.cloudtrail_event.is_some() && record.is_none(),
            ..Event::default()
        };
        for (_, name) in &self.resources {
            e.resource_ids.push(name.clone());
        }
        let Some(r) = record else {
            e.principal = e.user_name.clone();
            return e;
        };
        let id = |p: &[&str]| text(&r, p);
        e.principal = id(&["userIdentity", "arn"]).or_else(|| e.user_name.clone());
        e.user_name = id(&["userIdentity", "userName"])
            .or_else(|| {
                id(&[
                    "userIdentity",
                    "sessionContext",
                    "sessionIssuer",
                    "userName",
                ])
            })
            .or(e.user_name);
        e.identity_type = id(&["userIdentity", "type"]);
        if let Some(k) = id(&["userIdentity", "accessKeyId"]).filter(|k| !k.is_empty()) {
            e.access_key_id = Some(k);
        }
        e.source_ip = id(&["sourceIPAddress"]);
        e.user_agent = id(&["userAgent"]);
        if let Some(ro) = r.get("readOnly").and_then(Value::as_bool) {
            e.read_only = Some(ro);
        }
        e.error_code = id(&["errorCode"]);
        if MINTING_EVENTS.contains(&e.event_name.as_str()) && e.error_code.is_none() {
            e.issued_key = id(&["responseElements", "credentials", "accessKeyId"]);
        }
        if e.event_name == "ConsoleLogin" {
            e.outcome = id(&["responseElements", "ConsoleLogin"]);
            e.mfa_used = id(&["additionalEventData", "MFAUsed"]).map(|m| m == "Yes");
        }
        for part in ["responseElements", "requestParameters"] {
            if let Some(v) = r.get(part) {
                strings(v, &mut e.resource_ids);
            }
        }
        e.resource_ids.sort();
        e.resource_ids.dedup();
        e
    }
}

/// The ids to show for an event: those LookupEvents named, else the record's, at most
/// 20.
pub fn shown_ids(raw: &RawEvent, e: &Event) -> Vec<String> {
    if !raw.resources.is_empty() {
        return raw.resources.iter().map(|(_, n)| n.clone()).collect();
    }
    e.resource_ids
        .iter()
        .filter(|s| looks_like_id(s))
        .take(20)
        .cloned()
        .collect()
}

/// An AWS resource id or ARN (`i-0abc…`, `sg-…`, `arn:aws:…`).
fn looks_like_id(s: &str) -> bool {
    s.starts_with("arn:")
        || s.split_once('-').is_some_and(|(p, rest)| {
            matches!(
                p,
                "i" | "sir"
                    | "sfr"
                    | "fleet"
                    | "vol"
                    | "snap"
                    | "ami"
                    | "sg"
                    | "lt"
                    | "key"
                    | "eni"
                    | "vpc"
                    | "subnet"
            ) && rest.len() >= 8
                && rest.chars().all(|c| c.is_ascii_hexdigit())
        })
}

/// Parses an RFC 3339 time; also Lambda's `+0000` offsets.
pub fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok().or_else(|| {
        let (head, off) = s.split_at(s.len().checked_sub(5)?);
        let fixed = match off.as_bytes() {
            [b'+' | b'-', ..] if off[1..].bytes().all(|b| b.is_ascii_digit()) => {
                format!("{head}{}:{}", &off[..3], &off[3..])
            }
            _ => return None,
        };
        OffsetDateTime::parse(&fixed, &Rfc3339).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn raw(name: &str, record: &str) -> RawEvent {
        RawEvent {
            event_id: "e1".into(),
            event_name: name.into(),
            event_time: "2026-11-20T10:00:00Z".into(),
            event_source: None,
            username: Some("lookup-user".into()),
            access_key_id: None,
            read_only: Some("false".into()),
            resources: vec![],
            cloudtrail_event: Some(record.into()),
        }
    }

    /// The ConsoleLogin record of AWS's CloudTrail documentation (root, no MFA).
    #[test]
    fn a_console_login_reads_outcome_and_mfa() {
        let r = raw(
            "ConsoleLogin",
            r#"{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":""},"eventTime":"2026-11-20T10:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.0","userAgent":"Mozilla/5.0","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home","MobileVersion":"No","MFAUsed":"No"},"eventID":"deb1e1f9-c99b-4612-8e9f-21f93b5daf51","readOnly":false,"eventType":"AwsConsoleSignIn","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}"#,
        );
        let e = r.read();
        assert_eq!(
            e.principal.as_deref(),
            Some("arn:aws:iam::111122223333:root")
        );
        assert_eq!(e.identity_type.as_deref(), Some("Root"));
        assert_eq!(e.access_key_id, None, "an empty key is no key");
        assert_eq!(e.outcome.as_deref(), Some("Success"));
        assert_eq!(e.mfa_used, Some(false));
        assert_eq!(e.source_ip.as_deref(), Some("192.0.2.0"));
    }

    #[test]
    fn a_minting_call_gives_its_issued_key_unless_it_failed() {
        let rec = r#"{"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bob","accessKeyId":"AKIAORIGIN","userName":"bob"},"eventName":"GetSessionToken","responseElements":{"credentials":{"accessKeyId":"ASIADERIVED","sessionToken":"x","expiration":"Nov 20, 2026, 10:00:00 PM"}}}"#;
        let e = raw("GetSessionToken", rec).read();
        assert_eq!(e.issued_key.as_deref(), Some("ASIADERIVED"));
        assert_eq!(e.access_key_id.as_deref(), Some("AKIAORIGIN"));
        assert_eq!(e.user_name.as_deref(), Some("bob"));
        let failed = rec.replace(
            r#""eventName""#,
            r#""errorCode":"AccessDenied","eventName""#,
        );
        assert_eq!(raw("GetSessionToken", &failed).read().issued_key, None);
    }

    #[test]
    fn an_unreadable_record_keeps_lookup_fields() {
        let mut r = raw("RunInstances", "{not json");
        r.access_key_id = Some("AKIA1".into());
        let e = r.read();
        assert!(e.unreadable);
        assert_eq!(e.principal.as_deref(), Some("lookup-user"));
        assert_eq!(e.access_key_id.as_deref(), Some("AKIA1"));
        assert_eq!(e.read_only, Some(false));
    }

    #[test]
    fn resource_ids_come_from_the_answer_and_the_request() {
        let r = raw(
            "RunInstances",
            r#"{"responseElements":{"instancesSet":{"items":[{"instanceId":"i-0123456789abcdef0","keyName":"my key"}]}},"requestParameters":{"groupSet":{"items":[{"groupId":"sg-0123abcd"}]}}}"#,
        );
        let e = r.read();
        assert!(e.resource_ids.contains(&"i-0123456789abcdef0".to_string()));
        assert!(e.resource_ids.contains(&"sg-0123abcd".to_string()));
        assert!(e.resource_ids.contains(&"my key".to_string()));
        assert_eq!(shown_ids(&r, &e), ["i-0123456789abcdef0", "sg-0123abcd"]);
    }
}
