//! hiyari-checks: the inventory model, findings, the check registry and one file per
//! check.
//!
//! This crate has no AWS SDK dependency on purpose: checks are pure, synchronous
//! functions from an [`Inventory`] to [`Finding`]s, so the dependency graph itself
//! guarantees that no check ever calls AWS, and the whole crate builds and tests in
//! seconds. Collection lives in the `hiyari` binary (`src/collect/`), rendering in
//! `src/report/`.

// The core, each module importing only those above it: the sources and what was
// collected of them, the inventory, a check's metadata, findings, the options, the
// check itself; then the checks, their registry, and what is done with their findings.
pub mod accept;
pub mod check;
pub mod checks;
pub mod collected;
pub mod credential_report;
pub mod diff;
pub mod docs;
pub mod evaluate;
pub mod finding;
pub mod inventory;
pub mod meta;
pub mod names;
pub mod needs;
pub mod options;
pub mod org;
pub mod params;
pub mod registry;
#[cfg(test)]
mod repo_docs;
pub mod severity;
pub mod source;
pub mod sweep;
pub mod verify;
pub mod warning;
mod word;

pub use accept::AcceptRule;
pub use check::{Check, Cx, Declared};
pub use evaluate::{evaluate, EvalOptions, Report, ReportAccount, Summary};
pub use finding::{Baseline, Finding, FindingBuilder, Resource, Severity, Status};
pub use inventory::{AccountInventory, CollectError, Collected, Inventory, RegionInventory};
pub use meta::{CheckMeta, Doc, Scope};
pub use needs::Needs;
pub use params::{ParamError, ParamErrorAt, ParamsById, ParamsSpec};
pub use registry::{all_checks, find_check};
pub use source::Source;
pub use warning::Warning;
