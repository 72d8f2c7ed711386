//! hiyari.toml: allowed regions, per-check settings and accepted risks.
//!
//! Unknown keys are errors, and every error names the file, line and column and says
//! what is expected: a typo in a security tool's configuration must not silently turn
//! a check off.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hiyari_checks::{AcceptRule, CheckParams, Severity};
use serde::Deserialize;
use toml::Spanned;

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "hiyari.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    allowed_regions: Option<Vec<String>>,
    fail_on: Option<Severity>,
    #[serde(default)]
    checks: ChecksTable,
    #[serde(default)]
    accept: Vec<Spanned<RawAccept>>,
    /// `[accounts."ID"]`: settings of one account of an organization scan.
    #[serde(default)]
    accounts: BTreeMap<Spanned<String>, RawAccount>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccount {
    allowed_regions: Option<Vec<String>>,
    #[serde(default)]
    accept: Vec<Spanned<RawAccept>>,
}

/// Settings every check has.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Common {
    enabled: Option<bool>,
    severity: Option<Severity>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SgEgress {
    enabled: Option<bool>,
    severity: Option<Severity>,
    /// Also fail groups attached to no network interface.
    include_unused: Option<bool>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RootRecentUse {
    enabled: Option<bool>,
    severity: Option<Severity>,
    /// A root password or key use this many days ago or fewer fails (default 30).
    max_age_days: Option<u32>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct StaleKeys {
    enabled: Option<bool>,
    severity: Option<Severity>,
    /// An active key last rotated more than this many days ago fails (default 90).
    max_age_days: Option<u32>,
    /// An active key unused for more than this many days fails (default 90).
    max_unused_days: Option<u32>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct SesHealth {
    enabled: Option<bool>,
    severity: Option<Severity>,
    /// A Reputation.BounceRate at or over this percentage fails (default 5).
    bounce_rate_percent: Option<Spanned<f64>>,
    /// A Reputation.ComplaintRate at or over this percentage fails (default 0.1).
    complaint_rate_percent: Option<Spanned<f64>>,
}

/// `[checks.<id>]`: one typed table per check id; an unknown id is an error naming the
/// known ones. A unit test keeps these ids equal to the registry's.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChecksTable {
    #[serde(rename = "root-access-keys")]
    root_access_keys: Option<Common>,
    #[serde(rename = "root-mfa")]
    root_mfa: Option<Common>,
    #[serde(rename = "iam-user-console-mfa")]
    iam_user_console_mfa: Option<Common>,
    #[serde(rename = "billing-alarm")]
    billing_alarm: Option<Common>,
    #[serde(rename = "guardduty-enabled")]
    guardduty_enabled: Option<Common>,
    #[serde(rename = "public-ami")]
    public_ami: Option<Common>,
    #[serde(rename = "public-snapshot")]
    public_snapshot: Option<Common>,
    #[serde(rename = "unused-region-compute")]
    unused_region_compute: Option<Common>,
    #[serde(rename = "sg-unrestricted-egress")]
    sg_unrestricted_egress: Option<SgEgress>,
    #[serde(rename = "root-recent-use")]
    root_recent_use: Option<RootRecentUse>,
    #[serde(rename = "stale-access-keys")]
    stale_access_keys: Option<StaleKeys>,
    #[serde(rename = "compromised-key-quarantine")]
    compromised_key_quarantine: Option<Common>,
    #[serde(rename = "cloudtrail-multi-region")]
    cloudtrail_multi_region: Option<Common>,
    #[serde(rename = "guardduty-high-findings")]
    guardduty_high_findings: Option<Common>,
    #[serde(rename = "s3-account-public-access-block")]
    s3_account_public_access_block: Option<Common>,
    #[serde(rename = "snapshot-block-public-access")]
    snapshot_block_public_access: Option<Common>,
    #[serde(rename = "ami-block-public-access")]
    ami_block_public_access: Option<Common>,
    #[serde(rename = "ses-sending-health")]
    ses_sending_health: Option<SesHealth>,
}

impl ChecksTable {
    /// `(id, common settings)` of every check table present.
    fn common(&self) -> Vec<(&'static str, Common)> {
        let mut v = Vec::new();
        let mut add = |id: &'static str, c: &Option<Common>| {
            if let Some(c) = c {
                v.push((id, c.clone()));
            }
        };
        add("root-access-keys", &self.root_access_keys);
        add("root-mfa", &self.root_mfa);
        add("iam-user-console-mfa", &self.iam_user_console_mfa);
        add("billing-alarm", &self.billing_alarm);
        add("guardduty-enabled", &self.guardduty_enabled);
        add("public-ami", &self.public_ami);
        add("public-snapshot", &self.public_snapshot);
        add("unused-region-compute", &self.unused_region_compute);
        add(
            "compromised-key-quarantine",
            &self.compromised_key_quarantine,
        );
        add("cloudtrail-multi-region", &self.cloudtrail_multi_region);
        add("guardduty-high-findings", &self.guardduty_high_findings);
        add(
            "s3-account-public-access-block",
            &self.s3_account_public_access_block,
        );
        add(
            "snapshot-block-public-access",
            &self.snapshot_block_public_access,
        );
        add("ami-block-public-access", &self.ami_block_public_access);
        if let Some(c) = &self.ses_sending_health {
            v.push((
                "ses-sending-health",
                Common {
                    enabled: c.enabled,
                    severity: c.severity,
                },
            ));
        }
        if let Some(sg) = &self.sg_unrestricted_egress {
            v.push((
                "sg-unrestricted-egress",
                Common {
                    enabled: sg.enabled,
                    severity: sg.severity,
                },
            ));
        }
        if let Some(c) = &self.root_recent_use {
            v.push((
                "root-recent-use",
                Common {
                    enabled: c.enabled,
                    severity: c.severity,
                },
            ));
        }
        if let Some(c) = &self.stale_access_keys {
            v.push((
                "stale-access-keys",
                Common {
                    enabled: c.enabled,
                    severity: c.severity,
                },
            ));
        }
        v
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccept {
    check: Spanned<String>,
    region: Option<String>,
    resource: Option<String>,
    account: Option<String>,
    reason: String,
    expires: Option<Spanned<toml::value::Datetime>>,
}

/// The configuration, checked and ready to use.
#[derive(Debug, Default, Clone)]
pub struct Config {
    /// The file it came from (`None`: no file, defaults).
    pub path: Option<PathBuf>,
    pub allowed_regions: Option<Vec<String>>,
    pub fail_on: Option<Severity>,
    pub disabled: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub params: CheckParams,
    pub accept: Vec<AcceptRule>,
    /// `[accounts."ID"] allowed_regions`, by account id.
    pub account_allowed_regions: BTreeMap<String, Vec<String>>,
}

/// A configuration error, already formatted as `file:line:column: what`.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(String);

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn at(path: &Path, text: &str, offset: usize, msg: impl std::fmt::Display) -> ConfigError {
    let (line, col) = line_col(text, offset);
    ConfigError(format!("{}:{line}:{col}: {msg}", path.display()))
}

/// Parses configuration text; `path` is used in messages.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        at(path, text, offset, e.message().trim())
    })?;
    let mut cfg = Config {
        path: Some(path.to_path_buf()),
        allowed_regions: raw.allowed_regions,
        fail_on: raw.fail_on,
        ..Config::default()
    };
    if let Some(list) = &cfg.allowed_regions {
        if list.iter().any(|r| r.trim().is_empty()) {
            return Err(ConfigError(format!(
                "{}: allowed_regions has an empty region name",
                path.display()
            )));
        }
    }
    for (id, c) in raw.checks.common() {
        if c.enabled == Some(false) {
            cfg.disabled.push(id.to_string());
        }
        if let Some(sev) = c.severity {
            cfg.severity.insert(id.to_string(), sev);
        }
    }
    if let Some(sg) = &raw.checks.sg_unrestricted_egress {
        cfg.params.sg_include_unused = sg.include_unused.unwrap_or(false);
    }
    let defaults = CheckParams::default();
    if let Some(c) = &raw.checks.root_recent_use {
        cfg.params.root_recent_use_max_age_days = c
            .max_age_days
            .unwrap_or(defaults.root_recent_use_max_age_days);
    }
    if let Some(c) = &raw.checks.stale_access_keys {
        cfg.params.stale_keys_max_age_days =
            c.max_age_days.unwrap_or(defaults.stale_keys_max_age_days);
        cfg.params.stale_keys_max_unused_days = c
            .max_unused_days
            .unwrap_or(defaults.stale_keys_max_unused_days);
    }
    if let Some(c) = &raw.checks.ses_sending_health {
        for (value, default, name, into) in [
            (
                &c.bounce_rate_percent,
                defaults.ses_bounce_rate_percent,
                "bounce_rate_percent",
                &mut cfg.params.ses_bounce_rate_percent,
            ),
            (
                &c.complaint_rate_percent,
                defaults.ses_complaint_rate_percent,
                "complaint_rate_percent",
                &mut cfg.params.ses_complaint_rate_percent,
            ),
        ] {
            *into = match value {
                None => default,
                Some(v) => {
                    let p = *v.get_ref();
                    if !(p > 0.0 && p <= 100.0) {
                        return Err(at(
                            path,
                            text,
                            v.span().start,
                            format!("`{name}` is a percentage: more than 0, at most 100 (got {p})"),
                        ));
                    }
                    p
                }
            };
        }
    }
    for entry in raw.accept {
        cfg.accept.push(accept_rule(path, text, entry, None)?);
    }
    for (id, acc) in raw.accounts {
        let span = id.span();
        let id = id.into_inner();
        if !crate::collect::org::is_account_id(&id) {
            return Err(at(
                path,
                text,
                span.start,
                format!("[accounts.\"{id}\"]: an account id has 12 digits, e.g. [accounts.\"111122223333\"]"),
            ));
        }
        if let Some(list) = acc.allowed_regions {
            if list.iter().any(|r| r.trim().is_empty()) {
                return Err(at(
                    path,
                    text,
                    span.start,
                    format!("[accounts.\"{id}\"] allowed_regions has an empty region name"),
                ));
            }
            cfg.account_allowed_regions.insert(id.clone(), list);
        }
        for entry in acc.accept {
            cfg.accept.push(accept_rule(path, text, entry, Some(&id))?);
        }
    }
    Ok(cfg)
}

