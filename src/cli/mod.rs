//! The command line (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use hiyari_checks::names;
use hiyari_checks::org::Shard;
use hiyari_checks::Severity;

pub use crate::output::OutputSpec;
pub use crate::report::Format;
pub use sweep::{SweepArgs, SweepFormat};

pub mod sweep;

#[derive(Debug, Parser)]
#[command(
    name = "hiyari",
    version,
    about = "Audit every enabled region of an AWS account for the mistakes behind real incidents",
    long_about = "hiyari (ヒヤリ, a near miss) audits an AWS account, every enabled region at once, \
for the failure modes behind documented incidents: root access keys, no MFA, no billing alarm, \
GuardDuty off, public AMIs and snapshots, compute in regions nobody uses, security groups that \
let anything out. It only reads (Describe/List/Get), and never reports a pass for something it \
could not see: data it could not collect makes the check `error`.\n\n\
Exit codes: 0 no fail at or above --fail-on and nothing in error; 1 such a fail exists; \
2 no report: a usage, configuration or credential error, or a report that could not be \
written (then no --output file is created or replaced and stdout gets no report); 3 no such \
fail, but some checks could not be evaluated; 4 with --fail-on-warnings: none of these, \
but the run has warnings (an accepted risk that expired or matched nothing); 130 or 143: \
interrupted by SIGINT or SIGTERM, and nothing was written.",
    after_help = "Examples:\n  \
hiyari audit                                  # the account of your current credentials\n  \
hiyari audit --allowed-regions ap-northeast-1,us-east-1 --format json --output report.json\n  \
hiyari audit --output sarif=hiyari.sarif --output html=checklist.html   # table on stdout too\n  \
hiyari audit --inventory examples/inc-2015-leaked-root-key.inventory.json\n  \
hiyari collect --output inventory.json        # save what was collected, evaluate later\n  \
hiyari audit --org --format json -o org.json  # every account of the organization\n  \
hiyari audit --org --shard 2/4 -o s2.json --format json && hiyari merge s*.json --format html\n  \
hiyari explain root-access-keys"
)]
pub struct Cli {
    /// More logging on stderr (-v info, -vv debug). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan the account (or evaluate a saved inventory) and report findings.
    Audit(AuditArgs),
    /// Scan the account and save the inventory as JSON, without evaluating it.
    Collect(CollectArgs),
    /// List every check: id, severity, scope, title, incidents (`--format markdown`:
    /// with each check's documentation). One check costs money to run:
    /// unused-region-spend makes a Cost Explorer request per account and scan, which AWS
    /// charges USD 0.01 for.
    Checks(ChecksArgs),
    /// Compare two JSON reports: findings new, resolved, changed in status, unchanged.
    Diff(DiffArgs),
    /// Write a commented starter hiyari.toml. With credentials, allowed_regions is
    /// filled with the regions where EC2 compute runs today, for you to confirm.
    Init(InitArgs),
    /// Print the least-privilege IAM policy (JSON) for the selected checks: exactly the
    /// read-only actions hiyari calls.
    Policy(PolicyArgs),
    /// Combine JSON reports (e.g. of the shards of an organization) into one report, in
    /// any format. Exit codes as for audit.
    Merge(MergeArgs),
    /// After a leak notice: everything that happened since then, in every region, from
    /// CloudTrail event history and the live resources (created resources and who
    /// created them, what the named keys or principals did, console sign-ins, spend, AWS
    /// Health notices), with the notice's checklist filled in. Exit codes: 0 nothing in
    /// the window, 1 something to review, 2 no report, 3 an incomplete report (a region
    /// or source that could not be read, or the --max-events bound reached).
    Sweep(SweepArgs),
    /// Show what a check looks at, why it matters, and how to fix it.
    Explain {
        /// The check id, e.g. root-access-keys (see `hiyari checks`).
        id: String,
    },
    /// Print the completion script of a shell, e.g. `hiyari completions bash >
    /// ~/.local/share/bash-completion/completions/hiyari` (release archives ship them all).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `hiyari checks`.
#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// `table` (one line per check) or `markdown` (the table, then every check's
    /// documentation: what it does, why, how to fix, incidents, API calls and IAM actions).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ChecksFormat,
}

