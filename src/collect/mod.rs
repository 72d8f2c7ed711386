//! Collection: the only code that talks to AWS.
//!
//! One module per service. [`collect_account_listing_regions`] fills an
//! [`AccountInventory`] for the sources the selected checks need, from two tables that
//! name each source's collector (`ACCOUNT_WIDE`, `REGIONAL`), running every region and
//! every service at once under one bound on requests in flight ([`Limiter`]). Adding a
//! source takes its collector and one line in its table. Every piece is a `Collected<T>`:
//! an API that fails leaves its error in the inventory, for the checks to report, and
//! never stops the rest of the scan.

pub mod account;
pub mod answer;
pub mod assumed;
pub mod billing;
pub mod cloudtrail;
pub mod costexplorer;
pub mod ec2;
pub mod guardduty;
pub mod iam;
pub mod org;
pub mod quarantine;
pub mod rds;
pub mod s3control;
pub mod ses;
pub mod session;
pub mod session_error;
pub mod signins;
pub mod sweep;
#[cfg(test)]
pub mod testing;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use std::error::Error as _;

use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use hiyari_checks::inventory::{
    AccountInventory, BillingInventory, CloudTrailInventory, ContactsInventory, IamInventory,
    RegionInventory, S3Inventory,
};
use hiyari_checks::{CollectError, Collected, Needs, Source};
use indicatif::ProgressBar;
use tokio::sync::Semaphore;

pub use session::Session;

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
    if let Some(a) = find_source::<answer::AnswerError>(&err) {
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

/// What a collector writes into its part of the inventory once its calls are done.
type Fill<P> = Box<dyn FnOnce(&mut P) + Send>;

/// A collector at work. Boxed: the collectors' futures are large (the SDK's request
/// futures inside), and a join of a dozen of them held inline overflowed a worker
/// thread's stack.
type Running<'a, P> = Pin<Box<dyn Future<Output = Fill<P>> + Send + 'a>>;

/// A line of a collector table: the sources one collector fills in its part of the
/// inventory, `P` (the account-wide part, or a region's), given `C` (the session, the
/// scan's [`Needs`] and the clients its collectors share).
struct Collector<C: 'static, P: 'static> {
    /// It runs when the scan needs any of them.
    sources: &'static [Source],
    run: for<'a> fn(&'a C) -> Running<'a, P>,
    /// Sets its sources to `error`: the task it ran in panicked.
    fail: fn(&mut P, &CollectError),
}

/// Declares a [`Collector`] given `$c` that fills `$p`: `Source => field = |cx| call`
/// for a collector whose call gives a `Result`, or `(Source, ...) => (field, ...) =
/// |cx| call` for a chain of dependent calls that fills several sources and gives their
/// `Collected`s.
macro_rules! collector {
    ($c:ty, $p:ty; $source:ident => $($field:ident).+ = |$cx:ident| $call:expr) => {
        Collector::<$c, $p> {
            sources: &[Source::$source],
            run: {
                fn run($cx: &$c) -> Running<'_, $p> {
                    Box::pin(async move {
                        let got = Collected::from_result($call.await);
                        Box::new(move |p: &mut $p| p.$($field).+ = got) as Fill<$p>
                    })
                }
                run
            },
            fail: |p, e| p.$($field).+ = Collected::Error(e.clone()),
        }
    };
    ($c:ty, $p:ty; ($($source:ident),+) => ($($field:ident),+) = |$cx:ident| $call:expr) => {
        Collector::<$c, $p> {
            sources: &[$(Source::$source),+],
            run: {
                fn run($cx: &$c) -> Running<'_, $p> {
                    Box::pin(async move {
                        let ($($field,)+) = $call.await;
                        Box::new(move |p: &mut $p| { $(p.$field = $field;)+ }) as Fill<$p>
                    })
                }
                run
            },
            fail: |p, e| { $(p.$field = Collected::Error(e.clone());)+ },
        }
    };
}

