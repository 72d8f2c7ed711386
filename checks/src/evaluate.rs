//! Evaluation: run the selected checks over an inventory, and the one place that sorts
//! findings, counts them and decides the exit code.

use crate::accept;
use crate::check::Check;
use crate::finding::{Finding, FindingBuilder, Severity, Status};
use crate::inventory::{AccountInventory, Inventory, Regions};
pub use crate::options::{AllowedRegions, EvalOptions};
use crate::warning::{kind, Warning};

/// Counts by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub pass: usize,
    pub fail: usize,
    pub error: usize,
    pub muted: usize,
}

impl Summary {
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Self {
        let mut s = Summary::default();
        for f in findings {
            match f.status {
                Status::Pass => s.pass += 1,
                Status::Fail => s.fail += 1,
                Status::Error => s.error += 1,
                Status::Muted => s.muted += 1,
            }
        }
        s
    }
}

/// One audited account as the report lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportAccount {
    pub id: String,
    pub partition: String,
    pub principal: String,
    pub regions: Regions,
    /// Not part of the JSON contract (kept out of `hiyari.report/v1`): shown by the
    /// human-readable formats.
    pub allowed_regions: Option<AllowedRegions>,
    /// The home region of the scan (not part of the JSON contract either): where
    /// account-wide findings are placed in formats that need a region (ASFF).
    pub home_region: Option<String>,
    /// Why the account could not be audited at all, when it could not.
    pub error: Option<crate::inventory::CollectError>,
}

/// The exit code of a run that found no fail and no error but has warnings, with
/// `--fail-on-warnings` (or `fail_on_warnings = true`).
pub const EXIT_WARNINGS: i32 = 4;

/// The finished report: what every renderer takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub tool_version: String,
    /// When the evaluation began and ended: for a scan, from before its first AWS call
    /// to the end of the evaluation; with `--inventory`, the evaluation alone.
    pub started_at: String,
    pub finished_at: String,
    /// When the AWS data was collected: the inventory's `collected_at` (the end of the
    /// scan). `None` when unknown (a report read back from an older JSON report).
    pub collected_at: Option<String>,
    pub accounts: Vec<ReportAccount>,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    /// Things the reader should know that are not findings: accepted risks that expired
    /// or matched nothing, allowed regions that do not exist. Shown on stderr, by the
    /// human-readable formats, and in the machine formats that have a place for them.
    pub warnings: Vec<crate::warning::Warning>,
}

impl Report {
    /// The findings of one account, in report order.
    pub fn findings_of<'a, 'b>(&'a self, account: &'b str) -> impl Iterator<Item = &'a Finding> + 'b
    where
        'a: 'b,
    {
        self.findings.iter().filter(move |f| f.account == account)
    }

    /// The exit code, per DESIGN.md: 1 when an unmuted fail at or above `fail_on`
    /// exists; else 3 when any check is in error; else 0. (2 is for usage and
    /// credential errors, decided before any report exists.)
    pub fn exit_code(&self, fail_on: Severity) -> i32 {
        self.exit_code_gated(fail_on, false)
    }

    /// `code` (an exit code of [`Report::exit_code_gated`]), or [`EXIT_WARNINGS`] when
    /// it is 0, `fail_on_warnings` is set and the run has warnings: a fail or an error
    /// says more than a warning, so 1 and 3 are kept.
    pub fn gate_warnings(&self, code: i32, fail_on_warnings: bool) -> i32 {
        if code == 0 && fail_on_warnings && !self.warnings.is_empty() {
            EXIT_WARNINGS
        } else {
            code
        }
    }

    /// The exit code; with `new_only`, only fails marked new against a baseline count
    /// (`--fail-on-new`). Errors still make it 3: a baseline cannot vouch for a check
    /// that could not run.
    pub fn exit_code_gated(&self, fail_on: Severity, new_only: bool) -> i32 {
        if self.findings.iter().any(|f| {
            f.status == Status::Fail
                && f.severity.at_least(fail_on)
                && (!new_only || f.baseline != Some(crate::finding::Baseline::Existing))
        }) {
            1
        } else if self.findings.iter().any(|f| f.status == Status::Error) {
            3
        } else {
            0
        }
    }
}

