//! The arguments of `hiyari sweep`: the window, whom to follow, and its formats and
//! `--output` destinations.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{AwsArgs, TargetArgs, HOME_REGION_HELP};

/// `hiyari sweep`.
#[derive(Debug, Args)]
#[command(
    mut_arg("region", |a| a.help(HOME_REGION_HELP)),
    mut_arg("regions", |a| a.help("Sweep only these regions (comma-separated). Default: every enabled region."))
)]
pub struct SweepArgs {
    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(flatten)]
    pub targets: TargetArgs,

    /// The start of the window: an RFC 3339 time (2026-11-20T09:00:00Z) or a duration
    /// back from now (36h, 7d, 90m). CloudTrail's event history keeps 90 days.
    #[arg(long, value_name = "WHEN", required_unless_present = "inventory")]
    pub since: Option<String>,

    /// The end of the window (RFC 3339 or a duration back from now). Default: now.
    #[arg(long, value_name = "WHEN")]
    pub until: Option<String>,

    /// Everything this access key did in the window, in every region, and the temporary
    /// keys it minted (GetSessionToken, AssumeRole, GetFederationToken), followed and
    /// attributed to it. Repeat it for several keys.
    #[arg(long = "access-key-id", value_name = "KEY")]
    pub access_key_ids: Vec<String>,

    /// Everything this principal (an ARN, or an IAM user name; `root`) did in the window.
    /// Repeat it for several.
    #[arg(long = "principal", value_name = "ARN|NAME")]
    pub principals: Vec<String>,

    /// With neither --access-key-id nor --principal, every write event is read, at most
    /// this many per account and region (newest first). A region with more is reported
    /// as cut, and the sweep exits 3.
    #[arg(long, default_value_t = 5000, value_name = "N")]
    pub max_events: u32,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SweepFormat::Table)]
    pub format: SweepFormat,

    /// Where to write reports: `PATH` for the --format output, `FORMAT=PATH` for another
    /// format as well (e.g. `html=sweep.html`). Repeatable. `-` is stdout.
    #[arg(long, short, value_name = "[FORMAT=]PATH", value_parser = parse_sweep_output)]
    pub output: Vec<SweepOutput>,

    /// Also save what was collected (a sweep inventory, JSON), to evaluate again later
    /// with --inventory.
    #[arg(long, value_name = "FILE", conflicts_with = "inventory")]
    pub save: Option<PathBuf>,

    /// Evaluate a saved sweep inventory (from --save) instead of calling AWS.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["since", "until", "access_key_ids", "principals"])]
    pub inventory: Option<PathBuf>,

    /// The configuration file (default: hiyari.toml, if any). `[checks.unused-region-spend]
    /// enabled = false` there also keeps the sweep from reading spend (Cost Explorer
    /// charges USD 0.01 a request).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Formats of `hiyari sweep`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    /// A summary per region and type, then the items.
    Table,
    /// The `hiyari.sweep/v1` JSON contract.
    Json,
    /// The leak notice's checklist, filled in, in Markdown.
    Markdown,
    /// The leak notice's checklist as one self-contained HTML file.
    Html,
}

/// One `--output` of `sweep`: a path for the --format output, or `FORMAT=PATH`.
pub type SweepOutput = super::OutputSpec<SweepFormat>;

fn parse_sweep_output(s: &str) -> Result<SweepOutput, String> {
    super::output_spec(s, |name, _, s| {
        format!("`{name}` is not a sweep format; the formats are: table, json, markdown, html. (For a file whose name contains `=`, write it with a directory: `./{s}`.)")
    })
}
