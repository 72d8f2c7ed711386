//! A session: credentials, who they belong to (STS GetCallerIdentity), which regions
//! to scan (EC2 DescribeRegions), and the SDK clients, all sharing one HTTP connection
//! pool, one retry policy and one request counter.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextMut, BeforeTransmitInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use hiyari_checks::inventory::{Identity, Regions, SkippedRegion};

pub use super::session_error::{sts_failure, SessionError};
use super::Limiter;

/// What the user asked for on the command line.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// `--regions`: narrow the scan to these.
    pub regions: Option<Vec<String>>,
    pub concurrency: usize,
    pub max_attempts: u32,
    /// Deadline of one call, retries included.
    pub call_timeout: Duration,
    /// Deadline of the whole scan (`--timeout`), from the start of the session.
    pub scan_timeout: Option<Duration>,
}

/// Counts every HTTP request the SDK sends, retries included.
#[derive(Debug, Clone, Default)]
pub struct RequestCounter(Arc<AtomicU64>);

impl RequestCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

impl Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "hiyari::RequestCounter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// An authenticated session on one account.
#[derive(Debug, Clone)]
pub struct Session {
    pub sdk: SdkConfig,
    pub identity: Identity,
    pub home_region: Option<String>,
    pub regions: Regions,
    pub limiter: Limiter,
    pub requests: RequestCounter,
    /// More interceptors for every client (the tests' mocked responses).
    pub extra_interceptors: Vec<SharedInterceptor>,
}

macro_rules! client {
    ($name:ident, $krate:ident) => {
        pub fn $name(&self, region: &str) -> $krate::Client {
            $krate::Client::from_conf(client!(@conf self, region, $krate).build())
        }
    };
    (@conf $self:ident, $region:ident, $krate:ident) => {{
        let mut b = $krate::config::Builder::from(&$self.sdk)
            .region(Region::new($region.to_string()))
            .interceptor($self.requests.clone())
            .interceptor(super::answer::AnswerGuard);
        for i in &$self.extra_interceptors {
            b.push_interceptor(i.clone());
        }
        b
    }};
}

/// S3 Control puts the account id in front of the endpoint's host
/// (`123456789012.s3-control.us-east-1.amazonaws.com`). With an endpoint override
/// (`--endpoint-url`, an emulator or a proxy) that host does not exist: this puts the
/// override's own host back, before the request is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DropAccountHostPrefix {
    /// The override's `host[:port]`.
    pub authority: String,
}

impl DropAccountHostPrefix {
    /// For an endpoint override URL; `None` when it has no host.
    pub fn for_endpoint(url: &str) -> Option<Self> {
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        (!authority.is_empty()).then(|| Self {
            authority: authority.to_string(),
        })
    }

    /// The URI with `PREFIX.` dropped from a host that ends with the override's.
    pub fn rewrite(&self, uri: &str) -> Option<String> {
        let (scheme, rest) = uri.split_once("://")?;
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (host, tail) = rest.split_at(end);
        let prefix = host.strip_suffix(&self.authority)?.strip_suffix('.')?;
        (!prefix.is_empty() && !prefix.contains('.'))
            .then(|| format!("{scheme}://{}{tail}", self.authority))
    }
}

impl Intercept for DropAccountHostPrefix {
    fn name(&self) -> &'static str {
        "hiyari::DropAccountHostPrefix"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let req = context.request_mut();
        if let Some(uri) = self.rewrite(req.uri()) {
            req.set_uri(uri)?;
        }
        Ok(())
    }
}

/// The HTTP client of a whole run. Left to itself, the SDK builds a client, with its
/// own connection pool and TLS setup, for every service client: one per service, region
/// and account, so an organization scan would open a new TLS connection to the same
/// endpoint for each. This is the SDK's own default (`aws_smithy_runtime`'s
/// `default_https_client`, which is not public): rustls with aws-lc, the proxy from the
/// environment (`HTTPS_PROXY`, `NO_PROXY`), connectors cached per timeout settings; built
/// once, and shared by every client made from the configuration (member accounts'
/// configurations are copies of it).
fn shared_https_client() -> aws_smithy_runtime_api::client::http::SharedHttpClient {
    use aws_smithy_http_client::proxy::ProxyConfig;
    use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
    use aws_smithy_http_client::{Builder, ConnectorBuilder};
    Builder::new().build_with_connector_fn(|settings, components| {
        let mut conn =
            ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc));
        conn.set_connector_settings(settings.cloned());
        if let Some(components) = components {
            conn.set_sleep_impl(components.sleep_impl());
        }
        conn.set_proxy_config(Some(ProxyConfig::from_env()));
        conn.build()
    })
}

