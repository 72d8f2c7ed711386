//! The options every check may read (allowed regions, settings, the time ages are
//! judged against) and what the configuration changes about results.

use std::collections::BTreeMap;

use crate::accept::AcceptRule;
use crate::inventory::AccountInventory;
use crate::params::ParamsById;
use crate::severity::Severity;

/// Options every check may read, and what the configuration changes about results.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Regions where EC2 compute is expected (`--allowed-regions`). `None`: each
    /// account's home region.
    pub allowed_regions: Option<Vec<String>>,
    /// Allowed regions of single accounts (`[accounts."ID"]` in hiyari.toml), which win
    /// over `allowed_regions` for that account.
    pub account_allowed_regions: BTreeMap<String, Vec<String>>,
    /// Checks' own parameters (`[checks.<id>]` in hiyari.toml).
    pub params: ParamsById,
    /// Severity overrides by check id.
    pub severity: BTreeMap<String, Severity>,
    /// Accepted risks.
    pub accept: Vec<AcceptRule>,
    /// The date expiry is judged against (`None`: today, UTC).
    pub today: Option<time::Date>,
    /// The time that ages (of keys, of last use) are judged against (`None`: now, UTC).
    pub now: Option<time::OffsetDateTime>,
}

/// The allowed regions in force for one account, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedRegions {
    pub regions: Vec<String>,
    pub source: String,
}

impl EvalOptions {
    /// The time ages are judged against: `now`, or the current time (UTC).
    pub fn now(&self) -> time::OffsetDateTime {
        self.now.unwrap_or_else(time::OffsetDateTime::now_utc)
    }

    /// The parameters of check `id` in force: as configured, else the defaults of `P`
    /// (the check's `Params`).
    pub fn params<P: Clone + Default + 'static>(&self, id: &str) -> P {
        self.params.get(id)
    }

    /// The allowed regions given for account `id` (by `[accounts."ID"]`, else
    /// `--allowed-regions` or `allowed_regions`), and where they came from; `None` when
    /// none is given and the home region stands in.
    pub fn allowed_regions_given(&self, id: &str) -> Option<AllowedRegions> {
        if let Some(list) = self.account_allowed_regions.get(id) {
            return Some(AllowedRegions {
                regions: list.clone(),
                source: format!("[accounts.\"{id}\"] in the configuration"),
            });
        }
        self.allowed_regions.as_ref().map(|list| AllowedRegions {
            regions: list.clone(),
            source: "--allowed-regions".into(),
        })
    }

    /// The allowed regions in force for `account`: those given, else its home region.
    pub fn allowed_regions_for(&self, account: &AccountInventory) -> AllowedRegions {
        if let Some(given) = self.allowed_regions_given(&account.identity.account_id) {
            return given;
        }
        match &account.home_region {
            Some(home) => AllowedRegions {
                regions: vec![home.clone()],
                source: "home region (no --allowed-regions given)".into(),
            },
            None => AllowedRegions {
                regions: vec![],
                source: "none: no --allowed-regions and no home region".into(),
            },
        }
    }
}
