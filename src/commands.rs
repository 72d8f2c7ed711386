//! The subcommands: audit, collect, checks, explain.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use hiyari_checks::checks::unused_region_spend;
use hiyari_checks::evaluate::{assemble, evaluate_account, EvaluatedAccount};
use hiyari_checks::inventory::{AccountInventory, Inventory, INVENTORY_SCHEMA};
use hiyari_checks::params::ParamsById;
use hiyari_checks::{all_checks, find_check, Check, EvalOptions, Severity};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{
    AuditArgs, AwsArgs, ChecksFormat, Cli, CollectArgs, Command, DiffArgs, DiffFormat, Format,
    InitArgs, MergeArgs, OutputSpec, SelectArgs, TargetArgs,
};
use crate::collect::org::{self, OrgOptions};
use crate::collect::session::{load_config, RequestCounter, SessionOptions};
use crate::collect::Limiter;
use crate::collect::{collect_account_listing_regions, Needs, Session};
use crate::config::{self, Config};
use crate::output;
use crate::report::common::ReportContext;
use crate::report::{self, RenderOptions};

pub async fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Audit(args) => audit(args).await,
        Command::Collect(args) => collect(args).await,
        Command::Init(args) => init(args).await,
        Command::Diff(args) => diff_reports(args),
        Command::Merge(args) => merge_reports(args),
        Command::Checks(args) => {
            match args.format {
                ChecksFormat::Table => print_checks(),
                ChecksFormat::Markdown => print!("{}", hiyari_checks::docs::reference()),
            }
            Ok(0)
        }
        Command::Policy(args) => {
            let checks = select(&args.select)?.1;
            match args.org {
                false => print!("{}", policy(&checks)),
                true => print!("{}", org_policy(&checks, &args.role_name)),
            }
            Ok(0)
        }
        Command::Explain { id } => explain(&id),
    }
}

/// The configuration, and the checks selected by it, --checks and --skip-checks; an
/// unknown id is an error. A check the config disables runs only when --checks names it.
fn select(sel: &SelectArgs) -> Result<(Config, Vec<&'static dyn Check>)> {
    let config = config::load(sel.config.as_deref())?;
    for id in sel.checks.iter().chain(sel.skip_checks.iter()).flatten() {
        if find_check(id).is_none() {
            bail!("{}", crate::suggest::unknown_check(id));
        }
    }
    let chosen: Vec<_> = all_checks()
        .iter()
        .copied()
        .filter(|c| {
            sel.checks
                .as_ref()
                .is_none_or(|l| l.iter().any(|id| id == c.meta().id))
        })
        .filter(|c| {
            !sel.skip_checks
                .as_ref()
                .is_some_and(|l| l.iter().any(|id| id == c.meta().id))
        })
        .filter(|c| sel.checks.is_some() || !config.disabled.iter().any(|d| d == c.meta().id))
        .collect();
    if chosen.is_empty() {
        bail!("no check is selected; see `hiyari checks`");
    }
    Ok((config, chosen))
}

fn needs(checks: &[&dyn Check], params: &ParamsById) -> Needs {
    Needs::of(checks.iter().flat_map(|c| c.meta().sources.iter().copied()))
        .with_cost_days(unused_region_spend::window_days(params))
}

fn now() -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::now_utc()
        .format(&f)
        .unwrap_or_default()
}

fn progress_bar(aws: &AwsArgs) -> ProgressBar {
    if aws.no_progress || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} scanning {pos}/{len} region and account units  {elapsed}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// Scans the account (or the accounts of `targets`): identity, regions, then every
