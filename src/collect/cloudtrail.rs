//! CloudTrail: the account's trails, and for each multi-region one its logging status
//! and which management events its selectors record.

use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, ReadWriteType};
use futures::future::join_all;
use hiyari_checks::inventory::{ManagementEvents, Trail};
use hiyari_checks::{CollectError, Collected};

use super::Session;

/// DescribeTrails (includeShadowTrails) in the home region lists every multi-region and
/// organization trail of the account, whatever its home region; GetTrailStatus and
/// GetEventSelectors are then called in each multi-region trail's home region, by ARN
/// (a shadow trail can only be read there).
pub async fn trails(s: &Session) -> Result<Vec<Trail>, CollectError> {
    let home = s
        .home_region
        .clone()
        .unwrap_or_else(|| s.global_region().to_string());
    let ct = s.cloudtrail(&home);
    let out = s
        .limiter
        .call(
            "cloudtrail:DescribeTrails",
            ct.describe_trails().include_shadow_trails(true).send(),
        )
        .await?;
    let listed = out.trail_list().to_vec();
    Ok(join_all(listed.iter().map(|t| read_trail(s, &home, t))).await)
}

async fn read_trail(s: &Session, home: &str, t: &aws_sdk_cloudtrail::types::Trail) -> Trail {
    let name = t.name().unwrap_or_default().to_string();
    let multi_region = t.is_multi_region_trail().unwrap_or(false);
    let mut trail = Trail {
        name: name.clone(),
        arn: t.trail_arn().map(str::to_string),
        home_region: t.home_region().map(str::to_string),
        multi_region,
        organization_trail: t.is_organization_trail().unwrap_or(false),
        is_logging: Collected::NotCollected,
        management_events: Collected::NotCollected,
    };
    if !multi_region {
        return trail;
    }
    let id = trail.arn.clone().unwrap_or(name);
    let ct = s.cloudtrail(trail.home_region.as_deref().unwrap_or(home));
    let (status, selectors) = tokio::join!(
        s.limiter.call(
            "cloudtrail:GetTrailStatus",
            ct.get_trail_status().name(&id).send()
        ),
        s.limiter.call(
            "cloudtrail:GetEventSelectors",
            ct.get_event_selectors().trail_name(&id).send()
        ),
    );
    trail.is_logging = Collected::from_result(status.map(|o| o.is_logging().unwrap_or(false)));
    trail.management_events = Collected::from_result(
        selectors.map(|o| management_events(o.event_selectors(), o.advanced_event_selectors())),
    );
    trail
}

