//! The IAM credential report: a CSV with one row per IAM user plus `<root_account>`.
//!
//! Parsed by header name, not by position, so AWS adding a column breaks nothing; a
//! missing column that a check needs is a parse error, never a silent default.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The user name AWS gives the root user's row.
pub const ROOT_ACCOUNT_USER: &str = "<root_account>";

crate::word::aws_word! {
    /// A yes/no column of the credential report (`password_enabled`, `mfa_active`,
    /// `access_key_N_active`). Only `true` is a yes: the root row's `not_supported`, and
    /// any word AWS may add, are not.
    pub enum Flag {
        True = "true",
        False = "false",
        NotSupported = "not_supported",
    }
}

impl Flag {
    pub fn is_true(&self) -> bool {
        *self == Flag::True
    }
}

/// One row of the credential report, with the columns hiyari reads. Times are kept as
/// AWS writes them (`N/A`, `not_supported`, `no_information`, or an ISO 8601 time), and
/// read with [`parse_time`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialReportRow {
    pub user: String,
    pub arn: String,
    pub user_creation_time: String,
    pub password_enabled: Flag,
    pub password_last_used: String,
    pub mfa_active: Flag,
    pub access_key_1_active: Flag,
    pub access_key_1_last_rotated: String,
    pub access_key_1_last_used_date: String,
    pub access_key_2_active: Flag,
    pub access_key_2_last_rotated: String,
    pub access_key_2_last_used_date: String,
}

impl CredentialReportRow {
    pub fn is_root(&self) -> bool {
        self.user == ROOT_ACCOUNT_USER
    }

    /// The user can sign in to the console with a password. The root row reads
    /// `not_supported`, which is not a yes.
    pub fn has_console_password(&self) -> bool {
        self.password_enabled.is_true()
    }

    pub fn mfa_active(&self) -> bool {
        self.mfa_active.is_true()
    }

    /// The number of active access keys in the row.
    pub fn active_access_keys(&self) -> usize {
        [&self.access_key_1_active, &self.access_key_2_active]
            .iter()
            .filter(|v| v.is_true())
            .count()
    }
}

/// Reads a time column of the report: `Ok(None)` for AWS's words for "no time" (`N/A`,
/// `no_information`, `not_supported`, empty), `Err` with the value for anything else that
/// is not an ISO 8601 time, so a check never mistakes an unreadable value for "never".
pub fn parse_time(value: &str) -> Result<Option<time::OffsetDateTime>, String> {
    match value.trim() {
        "" | "N/A" | "no_information" | "not_supported" => Ok(None),
        v => time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339)
            .map(Some)
            .map_err(|e| format!("`{v}` is not an ISO 8601 time ({e})")),
    }
}