/// Formats of `hiyari checks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChecksFormat {
    Table,
    Markdown,
}

/// Where and how to reach AWS.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Scanning AWS")]
pub struct AwsArgs {
    /// The AWS profile to use (default: the AWS_PROFILE environment variable, then the
    /// default profile). Any credential source of the AWS SDK works: environment, SSO,
    /// instance and container roles, web identity.
    #[arg(long, env = "AWS_PROFILE", hide_env_values = true)]
    pub profile: Option<String>,

    /// The home region, where the first calls go. Default: AWS_REGION or the profile's.
    /// `audit --inventory` refuses it: the inventory recorded its home region.
    #[arg(long)]
    pub region: Option<String>,

    /// Send every AWS call to this endpoint (an emulator such as moto_server). The SDK's
    /// AWS_ENDPOINT_URL works too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,

    /// Scan only these regions (comma-separated). Default: every enabled region. For
    /// `audit --inventory`: evaluate only these of the regions the inventory holds (a
    /// region it does not hold is an error); the others are reported as not selected.
    #[arg(long, value_delimiter = ',', value_name = "REGION,...")]
    pub regions: Option<Vec<String>>,

    /// Most AWS requests in flight at once, across all regions and services. Each region's
    /// endpoints have their own rate limits, so this is a few per endpoint; lower it when
    /// other tools are throttled on the same account.
    #[arg(long, default_value_t = 64, value_name = "N", value_parser = parse_at_least_one)]
    pub concurrency: usize,

    /// Attempts per AWS call, the first included (the SDK's adaptive retry handles
    /// throttling and transient errors between them).
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub max_attempts: u32,

    /// Deadline of one AWS call, retries included, in seconds. A call past it makes
    /// the checks that needed it `error`.
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub call_timeout: u64,

    /// Deadline of the whole scan, in seconds. Calls still unanswered when it passes
    /// (a stalled region, a service that never answers) make the checks that needed them
    /// `error`, and the report of everything else is written.
    #[arg(long, default_value_t = 900, value_name = "SECONDS")]
    pub timeout: u64,

    /// No progress bar (it is shown on stderr only when stderr is a terminal).
    #[arg(long)]
    pub no_progress: bool,
}

/// Which accounts to audit, when more than the credentials' own.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Several accounts (an organization)")]
pub struct TargetArgs {
    /// Audit every ACTIVE account of the organization: Organizations ListAccounts (run
    /// it as the management account or a delegated administrator), then STS AssumeRole
    /// into --role-name in each. The credentials' own account is audited with them.
    #[arg(long, conflicts_with = "accounts")]
    pub org: bool,

    /// Audit these accounts (comma-separated 12-digit ids), assuming --role-name in
    /// each, instead of listing the organization.
    #[arg(long, value_delimiter = ',', value_name = "ID,...", value_parser = parse_account_id)]
    pub accounts: Option<Vec<String>>,

    /// Audit the account of this role, assuming it. Repeat it for several accounts;
    /// it combines with --accounts and --org.
    #[arg(long = "role-arn", value_name = "ARN", value_parser = parse_role_arn)]
    pub role_arns: Vec<String>,

    /// The role to assume in each account of --org and --accounts.
    #[arg(
        long,
        default_value = "OrganizationAccountAccessRole",
        value_name = "NAME"
    )]
    pub role_name: String,

    /// The external id the roles' trust policies require, if any.
    #[arg(long, value_name = "ID")]
    pub external_id: Option<String>,

    /// Leave these accounts out (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...", value_parser = parse_account_id)]
    pub exclude_accounts: Vec<String>,

    /// Most accounts audited at once. Every account shares --concurrency, the one bound
    /// on requests in flight.
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = parse_at_least_one)]
    pub account_concurrency: usize,

    /// Audit only shard I of N (e.g. 2/8) of the accounts: a fixed subset chosen by a
    /// hash of each account id, so N workers (a CI matrix, a Kubernetes Indexed Job, an
    /// AWS Batch array job) cover every account exactly once. Combine their JSON
    /// reports with `hiyari merge`. A 0-based worker index K is written `K+1/N`
    /// (e.g. `$(JOB_COMPLETION_INDEX)+1/4` in a Kubernetes Indexed Job).
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
}

