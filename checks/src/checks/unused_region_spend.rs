use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};
use crate::inventory::CostByRegion;
use crate::needs::Needs;
use crate::params::ParamsById;

crate::check! {
    /// Fails when a region outside the allowed regions cost at least `min_usd` (default
    /// 1.0), spent by any service, over the last `days` (default 14) (Cost Explorer: USD
    /// 0.01 per scan).
    ///
    /// ## What it does
    /// One Cost Explorer GetCostAndUsage request per scan (more only if Cost Explorer
    /// pages its answer), in us-east-1: UnblendedCost over the last `days` days (default
    /// 14, [checks.unused-region-spend] days), grouped by the REGION dimension. Each region
    /// outside the allowed list (--allowed-regions or allowed_regions; by default the home
    /// region) whose cost is at or over `min_usd` (default 1.0) fails, whatever service
    /// spent it. Cost Explorer's `global` and `NoRegion` groups are not regions and never
    /// fail. **Cost Explorer charges USD 0.01 for each request**, so this check costs about
    /// a cent per account per scan; disable it with [checks.unused-region-spend] enabled =
    /// false if that matters. Cost data lags by up to a day: the message names the dates
    /// read. DataUnavailableException (Cost Explorer not enabled yet) or AccessDenied is an
    /// error.
    ///
    /// ## Why is this bad
    /// In INC-2015-LEAKED-ROOT-KEY a leaked root key ran about 20 large instances in
    /// sa-east-1, a region the owner never used, for a 1.8 million yen bill. Miners could as
    /// well use Lambda, ECS, SageMaker or anything else that runs code, which a check of
    /// EC2 instances never sees; the bill is what every service leaves behind, and a region
    /// that costs money but is not one of yours is the sign.
    ///
    /// ## How to fix
    /// Open Cost Explorer, filter on the region, and group by service and usage type to see
    /// what spent the money. If you did not start it, treat the account as compromised:
    /// rotate every key, then delete what runs there. If the region is yours, add it to
    /// allowed_regions. To keep regions unused for good, deny them with an SCP on
    /// aws:RequestedRegion.
    pub struct UnusedRegionSpend;
    id: "unused-region-spend",
    title: "No money is spent in regions the account does not use",
    severity: High,
    scope: Account,
    incidents: [LEAKED_ROOT_KEY],
    sources: [CostByRegion],
    params {
        /// How many days back to read the cost per region (ending today).
        pub days: u32 = 14,
        /// The cost, in USD over those days, at which a region outside the allowed list fails.
        pub min_usd: f64 = 1.0,
    }
}

const API: &str = Source::CostByRegion.api();

/// Cost Explorer's REGION groups that are not regions.
const NOT_REGIONS: [&str; 2] = ["global", "NoRegion"];

/// The last day of a window whose end Cost Explorer treats as exclusive.
fn last_day(cost: &CostByRegion) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(&cost.end, &format)
        .ok()
        .and_then(|d| d.previous_day())
        .and_then(|d| d.format(&format).ok())
        .unwrap_or_else(|| cost.end.clone())
}

