use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::Finding;
use crate::inventory::{Budget, MetricAlarm};

crate::check! {
    /// Fails when no AWS Budget with a notification, and no CloudWatch alarm with an action
    /// on AWS/Billing EstimatedCharges.
    ///
    /// ## What it does
    /// Reads AWS Budgets (DescribeBudgets, then DescribeNotificationsForBudget for each
    /// budget) and CloudWatch alarms in us-east-1 (DescribeAlarms). Passes when a budget
    /// has a notification, or an alarm on AWS/Billing EstimatedCharges (directly or in
    /// metric math) has actions enabled and an alarm action. A budget without a
    /// notification or an alarm without an action tells nobody and does not count.
    ///
    /// ## Why is this bad
    /// In INC-2015-LEAKED-ROOT-KEY about 20 large instances ran for days on a leaked key;
    /// the owner did not read AWS's e-mail and learned of a 1.8 million yen bill when AWS
    /// phoned on day 3 or 4. The speaker's lesson: set a billing alert, even on test
    /// accounts.
    ///
    /// ## How to fix
    /// Create a budget with an e-mail notification: Billing console > Budgets > Create
    /// budget > monthly cost budget, alert at 80% actual and 100% forecasted. Or `aws
    /// budgets create-budget --account-id ACCOUNT --budget
    /// 'BudgetName=monthly,BudgetLimit={Amount=100,Unit=USD},TimeUnit=MONTHLY,BudgetType=COST'
    /// --notifications-with-subscribers
    /// 'Notification={NotificationType=ACTUAL,ComparisonOperator=GREATER_THAN,Threshold=80},Subscribers=[{SubscriptionType=EMAIL,Address=you@example.com}]'`.
    pub struct BillingAlarm;
    id: "billing-alarm",
    title: "A budget or billing alarm notifies someone",
    severity: High,
    scope: Account,
    incidents: [LEAKED_ROOT_KEY],
    sources: [Budgets, BillingAlarms],
}

fn budgets_notifying(budgets: &[Budget]) -> Vec<&str> {
    budgets
        .iter()
        .filter(|b| !b.notifications.is_empty())
        .map(|b| b.name.as_str())
        .collect()
}

fn alarms_notifying(alarms: &[MetricAlarm]) -> Vec<&str> {
    alarms
        .iter()
        .filter(|a| {
            a.metrics
                .iter()
                .any(|(ns, m)| ns == "AWS/Billing" && m == "EstimatedCharges")
                && a.actions_enabled
                && !a.alarm_actions.is_empty()
        })
        .map(|a| a.name.as_str())
        .collect()
}

