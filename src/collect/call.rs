//! How hiyari calls AWS: every request through one [`Limiter`] (the bound on requests
//! in flight, the scan's deadline, the count of requests), an SDK error turned into a
//! [`CollectError`] that names the API and the error code, every page of a paged list,
//! and the small readers of answers the collectors share.

use std::error::Error as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use hiyari_checks::CollectError;
use tokio::sync::Semaphore;

/// The bound on requests in flight, shared by every region, service and account of a
/// scan, the count of requests made, and the scan's overall deadline.
///
/// A few of the permits are kept for the calls of the account's dependent chains (the
/// credential report's poll, the quarantine policies): ordinary calls, the fan-out of
/// list calls over every region, may hold at most `concurrency - RESERVED_FOR_CHAINS`
/// permits, so a chain never waits behind a whole wave of them (measured: with 20
/// regions and the default bound, the second GenerateCredentialReport waited 1.2 s for a
/// permit and finished last; bench/README.md).
#[derive(Clone, Debug)]
pub struct Limiter {
    permits: Arc<Semaphore>,
    /// What ordinary calls must also hold; `None` when the bound is too small to keep
    /// permits aside.
    bulk: Option<Arc<Semaphore>>,
    /// Calls through this limiter skip `bulk` (see [`Limiter::chain`]).
    chain: bool,
    operations: Arc<AtomicU64>,
    /// `--timeout`: when it passes, every call still waiting or in flight, and every
    /// later one, fails with [`DEADLINE_EXCEEDED`], so the checks that needed it report
    /// `error` and the rest of the report is still written.
    deadline: Option<(tokio::time::Instant, Duration)>,
}

/// The error code of a call cut off by the scan's overall deadline (`--timeout`).
pub const DEADLINE_EXCEEDED: &str = "ScanDeadlineExceeded";

/// Permits that only the calls of dependent chains may use (with a bound of at least
/// twice this).
const RESERVED_FOR_CHAINS: usize = 4;

impl Limiter {
    pub fn new(concurrency: usize) -> Self {
        let concurrency = concurrency.max(1);
        Self {
            permits: Arc::new(Semaphore::new(concurrency)),
            bulk: (concurrency >= 2 * RESERVED_FOR_CHAINS)
                .then(|| Arc::new(Semaphore::new(concurrency - RESERVED_FOR_CHAINS))),
            chain: false,
            operations: Arc::new(AtomicU64::new(0)),
            deadline: None,
        }
    }

    /// The same bound, counter and deadline, for the calls of a chain of dependent calls
    /// whose length sets the scan's duration: they may use the reserved permits.
    pub fn chain(&self) -> Limiter {
        Limiter {
            chain: true,
            ..self.clone()
        }
    }

    /// The same bound with an overall deadline `limit` from now.
    pub fn with_deadline(mut self, limit: Option<Duration>) -> Self {
        self.deadline = limit.map(|l| (tokio::time::Instant::now() + l, l));
        self
    }

    /// Runs one API call (one page) under the bound and the deadline, mapping its error
    /// to a [`CollectError`] naming `api`.
    pub async fn call<T, E, F>(&self, api: &str, fut: F) -> Result<T, CollectError>
    where
        F: std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let call = async {
            // Ordinary calls take a bulk permit first, so that the reserved ones stay
            // free for chains; the total in flight is still bounded by `permits`.
            let _bulk = match (&self.bulk, self.chain) {
                (Some(bulk), false) => Some(bulk.acquire().await.expect("semaphore never closed")),
                _ => None,
            };
            let _permit = self
                .permits
                .acquire()
                .await
                .expect("semaphore never closed");
            self.operations.fetch_add(1, Ordering::Relaxed);
            fut.await.map_err(|e| collect_error(api, e))
        };
        match self.deadline {
            None => call.await,
            Some((at, limit)) => tokio::time::timeout_at(at, call)
                .await
                .unwrap_or_else(|_| Err(deadline_error(api, limit))),
        }
    }

    /// API operations started so far (each page counts; SDK retries do not).
    pub fn operations(&self) -> u64 {
        self.operations.load(Ordering::Relaxed)
    }
}

