//! Severity: how bad a failure mode is, most severe first, as checks declare it and
//! the configuration and `--fail-on` name it.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use strum::VariantNames;

/// Severity, most severe first (so the derived order sorts critical first).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantNames,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub const ALL: [Severity; 5] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ];

    /// The severity as the reports and `hiyari.toml` write it: `critical`, …, `info`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// True when `self` is as severe as `threshold` or more.
    pub fn at_least(self, threshold: Severity) -> bool {
        self <= threshold
    }
}

/// Any case (`--fail-on HIGH`). Written here rather than derived with
/// `strum::EnumString`: its error only says that no variant matched, and this one lists
/// what is accepted.
impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                format!(
                    "unknown severity `{s}`: expected one of {}",
                    Severity::VARIANTS.join(", ")
                )
            })
    }
}
