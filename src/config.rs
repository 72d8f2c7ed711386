//! hiyari.toml: allowed regions, per-check settings and accepted risks.
//!
//! Unknown keys are errors, and every error names the file, line and column and says
//! what is expected: a typo in a security tool's configuration must not silently turn
//! a check off.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hiyari_checks::{AcceptRule, ParamErrorAt, ParamsById, Severity};
use serde::Deserialize;
use toml::Spanned;

/// The file looked for in the working directory when `--config` is not given.
pub const DEFAULT_FILE: &str = "hiyari.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    allowed_regions: Option<Vec<String>>,
    fail_on: Option<Severity>,
    fail_on_warnings: Option<bool>,
    /// `[checks.<id>]`: `enabled`, `severity` and the check's own parameters, read
    /// after the file is parsed so that each key keeps its place in the file.
    #[serde(default)]
    checks: BTreeMap<Spanned<String>, CheckTable>,
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

/// One `[checks.<id>]` table, each key and value with its place in the file.
type CheckTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

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
    /// Whether run warnings (e.g. an expired accepted risk) fail a clean run.
    pub fail_on_warnings: bool,
    pub disabled: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    /// Checks' own parameters, by check id (each check's `Params`).
    pub params: ParamsById,
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
        fail_on_warnings: raw.fail_on_warnings.unwrap_or(false),
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
    for (id, table) in raw.checks {
        check_table(path, text, id, table, &mut cfg)?;
    }
    for entry in raw.accept {
        cfg.accept.push(accept_rule(path, text, entry, None)?);
    }
    for (id, acc) in raw.accounts {
        let span = id.span();
        let id = id.into_inner();
        if !hiyari_checks::names::is_account_id(&id) {
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

/// One `[checks.<id>]` table: the id must be a check's; `enabled` and `severity` are
/// read here, and the other keys are the check's own parameters, parsed by the check.
fn check_table(
    path: &Path,
    text: &str,
    id: Spanned<String>,
    table: CheckTable,
    cfg: &mut Config,
) -> Result<(), ConfigError> {
    let Some(check) = hiyari_checks::find_check(id.get_ref()) else {
        let hint = closest_check(id.get_ref())
            .map(|c| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        return Err(at(
            path,
            text,
            id.span().start,
            format!(
                "unknown check `{}` in [checks.{}]; {hint}`hiyari checks` lists the ids",
                id.get_ref(),
                id.get_ref()
            ),
        ));
    };
    let id_at = id.span().start;
    let id = check.meta().id;
    let mut entries: Vec<_> = table.into_iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    let mut own = Vec::new();
    for (key, value) in entries {
        let span = value.span();
        let value_error = |e: toml::de::Error| at(path, text, span.start, e.message().trim());
        match key.get_ref().as_str() {
            "enabled" => {
                if !bool::deserialize(value.into_inner()).map_err(value_error)? {
                    cfg.disabled.push(id.to_string());
                }
            }
            "severity" => {
                let sev = Severity::deserialize(value.into_inner()).map_err(value_error)?;
                cfg.severity.insert(id.to_string(), sev);
            }
            _ => own.push((key, value)),
        }
    }
    let plain: Vec<(String, toml::Value)> = own
        .iter()
        .map(|(k, v)| (k.get_ref().clone(), v.get_ref().clone()))
        .collect();
    let params = check.params().parse(&plain).map_err(|e| {
        let offset = match e.at {
            ParamErrorAt::Key(i) => own[i].0.span().start,
            ParamErrorAt::Value(i) => own[i].1.span().start,
            ParamErrorAt::Table => id_at,
        };
        at(path, text, offset, format!("[checks.{id}]: {}", e.message))
    })?;
    cfg.params.insert(id, params);
    Ok(())
}

/// The registry id closest to `typo` (edit distance), when one is close enough.
fn closest_check(typo: &str) -> Option<&'static str> {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let cur = row[j + 1];
                row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
                prev = cur;
            }
        }
        row[b.len()]
    }
    hiyari_checks::all_checks()
        .iter()
        .map(|c| c.meta().id)
        .map(|id| (distance(typo, id), id))
        .min()
        .filter(|(d, id)| *d <= id.len() / 3 + 1)
        .map(|(_, id)| id)
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
    let mut params = String::new();
    for c in hiyari_checks::all_checks() {
        let defaults = c.params().defaults();
        if defaults.is_empty() {
            continue;
        }
        params.push_str(&format!("\n# [checks.{}]\n", c.meta().id));
        for (key, value) in defaults {
            params.push_str(&format!("# {key} = {value}\n"));
        }
    }
    format!(
        r#"# hiyari configuration. `hiyari explain ID` tells what each check does.

# Regions where EC2 compute (instances, spot requests, spot fleets) is expected.
# Compute anywhere else fails unused-region-compute. {note}
{regions}

# The lowest severity of an unmuted fail that makes `hiyari audit` exit 1.
# fail_on = "low"

# Exit 4 when a run with no such fail and nothing in error has warnings (an accepted
# risk that expired or matched nothing): keeps the accepted risks below honest in CI.
# fail_on_warnings = true

# Per-check settings: `enabled = false` turns a check off, `severity` changes its
# severity, and some checks have parameters of their own (below, with their defaults;
# `hiyari explain ID` tells what they do).
# [checks.billing-alarm]
# enabled = false
# severity = "medium"
{params}
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
    use hiyari_checks::checks::{
        root_recent_use, ses_sending_health, sg_unrestricted_egress, stale_access_keys,
    };

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
        assert!(!c.fail_on_warnings, "off unless asked");
        assert_eq!(c.disabled, ["billing-alarm"]);
        assert_eq!(c.severity["sg-unrestricted-egress"], Severity::High);
        let sg: sg_unrestricted_egress::Params = c.params.get("sg-unrestricted-egress");
        let root: root_recent_use::Params = c.params.get("root-recent-use");
        let stale: stale_access_keys::Params = c.params.get("stale-access-keys");
        let ses: ses_sending_health::Params = c.params.get("ses-sending-health");
        assert!(sg.include_unused);
        assert_eq!(root.max_age_days, 7);
        assert_eq!(stale.max_age_days, 90, "the default");
        assert_eq!(stale.max_unused_days, 45);
        assert_eq!(ses.bounce_rate_percent, 2.5);
        assert_eq!(ses.complaint_rate_percent, 0.1, "the default");
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
        assert!(e.contains("did you mean `root-mfa`?"), "{e}");

        let e = err("[checks.root-mfa]\nseverity = \"severe\"\n");
        assert!(e.starts_with("hiyari.toml:2:12: "), "{e}");
        let e = err("[checks.root-mfa]\nenabled = false\nmax_age_days = 3\n");
        assert!(e.starts_with("hiyari.toml:3:1: "), "{e}");
        assert!(e.contains("unknown field `max_age_days`"), "{e}");
        let e = err("[checks.root-recent-use]\nmax_age_days = -1\n");
        assert!(e.starts_with("hiyari.toml:2:16: "), "{e}");

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
    fn fail_on_warnings_is_a_boolean() {
        assert!(p("fail_on_warnings = true\n").unwrap().fail_on_warnings);
        assert!(!p("fail_on_warnings = false\n").unwrap().fail_on_warnings);
        let e = p("fail_on_warnings = \"yes\"\n").unwrap_err().to_string();
        assert!(e.starts_with("hiyari.toml:1:20:"), "{e}");
    }

    #[test]
    fn starter_file_parses() {
        let cfg = p(&starter(&["sa-east-1".into()], "note")).unwrap();
        assert_eq!(cfg.allowed_regions, Some(vec!["sa-east-1".to_string()]));
        assert!(p(&starter(&[], "note")).unwrap().allowed_regions.is_none());
    }

    #[test]
    fn starter_file_lists_each_checks_parameters_with_their_defaults() {
        let text = starter(&[], "note");
        // Uncommented, the [checks.<id>] tables that list parameters parse, and give
        // each check its defaults.
        let mut tables = String::new();
        let mut on = false;
        for line in text.lines() {
            let line = line.strip_prefix("# ").unwrap_or(line);
            on = if line.starts_with("[checks.") {
                !line.contains("billing-alarm")
            } else {
                on && !line.is_empty()
            };
            if on {
                tables.push_str(line);
                tables.push('\n');
            }
        }
        for id in [
            "sg-unrestricted-egress",
            "root-recent-use",
            "stale-access-keys",
            "ses-sending-health",
        ] {
            assert!(tables.contains(&format!("[checks.{id}]")), "{id}: {text}");
        }
        let cfg = p(&tables).unwrap();
        let stale: stale_access_keys::Params = cfg.params.get("stale-access-keys");
        assert_eq!(stale, stale_access_keys::Params::default());
        let ses: ses_sending_health::Params = cfg.params.get("ses-sending-health");
        assert_eq!(ses, ses_sending_health::Params::default());
        assert!(tables.contains("complaint_rate_percent = 0.1"), "{tables}");
        assert!(tables.contains("max_age_days = 30"), "{tables}");
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
