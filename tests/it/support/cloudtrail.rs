//! CloudTrail's event history (LookupEvents), which moto does not serve, emulated for the
//! test proxy in CloudTrail's own JSON 1.1 shapes: each event with its record as a JSON
//! string in `CloudTrailEvent`, newest first, `LookupAttributes` (one attribute),
//! `StartTime` and `EndTime` (epoch seconds), pages of at most `MaxResults` (and of the
//! emulation's own page size) joined by `NextToken`, and `ThrottlingException` when a
//! region is asked more than twice in a second, as LookupEvents' limit of 2 requests per
//! second per account and region.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::proxy::{Call, Canned, Match, Proxy};

/// One stored event: its region, time (epoch seconds), the record, and the resources
/// LookupEvents lists with it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub region: String,
    pub time: i64,
    pub record: Value,
    pub resources: Vec<(String, String)>,
}

#[derive(Default)]
struct State {
    events: Vec<Stored>,
    /// The times of the requests each region was asked (the last second's).
    asked: BTreeMap<String, Vec<Instant>>,
    requests: BTreeMap<String, u64>,
    throttled: BTreeMap<String, u64>,
}

/// The event history of one account, every region.
#[derive(Clone)]
pub struct Trail {
    state: Arc<Mutex<State>>,
    /// Events per page at most (LookupEvents' own is 50).
    pub page_size: usize,
    /// Requests a second per region before throttling (`None`: no limit).
    pub rate: Option<usize>,
}

impl Trail {
    pub fn new(page_size: usize) -> Self {
        Trail {
            state: Arc::default(),
            page_size,
            rate: Some(2),
        }
    }

    /// Adds a record (as CloudTrail writes it) recorded in `region`.
    pub fn add(&self, region: &str, record: Value, resources: &[(&str, &str)]) {
        let time = record["eventTime"].as_str().map(epoch).expect("eventTime");
        self.state.lock().unwrap().events.push(Stored {
            region: region.into(),
            time,
            record,
            resources: resources
                .iter()
                .map(|(t, n)| (t.to_string(), n.to_string()))
                .collect(),
        });
    }

    /// Requests LookupEvents got in `region`, throttled ones included.
    pub fn requests(&self, region: &str) -> u64 {
        *self
            .state
            .lock()
            .unwrap()
            .requests
            .get(region)
            .unwrap_or(&0)
    }

    pub fn throttled(&self) -> u64 {
        self.state.lock().unwrap().throttled.values().sum()
    }

    /// Answers LookupEvents through `proxy`.
    pub fn serve(&self, proxy: &Proxy) {
        let me = self.clone();
        proxy.respond(
            Match::action("cloudtrail", "LookupEvents"),
            Arc::new(move |call: &Call, body: &[u8]| Some(me.answer(call, body))),
        );
    }

    fn answer(&self, call: &Call, body: &[u8]) -> Canned {
        let req: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let mut st = self.state.lock().unwrap();
        *st.requests.entry(call.region.clone()).or_default() += 1;
        if let Some(rate) = self.rate {
            let now = Instant::now();
            let asked = st.asked.entry(call.region.clone()).or_default();
            asked.retain(|t| now.duration_since(*t) < Duration::from_secs(1));
            if asked.len() >= rate {
                *st.throttled.entry(call.region.clone()).or_default() += 1;
                return json_error("ThrottlingException", "Rate exceeded");
            }
            asked.push(now);
        }
        let start = req["StartTime"].as_f64().map(|t| t as i64);
        let end = req["EndTime"].as_f64().map(|t| t as i64);
        let attr = req["LookupAttributes"]
            .as_array()
            .and_then(|a| a.first())
            .cloned();
        let max = req["MaxResults"].as_u64().unwrap_or(50).clamp(1, 50) as usize;
        let page = max.min(self.page_size);
        let mut found: Vec<&Stored> = st
            .events
            .iter()
            .filter(|e| e.region == call.region)
            .filter(|e| start.is_none_or(|s| e.time >= s) && end.is_none_or(|x| e.time <= x))
            .filter(|e| match &attr {
                None => true,
                Some(a) => matches(
                    e,
                    a["AttributeKey"].as_str().unwrap_or(""),
                    a["AttributeValue"].as_str().unwrap_or(""),
                ),
            })
            .collect();
        found.sort_by(|a, b| {
            b.time.cmp(&a.time).then(
                a.record["eventID"]
                    .as_str()
                    .cmp(&b.record["eventID"].as_str()),
            )
        });
        let from: usize = req["NextToken"]
            .as_str()
            .and_then(|t| t.strip_prefix("page-"))
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        let events: Vec<Value> = found
            .iter()
            .skip(from)
            .take(page)
            .map(|e| lookup_event(e))
            .collect();
        let mut out = json!({ "Events": events });
        if from + page < found.len() {
            out["NextToken"] = json!(format!("page-{}", from + page));
        }
        Canned::ok("application/x-amz-json-1.1", out.to_string())
    }
}

