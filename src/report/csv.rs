//! CSV (RFC 4180): a header row, then one row per finding in the report's order, lines
//! ending in CRLF. Cells a spreadsheet would evaluate as a formula are neutralised
//! (see [`super::common::csv`]), since resource names are chosen by whoever controls
//! the account.
//!
//! [`CsvWriter`] writes the header and each finding's row on its own, so that rows can
//! be written as findings arrive; [`render`] is the whole report at once.

use std::io::{self, Write};

use hiyari_checks::{Finding, Report};

use super::common;

pub const HEADER: [&str; 14] = [
    "account",
    "region",
    "check",
    "title",
    "status",
    "severity",
    "resource_type",
    "resource_id",
    "resource_arn",
    "message",
    "mute_reason",
    "remediation",
    "incidents",
    "finding_id",
];

/// Writes the report's CSV, row by row: `csv::Writer` quotes, hiyari's own
/// [`common::csv`] neutralises formula cells first.
pub struct CsvWriter<W: Write> {
    out: ::csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(w: W) -> Self {
        let out = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(w);
        Self { out }
    }

    pub fn write_header(&mut self) -> io::Result<()> {
        self.out.write_record(HEADER)?;
        Ok(())
    }

    /// One finding's row.
    pub fn write_row(&mut self, f: &Finding) -> io::Result<()> {
        let incidents = f.incidents.join(" ");
        let cells: [&str; 14] = [
            &f.account,
            f.region.as_deref().unwrap_or(""),
            &f.check,
            common::title(&f.check),
            f.status.as_str(),
            f.severity.as_str(),
            &f.resource.kind,
            &f.resource.id,
            f.resource.arn.as_deref().unwrap_or(""),
            &f.message,
            f.mute_reason.as_deref().unwrap_or(""),
            &f.remediation,
            &incidents,
            &f.id,
        ];
        self.out
            .write_record(cells.iter().map(|c| common::csv(c)))?;
        Ok(())
    }

    /// Flushes what is buffered and gives the writer back.
    pub fn finish(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

/// The report as CSV.
pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("CSV of UTF-8 cells is UTF-8")
}

/// Writes the CSV to `w` row by row.
pub fn write(report: &Report, w: impl Write) -> io::Result<()> {
    let mut w = CsvWriter::new(w);
    w.write_header()?;
    for f in &report.findings {
        w.write_row(f)?;
    }
    w.finish().map(drop)
}