/// The SDK configuration of the command line's credentials: profile, region, endpoint,
/// retries and timeouts.
pub async fn load_config(opts: &SessionOptions) -> Result<SdkConfig, SessionError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(opts.max_attempts.max(1)))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_timeout(opts.call_timeout)
                .build(),
        );
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = &opts.region {
        loader = loader.region(Region::new(r.clone()));
    }
    if let Some(u) = &opts.endpoint_url {
        loader = loader.endpoint_url(u);
    }
    let sdk = loader.http_client(shared_https_client()).load().await;
    if sdk.region().is_none() {
        return Err(SessionError::NoRegion);
    }
    Ok(sdk)
}

impl Session {
    /// Loads credentials and checks them with STS GetCallerIdentity; the regions are not
    /// listed yet (see [`Session::known`]).
    pub async fn start(opts: &SessionOptions) -> Result<Session, SessionError> {
        let sdk = load_config(opts).await?;
        let limiter = Limiter::new(opts.concurrency).with_deadline(opts.scan_timeout);
        match Session::identify(sdk, limiter, RequestCounter::default()).await {
            Ok(session) => Ok(session),
            Err(e) => Err(e.with_profile(opts.profile.as_deref()).await),
        }
    }

    /// A session whose identity is already known (from AssumeRole's answer, or the
    /// session it shares credentials with), its regions not listed yet
    /// ([`collect_account_listing_regions`](super::collect_account_listing_regions)
    /// lists them while the account-wide sources are read).
    pub fn known(
        sdk: SdkConfig,
        identity: Identity,
        limiter: Limiter,
        requests: RequestCounter,
    ) -> Result<Session, SessionError> {
        let Some(home) = sdk.region().map(|r| r.to_string()) else {
            return Err(SessionError::NoRegion);
        };
        Ok(Session {
            sdk,
            identity,
            home_region: Some(home),
            regions: Regions::default(),
            limiter,
            requests,
            extra_interceptors: Vec::new(),
        })
    }

    /// A session that knows who it is (STS GetCallerIdentity) but has listed no
    /// regions: the starting point of an organization scan.
    pub async fn identify(
        sdk: SdkConfig,
        limiter: Limiter,
        requests: RequestCounter,
    ) -> Result<Session, SessionError> {
        let home_region = sdk.region().map(|r| r.to_string());
        let Some(home) = home_region.clone() else {
            return Err(SessionError::NoRegion);
        };
        let mut session = Session {
            sdk,
            identity: Identity {
                account_id: String::new(),
                partition: String::new(),
                principal_arn: String::new(),
            },
            home_region,
            regions: Regions::default(),
            limiter,
            requests,
            extra_interceptors: Vec::new(),
        };
        session.identity = session.who_am_i(&home).await?;
        Ok(session)
    }

    /// STS GetCallerIdentity: the account and principal of the session's credentials.
    pub async fn who_am_i(&self, home: &str) -> Result<Identity, SessionError> {
        let sts = self.sts(home);
        let who = self
            .limiter
            .call("sts:GetCallerIdentity", sts.get_caller_identity().send())
            .await
            .map_err(|e| match e.code.as_str() {
                super::NO_CREDENTIALS => SessionError::NoCredentials {
                    profile: None,
                    failure: None,
                },
                super::CREDENTIALS_ERROR => SessionError::NoCredentials {
                    profile: None,
                    failure: Some(e.message),
                },
                _ => sts_failure(e.code, e.message),
            })?;
        let arn = who.arn().unwrap_or_default().to_string();
        Ok(Identity {
            account_id: who.account().unwrap_or_default().to_string(),
            partition: arn.split(':').nth(1).unwrap_or("aws").to_string(),
            principal_arn: arn,
        })
    }

    client!(sts, aws_sdk_sts);
    client!(ec2, aws_sdk_ec2);
    client!(guardduty, aws_sdk_guardduty);
    client!(cloudwatch, aws_sdk_cloudwatch);
    client!(budgets_in, aws_sdk_budgets);
    client!(iam_in, aws_sdk_iam);
    client!(organizations_in, aws_sdk_organizations);
    client!(cloudtrail, aws_sdk_cloudtrail);
    client!(sesv2, aws_sdk_sesv2);
    client!(rds, aws_sdk_rds);
    client!(account_in, aws_sdk_account);
    client!(cost_explorer_in, aws_sdk_costexplorer);
    client!(lambda, aws_sdk_lambda);
    client!(health_in, aws_sdk_health);