/// needed source at once. Each account's inventory goes to `keep` as soon as it is
/// complete; hands what `keep` made of each to `consume`, in account order, and returns
/// when the data was collected (the end of the scan).
async fn scan<T: Send + 'static>(
    aws: &AwsArgs,
    targets: &TargetArgs,
    checks: &[&dyn Check],
    params: &ParamsById,
    keep: org::Keep<T>,
    consume: org::Consume<'_, T>,
) -> Result<String> {
    let opts = SessionOptions {
        profile: aws.profile.clone(),
        region: aws.region.clone(),
        endpoint_url: aws.endpoint_url.clone(),
        regions: aws.regions.clone(),
        concurrency: aws.concurrency,
        max_attempts: aws.max_attempts,
        call_timeout: Duration::from_secs(aws.call_timeout.max(1)),
        scan_timeout: Some(Duration::from_secs(aws.timeout.max(1))),
    };
    if aws.concurrency == 0 {
        bail!("--concurrency must be at least 1");
    }
    if !targets.many() {
        if targets.shard.is_some() || !targets.exclude_accounts.is_empty() {
            bail!("--shard and --exclude-accounts choose among several accounts: add --org, --accounts or --role-arn");
        }
        return scan_one(aws, &opts, needs(checks, params), keep, consume).await;
    }
    scan_many(aws, targets, &opts, needs(checks, params), keep, consume).await
}

async fn scan_one<T>(
    aws: &AwsArgs,
    opts: &SessionOptions,
    needs: Needs,
    keep: org::Keep<T>,
    consume: org::Consume<'_, T>,
) -> Result<String> {
    let started = Instant::now();
    let session = Session::start(opts).await?;
    tracing::info!(
        account = %session.identity.account_id,
        principal = %session.identity.principal_arn,
        "scanning"
    );
    let (limiter, requests) = (session.limiter.clone(), session.requests.clone());
    let pb = progress_bar(aws);
    let account =
        collect_account_listing_regions(session, opts.regions.as_deref(), needs, pb.clone()).await;
    pb.finish_and_clear();
    let account = account?;
    eprintln!(
        "Scanned account {} in {} region(s) in {:.1}s with {} AWS API calls ({} HTTP requests with retries).",
        account.identity.account_id,
        account.regions.scanned.len(),
        started.elapsed().as_secs_f64(),
        limiter.operations(),
        requests.get(),
    );
    consume(keep(account))?;
    Ok(now())
}

/// An inventory file written account by account, laid out as `serde_json` pretty-prints
/// a whole [`Inventory`] (which is what reads it back); `collected_at`, known at the end
/// of the scan, comes last.
struct InventoryWriter {
    out: output::Output,
    accounts: usize,
}

impl InventoryWriter {
    fn open(path: &Path) -> Result<Self> {
        let mut out = output::Output::open(Some(path))?;
        out.write_text(&format!(
            "{{\n  \"schema\": {},\n  \"tool_version\": {},\n  \"accounts\": [",
            serde_json::Value::from(INVENTORY_SCHEMA),
            serde_json::Value::from(env!("CARGO_PKG_VERSION")),
        ))?;
        Ok(Self { out, accounts: 0 })
    }

    fn account(&mut self, account: &AccountInventory) -> Result<()> {
        let text =
            serde_json::to_string_pretty(account).context("cannot serialise the inventory")?;
        let mut entry = String::with_capacity(text.len() + text.len() / 8);
        entry.push_str(if self.accounts == 0 { "\n" } else { ",\n" });
        // Strings are escaped on one line, so every line break is the layout's own.
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                entry.push('\n');
            }
            entry.push_str("    ");
            entry.push_str(line);
        }
        self.accounts += 1;
        self.out.write_text(&entry)
    }

    fn finish(mut self, collected_at: &str) -> Result<()> {
        self.out.write_text(&format!(
            "{}],\n  \"collected_at\": {}\n}}\n",
            if self.accounts == 0 { "" } else { "\n  " },
            serde_json::Value::from(collected_at),
        ))?;
        output::commit(vec![self.out])
    }
}

/// Keeps each account's whole inventory (`collect`, `init`).
fn keep_inventory() -> org::Keep<AccountInventory> {
    Arc::new(|inv| inv)
}

