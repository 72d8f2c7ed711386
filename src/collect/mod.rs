//! Collection: the only code that talks to AWS.
//!
//! One module per service. [`collect_account_listing_regions`] fills an
//! [`AccountInventory`] for the sources the selected checks need, from two tables that
//! name each source's collector (`ACCOUNT_WIDE`, `REGIONAL`), running every region and
//! every service at once under one bound on requests in flight ([`Limiter`], in
//! [`call`] with the paging and error handling every collector shares). Adding a
//! source takes its collector and one line in its table. Every piece is a `Collected<T>`:
//! an API that fails leaves its error in the inventory, for the checks to report, and
//! never stops the rest of the scan.

pub mod account;
pub mod answer;
pub mod assumed;
pub mod billing;
pub mod call;
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
use std::sync::Arc;

use hiyari_checks::inventory::{
    AccountInventory, BillingInventory, CloudTrailInventory, ContactsInventory, IamInventory,
    RegionInventory, S3Inventory,
};
use hiyari_checks::{CollectError, Collected, Needs, Source};
use indicatif::ProgressBar;

pub use call::{
    ids_present, next_marker, pages, ts, Limiter, CREDENTIALS_ERROR, DEADLINE_EXCEEDED,
    NO_CREDENTIALS,
};
pub use session::Session;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
