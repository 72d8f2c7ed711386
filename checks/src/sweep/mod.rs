//! The sweep: what happened in an account since a leak notice, from CloudTrail event
//! history and every region's live resources (`hiyari sweep`).
//!
//! [`crate::inventory::sweep`] is what the collectors gather (the sweep inventory, each
//! piece a `Collected<T>` so that missing data is an error, never an empty list),
//! [`event`] reads a CloudTrail event record, and [`evaluate`] turns an inventory into
//! the `hiyari.sweep/v1` report ([`report`]): the window filter, the attribution of
//! temporary keys to the key that minted them, and each created resource matched to its
//! creation event. Pure, like the checks: no AWS SDK, no I/O.

pub mod evaluate;
pub mod event;
pub mod report;
pub mod sources;

pub use crate::inventory::sweep::{SweepAccount, SweepInventory, SweepQuery, Window};
pub use evaluate::evaluate;
pub use report::SweepReport;