fn matches(e: &Stored, key: &str, value: &str) -> bool {
    let r = &e.record;
    let s = |v: &Value| v.as_str().map(str::to_string);
    match key {
        "EventId" => s(&r["eventID"]).as_deref() == Some(value),
        "EventName" => s(&r["eventName"]).as_deref() == Some(value),
        "EventSource" => s(&r["eventSource"]).as_deref() == Some(value),
        "ReadOnly" => r["readOnly"].as_bool().map(|b| b.to_string()).as_deref() == Some(value),
        "AccessKeyId" => s(&r["userIdentity"]["accessKeyId"]).as_deref() == Some(value),
        "Username" => username(r).as_deref() == Some(value),
        "ResourceName" => e.resources.iter().any(|(_, n)| n == value),
        "ResourceType" => e.resources.iter().any(|(t, _)| t == value),
        _ => false,
    }
}

/// LookupEvents' `Username`: the IAM user's name, the role session's name, `root`.
fn username(r: &Value) -> Option<String> {
    let id = &r["userIdentity"];
    match id["type"].as_str()? {
        "Root" => Some("root".into()),
        "AssumedRole" => id["arn"].as_str()?.rsplit('/').next().map(str::to_string),
        _ => id["userName"].as_str().map(str::to_string),
    }
}

/// One entry of LookupEvents' `Events`.
fn lookup_event(e: &Stored) -> Value {
    let r = &e.record;
    let mut v = json!({
        "EventId": r["eventID"],
        "EventName": r["eventName"],
        "ReadOnly": r["readOnly"].as_bool().unwrap_or(false).to_string(),
        "EventTime": e.time,
        "EventSource": r["eventSource"],
        "Resources": e.resources.iter().map(|(t, n)| json!({"ResourceType": t, "ResourceName": n})).collect::<Vec<_>>(),
        "CloudTrailEvent": r.to_string(),
    });
    if let Some(k) = r["userIdentity"]["accessKeyId"]
        .as_str()
        .filter(|k| !k.is_empty())
    {
        v["AccessKeyId"] = json!(k);
    }
    if let Some(u) = username(r) {
        v["Username"] = json!(u);
    }
    v
}

/// An error of a JSON 1.1 service.
pub fn json_error(code: &str, message: &str) -> Canned {
    Canned {
        status: 400,
        content_type: "application/x-amz-json-1.1".into(),
        headers: vec![("x-amzn-ErrorType".into(), code.into())],
        body: json!({"__type": code, "message": message})
            .to_string()
            .into_bytes(),
    }
}

/// Seconds since the epoch of an RFC 3339 UTC time (`2026-11-20T10:00:00Z`).
pub fn epoch(t: &str) -> i64 {
    let t = time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339)
        .expect("RFC 3339");
    t.unix_timestamp()
}

/// RFC 3339 of epoch seconds.
pub fn rfc3339(secs: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(secs).unwrap();
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&f).unwrap()
}

/// The records of AWS's CloudTrail documentation, with the fields a test sets.
pub mod records {
    use serde_json::{json, Value};

