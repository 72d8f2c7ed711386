//! Many accounts: which accounts (Organizations ListAccounts, or a list given on the
//! command line) and how to get into each (STS AssumeRole). The scan of them is
//! `crate::scan`'s.
use aws_sdk_organizations::types::{AccountState, AccountStatus};
use aws_sdk_sts::config::SharedCredentialsProvider;
use hiyari_checks::inventory::Identity;
use hiyari_checks::names::account_of_role;
use hiyari_checks::CollectError;

use super::assumed;
use super::session::SessionError;
use super::{pages, Session};

/// One account to audit and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub account_id: String,
    /// The role to assume; `None`: the account of the command line's own credentials,
    /// audited with them.
    pub role_arn: Option<String>,
}

/// How the accounts were chosen, and how to get into them.
#[derive(Debug, Clone, Default)]
pub struct OrgOptions {
    /// Organizations ListAccounts.
    pub org: bool,
    /// `--accounts`.
    pub accounts: Vec<String>,
    /// `--role-arn`.
    pub role_arns: Vec<String>,
    pub role_name: String,
    pub external_id: Option<String>,
    pub account_concurrency: usize,
}

/// An account of the organization that was not audited, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passed {
    pub account_id: String,
    pub reason: String,
}

/// The accounts to audit, before exclusion and sharding: the given ones, or the
/// organization's ACTIVE ones. Accounts not active are returned apart, with their state.
pub async fn list_targets(
    base: &Session,
    opts: &OrgOptions,
) -> Result<(Vec<Target>, Vec<Passed>), CollectError> {
    let role = |id: &str| {
        format!(
            "arn:{}:iam::{id}:role/{}",
            base.identity.partition, opts.role_name
        )
    };
    // The account of our own credentials is audited with them: a management account
    // rarely has the member-account role, and we are already in it.
    let target = |id: &str| Target {
        account_id: id.to_string(),
        role_arn: (id != base.identity.account_id).then(|| role(id)),
    };
    let mut targets = Vec::new();
    let mut passed = Vec::new();
    if opts.org {
        let org = base.organizations_in(base.global_region());
        pages(
            &base.limiter,
            "organizations:ListAccounts",
            |token| org.list_accounts().set_next_token(token).send(),
            |out| {
                for a in out.accounts() {
                    let Some(id) = a.id() else { continue };
                    // `State` replaces the older `Status`; read whichever is there.
                    let (active, state) = match (a.state(), a.status()) {
                        (Some(s), _) => (*s == AccountState::Active, s.as_str().to_string()),
                        (None, Some(s)) => (*s == AccountStatus::Active, s.as_str().to_string()),
                        (None, None) => (false, "unknown".to_string()),
                    };
                    if active {
                        targets.push(target(id));
                    } else {
                        passed.push(Passed {
                            account_id: id.to_string(),
                            reason: format!("not active (state {state})"),
                        });
                    }
                }
                out.next_token().map(str::to_string)
            },
        )
        .await?;
    }
    for id in &opts.accounts {
        targets.push(target(id));
    }
    for arn in &opts.role_arns {
        let id = account_of_role(arn).unwrap_or_default();
        targets.push(Target {
            account_id: id.to_string(),
            role_arn: Some(arn.clone()),
        });
    }
    Ok((targets, passed))
}

/// The failure of a session as the account's error.
pub fn session_failure(e: SessionError) -> CollectError {
    match e {
        SessionError::Credentials { code, message } => {
            CollectError::new("sts:GetCallerIdentity", code, message)
        }
        SessionError::NoCredentials { failure, .. } => CollectError::new(
            "sts:GetCallerIdentity",
            match failure {
                None => super::NO_CREDENTIALS,
                Some(_) => super::CREDENTIALS_ERROR,
            },
            failure.unwrap_or_else(|| "no credentials found".into()),
        ),
        SessionError::Regions(e) => e,
        SessionError::BadRegion(m) => {
            CollectError::new("ec2:DescribeRegions", "RegionNotEnabled", m)
        }
        SessionError::NoRegion => CollectError::new("hiyari", "NoRegion", e.to_string()),
    }
}

/// STS AssumeRole into `role_arn`: an SDK configuration with that role's credentials
/// (renewed with AssumeRole again before they expire), and who they are (AssumeRole's answer names the assumed-role ARN, so no
/// GetCallerIdentity round trip is needed).
pub async fn assume(
    base: &Session,
    role_arn: &str,
    external_id: Option<&str>,
) -> Result<(aws_config::SdkConfig, Identity), CollectError> {
    let home = base
        .home_region
        .clone()
        .unwrap_or_else(|| "us-east-1".into());
    let sts = base.sts(&home);
    let out = base
        .limiter
        .call(
            "sts:AssumeRole",
            sts.assume_role()
                .role_arn(role_arn)
                .role_session_name(assumed::SESSION_NAME)
                .set_external_id(external_id.map(str::to_string))
                .send(),
        )
        .await?;
    let creds = assumed::credentials(&out)
        .map_err(|m| CollectError::new("sts:AssumeRole", "NoCredentials", m))?;
    let arn = out
        .assumed_role_user()
        .map(|u| u.arn().to_string())
        .unwrap_or_default();
    let identity = Identity {
        account_id: arn.split(':').nth(4).unwrap_or_default().to_string(),
        partition: arn.split(':').nth(1).unwrap_or("aws").to_string(),
        principal_arn: arn,
    };
    // Renewed before they expire: a long scan can outlast the role's session.
    let provider = assumed::AssumedRole::new(sts, role_arn, external_id, creds);
    let sdk = base
        .sdk
        .to_builder()
        .credentials_provider(SharedCredentialsProvider::new(provider))
        .build();
    Ok((sdk, identity))
}
