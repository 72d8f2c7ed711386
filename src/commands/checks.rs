//! `hiyari checks`: every check, one line each, or the full reference in Markdown.

use anyhow::Result;
use hiyari_checks::all_checks;

use crate::cli::{ChecksArgs, ChecksFormat};

pub(super) fn run(args: ChecksArgs) -> Result<u8> {
    match args.format {
        ChecksFormat::Table => print_checks(),
        ChecksFormat::Markdown => print!("{}", hiyari_checks::docs::reference()),
    }
    Ok(0)
}

fn print_checks() {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header(["Id", "Severity", "Scope", "Title", "Incidents"]);
    for c in all_checks() {
        let m = c.meta();
        t.add_row([
            m.id.to_string(),
            m.severity.to_string(),
            m.scope.as_str().to_string(),
            m.title.to_string(),
            m.incidents.join("\n"),
        ]);
    }
    println!("{t}");
}
