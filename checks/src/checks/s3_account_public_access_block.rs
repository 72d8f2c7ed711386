use crate::check::{Check, Cx, Source};
use crate::evidence;
use crate::finding::Finding;

crate::check! {
    /// Fails when S3 Control GetPublicAccessBlock for the account has any of the four
    /// settings off, or none is configured (`NoSuchPublicAccessBlockConfiguration`).
    ///
    /// ## What it does
    /// Reads the account's S3 Block Public Access settings with S3 Control
    /// GetPublicAccessBlock (IAM action s3:GetAccountPublicAccessBlock). Passes when all
    /// four are on: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and
    /// RestrictPublicBuckets. Fails when any is off, or when the account has never
    /// configured them (the API answers NoSuchPublicAccessBlockConfiguration). Bucket-level
    /// settings are not read: the account-level block is the one that also covers buckets
    /// created tomorrow.
    ///
    /// ## Why is this bad
    /// Among the AWS notices nobody reads (INC-AWS-NOTICES) are 'Notification of Amazon S3
    /// buckets configured for public access' and 'Securing Amazon S3 Buckets'. The same
    /// talks list deleted and leaked S3 data among the results of a compromise. With the
    /// four account-level settings on, no bucket of the account can be made public through
    /// an ACL or a bucket policy, whoever writes it.
    ///
    /// ## How to fix
    /// S3 console > Block Public Access settings for this account > Edit > turn on all
    /// four, or `aws s3control put-public-access-block --account-id ACCOUNT
    /// --public-access-block-configuration
    /// BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true`.
    /// A bucket that must serve the public (a website) is better served through CloudFront
    /// with origin access control than made public.
    pub struct S3AccountPublicAccessBlock;
    id: "s3-account-public-access-block",
    title: "S3 Block Public Access is on for the whole account",
    severity: High,
    scope: Account,
    incidents: [AWS_NOTICES],
    sources: [AccountPublicAccessBlock],
}

const API: &str = Source::AccountPublicAccessBlock.api();

impl Check for S3AccountPublicAccessBlock {
    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let b = &cx.b;
        cx.account_wide(|account| {
            let resource = b.account_resource();
            let pab = account.s3.account_public_access_block.get(API)?;
            let Some(p) = pab else {
                return Ok(vec![b.fail(
                    None,
                    resource,
                    format!(
                        "Account {} has no S3 Block Public Access configuration: any bucket can be made public",
                        b.account()
                    ),
                    evidence! { "configured" => false },
                )]);
            };
            let settings = [
                ("BlockPublicAcls", p.block_public_acls),
                ("IgnorePublicAcls", p.ignore_public_acls),
                ("BlockPublicPolicy", p.block_public_policy),
                ("RestrictPublicBuckets", p.restrict_public_buckets),
            ];
            let off: Vec<&str> = settings
                .iter()
                .filter(|(_, on)| !on)
                .map(|(n, _)| *n)
                .collect();
            let ev = evidence! {
                "configured" => true,
                "block_public_acls" => p.block_public_acls,
                "ignore_public_acls" => p.ignore_public_acls,
                "block_public_policy" => p.block_public_policy,
                "restrict_public_buckets" => p.restrict_public_buckets,
            };
            Ok(if off.is_empty() {
                vec![b.pass(
                    None,
                    resource,
                    format!(
                        "All four S3 Block Public Access settings are on for account {}",
                        b.account()
                    ),
                    ev,
                )]
            } else {
                vec![b.fail(
                    None,
                    resource,
                    format!(
                        "S3 Block Public Access for account {} has {} off",
                        b.account(),
                        off.join(", ")
                    ),
                    ev,
                )]
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{Collected, PublicAccessBlock};

    fn with(p: Collected<Option<PublicAccessBlock>>) -> Vec<Finding> {
        let mut acc = account(&["us-east-1"]);
        acc.s3.account_public_access_block = p;
        run(&S3AccountPublicAccessBlock, &acc)
    }

    fn all(on: bool) -> PublicAccessBlock {
        PublicAccessBlock {
            block_public_acls: on,
            ignore_public_acls: on,
            block_public_policy: on,
            restrict_public_buckets: on,
        }
    }

    #[test]
    fn all_four_on_passes() {
        let f = with(Collected::Ok(Some(all(true))));
        assert_eq!(outcome(&f), vec![o(Status::Pass, None, ACCOUNT)]);
    }

    #[test]
    fn one_off_or_none_configured_fails() {
        let mut p = all(true);
        p.restrict_public_buckets = false;
        let f = with(Collected::Ok(Some(p)));
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, ACCOUNT)]);
        assert!(
            f[0].message.contains("RestrictPublicBuckets off"),
            "{}",
            f[0].message
        );
        let f = with(Collected::Ok(None));
        assert_eq!(outcome(&f), vec![o(Status::Fail, None, ACCOUNT)]);
        assert_eq!(f[0].evidence["configured"], false);
    }

    #[test]
    fn unreadable_is_an_error() {
        let f = with(Collected::Error(denied(API)));
        assert_eq!(outcome(&f), vec![o(Status::Error, None, ACCOUNT)]);
        assert_errors_named(&f, API, "AccessDenied");
        let f = with(Collected::NotCollected);
        assert_errors_named(&f, API, "NotCollected");
    }
}