    /// AWS Health: its global endpoint is in us-east-1 (the partition's global region).
    pub fn health(&self) -> aws_sdk_health::Client {
        self.health_in(self.global_region())
    }

    /// The Account API (alternate contacts): global, in the partition's global region.
    pub fn account(&self) -> aws_sdk_account::Client {
        self.account_in(self.global_region())
    }

    /// Cost Explorer: its one endpoint is in us-east-1 for the `aws` partition (and in
    /// cn-northwest-1 for `aws-cn`).
    pub fn cost_explorer(&self) -> aws_sdk_costexplorer::Client {
        self.cost_explorer_in(match self.identity.partition.as_str() {
            "aws-cn" => "cn-northwest-1",
            _ => self.global_region(),
        })
    }

    /// S3 Control (account-wide, in the partition's global region). With an endpoint
    /// override the account id is kept out of the host ([`DropAccountHostPrefix`]).
    pub fn s3control(&self) -> aws_sdk_s3control::Client {
        let region = self.global_region();
        let mut b = client!(@conf self, region, aws_sdk_s3control);
        if let Some(fix) = self
            .sdk
            .endpoint_url()
            .and_then(DropAccountHostPrefix::for_endpoint)
        {
            b = b.interceptor(fix);
        }
        aws_sdk_s3control::Client::from_conf(b.build())
    }

    /// The region of the partition's global endpoints (IAM, Budgets, billing metrics).
    pub fn global_region(&self) -> &'static str {
        match self.identity.partition.as_str() {
            "aws-cn" => "cn-north-1",
            "aws-us-gov" => "us-gov-west-1",
            _ => "us-east-1",
        }
    }

    pub fn iam(&self) -> aws_sdk_iam::Client {
        self.iam_in(self.global_region())
    }

    pub fn budgets(&self) -> aws_sdk_budgets::Client {
        self.budgets_in(self.global_region())
    }

    pub(crate) async fn list_regions(
        &self,
        home: &str,
        wanted: Option<&[String]>,
    ) -> Result<Regions, SessionError> {
        let ec2 = self.ec2(home);
        let listed = self
            .limiter
            .call(
                "ec2:DescribeRegions",
                ec2.describe_regions().all_regions(true).send(),
            )
            .await;
        let all: Vec<(String, String)> = match listed {
            Ok(out) => out
                .regions()
                .iter()
                .filter_map(|r| {
                    Some((
                        r.region_name()?.to_string(),
                        r.opt_in_status()
                            .unwrap_or("opt-in-not-required")
                            .to_string(),
                    ))
                })
                .collect(),
            Err(e) => {
                // Without the list, trust an explicit --regions, and say so.
                return match wanted {
                    Some(w) => {
                        eprintln!(
                            "warning: could not list regions ({e}); scanning the --regions given without checking them"
                        );
                        Ok(Regions {
                            scanned: w.to_vec(),
                            skipped: vec![],
                        })
                    }
                    None => Err(SessionError::Regions(e)),
                };
            }
        };
        plan_regions(&all, &self.identity.partition, wanted)
    }
}

