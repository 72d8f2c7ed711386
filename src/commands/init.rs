//! `hiyari init`: a commented starter hiyari.toml.

use anyhow::{bail, Result};
use hiyari_checks::params::ParamsById;
use hiyari_checks::{find_check, registry, Check, Source};

use super::scan_request;
use crate::cli::{InitArgs, TargetArgs};
use crate::config;
use crate::output;
use crate::scan::{self, keep_inventory};

/// Writes a starter hiyari.toml; with credentials, allowed_regions lists the regions
/// where EC2 compute runs today, for a person to confirm.
pub(super) async fn run(args: InitArgs) -> Result<u8> {
    if args.output.exists() && !args.force {
        bail!(
            "{} exists; pass --force to overwrite it",
            args.output.display()
        );
    }
    if !output::is_stdout(Some(&args.output)) {
        output::check_writable(&args.output)?;
    }
    let (allowed, note) = if args.no_scan {
        (vec![], "Fill in the list.".to_string())
    } else {
        let compute: Vec<&'static dyn Check> =
            find_check("unused-region-compute").into_iter().collect();
        let mut accounts = Vec::new();
        scan::scan(
            &scan_request(&args.aws, &TargetArgs::default()),
            registry::needs(&compute, &ParamsById::default()),
            keep_inventory(),
            &mut |account| {
                accounts.push(account);
                Ok(())
            },
        )
        .await?;
        let mut found = Vec::new();
        let mut unread = Vec::new();
        for acc in &accounts {
            for (region, inv) in &acc.regional {
                let counts = [
                    inv.instances.of(Source::Instances).map(|v| v.len()),
                    inv.spot_requests.of(Source::SpotRequests).map(|v| v.len()),
                    inv.spot_fleets
                        .of(Source::SpotFleets)
                        .map(|v| v.iter().filter(|f| f.state.is_live()).count()),
                ];
                if counts.iter().any(|c| c.is_err()) {
                    unread.push(region.clone());
                }
                let n: usize = counts.iter().filter_map(|c| c.as_ref().ok()).sum();
                if n > 0 {
                    eprintln!("  {region}: {n} instance(s), spot request(s) or fleet(s)");
                    found.push(region.clone());
                }
            }
        }
        if !unread.is_empty() {
            eprintln!(
                "warning: could not read EC2 compute in {}; add them by hand if compute runs there",
                unread.join(", ")
            );
        }
        eprintln!(
            "Confirm allowed_regions in {}: they are the regions where compute runs today, \
             which is not the same as where it should.",
            args.output.display()
        );
        (
            found,
            "Filled by `hiyari init` from the regions where compute ran; confirm them.".to_string(),
        )
    };
    output::write_all(&[(Some(&args.output), &config::starter(&allowed, &note))])?;
    eprintln!("Wrote {}", args.output.display());
    Ok(0)
}
