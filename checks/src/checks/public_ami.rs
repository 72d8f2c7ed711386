use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::{Finding, Resource};

crate::check! {
    /// Fails when an AMI the account owns is public.
    ///
    /// ## What it does
    /// In every scanned region, one DescribeImages call with Owners=self (paged). Fails for
    /// each image owned by the account whose Public attribute is true. Images shared with
    /// specific accounts are not public and pass.
    ///
    /// ## Why is this bad
    /// A public AMI can be launched by any AWS account, which then reads every file on its
    /// disks: keys, configuration, customer data. INC-PUBLIC-IMAGES-AND-NOTICES: AWS sends
    /// its 'account compromised' notice when it finds one, and the same article lists data
    /// leaks among past cases.
    ///
    /// ## How to fix
    /// Make the image private: EC2 console > AMIs > the image > Edit AMI permissions >
    /// Private, or `aws ec2 modify-image-attribute --region REGION --image-id AMI
    /// --launch-permission 'Remove=[{Group=all}]'`. Then turn on block public access for
    /// AMIs in every region: `aws ec2 enable-image-block-public-access
    /// --image-block-public-access-state block-new-sharing --region REGION`. Assume what
    /// was on the image is exposed: rotate any secrets it held.
    pub struct PublicAmi;
    id: "public-ami",
    title: "No AMI the account owns is public",
    severity: Critical,
    scope: Region,
    incidents: [PUBLIC_IMAGES],
    sources: [Images],
}

impl Check for PublicAmi {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        let me = b.account();
        cx.per_region(Source::Images, |region, inv| {
            let images = inv.images.of(Source::Images)?;
            let owned: Vec<_> = images
                .iter()
                .filter(|i| i.owner_id.as_deref().is_none_or(|o| o == me))
                .collect();
            let mut out: Vec<Finding> = owned
                .iter()
                .filter(|i| i.public)
                .map(|i| {
                    let arn = format!("arn:{}:ec2:{region}::image/{}", b.partition(), i.id);
                    b.fail(
                        Some(region),
                        Resource::new("AWS::EC2::Image", &i.id, Some(arn)),
                        format!(
                            "AMI {} in {region} can be launched by any AWS account",
                            i.id
                        ),
                        evidence! { "name" => i.name, "creation_date" => i.creation_date },
                    )
                })
                .collect();
            if out.is_empty() {
                out.push(b.pass(
                    Some(region),
                    Resource::region(region),
                    format!(
                        "None of the {} AMIs owned in {region} is public",
                        owned.len()
                    ),
                    evidence! { "owned_images" => owned.len() },
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
    use crate::inventory::{Collected, Image};

    fn img(id: &str, owner: &str, public: bool) -> Image {
        Image {
            id: id.into(),
            name: Some(format!("{id}-name")),
            owner_id: Some(owner.into()),
            public,
            creation_date: None,
        }
    }

    #[test]
    fn public_fails_private_and_shared_pass_errors_reported() {
        let mut acc = account(&["us-east-1", "sa-east-1", "eu-west-1"]);
        region(&mut acc, "sa-east-1").images = Collected::Ok(vec![
            img("ami-public", ACCOUNT, true),
            // Shared with one named account: Public stays false.
            img("ami-shared", ACCOUNT, false),
            // Another owner's image in the response is not ours to report.
            img("ami-theirs", OTHER_ACCOUNT, true),
        ]);
        region(&mut acc, "us-east-1").images =
            Collected::Ok(vec![img("ami-private", ACCOUNT, false)]);
        region(&mut acc, "eu-west-1").images = Collected::Error(denied("ec2:DescribeImages"));
        let f = run(&PublicAmi, &acc);
        assert_eq!(
            outcome(&f),
            vec![
                o(Status::Fail, Some("sa-east-1"), "ami-public"),
                o(Status::Error, Some("eu-west-1"), "eu-west-1"),
                o(Status::Pass, Some("us-east-1"), "us-east-1"),
            ]
        );
        let fail = f.iter().find(|f| f.status == Status::Fail).unwrap();
        assert_eq!(
            fail.resource.arn.as_deref(),
            Some("arn:aws:ec2:sa-east-1::image/ami-public")
        );
        assert_errors_named(&f, "ec2:DescribeImages", "AccessDenied");
    }
}