/// Several accounts: the organization's, or those named; each one assumed and
/// audited, `--account-concurrency` at a time, under one bound on requests.
async fn scan_many<T: Send + 'static>(
    aws: &AwsArgs,
    targets: &TargetArgs,
    opts: &SessionOptions,
    needs: Needs,
    keep: org::Keep<T>,
    consume: org::Consume<'_, T>,
) -> Result<String> {
    if targets.account_concurrency == 0 {
        bail!("--account-concurrency must be at least 1");
    }
    for id in targets
        .accounts
        .iter()
        .flatten()
        .chain(&targets.exclude_accounts)
    {
        if !org::is_account_id(id) {
            bail!("`{id}` is not an AWS account id (12 digits)");
        }
    }
    for arn in &targets.role_arns {
        if org::account_of_role(arn).is_none() {
            bail!(
                "`{arn}` is not a role ARN; --role-arn takes arn:PARTITION:iam::ACCOUNT:role/NAME"
            );
        }
    }
    let started = Instant::now();
    let sdk = load_config(opts).await?;
    let limiter = Limiter::new(opts.concurrency).with_deadline(opts.scan_timeout);
    let base = match Session::identify(sdk, limiter, RequestCounter::default()).await {
        Ok(session) => Arc::new(session),
        Err(e) => return Err(e.with_profile(opts.profile.as_deref()).await.into()),
    };
    let org_opts = OrgOptions {
        org: targets.org,
        accounts: targets.accounts.clone().unwrap_or_default(),
        role_arns: targets.role_arns.clone(),
        role_name: targets.role_name.clone(),
        external_id: targets.external_id.clone(),
        account_concurrency: targets.account_concurrency,
    };
    let (listed, inactive) = org::list_targets(&base, &org_opts).await.map_err(|e| {
        anyhow::anyhow!(
            "could not list the organization's accounts ({e}). Run --org as the management account or a delegated administrator with organizations:ListAccounts (see `hiyari policy --org`), or name the accounts with --accounts / --role-arn"
        )
    })?;
    let listed_n = listed.len();
    let (chosen, excluded) = org::select(listed, &targets.exclude_accounts, targets.shard);
    for p in inactive.iter().chain(&excluded) {
        eprintln!("Not audited: account {}: {}", p.account_id, p.reason);
    }
    match targets.shard {
        Some(shard) => eprintln!(
            "Shard {shard}: {} of {} account(s).",
            chosen.len(),
            listed_n - excluded.len()
        ),
        None if chosen.is_empty() => bail!("no account is left to audit"),
        None => {}
    }
    let pb = progress_bar(aws);
    let audited = chosen.len();
    let failed = org::audit_all(
        base.clone(),
        chosen,
        opts,
        &org_opts,
        needs,
        pb.clone(),
        keep,
        consume,
    )
    .await;
    pb.finish_and_clear();
    let failed = failed?;
    eprintln!(
        "Scanned {} account(s) ({} could not be audited) in {:.1}s with {} AWS API calls ({} HTTP requests with retries).",
        audited,
        failed,
        started.elapsed().as_secs_f64(),
        base.limiter.operations(),
        base.requests.get(),
    );
    Ok(now())
}

fn load_inventory(path: &Path) -> Result<Inventory> {
    const MAKE: &str = "an inventory is what `hiyari collect --output FILE` saves";
    let text = crate::input::read_text(path, "inventory", MAKE)?;
    let invalid = |e: serde_json::Error| {
        anyhow::anyhow!(
            "{} is not a valid hiyari inventory ({}); {MAKE}",
            path.display(),
            crate::input::json_error(&e, &text)
        )
    };
    match crate::input::schema_of(&text).map_err(invalid)? {
        Some(s) if s == INVENTORY_SCHEMA => {}
        Some(s) if s == crate::report::json::SCHEMA => bail!(
            "{} is a hiyari report ({s}), not an inventory; --inventory takes what `hiyari collect --output FILE` saves (`hiyari diff` compares two reports)",
            path.display()
        ),
        Some(s) => bail!(
            "{} has schema `{}`; this hiyari reads `{INVENTORY_SCHEMA}`",
            path.display(),
            crate::input::clean(&s)
        ),
        None => bail!(
            "{} is not a hiyari inventory (no `schema` field); {MAKE}",
            path.display()
        ),
    }
    let inv: Inventory = serde_json::from_str(&text).map_err(invalid)?;
    if inv.accounts.is_empty() {
        bail!("{} holds no account", path.display());
    }
    Ok(inv)
}

