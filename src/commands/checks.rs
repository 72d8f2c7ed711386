//! `hiyari checks`: every check, fitted to the terminal (see `report::catalog`), or the
//! full reference in Markdown.

use crate::cli::{ChecksArgs, ChecksFormat};
use crate::{output, report};
use anyhow::Result;

pub(super) fn run(args: ChecksArgs) -> Result<u8> {
    match args.format {
        ChecksFormat::Table => print_checks(),
        ChecksFormat::Markdown => print!("{}", hiyari_checks::docs::reference()),
    }
    Ok(0)
}

fn print_checks() {
    print!("{}", report::catalog::checks(output::width_for(None)));
}
