//! The inventory file: what `hiyari collect` saves, written account by account as the
//! scan goes, and what `hiyari audit --inventory` reads back and evaluates.

use std::path::Path;

use anyhow::{bail, Context, Result};
use hiyari_checks::evaluate::{evaluate_account, EvaluatedAccount};
use hiyari_checks::inventory::{AccountInventory, Inventory, INVENTORY_SCHEMA};
use hiyari_checks::{Check, EvalOptions};

use crate::input::Saved;
use crate::output;

/// An inventory file written account by account, laid out as `serde_json` pretty-prints
/// a whole [`Inventory`] (which is what reads it back); `collected_at`, known at the end
/// of the scan, comes last.
pub struct InventoryWriter {
    out: output::Output,
    accounts: usize,
}

impl InventoryWriter {
    pub fn open(path: &Path) -> Result<Self> {
        let mut out = output::Output::open(Some(path))?;
        out.write_text(&format!(
            "{{\n  \"schema\": {},\n  \"tool_version\": {},\n  \"accounts\": [",
            serde_json::Value::from(INVENTORY_SCHEMA),
            serde_json::Value::from(env!("CARGO_PKG_VERSION")),
        ))?;
        Ok(Self { out, accounts: 0 })
    }

    pub fn account(&mut self, account: &AccountInventory) -> Result<()> {
        let text =
            serde_json::to_string_pretty(account).context("cannot serialise the inventory")?;
        let mut entry = String::with_capacity(text.len() + text.len() / 8);
        entry.push_str(if self.accounts == 0 { "\n" } else { ",\n" });
        // Strings are escaped on one line, so every line break is the layout's own.
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                entry.push('\n');
            }
            entry.push_str("    ");
            entry.push_str(line);
        }
        self.accounts += 1;
        self.out.write_text(&entry)
    }

    pub fn finish(mut self, collected_at: &str) -> Result<()> {
        self.out.write_text(&format!(
            "{}],\n  \"collected_at\": {}\n}}\n",
            if self.accounts == 0 { "" } else { "\n  " },
            serde_json::Value::from(collected_at),
        ))?;
        output::commit(vec![self.out])
    }
}

/// A saved inventory, as [`load`] reads it.
const SAVED: Saved = Saved {
    kind: "inventory",
    schema: INVENTORY_SCHEMA,
    make: "an inventory is what `hiyari collect --output FILE` saves",
    other: |s| {
        (s == crate::report::json::SCHEMA).then(|| format!("is a hiyari report ({s}), not an inventory; --inventory takes what `hiyari collect --output FILE` saves (`hiyari diff` compares two reports)"))
    },
};

/// Reads a saved inventory: one clear error for a file that is not one.
pub fn load(path: &Path) -> Result<Inventory> {
    let inv: Inventory = crate::input::read_saved(path, &SAVED)?;
    crate::input::check_inventory_names(&inv, path)?;
    if inv.accounts.is_empty() {
        bail!("{} holds no account", path.display());
    }
    Ok(inv)
}

/// `audit --inventory FILE`: the saved accounts, each evaluated, judged as of when they
/// were collected (`opts.now` is set to that time), and when that was. `--region` (the
/// home region) is refused: the inventory recorded its own; `--regions` narrows it.
pub fn evaluate(
    path: &Path,
    region: Option<&str>,
    regions: Option<&[String]>,
    checks: &[&dyn Check],
    opts: &mut EvalOptions,
) -> Result<(Vec<EvaluatedAccount>, String)> {
    let mut inv = load(path)?;
    if let Some(region) = region {
        let homes: Vec<&str> = inv
            .accounts
            .iter()
            .filter_map(|a| a.home_region.as_deref())
            .collect();
        bail!(
                "--region {region} cannot apply to a saved inventory: its home region was recorded when it was collected ({}). Leave --region out; --allowed-regions says where compute is expected, --regions narrows the regions evaluated",
                if homes.is_empty() {
                    "none".to_string()
                } else {
                    homes.join(", ")
                }
            );
    }
    if let Some(regions) = regions {
        inv.select_regions(regions)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), crate::input::clean(&e)))?;
    }
    // A saved inventory is judged as of when it was collected (ages of keys,
    // of root use): the same file gives the same findings whenever it is
    // evaluated.
    opts.now = Some(
            time::OffsetDateTime::parse(
                &inv.collected_at,
                &time::format_description::well_known::Rfc3339,
            )
            .map_err(|e| {
                // Judged against today instead, a key used the day before
                // collection could read as months old: no report rather than a
                // wrong one.
                anyhow::anyhow!(
                    "{}: collected_at `{}` is not an RFC 3339 time ({e}); the ages of keys and of root use cannot be judged without it",
                    path.display(),
                    crate::input::clean(&inv.collected_at)
                )
            })?,
        );
    let evaluated = inv
        .accounts
        .iter()
        .map(|a| evaluate_account(a, checks, opts))
        .collect();
    Ok((evaluated, inv.collected_at))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inventory `collect` writes account by account is the one `serde_json` writes
    /// whole, byte for byte, with no account, one, and several.
    #[test]
    fn an_inventory_written_account_by_account_is_the_whole_one() {
        let _alone = crate::output::FILE_OUTPUT_TESTS
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let example: Inventory = serde_json::from_str(include_str!(
            "../examples/inc-2015-leaked-root-key.inventory.json"
        ))
        .unwrap();
        let mut other = example.accounts[0].clone();
        other.identity.account_id = "222222222222".into();
        other.home_region = Some("line\nbreak \"quoted\"".into());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inventory.json");
        for n in 0..=3 {
            let accounts: Vec<AccountInventory> = [example.accounts[0].clone(), other.clone()]
                .into_iter()
                .cycle()
                .take(n)
                .collect();
            let whole = Inventory {
                schema: INVENTORY_SCHEMA.into(),
                tool_version: env!("CARGO_PKG_VERSION").into(),
                accounts: accounts.clone(),
                collected_at: "2026-11-24T00:00:00Z".into(),
            };
            let mut w = InventoryWriter::open(&path).unwrap();
            for a in &accounts {
                w.account(a).unwrap();
            }
            w.finish(&whole.collected_at).unwrap();
            let written = std::fs::read_to_string(&path).unwrap();
            assert_eq!(
                written,
                serde_json::to_string_pretty(&whole).unwrap() + "\n",
                "{n} accounts"
            );
            assert_eq!(serde_json::from_str::<Inventory>(&written).unwrap(), whole);
        }
    }
}