/// Whether output written to `path` (`None` or `-`: stdout) gets colour: only on a
/// terminal, and never with NO_COLOR.
fn color_for(path: Option<&Path>) -> bool {
    output::is_stdout(path)
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The width a table written to `path` (`None` or `-`: stdout) fits: the terminal's
/// when stdout is one, else `COLUMNS`, else 100.
fn width_for(path: Option<&Path>) -> usize {
    if output::is_stdout(path) && std::io::stdout().is_terminal() {
        if let Some(w) = comfy_table::Table::new().width() {
            return usize::from(w).max(report::table::MIN_WIDTH);
        }
    }
    report::table::fixed_width(std::env::var("COLUMNS").ok().as_deref())
}

/// What `audit` writes where: the --format output (to a plain `--output PATH`, else
/// stdout), then every `--output FORMAT=PATH`. Checked before the scan, so a mistake
/// costs no scan: one plain path at most, one output per file, one on stdout.
fn output_plan(args: &AuditArgs) -> Result<Vec<(Format, Option<PathBuf>)>> {
    let plain: Vec<&OutputSpec> = args.output.iter().filter(|o| o.format.is_none()).collect();
    if plain.len() > 1 {
        bail!(
            "--output is given {} plain paths; give one for the --format output and write other formats as FORMAT=PATH (e.g. --output sarif=hiyari.sarif)",
            plain.len()
        );
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
            if p == Path::new("-") {
                bail!("two outputs go to stdout; write one of them to a file with FORMAT=PATH");
            }
            bail!(
                "two outputs go to {}; give each format its own file",
                p.display()
            );
        }
        seen.push(p);
        if !output::is_stdout(Some(p)) {
            output::check_writable(p)?;
        }
    }
    Ok(plan)
}