/// Which management events the selectors record. Basic selectors: those with
/// IncludeManagementEvents (true unless stated) by ReadWriteType (All unless stated).
/// Advanced selectors: those with `eventCategory` equal to `Management`, read, write or
/// both by their `readOnly` field (none: both).
pub fn management_events(
    basic: &[EventSelector],
    advanced: &[AdvancedEventSelector],
) -> ManagementEvents {
    let mut read = false;
    let mut write = false;
    let kind = if !advanced.is_empty() {
        for sel in advanced {
            let fields = sel.field_selectors();
            let management = fields.iter().any(|f| {
                f.field() == "eventCategory" && f.equals().iter().any(|v| v == "Management")
            });
            if !management {
                continue;
            }
            match fields.iter().find(|f| f.field() == "readOnly") {
                None => {
                    read = true;
                    write = true;
                }
                Some(f) => {
                    let eq = f.equals();
                    let ne = f.not_equals();
                    if eq.iter().any(|v| v == "true") || ne.iter().any(|v| v == "false") {
                        read = true;
                    }
                    if eq.iter().any(|v| v == "false") || ne.iter().any(|v| v == "true") {
                        write = true;
                    }
                }
            }
        }
        "advanced"
    } else if !basic.is_empty() {
        for sel in basic {
            if !sel.include_management_events().unwrap_or(true) {
                continue;
            }
            match sel.read_write_type().unwrap_or(&ReadWriteType::All) {
                ReadWriteType::ReadOnly => read = true,
                ReadWriteType::WriteOnly => write = true,
                _ => {
                    read = true;
                    write = true;
                }
            }
        }
        "basic"
    } else {
        "none"
    };
    ManagementEvents {
        read,
        write,
        selectors: kind.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::testing::mock;
    use crate::collect::testing::{mock_session, ok_json};
    use aws_sdk_cloudtrail::types::AdvancedFieldSelector;

    fn field(name: &str, eq: &[&str], ne: &[&str]) -> AdvancedFieldSelector {
        let mut b = AdvancedFieldSelector::builder().field(name);
        for v in eq {
            b = b.equals(*v);
        }
        for v in ne {
            b = b.not_equals(*v);
        }
        b.build().unwrap()
    }

    fn adv(fields: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
        AdvancedEventSelector::builder()
            .set_field_selectors(Some(fields))
            .build()
            .unwrap()
    }

    #[test]
    fn selectors_read_as_management_events() {
        let all = EventSelector::builder().build();
        let m = management_events(&[all], &[]);
        assert!(m.read && m.write && m.selectors == "basic");
        let no_mgmt = EventSelector::builder()
            .include_management_events(false)
            .build();
        let m = management_events(&[no_mgmt], &[]);
        assert!(!m.read && !m.write);
        let ro = EventSelector::builder()
            .read_write_type(ReadWriteType::ReadOnly)
            .build();
        let wo = EventSelector::builder()
            .read_write_type(ReadWriteType::WriteOnly)
            .build();
        let m = management_events(std::slice::from_ref(&ro), &[]);
        assert!(m.read && !m.write);
        let m = management_events(&[ro, wo], &[]);
        assert!(m.read && m.write);

        let mgmt = adv(vec![field("eventCategory", &["Management"], &[])]);
        let m = management_events(&[], &[mgmt]);
        assert!(m.read && m.write && m.selectors == "advanced");
        let writes = adv(vec![
            field("eventCategory", &["Management"], &[]),
            field("readOnly", &["false"], &[]),
        ]);
        let m = management_events(&[], &[writes]);
        assert!(!m.read && m.write);
        let data = adv(vec![
            field("eventCategory", &["Data"], &[]),
            field("resources.type", &["AWS::S3::Object"], &[]),
        ]);
        let m = management_events(&[], &[data]);
        assert!(!m.read && !m.write);
        let m = management_events(&[], &[]);
        assert!(!m.read && !m.write && m.selectors == "none");
    }

    /// CloudTrail's JSON 1.1 answers, as the service sends them: a shadow trail of
    /// another home region is read there, a single-region trail is not read at all.
    #[tokio::test]
    async fn reads_multi_region_trails_in_their_home_region() {
        let describe = mock!(aws_sdk_cloudtrail::Client::describe_trails)
            .match_requests(|r| r.include_shadow_trails() == Some(true))
            .then_http_response(|| {
                ok_json(
                    r#"{"trailList":[
                    {"Name":"org","TrailARN":"arn:aws:cloudtrail:eu-west-1:123456789012:trail/org","HomeRegion":"eu-west-1","IsMultiRegionTrail":true,"IsOrganizationTrail":true},
                    {"Name":"local","TrailARN":"arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/local","HomeRegion":"ap-northeast-1","IsMultiRegionTrail":false,"IsOrganizationTrail":false}]}"#,
                )
            });
        let status = mock!(aws_sdk_cloudtrail::Client::get_trail_status)
            .match_requests(|r| {
                r.name() == Some("arn:aws:cloudtrail:eu-west-1:123456789012:trail/org")
            })
            .then_http_response(|| ok_json(r#"{"IsLogging":true}"#));
        let selectors = mock!(aws_sdk_cloudtrail::Client::get_event_selectors)
            .then_http_response(|| {
                ok_json(
                    r#"{"TrailARN":"arn:aws:cloudtrail:eu-west-1:123456789012:trail/org","AdvancedEventSelectors":[{"Name":"Management events selector","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]}"#,
                )
            });
        let (s, seen) = mock_session(&[&describe, &status, &selectors], "ap-northeast-1");
        let trails = trails(&s).await.unwrap();
        assert_eq!(trails.len(), 2);
        let org = &trails[0];
        assert!(org.multi_region && org.organization_trail);
        assert_eq!(org.is_logging, Collected::Ok(true));
        assert_eq!(
            org.management_events,
            Collected::Ok(ManagementEvents {
                read: true,
                write: true,
                selectors: "advanced".into()
            })
        );
        assert_eq!(trails[1].is_logging, Collected::NotCollected);
        assert_eq!(status.num_calls(), 1);
        assert_eq!(selectors.num_calls(), 1);
        assert_eq!(seen.regions(), ["ap-northeast-1", "eu-west-1", "eu-west-1"]);
    }

    #[tokio::test]
    async fn a_denied_status_stays_with_its_trail() {
        let describe = mock!(aws_sdk_cloudtrail::Client::describe_trails).then_http_response(|| {
            ok_json(
                r#"{"trailList":[{"Name":"main","TrailARN":"arn:aws:cloudtrail:us-east-1:123456789012:trail/main","HomeRegion":"us-east-1","IsMultiRegionTrail":true}]}"#,
            )
        });
        let status = mock!(aws_sdk_cloudtrail::Client::get_trail_status).then_http_response(|| {
            crate::collect::testing::json_error(
                400,
                "AccessDeniedException",
                "User is not authorized to perform: cloudtrail:GetTrailStatus",
            )
        });
        let selectors = mock!(aws_sdk_cloudtrail::Client::get_event_selectors)
            .then_http_response(|| {
                ok_json(
                    r#"{"TrailARN":"arn:aws:cloudtrail:us-east-1:123456789012:trail/main","EventSelectors":[]}"#,
                )
            });
        let (s, _) = mock_session(&[&describe, &status, &selectors], "us-east-1");
        let trails = trails(&s).await.unwrap();
        let e = trails[0].is_logging.get("x").unwrap_err();
        assert_eq!(
            (e.api.as_str(), e.code.as_str()),
            ("cloudtrail:GetTrailStatus", "AccessDeniedException")
        );
        assert_eq!(
            trails[0].management_events,
            Collected::Ok(ManagementEvents {
                read: false,
                write: false,
                selectors: "none".into()
            })
        );
    }
}
