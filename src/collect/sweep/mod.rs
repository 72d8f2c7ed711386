//! The sweep's collectors: CloudTrail event history in every region at once, paced per
//! account and region, the live resources of every region, the named keys, AWS Health,
//! spend, all into a [`SweepData`] for one account.
//!
//! The scan runs them once the account's regions are listed, when its needs carry a
//! [`SweepPlan`], so a sweep reaches accounts exactly as an audit does (profile,
//! `--org`, `--accounts`, `--role-arn`).

pub mod events;
pub mod health;
pub mod iam;
pub mod pace;
pub mod resources;

use std::sync::Arc;

use aws_smithy_types::date_time::Format;
use aws_smithy_types::DateTime;
use hiyari_checks::inventory::sweep::{SweepData, SweepPlan};
use hiyari_checks::{CollectError, Collected};

use super::Session;

/// LookupEvents' limit: requests per second per account and region.
pub const LOOKUP_RATE: f64 = 2.0;

/// A plan with its window as SDK times.
#[derive(Debug)]
pub struct Plan {
    pub plan: SweepPlan,
    pub since: DateTime,
    pub until: DateTime,
}

impl std::ops::Deref for Plan {
    type Target = SweepPlan;
    fn deref(&self) -> &SweepPlan {
        &self.plan
    }
}

/// Whole days from the window's start to now, at least one (Cost Explorer's window).
fn days_since(since: &DateTime) -> u32 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let secs = (now - since.secs()).max(0);
    (secs / 86_400 + i64::from(secs % 86_400 != 0)).clamp(1, 365) as u32
}

/// Sweeps one account whose regions are listed.
pub async fn collect(s: Arc<Session>, plan: SweepPlan) -> SweepData {
    let parse = |t: &str| DateTime::from_str(t, Format::DateTime);
    let (since, until) = match (parse(&plan.window.since), parse(&plan.window.until)) {
        (Ok(a), Ok(b)) => (a, b),
        _ => {
            return failed(
                &s,
                format!(
                    "the window `{}` to `{}` is not two RFC 3339 times",
                    plan.window.since, plan.window.until
                ),
            )
        }
    };
    sweep(&s, &Plan { plan, since, until }).await
}

/// A sweep that could not run (its task panicked): every piece is an error, never an
/// empty list.
pub fn failed(s: &Session, why: String) -> SweepData {
    let e = CollectError::new("hiyari", "InternalError", why);
    let mut data = SweepData::default();
    for r in &s.regions.scanned {
        data.events.insert(r.clone(), Collected::Error(e.clone()));
    }
    data.quarantine = Collected::Error(e.clone());
    data.notices = Collected::Error(e);
    data
}

async fn sweep(s: &Session, plan: &Plan) -> SweepData {
    let iam_client = s.iam();
    let pacers = pace::Pacers::new(&s.regions.scanned, LOOKUP_RATE);
    // Every region's event lookups, the live resources, the named keys, spend and the
    // notices, all at once; then the creation events of the resources not yet matched.
    let (mut histories, resources, keys, quarantine, spend, notices) = tokio::join!(
        Box::pin(events::lookups(s, plan, &pacers)),
        Box::pin(resources::all(s, &iam_client)),
        Box::pin(iam::named_keys(s, &iam_client, &plan.query.access_key_ids)),
        Box::pin(async {
            if plan.query.access_key_ids.is_empty() {
                Collected::NotCollected
            } else {
                Collected::from_result(super::quarantine::quarantine_policies(s, &iam_client).await)
            }
        }),
        Box::pin(async {
            if plan.spend {
                Collected::from_result(
                    super::costexplorer::cost_by_region(s, days_since(&plan.since)).await,
                )
            } else {
                Collected::NotCollected
            }
        }),
        Box::pin(health::notices(s, plan)),
    );
    events::creation_lookups(s, plan, &pacers, &mut histories, &resources).await;
    SweepData {
        resources,
        events: histories
            .into_iter()
            .map(|(r, h)| (r, Collected::from_result(h)))
            .collect(),
        keys,
        quarantine,
        spend,
        notices,
    }
}