/// Whole days from `then` to `now` (negative when `then` is in the future).
pub fn days_between(then: time::OffsetDateTime, now: time::OffsetDateTime) -> i64 {
    (now - then).whole_days()
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum CredentialReportError {
    #[error("the credential report is empty")]
    Empty,
    #[error("the credential report has no `{0}` column")]
    MissingColumn(&'static str),
    #[error("the credential report is not valid CSV: {0}")]
    Csv(String),
    #[error("line {line} of the credential report has {found} fields, the header has {expected}")]
    Ragged {
        line: usize,
        found: usize,
        expected: usize,
    },
}

/// The columns hiyari reads, by header name (in `CredentialReportRow` order).
pub const COLUMNS: [&str; 12] = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
];

/// Parses the report's CSV text.
pub fn parse(text: &str) -> Result<Vec<CredentialReportRow>, CredentialReportError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| CredentialReportError::Csv(e.to_string()))?
        .clone();
    if headers.is_empty() || headers.iter().all(|h| h.trim().is_empty()) {
        return Err(CredentialReportError::Empty);
    }
    let mut idx = [0usize; COLUMNS.len()];
    for (slot, name) in idx.iter_mut().zip(COLUMNS) {
        *slot = headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or(CredentialReportError::MissingColumn(name))?;
    }
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| CredentialReportError::Csv(e.to_string()))?;
        if record.len() == 1 && record.get(0).is_some_and(|f| f.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            return Err(CredentialReportError::Ragged {
                line: n + 2,
                found: record.len(),
                expected: headers.len(),
            });
        }
        let f = |i: usize| record.get(idx[i]).unwrap_or("").trim().to_string();
        rows.push(CredentialReportRow {
            user: f(0),
            arn: f(1),
            user_creation_time: f(2),
            password_enabled: f(3).into(),
            password_last_used: f(4),
            mfa_active: f(5).into(),
            access_key_1_active: f(6).into(),
            access_key_1_last_rotated: f(7),
            access_key_1_last_used_date: f(8),
            access_key_2_active: f(9).into(),
            access_key_2_last_rotated: f(10),
            access_key_2_last_used_date: f(11),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated";

    #[test]
    fn parses_real_layout_with_root_row() {
        let text = format!(
            "{HEADER}\n\
<root_account>,arn:aws:iam::123456789012:root,2015-01-01T00:00:00+00:00,not_supported,2024-05-01T00:00:00+00:00,not_supported,not_supported,false,true,2015-02-01T00:00:00+00:00,2024-05-02T00:00:00+00:00,sa-east-1,ec2,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n\
alice,arn:aws:iam::123456789012:user/alice,2020-01-01T00:00:00+00:00,true,no_information,2020-01-01T00:00:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let rows = parse(&text).unwrap();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].is_root());
        assert!(!rows[0].has_console_password());
        assert_eq!(rows[0].active_access_keys(), 1);
        assert!(!rows[0].mfa_active());
        assert_eq!(rows[1].user, "alice");
        assert!(rows[1].has_console_password());
        assert_eq!(rows[1].active_access_keys(), 0);
    }

    /// A word AWS may add to a yes/no column is kept, and is not a yes.
    #[test]
    fn an_unknown_flag_is_kept_and_is_not_true() {
        let text = format!(
            "{HEADER}\n\
bob,arn:aws:iam::123456789012:user/bob,2020-01-01T00:00:00+00:00,pending,N/A,N/A,N/A,unknown,yes,N/A,N/A,N/A,N/A,TRUE,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
        );
        let row = &parse(&text).unwrap()[0];
        assert_eq!(row.password_enabled, Flag::Other("pending".into()));
        assert_eq!(row.mfa_active.as_str(), "unknown");
        assert_eq!(row.access_key_1_active, Flag::Other("yes".into()));
        assert_eq!(row.access_key_2_active, Flag::Other("TRUE".into()));
        assert!(!row.has_console_password());
        assert!(!row.mfa_active());
        assert_eq!(row.active_access_keys(), 0);
        assert_eq!(Flag::from("not_supported"), Flag::NotSupported);
    }

    #[test]
    fn missing_column_is_an_error_not_a_default() {
        let text = "user,arn\nalice,arn:aws:iam::1:user/alice\n";
        assert_eq!(
            parse(text),
            Err(CredentialReportError::MissingColumn("user_creation_time"))
        );
    }

    #[test]
    fn ragged_row_is_an_error() {
        let text = format!("{HEADER}\nalice,arn\n");
        assert!(matches!(
            parse(&text),
            Err(CredentialReportError::Ragged { line: 2, .. })
        ));
    }

    #[test]
    fn times_parse_and_words_for_none_are_none() {
        let t = parse_time("2024-05-01T00:00:00+00:00").unwrap().unwrap();
        assert_eq!(t.year(), 2024);
        for none in ["N/A", "no_information", "not_supported", ""] {
            assert_eq!(parse_time(none), Ok(None), "{none}");
        }
        assert!(parse_time("yesterday").is_err());
    }

    #[test]
    fn empty_input_is_an_error() {
        assert_eq!(parse(""), Err(CredentialReportError::Empty));
    }
}
