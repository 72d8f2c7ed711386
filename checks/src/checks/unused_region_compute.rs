use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};
use crate::inventory::CollectError;

crate::check! {
    /// Fails when instances (pending, running, stopping, stopped), spot requests (open,
    /// active) or spot fleets (submitted, active, modifying) in a region outside
    /// `--allowed-regions`.
    ///
    /// ## What it does
    /// In every scanned region that is not in the allowed list (--allowed-regions or
    /// allowed_regions; by default the home region): DescribeInstances (pending, running,
    /// stopping, stopped), DescribeSpotInstanceRequests (open, active) and
    /// DescribeSpotFleetRequests (submitted, active, modifying, and any state hiyari does not
    /// know, since such a fleet may launch instances). Fails once per instance, spot request
    /// and spot fleet, with its type and launch time. Allowed regions pass.
    ///
    /// ## Why is this bad
    /// In INC-2015-LEAKED-ROOT-KEY a leaked key ran about 20 large instances in sa-east-1,
    /// a region the owner never used, for a 1.8 million yen bill; cleaning up meant hunting
    /// region by region, and instances came back from open spot requests. AWS's compromise
    /// notices (INC-AWS-NOTICES) say to check every region and EC2 Spot.
    ///
    /// ## How to fix
    /// If you did not launch it, treat the account as compromised: rotate keys, then cancel
    /// spot requests and fleets first so nothing relaunches (`aws ec2
    /// cancel-spot-instance-requests --region REGION --spot-instance-request-ids ID`, `aws
    /// ec2 cancel-spot-fleet-requests --region REGION --spot-fleet-request-ids ID
    /// --terminate-instances`), then terminate instances (`aws ec2 terminate-instances
    /// --region REGION --instance-ids ID`). Snapshot a volume first if you need forensics.
    /// If it is yours, add the region to allowed_regions. To keep regions unused for good,
    /// deny them with an SCP on aws:RequestedRegion.
    pub struct UnusedRegionCompute;
    id: "unused-region-compute",
    title: "No EC2 compute runs in regions the account does not use",
    severity: High,
    scope: Region,
    incidents: [LEAKED_ROOT_KEY, AWS_NOTICES],
    sources: [Instances, SpotRequests, SpotFleets],
}

