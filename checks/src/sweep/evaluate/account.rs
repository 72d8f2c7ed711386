//! One account's part of the sweep report: its events in the window, the keys they
//! follow (each temporary key attributed to the key that minted it), the resources it
//! created matched to their creation events, its sign-ins, spend and notices.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use time::OffsetDateTime;

use crate::inventory::sweep::{KeyFacts, Notices, RawEvent, SweepAccount, SweepQuery};
use crate::inventory::{CollectError, Collected};
use crate::sweep::event::{parse_time, shown_ids, Event};
use crate::sweep::report::{
    kind, AccountEntry, ActivityEntry, CreatedBy, ErrorEntry, KeyEntry, NoticeEntry, ResourceEntry,
    SignInEntry, SpendEntry, SweepReport,
};
use crate::sweep::sources::{resource_type, CreatedFrom};
use crate::warning::Warning;

/// How many days of management events CloudTrail's event history keeps.
pub const HISTORY_DAYS: i64 = 90;

/// The window as times; `None` when a bound does not parse.
pub(super) struct Bounds {
    pub(super) since: OffsetDateTime,
    pub(super) until: OffsetDateTime,
}

impl Bounds {
    fn contains(&self, t: &str) -> bool {
        parse_time(t).is_some_and(|t| t >= self.since && t <= self.until)
    }
}

/// One event of an account, read, with its region.
struct Seen<'a> {
    region: &'a str,
    raw: &'a RawEvent,
    e: Event,
}

/// The keys' family tree: each temporary key and the key that minted it.
struct Keys {
    parent: HashMap<String, (String, String, String)>,
}

impl Keys {
    fn of(events: &[Seen]) -> Self {
        let mut parent = HashMap::new();
        for s in events {
            if let (Some(issued), Some(by)) = (&s.e.issued_key, &s.e.access_key_id) {
                if issued != by {
                    parent.insert(
                        issued.clone(),
                        (by.clone(), s.e.event_name.clone(), s.e.event_time.clone()),
                    );
                }
            }
        }
        Keys { parent }
    }

    /// The key and every key it came from, nearest first (cycles cut).
    fn chain(&self, key: &str) -> Vec<String> {
        let mut out = vec![key.to_string()];
        let mut cur = key;
        while let Some((p, _, _)) = self.parent.get(cur) {
            if out.contains(p) || out.len() > 64 {
                break;
            }
            out.push(p.clone());
            cur = p;
        }
        out
    }
}

fn principal_matches(e: &Event, wanted: &str) -> bool {
    let arn = e.principal.as_deref().unwrap_or("");
    arn == wanted
        || e.user_name.as_deref() == Some(wanted)
        || arn.rsplit_once('/').is_some_and(|(_, n)| n == wanted) && !wanted.contains(':')
        || (wanted == "root" && e.identity_type.as_deref() == Some("Root"))
}