/// One `[[accept]]` entry, checked; `account` is the id of the `[accounts."ID"]` table
/// it sits in, if any.
fn accept_rule(
    path: &Path,
    text: &str,
    entry: Spanned<RawAccept>,
    account: Option<&str>,
) -> Result<AcceptRule, ConfigError> {
    let span = entry.span();
    let (line, _) = line_col(text, span.start);
    let a = entry.into_inner();
    if hiyari_checks::find_check(a.check.get_ref()).is_none() {
        return Err(at(
            path,
            text,
            a.check.span().start,
            format!(
                "unknown check `{}` in [[accept]]; `hiyari checks` lists the ids",
                a.check.get_ref()
            ),
        ));
    }
    if a.reason.trim().is_empty() {
        return Err(at(
            path,
            text,
            span.start,
            "an [[accept]] entry needs a non-empty `reason`: say why the risk is accepted",
        ));
    }
    let expires = match a.expires {
        None => None,
        Some(d) => {
            let dt = d.get_ref();
            match (dt.date, dt.time) {
                (Some(date), None) => Some(
                    time::Date::from_calendar_date(
                        i32::from(date.year),
                        time::Month::try_from(date.month)
                            .map_err(|e| at(path, text, d.span().start, e))?,
                        date.day,
                    )
                    .map_err(|e| at(path, text, d.span().start, e))?,
                ),
                _ => {
                    return Err(at(
                        path,
                        text,
                        d.span().start,
                        "`expires` must be a date such as 2026-12-31 (no time)",
                    ))
                }
            }
        }
    };
    let account = match (account, a.account) {
        (Some(id), Some(other)) if other != id => {
            return Err(at(
                path,
                text,
                span.start,
                format!("this accepted risk is under [accounts.\"{id}\"] but names account `{other}`; drop `account` or move the entry"),
            ))
        }
        (Some(id), _) => Some(id.to_string()),
        (None, a) => a,
    };
    Ok(AcceptRule {
        check: a.check.into_inner(),
        region: a.region,
        resource: a.resource,
        account,
        reason: a.reason,
        expires,
        origin: format!("{}:{line}", path.display()),
    })
}