impl Check for BillingAlarm {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.account_wide(|account| {
            let resource = b.account_resource();
            let budgets = account.billing.budgets.of(Source::Budgets);
            let alarms = account.billing.billing_alarms.of(Source::BillingAlarms);
            let good_budgets = budgets.as_ref().map(|v| budgets_notifying(v)).ok();
            let good_alarms = alarms.as_ref().map(|v| alarms_notifying(v)).ok();
            let mut ev = evidence! {
                "budgets_with_notification" => good_budgets,
                "billing_alarms_with_action" => good_alarms,
            };
            if let Err(e) = &budgets {
                ev.insert("budgets_error".into(), e.to_string().into());
            }
            if let Err(e) = &alarms {
                ev.insert("cloudwatch_error".into(), e.to_string().into());
            }
            let found_budget = good_budgets.as_ref().is_some_and(|v| !v.is_empty());
            let found_alarm = good_alarms.as_ref().is_some_and(|v| !v.is_empty());
            if found_budget || found_alarm {
                let how = match (
                    good_budgets.as_ref().and_then(|v| v.first()),
                    good_alarms.as_ref().and_then(|v| v.first()),
                ) {
                    (Some(name), _) => format!("budget {name} has a notification"),
                    (None, Some(name)) => format!("billing alarm {name} has an action"),
                    (None, None) => unreachable!("one of the two was found"),
                };
                return Ok(vec![b.pass(None, resource, format!("Spending is watched: {how}"), ev)]);
            }
            Ok(match (budgets, alarms) {
                (Ok(_), Ok(_)) => vec![b.fail(
                    None,
                    resource,
                    format!(
                        "Account {} has no budget with a notification and no CloudWatch alarm with an action on AWS/Billing EstimatedCharges",
                        b.account()
                    ),
                    ev,
                )],
                // One source unread and the other empty: it cannot be vouched for.
                (Err(e), _) | (_, Err(e)) => {
                    let mut f = b.error(None, resource, &e);
                    f.evidence.extend(ev);
                    vec![f]
                }
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{BudgetNotification, Collected};

    fn budget(name: &str, notifications: usize) -> Budget {
        Budget {
            name: name.into(),
            budget_type: "COST".into(),
            notifications: (0..notifications)
                .map(|_| BudgetNotification {
                    notification_type: "ACTUAL".into(),
                    comparison_operator: "GREATER_THAN".into(),
                    threshold: 80.0,
                })
                .collect(),
        }
    }

    fn alarm(name: &str, metric: (&str, &str), enabled: bool, actions: usize) -> MetricAlarm {
        MetricAlarm {
            name: name.into(),
            arn: None,
            actions_enabled: enabled,
            alarm_actions: (0..actions)
                .map(|i| format!("arn:aws:sns:us-east-1:{ACCOUNT}:billing-{i}"))
                .collect(),
            metrics: vec![(metric.0.into(), metric.1.into())],
        }
    }

    const BILLING: (&str, &str) = ("AWS/Billing", "EstimatedCharges");

    fn acc(
        budgets: Collected<Vec<Budget>>,
        alarms: Collected<Vec<MetricAlarm>>,
    ) -> AccountInventory {
        let mut a = account(&["us-east-1"]);
        a.billing.budgets = budgets;
        a.billing.billing_alarms = alarms;
        a
    }

    fn status(a: &AccountInventory) -> Status {
        let f = run(&BillingAlarm, a);
        assert_eq!(f.len(), 1);
        f[0].status
    }

    #[test]
    fn fails_with_nothing() {
        assert_eq!(
            status(&acc(Collected::Ok(vec![]), Collected::Ok(vec![]))),
            Status::Fail
        );
    }

    #[test]
    fn budget_without_notification_does_not_count() {
        let a = acc(Collected::Ok(vec![budget("b", 0)]), Collected::Ok(vec![]));
        assert_eq!(status(&a), Status::Fail);
    }

    #[test]
    fn alarm_without_action_or_disabled_does_not_count() {
        let a = acc(
            Collected::Ok(vec![]),
            Collected::Ok(vec![
                alarm("no-action", BILLING, true, 0),
                alarm("disabled", BILLING, false, 1),
                alarm("cpu", ("AWS/EC2", "CPUUtilization"), true, 1),
            ]),
        );
        assert_eq!(status(&a), Status::Fail);
    }

    #[test]
    fn budget_with_notification_passes() {
        let a = acc(
            Collected::Ok(vec![budget("monthly", 2)]),
            Collected::Ok(vec![]),
        );
        assert_eq!(status(&a), Status::Pass);
    }

    #[test]
    fn alarm_with_action_passes() {
        let a = acc(
            Collected::Ok(vec![budget("b", 0)]),
            Collected::Ok(vec![alarm("bill", BILLING, true, 1)]),
        );
        assert_eq!(status(&a), Status::Pass);
    }

    #[test]
    fn a_passing_source_wins_over_an_unreadable_one() {
        let a = acc(
            Collected::Ok(vec![budget("monthly", 1)]),
            Collected::Error(denied("cloudwatch:DescribeAlarms")),
        );
        assert_eq!(status(&a), Status::Pass);
    }

    #[test]
    fn empty_source_and_unreadable_source_is_an_error_not_a_fail() {
        let a = acc(
            Collected::Ok(vec![budget("b", 0)]),
            Collected::Error(denied("cloudwatch:DescribeAlarms")),
        );
        let f = run(&BillingAlarm, &a);
        assert_eq!(f[0].status, Status::Error);
        assert_errors_named(&f, "cloudwatch:DescribeAlarms", "AccessDenied");
        let a = acc(
            Collected::Error(denied("budgets:DescribeBudgets")),
            Collected::Ok(vec![]),
        );
        let f = run(&BillingAlarm, &a);
        assert_errors_named(&f, "budgets:DescribeBudgets", "AccessDenied");
    }
}