/// The error of a call that the scan's overall deadline cut off (or never started).
pub fn deadline_error(api: &str, limit: Duration) -> CollectError {
    CollectError::new(
        api,
        DEADLINE_EXCEEDED,
        format!(
            "the scan's overall deadline (--timeout {}s) passed before this call finished; raise --timeout, or narrow the scan with --regions",
            limit.as_secs()
        ),
    )
}

/// Maps an SDK error to the API name, an error code and a message.
pub fn collect_error<E>(api: &str, err: SdkError<E, HttpResponse>) -> CollectError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    // An answer that said HTTP 200 without its data, or that was too long.
    if let Some(a) = find_source::<super::answer::AnswerError>(&err) {
        return CollectError::new(api, a.code.clone(), a.message.clone());
    }
    match &err {
        SdkError::ServiceError(se) => {
            let status = se.raw().status().as_u16();
            let code = se
                .err()
                .code()
                .map(str::to_string)
                .unwrap_or_else(|| format!("HTTP{status}"));
            let message = se
                .err()
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| format!("HTTP status {status}"));
            CollectError::new(api, code, message)
        }
        SdkError::TimeoutError(_) => CollectError::new(
            api,
            "TimeoutError",
            "the call did not finish within the timeout",
        ),
        SdkError::DispatchFailure(_) if credentials_error(&err).is_some() => {
            // The credential chain found nothing, or a source of it failed: a short
            // message for the user, the SDK's whole account of it for -v.
            tracing::info!(
                "{api}: the AWS SDK could not load credentials: {}",
                DisplayErrorContext(&err)
            );
            let cred = credentials_error(&err).expect("just found");
            match cred {
                CredentialsError::CredentialsNotLoaded(_) => {
                    CollectError::new(api, NO_CREDENTIALS, "no credentials found")
                }
                // The source says what failed; the variant's own text is generic.
                other => CollectError::new(
                    api,
                    CREDENTIALS_ERROR,
                    error_chain(other.source().unwrap_or(other))
                        .trim_end_matches('.')
                        .to_string(),
                ),
            }
        }
        SdkError::DispatchFailure(d) => {
            let code = if d.is_timeout() {
                "TimeoutError"
            } else if d.is_io() {
                "ConnectionError"
            } else {
                "DispatchFailure"
            };
            CollectError::new(api, code, DisplayErrorContext(&err).to_string())
        }
        SdkError::ResponseError(_) => {
            CollectError::new(api, "ResponseError", DisplayErrorContext(&err).to_string())
        }
        _ => CollectError::new(api, "SdkError", DisplayErrorContext(&err).to_string()),
    }
}

/// The code of a call made with no credentials: the SDK's chain found none.
pub const NO_CREDENTIALS: &str = "NoCredentials";
/// The code of a call whose credentials a source of the chain failed to give (IMDS
/// unreachable, an expired SSO token, a broken profile).
pub const CREDENTIALS_ERROR: &str = "CredentialsError";

/// The credential provider's error behind a failed call, if that is why it failed.
fn credentials_error<'a>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a CredentialsError> {
    find_source::<CredentialsError>(err)
}

/// The first error of type `T` in `err`'s chain of sources.
fn find_source<'a, T: std::error::Error + 'static>(
    err: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(c) = e.downcast_ref::<T>() {
            return Some(c);
        }
        next = e.source();
    }
    None
}

/// An error and its sources as one line, `a: b: c`, without the SDK's Debug dump and
/// without a message repeated by its source.
pub fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let s = e.to_string();
        if !s.is_empty() && !parts.last().is_some_and(|p| p.contains(&s)) {
            parts.push(s);
        }
        next = e.source();
    }
    parts.join(": ")
}

/// A listed resource without its id could not be reported, muted or compared: a list
/// with one is an error naming the API (`IncompleteResponse`), never findings with an
/// empty id.
pub fn ids_present<T>(api: &str, items: &[T], id: impl Fn(&T) -> &str) -> Result<(), CollectError> {
    if items.iter().any(|x| id(x).is_empty()) {
        return Err(CollectError::new(
            api,
            "IncompleteResponse",
            "the answer lists an item without its id",
        ));
    }
    Ok(())
}