impl Check for UnusedRegionSpend {
    /// The collector reads as many days of cost as the check's window.
    fn widen(&self, needs: &mut Needs, params: &ParamsById) {
        needs.cost_days = params.get::<Params>(META.id).days.max(1);
    }

    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let Cx { opts, b, .. } = cx;
        cx.account_wide(|account| {
            let cost = account.billing.cost_by_region.get(API)?;
            let params = cx.params::<Params>();
            let allowed = opts.allowed_regions_for(account);
            let dates = format!("from {} through {}", cost.start, last_day(cost));
            let mut out = Vec::new();
            let mut below = serde_json::Map::new();
            for c in &cost.costs {
                if NOT_REGIONS.contains(&c.region.as_str())
                    || c.region.is_empty()
                    || allowed.regions.contains(&c.region)
                {
                    continue;
                }
                if c.amount < params.min_usd {
                    below.insert(c.region.clone(), serde_json::json!(c.amount));
                    continue;
                }
                out.push(b.fail(
                    Some(&c.region),
                    Resource::region(&c.region),
                    format!(
                        "{:.2} {} spent in {} {dates}, a region not in the allowed list (Cost Explorer's data lags by up to a day)",
                        c.amount, c.unit, c.region
                    ),
                    evidence! {
                        "amount" => c.amount,
                        "unit" => c.unit,
                        "start" => cost.start,
                        "end_exclusive" => cost.end,
                        "min_usd" => params.min_usd,
                        "allowed_regions" => allowed.regions,
                        "allowed_regions_source" => allowed.source,
                    },
                ));
            }
            if out.is_empty() {
                out.push(b.pass(
                    None,
                    b.account_resource(),
                    format!(
                        "No region outside the allowed list cost USD {:.2} or more {dates}",
                        params.min_usd
                    ),
                    evidence! {
                        "start" => cost.start,
                        "end_exclusive" => cost.end,
                        "min_usd" => params.min_usd,
                        "allowed_regions" => allowed.regions,
                        "allowed_regions_source" => allowed.source,
                        "below_threshold" => below,
                    },
                ));
            }
            Ok(out)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::evaluate::EvalOptions;
    use crate::finding::Status;
    use crate::inventory::{Collected, RegionCost};

    fn spend(costs: &[(&str, f64)]) -> AccountInventory {
        let mut acc = account(&["ap-northeast-1"]);
        acc.billing.cost_by_region = Collected::Ok(CostByRegion {
            start: "2026-11-06".into(),
            end: "2026-11-20".into(),
            costs: costs
                .iter()
                .map(|(r, a)| RegionCost {
                    region: r.to_string(),
                    amount: *a,
                    unit: "USD".into(),
                })
                .collect(),
        });
        acc
    }

    #[test]
    fn spend_outside_the_allowed_regions_fails_per_region() {
        let acc = spend(&[
            ("ap-northeast-1", 500.0),
            ("sa-east-1", 4321.5),
            ("us-west-2", 1.0),
            ("eu-west-1", 0.99),
            ("global", 80.0),
            ("NoRegion", 12.0),
        ]);
        let f = run(&UnusedRegionSpend, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("sa-east-1"), "sa-east-1"),
                o(Status::Fail, Some("us-west-2"), "us-west-2"),
            ]
        );
        let sa = f.iter().find(|f| f.resource.id == "sa-east-1").unwrap();
        assert!(
            sa.message.contains("4321.50 USD")
                && sa.message.contains("from 2026-11-06 through 2026-11-19"),
            "{}",
            sa.message
        );
    }

    #[test]
    fn only_allowed_regions_global_or_small_amounts_pass() {
        let acc = spend(&[
            ("ap-northeast-1", 500.0),
            ("global", 80.0),
            ("eu-west-1", 0.5),
        ]);
        let f = run(&UnusedRegionSpend, &acc);
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
        assert_eq!(f[0].evidence["below_threshold"]["eu-west-1"], 0.5);
        // The threshold and the allowed list are settings.
        let opts = EvalOptions {
            allowed_regions: Some(vec!["us-east-1".into()]),
            params: crate::params::ParamsById::default().with(
                META.id,
                Params {
                    days: 14,
                    min_usd: 0.1,
                },
            ),
            ..EvalOptions::default()
        };
        let f = run_with(&UnusedRegionSpend, &acc, &opts);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("ap-northeast-1"), "ap-northeast-1"),
                o(Status::Fail, Some("eu-west-1"), "eu-west-1"),
            ]
        );
    }

    #[test]
    fn cost_explorer_unavailable_or_denied_is_an_error() {
        for code in ["DataUnavailableException", "AccessDeniedException"] {
            let mut acc = account(&["us-east-1"]);
            acc.billing.cost_by_region =
                Collected::Error(crate::inventory::CollectError::new(API, code, "no"));
            let f = run(&UnusedRegionSpend, &acc);
            assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
            assert_errors_named(&f, API, code);
        }
    }
}
