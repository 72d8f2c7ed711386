use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};
use crate::inventory::{Collected, RdsSnapshot};

crate::check! {
    /// Fails when a manual RDS DB snapshot or DB cluster snapshot can be restored by every
    /// AWS account.
    ///
    /// ## What it does
    /// In every scanned region, DescribeDBSnapshots and DescribeDBClusterSnapshots with
    /// SnapshotType=manual (the snapshots the account owns; paged), then, since RDS has no
    /// filter for public snapshots, DescribeDBSnapshotAttributes or
    /// DescribeDBClusterSnapshotAttributes once per manual snapshot, under the scan's bound
    /// on requests in flight. Fails for each snapshot whose `restore` attribute includes
    /// `all`. A snapshot shared with named accounts only is not public and passes. A
    /// snapshot whose attribute could not be read, or a list that could not be read, is an
    /// error for its region.
    ///
    /// ## Why is this bad
    /// A public database snapshot is the whole database, rows and password hashes included,
    /// for anyone with an AWS account to restore. INC-PUBLIC-IMAGES-AND-NOTICES tells of
    /// public AMIs and snapshots found by strangers and reported by AWS; the notices of
    /// INC-AWS-NOTICES warn about resources made public by mistake. RDS snapshots are found
    /// the same way: anyone can list public snapshots with one API call.
    ///
    /// ## How to fix
    /// Remove `all` from the restore attribute: `aws rds modify-db-snapshot-attribute
    /// --region REGION --db-snapshot-identifier ID --attribute-name restore
    /// --values-to-remove all` (for a cluster snapshot, `aws rds
    /// modify-db-cluster-snapshot-attribute --db-cluster-snapshot-identifier ID`). Share
    /// with the accounts that need it by their ids instead, and treat what the snapshot
    /// held (passwords, keys, personal data) as exposed.
    pub struct PublicRdsSnapshot;
    id: "public-rds-snapshot",
    title: "No RDS snapshot is public",
    severity: Critical,
    scope: Region,
    incidents: [PUBLIC_IMAGES, AWS_NOTICES],
    sources: [RdsSnapshots, RdsClusterSnapshots],
}

/// The two kinds of manual snapshot: where they are in the inventory, their API and
/// resource type.
struct Kind {
    list: fn(&crate::inventory::RegionInventory) -> &Collected<Vec<RdsSnapshot>>,
    source: Source,
    attribute_api: &'static str,
    resource_type: &'static str,
    arn_part: &'static str,
    noun: &'static str,
}

const KINDS: [Kind; 2] = [
    Kind {
        list: |r| &r.rds_snapshots,
        source: Source::RdsSnapshots,
        attribute_api: "rds:DescribeDBSnapshotAttributes",
        resource_type: "AWS::RDS::DBSnapshot",
        arn_part: "snapshot",
        noun: "DB snapshot",
    },
    Kind {
        list: |r| &r.rds_cluster_snapshots,
        source: Source::RdsClusterSnapshots,
        attribute_api: "rds:DescribeDBClusterSnapshotAttributes",
        resource_type: "AWS::RDS::DBClusterSnapshot",
        arn_part: "cluster-snapshot",
        noun: "DB cluster snapshot",
    },
];