/// Runs the collectors of `table` that the scan needs, all at once, and fills `part`
/// with what they found. The others leave their sources `not_collected`.
async fn collect_into<C: Sync, P>(
    table: &'static [Collector<C, P>],
    cx: &C,
    needs: &Needs,
    part: &mut P,
) {
    let running = table
        .iter()
        .filter(|c| c.sources.iter().any(|&s| needs.has(s)))
        .map(|c| (c.run)(cx));
    for fill in futures::future::join_all(running).await {
        fill(part);
    }
}

/// The account-wide part of an account's inventory.
#[derive(Default)]
struct AccountWide {
    iam: IamInventory,
    billing: BillingInventory,
    cloudtrail: CloudTrailInventory,
    s3: S3Inventory,
    contacts: ContactsInventory,
}

/// What the account-wide collectors are given: the IAM ones share one client.
struct AccountCx {
    s: Arc<Session>,
    needs: Needs,
    iam: aws_sdk_iam::Client,
}

/// A row of [`ACCOUNT_WIDE`]; its sources must be account-wide in their table row
/// (`hiyari_checks::source`), or it does not compile.
macro_rules! account_wide {
    ($source:ident => $($row:tt)*) => {{
        const { assert!(!Source::$source.is_regional(), "a regional source in ACCOUNT_WIDE") };
        collector!(AccountCx, AccountWide; $source => $($row)*)
    }};
}

/// Every account-wide source and its collector.
const ACCOUNT_WIDE: &[Collector<AccountCx, AccountWide>] = &[
    account_wide!(AccountSummary => iam.account_summary
        = |c| iam::account_summary(&c.s, &c.iam)),
    account_wide!(CredentialReport => iam.credential_report
        = |c| iam::credential_report(&c.s, &c.iam)),
    account_wide!(Budgets => billing.budgets = |c| billing::budgets(&c.s)),
    account_wide!(BillingAlarms => billing.billing_alarms = |c| billing::billing_alarms(&c.s)),
    account_wide!(QuarantinePolicies => iam.quarantine_policies
        = |c| quarantine::quarantine_policies(&c.s, &c.iam)),
    account_wide!(CloudTrailTrails => cloudtrail.trails = |c| cloudtrail::trails(&c.s)),
    account_wide!(AccountPublicAccessBlock => s3.account_public_access_block
        = |c| s3control::account_public_access_block(&c.s)),
    account_wide!(AlternateContacts => contacts.alternate_contacts
        = |c| account::alternate_contacts(&c.s)),
    account_wide!(CostByRegion => billing.cost_by_region
        = |c| costexplorer::cost_by_region(&c.s, c.needs.cost_days)),
    account_wide!(OrganizationsFeatures => iam.organizations_features
        = |c| iam::organizations_features(&c.s, &c.iam)),
    account_wide!(VirtualMfaDevices => iam.virtual_mfa_devices
        = |c| iam::virtual_mfa_devices(&c.s, &c.iam)),
];

/// What a region's collectors are given: the EC2 ones share one client, as do the RDS
/// ones.
struct RegionCx {
    s: Arc<Session>,
    needs: Needs,
    region: String,
    ec2: aws_sdk_ec2::Client,
    rds: aws_sdk_rds::Client,
}

/// A row of [`REGIONAL`]; its sources must be regional in their table row
/// (`hiyari_checks::source`), or it does not compile.
macro_rules! regional {
    (($($source:ident),+) => $($row:tt)*) => {{
        $(const { assert!(Source::$source.is_regional(), "an account-wide source in REGIONAL") };)+
        collector!(RegionCx, RegionInventory; ($($source),+) => $($row)*)
    }};
    ($source:ident => $($row:tt)*) => {{
        const { assert!(Source::$source.is_regional(), "an account-wide source in REGIONAL") };
        collector!(RegionCx, RegionInventory; $source => $($row)*)
    }};
}

