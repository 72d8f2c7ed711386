//! `hiyari sweep`: after a leak notice, everything that happened since then, in every
//! region. The scan reaches the accounts as `audit` does; the sweep's collectors
//! (`collect::sweep`) fill a sweep inventory, `hiyari_checks::sweep` evaluates it, and
//! `report::sweep` renders the report. `--save` keeps the inventory and `--inventory`
//! evaluates a saved one with no AWS call.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use hiyari_checks::inventory::sweep::{
    SweepAccount, SweepInventory, SweepPlan, Window, SWEEP_INVENTORY_SCHEMA,
};
use hiyari_checks::inventory::AccountInventory;
use hiyari_checks::sweep::{evaluate, SweepQuery};
use hiyari_checks::Needs;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use super::scan_request;
use crate::cli::{SweepArgs, SweepFormat};
use crate::input::Saved;
use crate::output::{self, color_for, width_for};
use crate::report::sweep::SweepRenderOptions;
use crate::scan::{self, Keep};

/// Every IAM action a sweep's sources call (the session's are added by the policy).
pub fn sweep_actions() -> Vec<&'static str> {
    hiyari_checks::sweep::sources::iam_actions()
}

pub(super) async fn run(args: SweepArgs) -> Result<u8> {
    let outputs = output_plan(&args)?;
    if let Some(p) = &args.save {
        if !output::is_stdout(Some(p)) {
            output::check_writable(p)?;
        }
    }
    let inv = match &args.inventory {
        Some(path) => load(path)?,
        None => collect(&args).await?,
    };
    let report = evaluate(&inv, env!("CARGO_PKG_VERSION"));
    let mut files = Vec::new();
    if let Some(p) = &args.save {
        let mut out = output::Output::open(Some(p))?;
        let text =
            serde_json::to_string_pretty(&inv).context("cannot serialise the sweep inventory")?;
        out.write_text(&(text + "\n"))?;
        files.push(out);
    }
    for (format, path) in &outputs {
        let mut out = output::Output::open(path.as_deref())?;
        let opts = SweepRenderOptions {
            color: color_for(path.as_deref()),
            width: width_for(path.as_deref()),
        };
        out.write_text(&crate::report::sweep::render(&report, *format, &opts))?;
        files.push(out);
    }
    output::commit(files)?;
    for w in &report.warnings {
        eprintln!("warning: {}", crate::report::sanitize_terminal(&w.message));
    }
    eprintln!(
        "Sweep {} to {}: {} resource(s) created, {} event(s), {} sign-in(s), {} notice(s), {} error(s){}.",
        inv.window.since,
        inv.window.until,
        report.resources.len(),
        report.activity.len(),
        report.sign_ins.len(),
        report.notices.len(),
        report.errors.len(),
        if report.bound_reached {
            "; the --max-events bound was reached: the activity is incomplete"
        } else {
            ""
        }
    );
    Ok(report.exit_code())
}

/// The --format output (to a plain `--output PATH`, else stdout), then every
/// `--output FORMAT=PATH`; one plain path at most, one output per file.
fn output_plan(args: &SweepArgs) -> Result<Vec<(SweepFormat, Option<PathBuf>)>> {
    let plain: Vec<_> = args.output.iter().filter(|o| o.format.is_none()).collect();
    if plain.len() > 1 {
        bail!("--output is given {} plain paths; give one for the --format output and write other formats as FORMAT=PATH", plain.len());
    }
    let mut plan = vec![(args.format, plain.first().map(|o| o.path.clone()))];
    plan.extend(
        args.output
            .iter()
            .filter_map(|o| Some((o.format?, Some(o.path.clone())))),
    );
    let mut seen: Vec<&Path> = Vec::new();
    for (_, path) in &plan {
        let p = path.as_deref().unwrap_or(Path::new("-"));
        if seen.contains(&p) {
            bail!("two outputs go to {}; give each its own file", p.display());
        }
        seen.push(p);
        if !output::is_stdout(Some(p)) {
            output::check_writable(p)?;
        }
    }
    Ok(plan)
}

/// A time given as RFC 3339 or as a duration back from `now` (`90m`, `36h`, `7d`, `2w`).
pub fn parse_when(s: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t.to_offset(time::UtcOffset::UTC));
    }
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num.parse().map_err(|_| {
        format!("`{s}` is neither an RFC 3339 time (2026-11-20T09:00:00Z) nor a duration (36h, 7d)")
    })?;
    let d = match unit {
        "s" => Duration::seconds(n),
        "m" => Duration::minutes(n),
        "h" => Duration::hours(n),
        "d" => Duration::days(n),
        "w" => Duration::weeks(n),
        _ => {
            return Err(format!(
                "`{s}`: a duration ends in s, m, h, d or w (36h, 7d)"
            ))
        }
    };
    Ok(now - d)
}

fn rfc3339(t: OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&f)
        .unwrap_or_default()
}

