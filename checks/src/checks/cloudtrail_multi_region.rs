use serde_json::{json, Value};

use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::Finding;
use crate::inventory::{CollectError, Trail};

crate::check! {
    /// Fails when no CloudTrail trail is multi-region, logging (GetTrailStatus `IsLogging`)
    /// and recording read and write management events (GetEventSelectors, basic or advanced
    /// selectors); trails come from DescribeTrails with shadow trails in the home region,
    /// and each multi-region trail is read in its own home region.
    ///
    /// ## What it does
    /// Lists trails with DescribeTrails (includeShadowTrails) in the home region, which
    /// shows every multi-region and organization trail whatever its home region. For each
    /// multi-region trail, reads GetTrailStatus (IsLogging) and GetEventSelectors in the
    /// trail's home region. Passes when one multi-region trail is logging and records read
    /// and write management events: a basic event selector with IncludeManagementEvents and
    /// ReadWriteType All (or one ReadOnly and one WriteOnly), or an advanced event selector
    /// on eventCategory = Management without a readOnly filter (or one for each value).
    /// Fails when no trail does. When no trail passes and the status or selectors of one
    /// could not be read, the check is an error.
    ///
    /// ## Why is this bad
    /// AWS's 'irregular activity' and 'account compromised' notices (INC-AWS-NOTICES) tell
    /// you to check CloudTrail for IAM users, roles, policies and temporary credentials you
    /// did not create, in every region. In INC-2017-SECURITY-JAWS reading CloudTrail is how
    /// root console logins from unknown IP addresses were found, and the lesson was
    /// CloudTrail on in every account. A trail in one region only, stopped, or not
    /// recording management events leaves exactly those questions unanswered.
    ///
    /// ## How to fix
    /// Create one multi-region trail that records management events: CloudTrail console >
    /// Trails > Create trail (it is multi-region by default; keep Management events, Read
    /// and Write), or `aws cloudtrail create-trail --name account-trail --s3-bucket-name
    /// BUCKET --is-multi-region-trail && aws cloudtrail start-logging --name
    /// account-trail`. A stopped trail: `aws cloudtrail start-logging --name TRAIL`.
    /// Selectors that drop management events: `aws cloudtrail put-event-selectors
    /// --trail-name TRAIL --event-selectors
    /// '[{"ReadWriteType":"All","IncludeManagementEvents":true}]'`. In an organization, an
    /// organization trail from the management account covers every account.
    pub struct CloudTrailMultiRegion;
    id: "cloudtrail-multi-region",
    title: "A multi-region CloudTrail trail logs read and write management events",
    severity: High,
    scope: Account,
    incidents: [AWS_NOTICES, SECURITY_JAWS],
    sources: [CloudTrailTrails],
}

const API: &str = Source::CloudTrailTrails.api();

/// What one multi-region trail is missing, or the error that kept it from being read.
fn verdict(t: &Trail) -> Result<Vec<&'static str>, CollectError> {
    let logging = t.is_logging.get("cloudtrail:GetTrailStatus")?;
    let mgmt = t.management_events.get("cloudtrail:GetEventSelectors")?;
    let mut missing = Vec::new();
    if !logging {
        missing.push("not logging");
    }
    if !mgmt.read {
        missing.push("no read management events");
    }
    if !mgmt.write {
        missing.push("no write management events");
    }
    Ok(missing)
}

fn describe(t: &Trail) -> Value {
    let mut v = json!({
        "name": t.name,
        "arn": t.arn,
        "home_region": t.home_region,
        "multi_region": t.multi_region,
        "organization_trail": t.organization_trail,
    });
    if t.multi_region {
        v["is_logging"] = match &t.is_logging {
            crate::inventory::Collected::Ok(b) => json!(b),
            other => json!(other
                .get("cloudtrail:GetTrailStatus")
                .err()
                .map(|e| e.to_string())),
        };
        v["management_events"] = match &t.management_events {
            crate::inventory::Collected::Ok(m) => json!(m),
            other => json!(other
                .get("cloudtrail:GetEventSelectors")
                .err()
                .map(|e| e.to_string())),
        };
    }
    v
}

