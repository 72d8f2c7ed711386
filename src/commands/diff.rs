//! `hiyari diff OLD NEW`: what changed between two saved reports.

use std::path::Path;

use anyhow::Result;

use crate::cli::{DiffArgs, DiffFormat};
use crate::output;

/// `hiyari diff OLD NEW`.
pub(super) fn run(args: DiffArgs) -> Result<u8> {
    let old = crate::diff::load(&args.old)?;
    let new = crate::diff::load(&args.new)?;
    crate::diff::same_accounts(&old, &new.account_ids(), &args.old.display().to_string())?;
    let d = hiyari_checks::diff::diff(&old.findings, &new.findings);
    let label = |r: &crate::diff::SavedReport, p: &Path| {
        if r.started_at.is_empty() {
            p.display().to_string()
        } else {
            format!("{} ({})", p.display(), r.started_at)
        }
    };
    let (ol, nl) = (label(&old, &args.old), label(&new, &args.new));
    let w = crate::diff::warnings(&old, &new);
    let text = match args.format {
        DiffFormat::Table => crate::diff::render_table(&d, &w),
        DiffFormat::Json => crate::diff::render_json(&d, &w),
        DiffFormat::Markdown => crate::diff::render_markdown(&d, &ol, &nl, &w),
        DiffFormat::Html => crate::diff::render_html(&d, &ol, &nl, &w),
    };
    output::write_all(&[(args.output.as_deref(), &text)])?;
    Ok(0)
}
