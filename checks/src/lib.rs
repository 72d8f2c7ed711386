//! hiyari-checks: the inventory model, findings, the check registry and one file per
//! check.
//!
//! This crate has no AWS SDK dependency on purpose: checks are pure, synchronous
//! functions from an [`Inventory`] to [`Finding`]s, so the dependency graph itself
//! guarantees that no check ever calls AWS, and the whole crate builds and tests in
//! seconds. Collection lives in the `hiyari` binary (`src/collect/`), rendering in
//! `src/report/`.

pub mod accept;
pub mod check;
pub mod checks;
pub mod credential_report;
pub mod diff;
pub mod docs;
pub mod evaluate;
pub mod finding;
pub mod inventory;
pub mod org;
pub mod params;
pub mod registry;
pub mod warning;

pub use accept::AcceptRule;
pub use check::{Check, CheckMeta, Cx, Declared, Doc, Scope, Source};
pub use evaluate::{evaluate, EvalOptions, Report, ReportAccount, Summary};
pub use finding::{Baseline, Finding, FindingBuilder, Resource, Severity, Status};
pub use inventory::{AccountInventory, CollectError, Collected, Inventory, RegionInventory};
pub use params::{ParamError, ParamErrorAt, ParamsById, ParamsSpec};
pub use registry::{all_checks, find_check};
pub use warning::Warning;
