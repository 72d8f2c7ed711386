//! S3 Control: the account-level S3 Block Public Access settings.

use hiyari_checks::inventory::PublicAccessBlock;
use hiyari_checks::CollectError;

use super::Session;

/// The API, in IAM action form (S3 Control's GetPublicAccessBlock is authorised by
/// `s3:GetAccountPublicAccessBlock`).
pub const API: &str = "s3:GetAccountPublicAccessBlock";

/// `None` when the account has never configured them: S3 Control answers
/// NoSuchPublicAccessBlockConfiguration, which is an answer, not an error.
pub async fn account_public_access_block(
    s: &Session,
) -> Result<Option<PublicAccessBlock>, CollectError> {
    let client = s.s3control();
    let got = s
        .limiter
        .call(
            API,
            client
                .get_public_access_block()
                .account_id(&s.identity.account_id)
                .send(),
        )
        .await;
    match got {
        Ok(out) => match out.public_access_block_configuration() {
            Some(c) => Ok(Some(PublicAccessBlock {
                block_public_acls: c.block_public_acls().unwrap_or(false),
                ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                block_public_policy: c.block_public_policy().unwrap_or(false),
                restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
            })),
            None => Err(CollectError::new(
                API,
                "IncompleteAnswer",
                "the answer has no PublicAccessBlockConfiguration",
            )),
        },
        Err(e) if e.code == "NoSuchPublicAccessBlockConfiguration" => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::testing::mock;
    use crate::collect::testing::{mock_session, ok_xml, xml_error};

    async fn with(
        resp: fn() -> aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    ) -> Result<Option<PublicAccessBlock>, CollectError> {
        let rule = mock!(aws_sdk_s3control::Client::get_public_access_block)
            .match_requests(|r| r.account_id() == Some("123456789012"))
            .then_http_response(resp);
        let (s, seen) = mock_session(&[&rule], "ap-northeast-1");
        let got = account_public_access_block(&s).await;
        assert_eq!(rule.num_calls(), 1);
        // Account-wide: S3 Control in the partition's global region.
        assert_eq!(
            seen.hosts(),
            ["123456789012.s3-control.us-east-1.amazonaws.com"]
        );
        got
    }

    #[tokio::test]
    async fn reads_the_four_settings() {
        // The configuration is the answer's payload: the body's root element.
        let got = with(|| {
            ok_xml(
                r#"<?xml version="1.0" encoding="UTF-8"?>
<PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>false</RestrictPublicBuckets></PublicAccessBlockConfiguration>"#,
            )
        })
        .await
        .unwrap()
        .unwrap();
        assert!(got.block_public_acls && got.ignore_public_acls && got.block_public_policy);
        assert!(!got.restrict_public_buckets);
    }

    #[tokio::test]
    async fn never_configured_is_none_and_denied_is_an_error() {
        let got = with(|| {
            xml_error(
                404,
                "NoSuchPublicAccessBlockConfiguration",
                "The public access block configuration was not found",
                false,
            )
        })
        .await;
        assert_eq!(got, Ok(None));
        let e = with(|| xml_error(403, "AccessDenied", "Access Denied", false))
            .await
            .unwrap_err();
        assert_eq!((e.api.as_str(), e.code.as_str()), (API, "AccessDenied"));
    }
}
