//! GuardDuty: detectors and their status, per region.

use futures::future::try_join_all;
use hiyari_checks::inventory::GuardDutyDetector;
use hiyari_checks::CollectError;

use super::{pages, Session};

pub async fn detectors(
    s: &Session,
    gd: &aws_sdk_guardduty::Client,
) -> Result<Vec<GuardDutyDetector>, CollectError> {
    let mut ids = Vec::new();
    pages(
        &s.limiter,
        "guardduty:ListDetectors",
        |t| gd.list_detectors().set_next_token(t).send(),
        |out| {
            ids.extend(out.detector_ids().iter().cloned());
            out.next_token().map(str::to_string)
        },
    )
    .await?;
    try_join_all(ids.into_iter().map(|id| async move {
        let out = s
            .limiter
            .call(
                "guardduty:GetDetector",
                gd.get_detector().detector_id(&id).send(),
            )
            .await?;
        Ok(GuardDutyDetector {
            status: out
                .status()
                .map(|st| st.as_str().to_string())
                .unwrap_or_else(|| "UNKNOWN".into()),
            id,
        })
    }))
    .await
}
