use crate::check::{Check, Cx, Source};
use crate::checks::block_public_access_per_region;
use crate::finding::Finding;

crate::check! {
    /// Fails when EC2 GetImageBlockPublicAccessState is `unblocked` in a scanned region.
    ///
    /// ## What it does
    /// In every scanned region, reads EC2 GetImageBlockPublicAccessState. Fails when the
    /// state is unblocked; passes on block-new-sharing (no AMI can be made public from now
    /// on; AMIs already public stay public, and public-ami reports them). A state that
    /// could not be read, or one hiyari does not know, is an error.
    ///
    /// ## Why is this bad
    /// INC-PUBLIC-IMAGES-AND-NOTICES: anyone can launch a public AMI in their own account
    /// and read everything on its disks, and AWS sends its 'account compromised' notice for
    /// it. public-ami finds the images that are public today; this setting is what stops
    /// the next one, shared by a build pipeline or a console click, in any region.
    ///
    /// ## How to fix
    /// In every region: `aws ec2 enable-image-block-public-access
    /// --image-block-public-access-state block-new-sharing --region REGION`, or EC2 console
    /// > Settings (Data protection and security) > Block public access for AMIs. In an
    /// organization, a declarative policy can set it for every account.
    pub struct AmiBlockPublicAccess;
    id: "ami-block-public-access",
    title: "Block public access for AMIs is on in every region",
    severity: Medium,
    scope: Region,
    incidents: [PUBLIC_IMAGES],
    sources: [ImageBlockPublicAccess],
}

impl Check for AmiBlockPublicAccess {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        block_public_access_per_region(
            cx,
            Source::ImageBlockPublicAccess,
            |inv| &inv.image_block_public_access,
            "Block public access for AMIs",
            "an AMI",
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
        let mut acc = account(&["us-east-1", "sa-east-1", "ap-south-1"]);
        region(&mut acc, "sa-east-1").image_block_public_access = Collected::Ok("unblocked".into());
        region(&mut acc, "ap-south-1").image_block_public_access =
            Collected::Error(crate::inventory::CollectError::new(
                "ec2:GetImageBlockPublicAccessState",
                "InvalidAction",
                "not supported",
            ));
        let f = run(&AmiBlockPublicAccess, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("sa-east-1"), "sa-east-1"),
                o(Status::Error, Some("ap-south-1"), "ap-south-1"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        assert_errors_named(&f, "ec2:GetImageBlockPublicAccessState", "InvalidAction");
    }
}