async fn audit(args: AuditArgs) -> Result<u8> {
    let (config, checks) = select(&args.select)?;
    let outputs = output_plan(&args)?;
    let started_at = now();
    let allowed_regions = args
        .allowed_regions
        .clone()
        .or_else(|| config.allowed_regions.clone());
    let mut opts = EvalOptions {
        allowed_regions: allowed_regions.clone(),
        account_allowed_regions: config.account_allowed_regions.clone(),
        params: config.params.clone(),
        severity: config.severity.clone(),
        accept: config.accept.clone(),
        today: None,
        now: None,
    };
    // Each account as evaluated, with its home region (for the report's context).
    let (evaluated, collected_at): (Vec<(EvaluatedAccount, Option<String>)>, String) = match &args
        .inventory
    {
        Some(path) => {
            let mut inv = load_inventory(path)?;
            if let Some(region) = &args.aws.region {
                let homes: Vec<&str> = inv
                    .accounts
                    .iter()
                    .filter_map(|a| a.home_region.as_deref())
                    .collect();
                bail!(
                        "--region {region} cannot apply to a saved inventory: its home region was recorded when it was collected ({}). Leave --region out; --allowed-regions says where compute is expected, --regions narrows the regions evaluated",
                        if homes.is_empty() {
                            "none".to_string()
                        } else {
                            homes.join(", ")
                        }
                    );
            }
            if let Some(regions) = &args.aws.regions {
                inv.select_regions(regions).map_err(|e| {
                    anyhow::anyhow!("{}: {}", path.display(), crate::input::clean(&e))
                })?;
            }
            // A saved inventory is judged as of when it was collected (ages of keys,
            // of root use): the same file gives the same findings whenever it is
            // evaluated.
            opts.now = Some(
                    time::OffsetDateTime::parse(
                        &inv.collected_at,
                        &time::format_description::well_known::Rfc3339,
                    )
                    .map_err(|e| {
                        // Judged against today instead, a key used the day before
                        // collection could read as months old: no report rather than a
                        // wrong one.
                        anyhow::anyhow!(
                            "{}: collected_at `{}` is not an RFC 3339 time ({e}); the ages of keys and of root use cannot be judged without it",
                            path.display(),
                            crate::input::clean(&inv.collected_at)
                        )
                    })?,
                );
            let evaluated = inv
                .accounts
                .iter()
                .map(|a| (evaluate_account(a, &checks, &opts), a.home_region.clone()))
                .collect();
            (evaluated, inv.collected_at)
        }
        None => {
            // Evaluated as each account's collection ends, and its inventory dropped:
            // an organization scan holds findings, not inventories.
            let (checks_kept, opts_kept) = (checks.clone(), opts.clone());
            let keep: org::Keep<_> = Arc::new(move |inv: AccountInventory| {
                let home = inv.home_region.clone();
                (evaluate_account(&inv, &checks_kept, &opts_kept), home)
            });
            let mut evaluated = Vec::new();
            let collected_at = scan(
                &args.aws,
                &args.targets,
                &checks,
                &config.params,
                keep,
                &mut |e| {
                    evaluated.push(e);
                    Ok(())
                },
            )
            .await?;
            (evaluated, collected_at)
        }
    };
    let home_regions = evaluated
        .iter()
        .filter_map(|((_, entry), home)| Some((entry.id.clone(), home.clone()?)))
        .collect();
    let evaluated: Vec<EvaluatedAccount> = evaluated.into_iter().map(|(e, _)| e).collect();
    let mut region_warnings = Vec::new();
    for (_, acc) in evaluated.iter().filter(|(_, a)| a.error.is_none()) {
        let allowed = config
            .account_allowed_regions
            .get(&acc.id)
            .or(allowed_regions.as_ref());
        if let Some(allowed) = allowed {
            let known = |r: &String| {
                acc.regions.scanned.contains(r)
                    || acc.regions.skipped.iter().any(|s| &s.region == r)
            };
            for r in allowed.iter().filter(|r| !known(r)) {
                let w = hiyari_checks::Warning {
                    account: Some(acc.id.clone()),
                    region: Some(r.clone()),
                    ..hiyari_checks::Warning::new(
                        hiyari_checks::warning::kind::UNKNOWN_ALLOWED_REGION,
                        format!(
                            "allowed regions name `{r}`, which is not a region of account {}",
                            acc.id
                        ),
                    )
                };
                eprintln!("warning: {w}");
                region_warnings.push(w);
            }
        }
    }
    let collected_at = Some(collected_at).filter(|c| !c.is_empty());
    let mut report = assemble(evaluated, &checks, &opts, started_at, now(), collected_at);
    // Said on stderr above, before the scan's own output; the report carries them too.
    let said = region_warnings.len();
    report.warnings.splice(0..0, region_warnings);
    if let Some(path) = &args.baseline {
        let base = crate::diff::load(path)?;
        let ids = report.accounts.iter().map(|a| a.id.as_str()).collect();
        crate::diff::same_accounts(&base, &ids, &path.display().to_string())?;
        hiyari_checks::diff::mark(&mut report.findings, &base.findings);
    }
    let context = ReportContext {
        config: config.path.as_ref().map(|p| p.display().to_string()),
        sarif_location: args.sarif_location.clone(),
        home_regions,
    };
    // One scan, every requested format, written all or none.
    let mut files = Vec::new();
    for (format, path) in &outputs {
        let mut out = output::Output::open(path.as_deref())?;
        let opts = RenderOptions {
            color: color_for(path.as_deref()),
            show_pass: args.show_pass,
            width: width_for(path.as_deref()),
            context: context.clone(),
        };
        report::write(&report, *format, &opts, &mut out).map_err(|e| out.error(e))?;
        files.push(out);
    }
    output::commit(files)?;
    for w in &report.warnings[said..] {
        eprintln!("warning: {w}");
    }
    let code = report.gate_warnings(
        report.exit_code_gated(
            args.fail_on.or(config.fail_on).unwrap_or(Severity::Low),
            args.fail_on_new,
        ),
        args.fail_on_warnings || config.fail_on_warnings,
    );
    Ok(code as u8)
}