/// The partition a region name belongs to.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-isof-") {
        "aws-iso-f"
    } else if region.starts_with("eu-isoe-") {
        "aws-iso-e"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

/// Splits DescribeRegions' answer `(name, OptInStatus)` into scanned and skipped.
pub fn plan_regions(
    all: &[(String, String)],
    partition: &str,
    wanted: Option<&[String]>,
) -> Result<Regions, SessionError> {
    let mut enabled = Vec::new();
    let mut skipped = Vec::new();
    for (name, status) in all {
        let p = partition_of(name);
        if p != partition {
            skipped.push(SkippedRegion {
                region: name.clone(),
                reason: format!("in partition {p}, not the caller's ({partition})"),
            });
        } else if status == "opt-in-not-required" || status == "opted-in" {
            enabled.push(name.clone());
        } else {
            skipped.push(SkippedRegion {
                region: name.clone(),
                reason: format!("not opted in (OptInStatus {status})"),
            });
        }
    }
    if enabled.is_empty() {
        return Err(SessionError::NoEnabledRegion {
            listed: all.len(),
            partition: partition.to_string(),
        });
    }
    let scanned = match wanted {
        None => enabled,
        Some(w) => {
            for r in w {
                if !enabled.contains(r) {
                    let why = match all.iter().find(|(n, _)| n == r) {
                        Some(_) => format!("region `{r}` is not enabled for this account"),
                        None => format!("unknown region `{r}`"),
                    };
                    return Err(SessionError::BadRegion(format!(
                        "{why}; --regions takes enabled regions of the account: {}",
                        enabled.join(",")
                    )));
                }
            }
            for r in &enabled {
                if !w.contains(r) {
                    skipped.push(SkippedRegion {
                        region: r.clone(),
                        reason: "not selected (--regions)".into(),
                    });
                }
            }
            enabled.into_iter().filter(|r| w.contains(r)).collect()
        }
    };
    let mut scanned = scanned;
    scanned.sort();
    skipped.sort_by(|a, b| a.region.cmp(&b.region));
    Ok(Regions { scanned, skipped })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<(String, String)> {
        [
            ("us-east-1", "opt-in-not-required"),
            ("sa-east-1", "opt-in-not-required"),
            ("ap-east-1", "opted-in"),
            ("me-south-1", "not-opted-in"),
            ("cn-north-1", "opt-in-not-required"),
            ("us-gov-west-1", "opt-in-not-required"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
    }

    #[test]
    fn scans_enabled_regions_of_the_callers_partition() {
        let r = plan_regions(&all(), "aws", None).unwrap();
        assert_eq!(r.scanned, ["ap-east-1", "sa-east-1", "us-east-1"]);
        let skipped: Vec<_> = r.skipped.iter().map(|s| s.region.as_str()).collect();
        assert_eq!(skipped, ["cn-north-1", "me-south-1", "us-gov-west-1"]);
        assert!(r.skipped[1].reason.contains("not opted in"));
        assert!(r.skipped[0].reason.contains("aws-cn"));
    }

    #[test]
    fn narrows_and_rejects_unknown_or_disabled() {
        let w = vec!["sa-east-1".to_string()];
        let r = plan_regions(&all(), "aws", Some(&w)).unwrap();
        assert_eq!(r.scanned, ["sa-east-1"]);
        assert!(r
            .skipped
            .iter()
            .any(|s| s.region == "us-east-1" && s.reason.contains("--regions")));
        let err = plan_regions(&all(), "aws", Some(&["mars-1".to_string()])).unwrap_err();
        assert!(err.to_string().contains("unknown region `mars-1`"), "{err}");
        let err = plan_regions(&all(), "aws", Some(&["me-south-1".to_string()])).unwrap_err();
        assert!(err.to_string().contains("not enabled"), "{err}");
    }

    #[test]
    fn the_account_prefix_is_dropped_only_from_the_override_host() {
        let fix = DropAccountHostPrefix::for_endpoint("http://127.0.0.1:5000").unwrap();
        assert_eq!(fix.authority, "127.0.0.1:5000");
        assert_eq!(
            fix.rewrite(
                "http://123456789012.127.0.0.1:5000/v20180820/configuration/publicAccessBlock"
            )
            .as_deref(),
            Some("http://127.0.0.1:5000/v20180820/configuration/publicAccessBlock")
        );
        assert_eq!(fix.rewrite("http://127.0.0.1:5000/v20180820/x"), None);
        assert_eq!(
            fix.rewrite("https://123456789012.s3-control.us-east-1.amazonaws.com/"),
            None
        );
        let fix = DropAccountHostPrefix::for_endpoint("https://proxy.example.com/").unwrap();
        assert_eq!(
            fix.rewrite("https://123456789012.proxy.example.com/v20180820/x?a=b")
                .as_deref(),
            Some("https://proxy.example.com/v20180820/x?a=b")
        );
        assert_eq!(DropAccountHostPrefix::for_endpoint("http://"), None);
    }

    #[test]
    fn no_enabled_region_stops_the_scan() {
        let err = plan_regions(&[], "aws", None).unwrap_err();
        assert!(matches!(
            err,
            SessionError::NoEnabledRegion { listed: 0, .. }
        ));
        assert!(err.to_string().contains("ec2:DescribeRegions"), "{err}");
        let only_other = vec![("cn-north-1".to_string(), "opt-in-not-required".to_string())];
        let err = plan_regions(&only_other, "aws", Some(&["cn-north-1".into()])).unwrap_err();
        assert!(matches!(
            err,
            SessionError::NoEnabledRegion { listed: 1, .. }
        ));
    }

    #[test]
    fn partitions() {
        assert_eq!(partition_of("cn-northwest-1"), "aws-cn");
        assert_eq!(partition_of("us-gov-east-1"), "aws-us-gov");
        assert_eq!(partition_of("us-isob-east-1"), "aws-iso-b");
        assert_eq!(partition_of("eu-central-2"), "aws");
    }
}