    /// An IAM user's call (`userIdentity` of type IAMUser).
    pub fn user_identity(account: &str, user: &str, key: &str) -> Value {
        json!({
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLEPRINCIPAL",
            "arn": format!("arn:aws:iam::{account}:user/{user}"),
            "accountId": account,
            "accessKeyId": key,
            "userName": user,
        })
    }

    /// An assumed role's call.
    pub fn role_identity(account: &str, role: &str, session: &str, key: &str) -> Value {
        json!({
            "type": "AssumedRole",
            "principalId": format!("AROAEXAMPLEROLEID:{session}"),
            "arn": format!("arn:aws:sts::{account}:assumed-role/{role}/{session}"),
            "accountId": account,
            "accessKeyId": key,
            "sessionContext": {
                "sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLEROLEID", "arn": format!("arn:aws:iam::{account}:role/{role}"), "accountId": account, "userName": role},
                "attributes": {"creationDate": "2026-11-20T00:00:00Z", "mfaAuthenticated": "false"}
            }
        })
    }

    /// RunInstances, as the EC2 example of CloudTrail's documentation records it.
    #[allow(clippy::too_many_arguments)]
    pub fn run_instances(
        id: &str,
        who: Value,
        time: &str,
        region: &str,
        ip: &str,
        agent: &str,
        instance: &str,
    ) -> Value {
        api_call(
            id,
            who,
            time,
            "ec2.amazonaws.com",
            "RunInstances",
            region,
            ip,
            agent,
            json!({"instancesSet": {"items": [{"imageId": "ami-0123456789abcdef0", "minCount": 1, "maxCount": 1}]}, "instanceType": "c5.24xlarge"}),
            json!({"requestId": format!("r-{id}"), "reservationId": "r-0123456789abcdef0", "ownerId": "123456789012", "groupSet": {}, "instancesSet": {"items": [{"instanceId": instance, "imageId": "ami-0123456789abcdef0", "instanceState": {"code": 0, "name": "pending"}, "instanceType": "c5.24xlarge"}]}}),
        )
    }

    /// Any call, with its request and response; read-only as hiyari's policy test tells
    /// (Describe, List, Get...).
    #[allow(clippy::too_many_arguments)]
    pub fn api_call(
        id: &str,
        who: Value,
        time: &str,
        source: &str,
        name: &str,
        region: &str,
        ip: &str,
        agent: &str,
        request: Value,
        response: Value,
    ) -> Value {
        let read_only = hiyari_checks::check::is_read_only_action(name);
        json!({
            "eventVersion": "1.08",
            "userIdentity": who,
            "eventTime": time,
            "eventSource": source,
            "eventName": name,
            "awsRegion": region,
            "sourceIPAddress": ip,
            "userAgent": agent,
            "requestParameters": request,
            "responseElements": response,
            "requestID": format!("req-{id}"),
            "eventID": id,
            "readOnly": read_only,
            "eventType": "AwsApiCall",
            "managementEvent": true,
            "recipientAccountId": who["accountId"],
            "eventCategory": "Management",
        })
    }

    /// GetSessionToken / AssumeRole / GetFederationToken handing out `issued`.
    #[allow(clippy::too_many_arguments)]
    pub fn minting(
        id: &str,
        who: Value,
        time: &str,
        name: &str,
        region: &str,
        ip: &str,
        issued: &str,
    ) -> Value {
        let mut v = api_call(
            id,
            who,
            time,
            "sts.amazonaws.com",
            name,
            region,
            ip,
            "aws-cli/2.15.0",
            json!({"durationSeconds": 3600}),
            json!({"credentials": {"accessKeyId": issued, "sessionToken": "IQoJb3JpZ2luX2VjEXAMPLE", "expiration": "Nov 20, 2026, 11:00:00 PM"}}),
        );
        // These fixtures record minting as a write (readOnly false), so that the
        // untargeted sweep's ReadOnly=false lookup reads it as the key lookups do.
        v["readOnly"] = json!(false);
        v
    }

    /// ConsoleLogin, as CloudTrail's documentation records a root sign-in.
    #[allow(clippy::too_many_arguments)]
    pub fn console_login(
        id: &str,
        account: &str,
        root: bool,
        user: &str,
        time: &str,
        region: &str,
        ip: &str,
        mfa: bool,
        ok: bool,
    ) -> Value {
        let who = if root {
            json!({"type": "Root", "principalId": account, "arn": format!("arn:aws:iam::{account}:root"), "accountId": account, "accessKeyId": ""})
        } else {
            json!({"type": "IAMUser", "principalId": "AIDAEXAMPLEPRINCIPAL", "arn": format!("arn:aws:iam::{account}:user/{user}"), "accountId": account, "userName": user})
        };
        let mut v = json!({
            "eventVersion": "1.08",
            "userIdentity": who,
            "eventTime": time,
            "eventSource": "signin.amazonaws.com",
            "eventName": "ConsoleLogin",
            "awsRegion": region,
            "sourceIPAddress": ip,
            "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            "requestParameters": null,
            "responseElements": {"ConsoleLogin": if ok { "Success" } else { "Failure" }},
            "additionalEventData": {"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", "MobileVersion": "No", "MFAUsed": if mfa { "Yes" } else { "No" }},
            "eventID": id,
            "readOnly": false,
            "eventType": "AwsConsoleSignIn",
            "managementEvent": true,
            "recipientAccountId": account,
            "eventCategory": "Management",
        });
        if !ok {
            v["errorMessage"] = json!("Failed authentication");
        }
        v
    }
}