async fn collect(args: CollectArgs) -> Result<u8> {
    let (config, checks) = select(&args.select)?;
    if !output::is_stdout(Some(&args.output)) {
        output::check_writable(&args.output)?;
    }
    // Written account by account as the scan goes: an organization's inventory is
    // never whole in memory.
    let mut file = InventoryWriter::open(&args.output)?;
    let collected_at = scan(
        &args.aws,
        &args.targets,
        &checks,
        &config.params,
        keep_inventory(),
        &mut |account| file.account(&account),
    )
    .await?;
    file.finish(&collected_at)?;
    Ok(0)
}

/// Calls every scan makes, whatever the checks: who am I, and which regions.
const SESSION_ACTIONS: [&str; 2] = ["sts:GetCallerIdentity", "ec2:DescribeRegions"];

/// The policy of the principal that runs `audit --org`: the audit's own actions (for
/// its own account), listing the organization, and assuming `role_name` in the others.
pub fn org_policy(checks: &[&dyn Check], role_name: &str) -> String {
    let audit: serde_json::Value = serde_json::from_str(&policy(checks)).expect("policy is JSON");
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            audit["Statement"][0].clone(),
            {
                "Sid": "HiyariListOrganizationAccounts",
                "Effect": "Allow",
                "Action": ["organizations:ListAccounts"],
                "Resource": "*",
            },
            {
                "Sid": "HiyariAssumeAuditRole",
                "Effect": "Allow",
                "Action": ["sts:AssumeRole"],
                "Resource": format!("arn:*:iam::*:role/{role_name}"),
            },
        ],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("policy serialises");
    s.push('\n');
    s
}

/// The IAM policy for `checks`: the session's actions and each check's, nothing else.
pub fn policy(checks: &[&dyn Check]) -> String {
    let mut actions: Vec<&str> = SESSION_ACTIONS
        .iter()
        .copied()
        .chain(checks.iter().flat_map(|c| c.meta().iam_actions()))
        .collect();
    actions.sort_unstable();
    actions.dedup();
    let doc = serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "HiyariReadOnlyAudit",
            "Effect": "Allow",
            "Action": actions,
            "Resource": "*",
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("policy serialises");
    s.push('\n');
    s
}

fn print_checks() {
    print!("{}", report::catalog::checks(width_for(None)));
}

fn explain(id: &str) -> Result<u8> {
    let Some(check) = find_check(id) else {
        bail!("{}", crate::suggest::unknown_check(id));
    };
    print!("{}", report::catalog::explain(check, width_for(None)));
    Ok(0)
}

