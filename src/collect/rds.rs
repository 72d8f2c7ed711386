//! RDS: the manual DB snapshots and DB cluster snapshots the account owns, each with the
//! accounts its `restore` attribute names (RDS cannot filter snapshots on it).

use aws_sdk_rds::Client as Rds;
use futures::future::join_all;
use hiyari_checks::inventory::RdsSnapshot;
use hiyari_checks::CollectError;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::{ids_present, pages, ts, Session};

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
    ids_present("rds:DescribeDBSnapshots", &v, |x| &x.id)?;
    restore_attributes(
        s,
        "rds:DescribeDBSnapshotAttributes",
        &mut v,
        |id| async move {
            let out = rds
                .describe_db_snapshot_attributes()
                .db_snapshot_identifier(id)
                .send()
                .await?;
            Ok(restore_values(
                out.db_snapshot_attributes_result()
                    .map(|r| r.db_snapshot_attributes())
                    .unwrap_or_default()
                    .iter()
                    .map(|a| (a.attribute_name(), a.attribute_values())),
            ))
        },
    )
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
    ids_present("rds:DescribeDBClusterSnapshots", &v, |x| &x.id)?;
    restore_attributes(
        s,
        "rds:DescribeDBClusterSnapshotAttributes",
        &mut v,
        |id| async move {
            let out = rds
                .describe_db_cluster_snapshot_attributes()
                .db_cluster_snapshot_identifier(id)
                .send()
                .await?;
            Ok(restore_values(
                out.db_cluster_snapshot_attributes_result()
                    .map(|r| r.db_cluster_snapshot_attributes())
                    .unwrap_or_default()
                    .iter()
                    .map(|a| (a.attribute_name(), a.attribute_values())),
            ))
        },
    )
    .await;
    Ok(v)
}

/// Reads each snapshot's `restore` attribute with `get` (one call per manual snapshot,
/// each under the scan's bound on calls in flight); a call that fails leaves its error
/// on the snapshot.
async fn restore_attributes<F, Fut, E>(
    s: &Session,
    api: &str,
    snapshots: &mut [RdsSnapshot],
    get: F,
) where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<String>, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let get = &get;
    join_all(snapshots.iter_mut().map(|sn| async move {
        match s.limiter.call(api, get(sn.id.clone())).await {
            Ok(who) => sn.restorable_by = Some(who),
            Err(e) => sn.attribute_error = Some(e),
        }
    }))
    .await;
}

/// The values of the `restore` attribute: account ids, or `all`.
fn restore_values<'a>(attrs: impl Iterator<Item = (Option<&'a str>, &'a [String])>) -> Vec<String> {
    attrs
        .filter(|(name, _)| *name == Some("restore"))
        .flat_map(|(_, values)| values.iter().cloned())
        .collect()
}
