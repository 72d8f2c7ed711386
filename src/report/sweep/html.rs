//! The sweep as the leak notice's checklist, one self-contained HTML file: the same
//! steps as the Markdown, built with `maud` (markup that cannot be unbalanced) under a
//! Content-Security-Policy that forbids scripts and loads. Every value from AWS goes
//! through [`common::xml`] (control characters shown as escapes, then markup escaped)
//! and is never an attribute that links or loads.

use maud::{html, Markup, PreEscaped, Render, DOCTYPE};

use hiyari_checks::sweep::report::ResourceEntry;
use hiyari_checks::sweep::SweepReport;

use super::{completeness, creator_parts, is_iam, yes_no, MAX_EVENTS_SHOWN};
use crate::report::common;

const CSS: &str = r#"
body { font: 15px/1.5 system-ui, sans-serif; color: #1b1f24; max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem; }
h2 { border-bottom: 2px solid #1b1f24; margin-top: 2rem; }
code { font: .88em/1.4 ui-monospace, monospace; overflow-wrap: anywhere; }
li { margin: .3rem 0; }
.incomplete { border-left: 6px solid #8a5300; background: #fff8e6; padding: .5rem .8rem; font-weight: 600; }
"#;

struct Text<'a>(&'a str);

impl Render for Text<'_> {
    fn render_to(&self, buffer: &mut String) {
        buffer.push_str(&common::xml(self.0));
    }
}

fn code(s: &str) -> Markup {
    html! { code { (Text(s)) } }
}

fn o(s: &Option<String>) -> Markup {
    match s {
        Some(s) => code(s),
        None => html! { "unknown" },
    }
}

fn resource(x: &ResourceEntry) -> Markup {
    html! {
        li data-type=(Text(&x.ty)) {
            "☐ " (code(&x.ty)) " " (code(&x.id)) " in " (code(&x.region))
            " (account " (code(&x.account)) "), created " (o(&x.created_at))
            ", state " (o(&x.state))
            ul {
                @if let Some(n) = &x.name { li { "name: " (code(n)) } }
                @match &x.created_by {
                    Some(by) => {
                        @for (k, v) in creator_parts(by) { li { (k) ": " (code(&v)) } }
                    }
                    None => { li { "created by: " (o(&x.created_by_note)) } }
                }
                @if let Some(cmd) = &x.removal { li { "to remove it: " (code(cmd)) } }
            }
        }
        "\n"
    }
}

pub fn render(r: &SweepReport) -> String {
    let iam: Vec<_> = r.resources.iter().filter(|x| is_iam(x)).collect();
    let rest: Vec<_> = r.resources.iter().filter(|x| !is_iam(x)).collect();
    let accounts: Vec<&str> = r.accounts.iter().map(|a| a.id.as_str()).collect();
    let page = html! {
        (DOCTYPE) "\n"
        html lang="en" {
            head {
                meta charset="utf-8";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
                meta name="generator" content="hiyari";
                title { "Leak response checklist: AWS account " (Text(&accounts.join(", "))) }
                style { (PreEscaped(CSS)) }
            }
            "\n"
            body {
                h1 { "Leak response checklist" } "\n"
                p {
                    "What happened from " (code(&r.window.since)) " to " (code(&r.window.until))
                    " in account(s) " (Text(&accounts.join(", ")))
                    ", from CloudTrail event history and every region's live resources. hiyari ran none of the commands below: review each before you run it."
                } "\n"
                @if let Some(w) = completeness(r) { p class="incomplete" { (Text(&w)) } "\n" }

                h2 { "1. Delete or rotate the exposed access keys" } "\n"
                @if r.keys.is_empty() { p { "No key was named (--access-key-id)." } }
                ul {
                    @for k in &r.keys {
                        @match &k.derived_from {
                            None => {
                                li {
                                    "☐ " (code(&k.access_key_id)) " of user " (o(&k.user))
                                    ": status " (o(&k.status)) ", created " (o(&k.created_at))
                                    ", last used " (o(&k.last_used_at)) " (" (o(&k.last_used_service))
                                    " in " (o(&k.last_used_region)) "); AWS's quarantine policy attached: "
                                    (yes_no(k.quarantined))
                                }
                            }
                            Some(from) => {
                                li {
                                    "☐ temporary key " (code(&k.access_key_id)) " minted from " (code(from))
                                    " by " (o(&k.minted_by)) " at " (o(&k.created_at)) " (" (o(&k.user)) ")"
                                }
                            }
                        }
                        "\n"
                    }
                }

                h2 { "2. Check for unauthorized IAM users, policies, roles and temporary credentials" } "\n"
                @if iam.is_empty() { p { "No IAM user, access key, login profile, role or policy was created in the window." } }
                ul { @for x in &iam { (resource(x)) } }

                h2 { "3. Review EC2 instances, Lambda functions and Spot bids in every region" } "\n"
                @if rest.is_empty() { p { "No EC2 or Lambda resource was created in the window in the regions swept." } }
                ul { @for x in &rest { (resource(x)) } }

                h2 { "4. Console sign-ins" } "\n"
                @if r.sign_ins.is_empty() { p { "None in the window." } }
                ul {
                    @for s in &r.sign_ins {
                        li {
                            "☐ " (code(&s.time)) " " (o(&s.principal)) " (" (o(&s.identity_type)) ") in "
                            (code(&s.region)) " from " (o(&s.source_ip)) ": " (o(&s.outcome))
                            ", MFA " (yes_no(s.mfa_used))
                        }
                        "\n"
                    }
                }

                h2 { "5. What was done in the window" } "\n"
                @if r.activity.is_empty() { p { "No event." } }
                ul {
                    @for a in r.activity.iter().take(MAX_EVENTS_SHOWN) {
                        li {
                            (code(&a.time)) " " (code(&a.region)) " " (code(&a.event_name)) " by "
                            (o(&a.principal)) " with key " (o(&a.access_key_id))
                            @if let Some(k) = &a.attributed_to { " (minted from " (code(k)) ")" }
                            " from " (o(&a.source_ip))
                            @if let Some(e) = &a.error_code { ", failed with " (code(e)) }
                            @if let Some(ua) = &a.user_agent { ul { li { "user agent: " (code(ua)) } } }
                        }
                        "\n"
                    }
                    @if r.activity.len() > MAX_EVENTS_SHOWN {
                        li { "and " (r.activity.len() - MAX_EVENTS_SHOWN) " more events (the JSON report has them all)" }
                    }
                }

                h2 { "6. Check the bill" } "\n"
                @if r.spend.is_empty() { p { "Spend was not read; check the Billing console." } }
                ul {
                    @for s in &r.spend {
                        li { (code(&s.account)) " " (code(&s.region)) ": USD " (format!("{:.2}", s.usd)) }
                    }
                }

                h2 { "7. AWS's notices (AWS Health, RISK and ABUSE)" } "\n"
                @if r.notices.is_empty() { p { "None read." } }
                ul {
                    @for n in &r.notices {
                        li { (o(&n.time)) " " (code(&n.event_type_code)) " (" (o(&n.status)) "): " (o(&n.description)) }
                    }
                }

                h2 { "8. Enable GuardDuty" } "\n"
                p { code { "hiyari audit --checks guardduty-enabled" } " says in which regions it is off." }

                @if !r.errors.is_empty() || !r.warnings.is_empty() {
                    h2 { "What could not be read" } "\n"
                    ul {
                        @for e in &r.errors {
                            li {
                                "account " (code(&e.account)) ", "
                                @match &e.region { Some(reg) => { (code(reg)) } None => { "account-wide" } }
                                ": " (code(&e.api)) " failed with " (code(&e.code)) ": " (Text(&e.message))
                            }
                        }
                        @for w in &r.warnings { li { "warning: " (Text(&w.message)) } }
                    }
                }
            }
        }
    };
    let mut s = page.into_string();
    s.push('\n');
    s
}
