//! Test support for the collectors: a [`Session`] whose clients answer from rules
//! (HTTP responses shaped like each service's, matched on the typed request), for the
//! APIs an emulator does not serve.
//!
//! The rules are a small stand-in for the `aws-smithy-mocks` crate, written here because
//! that crate enables test-only features of the SDK's HTTP client: a dev-dependency on it
//! changes the feature set every AWS SDK crate is built with, so `cargo test` after
//! `cargo build` compiled the whole SDK a second time.

use std::sync::{Arc, Mutex};

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_credential_types::Credentials;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextMut,
    BeforeTransmitInterceptorContextRef, FinalizerInterceptorContextMut, Input, Output,
};
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
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
pub fn mock_session(rules: &[&Rule], home: &str) -> (Session, Seen) {
    let mocks = Mocks(rules.iter().map(|r| (*r).clone()).collect());
    let sdk = aws_config::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(home.to_string()))
        .credentials_provider(
            aws_credential_types::provider::SharedCredentialsProvider::new(Credentials::new(
                "AKIDTEST", "secret", None, None, "test",
            )),
        )
        .http_client(SharedHttpClient::new(MockHttp))
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

/// A response a rule gives: an HTTP response for the SDK to parse, or a modeled output
/// (for CloudWatch's CBOR protocol, whose bodies are not written by hand here).
pub enum MockResponse {
    Http(HttpResponse),
    Output(Output),
}

type Matcher = Arc<dyn Fn(&Input) -> bool + Send + Sync>;
type Respond = Arc<dyn Fn(&Input) -> MockResponse + Send + Sync>;

/// Rules for one operation, matched on its typed input. Made by [`mock!`].
#[derive(Clone)]
pub struct Rule {
    matcher: Matcher,
    /// The responses in order; the last one repeats.
    responses: Arc<Vec<Respond>>,
    calls: Arc<std::sync::atomic::AtomicUsize>,
}

impl Rule {
    /// How many requests this rule answered.
    pub fn num_calls(&self) -> usize {
        self.calls.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn respond(&self, input: &Input) -> MockResponse {
        let n = self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let i = n.min(self.responses.len() - 1);
        (self.responses[i])(input)
    }
}

/// Builds a [`Rule`] for the operation whose input is `I` and output `O`.
pub struct RuleBuilder<I, O> {
    matcher: Matcher,
    responses: Vec<Respond>,
    _ty: std::marker::PhantomData<fn(I) -> O>,
}

impl<I: Send + Sync + std::fmt::Debug + 'static, O: Send + Sync + std::fmt::Debug + 'static>
    RuleBuilder<I, O>
{
    /// The two closures are never called: they only carry the operation's types.
    pub fn new_from_mock<F, E, R>(_input: impl Fn() -> I, _output: impl Fn() -> F) -> Self
    where
        F: std::future::Future<Output = Result<O, SdkError<E, R>>>,
    {
        Self {
            matcher: Arc::new(|i: &Input| i.downcast_ref::<I>().is_some()),
            responses: vec![],
            _ty: std::marker::PhantomData,
        }
    }

    /// Only requests for which `f` holds.
    pub fn match_requests(mut self, f: impl Fn(&I) -> bool + Send + Sync + 'static) -> Self {
        self.matcher = Arc::new(move |i: &Input| i.downcast_ref::<I>().is_some_and(&f));
        self
    }

    /// Responses in order (build with [`RuleBuilder::http_response`] and `build`).
    pub fn sequence(self) -> Self {
        self
    }

    pub fn http_response(mut self, f: impl Fn() -> HttpResponse + Send + Sync + 'static) -> Self {
        self.responses
            .push(Arc::new(move |_: &Input| MockResponse::Http(f())));
        self
    }

    pub fn build(self) -> Rule {
        assert!(!self.responses.is_empty(), "a rule needs a response");
        Rule {
            matcher: self.matcher,
            responses: Arc::new(self.responses),
            calls: Default::default(),
        }
    }

    /// Every matching request gets this HTTP response.
    pub fn then_http_response(self, f: impl Fn() -> HttpResponse + Send + Sync + 'static) -> Rule {
        self.http_response(f).build()
    }

    /// Every matching request gets the HTTP response `f` computes from it.
    pub fn then_compute_http_response(
        mut self,
        f: impl Fn(&I) -> HttpResponse + Send + Sync + 'static,
    ) -> Rule {
        self.responses.push(Arc::new(move |i: &Input| {
            MockResponse::Http(f(i.downcast_ref::<I>().expect("matched on this type")))
        }));
        self.build()
    }

    /// Every matching request gets this modeled output.
    pub fn then_output(mut self, f: impl Fn() -> O + Send + Sync + 'static) -> Rule {
        self.responses.push(Arc::new(move |_: &Input| {
            MockResponse::Output(Output::erase(f()))
        }));
        self.build()
    }
}

/// `mock!(aws_sdk_x::Client::operation)`: a [`RuleBuilder`] for that operation.
macro_rules! mock {
    ($operation:expr) => {
        #[allow(unreachable_code)]
        {
            $crate::collect::testing::RuleBuilder::new_from_mock(
                || $operation(todo!()).as_input().clone().build().unwrap(),
                || $operation(todo!()).send(),
            )
        }
    };
}
pub(crate) use mock;

/// The response chosen for the request in flight, from the serialization step (where the
/// typed input is seen) to the transmit and completion steps.
#[derive(Debug, Clone)]
struct Pending(Arc<Mutex<Option<MockResponse>>>);

impl std::fmt::Debug for MockResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MockResponse::Http(_) => "MockResponse::Http",
            MockResponse::Output(_) => "MockResponse::Output",
        })
    }
}