/// The window of `--since` and `--until`.
pub fn window(since: &str, until: Option<&str>, now: OffsetDateTime) -> Result<Window, String> {
    let s = parse_when(since, now).map_err(|e| format!("--since: {e}"))?;
    let u = match until {
        Some(u) => parse_when(u, now).map_err(|e| format!("--until: {e}"))?,
        None => now,
    };
    if s >= u {
        return Err(format!(
            "--since ({}) must be before --until ({})",
            rfc3339(s),
            rfc3339(u)
        ));
    }
    // The window is written in whole seconds: its start rounded down and its end rounded
    // up, so that nothing done in the second the sweep began (or a given end falls in)
    // is left out of it.
    let end = match u.nanosecond() {
        0 => u,
        _ => u.replace_nanosecond(0).unwrap_or(u) + Duration::seconds(1),
    };
    Ok(Window {
        since: rfc3339(s),
        until: rfc3339(end),
    })
}

async fn collect(args: &SweepArgs) -> Result<SweepInventory> {
    let now_t = OffsetDateTime::now_utc();
    let since = args.since.as_deref().unwrap_or_default();
    let window = window(since, args.until.as_deref(), now_t).map_err(anyhow::Error::msg)?;
    if parse_when(since, now_t).is_ok_and(|s| now_t - s > Duration::days(90)) {
        eprintln!("warning: --since is more than 90 days ago: CloudTrail's event history keeps 90 days, so older events cannot be found (resources still can)");
    }
    for k in &args.access_key_ids {
        if k.len() < 16 || !k.bytes().all(|b| b.is_ascii_alphanumeric()) {
            bail!(
                "`{}` is not an access key id (AKIA… or ASIA…, letters and digits)",
                crate::input::clean(k)
            );
        }
    }
    if args.max_events == 0 {
        bail!("--max-events must be at least 1");
    }
    let config = crate::config::load(args.config.as_deref())?;
    let spend = !config.disabled.iter().any(|d| d == "unused-region-spend");
    let query = SweepQuery {
        access_key_ids: args.access_key_ids.clone(),
        principals: args.principals.clone(),
        max_events: args.max_events,
    };
    let mut needs = Needs::of([]);
    needs.sweep = Some(SweepPlan {
        window: window.clone(),
        query: query.clone(),
        spend,
    });
    // An account that could not be reached has no sweep data: its failure says why.
    let keep: Keep<SweepAccount> = Arc::new(|inv: AccountInventory| SweepAccount {
        identity: inv.identity,
        regions: inv.regions,
        failure: inv.failure,
        data: inv.sweep.unwrap_or_default(),
    });
    let mut accounts = Vec::new();
    let collected_at = scan::scan(
        &scan_request(&args.aws, &args.targets),
        needs,
        keep,
        &mut |a| {
            accounts.push(a);
            Ok(())
        },
    )
    .await?;
    Ok(SweepInventory {
        schema: SWEEP_INVENTORY_SCHEMA.into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        window,
        query,
        accounts,
        collected_at,
    })
}

/// A saved sweep inventory, as [`load`] reads it.
const SAVED: Saved = Saved {
    kind: "sweep inventory",
    schema: SWEEP_INVENTORY_SCHEMA,
    make: "a sweep inventory is what `hiyari sweep --save FILE` writes",
    other: |_| None,
};

fn load(path: &Path) -> Result<SweepInventory> {
    let inv: SweepInventory = crate::input::read_saved(path, &SAVED)?;
    if inv.accounts.is_empty() {
        bail!("{} holds no account", path.display());
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> OffsetDateTime {
        OffsetDateTime::parse(s, &Rfc3339).unwrap()
    }

    #[test]
    fn when_is_a_time_or_a_duration_back_from_now() {
        let now = at("2026-11-21T12:00:00Z");
        assert_eq!(parse_when("36h", now).unwrap(), at("2026-11-20T00:00:00Z"));
        assert_eq!(parse_when("7d", now).unwrap(), at("2026-11-14T12:00:00Z"));
        assert_eq!(
            parse_when("2026-11-20T09:00:00+09:00", now).unwrap(),
            at("2026-11-20T00:00:00Z")
        );
        assert!(parse_when("yesterday", now).is_err());
        assert!(parse_when("3y", now)
            .unwrap_err()
            .contains("ends in s, m, h, d or w"));
    }

    #[test]
    fn the_window_must_run_forwards() {
        let now = at("2026-11-21T12:00:00Z");
        let w = window("36h", None, now).unwrap();
        assert_eq!(w.since, "2026-11-20T00:00:00Z");
        assert_eq!(w.until, "2026-11-21T12:00:00Z");
        assert!(window("1h", Some("2h"), now)
            .unwrap_err()
            .contains("must be before"));
    }

    /// A resource made at 12:00:00.4, just before a sweep that starts at 12:00:00.7, is
    /// inside the window: its end is rounded up, its start down.
    #[test]
    fn the_window_holds_the_seconds_its_ends_fall_in() {
        let now = at("2026-11-21T12:00:00.7Z");
        let w = window("2026-11-21T11:00:00.9Z", None, now).unwrap();
        assert_eq!(w.since, "2026-11-21T11:00:00Z");
        assert_eq!(w.until, "2026-11-21T12:00:01Z");
    }
}
