//! AWS Health (us-east-1, the global endpoint): the events of the RISK and ABUSE
//! services updated in the window, which is how AWS tells an account about an exposed
//! key or an abuse report. Without a Business or Enterprise support plan the API
//! answers SubscriptionRequiredException: that is said once, as a warning.

use aws_sdk_health::types::{DateTimeRange, EventFilter};
use hiyari_checks::inventory::sweep::{HealthEvent, Notices};
use hiyari_checks::{CollectError, Collected};

use super::Plan;
use crate::collect::{pages, ts, Session};

const API: &str = "health:DescribeEvents";

pub async fn notices(s: &Session, plan: &Plan) -> Collected<Notices> {
    match read(s, plan).await {
        Ok(n) => Collected::Ok(n),
        Err(e) if e.code == "SubscriptionRequiredException" => {
            Collected::Ok(Notices::NoSupportPlan)
        }
        Err(e) => Collected::Error(e),
    }
}

async fn read(s: &Session, plan: &Plan) -> Result<Notices, CollectError> {
    let health = s.health();
    let filter = EventFilter::builder()
        .services("RISK")
        .services("ABUSE")
        .last_updated_times(DateTimeRange::builder().from(plan.since).build())
        .build();
    let mut events = Vec::new();
    pages(
        &s.limiter,
        API,
        |t| {
            health
                .describe_events()
                .filter(filter.clone())
                .set_next_token(t)
                .send()
        },
        |out| {
            events.extend(out.events().iter().map(|e| HealthEvent {
                arn: e.arn().unwrap_or_default().to_string(),
                service: e.service().unwrap_or_default().to_string(),
                event_type_code: e.event_type_code().unwrap_or_default().to_string(),
                status: e.status_code().map(|st| st.as_str().to_string()),
                start_time: ts(e.start_time()),
                region: e.region().map(str::to_string),
                description: None,
            }));
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    // The descriptions, ten events a call.
    let arns: Vec<String> = events
        .iter()
        .map(|e| e.arn.clone())
        .filter(|a| !a.is_empty())
        .collect();
    for chunk in arns.chunks(10) {
        let out = s
            .limiter
            .call(
                "health:DescribeEventDetails",
                health
                    .describe_event_details()
                    .set_event_arns(Some(chunk.to_vec()))
                    .send(),
            )
            .await?;
        for d in out.successful_set() {
            let (Some(arn), Some(text)) = (
                d.event().and_then(|e| e.arn()),
                d.event_description().and_then(|x| x.latest_description()),
            ) else {
                continue;
            };
            if let Some(e) = events.iter_mut().find(|e| e.arn == arn) {
                e.description = Some(text.to_string());
            }
        }
    }
    Ok(Notices::Read { events })
}
