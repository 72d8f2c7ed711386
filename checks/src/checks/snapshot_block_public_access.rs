use crate::check::{Check, Cx, Source};
use crate::checks::block_public_access_per_region;
use crate::finding::Finding;

crate::check! {
    /// Fails when EC2 GetSnapshotBlockPublicAccessState is `unblocked` in a scanned region.
    ///
    /// ## What it does
    /// In every scanned region, reads EC2 GetSnapshotBlockPublicAccessState. Fails when the
    /// state is unblocked; passes on block-all-sharing (no snapshot of the region can be
    /// public) and block-new-sharing (snapshots already public stay public, and
    /// public-snapshot reports them). A state that could not be read, or one hiyari does
    /// not know, is an error.
    ///
    /// ## Why is this bad
    /// INC-PUBLIC-IMAGES-AND-NOTICES: a public EBS snapshot lets any AWS account create a
    /// volume from it and read the whole disk, and AWS sends its 'account compromised'
    /// notice for it. public-snapshot finds the snapshots that are public today; this
    /// setting is what stops the next one, made public by a script or a console click, in a
    /// region nobody looks at.
    ///
    /// ## How to fix
    /// In every region: `aws ec2 enable-snapshot-block-public-access --state
    /// block-all-sharing --region REGION` (or block-new-sharing while public snapshots are
    /// being reviewed), or EC2 console > Settings (Data protection and security) > Block
    /// public access for EBS snapshots. In an organization, a declarative policy can set it
    /// for every account.
    pub struct SnapshotBlockPublicAccess;
    id: "snapshot-block-public-access",
    title: "EBS snapshot block public access is on in every region",
    severity: Medium,
    scope: Region,
    incidents: [PUBLIC_IMAGES],
    sources: [SnapshotBlockPublicAccess],
}

impl Check for SnapshotBlockPublicAccess {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        block_public_access_per_region(
            cx,
            Source::SnapshotBlockPublicAccess,
            |inv| &inv.snapshot_block_public_access,
            "EBS snapshot block public access",
            "a snapshot",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::Collected;

    #[test]
    fn unblocked_fails_blocked_passes_unread_is_an_error() {
        let mut acc = account(&["us-east-1", "sa-east-1", "eu-west-1", "ap-south-1"]);
        region(&mut acc, "sa-east-1").snapshot_block_public_access =
            Collected::Ok("unblocked".into());
        region(&mut acc, "eu-west-1").snapshot_block_public_access =
            Collected::Ok("block-new-sharing".into());
        region(&mut acc, "ap-south-1").snapshot_block_public_access =
            Collected::Error(denied("ec2:GetSnapshotBlockPublicAccessState"));
        let f = run(&SnapshotBlockPublicAccess, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("sa-east-1"), "sa-east-1"),
                o(Status::Error, Some("ap-south-1"), "ap-south-1"),
                o(Status::Pass, Some("eu-west-1"), "eu-west-1"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        assert_errors_named(&f, "ec2:GetSnapshotBlockPublicAccessState", "AccessDenied");
        let fail = f.iter().find(|f| f.status == Status::Fail).unwrap();
        assert_eq!(fail.evidence["state"], "unblocked");
    }

    /// A state AWS may add later is not taken for a block: an error naming it.
    #[test]
    fn a_state_hiyari_does_not_know_is_an_error_never_a_pass() {
        let mut acc = account(&["us-east-1"]);
        region(&mut acc, "us-east-1").snapshot_block_public_access =
            Collected::Ok("block-some-sharing".into());
        let f = run(&SnapshotBlockPublicAccess, &acc);
        assert_eq!(
            outcome(&f),
            vec![o(Status::Error, Some("us-east-1"), "us-east-1")]
        );
        assert_errors_named(&f, "ec2:GetSnapshotBlockPublicAccessState", "UnknownState");
        assert!(
            f[0].message.contains("`block-some-sharing`"),
            "{}",
            f[0].message
        );
    }
}
