//! Renderers: one module per output format, each taking the finished [`Report`].
//! Renderers never decide pass or fail; checks never format output.

pub mod asff;
pub mod catalog;
pub mod common;
pub mod csv;
pub mod group;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod ocsf;
pub mod sarif;
pub mod sweep;
pub mod table;
pub mod text;
pub mod wrap;

use hiyari_checks::Report;

pub use common::sanitize_terminal;

/// The report formats (`--format`, `--output FORMAT=PATH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table, grouped by severity, with a summary line.
    Table,
    /// The `hiyari.report/v1` JSON contract, for CI and SIEM.
    Json,
    /// OCSF 1.3 Compliance Finding events, one JSON object per line, for a SIEM.
    Ocsf,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// JUnit XML, one test suite per check, for CI test reports.
    Junit,
    /// AWS Security Finding Format (a JSON array), for Security Hub BatchImportFindings.
    Asff,
    /// CSV with a header row, one row per finding.
    Csv,
    /// The pre-handover checklist in Markdown.
    Markdown,
    /// The pre-handover checklist as one self-contained HTML file.
    Html,
}

/// How the report will be shown.
pub struct RenderOptions {
    /// ANSI colour (only on a terminal, never with NO_COLOR).
    pub color: bool,
    pub show_pass: bool,
    /// The width the table fits, in columns.
    pub width: usize,
    /// What the formats beyond table and JSON need that the report does not hold.
    pub context: common::ReportContext,
}

pub fn render(report: &Report, format: Format, opts: &RenderOptions) -> String {
    match format {
        Format::Json => json::render(report),
        Format::Table => table::render(
            report,
            &table::TableOptions {
                color: opts.color,
                show_pass: opts.show_pass,
                width: opts.width,
            },
        ),
        Format::Ocsf => ocsf::render(report),
        Format::Sarif => sarif::render(report, &opts.context),
        Format::Junit => junit::render(report),
        Format::Asff => asff::render(report, &opts.context),
        Format::Csv => csv::render(report),
        Format::Markdown => markdown::render(report, &opts.context),
        Format::Html => html::render(report, &opts.context),
    }
}

/// Writes the report to `w` in `format`. JSON, OCSF and CSV are serialised into `w` as
/// they are made, so an organization's report is never held as text as well as findings.
pub fn write(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    mut w: impl std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::write(report, w),
        Format::Ocsf => ocsf::write(report, w),
        Format::Csv => csv::write(report, w),
        _ => w.write_all(render(report, format, opts).as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_cannot_act_on_the_screen() {
        let hostile = "web\x1b[2J\x1b[31mred\rover\nline\u{202E}txt.exe";
        let s = sanitize_terminal(hostile);
        assert!(!s.chars().any(|c| c.is_control()), "{s:?}");
        assert!(!s.contains('\u{202E}'));
        assert!(s.contains("\\u{1b}[2J"));
        assert_eq!(sanitize_terminal("sg-0abc"), "sg-0abc");
        let long = "x".repeat(10_000);
        assert!(sanitize_terminal(&long).chars().count() < 600);
    }
}
