//! Test support for the collectors: a [`Session`] whose clients answer from
//! aws-smithy-mocks rules (HTTP responses shaped like each service's), for the APIs an
//! emulator does not serve.

use std::sync::{Arc, Mutex};

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use hiyari_checks::inventory::{Identity, Regions};

use super::session::RequestCounter;
use super::{Limiter, Session};

/// The hosts the mocked requests were sent to, in order.
#[derive(Debug, Clone, Default)]
pub struct Seen(Arc<Mutex<Vec<String>>>);

impl Seen {
    pub fn hosts(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// The region of each request, from its host (`service.REGION.amazonaws.com`).
    pub fn regions(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|h| h.split('.').nth(1).unwrap_or_default().to_string())
            .collect()
    }
}

impl Intercept for Seen {
    fn name(&self) -> &'static str {
        "hiyari::testing::Seen"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let uri = context.request().uri();
        let host = uri
            .split_once("://")
            .map_or(uri, |(_, r)| r)
            .split('/')
            .next()
            .unwrap_or_default();
        self.0.lock().unwrap().push(host.to_string());
        Ok(())
    }
}

/// A session on account 123456789012 whose every client answers from `rules`; one
/// attempt per call (no retries).
pub fn mock_session(mode: RuleMode, rules: &[&Rule], home: &str) -> (Session, Seen) {
    let mut mocks = MockResponseInterceptor::new().rule_mode(mode);
    for r in rules {
        mocks = mocks.with_rule(r);
    }
    let sdk = aws_config::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(home.to_string()))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                "AKIDTEST", "secret", None, None, "test",
            )),
        )
        .http_client(aws_smithy_mocks::create_mock_http_client())
        .retry_config(RetryConfig::standard().with_max_attempts(1))
        .build();
    let seen = Seen::default();
    let mut session = session_on(sdk, home);
    session.extra_interceptors = vec![
        SharedInterceptor::new(mocks),
        SharedInterceptor::new(seen.clone()),
    ];
    (session, seen)
}

/// A session on account 123456789012 with this SDK configuration.
pub fn session_on(sdk: aws_config::SdkConfig, home: &str) -> Session {
    Session {
        sdk,
        identity: Identity {
            account_id: "123456789012".into(),
            partition: "aws".into(),
            principal_arn: "arn:aws:iam::123456789012:user/auditor".into(),
        },
        home_region: Some(home.to_string()),
        regions: Regions {
            scanned: vec![home.to_string()],
            skipped: vec![],
        },
        limiter: Limiter::new(8),
        requests: RequestCounter::default(),
        extra_interceptors: vec![],
    }
}

fn response(status: u16, body: &str, headers: &[(&str, &str)]) -> HttpResponse {
    let mut r = HttpResponse::new(
        StatusCode::try_from(status).unwrap(),
        SdkBody::from(body.to_string()),
    );
    for (k, v) in headers {
        r.headers_mut().insert(k.to_string(), v.to_string());
    }
    r
}

/// A 200 answer of a JSON protocol (REST JSON, AWS JSON 1.1).
pub fn ok_json(body: &str) -> HttpResponse {
    response(200, body, &[("content-type", "application/json")])
}

/// An error of a JSON protocol, as AWS sends it: the code in `x-amzn-ErrorType` and in
/// the body's `__type`.
pub fn json_error(status: u16, code: &str, message: &str) -> HttpResponse {
    let body = serde_json::json!({"__type": code, "message": message}).to_string();
    response(
        status,
        &body,
        &[
            ("content-type", "application/json"),
            ("x-amzn-errortype", code),
        ],
    )
}

/// A 200 answer of an XML protocol (EC2 query, REST XML).
pub fn ok_xml(body: &str) -> HttpResponse {
    response(200, body, &[("content-type", "text/xml;charset=UTF-8")])
}

/// An error of an XML protocol in `shape`: EC2's `<Response><Errors><Error>` or S3
/// Control's `<ErrorResponse><Error>`.
pub fn xml_error(status: u16, code: &str, message: &str, ec2: bool) -> HttpResponse {
    let body = if ec2 {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>5f1b7d0e-0000-4000-8000-000000000000</RequestID></Response>"
        )
    } else {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Error><Code>{code}</Code><Message>{message}</Message></Error><RequestId>5f1b7d0e</RequestId><HostId>host</HostId></ErrorResponse>"
        )
    };
    response(status, &body, &[("content-type", "application/xml")])
}
