//! `hiyari policy`: the least-privilege IAM policy of the selected checks.

use anyhow::Result;

use super::select;
use crate::cli::PolicyArgs;
use crate::policy::{org_policy_of, policy, policy_of};

pub(super) fn run(args: PolicyArgs) -> Result<u8> {
    let own = if args.sweep {
        policy_of(super::sweep::sweep_actions())
    } else {
        policy(&select(&args.select)?.1)
    };
    match args.org {
        false => print!("{own}"),
        true => print!("{}", org_policy_of(&own, &args.role_name)),
    }
    Ok(0)
}
