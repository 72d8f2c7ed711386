//! `hiyari explain ID`: one check's documentation, fitted to the terminal (see
//! `report::catalog`).

use anyhow::{bail, Result};
use hiyari_checks::find_check;

use crate::{output, report};

pub(super) fn run(id: &str) -> Result<u8> {
    let Some(check) = find_check(id) else {
        bail!("{}", crate::suggest::unknown_check(id));
    };
    print!(
        "{}",
        report::catalog::explain(check, output::width_for(None))
    );
    Ok(0)
}