impl Storable for Pending {
    type Storer = StoreReplace<Self>;
}

/// The interceptor that answers each request from the first rule that matches it.
#[derive(Clone)]
struct Mocks(Vec<Rule>);

impl std::fmt::Debug for Mocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mocks({} rules)", self.0.len())
    }
}

impl Intercept for Mocks {
    fn name(&self) -> &'static str {
        "hiyari::testing::Mocks"
    }

    fn read_before_serialization(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let input = context.input();
        let rule = self
            .0
            .iter()
            .find(|r| (r.matcher)(input))
            .unwrap_or_else(|| panic!("no mock rule matches {input:?}"));
        let response = rule.respond(input);
        cfg.interceptor_state()
            .store_put(Pending(Arc::new(Mutex::new(Some(response)))));
        Ok(())
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(p) = cfg.load::<Pending>() {
            let slot = p.0.lock().unwrap();
            match &*slot {
                Some(MockResponse::Http(_)) => {
                    drop(slot);
                    context.request_mut().add_extension(p.clone());
                }
                Some(MockResponse::Output(_)) => {}
                // Taken by the first attempt: a retry must not read as an empty success.
                None => {
                    return Err(
                        "a second attempt of a mocked call: each rule answers once per call".into(),
                    )
                }
            }
        }
        Ok(())
    }

    fn modify_before_attempt_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(p) = cfg.load::<Pending>() {
            let mut slot = p.0.lock().unwrap();
            if matches!(*slot, Some(MockResponse::Output(_))) {
                if let Some(MockResponse::Output(o)) = slot.take() {
                    context.inner_mut().set_output_or_error(Ok(o));
                }
            }
        }
        Ok(())
    }
}

/// The HTTP client of a mocked session: it returns the response the rule attached to the
/// request, or an empty 200 for a rule with a modeled output (which replaces what the SDK
/// parsed). A second attempt of one call never gets here: the interceptor fails it.
#[derive(Debug)]
struct MockHttp;

impl HttpConnector for MockHttp {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        // The request's extensions are reachable through its http 1.x form only.
        let mut request = request.try_into_http1x().expect("an HTTP 1.x request");
        let answer = request
            .extensions_mut()
            .remove::<Pending>()
            .and_then(|p| p.0.lock().unwrap().take())
            .map(|r| match r {
                MockResponse::Http(r) => r,
                MockResponse::Output(_) => unreachable!("only HTTP responses are attached"),
            })
            .unwrap_or_else(|| {
                HttpResponse::new(StatusCode::try_from(200).unwrap(), SdkBody::empty())
            });
        HttpConnectorFuture::ready(Ok(answer))
    }
}

impl HttpClient for MockHttp {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(MockHttp)
    }
}
