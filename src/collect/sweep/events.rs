//! CloudTrail event history (LookupEvents), every scanned region at once, each region
//! paced ([`super::pace`]) and paged to the end: the sign-ins, the named keys' events
//! (and then, round after round, those of the temporary keys they minted), the named
//! principals' events, or every write event up to the bound; then the creation events
//! of resources not matched yet. A region whose history could not be read completely
//! is an error for that region, never a shorter list.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use aws_smithy_types::DateTime;
use futures::future::join_all;
use hiyari_checks::inventory::sweep::{EventHistory, LiveResource, RawEvent};
use hiyari_checks::sweep::event::parse_time;
use hiyari_checks::sweep::sources::{resource_type, CreatedFrom};
use hiyari_checks::{CollectError, Collected};

use super::pace::{Pacer, Pacers};
use super::Plan;
use crate::collect::{ts, Session};

const API: &str = "cloudtrail:LookupEvents";
/// LookupEvents' largest page.
const PAGE: i32 = 50;
/// Rounds of following temporary keys (a key minted from a key minted from ...).
const MAX_ROUNDS: usize = 8;
/// Resources per region whose creation event is looked up by name.
const MAX_RESOURCE_LOOKUPS: usize = 200;

type Histories = BTreeMap<String, Result<EventHistory, CollectError>>;

/// One lookup: an attribute and its value (LookupEvents takes one at a time).
#[derive(Debug, Clone)]
pub(crate) struct Lookup {
    key: LookupAttributeKey,
    value: String,
    /// Stop after this many events, and say the history was cut.
    bound: Option<u32>,
}

impl Lookup {
    pub(crate) fn new(key: LookupAttributeKey, value: &str) -> Self {
        Lookup {
            key,
            value: value.to_string(),
            bound: None,
        }
    }

    fn label(&self) -> String {
        format!("{}={}", self.key.as_str(), self.value)
    }
}

/// The user name LookupEvents' `Username` attribute matches for a principal given as an
/// ARN (`arn:aws:iam::123456789012:user/path/bob` is `bob`) or a name.
fn username_of(principal: &str) -> String {
    if principal.ends_with(":root") {
        return "root".into();
    }
    match principal.strip_prefix("arn:") {
        Some(_) => principal
            .rsplit('/')
            .next()
            .unwrap_or(principal)
            .to_string(),
        None => principal.to_string(),
    }
}

/// The first round of lookups in every region.
fn first_lookups(plan: &Plan) -> Vec<Lookup> {
    let q = &plan.query;
    let mut v = vec![Lookup::new(LookupAttributeKey::EventName, "ConsoleLogin")];
    for k in &q.access_key_ids {
        v.push(Lookup::new(LookupAttributeKey::AccessKeyId, k));
    }
    for p in &q.principals {
        v.push(Lookup::new(LookupAttributeKey::Username, &username_of(p)));
    }
    if q.is_targeted() {
        // Security groups are dated only by their creation event.
        v.push(Lookup::new(
            LookupAttributeKey::EventName,
            "CreateSecurityGroup",
        ));
    } else {
        v.push(Lookup {
            bound: Some(q.max_events),
            ..Lookup::new(LookupAttributeKey::ReadOnly, "false")
        });
    }
    v
}

/// Runs `lookups` in order in one region, adding what they find to `h`.
async fn run(
    s: &Session,
    plan: &Plan,
    pacer: &Pacer,
    region: &str,
    lookups: &[Lookup],
    h: &mut EventHistory,
) -> Result<(), CollectError> {
    let mut seen: BTreeSet<String> = h.events.iter().map(|e| e.event_id.clone()).collect();
    for l in lookups {
        h.lookups.push(l.label());
        lookup(s, pacer, region, (plan.since, plan.until), l, h, &mut seen).await?;
    }
    Ok(())
}

