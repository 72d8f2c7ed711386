//! `hiyari policy`: the least-privilege IAM policy of the selected checks.

use anyhow::Result;

use super::select;
use crate::cli::PolicyArgs;
use crate::policy::{org_policy, policy};

pub(super) fn run(args: PolicyArgs) -> Result<u8> {
    let checks = select(&args.select)?.1;
    match args.org {
        false => print!("{}", policy(&checks)),
        true => print!("{}", org_policy(&checks, &args.role_name)),
    }
    Ok(0)
}