/// AWS Health without a Business or Enterprise support plan, as it answers. The Rust
/// SDK's Health client speaks Smithy RPC v2 CBOR: the error is a CBOR map with
/// `__type` and `message`.
pub fn health_without_support_plan(proxy: &Proxy) {
    proxy.respond(
        Match::service("health"),
        Arc::new(|_: &Call, _: &[u8]| {
            let mut body = vec![0xA2u8];
            for text in [
                "__type",
                "SubscriptionRequiredException",
                "message",
                "AWS Premium Support Subscription is required to use this service.",
            ] {
                cbor_text(&mut body, text);
            }
            Some(Canned {
                status: 400,
                content_type: "application/cbor".into(),
                headers: vec![("smithy-protocol".into(), "rpc-v2-cbor".into())],
                body,
            })
        }),
    );
}

/// A CBOR text string (major type 3) of fewer than 256 bytes.
fn cbor_text(out: &mut Vec<u8>, s: &str) {
    let n = s.len();
    if n < 24 {
        out.push(0x60 + n as u8);
    } else {
        out.push(0x78);
        out.push(n as u8);
    }
    out.extend_from_slice(s.as_bytes());
}

/// EC2 DescribeReservedInstances (moto does not implement it), with `items` as
/// `(id, start)` of active reservations.
pub fn reserved_instances(proxy: &Proxy, region: &str, items: Vec<(String, String)>) {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeReservedInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><reservedInstancesSet>{}</reservedInstancesSet></DescribeReservedInstancesResponse>",
        items
            .iter()
            .map(|(id, start)| format!("<item><reservedInstancesId>{id}</reservedInstancesId><instanceType>p3.16xlarge</instanceType><availabilityZone>{region}a</availabilityZone><start>{start}</start><duration>94608000</duration><fixedPrice>0.0</fixedPrice><usagePrice>0.0</usagePrice><instanceCount>4</instanceCount><productDescription>Linux/UNIX</productDescription><state>active</state><instanceTenancy>default</instanceTenancy><currencyCode>USD</currencyCode><offeringType>All Upfront</offeringType></item>"))
            .collect::<String>()
    );
    let region = region.to_string();
    proxy.respond(
        Match::action("ec2", "DescribeReservedInstances"),
        Arc::new(move |call: &Call, _: &[u8]| {
            let empty = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeReservedInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId><reservedInstancesSet/></DescribeReservedInstancesResponse>";
            let text = if call.region == region { body.clone() } else { empty.to_string() };
            Some(Canned::ok("text/xml;charset=UTF-8", text))
        }),
    );
}