impl TargetArgs {
    /// Whether the scan covers more than the credentials' own account.
    pub fn many(&self) -> bool {
        self.org || self.accounts.is_some() || !self.role_arns.is_empty()
    }
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    Shard::parse(s)
}

fn parse_account_id(s: &str) -> Result<String, String> {
    match names::is_account_id(s) {
        true => Ok(s.to_string()),
        false => Err(format!("`{s}` is not an AWS account id (12 digits)")),
    }
}

fn parse_role_arn(s: &str) -> Result<String, String> {
    match names::account_of_role(s) {
        Some(_) => Ok(s.to_string()),
        None => Err(format!(
            "`{s}` is not a role ARN; --role-arn takes arn:PARTITION:iam::ACCOUNT:role/NAME"
        )),
    }
}

fn parse_at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// Which checks to run.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Checks")]
pub struct SelectArgs {
    /// The configuration file (default: hiyari.toml in the working directory, if any).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Run only these checks (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub checks: Option<Vec<String>>,

    /// Skip these checks (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "ID,...")]
    pub skip_checks: Option<Vec<String>>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(flatten)]
    pub targets: TargetArgs,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Regions where EC2 compute is expected (comma-separated). Instances and spot
    /// requests elsewhere fail unused-region-compute. Default: allowed_regions in
    /// hiyari.toml, else the home region (--region).
    #[arg(
        help_heading = "Checks",
        long,
        value_delimiter = ',',
        value_name = "REGION,..."
    )]
    pub allowed_regions: Option<Vec<String>>,

    /// Evaluate a saved inventory (from `hiyari collect`) instead of scanning: no AWS
    /// calls are made. Reports give the time the inventory was collected and,
    /// separately, the time of the evaluation. --regions narrows it; --region is refused.
    #[arg(help_heading = "Saved inventory", long, value_name = "FILE")]
    pub inventory: Option<PathBuf>,

    /// Output format.
    #[arg(help_heading = "Reports", long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Where to write reports. `PATH` writes the --format output there instead of
    /// stdout; `FORMAT=PATH` writes that format there as well (e.g. `sarif=hiyari.sarif`).
    /// Repeat it to write several formats from one scan. `-` is stdout. A name before `=`
    /// that is not a format is an error; for a file whose name contains `=`, give a
    /// directory with it: `./a=b.txt`.
    #[arg(help_heading = "Reports", long, short, value_name = "[FORMAT=]PATH", value_parser = parse_output)]
    pub output: Vec<OutputSpec>,

    /// The repository file SARIF results point at (at line 1), as a path relative to
    /// the repository root. Default: the configuration file, else `hiyari.toml`.
    #[arg(help_heading = "Reports", long, value_name = "PATH")]
    pub sarif_location: Option<String>,

    /// Exit 1 when an unmuted fail of this severity or worse exists (default: the
    /// config's fail_on, else low).
    #[arg(help_heading = "Exit code", long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,

    /// Compare with an earlier JSON report: every finding is marked `new` or `existing`
    /// (JSON gains a `baseline` field per finding).
    #[arg(help_heading = "Exit code", long, value_name = "OLD.json")]
    pub baseline: Option<PathBuf>,

    /// With --baseline: exit 1 only for fails that are new (a fail the baseline already
    /// had does not fail CI; errors still exit 3).
    #[arg(help_heading = "Exit code", long, requires = "baseline")]
    pub fail_on_new: bool,

    /// Exit 4 when the run has warnings (an accepted risk that expired or matched
    /// nothing, an allowed region that does not exist) and no fail at or above
    /// --fail-on and nothing in error. Also `fail_on_warnings = true` in hiyari.toml.
    #[arg(long, help_heading = "Exit code")]
    pub fail_on_warnings: bool,

    /// List passing checks in the table too (JSON always has them).
    #[arg(long, help_heading = "Reports")]
    pub show_pass: bool,
}