pub(super) fn account(
    r: &mut SweepReport,
    acc: &SweepAccount,
    q: &SweepQuery,
    bounds: &Bounds,
    collected: OffsetDateTime,
    no_plan: &mut Vec<String>,
) {
    let id = acc.identity.account_id.as_str();
    r.accounts.push(AccountEntry {
        id: id.into(),
        partition: acc.identity.partition.clone(),
        principal: acc.identity.principal_arn.clone(),
        regions: acc.regions.clone(),
    });
    if let Some(f) = &acc.failure {
        error(r, id, None, f);
        return;
    }
    let d = &acc.data;

    // The event history, region by region: every scanned region must have been read.
    let mut seen: Vec<Seen> = Vec::new();
    let mut ids = BTreeSet::new();
    let mut unread: BTreeMap<&str, String> = BTreeMap::new();
    for region in acc.regions.scanned.iter().map(String::as_str) {
        match d.events.get(region) {
            Some(Collected::Ok(h)) => {
                if h.truncated {
                    r.bound_reached = true;
                    r.warnings.push(Warning::new(kind::EVENT_BOUND,
                            format!(
                                "account {id}, {region}: more write events in the window than the bound (--max-events {}); only the newest {} are listed. Narrow the window, name the keys or principals, or raise --max-events",
                                q.max_events, q.max_events
                            )).of_account(id).in_region(region.to_string()));
                }
                for raw in &h.events {
                    if ids.insert(raw.event_id.as_str()) {
                        seen.push(Seen {
                            region,
                            raw,
                            e: raw.read(),
                        });
                    }
                }
            }
            Some(Collected::Error(e)) => {
                error(r, id, Some(region), e);
                unread.insert(region, format!("{} failed with {}", e.api, e.code));
            }
            Some(Collected::NotCollected) | None => {
                let e = CollectError::new(
                    "cloudtrail:LookupEvents",
                    "NotCollected",
                    "the event history of this region was not read",
                );
                error(r, id, Some(region), &e);
                unread.insert(region, "not read".into());
            }
        }
    }
    let bad = seen.iter().filter(|s| s.e.unreadable).count();
    if bad > 0 {
        r.warnings.push(Warning::new(kind::UNREADABLE_EVENT,
                format!("account {id}: {bad} event record(s) were not valid JSON; they are shown with what LookupEvents said of them")).of_account(id));
    }
    let keys = Keys::of(&seen);
    let mut wanted: BTreeSet<String> = q.access_key_ids.iter().cloned().collect();
    // Keys used by a named principal count as its own.
    for s in &seen {
        if q.principals.iter().any(|p| principal_matches(&s.e, p)) {
            if let Some(k) = &s.e.access_key_id {
                wanted.insert(k.clone());
            }
        }
    }
    let origin = |e: &Event| -> Option<String> {
        let k = e.access_key_id.as_deref()?;
        let chain = keys.chain(k);
        chain
            .iter()
            .find(|c| wanted.contains(*c))
            .or(chain.last())
            .filter(|o| o.as_str() != k)
            .cloned()
    };
    let in_scope = |e: &Event| -> bool {
        if !q.is_targeted() {
            return e.read_only == Some(false);
        }
        q.principals.iter().any(|p| principal_matches(e, p))
            || e.access_key_id
                .as_deref()
                .is_some_and(|k| keys.chain(k).iter().any(|c| wanted.contains(c)))
    };

    for s in &seen {
        if !bounds.contains(&s.e.event_time) {
            continue;
        }
        if s.e.event_name == "ConsoleLogin"
            && (q.principals.is_empty() || q.principals.iter().any(|p| principal_matches(&s.e, p)))
        {
            r.sign_ins.push(SignInEntry {
                account: id.into(),
                region: s.region.into(),
                time: s.e.event_time.clone(),
                principal: s.e.principal.clone(),
                identity_type: s.e.identity_type.clone(),
                source_ip: s.e.source_ip.clone(),
                mfa_used: s.e.mfa_used,
                outcome: s.e.outcome.clone(),
                user_agent: s.e.user_agent.clone(),
            });
        }
        if in_scope(&s.e) {
            r.activity.push(ActivityEntry {
                account: id.into(),
                region: s.region.into(),
                time: s.e.event_time.clone(),
                event_name: s.e.event_name.clone(),
                event_source: s.e.event_source.clone(),
                principal: s.e.principal.clone(),
                access_key_id: s.e.access_key_id.clone(),
                source_ip: s.e.source_ip.clone(),
                user_agent: s.e.user_agent.clone(),
                read_only: s.e.read_only,
                error_code: s.e.error_code.clone(),
                resource_ids: shown_ids(s.raw, &s.e),
                attributed_to: origin(&s.e),
                event_id: s.e.event_id.clone(),
            });
        }
    }

    // Temporary keys minted from the named keys (or by the named principals).
    if q.is_targeted() {
        let mut derived: Vec<&Seen> = seen
            .iter()
            .filter(|s| {
                s.e.issued_key.is_some()
                    && s.e
                        .access_key_id
                        .as_deref()
                        .is_some_and(|k| keys.chain(k).iter().any(|c| wanted.contains(c)))
            })
            .collect();
        derived.sort_by(|a, b| a.e.event_time.cmp(&b.e.event_time));
        for s in derived {
            r.keys.push(KeyEntry {
                access_key_id: s.e.issued_key.clone().unwrap_or_default(),
                account: id.into(),
                user: s.e.principal.clone(),
                status: None,
                created_at: Some(s.e.event_time.clone()),
                last_used_at: None,
                last_used_service: None,
                last_used_region: None,
                quarantined: None,
                derived_from: s.e.access_key_id.clone(),
                minted_by: Some(s.e.event_name.clone()),
            });
        }
    }

    // The named keys themselves.
    let quarantined_users: Option<BTreeSet<&str>> = match &d.quarantine {
        Collected::Ok(p) => Some(
            p.iter()
                .flat_map(|a| a.users.iter().map(String::as_str))
                .collect(),
        ),
        Collected::Error(e) => {
            if !d.keys.is_empty() {
                error(r, id, None, e);
            }
            None
        }
        Collected::NotCollected => None,
    };
    let mut named = Vec::new();
    for k in &d.keys {
        match &k.details {
            Collected::Ok(f) => named.push(key_entry(id, &k.access_key_id, f, &quarantined_users)),
            Collected::Error(e) => error(r, id, None, e),
            Collected::NotCollected => {}
        }
    }
    r.keys.splice(0..0, named);

    // Resources created in the window, each with its creation event.
    let mut other = 0usize;
    for (region, types) in &d.resources {
        for (ty, got) in types {
            let list = match got {
                Collected::Ok(l) => l,
                Collected::Error(e) => {
                    error(r, id, Some(region.as_str()), e);
                    continue;
                }
                Collected::NotCollected => continue,
            };
            let Some(t) = resource_type(ty) else { continue };
            for res in list {
                let creation = seen
                    .iter()
                    .filter(|s| {
                        t.is_created_by(&s.e.event_name)
                            && s.e.error_code.is_none()
                            && (t.global || s.region == region.as_str())
                            && (s.e.resource_ids.contains(&res.id)
                                || res
                                    .name
                                    .as_ref()
                                    .is_some_and(|n| s.e.resource_ids.contains(n)))
                    })
                    .min_by(|a, b| a.e.event_time.cmp(&b.e.event_time));
                let created_at = match t.created_from {
                    CreatedFrom::Api => res.created_at.clone(),
                    CreatedFrom::CloudTrail => creation.map(|s| s.e.event_time.clone()),
                }
                .or_else(|| creation.map(|s| s.e.event_time.clone()));
                // Undated but changed in the window (a Lambda function whose creation
                // event was not found): it may be new, so it is shown, undated.
                let modified_only = created_at.is_none()
                    && res
                        .modified_at
                        .as_deref()
                        .is_some_and(|m| bounds.contains(m));
                match created_at.as_deref() {
                    Some(at) if bounds.contains(at) => {}
                    None if modified_only => {}
                    _ => continue,
                }
                if q.is_targeted() {
                    if let Some(c) = creation {
                        if !in_scope(&c.e) {
                            other += 1;
                            continue;
                        }
                    }
                }
                let note = match (creation, created_at.as_deref()) {
                    (Some(_), _) => None,
                    (None, Some(at)) => Some(not_found(region, t.global, at, collected, &unread)),
                    (None, None) => Some(format!(
                        "{}; last modified at {}, in the window, so it may be new",
                        not_found(region, t.global, "", collected, &unread),
                        res.modified_at.as_deref().unwrap_or_default()
                    )),
                };
                let removal_id = match (ty.as_str(), &res.name) {
                    ("iam:access-key", Some(user)) => format!("{user}/{}", res.id),
                    _ => res.id.clone(),
                };
                r.resources.push(ResourceEntry {
                    account: id.into(),
                    region: region.clone(),
                    ty: ty.clone(),
                    id: res.id.clone(),
                    name: res.name.clone(),
                    created_at: created_at.clone(),
                    state: res.state.clone(),
                    created_by: creation.map(|c| CreatedBy {
                        principal: c.e.principal.clone(),
                        access_key_id: c.e.access_key_id.clone(),
                        source_ip: c.e.source_ip.clone(),
                        user_agent: c.e.user_agent.clone(),
                        event_name: c.e.event_name.clone(),
                        event_time: c.e.event_time.clone(),
                        attributed_to: origin(&c.e),
                    }),
                    created_by_note: note,
                    removal: crate::sweep::sources::removal_command(ty, region, &removal_id),
                });
            }
        }
    }
    if other > 0 {
        r.warnings.push(Warning::new(kind::OTHER_PRINCIPALS,
                format!("account {id}: {other} resource(s) created in the window by principals and keys the sweep did not name are left out; sweep without --access-key-id and --principal to see them")).of_account(id));
    }

    match &d.spend {
        Collected::Ok(c) => {
            for rc in &c.costs {
                r.spend.push(SpendEntry {
                    account: id.into(),
                    region: rc.region.clone(),
                    usd: rc.amount,
                });
            }
        }
        Collected::Error(e) => error(r, id, None, e),
        Collected::NotCollected => r.warnings.push(Warning::new(kind::SPEND_NOT_READ,
                format!("account {id}: spend was not read (Cost Explorer is opted out: [checks.unused-region-spend] enabled = false); check the bill in the Billing console")).of_account(id)),
    }
    match &d.notices {
        Collected::Ok(Notices::Read { events }) => {
            for n in events {
                let recent = n
                    .start_time
                    .as_deref()
                    .is_none_or(|t| parse_time(t).is_none_or(|t| t >= bounds.since))
                    || n.status.as_deref() == Some("open");
                if recent {
                    r.notices.push(NoticeEntry {
                        account: id.into(),
                        time: n.start_time.clone(),
                        service: n.service.clone(),
                        event_type_code: n.event_type_code.clone(),
                        status: n.status.clone(),
                        description: n.description.clone(),
                        region: n.region.clone(),
                        arn: n.arn.clone(),
                    });
                }
            }
        }
        Collected::Ok(Notices::NoSupportPlan) => no_plan.push(id.to_string()),
        Collected::Error(e) => error(r, id, None, e),
        Collected::NotCollected => {}
    }
}

