//! GuardDuty, per region: detectors and their status, and open high-severity findings.

use aws_sdk_guardduty::types::{Condition, FindingCriteria};
use futures::future::try_join_all;
use hiyari_checks::inventory::{GuardDutyDetector, GuardDutyFinding};
use hiyari_checks::{CollectError, Collected, Source};

use super::{pages, Needs, Session};

/// The detectors, then, when the scan needs them, the high-severity findings of them
/// all: findings are read per detector, so after the list.
pub async fn detectors_and_high_findings(
    s: &Session,
    gd: &aws_sdk_guardduty::Client,
    needs: &Needs,
) -> (
    Collected<Vec<GuardDutyDetector>>,
    Collected<Vec<GuardDutyFinding>>,
) {
    let detectors = Collected::from_result(detectors(s, gd).await);
    let findings = match (&detectors, needs.has(Source::GuardDutyFindings)) {
        (Collected::Ok(d), true) if d.is_empty() => Collected::Ok(vec![]),
        (Collected::Ok(d), true) => {
            let ids: Vec<String> = d.iter().map(|d| d.id.clone()).collect();
            Collected::from_result(high_findings(s, gd, &ids).await)
        }
        _ => Collected::NotCollected,
    };
    (detectors, findings)
}

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
                .map_or_else(|| "UNKNOWN".into(), |st| st.as_str().into()),
            id,
        })
    }))
    .await
}

/// GetFindings takes at most this many ids per call.
const GET_FINDINGS_BATCH: usize = 50;

/// Unarchived findings of severity 7 or more of each detector: ListFindings with that
/// criteria (every page), then GetFindings in batches of 50.
pub async fn high_findings(
    s: &Session,
    gd: &aws_sdk_guardduty::Client,
    detector_ids: &[String],
) -> Result<Vec<GuardDutyFinding>, CollectError> {
    let criteria = FindingCriteria::builder()
        .criterion(
            "severity",
            Condition::builder().greater_than_or_equal(7).build(),
        )
        .criterion(
            "service.archived",
            Condition::builder().equals("false").build(),
        )
        .build();
    let per_detector = try_join_all(detector_ids.iter().map(|detector| {
        let criteria = criteria.clone();
        async move {
            let mut ids = Vec::new();
            pages(
                &s.limiter,
                "guardduty:ListFindings",
                |t| {
                    gd.list_findings()
                        .detector_id(detector)
                        .finding_criteria(criteria.clone())
                        .max_results(50)
                        .set_next_token(t)
                        .send()
                },
                |out| {
                    ids.extend(out.finding_ids().iter().cloned());
                    out.next_token().map(str::to_string)
                },
            )
            .await?;
            let batches = try_join_all(ids.chunks(GET_FINDINGS_BATCH).map(|batch| async move {
                let out = s
                    .limiter
                    .call(
                        "guardduty:GetFindings",
                        gd.get_findings()
                            .detector_id(detector)
                            .set_finding_ids(Some(batch.to_vec()))
                            .send(),
                    )
                    .await?;
                Ok::<_, CollectError>(
                    out.findings()
                        .iter()
                        .map(|f| finding(detector, f))
                        .collect::<Vec<_>>(),
                )
            }))
            .await?;
            Ok::<_, CollectError>(batches.into_iter().flatten().collect::<Vec<_>>())
        }
    }))
    .await?;
    Ok(per_detector.into_iter().flatten().collect())
}