/// Writes a starter hiyari.toml; with credentials, allowed_regions lists the regions
/// where EC2 compute runs today, for a person to confirm.
async fn init(args: InitArgs) -> Result<u8> {
    if args.output.exists() && !args.force {
        bail!(
            "{} exists; pass --force to overwrite it",
            args.output.display()
        );
    }
    if !output::is_stdout(Some(&args.output)) {
        output::check_writable(&args.output)?;
    }
    let (allowed, note) = if args.no_scan {
        (vec![], "Fill in the list.".to_string())
    } else {
        let compute: Vec<&'static dyn Check> =
            find_check("unused-region-compute").into_iter().collect();
        let mut accounts = Vec::new();
        scan(
            &args.aws,
            &TargetArgs::default(),
            &compute,
            &ParamsById::default(),
            keep_inventory(),
            &mut |account| {
                accounts.push(account);
                Ok(())
            },
        )
        .await?;
        let mut found = Vec::new();
        let mut unread = Vec::new();
        for acc in &accounts {
            for (region, inv) in &acc.regional {
                let counts = [
                    inv.instances.get("ec2:DescribeInstances").map(|v| v.len()),
                    inv.spot_requests
                        .get("ec2:DescribeSpotInstanceRequests")
                        .map(|v| v.len()),
                    inv.spot_fleets
                        .get("ec2:DescribeSpotFleetRequests")
                        .map(|v| v.iter().filter(|f| f.state.is_live()).count()),
                ];
                if counts.iter().any(|c| c.is_err()) {
                    unread.push(region.clone());
                }
                let n: usize = counts.iter().filter_map(|c| c.as_ref().ok()).sum();
                if n > 0 {
                    eprintln!("  {region}: {n} instance(s), spot request(s) or fleet(s)");
                    found.push(region.clone());
                }
            }
        }
        if !unread.is_empty() {
            eprintln!(
                "warning: could not read EC2 compute in {}; add them by hand if compute runs there",
                unread.join(", ")
            );
        }
        eprintln!(
            "Confirm allowed_regions in {}: they are the regions where compute runs today, \
             which is not the same as where it should.",
            args.output.display()
        );
        (
            found,
            "Filled by `hiyari init` from the regions where compute ran; confirm them.".to_string(),
        )
    };
    output::write_all(&[(Some(&args.output), &config::starter(&allowed, &note))])?;
    eprintln!("Wrote {}", args.output.display());
    Ok(0)
}

/// `hiyari diff OLD NEW`.
fn diff_reports(args: DiffArgs) -> Result<u8> {
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

/// `hiyari merge A.json B.json ...`: one report of several, in any format.
fn merge_reports(args: MergeArgs) -> Result<u8> {
    let mut reports = Vec::new();
    let mut names = Vec::new();
    for path in &args.reports {
        reports.push(crate::diff::load_full(path)?);
        names.push(path.display().to_string());
    }
    let report = hiyari_checks::org::merge(reports, &names);
    let color = color_for(args.output.as_deref());
    let text = report::render(
        &report,
        args.format,
        &RenderOptions {
            color,
            show_pass: args.show_pass,
            width: width_for(args.output.as_deref()),
            context: ReportContext::default(),
        },
    );
    output::write_all(&[(args.output.as_deref(), &text)])?;
    // Merged warnings quote the reports, which may come from anywhere.
    for w in &report.warnings {
        eprintln!("warning: {}", crate::input::clean(&w.message));
    }
    eprintln!(
        "Merged {} report(s): {} account(s), {} finding(s).",
        args.reports.len(),
        report.accounts.len(),
        report.findings.len()
    );
    Ok(report.gate_warnings(report.exit_code(args.fail_on), args.fail_on_warnings) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The inventory `collect` writes account by account is the one `serde_json` writes
    /// whole, byte for byte, with no account, one, and several.
    #[test]
    fn an_inventory_written_account_by_account_is_the_whole_one() {
        let example: Inventory = serde_json::from_str(include_str!(
            "../examples/inc-2015-leaked-root-key.inventory.json"
        ))
        .unwrap();
        let mut other = example.accounts[0].clone();
        other.identity.account_id = "222222222222".into();
        other.home_region = Some("line\nbreak \"quoted\"".into());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inventory.json");
        for n in 0..=3 {
            let accounts: Vec<AccountInventory> = [example.accounts[0].clone(), other.clone()]
                .into_iter()
                .cycle()
                .take(n)
                .collect();
            let whole = Inventory {
                schema: INVENTORY_SCHEMA.into(),
                tool_version: env!("CARGO_PKG_VERSION").into(),
                accounts: accounts.clone(),
                collected_at: "2026-11-24T00:00:00Z".into(),
            };
            let mut w = InventoryWriter::open(&path).unwrap();
            for a in &accounts {
                w.account(a).unwrap();
            }
            w.finish(&whole.collected_at).unwrap();
            let written = std::fs::read_to_string(&path).unwrap();
            assert_eq!(
                written,
                serde_json::to_string_pretty(&whole).unwrap() + "\n",
                "{n} accounts"
            );
            assert_eq!(serde_json::from_str::<Inventory>(&written).unwrap(), whole);
        }
    }
}
