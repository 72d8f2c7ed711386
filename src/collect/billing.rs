//! Billing: AWS Budgets with their notifications, and CloudWatch alarms on the
//! AWS/Billing EstimatedCharges metric (which exists only in us-east-1).

use futures::future::try_join_all;
use hiyari_checks::inventory::{Budget, BudgetNotification, MetricAlarm};
use hiyari_checks::CollectError;

use super::{pages, Session};

/// Budgets answers NotFoundException when an account has no budget (or a budget has no
/// notification): that is an empty list, not an error.
fn none_found(r: Result<(), CollectError>) -> Result<(), CollectError> {
    match r {
        Err(e) if e.code == "NotFoundException" => Ok(()),
        other => other,
    }
}

pub async fn budgets(s: &Session) -> Result<Vec<Budget>, CollectError> {
    let client = &s.budgets();
    let account = s.identity.account_id.as_str();
    let mut listed = Vec::new();
    none_found(
        pages(
            &s.limiter,
            "budgets:DescribeBudgets",
            |t| {
                client
                    .describe_budgets()
                    .account_id(account)
                    .set_next_token(t)
                    .send()
            },
            |out| {
                listed.extend(out.budgets().iter().cloned());
                out.next_token().map(str::to_string)
            },
        )
        .await,
    )?;
    try_join_all(listed.into_iter().map(|b| async move {
        let mut notifications = Vec::new();
        none_found(
            pages(
                &s.limiter,
                "budgets:DescribeNotificationsForBudget",
                |t| {
                    client
                        .describe_notifications_for_budget()
                        .account_id(account)
                        .budget_name(b.budget_name())
                        .set_next_token(t)
                        .send()
                },
                |out| {
                    notifications.extend(out.notifications().iter().map(|n| BudgetNotification {
                        notification_type: n.notification_type().as_str().to_string(),
                        comparison_operator: n.comparison_operator().as_str().to_string(),
                        threshold: n.threshold(),
                    }));
                    out.next_token().map(str::to_string)
                },
            )
            .await,
        )?;
        Ok(Budget {
            name: b.budget_name().to_string(),
            budget_type: b.budget_type().as_str().to_string(),
            notifications,
        })
    }))
    .await
}

/// Metric alarms in the billing region that watch any AWS/Billing metric.
pub async fn billing_alarms(s: &Session) -> Result<Vec<MetricAlarm>, CollectError> {
    let cw = s.cloudwatch(s.global_region());
    let mut alarms = Vec::new();
    pages(
        &s.limiter,
        "cloudwatch:DescribeAlarms",
        |t| {
            cw.describe_alarms()
                .alarm_types(aws_sdk_cloudwatch::types::AlarmType::MetricAlarm)
                .set_next_token(t)
                .send()
        },
        |out| {
            for a in out.metric_alarms() {
                let mut metrics = Vec::new();
                if let (Some(ns), Some(m)) = (a.namespace(), a.metric_name()) {
                    metrics.push((ns.to_string(), m.to_string()));
                }
                for q in a.metrics() {
                    if let Some(m) = q.metric_stat().and_then(|ms| ms.metric()) {
                        if let (Some(ns), Some(name)) = (m.namespace(), m.metric_name()) {
                            metrics.push((ns.to_string(), name.to_string()));
                        }
                    }
                }
                if metrics.iter().any(|(ns, _)| ns == "AWS/Billing") {
                    alarms.push(MetricAlarm {
                        name: a.alarm_name().unwrap_or_default().to_string(),
                        arn: a.alarm_arn().map(str::to_string),
                        actions_enabled: a.actions_enabled().unwrap_or(false),
                        alarm_actions: a.alarm_actions().to_vec(),
                        metrics,
                    });
                }
            }
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    Ok(alarms)
}