/// Every page of one lookup in `region` from `window.0` to `window.1`, each request
/// paced by `pacer`, adding to `h` the events whose id is not in `seen`. The sweep and
/// the root-sign-ins check read CloudTrail through this one loop.
pub(crate) async fn lookup(
    s: &Session,
    pacer: &Pacer,
    region: &str,
    window: (DateTime, DateTime),
    l: &Lookup,
    h: &mut EventHistory,
    seen: &mut BTreeSet<String>,
) -> Result<(), CollectError> {
    let ct = s.cloudtrail(region);
    let attr = LookupAttribute::builder()
        .attribute_key(l.key.clone())
        .attribute_value(&l.value)
        .build()
        .map_err(|e| CollectError::new(API, "InvalidRequest", e.to_string()))?;
    let mut token: Option<String> = None;
    let mut found = 0u32;
    loop {
        pacer.wait().await;
        h.pages += 1;
        let out = s
            .limiter
            .chain()
            .call(
                API,
                ct.lookup_events()
                    .lookup_attributes(attr.clone())
                    .start_time(window.0)
                    .end_time(window.1)
                    .max_results(PAGE)
                    .set_next_token(token.clone())
                    .send(),
            )
            .await
            .map_err(|mut e| {
                e.message = format!("{} (lookup {})", e.message, l.label());
                e
            })?;
        for (i, e) in out.events().iter().enumerate() {
            let raw = raw_event(region, h.pages, i, e);
            found += 1;
            if seen.insert(raw.event_id.clone()) {
                h.events.push(raw);
            }
        }
        let next = out
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if let Some(bound) = l.bound {
            if found >= bound {
                h.truncated |= next.is_some() || found > bound;
                return Ok(());
            }
        }
        match next {
            None => return Ok(()),
            Some(n) if token.as_deref() == Some(n.as_str()) => {
                return Err(CollectError::new(
                    API,
                    "PaginationLoop",
                    "the service returned the same page token twice",
                ))
            }
            Some(n) => token = Some(n),
        }
    }
}

fn raw_event(region: &str, page: u32, i: usize, e: &aws_sdk_cloudtrail::types::Event) -> RawEvent {
    let time = ts(e.event_time()).unwrap_or_default();
    RawEvent {
        // An event without its id is kept under one made of where it was read.
        event_id: e
            .event_id()
            .filter(|i| !i.is_empty())
            .map(str::to_string)
            .unwrap_or_else(|| format!("{region}:{page}:{i}:{time}")),
        event_name: e.event_name().unwrap_or_default().to_string(),
        event_time: time,
        event_source: e.event_source().map(str::to_string),
        username: e.username().map(str::to_string),
        access_key_id: e.access_key_id().map(str::to_string),
        read_only: e.read_only().map(str::to_string),
        resources: e
            .resources()
            .iter()
            .filter_map(|r| {
                Some((
                    r.resource_type().map(str::to_string),
                    r.resource_name()?.to_string(),
                ))
            })
            .collect(),
        cloudtrail_event: e.cloud_trail_event().map(str::to_string),
    }
}

/// Runs `lookups(region)` in every region still readable, all regions at once.
async fn round(
    s: &Session,
    plan: &Plan,
    pacers: &Pacers,
    histories: &mut Histories,
    lookups: impl Fn(&str) -> Vec<Lookup>,
) {
    let work: Vec<_> = histories
        .iter_mut()
        .filter_map(|(region, h)| {
            let todo = lookups(region.as_str());
            let h = h.as_mut().ok()?;
            (!todo.is_empty()).then_some((region.clone(), h, todo))
        })
        .collect();
    let results = join_all(work.into_iter().map(|(region, h, todo)| async move {
        let Some(pacer) = pacers.get(&region) else {
            return (region, Ok(()));
        };
        let r = run(s, plan, pacer, &region, &todo, h).await;
        (region, r)
    }))
    .await;
    for (region, r) in results {
        if let Err(e) = r {
            histories.insert(region, Err(e));
        }
    }
}