fn key_entry(
    account: &str,
    key: &str,
    f: &KeyFacts,
    quarantined: &Option<BTreeSet<&str>>,
) -> KeyEntry {
    KeyEntry {
        access_key_id: key.into(),
        account: account.into(),
        user: f.user.clone(),
        status: f.status.clone(),
        created_at: f.created_at.clone(),
        last_used_at: f.last_used_at.clone(),
        last_used_service: f.last_used_service.clone(),
        last_used_region: f.last_used_region.clone(),
        quarantined: match (quarantined, f.user.as_deref()) {
            (Some(users), Some(u)) => Some(users.contains(u)),
            _ => None,
        },
        derived_from: None,
        minted_by: None,
    }
}

/// Why a resource's creation event is not in what was read.
fn not_found(
    region: &str,
    global: bool,
    created_at: &str,
    collected: OffsetDateTime,
    unread: &BTreeMap<&str, String>,
) -> String {
    let old =
        parse_time(created_at).is_some_and(|t| collected - t > time::Duration::days(HISTORY_DAYS));
    let why = if old {
        format!("created more than {HISTORY_DAYS} days ago, outside CloudTrail's event history")
    } else if let Some(e) = unread.get(region) {
        format!("the event history of {region} could not be read ({e})")
    } else if global && !unread.is_empty() {
        format!(
            "the event history of {} could not be read",
            unread.keys().copied().collect::<Vec<_>>().join(", ")
        )
    } else {
        "no creation event in the event history read (a trail's S3 logs keep more)".to_string()
    };
    format!("not found in CloudTrail: {why}")
}

pub(super) fn error(r: &mut SweepReport, account: &str, region: Option<&str>, e: &CollectError) {
    r.errors.push(ErrorEntry {
        account: account.into(),
        region: region.map(str::to_string),
        api: e.api.clone(),
        code: e.code.clone(),
        message: e.message.clone(),
    });
}