#[derive(Debug, Args)]
#[command(
    mut_arg("checks", |a| a.help("Only the actions of these checks (comma-separated ids)")),
    mut_arg("skip_checks", |a| a.help("Leave out the actions of these checks (comma-separated ids)"))
)]
pub struct PolicyArgs {
    #[command(flatten)]
    pub select: SelectArgs,

    /// The policy of the principal that runs `hiyari audit --org`: Organizations
    /// ListAccounts and STS AssumeRole into --role-name, besides the audit's own actions
    /// (for the credentials' own account). Each member account's role needs the policy
    /// printed without --org.
    #[arg(long, help_heading = "Several accounts (an organization)")]
    pub org: bool,

    /// With --org: the role assumed in each account.
    #[arg(
        long,
        help_heading = "Several accounts (an organization)",
        default_value = "OrganizationAccountAccessRole",
        value_name = "NAME"
    )]
    pub role_name: String,

    /// The policy of `hiyari sweep` instead: exactly the read-only actions a sweep
    /// calls (with --org, also listing the organization and assuming --role-name).
    #[arg(long)]
    pub sweep: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// JSON reports (`hiyari audit --format json`), e.g. one per shard.
    #[arg(required = true, num_args = 1.., value_name = "REPORT.json")]
    pub reports: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,

    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 1 when an unmuted fail of this severity or worse exists.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity, default_value = "low")]
    pub fail_on: Severity,

    /// Exit 4 when the merged reports carry warnings (or an account is in two of them)
    /// and no fail at or above --fail-on and nothing in error.
    #[arg(long)]
    pub fail_on_warnings: bool,

    /// List passing checks in the table too.
    #[arg(long)]
    pub show_pass: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The earlier report (`hiyari audit --format json`).
    pub old: PathBuf,
    /// The later report.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
    pub format: DiffFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Table,
    Json,
    Markdown,
    Html,
}

/// `--region` for the commands that take no inventory.
const HOME_REGION_HELP: &str =
    "The home region, where the first calls go. Default: AWS_REGION or the profile's.";

#[derive(Debug, Args)]
// AwsArgs' help of --region and --regions speaks of `audit --inventory` too; init and
// collect (below) say what the options mean for them.
#[command(
    mut_arg("region", |a| a.help(HOME_REGION_HELP)),
    mut_arg("regions", |a| a.help("Look for compute only in these regions (comma-separated). Default: every enabled region."))
)]
pub struct InitArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    /// Where to write the file.
    #[arg(
        long,
        short,
        default_value = "hiyari.toml",
        value_name = "FILE",
        help_heading = "Output"
    )]
    pub output: PathBuf,

    /// Overwrite the file if it exists.
    #[arg(long, help_heading = "Output")]
    pub force: bool,

    /// Do not contact AWS: write the starter file without allowed_regions.
    #[arg(long, help_heading = "Scanning AWS")]
    pub no_scan: bool,
}

#[derive(Debug, Args)]
#[command(
    mut_arg("region", |a| a.help(HOME_REGION_HELP)),
    mut_arg("regions", |a| a.help("Scan only these regions (comma-separated). Default: every enabled region."))
)]
pub struct CollectArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(flatten)]
    pub targets: TargetArgs,

    #[command(flatten)]
    pub select: SelectArgs,

    /// Where to write the inventory (JSON). `-` for stdout.
    #[arg(long, short, value_name = "FILE", help_heading = "Output")]
    pub output: PathBuf,
}