/// Every regional source and its collector. GuardDuty findings are read per detector,
/// so after the detectors; SES reputation only where GetAccount shows SES in use.
const REGIONAL: &[Collector<RegionCx, RegionInventory>] = &[
    regional!((GuardDutyDetectors, GuardDutyFindings) => (guardduty_detectors, guardduty_findings)
        = |c| guardduty::detectors_and_high_findings(&c.s, &c.s.guardduty(&c.region), &c.needs)),
    regional!((SesAccount, SesReputation) => (ses_account, ses_reputation)
        = |c| ses::account_and_reputation(&c.s, &c.region, &c.needs)),
    regional!(SnapshotBlockPublicAccess => snapshot_block_public_access
        = |c| ec2::snapshot_block_public_access(&c.s, &c.ec2)),
    regional!(ImageBlockPublicAccess => image_block_public_access
        = |c| ec2::image_block_public_access(&c.s, &c.ec2)),
    regional!(Images => images = |c| ec2::images(&c.s, &c.ec2)),
    regional!(PublicSnapshots => public_snapshots = |c| ec2::public_snapshots(&c.s, &c.ec2)),
    regional!(Instances => instances = |c| ec2::instances(&c.s, &c.ec2)),
    regional!(SpotRequests => spot_requests = |c| ec2::spot_requests(&c.s, &c.ec2)),
    regional!(SpotFleets => spot_fleets = |c| ec2::spot_fleets(&c.s, &c.ec2)),
    regional!(SecurityGroups => security_groups = |c| ec2::security_groups(&c.s, &c.ec2)),
    regional!(NetworkInterfaces => network_interfaces
        = |c| ec2::network_interfaces(&c.s, &c.ec2)),
    regional!(RdsSnapshots => rds_snapshots = |c| rds::db_snapshots(&c.s, &c.rds)),
    regional!(RdsClusterSnapshots => rds_cluster_snapshots
        = |c| rds::cluster_snapshots(&c.s, &c.rds)),
    regional!(RootSignIns => root_sign_ins
        = |c| signins::root_sign_ins(&c.s, &c.region, c.needs.sign_in_days)),
];

/// Collects one account whose regions are not listed yet: the account-wide sources start
/// at once, while EC2 DescribeRegions runs, so the credential report's chain of calls
/// does not wait for the region list. `wanted` is `--regions`.
pub async fn collect_account_listing_regions(
    session: Session,
    wanted: Option<&[String]>,
    needs: Needs,
    progress: ProgressBar,
) -> Result<AccountInventory, session::SessionError> {
    progress.inc_length(1);
    let unlisted = Arc::new(session);
    let account_task = spawn_account_wide(unlisted.clone(), needs.clone(), progress.clone());
    let home = unlisted.home_region.clone().unwrap_or_default();
    let regions = match unlisted.list_regions(&home, wanted).await {
        Ok(r) => r,
        Err(e) => {
            account_task.abort();
            return Err(e);
        }
    };
    let mut listed = (*unlisted).clone();
    listed.regions = regions;
    Ok(regional_and_join(Arc::new(listed), account_task, needs, progress).await)
}

/// The account-wide sources, all at once, in a task of their own (the credential report
/// takes seconds to generate: it must not wait for anything).
fn spawn_account_wide(
    session: Arc<Session>,
    needs: Needs,
    progress: ProgressBar,
) -> tokio::task::JoinHandle<AccountWide> {
    tokio::spawn(async move {
        let cx = AccountCx {
            iam: session.iam(),
            s: session,
            needs,
        };
        let mut wide = AccountWide::default();
        collect_into(ACCOUNT_WIDE, &cx, &cx.needs, &mut wide).await;
        progress.inc(1);
        wide
    })
}