fn finding(detector: &str, f: &aws_sdk_guardduty::types::Finding) -> GuardDutyFinding {
    let resource = f.resource();
    let resource_id = resource.and_then(|r| {
        r.instance_details()
            .and_then(|d| d.instance_id())
            .or_else(|| {
                r.access_key_details()
                    .and_then(|d| d.user_name().or(d.access_key_id()))
            })
            .or_else(|| r.s3_bucket_details().first().and_then(|b| b.name()))
            .or_else(|| r.eks_cluster_details().and_then(|d| d.name()))
            .map(str::to_string)
    });
    GuardDutyFinding {
        detector_id: detector.to_string(),
        id: f.id().unwrap_or_default().to_string(),
        arn: f.arn().map(str::to_string),
        finding_type: f.r#type().unwrap_or("unknown").to_string(),
        severity: f.severity().unwrap_or_default(),
        title: f.title().map(str::to_string),
        resource_type: resource.and_then(|r| r.resource_type()).map(str::to_string),
        resource_id,
        count: f.service().and_then(|s| s.count()).map(i64::from),
        first_seen: f
            .service()
            .and_then(|s| s.event_first_seen())
            .map(str::to_string),
        last_seen: f
            .service()
            .and_then(|s| s.event_last_seen())
            .map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::testing::mock;
    use crate::collect::testing::{json_error, mock_session, ok_json};

    /// A GetFindings answer as GuardDuty's REST JSON API sends it (abridged).
    fn get_findings_body(ids: &[String]) -> String {
        let findings: Vec<_> = ids
            .iter()
            .map(|id| {
                serde_json::json!({
                    "accountId": "123456789012",
                    "arn": format!("arn:aws:guardduty:us-east-1:123456789012:detector/d1/finding/{id}"),
                    "createdAt": "2026-10-01T00:00:00.000Z",
                    "id": id,
                    "partition": "aws",
                    "region": "us-east-1",
                    "resource": {
                        "accessKeyDetails": {
                            "accessKeyId": "ASIAEXAMPLE",
                            "principalId": "123456789012",
                            "userName": "Root",
                            "userType": "Root"
                        },
                        "resourceType": "AccessKey"
                    },
                    "schemaVersion": "2.0",
                    "service": {
                        "archived": false,
                        "count": 12,
                        "detectorId": "d1",
                        "eventFirstSeen": "2026-10-01T00:00:00.000Z",
                        "eventLastSeen": "2026-11-20T00:00:00.000Z",
                        "serviceName": "guardduty"
                    },
                    "severity": 8.0,
                    "title": "API DescribeVolumes was invoked using root credentials.",
                    "type": "UnauthorizedAccess:IAMUser/RootCredentialUsage",
                    "updatedAt": "2026-11-20T00:00:00.000Z"
                })
            })
            .collect();
        serde_json::json!({ "findings": findings }).to_string()
    }

    #[tokio::test]
    async fn pages_through_list_findings_and_gets_them_in_batches_of_50() {
        let ids: Vec<String> = (0..120).map(|i| format!("f{i:03}")).collect();
        let (first, second) = (ids[..50].to_vec(), ids[50..].to_vec());
        let list = mock!(aws_sdk_guardduty::Client::list_findings)
            .match_requests(|r| {
                let c = r.finding_criteria().unwrap().criterion().unwrap();
                c["severity"].greater_than_or_equal() == Some(7)
                    && c["service.archived"].equals() == ["false"]
                    && r.detector_id() == Some("d1")
            })
            .sequence()
            .http_response(move || {
                ok_json(
                    &serde_json::json!({"findingIds": first, "nextToken": "page-2"}).to_string(),
                )
            })
            .http_response(move || {
                ok_json(&serde_json::json!({"findingIds": second, "nextToken": ""}).to_string())
            })
            .build();
        let get = mock!(aws_sdk_guardduty::Client::get_findings)
            .match_requests(|r| r.finding_ids().len() <= GET_FINDINGS_BATCH)
            .then_compute_http_response(|r| ok_json(&get_findings_body(r.finding_ids())));
        let (s, _) = mock_session(&[&list, &get], "us-east-1");
        let gd = s.guardduty("us-east-1");
        let found = high_findings(&s, &gd, &["d1".to_string()]).await.unwrap();
        assert_eq!(found.len(), 120);
        assert_eq!(list.num_calls(), 2);
        assert_eq!(get.num_calls(), 3, "50 + 50 + 20");
        let f = &found[0];
        assert_eq!(f.id, "f000");
        assert_eq!(
            f.finding_type,
            "UnauthorizedAccess:IAMUser/RootCredentialUsage"
        );
        assert_eq!(f.severity, 8.0);
        assert_eq!(f.resource_type.as_deref(), Some("AccessKey"));
        assert_eq!(f.resource_id.as_deref(), Some("Root"));
        assert_eq!(f.count, Some(12));
        assert_eq!(f.last_seen.as_deref(), Some("2026-11-20T00:00:00.000Z"));
    }

    #[tokio::test]
    async fn no_findings_makes_no_get_call_and_a_denial_is_named() {
        let list = mock!(aws_sdk_guardduty::Client::list_findings)
            .match_requests(|r| r.detector_id() == Some("quiet"))
            .then_http_response(|| ok_json(r#"{"findingIds":[]}"#));
        let denied = mock!(aws_sdk_guardduty::Client::list_findings)
            .match_requests(|r| r.detector_id() == Some("locked"))
            .then_http_response(|| {
                json_error(
                    403,
                    "AccessDeniedException",
                    "User is not authorized to perform: guardduty:ListFindings",
                )
            });
        let get = mock!(aws_sdk_guardduty::Client::get_findings)
            .then_http_response(|| ok_json(r#"{"findings":[]}"#));
        let (s, _) = mock_session(&[&list, &denied, &get], "us-east-1");
        let gd = s.guardduty("us-east-1");
        assert_eq!(
            high_findings(&s, &gd, &["quiet".to_string()])
                .await
                .unwrap(),
            vec![]
        );
        assert_eq!(get.num_calls(), 0);
        let e = high_findings(&s, &gd, &["locked".to_string()])
            .await
            .unwrap_err();
        assert_eq!(e.api, "guardduty:ListFindings");
        assert_eq!(e.code, "AccessDeniedException");
    }
}
