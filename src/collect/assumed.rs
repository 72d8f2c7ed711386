//! The credentials of an assumed role, renewed before they expire: a scan of a large
//! account (or a long incident sweep) can outlast the role's session.

use std::sync::Mutex;

use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{future, ProvideCredentials};
use aws_sdk_sts::config::Credentials;
use aws_sdk_sts::operation::assume_role::AssumeRoleOutput;

/// What names the credentials in the SDK's logs.
const PROVIDER: &str = "hiyari-assume-role";

/// The name of hiyari's role sessions, as CloudTrail records them.
pub const SESSION_NAME: &str = "hiyari-audit";

/// An assumed role's credentials: first those of the AssumeRole answer the account's
/// identity was read from, then, each time the SDK's credential cache finds them about
/// to expire (it asks ahead of the expiry), those of a new AssumeRole with the same
/// client, role and external id.
#[derive(Debug)]
pub struct AssumedRole {
    sts: aws_sdk_sts::Client,
    role_arn: String,
    external_id: Option<String>,
    /// The credentials of the first answer, handed out once.
    first: Mutex<Option<Credentials>>,
}

impl AssumedRole {
    pub fn new(
        sts: aws_sdk_sts::Client,
        role_arn: &str,
        external_id: Option<&str>,
        first: Credentials,
    ) -> Self {
        Self {
            sts,
            role_arn: role_arn.to_string(),
            external_id: external_id.map(str::to_string),
            first: Mutex::new(Some(first)),
        }
    }

    /// A new AssumeRole. Not under the scan's bound on requests in flight: the call
    /// that needs these credentials may hold the last permit while it waits for them.
    async fn renew(&self) -> Result<Credentials, CredentialsError> {
        tracing::info!(role = %self.role_arn, "renewing the assumed role's credentials");
        let out = self
            .sts
            .assume_role()
            .role_arn(&self.role_arn)
            .role_session_name(SESSION_NAME)
            .set_external_id(self.external_id.clone())
            .send()
            .await
            .map_err(CredentialsError::provider_error)?;
        credentials(&out).map_err(CredentialsError::provider_error)
    }
}

impl ProvideCredentials for AssumedRole {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let first = self.first.lock().map(|mut f| f.take()).unwrap_or(None);
            match first {
                Some(c) => Ok(c),
                None => self.renew().await,
            }
        })
    }
}

/// The credentials of an AssumeRole answer, with their expiry.
pub fn credentials(out: &AssumeRoleOutput) -> Result<Credentials, &'static str> {
    let c = out
        .credentials()
        .ok_or("AssumeRole answered without credentials")?;
    let expiry = std::time::SystemTime::try_from(*c.expiration()).ok();
    Ok(Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        expiry,
        PROVIDER,
    ))
}
