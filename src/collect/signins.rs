//! The root user's console sign-ins, for root-sign-ins: CloudTrail LookupEvents
//! (EventName=ConsoleLogin) in one region over the last days, every page, paced at
//! LookupEvents' 2 requests per second per account and region; each record read with
//! the sweep's reader and root's kept.

use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use aws_smithy_types::DateTime;
use hiyari_checks::inventory::RootSignIn;
use hiyari_checks::sweep::model::RawEvent;
use hiyari_checks::CollectError;

use super::sweep::pace::Pacer;
use super::{ts, Session};

const API: &str = "cloudtrail:LookupEvents";

pub async fn root_sign_ins(
    s: &Session,
    region: &str,
    days: u32,
) -> Result<Vec<RootSignIn>, CollectError> {
    let ct = s.cloudtrail(region);
    let pacer = Pacer::new(2.0);
    let now = std::time::SystemTime::now();
    let start = now - std::time::Duration::from_secs(u64::from(days) * 86_400);
    let attr = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::EventName)
        .attribute_value("ConsoleLogin")
        .build()
        .map_err(|e| CollectError::new(API, "InvalidRequest", e.to_string()))?;
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        pacer.wait().await;
        let page = s
            .limiter
            .call(
                API,
                ct.lookup_events()
                    .lookup_attributes(attr.clone())
                    .start_time(DateTime::from(start))
                    .end_time(DateTime::from(now))
                    .max_results(50)
                    .set_next_token(token.clone())
                    .send(),
            )
            .await?;
        for e in page.events() {
            let raw = RawEvent {
                event_id: e.event_id().unwrap_or_default().to_string(),
                event_name: e.event_name().unwrap_or_default().to_string(),
                event_time: ts(e.event_time()).unwrap_or_default(),
                event_source: None,
                username: e.username().map(str::to_string),
                access_key_id: None,
                read_only: None,
                resources: vec![],
                cloudtrail_event: e.cloud_trail_event().map(str::to_string),
            };
            let ev = raw.read();
            let root = ev.identity_type.as_deref() == Some("Root")
                || (ev.identity_type.is_none() && ev.user_name.as_deref() == Some("root"));
            if ev.event_name == "ConsoleLogin" && root {
                out.push(RootSignIn {
                    time: ev.event_time,
                    source_ip: ev.source_ip,
                    mfa_used: ev.mfa_used,
                    outcome: ev.outcome,
                    user_agent: ev.user_agent,
                });
            }
        }
        match page.next_token().filter(|t| !t.is_empty()) {
            None => break,
            Some(n) if token.as_deref() == Some(n) => {
                return Err(CollectError::new(
                    API,
                    "PaginationLoop",
                    "the service returned the same page token twice",
                ))
            }
            Some(n) => token = Some(n.to_string()),
        }
    }
    Ok(out)
}