/// Sorts findings the report's way: status, severity, check, region, resource.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// One check over one account. A check that panics (a bug in hiyari, or data no test
/// foresaw) becomes one `error` finding for that check and account, naming the panic,
/// instead of taking the other checks and accounts of the report down with it.
fn evaluate_isolated(
    check: &dyn Check,
    account: &AccountInventory,
    opts: &EvalOptions,
) -> Vec<Finding> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check.evaluate(&crate::check::Cx::new(check.meta(), account, opts))
    })) {
        Ok(found) => found,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_string());
            let b = FindingBuilder::new(
                check.meta(),
                &account.identity.account_id,
                &account.identity.partition,
            );
            let err = crate::inventory::CollectError::new(
                "hiyari",
                "InternalError",
                format!(
                    "the check failed while evaluating this account ({what}); please report it"
                ),
            );
            vec![b.error(None, b.account_resource(), &err)]
        }
    }
}

/// Runs `checks` over every account of `inventory`.
pub fn evaluate(
    inventory: &Inventory,
    checks: &[&dyn Check],
    opts: &EvalOptions,
    started_at: String,
    finished_at: String,
) -> Report {
    let evaluated = inventory
        .accounts
        .iter()
        .map(|account| evaluate_account(account, checks, opts))
        .collect();
    assemble(
        evaluated,
        checks,
        opts,
        started_at,
        finished_at,
        Some(inventory.collected_at.clone()).filter(|c| !c.is_empty()),
    )
}

/// One account's findings and its entry in the report: what a scan of many accounts
/// keeps of each once it is evaluated, so that its inventory can be dropped.
pub type EvaluatedAccount = (Vec<Finding>, ReportAccount);

/// Runs `checks` over one account.
pub fn evaluate_account(
    account: &AccountInventory,
    checks: &[&dyn Check],
    opts: &EvalOptions,
) -> EvaluatedAccount {
    let mut findings = Vec::new();
    for check in checks {
        let mut found = match &account.failure {
            // Nothing was collected: every check is in error for the account.
            Some(err) => {
                let b = FindingBuilder::new(
                    check.meta(),
                    &account.identity.account_id,
                    &account.identity.partition,
                );
                vec![b.error(None, b.account_resource(), err)]
            }
            None => evaluate_isolated(*check, account, opts),
        };
        if let Some(sev) = opts.severity.get(check.meta().id) {
            for f in &mut found {
                f.severity = *sev;
            }
        }
        findings.extend(found);
    }
    let entry = ReportAccount {
        id: account.identity.account_id.clone(),
        partition: account.identity.partition.clone(),
        principal: account.identity.principal_arn.clone(),
        regions: account.regions.clone(),
        allowed_regions: match account.failure {
            Some(_) => None,
            None => Some(opts.allowed_regions_for(account)),
        },
        home_region: account.home_region.clone(),
        error: account.failure.clone(),
    };
    (findings, entry)
}

/// The report of accounts evaluated one by one ([`evaluate_account`], in report order):
/// accepted risks applied, findings sorted, the summary counted.
pub fn assemble(
    evaluated: Vec<EvaluatedAccount>,
    checks: &[&dyn Check],
    opts: &EvalOptions,
    started_at: String,
    finished_at: String,
    collected_at: Option<String>,
) -> Report {
    let mut findings = Vec::new();
    let mut accounts = Vec::new();
    for (found, entry) in evaluated {
        findings.extend(found);
        accounts.push(entry);
    }
    let today = opts
        .today
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date());
    let ran: Vec<&str> = checks.iter().map(|c| c.meta().id).collect();
    let mut warnings = unknown_allowed_regions(&accounts, opts);
    warnings.extend(accept::apply(&mut findings, &opts.accept, &ran, today));
    sort_findings(&mut findings);
    Report {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        started_at,
        finished_at,
        collected_at,
        accounts,
        summary: Summary::of(&findings),
        findings,
        warnings,
    }
}

