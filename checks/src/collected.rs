//! A piece of collected data, or the error that kept it away: what every part of the
//! inventory is made of, so that missing data can never read as an empty result.

use serde::{Deserialize, Serialize};

use crate::source::Source;

/// Why a piece of data is missing: the AWS API that failed and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectError {
    /// The API in IAM action form, e.g. `ec2:DescribeSnapshots`.
    pub api: String,
    /// The AWS error code (`AccessDenied`, `UnauthorizedOperation`, `Throttling`), or a
    /// transport-level code (`TimeoutError`, `DispatchFailure`) when no service answered.
    pub code: String,
    /// The message, as the service or the SDK gave it.
    pub message: String,
}

impl CollectError {
    pub fn new(
        api: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            api: api.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CollectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} failed with {}", self.api, self.code)?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

/// One collected piece of data, or why it is not there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Collected<T> {
    Ok(T),
    Error(CollectError),
    /// Not fetched, because no selected check needed it (or an older inventory lacks it).
    #[default]
    NotCollected,
}

impl<T> Collected<T> {
    /// The data, or the reason it is missing (a `not_collected` piece becomes an error
    /// naming `api`, so a check can never mistake it for an empty result).
    pub fn get(&self, api: &str) -> Result<&T, CollectError> {
        match self {
            Collected::Ok(v) => Ok(v),
            Collected::Error(e) => Err(e.clone()),
            Collected::NotCollected => Err(CollectError::new(
                api,
                "NotCollected",
                "this data is not in the inventory; run a scan that includes the check",
            )),
        }
    }

    /// [`Collected::get`] for the source this piece is: a missing piece names the
    /// source's API ([`Source::api`]).
    pub fn of(&self, source: Source) -> Result<&T, CollectError> {
        self.get(source.api())
    }

    pub fn is_ok(&self) -> bool {
        matches!(self, Collected::Ok(_))
    }

    /// Not fetched: left out of a saved inventory, so that one saved before the piece
    /// existed reads and writes the same.
    pub fn is_not_collected(&self) -> bool {
        matches!(self, Collected::NotCollected)
    }

    pub fn from_result(r: Result<T, CollectError>) -> Self {
        match r {
            Ok(v) => Collected::Ok(v),
            Err(e) => Collected::Error(e),
        }
    }
}