impl Check for UnusedRegionCompute {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let Cx {
            account, opts, b, ..
        } = cx;
        let allowed = opts.allowed_regions_for(account);
        cx.per_region(Source::Instances, |region, inv| {
            let base = evidence! {
                "allowed_regions" => allowed.regions,
                "allowed_regions_source" => allowed.source,
            };
            if allowed.regions.iter().any(|r| r == region) {
                return Ok(vec![b.pass(
                    Some(region),
                    Resource::region(region),
                    format!("{region} is an allowed region: compute there is expected"),
                    base,
                )]);
            }
            let mut out = Vec::new();
            let mut errors: Vec<CollectError> = Vec::new();
            match inv.instances.of(Source::Instances) {
                Ok(list) => {
                    for i in list
                        .iter()
                        .filter(|i| i.state.is_live())
                    {
                        let mut ev = base.clone();
                        ev.extend(evidence! {
                            "state" => i.state,
                            "instance_type" => i.instance_type,
                            "launch_time" => i.launch_time,
                            "spot_request_id" => i.spot_request_id,
                            "name" => i.name,
                        });
                        out.push(b.fail(
                            Some(region),
                            Resource::new(
                                "AWS::EC2::Instance",
                                &i.id,
                                Some(b.arn("ec2", region, &format!("instance/{}", i.id))),
                            ),
                            format!(
                                "Instance {} ({}, {}) in {region}, a region not in the allowed list",
                                i.id,
                                i.instance_type.as_deref().unwrap_or("unknown type"),
                                i.state
                            ),
                            ev,
                        ));
                    }
                }
                Err(e) => errors.push(e),
            }
            match inv.spot_requests.of(Source::SpotRequests) {
                Ok(list) => {
                    for s in list
                        .iter()
                        .filter(|s| s.state.is_live())
                    {
                        let mut ev = base.clone();
                        ev.extend(evidence! {
                            "state" => s.state,
                            "instance_type" => s.instance_type,
                            "create_time" => s.create_time,
                            "instance_id" => s.instance_id,
                        });
                        out.push(b.fail(
                            Some(region),
                            Resource::new(
                                "AWS::EC2::SpotInstanceRequest",
                                &s.id,
                                Some(b.arn("ec2", region, &format!("spot-instances-request/{}", s.id))),
                            ),
                            format!(
                                "Spot instance request {} ({}) in {region}, a region not in the allowed list, can launch instances",
                                s.id, s.state
                            ),
                            ev,
                        ));
                    }
                }
                Err(e) => errors.push(e),
            }
            match inv.spot_fleets.of(Source::SpotFleets) {
                Ok(list) => {
                    for s in list
                        .iter()
                        .filter(|s| s.state.is_live())
                    {
                        let mut ev = base.clone();
                        ev.extend(evidence! {
                            "state" => s.state,
                            "target_capacity" => s.target_capacity,
                            "create_time" => s.create_time,
                        });
                        out.push(b.fail(
                            Some(region),
                            Resource::new(
                                "AWS::EC2::SpotFleet",
                                &s.id,
                                Some(b.arn("ec2", region, &format!("spot-fleet-request/{}", s.id))),
                            ),
                            format!(
                                "Spot fleet {} ({}) in {region}, a region not in the allowed list, can launch instances",
                                s.id, s.state
                            ),
                            ev,
                        ));
                    }
                }
                Err(e) => errors.push(e),
            }
            if let Some(first) = errors.first() {
                // What was seen stays reported; the region as a whole cannot be vouched for.
                let mut f = b.error(Some(region), Resource::region(region), first);
                if errors.len() > 1 {
                    f.evidence.insert(
                        "other_errors".into(),
                        errors[1..]
                            .iter()
                            .map(|e| e.to_string())
                            .collect::<Vec<_>>()
                            .into(),
                    );
                }
                out.push(f);
            } else if out.is_empty() {
                out.push(b.pass(
                    Some(region),
                    Resource::region(region),
                    format!("No EC2 instances, spot requests or spot fleets in {region}"),
                    base,
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
    use crate::finding::Status;
    use crate::inventory::{Collected, Instance, SpotFleet, SpotRequest};

    fn inst(id: &str, state: &str) -> Instance {
        Instance {
            id: id.into(),
            state: state.into(),
            instance_type: Some("c4.8xlarge".into()),
            launch_time: Some("2015-06-01T00:00:00Z".into()),
            spot_request_id: None,
            name: None,
        }
    }

    fn spot(id: &str, state: &str) -> SpotRequest {
        SpotRequest {
            id: id.into(),
            state: state.into(),
            instance_type: Some("c4.8xlarge".into()),
            create_time: None,
            instance_id: None,
        }
    }

    fn fleet(id: &str, state: &str) -> SpotFleet {
        SpotFleet {
            id: id.into(),
            state: state.into(),
            target_capacity: Some(20),
            create_time: None,
        }
    }

    fn breached() -> AccountInventory {
        let mut acc = account(&["ap-northeast-1", "sa-east-1", "us-east-1"]);
        region(&mut acc, "ap-northeast-1").instances =
            Collected::Ok(vec![inst("i-home", "running")]);
        let sa = region(&mut acc, "sa-east-1");
        sa.instances = Collected::Ok(vec![
            inst("i-run", "running"),
            inst("i-stopped", "stopped"),
            inst("i-gone", "terminated"),
            inst("i-going", "shutting-down"),
        ]);
        sa.spot_requests = Collected::Ok(vec![
            spot("sir-open", "open"),
            spot("sir-cancelled", "cancelled"),
        ]);
        sa.spot_fleets = Collected::Ok(vec![
            fleet("sfr-active", "active"),
            fleet("sfr-modifying", "modifying"),
            fleet("sfr-cancelled", "cancelled"),
            fleet("sfr-submitted", "submitted"),
            fleet("sfr-new-word", "pausing"),
            fleet("sfr-failed", "failed"),
        ]);
        acc
    }

    #[test]
    fn compute_outside_home_region_fails_per_resource() {
        let f = run(&UnusedRegionCompute, &breached());
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("sa-east-1"), "i-run"),
                o(Status::Fail, Some("sa-east-1"), "i-stopped"),
                o(Status::Fail, Some("sa-east-1"), "sfr-active"),
                o(Status::Fail, Some("sa-east-1"), "sfr-modifying"),
                o(Status::Fail, Some("sa-east-1"), "sfr-new-word"),
                o(Status::Fail, Some("sa-east-1"), "sfr-submitted"),
                o(Status::Fail, Some("sa-east-1"), "sir-open"),
                o(Status::Pass, Some("ap-northeast-1"), "ap-northeast-1"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        let run_ = f.iter().find(|f| f.resource.id == "i-run").unwrap();
        assert_eq!(run_.evidence["instance_type"], "c4.8xlarge");
        assert_eq!(run_.evidence["launch_time"], "2015-06-01T00:00:00Z");
        assert_eq!(
            run_.evidence["allowed_regions"],
            serde_json::json!(["ap-northeast-1"])
        );
    }

    #[test]
    fn allowed_regions_option_overrides_home_region() {
        let opts = EvalOptions {
            allowed_regions: Some(vec!["sa-east-1".into()]),
            ..EvalOptions::default()
        };
        let f = run_with(&UnusedRegionCompute, &breached(), &opts);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("ap-northeast-1"), "i-home"),
                o(Status::Pass, Some("sa-east-1"), "sa-east-1"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
    }

    #[test]
    fn partial_data_reports_what_was_seen_and_an_error() {
        let mut acc = breached();
        region(&mut acc, "sa-east-1").spot_requests =
            Collected::Error(denied("ec2:DescribeSpotInstanceRequests"));
        region(&mut acc, "us-east-1").spot_fleets =
            Collected::Error(denied("ec2:DescribeSpotFleetRequests"));
        let f = run(&UnusedRegionCompute, &acc);
        let sa: Vec<_> = f
            .iter()
            .filter(|f| f.region.as_deref() == Some("sa-east-1"))
            .collect();
        assert_eq!(sa.iter().filter(|f| f.status == Status::Fail).count(), 6);
        assert_eq!(sa.iter().filter(|f| f.status == Status::Error).count(), 1);
        let us: Vec<_> = f
            .iter()
            .filter(|f| f.region.as_deref() == Some("us-east-1"))
            .collect();
        assert_eq!(us.len(), 1);
        assert_eq!(us[0].status, Status::Error);
        assert_eq!(
            us[0].error_source(),
            Some(("ec2:DescribeSpotFleetRequests", "AccessDenied"))
        );
    }
}