/// A warning for each allowed region given for an audited account that is not one of
/// its regions (neither scanned nor skipped): a typo there would let compute in the
/// region meant pass unseen.
fn unknown_allowed_regions(accounts: &[ReportAccount], opts: &EvalOptions) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for acc in accounts.iter().filter(|a| a.error.is_none()) {
        let Some(given) = opts.allowed_regions_given(&acc.id) else {
            continue;
        };
        let known = |r: &String| {
            acc.regions.scanned.contains(r) || acc.regions.skipped.iter().any(|s| &s.region == r)
        };
        for r in given.regions.iter().filter(|r| !known(r)) {
            warnings.push(
                Warning::new(
                    kind::UNKNOWN_ALLOWED_REGION,
                    format!(
                        "allowed regions name `{r}`, which is not a region of account {}",
                        acc.id
                    ),
                )
                .of_account(acc.id.clone())
                .in_region(r.clone()),
            );
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::account;
    use crate::inventory::{CollectError, Identity, INVENTORY_SCHEMA};
    use crate::registry::all_checks;

    fn inventory(accounts: Vec<AccountInventory>) -> Inventory {
        Inventory {
            schema: INVENTORY_SCHEMA.into(),
            tool_version: "test".into(),
            collected_at: "2026-11-22T00:00:00Z".into(),
            accounts,
        }
    }

    /// A check that panics on one account's data.
    struct Fragile;
    static FRAGILE: crate::check::CheckMeta = crate::check::CheckMeta {
        id: "fragile",
        title: "A check with a bug",
        severity: crate::finding::Severity::High,
        scope: crate::check::Scope::Account,
        incidents: &[],
        sources: &[crate::check::Source::AccountSummary],
        doc: crate::check::Doc::new(
            "Fails never.\n## What it does\nx\n## Why is this bad\nx\n## How to fix\nx",
        ),
    };
    impl crate::check::Declared for Fragile {
        fn meta(&self) -> &'static crate::check::CheckMeta {
            &FRAGILE
        }
    }
    impl Check for Fragile {
        fn evaluate(&self, cx: &crate::check::Cx) -> Vec<Finding> {
            assert!(
                cx.account.identity.account_id != "222222222222",
                "unexpected data"
            );
            vec![cx
                .b
                .pass(None, cx.b.account_resource(), "fine", Default::default())]
        }
    }

    #[test]
    fn a_check_that_panics_on_one_account_is_an_error_there_and_nowhere_else() {
        let mut other = account(&["us-east-1"]);
        other.identity.account_id = "222222222222".into();
        let inv = inventory(vec![account(&["us-east-1"]), other]);
        let checks: Vec<&dyn Check> = vec![&Fragile, all_checks()[0]];
        let r = evaluate(
            &inv,
            &checks,
            &EvalOptions::default(),
            "a".into(),
            "b".into(),
        );
        let of = |acc: &str, check: &str| -> Vec<Status> {
            r.findings
                .iter()
                .filter(|f| f.account == acc && f.check == check)
                .map(|f| f.status)
                .collect()
        };
        assert_eq!(of("123456789012", "fragile"), [Status::Pass]);
        assert_eq!(of("222222222222", "fragile"), [Status::Error]);
        let err = r
            .findings
            .iter()
            .find(|f| f.status == Status::Error)
            .unwrap();
        assert!(err.message.contains("unexpected data"), "{}", err.message);
        // The other check ran on both accounts.
        assert_eq!(
            of("222222222222", all_checks()[0].meta().id),
            [Status::Pass]
        );
        assert_eq!(
            r.exit_code_gated(crate::finding::Severity::Critical, false),
            3
        );
    }

    #[test]
    fn an_account_that_could_not_be_audited_is_an_error_for_every_check() {
        let broken = || {
            AccountInventory::failed(
                Identity {
                    account_id: "222222222222".into(),
                    partition: "aws".into(),
                    principal_arn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole"
                        .into(),
                },
                Some("us-east-1".into()),
                CollectError::new("sts:AssumeRole", "AccessDenied", "not authorized"),
            )
        };
        let checks = all_checks();
        let report = evaluate(
            &inventory(vec![account(&["us-east-1"]), broken()]),
            checks,
            &EvalOptions::default(),
            String::new(),
            String::new(),
        );
        let errors: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.account == "222222222222")
            .collect();
        assert_eq!(errors.len(), checks.len(), "one finding per check");
        for f in &errors {
            assert_eq!(f.status, Status::Error);
            assert_eq!(f.error_source(), Some(("sts:AssumeRole", "AccessDenied")));
            assert_eq!(f.region, None);
        }
        let acc = &report.accounts[1];
        assert_eq!(acc.error.as_ref().unwrap().code, "AccessDenied");
        assert!(acc.allowed_regions.is_none());
        assert!(report.accounts[0].error.is_none());
        // The healthy account is still evaluated.
        assert!(report
            .findings
            .iter()
            .any(|f| f.account != "222222222222" && f.status == Status::Pass));
        // Alone, the broken account makes the run 3: nothing failed, nothing vouched for.
        let alone = evaluate(
            &inventory(vec![broken()]),
            checks,
            &EvalOptions::default(),
            String::new(),
            String::new(),
        );
        assert_eq!(alone.exit_code(Severity::Low), 3);
    }

    #[test]
    fn warnings_fail_the_run_only_when_asked_and_only_a_clean_one() {
        let mut r = evaluate(
            &inventory(vec![]),
            all_checks(),
            &EvalOptions::default(),
            String::new(),
            String::new(),
        );
        assert_eq!(
            r.gate_warnings(0, true),
            0,
            "no warning, nothing to fail on"
        );
        r.warnings.push(crate::Warning::new(
            crate::warning::kind::ACCEPT_EXPIRED,
            "x",
        ));
        assert_eq!(r.gate_warnings(0, false), 0);
        assert_eq!(r.gate_warnings(0, true), EXIT_WARNINGS);
        assert_eq!(r.gate_warnings(1, true), 1, "a fail says more");
        assert_eq!(r.gate_warnings(3, true), 3, "so does an error");
    }

    #[test]
    fn an_accounts_own_allowed_regions_win() {
        let acc = account(&["us-east-1"]);
        let mut opts = EvalOptions {
            allowed_regions: Some(vec!["ap-northeast-1".into()]),
            ..Default::default()
        };
        assert_eq!(opts.allowed_regions_for(&acc).regions, ["ap-northeast-1"]);
        opts.account_allowed_regions.insert(
            acc.identity.account_id.clone(),
            vec!["sa-east-1".into(), "us-east-1".into()],
        );
        let a = opts.allowed_regions_for(&acc);
        assert_eq!(a.regions, ["sa-east-1", "us-east-1"]);
        assert!(a.source.contains("[accounts."), "{}", a.source);
        let mut other = account(&["us-east-1"]);
        other.identity.account_id = "999999999999".into();
        assert_eq!(opts.allowed_regions_for(&other).regions, ["ap-northeast-1"]);
    }

    /// An allowed region that is none of the account's regions is a warning, from the
    /// list in force for that account; the home region standing in warns of nothing.
    #[test]
    fn allowed_regions_that_are_no_region_of_the_account_are_warned_of() {
        let acc = account(&["us-east-1", "sa-east-1"]);
        let id = acc.identity.account_id.clone();
        let checks = &all_checks()[..1];
        let warned = |opts: &EvalOptions| {
            let report = assemble(
                vec![evaluate_account(&acc, checks, opts)],
                checks,
                opts,
                String::new(),
                String::new(),
                None,
            );
            report
                .warnings
                .iter()
                .filter(|w| w.kind == kind::UNKNOWN_ALLOWED_REGION)
                .map(|w| w.region.clone().unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert!(warned(&EvalOptions::default()).is_empty());
        let mut opts = EvalOptions {
            allowed_regions: Some(vec!["sa-east-1".into(), "us-east-l".into()]),
            ..Default::default()
        };
        assert_eq!(warned(&opts), ["us-east-l"]);
        opts.account_allowed_regions
            .insert(id, vec!["ap-northeast-9".into()]);
        assert_eq!(warned(&opts), ["ap-northeast-9"]);
    }
}