/// The sign-ins and the activity, every scanned region at once, following temporary
/// keys round after round.
pub async fn lookups(s: &Session, plan: &Plan, pacers: &Pacers) -> Histories {
    let mut histories: Histories = s
        .regions
        .scanned
        .iter()
        .map(|r| (r.clone(), Ok(EventHistory::default())))
        .collect();
    let first = first_lookups(plan);
    round(s, plan, pacers, &mut histories, |_| first.clone()).await;
    if !plan.query.is_targeted() {
        return histories;
    }
    // Temporary keys minted by a followed key (a named key, a key a named principal
    // used, a key minted before), looked up in every region until none is new.
    let mut followed: BTreeSet<String> = plan.query.access_key_ids.iter().cloned().collect();
    let mut looked: BTreeSet<String> = followed.clone();
    for _ in 0..MAX_ROUNDS {
        let events: Vec<_> = histories
            .values()
            .filter_map(|h| h.as_ref().ok())
            .flat_map(|h| h.events.iter().map(RawEvent::read))
            .collect();
        for e in &events {
            let by_principal = plan.query.principals.iter().any(|p| {
                e.user_name.as_deref() == Some(username_of(p).as_str())
                    || e.principal.as_deref() == Some(p.as_str())
            });
            if let (true, Some(k)) = (by_principal, &e.access_key_id) {
                followed.insert(k.clone());
            }
        }
        let mut new = BTreeSet::new();
        for e in &events {
            if let (Some(issued), Some(by)) = (&e.issued_key, &e.access_key_id) {
                if followed.contains(by) && !looked.contains(issued) {
                    new.insert(issued.clone());
                }
            }
        }
        if new.is_empty() {
            break;
        }
        followed.extend(new.iter().cloned());
        looked.extend(new.iter().cloned());
        let todo: Vec<Lookup> = new
            .iter()
            .map(|k| Lookup::new(LookupAttributeKey::AccessKeyId, k))
            .collect();
        round(s, plan, pacers, &mut histories, |_| todo.clone()).await;
    }
    histories
}

/// The creation events of the live resources created (or changed) in the window that
/// no event read so far names: looked up by resource name in their region (IAM's in
/// the partition's global region, where IAM records its events).
pub async fn creation_lookups(
    s: &Session,
    plan: &Plan,
    pacers: &Pacers,
    histories: &mut Histories,
    resources: &BTreeMap<String, BTreeMap<String, Collected<Vec<LiveResource>>>>,
) {
    let (since, until) = (
        parse_time(&plan.window.since),
        parse_time(&plan.window.until),
    );
    let (Some(since), Some(until)) = (since, until) else {
        return;
    };
    let in_window = |t: &Option<String>| {
        t.as_deref()
            .and_then(parse_time)
            .is_some_and(|t| t >= since && t <= until)
    };
    let named: BTreeSet<String> = histories
        .values()
        .filter_map(|h| h.as_ref().ok())
        .flat_map(|h| h.events.iter().flat_map(|e| e.read().resource_ids))
        .collect();
    let mut todo: BTreeMap<String, Vec<Lookup>> = BTreeMap::new();
    for (region, types) in resources {
        let target = if region == "global" {
            s.global_region().to_string()
        } else {
            region.clone()
        };
        for (ty, list) in types {
            let (Some(t), Collected::Ok(list)) = (resource_type(ty), list) else {
                continue;
            };
            if t.created_from == CreatedFrom::CloudTrail && ty == "ec2:security-group" {
                // Looked up by event name already.
                continue;
            }
            for r in list {
                let candidate = in_window(&r.created_at)
                    || (r.created_at.is_none() && in_window(&r.modified_at));
                if candidate && !named.contains(&r.id) {
                    let v = todo.entry(target.clone()).or_default();
                    if v.len() < MAX_RESOURCE_LOOKUPS {
                        v.push(Lookup::new(LookupAttributeKey::ResourceName, &r.id));
                    }
                }
            }
        }
    }
    round(s, plan, pacers, histories, |region| {
        todo.get(region).cloned().unwrap_or_default()
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_become_lookup_user_names() {
        assert_eq!(username_of("arn:aws:iam::123456789012:user/ops/bob"), "bob");
        assert_eq!(username_of("arn:aws:iam::123456789012:root"), "root");
        assert_eq!(username_of("alice"), "alice");
    }
}