/// The regional sources of every scanned region, each region in a task of its own, and
/// then the account-wide ones: the account's inventory.
async fn regional_and_join(
    session: Arc<Session>,
    account_task: tokio::task::JoinHandle<AccountWide>,
    needs: Needs,
    progress: ProgressBar,
) -> AccountInventory {
    let scanned = session.regions.scanned.clone();
    if needs.regional() {
        progress.inc_length(scanned.len() as u64);
    }
    // A sweep's collectors, in a task of their own (they pace CloudTrail's reads for
    // as long as the busiest region needs).
    let sweep_task = needs
        .sweep
        .clone()
        .map(|plan| tokio::spawn(sweep::collect(session.clone(), plan)));
    let mut region_tasks = Vec::new();
    if needs.regional() {
        for region in scanned {
            let s = session.clone();
            let needs = needs.clone();
            let progress = progress.clone();
            region_tasks.push(tokio::spawn(async move {
                let inv = collect_region(s, region.clone(), needs).await;
                progress.inc(1);
                (region, inv)
            }));
        }
    }

    let wide = account_task.await.unwrap_or_else(|e| {
        // The task panicked: every account-wide source is an error, never a pass.
        let err = CollectError::new("hiyari", "InternalError", e.to_string());
        let mut wide = AccountWide::default();
        for c in ACCOUNT_WIDE {
            (c.fail)(&mut wide, &err);
        }
        wide
    });
    let sweep = match sweep_task {
        None => None,
        // A task that panicked: every piece of the sweep is an error, never empty.
        Some(t) => Some(
            t.await
                .unwrap_or_else(|e| sweep::failed(&session, e.to_string())),
        ),
    };
    let mut regional = std::collections::BTreeMap::new();
    for t in region_tasks {
        // A task that panicked leaves its region out; the checks then report every
        // check of that region as an error (never a pass).
        if let Ok((region, inv)) = t.await {
            regional.insert(region, inv);
        }
    }
    AccountInventory {
        identity: session.identity.clone(),
        home_region: session.home_region.clone(),
        regions: session.regions.clone(),
        iam: wide.iam,
        billing: wide.billing,
        cloudtrail: wide.cloudtrail,
        s3: wide.s3,
        contacts: wide.contacts,
        regional,
        failure: None,
        sweep,
    }
}

/// Collects the regional sources of one region, all at once.
async fn collect_region(s: Arc<Session>, region: String, needs: Needs) -> RegionInventory {
    let cx = RegionCx {
        ec2: s.ec2(&region),
        rds: s.rds(&region),
        s,
        needs,
        region,
    };
    let mut inv = RegionInventory::default();
    collect_into(REGIONAL, &cx, &cx.needs, &mut inv).await;
    inv
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

    /// Each source the checks read is filled by exactly one collector, in the table of
    /// its scope; the sweep's own sources are in none.
    #[test]
    fn every_source_has_one_collector_in_the_table_of_its_scope() {
        for &s in Source::ALL {
            if !s.is_read_by(hiyari_checks::source::Reader::Audit) {
                assert!(
                    !ACCOUNT_WIDE.iter().any(|c| c.sources.contains(&s)),
                    "{s:?}"
                );
                assert!(!REGIONAL.iter().any(|c| c.sources.contains(&s)), "{s:?}");
                continue;
            }
            let in_account = ACCOUNT_WIDE.iter().filter(|c| c.sources.contains(&s));
            let in_regions = REGIONAL.iter().filter(|c| c.sources.contains(&s));
            let expected = if s.is_regional() { (0, 1) } else { (1, 0) };
            assert_eq!((in_account.count(), in_regions.count()), expected, "{s:?}");
        }
    }

    /// A panicked task's fallback reaches every field: none is left `not_collected`,
    /// which would read as "no check needed it" instead of an error.
    #[test]
    fn failing_every_collector_leaves_no_field_unset() {
        let err = CollectError::new("hiyari", "InternalError", "task panicked");
        let mut wide = AccountWide::default();
        for c in ACCOUNT_WIDE {
            (c.fail)(&mut wide, &err);
        }
        let mut region = RegionInventory::default();
        for c in REGIONAL {
            (c.fail)(&mut region, &err);
        }
        let parts = [
            serde_json::to_string(&wide.iam).unwrap(),
            serde_json::to_string(&wide.billing).unwrap(),
            serde_json::to_string(&wide.cloudtrail).unwrap(),
            serde_json::to_string(&wide.s3).unwrap(),
            serde_json::to_string(&wide.contacts).unwrap(),
            serde_json::to_string(&region).unwrap(),
        ];
        for json in parts {
            assert!(!json.contains("not_collected"), "{json}");
        }
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