impl Check for CloudTrailMultiRegion {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.account_wide(|account| {
            let resource = b.account_resource();
            let trails = account.cloudtrail.trails.get(API)?;
            let listed: Vec<Value> = trails.iter().map(describe).collect();
            let mut first_error: Option<CollectError> = None;
            let mut shortfalls = Vec::new();
            for t in trails.iter().filter(|t| t.multi_region) {
                match verdict(t) {
                    Ok(missing) if missing.is_empty() => {
                        return Ok(vec![b.pass(
                            None,
                            resource,
                            format!(
                                "Multi-region trail {} is logging read and write management events",
                                t.name
                            ),
                            evidence! { "trail" => t.name, "trail_arn" => t.arn, "trails" => listed },
                        )]);
                    }
                    Ok(missing) => shortfalls.push(format!("{}: {}", t.name, missing.join(", "))),
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            if let Some(e) = first_error {
                let mut f = b.error(None, resource, &e);
                f.evidence.insert("trails".into(), Value::from(listed));
                return Ok(vec![f]);
            }
            let why = if shortfalls.is_empty() {
                if trails.is_empty() {
                    "there is no trail".to_string()
                } else {
                    "no trail is multi-region".to_string()
                }
            } else {
                shortfalls.join("; ")
            };
            Ok(vec![b.fail(
                None,
                resource,
                format!(
                    "No CloudTrail trail of account {} logs read and write management events in every region ({why})",
                    b.account()
                ),
                evidence! { "trails" => listed },
            )])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{Collected, ManagementEvents};

    fn trail(name: &str, multi: bool, logging: bool, read: bool, write: bool) -> Trail {
        Trail {
            name: name.into(),
            arn: Some(format!(
                "arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/{name}"
            )),
            home_region: Some("us-east-1".into()),
            multi_region: multi,
            organization_trail: false,
            is_logging: if multi {
                Collected::Ok(logging)
            } else {
                Collected::NotCollected
            },
            management_events: if multi {
                Collected::Ok(ManagementEvents {
                    read,
                    write,
                    selectors: "basic".into(),
                })
            } else {
                Collected::NotCollected
            },
        }
    }

    fn with(trails: Collected<Vec<Trail>>) -> Vec<Finding> {
        let mut acc = account(&["us-east-1"]);
        acc.cloudtrail.trails = trails;
        run(&CloudTrailMultiRegion, &acc)
    }

    #[test]
    fn a_logging_multi_region_trail_with_read_and_write_passes() {
        let f = with(Collected::Ok(vec![
            trail("regional", false, false, false, false),
            trail("stopped", true, false, true, true),
            trail("main", true, true, true, true),
        ]));
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
        assert_eq!(f[0].evidence["trail"], "main");
    }

    #[test]
    fn no_trail_a_regional_one_a_stopped_one_or_write_only_fails() {
        for (trails, needle) in [
            (vec![], "there is no trail"),
            (
                vec![trail("regional", false, true, true, true)],
                "no trail is multi-region",
            ),
            (
                vec![trail("stopped", true, false, true, true)],
                "stopped: not logging",
            ),
            (
                vec![trail("writes", true, true, false, true)],
                "writes: no read management events",
            ),
        ] {
            let f = with(Collected::Ok(trails));
            assert_eq!(outcome(&f), vec![o(Status::Fail, None, ACCOUNT)]);
            assert!(f[0].message.contains(needle), "{}", f[0].message);
        }
    }

    #[test]
    fn errors_when_trails_or_a_trail_status_cannot_be_read() {
        let f = with(Collected::Error(denied(API)));
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, API, "AccessDenied");

        // The one multi-region trail's status is unreadable: never a fail or a pass.
        let mut t = trail("main", true, true, true, true);
        t.is_logging = Collected::Error(denied("cloudtrail:GetTrailStatus"));
        let f = with(Collected::Ok(vec![t.clone()]));
        assert_errors_named(&f, "cloudtrail:GetTrailStatus", "AccessDenied");

        // ...but another trail that is read and good still passes.
        let f = with(Collected::Ok(vec![
            t,
            trail("second", true, true, true, true),
        ]));
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
    }
}
