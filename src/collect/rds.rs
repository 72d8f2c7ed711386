//! RDS: the manual DB snapshots and DB cluster snapshots the account owns, each with the
//! accounts its `restore` attribute names (RDS cannot filter snapshots on it).

use aws_sdk_rds::Client as Rds;
use futures::future::join_all;
use hiyari_checks::inventory::RdsSnapshot;
use hiyari_checks::CollectError;

use super::{pages, ts, Session};

/// RDS's page size limit (the default is 100).
const PAGE: i32 = 100;

pub async fn db_snapshots(s: &Session, rds: &Rds) -> Result<Vec<RdsSnapshot>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "rds:DescribeDBSnapshots",
        |marker| {
            rds.describe_db_snapshots()
                .snapshot_type("manual")
                .max_records(PAGE)
                .set_marker(marker)
                .send()
        },
        |out| {
            v.extend(out.db_snapshots().iter().map(|sn| RdsSnapshot {
                id: sn.db_snapshot_identifier().unwrap_or_default().to_string(),
                arn: sn.db_snapshot_arn().map(str::to_string),
                source: sn.db_instance_identifier().map(str::to_string),
                engine: sn.engine().map(str::to_string),
                create_time: ts(sn.snapshot_create_time()),
                encrypted: sn.encrypted(),
                restorable_by: None,
                attribute_error: None,
            }));
            out.marker().map(str::to_string)
        },
    )
    .await?;
    // One call per manual snapshot, each under the scan's bound on calls in flight.
    join_all(v.iter_mut().map(|sn| async move {
        let got = s
            .limiter
            .call(
                "rds:DescribeDBSnapshotAttributes",
                rds.describe_db_snapshot_attributes()
                    .db_snapshot_identifier(&sn.id)
                    .send(),
            )
            .await;
        match got {
            Ok(out) => {
                sn.restorable_by = Some(restore_values(
                    out.db_snapshot_attributes_result()
                        .map(|r| r.db_snapshot_attributes())
                        .unwrap_or_default()
                        .iter()
                        .map(|a| (a.attribute_name(), a.attribute_values())),
                ))
            }
            Err(e) => sn.attribute_error = Some(e),
        }
    }))
    .await;
    Ok(v)
}

pub async fn cluster_snapshots(s: &Session, rds: &Rds) -> Result<Vec<RdsSnapshot>, CollectError> {
    let mut v = Vec::new();
    pages(
        &s.limiter,
        "rds:DescribeDBClusterSnapshots",
        |marker| {
            rds.describe_db_cluster_snapshots()
                .snapshot_type("manual")
                .max_records(PAGE)
                .set_marker(marker)
                .send()
        },
        |out| {
            v.extend(out.db_cluster_snapshots().iter().map(|sn| {
                RdsSnapshot {
                    id: sn
                        .db_cluster_snapshot_identifier()
                        .unwrap_or_default()
                        .to_string(),
                    arn: sn.db_cluster_snapshot_arn().map(str::to_string),
                    source: sn.db_cluster_identifier().map(str::to_string),
                    engine: sn.engine().map(str::to_string),
                    create_time: ts(sn.snapshot_create_time()),
                    encrypted: sn.storage_encrypted(),
                    restorable_by: None,
                    attribute_error: None,
                }
            }));
            out.marker().map(str::to_string)
        },
    )
    .await?;
    join_all(v.iter_mut().map(|sn| async move {
        let got = s
            .limiter
            .call(
                "rds:DescribeDBClusterSnapshotAttributes",
                rds.describe_db_cluster_snapshot_attributes()
                    .db_cluster_snapshot_identifier(&sn.id)
                    .send(),
            )
            .await;
        match got {
            Ok(out) => {
                sn.restorable_by = Some(restore_values(
                    out.db_cluster_snapshot_attributes_result()
                        .map(|r| r.db_cluster_snapshot_attributes())
                        .unwrap_or_default()
                        .iter()
                        .map(|a| (a.attribute_name(), a.attribute_values())),
                ))
            }
            Err(e) => sn.attribute_error = Some(e),
        }
    }))
    .await;
    Ok(v)
}

/// The values of the `restore` attribute: account ids, or `all`.
fn restore_values<'a>(attrs: impl Iterator<Item = (Option<&'a str>, &'a [String])>) -> Vec<String> {
    attrs
        .filter(|(name, _)| *name == Some("restore"))
        .flat_map(|(_, values)| values.iter().cloned())
        .collect()
}
