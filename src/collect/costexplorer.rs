//! Cost Explorer: what the account spent per region over the last days (one request, a
//! few more if the answer is paged; Cost Explorer charges USD 0.01 for each).

use std::collections::BTreeMap;

use aws_sdk_costexplorer::types::{
    DateInterval, Dimension, DimensionValues, Expression, Granularity, GroupDefinition,
    GroupDefinitionType,
};
use hiyari_checks::inventory::{CostByRegion, RegionCost};
use hiyari_checks::CollectError;

use super::{pages, Session};

const API: &str = "ce:GetCostAndUsage";

/// UnblendedCost per REGION over the `days` days before today (UTC), for this account
/// only: in an organization's management account Cost Explorer would otherwise add up
/// every member account's cost.
pub async fn cost_by_region(s: &Session, days: u32) -> Result<CostByRegion, CollectError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let today = time::OffsetDateTime::now_utc().date();
    let start = today - time::Duration::days(i64::from(days));
    let (start, end) = (
        start.format(&format).unwrap_or_default(),
        today.format(&format).unwrap_or_default(),
    );
    let period = DateInterval::builder()
        .start(&start)
        .end(&end)
        .build()
        .map_err(|e| CollectError::new(API, "InvalidRequest", e.to_string()))?;
    let by_region = GroupDefinition::builder()
        .r#type(GroupDefinitionType::Dimension)
        .key("REGION")
        .build();
    let this_account = Expression::builder()
        .dimensions(
            DimensionValues::builder()
                .key(Dimension::LinkedAccount)
                .values(&s.identity.account_id)
                .build(),
        )
        .build();
    let ce = s.cost_explorer();
    // Summed over the months the window spans (Cost Explorer splits it at month ends).
    let mut totals: BTreeMap<String, (f64, String)> = BTreeMap::new();
    let mut bad_amount: Option<String> = None;
    pages(
        &s.limiter,
        API,
        |token| {
            ce.get_cost_and_usage()
                .time_period(period.clone())
                .granularity(Granularity::Monthly)
                .metrics("UnblendedCost")
                .group_by(by_region.clone())
                .filter(this_account.clone())
                .set_next_page_token(token)
                .send()
        },
        |out| {
            for g in out.results_by_time().iter().flat_map(|r| r.groups()) {
                let region = g.keys().first().cloned().unwrap_or_default();
                let Some(m) = g.metrics().and_then(|m| m.get("UnblendedCost")) else {
                    continue;
                };
                let amount = m.amount().unwrap_or("0");
                match amount.parse::<f64>() {
                    Ok(a) => {
                        let e = totals
                            .entry(region)
                            .or_insert((0.0, m.unit().unwrap_or("USD").to_string()));
                        e.0 += a;
                    }
                    Err(_) => bad_amount = Some(amount.to_string()),
                }
            }
            out.next_page_token().map(str::to_string)
        },
    )
    .await?;
    if let Some(amount) = bad_amount {
        // A cost that cannot be read must not become a zero.
        return Err(CollectError::new(
            API,
            "InvalidResponse",
            format!("Cost Explorer returned the amount `{amount}`, which is not a number"),
        ));
    }
    Ok(CostByRegion {
        start,
        end,
        costs: totals
            .into_iter()
            .map(|(region, (amount, unit))| RegionCost {
                region,
                amount,
                unit,
            })
            .collect(),
    })
}