/// Loads `--config PATH`, or `hiyari.toml` in the working directory when it exists.
pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from(DEFAULT_FILE);
            if !p.exists() {
                return Ok(Config::default());
            }
            p
        }
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
    parse(&path, &text)
}

/// The starter file `hiyari init` writes.
pub fn starter(allowed: &[String], note: &str) -> String {
    let regions = if allowed.is_empty() {
        "# allowed_regions = [\"ap-northeast-1\"]".to_string()
    } else {
        format!(
            "allowed_regions = [{}]",
            allowed
                .iter()
                .map(|r| format!("\"{r}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!(
        r#"# hiyari configuration. `hiyari explain ID` tells what each check does.

# Regions where EC2 compute (instances, spot requests, spot fleets) is expected.
# Compute anywhere else fails unused-region-compute. {note}
{regions}

# The lowest severity of an unmuted fail that makes `hiyari audit` exit 1.
# fail_on = "low"

# Per-check settings: enabled, severity, and the check's own parameters.
# [checks.sg-unrestricted-egress]
# severity = "high"
# include_unused = false   # also fail open groups attached to nothing

# [checks.billing-alarm]
# enabled = false

# [checks.root-recent-use]
# max_age_days = 30        # a root password or key use within this many days fails

# [checks.stale-access-keys]
# max_age_days = 90        # an active key not rotated for longer fails
# max_unused_days = 90     # an active key unused for longer fails

# [checks.ses-sending-health]
# bounce_rate_percent = 5.0      # an SES bounce rate at or over this fails
# complaint_rate_percent = 0.1   # an SES complaint rate at or over this fails

# Accepted risks: a matching fail is reported as `muted` with the reason and does not
# fail CI. An entry past `expires` stops applying; an entry that matches nothing is
# reported, so these do not rot.
# [[accept]]
# check = "public-snapshot"
# region = "us-east-1"                # optional
# resource = "snap-0123456789abcdef0" # optional: id, ARN or glob such as "snap-*"
# reason = "Public sample data set, reviewed by security 2026-11"
# expires = 2027-03-31                # optional
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Config, ConfigError> {
        parse(Path::new("hiyari.toml"), text)
    }

    #[test]
    fn full_file() {
        let c = p(r#"
allowed_regions = ["ap-northeast-1", "us-east-1"]
fail_on = "high"

[checks.sg-unrestricted-egress]
severity = "high"
include_unused = true

[checks.billing-alarm]
enabled = false

[[accept]]
check = "public-snapshot"
resource = "snap-*"
reason = "public data set"
expires = 2026-12-31

[checks.root-recent-use]
max_age_days = 7

[checks.stale-access-keys]
max_unused_days = 45

[checks.ses-sending-health]
bounce_rate_percent = 2.5
"#)
        .unwrap();
        assert_eq!(
            c.allowed_regions.as_deref(),
            Some(&["ap-northeast-1".to_string(), "us-east-1".to_string()][..])
        );
        assert_eq!(c.fail_on, Some(Severity::High));
        assert_eq!(c.disabled, ["billing-alarm"]);
        assert_eq!(c.severity["sg-unrestricted-egress"], Severity::High);
        assert!(c.params.sg_include_unused);
        assert_eq!(c.params.root_recent_use_max_age_days, 7);
        assert_eq!(c.params.stale_keys_max_age_days, 90, "the default");
        assert_eq!(c.params.stale_keys_max_unused_days, 45);
        assert_eq!(c.params.ses_bounce_rate_percent, 2.5);
        assert_eq!(c.params.ses_complaint_rate_percent, 0.1, "the default");
        assert_eq!(c.accept.len(), 1);
        assert_eq!(
            c.accept[0].origin, "hiyari.toml:12",
            "the [[accept]] header line"
        );
        assert_eq!(
            c.accept[0].expires,
            Some(time::macros::date!(2026 - 12 - 31))
        );
    }

    fn err(text: &str) -> String {
        p(text).unwrap_err().to_string()
    }

    #[test]
    fn errors_name_line_and_column_and_what_is_expected() {
        let e = err("allowed_regions = [\"us-east-1\"]\nallowed_region = []\n");
        assert!(e.starts_with("hiyari.toml:2:1: "), "{e}");
        assert!(e.contains("unknown field `allowed_region`"), "{e}");

        let e = err("[checks.root-mfaa]\nenabled = false\n");
        assert!(e.starts_with("hiyari.toml:1:"), "{e}");
        assert!(e.contains("root-mfaa") && e.contains("root-mfa"), "{e}");

        let e = err("[checks.sg-unrestricted-egress]\ninclude_unsed = true\n");
        assert!(e.starts_with("hiyari.toml:2:1: "), "{e}");
        assert!(e.contains("include_unused"), "{e}");

        let e = err("fail_on = \"severe\"\n");
        assert!(e.starts_with("hiyari.toml:1:11: "), "{e}");
        assert!(e.contains("critical"), "{e}");

        let e = err("[[accept]]\ncheck = \"public-snapshot\"\n");
        assert!(e.contains("reason"), "{e}");

        let e = err("[[accept]]\ncheck = \"public-snapshots\"\nreason = \"x\"\n");
        assert!(e.starts_with("hiyari.toml:2:9: "), "{e}");
        assert!(e.contains("unknown check `public-snapshots`"), "{e}");

        let e = err(
            "[[accept]]\ncheck = \"root-mfa\"\nreason = \"x\"\nexpires = 2026-12-31T10:00:00Z\n",
        );
        assert!(e.starts_with("hiyari.toml:4:11: "), "{e}");
        assert!(e.contains("must be a date"), "{e}");

        let e = err("[[accept]]\ncheck = \"root-mfa\"\nreason = \"  \"\n");
        assert!(e.contains("non-empty `reason`"), "{e}");

        let e = err("[checks.ses-sending-health]\ncomplaint_rate_percent = 0\n");
        assert!(e.starts_with("hiyari.toml:2:26: "), "{e}");
        assert!(e.contains("percentage"), "{e}");
        let e = err("[checks.ses-sending-health]\nbounce_rate_percent = \"5%\"\n");
        assert!(e.starts_with("hiyari.toml:2:"), "{e}");

        let e = err("allowed_regions = \"us-east-1\"\n");
        assert!(e.starts_with("hiyari.toml:1:19: "), "{e}");
    }

    #[test]
    fn check_tables_cover_exactly_the_registry() {
        // Every registry id is accepted as a [checks.<id>] table...
        let mut text = String::new();
        for c in hiyari_checks::all_checks() {
            text.push_str(&format!("[checks.{}]\nenabled = false\n", c.meta().id));
        }
        let cfg = p(&text).unwrap();
        let mut disabled = cfg.disabled.clone();
        disabled.sort();
        let mut ids: Vec<_> = hiyari_checks::all_checks()
            .iter()
            .map(|c| c.meta().id.to_string())
            .collect();
        ids.sort();
        // ...and is read back (so no table is silently ignored).
        assert_eq!(disabled, ids);
    }

    #[test]
    fn starter_file_parses() {
        let cfg = p(&starter(&["sa-east-1".into()], "note")).unwrap();
        assert_eq!(cfg.allowed_regions, Some(vec!["sa-east-1".to_string()]));
        assert!(p(&starter(&[], "note")).unwrap().allowed_regions.is_none());
    }

    #[test]
    fn per_account_settings() {
        let c = p(r#"
allowed_regions = ["ap-northeast-1"]

[accounts."111122223333"]
allowed_regions = ["ap-northeast-1", "us-east-1"]

[[accounts."111122223333".accept]]
check = "root-access-keys"
reason = "break-glass"

[[accounts."444455556666".accept]]
check = "public-ami"
account = "444455556666"
reason = "published on purpose"
"#)
        .unwrap();
        assert_eq!(
            c.account_allowed_regions.get("111122223333").unwrap(),
            &["ap-northeast-1", "us-east-1"]
        );
        assert!(!c.account_allowed_regions.contains_key("444455556666"));
        let accounts: Vec<_> = c.accept.iter().map(|a| a.account.as_deref()).collect();
        assert_eq!(accounts, [Some("111122223333"), Some("444455556666")]);
        assert_eq!(c.accept[0].origin, "hiyari.toml:7");

        let e = err("[accounts.\"1234\"]\nallowed_regions = []\n");
        assert!(e.starts_with("hiyari.toml:1:"), "{e}");
        assert!(e.contains("12 digits"), "{e}");
        let e = err("[[accounts.\"111122223333\".accept]]\ncheck = \"root-mfa\"\naccount = \"999999999999\"\nreason = \"x\"\n");
        assert!(e.contains("names account `999999999999`"), "{e}");
        let e = err("[accounts.\"111122223333\"]\nallowed_region = []\n");
        assert!(e.contains("allowed_region"), "{e}");
    }
}
