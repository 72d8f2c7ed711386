use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};

crate::check! {
    /// Fails when an EBS snapshot the account owns is restorable by anyone.
    ///
    /// ## What it does
    /// In every scanned region, one DescribeSnapshots call (paged) with OwnerIds=self and
    /// RestorableByUserIds=all, which returns only snapshots any account can restore. Each
    /// one whose OwnerId is the audited account is confirmed with DescribeSnapshotAttribute
    /// (createVolumePermission includes group all) and fails; when the attribute cannot be
    /// read, the listing alone decides and the snapshot fails. A snapshot shared with
    /// specific accounts is not public.
    ///
    /// ## Why is this bad
    /// Any AWS account can create a volume from a public snapshot and read the whole disk.
    /// INC-PUBLIC-IMAGES-AND-NOTICES: AWS sends its 'account compromised' notice for public
    /// snapshots, and lists personal-data leaks among past cases.
    ///
    /// ## How to fix
    /// Make it private: EC2 console > Snapshots > the snapshot > Modify permissions >
    /// Private, or `aws ec2 modify-snapshot-attribute --region REGION --snapshot-id SNAP
    /// --attribute createVolumePermission --operation-type remove --group-names all`. Then
    /// block it for good in every region: `aws ec2 enable-snapshot-block-public-access
    /// --state block-all-sharing --region REGION`. Treat the data on it as exposed.
    pub struct PublicSnapshot;
    id: "public-snapshot",
    title: "No EBS snapshot the account owns is public",
    severity: Critical,
    scope: Region,
    incidents: [PUBLIC_IMAGES],
    sources: [PublicSnapshots],
}

/// Owned by the audited account. The call asked for `OwnerIds=self`, so a snapshot
/// whose owner is not stated is taken as ours: a doubt never becomes a pass.
fn is_ours(s: &crate::inventory::Snapshot, me: &str) -> bool {
    s.owner_id.as_deref().is_none_or(|o| o == me)
}

/// Public unless its permission attribute was read and does not grant `all`.
fn is_public(s: &crate::inventory::Snapshot) -> bool {
    s.create_volume_permission_all != Some(false)
}

impl Check for PublicSnapshot {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        let me = b.account();
        cx.per_region(Source::PublicSnapshots, |region, inv| {
            let snaps = inv.public_snapshots.of(Source::PublicSnapshots)?;
            let mut out: Vec<Finding> = snaps
                .iter()
                .filter(|s| is_ours(s, me) && is_public(s))
                .map(|s| {
                    let arn = b.arn("ec2", region, &format!("snapshot/{}", s.id));
                    b.fail(
                        Some(region),
                        Resource::new("AWS::EC2::Snapshot", &s.id, Some(arn)),
                        format!("Snapshot {} in {region} can be restored by any AWS account", s.id),
                        evidence! {
                            "volume_id" => s.volume_id,
                            "volume_size_gib" => s.volume_size_gib,
                            "description" => s.description,
                            "start_time" => s.start_time,
                            "encrypted" => s.encrypted,
                            "create_volume_permission_all" => s.create_volume_permission_all,
                            "permission_error" => s.permission_error.as_ref().map(|e| e.to_string()),
                        },
                    )
                })
                .collect();
            if out.is_empty() {
                out.push(b.pass(
                    Some(region),
                    Resource::region(region),
                    format!("No snapshot owned in {region} is restorable by everyone"),
                    evidence! {
                        "public_snapshots_of_other_owners_ignored" =>
                            snaps.iter().filter(|s| !is_ours(s, me)).count(),
                    },
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
    use crate::inventory::{Collected, Snapshot};

    fn snap(id: &str, owner: &str) -> Snapshot {
        Snapshot {
            id: id.into(),
            owner_id: Some(owner.into()),
            volume_id: Some("vol-1".into()),
            volume_size_gib: Some(8),
            description: None,
            start_time: None,
            encrypted: Some(false),
            create_volume_permission_all: Some(true),
            permission_error: None,
        }
    }

    #[test]
    fn the_permission_attribute_confirms_or_clears_a_listed_snapshot() {
        let mut acc = account(&["us-east-1"]);
        let mut shared = snap("snap-shared-one-account", ACCOUNT);
        shared.create_volume_permission_all = Some(false);
        let mut unread = snap("snap-unread", ACCOUNT);
        unread.create_volume_permission_all = None;
        unread.permission_error = Some(denied("ec2:DescribeSnapshotAttribute"));
        region(&mut acc, "us-east-1").public_snapshots =
            Collected::Ok(vec![shared, unread, snap("snap-public", ACCOUNT)]);
        let f = run(&PublicSnapshot, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("us-east-1"), "snap-public"),
                o(Status::Fail, Some("us-east-1"), "snap-unread"),
            ]
        );
        let unread = f.iter().find(|f| f.resource.id == "snap-unread").unwrap();
        assert!(unread.evidence["permission_error"]
            .as_str()
            .unwrap()
            .contains("AccessDenied"));
    }

    #[test]
    fn own_public_snapshot_fails_others_ignored() {
        let mut acc = account(&["us-east-1", "sa-east-1", "ap-northeast-1"]);
        region(&mut acc, "sa-east-1").public_snapshots = Collected::Ok(vec![
            snap("snap-mine", ACCOUNT),
            snap("snap-amazon", "801119661308"),
        ]);
        region(&mut acc, "us-east-1").public_snapshots =
            Collected::Ok(vec![snap("snap-other", OTHER_ACCOUNT)]);
        region(&mut acc, "ap-northeast-1").public_snapshots =
            Collected::Error(crate::inventory::CollectError::new(
                "ec2:DescribeSnapshots",
                "RequestLimitExceeded",
                "Request limit exceeded.",
            ));
        let f = run(&PublicSnapshot, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("sa-east-1"), "snap-mine"),
                o(Status::Error, Some("ap-northeast-1"), "ap-northeast-1"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        assert_errors_named(&f, "ec2:DescribeSnapshots", "RequestLimitExceeded");
        // Throttling is not a permission problem: no advice to grant an action.
        let e = f.iter().find(|f| f.status == Status::Error).unwrap();
        assert!(!e.message.contains("grant"));
    }

    #[test]
    fn snapshot_without_owner_is_taken_as_ours() {
        let mut acc = account(&["us-east-1"]);
        let mut s = snap("snap-x", ACCOUNT);
        s.owner_id = None;
        region(&mut acc, "us-east-1").public_snapshots = Collected::Ok(vec![s]);
        assert_eq!(
            outcome(&run(&PublicSnapshot, &acc)),
            vec![o(Status::Fail, Some("us-east-1"), "snap-x")]
        );
    }
}
