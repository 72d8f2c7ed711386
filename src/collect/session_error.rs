//! Why a session could not start (no region, no or refused credentials, STS or
//! DescribeRegions failures), and the messages that say what to do about it.

use hiyari_checks::CollectError;

/// A failure that stops the scan before it starts: no report, exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(
        "no AWS region is configured: set AWS_REGION, a region in your profile, or pass --region"
    )]
    NoRegion,
    #[error("the AWS credentials could not be used ({code}: {message}). Check AWS_PROFILE / --profile, run `aws sso login` if you use SSO, or refresh expired credentials")]
    Credentials { code: String, message: String },
    /// The SDK's credential chain gave no credentials: `failure` is what went wrong in
    /// it, `None` when no source had any.
    #[error("{}", no_credentials(profile.as_deref(), failure.as_deref()))]
    NoCredentials {
        profile: Option<String>,
        failure: Option<String>,
    },
    #[error("could not list the account's regions ({0}); grant ec2:DescribeRegions or name the regions with --regions")]
    Regions(CollectError),
    #[error("{0}")]
    BadRegion(String),
    /// STS did not answer as STS: the credentials were not checked at all.
    #[error("could not check the AWS credentials: sts:GetCallerIdentity {what} ({code}: {message}). Check the network, any proxy or firewall between hiyari and AWS, and --endpoint-url")]
    StsUnreachable {
        what: &'static str,
        code: String,
        message: String,
    },
    /// DescribeRegions listed no enabled region of the caller's partition: an answer
    /// without its data, or an account that cannot be scanned. Scanning nothing would
    /// vouch for nothing.
    #[error("ec2:DescribeRegions listed no enabled region for this account ({listed} region(s) in its answer, none enabled in partition {partition}); nothing would be scanned. Check the endpoint and any proxy between hiyari and AWS, or name the regions with --regions")]
    NoEnabledRegion { listed: usize, partition: String },
}

impl SessionError {
    /// Names the profile (`--profile` or AWS_PROFILE) in a missing-credentials message,
    /// and, when no config or credentials file defines it, says so before what the SDK
    /// failed at next (it falls through to instance metadata, whose failure would
    /// otherwise be all that is reported).
    pub async fn with_profile(self, name: Option<&str>) -> Self {
        match self {
            SessionError::NoCredentials { failure, .. } => {
                let undefined = match name {
                    // The SDK asks for no file to define `default`.
                    Some(p) if p != "default" => undefined_profile(p).await,
                    _ => None,
                };
                let failure = match (undefined, failure) {
                    (Some(u), Some(f)) => Some(format!("{u}; then {f}")),
                    (Some(u), None) => Some(u),
                    (None, f) => f,
                };
                SessionError::NoCredentials {
                    profile: name.map(str::to_string),
                    failure,
                }
            }
            other => other,
        }
    }
}

/// Why the shared config files do not give the profile `name`, read as the SDK reads
/// them; `None` when they define it or cannot be parsed (the SDK's failure then says
/// more). The SDK reads a file it cannot open as empty: such a file is named.
async fn undefined_profile(name: &str) -> Option<String> {
    use aws_types::os_shim_internal::{Env, Fs};
    // The default files: ~/.aws/config and ~/.aws/credentials, or the environment's.
    let files = Default::default();
    let selected = Some(std::borrow::Cow::Owned(name.to_string()));
    let set = aws_config::profile::load(&Fs::real(), &Env::real(), &files, selected)
        .await
        .ok()?;
    if set.get_profile(name).is_some() {
        return None;
    }
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let path = |var: &str, file: &str| {
        std::env::var_os(var)
            .map(std::path::PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(file)))
    };
    let unreadable: Vec<String> = [
        path("AWS_CONFIG_FILE", "config"),
        path("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ]
    .into_iter()
    .flatten()
    .filter(|p| p.exists())
    .filter_map(|p| {
        std::fs::read(&p)
            .err()
            .map(|e| format!("{} cannot be read: {e}", p.display()))
    })
    .collect();
    Some(if unreadable.is_empty() {
        format!(
            "the profile `{name}` is not defined in the AWS config or credentials file \
             (~/.aws/config, ~/.aws/credentials, or AWS_CONFIG_FILE and \
             AWS_SHARED_CREDENTIALS_FILE)"
        )
    } else {
        format!(
            "the profile `{name}` was not found: {}",
            unreadable.join(", ")
        )
    })
}

/// Two lines: what was tried and what failed, then what to do.
fn no_credentials(profile: Option<&str>, failure: Option<&str>) -> String {
    let profile = match profile {
        Some(p) => format!("the profile `{p}`"),
        None => "the default profile".to_string(),
    };
    let tried = format!(
        "tried environment variables, {profile} with SSO, web identity, container credentials and EC2 instance metadata (IMDS)"
    );
    let what = match failure {
        None => format!("no AWS credentials found ({tried})"),
        Some(f) => format!("no usable AWS credentials ({tried}): {f}"),
    };
    format!(
        "{what}\nhelp: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, set AWS_PROFILE or pass --profile NAME, or run `aws sso login` for an SSO profile (-v shows the AWS SDK's detail)"
    )
}

/// What a failed STS call says: credentials AWS refused, or an answer that never came
/// from STS (a timeout, a redirect, an answer that cannot be read), which says nothing
/// about the credentials.
pub fn sts_failure(code: String, message: String) -> SessionError {
    let what = match code.as_str() {
        "TimeoutError" | super::DEADLINE_EXCEEDED => "timed out",
        "ConnectionError" | "DispatchFailure" => "could not reach the endpoint",
        c if c.starts_with("HTTP3") => {
            "was redirected (HTTP 3xx): something other than AWS STS answered"
        }
        "ResponseError" | super::answer::INCOMPLETE | super::answer::TOO_LARGE => {
            "got an answer that is not one from STS (it could not be read)"
        }
        _ => return SessionError::Credentials { code, message },
    };
    SessionError::StsUnreachable {
        what,
        code,
        message: crate::report::sanitize_terminal(&message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sts_failures_say_what_failed() {
        let msg = |code: &str| sts_failure(code.into(), "detail".into()).to_string();
        assert!(
            msg("TimeoutError").contains("timed out"),
            "{}",
            msg("TimeoutError")
        );
        assert!(msg("HTTP302").contains("redirected"), "{}", msg("HTTP302"));
        assert!(msg("ResponseError").contains("could not be read"));
        assert!(msg("ConnectionError").contains("could not reach"));
        for c in ["TimeoutError", "HTTP302", "ResponseError"] {
            assert!(
                !msg(c).contains("credentials could not be used"),
                "{}",
                msg(c)
            );
        }
        assert!(msg("InvalidClientTokenId").contains("the AWS credentials could not be used"));
    }
}
