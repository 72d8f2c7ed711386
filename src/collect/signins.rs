//! The root user's console sign-ins, for root-sign-ins: CloudTrail LookupEvents
//! (EventName=ConsoleLogin) in one region over the last days, read by the sweep's
//! lookup (every page, paced at LookupEvents' 2 requests per second per account and
//! region), each record read with the sweep's reader and root's kept.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use aws_sdk_cloudtrail::types::LookupAttributeKey;
use aws_smithy_types::DateTime;
use hiyari_checks::inventory::sweep::{EventHistory, RawEvent};
use hiyari_checks::inventory::RootSignIn;
use hiyari_checks::CollectError;

use super::sweep::events::{lookup, Lookup};
use super::sweep::pace::Pacer;
use super::sweep::LOOKUP_RATE;
use super::Session;

pub async fn root_sign_ins(
    s: &Session,
    region: &str,
    days: u32,
) -> Result<Vec<RootSignIn>, CollectError> {
    let now = SystemTime::now();
    let window = (
        DateTime::from(now - Duration::from_secs(u64::from(days) * 86_400)),
        DateTime::from(now),
    );
    let sign_ins = Lookup::new(LookupAttributeKey::EventName, "ConsoleLogin");
    let mut h = EventHistory::default();
    let pacer = Pacer::new(LOOKUP_RATE);
    lookup(
        s,
        &pacer,
        region,
        window,
        &sign_ins,
        &mut h,
        &mut BTreeSet::new(),
    )
    .await?;
    Ok(h.events
        .iter()
        .map(RawEvent::read)
        .filter(|ev| {
            let root = ev.identity_type.as_deref() == Some("Root")
                || (ev.identity_type.is_none() && ev.user_name.as_deref() == Some("root"));
            ev.event_name == "ConsoleLogin" && root
        })
        .map(|ev| RootSignIn {
            time: ev.event_time,
            source_ip: ev.source_ip,
            mfa_used: ev.mfa_used,
            outcome: ev.outcome,
            user_agent: ev.user_agent,
        })
        .collect())
}