impl Check for PublicRdsSnapshot {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.per_region(Source::RdsSnapshots, |region, inv| {
            let mut out = Vec::new();
            let mut errors: Vec<crate::inventory::CollectError> = Vec::new();
            let mut looked = 0;
            for kind in &KINDS {
                let list = match (kind.list)(inv).of(kind.source) {
                    Ok(l) => l,
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                };
                looked += list.len();
                for sn in list {
                    match (&sn.restorable_by, &sn.attribute_error) {
                        (Some(who), _) if who.iter().any(|w| w == "all") => {
                            out.push(b.fail(
                                Some(region),
                                Resource::new(
                                    kind.resource_type,
                                    &sn.id,
                                    sn.arn.clone().or_else(|| {
                                        Some(b.arn(
                                            "rds",
                                            region,
                                            &format!("{}:{}", kind.arn_part, sn.id),
                                        ))
                                    }),
                                ),
                                format!(
                                    "{} {} in {region} can be restored by every AWS account",
                                    kind.noun, sn.id
                                ),
                                evidence! {
                                    "restore" => who,
                                    "source" => sn.source,
                                    "engine" => sn.engine,
                                    "create_time" => sn.create_time,
                                    "encrypted" => sn.encrypted,
                                },
                            ));
                        }
                        (Some(_), _) => {}
                        (None, Some(e)) => errors.push(e.clone()),
                        (None, None) => errors.push(crate::inventory::CollectError::new(
                            kind.attribute_api,
                            "NotCollected",
                            format!("the restore attribute of {} was not read", sn.id),
                        )),
                    }
                }
            }
            // One error finding per region (its id is the region's): the first failure,
            // with any other failed API named beside it.
            if let Some((first, rest)) = errors.split_first() {
                let mut f = b.error(Some(region), Resource::region(region), first);
                let mut also: Vec<String> = rest.iter().map(ToString::to_string).collect();
                also.dedup();
                if !also.is_empty() {
                    f.evidence
                        .insert("also_failed".into(), serde_json::json!(also));
                }
                out.push(f);
            }
            if out.is_empty() {
                out.push(b.pass(
                    Some(region),
                    Resource::region(region),
                    format!("No manual RDS snapshot in {region} is public ({looked} read)"),
                    evidence! { "manual_snapshots" => looked },
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

    fn snap(id: &str, restore: Option<&[&str]>) -> RdsSnapshot {
        RdsSnapshot {
            id: id.into(),
            arn: Some(format!("arn:aws:rds:sa-east-1:{ACCOUNT}:snapshot:{id}")),
            source: Some("db-1".into()),
            engine: Some("postgres".into()),
            create_time: Some("2026-11-01T00:00:00Z".into()),
            encrypted: Some(false),
            restorable_by: restore.map(|r| r.iter().map(|s| s.to_string()).collect()),
            attribute_error: None,
        }
    }

    #[test]
    fn public_snapshots_fail_shared_and_private_ones_do_not() {
        let mut acc = account(&["us-east-1", "sa-east-1"]);
        let sa = region(&mut acc, "sa-east-1");
        sa.rds_snapshots = Collected::Ok(vec![
            snap("public-db", Some(&["all"])),
            snap("shared-db", Some(&[OTHER_ACCOUNT])),
            snap("private-db", Some(&[])),
        ]);
        sa.rds_cluster_snapshots =
            Collected::Ok(vec![snap("public-cluster", Some(&[OTHER_ACCOUNT, "all"]))]);
        let f = run(&PublicRdsSnapshot, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("sa-east-1"), "public-cluster"),
                o(Status::Fail, Some("sa-east-1"), "public-db"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        let cluster = f
            .iter()
            .find(|f| f.resource.id == "public-cluster")
            .unwrap();
        assert_eq!(cluster.resource.kind, "AWS::RDS::DBClusterSnapshot");
        assert!(
            cluster.message.contains("DB cluster snapshot"),
            "{}",
            cluster.message
        );
    }

    #[test]
    fn an_unreadable_attribute_or_list_is_an_error_beside_the_fails() {
        let mut acc = account(&["sa-east-1", "us-east-1"]);
        let sa = region(&mut acc, "sa-east-1");
        let mut unread = snap("unread", None);
        unread.attribute_error = Some(denied("rds:DescribeDBSnapshotAttributes"));
        sa.rds_snapshots = Collected::Ok(vec![snap("public-db", Some(&["all"])), unread]);
        let us = region(&mut acc, "us-east-1");
        us.rds_cluster_snapshots = Collected::Error(denied("rds:DescribeDBClusterSnapshots"));
        let f = run(&PublicRdsSnapshot, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("sa-east-1"), "public-db"),
                o(Status::Error, Some("sa-east-1"), "sa-east-1"),
                o(Status::Error, Some("us-east-1"), "us-east-1"),
            ]
        );
        let sa_err = f
            .iter()
            .find(|f| f.status == Status::Error && f.region.as_deref() == Some("sa-east-1"))
            .unwrap();
        assert_eq!(sa_err.evidence["api"], "rds:DescribeDBSnapshotAttributes");
        let us_err = f
            .iter()
            .find(|f| f.region.as_deref() == Some("us-east-1"))
            .unwrap();
        assert_eq!(us_err.evidence["api"], "rds:DescribeDBClusterSnapshots");
    }

    #[test]
    fn both_lists_denied_are_one_error_naming_both() {
        let mut acc = account(&["sa-east-1"]);
        let sa = region(&mut acc, "sa-east-1");
        sa.rds_snapshots = Collected::Error(denied("rds:DescribeDBSnapshots"));
        sa.rds_cluster_snapshots = Collected::Error(denied("rds:DescribeDBClusterSnapshots"));
        let f = run(&PublicRdsSnapshot, &acc);
        assert_eq!(
            outcome(&f),
            vec![o(Status::Error, Some("sa-east-1"), "sa-east-1")]
        );
        assert_eq!(f[0].evidence["api"], "rds:DescribeDBSnapshots");
        assert!(
            f[0].evidence["also_failed"][0]
                .as_str()
                .unwrap()
                .contains("rds:DescribeDBClusterSnapshots"),
            "{:?}",
            f[0].evidence
        );
    }

    #[test]
    fn a_snapshot_whose_attribute_was_never_read_is_not_a_pass() {
        let mut acc = account(&["sa-east-1"]);
        region(&mut acc, "sa-east-1").rds_snapshots = Collected::Ok(vec![snap("mystery", None)]);
        let f = run(&PublicRdsSnapshot, &acc);
        assert_eq!(
            outcome(&f),
            vec![o(Status::Error, Some("sa-east-1"), "sa-east-1")]
        );
        assert_eq!(f[0].evidence["error_code"], "NotCollected");
    }
}
