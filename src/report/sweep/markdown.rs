//! The sweep as the leak notice's checklist, in Markdown: each step AWS's notices ask
//! for, what hiyari found for it, and for each resource the AWS CLI command that removes
//! it. Every value from AWS is an inline code span ([`markdown_code`]): inside one,
//! nothing is markup, a link, an autolink or a mention, whatever it holds.

use std::fmt::Write as _;

use hiyari_checks::sweep::report::ResourceEntry;
use hiyari_checks::sweep::SweepReport;

use super::{completeness, is_iam, yes_no, TextStyle, MAX_EVENTS_SHOWN};
use crate::report::common::markdown_code as c;

const S: TextStyle = TextStyle {
    esc: c,
    missing: "unknown",
    indent: "  - ",
};

fn o(s: &Option<String>) -> String {
    S.o(s)
}

fn resource(out: &mut String, x: &ResourceEntry) {
    let _ = writeln!(
        out,
        "- [ ] {} {} in {} (account {}), created {}, state {}",
        c(&x.ty),
        c(&x.id),
        c(&x.region),
        c(&x.account),
        o(&x.created_at),
        o(&x.state)
    );
    S.resource_details(out, x, "created by: ", "to remove it: ");
}

pub fn render(r: &SweepReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Leak response checklist\n");
    let _ = writeln!(
        out,
        "What happened from {} to {} in account(s) {}, from CloudTrail event history and every region's live resources (`hiyari sweep`). hiyari ran none of the commands below: review each before you run it.\n",
        c(&r.window.since),
        c(&r.window.until),
        r.accounts.iter().map(|a| c(&a.id)).collect::<Vec<_>>().join(", ")
    );
    if let Some(w) = completeness(r) {
        let _ = writeln!(out, "> **{}**\n", crate::report::common::markdown(&w));
    }

    let _ = writeln!(out, "## 1. Delete or rotate the exposed access keys\n");
    if r.keys.is_empty() {
        let _ = writeln!(out, "No key was named (`--access-key-id`).\n");
    }
    for k in &r.keys {
        match &k.derived_from {
            None => {
                let _ = writeln!(
                    out,
                    "- [ ] {} of user {}: status {}, created {}, last used {} ({} in {}); AWS's quarantine policy attached: {}",
                    c(&k.access_key_id),
                    o(&k.user),
                    o(&k.status),
                    o(&k.created_at),
                    o(&k.last_used_at),
                    o(&k.last_used_service),
                    o(&k.last_used_region),
                    yes_no(k.quarantined)
                );
                if let Some(u) = &k.user {
                    let cmd = format!(
                        "aws iam update-access-key --user-name {} --access-key-id {} --status Inactive",
                        hiyari_checks::sweep::sources::shell_quote(u),
                        hiyari_checks::sweep::sources::shell_quote(&k.access_key_id)
                    );
                    let _ = writeln!(out, "  - to deactivate it: {}", c(&cmd));
                }
            }
            Some(from) => {
                let _ = writeln!(
                    out,
                    "- [ ] temporary key {} minted from {} by {} at {} ({}): it stays valid until it expires; revoke the role's sessions or delete the user",
                    c(&k.access_key_id),
                    c(from),
                    o(&k.minted_by),
                    o(&k.created_at),
                    o(&k.user)
                );
            }
        }
    }
    let _ = writeln!(out);

    let _ = writeln!(
        out,
        "## 2. Check for unauthorized IAM users, policies, roles and temporary credentials\n"
    );
    let iam: Vec<_> = r.resources.iter().filter(|x| is_iam(x)).collect();
    if iam.is_empty() {
        let _ = writeln!(
            out,
            "No IAM user, access key, login profile, role or policy was created in the window.\n"
        );
    }
    for x in iam {
        resource(&mut out, x);
    }
    let _ = writeln!(out);

    let _ = writeln!(
        out,
        "## 3. Review EC2 instances, Lambda functions and Spot bids in every region\n"
    );
    let rest: Vec<_> = r.resources.iter().filter(|x| !is_iam(x)).collect();
    if rest.is_empty() {
        let _ = writeln!(
            out,
            "No EC2 or Lambda resource was created in the window in the regions swept.\n"
        );
    }
    for x in rest {
        resource(&mut out, x);
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "## 4. Console sign-ins\n");
    if r.sign_ins.is_empty() {
        let _ = writeln!(out, "None in the window.\n");
    }
    for s in &r.sign_ins {
        let _ = writeln!(
            out,
            "- [ ] {} {} ({}) in {} from {}: {}, MFA {}",
            c(&s.time),
            o(&s.principal),
            o(&s.identity_type),
            c(&s.region),
            o(&s.source_ip),
            o(&s.outcome),
            yes_no(s.mfa_used)
        );
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "## 5. What was done in the window\n");
    if r.activity.is_empty() {
        let _ = writeln!(out, "No event.\n");
    }
    for a in r.activity.iter().take(MAX_EVENTS_SHOWN) {
        let _ = writeln!(
            out,
            "- {} {} {} by {} with key {}{} from {}{}",
            c(&a.time),
            c(&a.region),
            c(&a.event_name),
            o(&a.principal),
            o(&a.access_key_id),
            S.around(&a.attributed_to, " (minted from ", ")"),
            o(&a.source_ip),
            S.around(&a.error_code, ", failed with ", "")
        );
        if let Some(ua) = &a.user_agent {
            S.detail(&mut out, "user agent: ", &c(ua));
        }
    }
    if r.activity.len() > MAX_EVENTS_SHOWN {
        let _ = writeln!(
            out,
            "- and {} more events (the JSON report has them all)",
            r.activity.len() - MAX_EVENTS_SHOWN
        );
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "## 6. Check the bill\n");
    if r.spend.is_empty() {
        let _ = writeln!(out, "Spend was not read; check the Billing console.\n");
    }
    for s in &r.spend {
        let _ = writeln!(
            out,
            "- {} {}: USD {:.2}",
            c(&s.account),
            c(&s.region),
            s.usd
        );
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "## 7. AWS's notices (AWS Health, RISK and ABUSE)\n");
    if r.notices.is_empty() {
        let _ = writeln!(out, "None read.\n");
    }
    for n in &r.notices {
        let _ = writeln!(
            out,
            "- {} {} ({}): {}",
            o(&n.time),
            c(&n.event_type_code),
            o(&n.status),
            o(&n.description)
        );
    }
    let _ = writeln!(out);

    let _ = writeln!(out, "## 8. Enable GuardDuty\n");
    let _ = writeln!(
        out,
        "`hiyari audit --checks guardduty-enabled` says in which regions it is off.\n"
    );

    if !r.errors.is_empty() || !r.warnings.is_empty() {
        let _ = writeln!(out, "## What could not be read\n");
        for e in &r.errors {
            let _ = writeln!(
                out,
                "- account {}, {}: {} failed with {}: {}",
                c(&e.account),
                S.opt(e.region.as_deref(), "account-wide"),
                c(&e.api),
                c(&e.code),
                c(&e.message)
            );
        }
        for w in &r.warnings {
            let _ = writeln!(out, "- warning: {}", c(&w.message));
        }
        let _ = writeln!(out);
    }
    out
}
