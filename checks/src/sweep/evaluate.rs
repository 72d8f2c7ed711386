//! From a sweep inventory to the `hiyari.sweep/v1` report: the window filter, the
//! attribution of temporary keys to the key that minted them (transitively), the scope
//! of the activity (named keys, named principals, or every write event), each created
//! resource matched to its creation event, and every piece that could not be read named
//! as an error. Renderers take the report as it is.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::event::{shown_ids, Event};
use super::sources::{resource_type, CreatedFrom, RESOURCE_TYPES};
use crate::inventory::sweep::{
    KeyFacts, Notices, RawEvent, SweepAccount, SweepInventory, SweepQuery, Window,
};
use crate::inventory::{CollectError, Collected, Regions};
use crate::warning::Warning;

/// The schema tag of the sweep report.
pub const SCHEMA: &str = "hiyari.sweep/v1";

/// How many days of management events CloudTrail's event history keeps.
pub const HISTORY_DAYS: i64 = 90;

/// Warning kinds of a sweep.
pub mod kind {
    /// The AWS Health API needs a Business or Enterprise support plan.
    pub const NO_SUPPORT_PLAN: &str = "health-no-support-plan";
    /// A region had more write events than `--max-events`.
    pub const EVENT_BOUND: &str = "event-bound-reached";
    /// Spend was not read (opted out).
    pub const SPEND_NOT_READ: &str = "spend-not-read";
    /// Resources created in the window by principals the sweep did not name.
    pub const OTHER_PRINCIPALS: &str = "created-by-other-principals";
    /// An event record that was not valid JSON.
    pub const UNREADABLE_EVENT: &str = "unreadable-event";
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepReport {
    pub schema: String,
    pub tool: Tool,
    pub window: Window,
    pub query: SweepQuery,
    pub collected_at: String,
    /// False when something could not be read or a bound was reached (exit 3).
    pub complete: bool,
    /// A region's write events went past `query.max_events`: the activity is cut there.
    pub bound_reached: bool,
    pub accounts: Vec<AccountEntry>,
    pub keys: Vec<KeyEntry>,
    pub resources: Vec<ResourceEntry>,
    pub activity: Vec<ActivityEntry>,
    pub sign_ins: Vec<SignInEntry>,
    pub spend: Vec<SpendEntry>,
    pub notices: Vec<NoticeEntry>,
    pub errors: Vec<ErrorEntry>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountEntry {
    pub id: String,
    pub partition: String,
    pub principal: String,
    pub regions: Regions,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEntry {
    pub access_key_id: String,
    pub account: String,
    pub user: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub last_used_at: Option<String>,
    pub last_used_service: Option<String>,
    pub last_used_region: Option<String>,
    /// AWS's quarantine policy is attached to the owning user; `null` when not known.
    pub quarantined: Option<bool>,
    /// The key that minted this temporary key; `null` for a named key.
    pub derived_from: Option<String>,
    /// For a temporary key: the call that minted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minted_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceEntry {
    pub account: String,
    pub region: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub created_at: Option<String>,
    pub state: Option<String>,
    pub created_by: Option<CreatedBy>,
    /// Why `created_by` is null: "not found in CloudTrail: ...".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by_note: Option<String>,
    /// The AWS CLI command that removes it, to review (hiyari runs none).
    pub removal: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedBy {
    pub principal: Option<String>,
    pub access_key_id: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub event_name: String,
    pub event_time: String,
    /// The named key a temporary key came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEntry {
    pub account: String,
    pub region: String,
    pub time: String,
    pub event_name: String,
    pub event_source: Option<String>,
    pub principal: Option<String>,
    pub access_key_id: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    pub read_only: Option<bool>,
    pub error_code: Option<String>,
    pub resource_ids: Vec<String>,
    /// The key at the start of the chain of temporary keys this event's key came from,
    /// when it is another key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributed_to: Option<String>,
    pub event_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInEntry {
    pub account: String,
    pub region: String,
    pub time: String,
    pub principal: Option<String>,
    pub identity_type: Option<String>,
    pub source_ip: Option<String>,
    pub mfa_used: Option<bool>,
    pub outcome: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendEntry {
    pub account: String,
    pub region: String,
    pub usd: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeEntry {
    pub account: String,
    pub time: Option<String>,
    pub service: String,
    pub event_type_code: String,
    pub status: Option<String>,
    pub description: Option<String>,
    pub region: Option<String>,
    pub arn: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEntry {
    pub account: String,
    /// `null` for an account-wide piece.
    pub region: Option<String>,
    pub api: String,
    pub code: String,
    pub message: String,
}

impl SweepReport {
    /// Something is there to review: a resource, an event, a sign-in or a notice.
    pub fn has_findings(&self) -> bool {
        !self.resources.is_empty()
            || !self.activity.is_empty()
            || !self.sign_ins.is_empty()
            || !self.notices.is_empty()
    }

    /// 3 incomplete (an error, or a bound reached), else 1 something to review, else 0.
    pub fn exit_code(&self) -> u8 {
        if !self.complete {
            3
        } else if self.has_findings() {
            1
        } else {
            0
        }
    }
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

/// The window as times; `None` when a bound does not parse.
struct Bounds {
    since: OffsetDateTime,
    until: OffsetDateTime,
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

/// Evaluates a sweep inventory.
pub fn evaluate(inv: &SweepInventory, version: &str) -> SweepReport {
    let bounds = match (parse_time(&inv.window.since), parse_time(&inv.window.until)) {
        (Some(since), Some(until)) => Some(Bounds { since, until }),
        _ => None,
    };
    let mut r = SweepReport {
        schema: SCHEMA.into(),
        tool: Tool {
            name: "hiyari".into(),
            version: version.into(),
        },
        window: inv.window.clone(),
        query: inv.query.clone(),
        collected_at: inv.collected_at.clone(),
        complete: true,
        bound_reached: false,
        accounts: vec![],
        keys: vec![],
        resources: vec![],
        activity: vec![],
        sign_ins: vec![],
        spend: vec![],
        notices: vec![],
        errors: vec![],
        warnings: vec![],
    };
    let Some(bounds) = bounds else {
        r.errors.push(ErrorEntry {
            account: String::new(),
            region: None,
            api: "hiyari".into(),
            code: "InvalidWindow".into(),
            message: format!(
                "the window `{}` to `{}` is not two RFC 3339 times",
                inv.window.since, inv.window.until
            ),
        });
        r.complete = false;
        return r;
    };
    let collected = parse_time(&inv.collected_at).unwrap_or(bounds.until);
    let mut no_plan = Vec::new();
    for acc in &inv.accounts {
        account(&mut r, acc, &inv.query, &bounds, collected, &mut no_plan);
    }
    if !no_plan.is_empty() {
        r.warnings.push(Warning::new(
            kind::NO_SUPPORT_PLAN,
            format!(
                "AWS Health could not be read in account(s) {}: its API needs a Business or Enterprise support plan (SubscriptionRequiredException). Look for AWS's notices in the AWS Health Dashboard and the account's email instead",
                no_plan.join(", ")
            ),
        ));
    }
    r.resources.sort_by(|a, b| {
        (
            &a.account,
            &a.region,
            type_rank(&a.ty),
            &a.created_at,
            &a.id,
        )
            .cmp(&(
                &b.account,
                &b.region,
                type_rank(&b.ty),
                &b.created_at,
                &b.id,
            ))
    });
    r.activity.sort_by(|a, b| {
        (&a.account, &a.time, &a.region, &a.event_id).cmp(&(
            &b.account,
            &b.time,
            &b.region,
            &b.event_id,
        ))
    });
    r.sign_ins.sort_by(|a, b| {
        let root = |s: &SignInEntry| s.identity_type.as_deref() != Some("Root");
        (root(a), &a.account, &a.time, &a.region).cmp(&(root(b), &b.account, &b.time, &b.region))
    });
    r.errors
        .sort_by(|a, b| (&a.account, &a.region, &a.api).cmp(&(&b.account, &b.region, &b.api)));
    r.complete = r.errors.is_empty() && !r.bound_reached;
    r
}

fn type_rank(ty: &str) -> usize {
    RESOURCE_TYPES
        .iter()
        .position(|t| t.ty == ty)
        .unwrap_or(usize::MAX)
}

fn error(r: &mut SweepReport, account: &str, region: Option<&str>, e: &CollectError) {
    r.errors.push(ErrorEntry {
        account: account.into(),
        region: region.map(str::to_string),
        api: e.api.clone(),
        code: e.code.clone(),
        message: e.message.clone(),
    });
}

fn account(
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
                    r.warnings.push(Warning {
                        account: Some(id.into()),
                        region: Some(region.to_string()),
                        ..Warning::new(
                            kind::EVENT_BOUND,
                            format!(
                                "account {id}, {region}: more write events in the window than the bound (--max-events {}); only the newest {} are listed. Narrow the window, name the keys or principals, or raise --max-events",
                                q.max_events, q.max_events
                            ),
                        )
                    });
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
        r.warnings.push(Warning {
            account: Some(id.into()),
            ..Warning::new(
                kind::UNREADABLE_EVENT,
                format!("account {id}: {bad} event record(s) were not valid JSON; they are shown with what LookupEvents said of them"),
            )
        });
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
                    removal: super::sources::removal_command(ty, region, &removal_id),
                });
            }
        }
    }
    if other > 0 {
        r.warnings.push(Warning {
            account: Some(id.into()),
            ..Warning::new(
                kind::OTHER_PRINCIPALS,
                format!("account {id}: {other} resource(s) created in the window by principals and keys the sweep did not name are left out; sweep without --access-key-id and --principal to see them"),
            )
        });
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
        Collected::NotCollected => r.warnings.push(Warning {
            account: Some(id.into()),
            ..Warning::new(
                kind::SPEND_NOT_READ,
                format!("account {id}: spend was not read (Cost Explorer is opted out: [checks.unused-region-spend] enabled = false); check the bill in the Billing console"),
            )
        }),
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

#[cfg(test)]
mod tests;
