//! What a scan must collect for the selected checks: their sources, and what a check
//! adds to that (the days of cost to read), declared by the checks themselves
//! ([`crate::check::Check::widen`], gathered by [`crate::registry::needs`]).

use std::collections::BTreeSet;

use crate::source::Source;

/// The days of cost per region read when no selected check asks for more.
pub const DEFAULT_COST_DAYS: u32 = 14;
/// The days of root sign-ins read when no selected check asks for more.
pub const DEFAULT_SIGN_IN_DAYS: u32 = 30;

/// Which sources to fetch, and the settings their collectors take from the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needs {
    sources: BTreeSet<Source>,
    /// How many days of cost per region to read ([`Source::CostByRegion`]).
    pub cost_days: u32,
    /// How many days of root sign-ins to read ([`Source::RootSignIns`]).
    pub sign_in_days: u32,
    /// A sweep (`hiyari sweep`): its collectors run once the account's regions are
    /// listed, into [`crate::inventory::AccountInventory::sweep`].
    pub sweep: Option<crate::inventory::sweep::SweepPlan>,
}

impl Needs {
    /// These sources, with the default settings.
    pub fn of(sources: impl IntoIterator<Item = Source>) -> Self {
        Self {
            sources: sources.into_iter().collect(),
            cost_days: DEFAULT_COST_DAYS,
            sign_in_days: DEFAULT_SIGN_IN_DAYS,
            sweep: None,
        }
    }

    pub fn with_cost_days(mut self, days: u32) -> Self {
        self.cost_days = days.max(1);
        self
    }

    pub fn has(&self, s: Source) -> bool {
        self.sources.contains(&s)
    }

    pub fn regional(&self) -> bool {
        self.sources.iter().any(|s| s.is_regional())
    }
}