/// Formats an SDK timestamp as RFC 3339.
pub fn ts(t: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    t.and_then(|t| t.fmt(aws_smithy_types::date_time::Format::DateTime).ok())
}

/// The next page's marker of an IAM list: IAM answers `IsTruncated` and gives the
/// marker to use only when it is true.
pub fn next_marker(truncated: bool, marker: Option<&str>) -> Option<String> {
    truncated.then(|| marker.map(str::to_string)).flatten()
}

/// Reads every page of a paged API: `send` makes the call for a page token, `each`
/// takes the page and returns the next token. A token that repeats is an error, so a
/// misbehaving endpoint cannot loop a scan forever.
pub async fn pages<O, E, F, Fut>(
    limiter: &Limiter,
    api: &str,
    mut send: F,
    mut each: impl FnMut(O) -> Option<String>,
) -> Result<(), CollectError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: std::future::Future<Output = Result<O, SdkError<E, HttpResponse>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let mut token: Option<String> = None;
    loop {
        // A page after the first is the next link of a chain: it may use the permits
        // kept for chains, instead of queueing behind every region's first pages.
        let out = match token {
            None => limiter.call(api, send(None)).await?,
            Some(_) => limiter.chain().call(api, send(token.clone())).await?,
        };
        match each(out) {
            Some(next) if !next.is_empty() => {
                if token.as_deref() == Some(next.as_str()) {
                    return Err(CollectError::new(
                        api,
                        "PaginationLoop",
                        "the service returned the same page token twice",
                    ));
                }
                token = Some(next);
            }
            _ => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError;

    type Never = std::future::Pending<Result<(), SdkError<GetCallerIdentityError, HttpResponse>>>;

    #[tokio::test]
    async fn the_overall_deadline_cuts_off_calls_in_flight_and_waiting() {
        let limiter = Limiter::new(1).with_deadline(Some(Duration::from_secs(1)));
        // One call holds the only permit and never answers; the second waits for it.
        let (a, b) = tokio::join!(
            limiter.call("ec2:DescribeInstances", std::future::pending() as Never),
            limiter.call("guardduty:ListDetectors", std::future::pending() as Never),
        );
        for (r, api) in [(a, "ec2:DescribeInstances"), (b, "guardduty:ListDetectors")] {
            let e = r.unwrap_err();
            assert_eq!(e.api, api);
            assert_eq!(e.code, DEADLINE_EXCEEDED);
            assert!(e.message.contains("--timeout 1s"), "{}", e.message);
        }
        assert_eq!(limiter.operations(), 1, "the waiting call never started");
    }

    #[tokio::test]
    async fn chain_calls_do_not_wait_behind_a_wave_of_ordinary_calls() {
        let limiter = Limiter::new(8);
        // Ordinary calls that never answer hold every permit they may have (8 - 4).
        let stuck = futures::future::join_all(
            (0..20).map(|_| limiter.call("ec2:DescribeInstances", std::future::pending() as Never)),
        );
        let chained = limiter.chain();
        let chain = chained.call("iam:GetCredentialReport", async {
            Ok::<_, SdkError<GetCallerIdentityError, HttpResponse>>(7)
        });
        // Without the reserved permits the chain would wait forever: fail instead.
        let got = tokio::time::timeout(Duration::from_secs(5), async {
            tokio::select! {
                biased;
                _ = stuck => unreachable!("the stuck calls never answer"),
                r = chain => r,
            }
        })
        .await
        .expect("the chain's call got a reserved permit");
        assert_eq!(got.unwrap(), 7);
        assert_eq!(
            limiter.operations(),
            5,
            "4 ordinary calls started, then the chain's"
        );
    }

    #[tokio::test]
    async fn no_deadline_leaves_calls_alone() {
        let limiter = Limiter::new(1).with_deadline(None);
        let r = limiter
            .call("sts:GetCallerIdentity", async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                Ok::<_, SdkError<GetCallerIdentityError, HttpResponse>>(7)
            })
            .await;
        assert_eq!(r.unwrap(), 7);
    }
}
