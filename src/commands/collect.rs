//! `hiyari collect`: scan and save the inventory, account by account, without
//! evaluating it.

use anyhow::Result;
use hiyari_checks::registry;

use super::{scan_request, select};
use crate::cli::CollectArgs;
use crate::inventory_file::InventoryWriter;
use crate::output;
use crate::scan::{self, keep_inventory};

/// `hiyari collect`.
pub(super) async fn run(args: CollectArgs) -> Result<u8> {
    let (config, checks) = select(&args.select)?;
    if !output::is_stdout(Some(&args.output)) {
        output::check_writable(&args.output)?;
    }
    // Written account by account as the scan goes: an organization's inventory is
    // never whole in memory.
    let mut file = InventoryWriter::open(&args.output)?;
    let collected_at = scan::scan(
        &scan_request(&args.aws, &args.targets),
        registry::needs(&checks, &config.params),
        keep_inventory(),
        &mut |account| file.account(&account),
    )
    .await?;
    file.finish(&collected_at)?;
    Ok(0)
}
