//! From a sweep inventory to the `hiyari.sweep/v1` report: the window filter, the
//! attribution of temporary keys to the key that minted them (transitively), the scope
//! of the activity (named keys, named principals, or every write event), each created
//! resource matched to its creation event, and every piece that could not be read named
//! as an error. Renderers take the report as it is.

mod account;
#[cfg(test)]
mod tests;

use self::account::{account, Bounds};
use super::event::parse_time;
use super::report::{kind, ErrorEntry, SignInEntry, SweepReport, Tool, SCHEMA};
use super::sources::RESOURCE_TYPES;
use crate::inventory::sweep::SweepInventory;
use crate::warning::Warning;

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