/// The names `--format` and `--output FORMAT=PATH` take, comma-separated.
pub fn format_names() -> String {
    Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `PATH` or `FORMAT=PATH`. Text before the first `=` with no `/` in it must be a format
/// name: a mistyped format is an error, not a file named `yaml=x.yaml`. A file whose
/// name holds `=` is written with a directory in front (`./a=b.txt`).
fn parse_output(s: &str) -> Result<OutputSpec, String> {
    output_spec(s, unknown_format)
}

/// [`parse_output`] for the formats `F` of a command; `unknown(name, path, s)` says why
/// `name` is none of them.
pub(crate) fn output_spec<F: ValueEnum>(
    s: &str,
    unknown: impl Fn(&str, &str, &str) -> String,
) -> Result<OutputSpec<F>, String> {
    if let Some((name, path)) = s.split_once('=') {
        if !name.contains(std::path::is_separator) {
            let Ok(format) = F::from_str(name, true) else {
                return Err(unknown(name, path, s));
            };
            if path.is_empty() {
                return Err(format!("no path after `{name}=`; write `{name}=FILE`"));
            }
            return Ok(OutputSpec {
                format: Some(format),
                path: PathBuf::from(path),
            });
        }
    }
    if s.is_empty() {
        return Err("empty path".into());
    }
    Ok(OutputSpec {
        format: None,
        path: PathBuf::from(s),
    })
}

/// The error for `NAME=PATH` whose NAME is no format: the closest format first, then
/// the list, and, when PATH could be a file name, how to write a file named `NAME=PATH`.
fn unknown_format(name: &str, path: &str, whole: &str) -> String {
    let names: Vec<String> = Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .map(|v| v.get_name().to_string())
        .collect();
    let mut msg = format!("unknown format `{name}`");
    match crate::suggest::closest(&name.to_lowercase(), names.iter().map(String::as_str)) {
        Some(c) => msg.push_str(&format!("; did you mean `{c}`? The formats are: ")),
        None => msg.push_str("; the formats are: "),
    }
    msg.push_str(&format!("{}.", format_names()));
    if !path.contains(std::path::is_separator) {
        msg.push_str(&format!(
            " (For a file whose name contains `=`, write it with a directory: `./{whole}`.)"
        ));
    }
    msg
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_takes_a_path_or_a_format_and_a_path() {
        assert_eq!(
            parse_output("report.json").unwrap(),
            OutputSpec {
                format: None,
                path: "report.json".into()
            }
        );
        assert_eq!(
            parse_output("SARIF=hiyari.sarif").unwrap(),
            OutputSpec {
                format: Some(Format::Sarif),
                path: "hiyari.sarif".into()
            }
        );
        // A path with a directory may hold `=` anywhere.
        for p in ["./yaml=x.yaml", "/tmp/a=b", "out/k=v.json"] {
            assert_eq!(
                parse_output(p).unwrap(),
                OutputSpec {
                    format: None,
                    path: p.into()
                }
            );
        }
        assert_eq!(
            parse_output("html=./a=b.html").unwrap(),
            OutputSpec {
                format: Some(Format::Html),
                path: "./a=b.html".into()
            }
        );
    }

    #[test]
    fn a_name_before_equals_that_is_not_a_format_is_an_error() {
        assert_eq!(
            parse_output("yaml=x.yaml").unwrap_err(),
            "unknown format `yaml`; the formats are: table, json, ocsf, sarif, junit, asff, \
             csv, markdown, html. (For a file whose name contains `=`, write it with a \
             directory: `./yaml=x.yaml`.)"
        );
        assert_eq!(
            parse_output("jsn=/tmp/x.json").unwrap_err(),
            "unknown format `jsn`; did you mean `json`? The formats are: table, json, ocsf, \
             sarif, junit, asff, csv, markdown, html."
        );
        assert!(parse_output("=x")
            .unwrap_err()
            .starts_with("unknown format ``"));
        assert_eq!(
            parse_output("json=").unwrap_err(),
            "no path after `json=`; write `json=FILE`"
        );
    }
}
