//! The sweep as text for a terminal: whether it is complete, a summary of the resources
//! created per region and type, then every item. Everything from AWS goes through
//! [`sanitize_terminal`](crate::report::common::sanitize_terminal).

use std::fmt::Write as _;

use hiyari_checks::sweep::SweepReport;

use super::{completeness, counts, yes_no, SweepRenderOptions, TextStyle, MAX_EVENTS_SHOWN};
use crate::report::common::sanitize_terminal as clean;

const S: TextStyle = TextStyle {
    esc: clean,
    missing: "-",
    indent: "      ",
};

fn o(s: &Option<String>) -> String {
    S.o(s)
}

pub fn render(r: &SweepReport, opts: &SweepRenderOptions) -> String {
    let mut out = String::new();
    let bold = |s: &str| {
        if opts.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let _ = writeln!(
        out,
        "{}",
        bold(&format!(
            "hiyari sweep: {} to {}",
            clean(&r.window.since),
            clean(&r.window.until)
        ))
    );
    let accounts: Vec<String> = r.accounts.iter().map(|a| clean(&a.id)).collect();
    let _ = writeln!(out, "Accounts: {}", accounts.join(", "));
    if !r.query.access_key_ids.is_empty() {
        let keys: Vec<String> = r.query.access_key_ids.iter().map(|k| clean(k)).collect();
        let _ = writeln!(out, "Access keys: {}", keys.join(", "));
    }
    if !r.query.principals.is_empty() {
        let p: Vec<String> = r.query.principals.iter().map(|k| clean(k)).collect();
        let _ = writeln!(out, "Principals: {}", p.join(", "));
    }
    if let Some(c) = completeness(r) {
        let _ = writeln!(out, "{}", bold(&c));
    }

    let _ = writeln!(
        out,
        "\n{}",
        bold("Resources created in the window, per region and type")
    );
    let counts = counts(r);
    if counts.is_empty() {
        let _ = writeln!(out, "  none");
    } else {
        let mut t = comfy_table::Table::new();
        t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
        t.set_width(opts.width.min(u16::MAX as usize) as u16);
        t.set_header(["Account", "Region", "Type", "Created"]);
        for ((a, reg, ty), n) in &counts {
            t.add_row([clean(a), clean(reg), clean(ty), n.to_string()]);
        }
        let _ = writeln!(out, "{t}");
    }

    let _ = writeln!(out, "\n{}", bold("Resources"));
    for x in &r.resources {
        let _ = writeln!(
            out,
            "  {} {} {}  created {}  state {}",
            clean(&x.region),
            clean(&x.ty),
            clean(&x.id),
            o(&x.created_at),
            o(&x.state)
        );
        S.resource_details(&mut out, x, "", "remove: ");
    }
    if r.resources.is_empty() {
        let _ = writeln!(out, "  none");
    }

    let _ = writeln!(out, "\n{}", bold("Access keys"));
    for k in &r.keys {
        match &k.derived_from {
            None => {
                let _ = writeln!(
                    out,
                    "  {}  user {}  status {}  created {}  last used {} ({} in {})  quarantined {}",
                    clean(&k.access_key_id),
                    o(&k.user),
                    o(&k.status),
                    o(&k.created_at),
                    o(&k.last_used_at),
                    o(&k.last_used_service),
                    o(&k.last_used_region),
                    yes_no(k.quarantined)
                );
            }
            Some(from) => {
                let _ = writeln!(
                    out,
                    "  {}  temporary, minted from {} by {} at {} ({})",
                    clean(&k.access_key_id),
                    clean(from),
                    o(&k.minted_by),
                    o(&k.created_at),
                    o(&k.user)
                );
            }
        }
    }
    if r.keys.is_empty() {
        let _ = writeln!(out, "  none named");
    }

    let _ = writeln!(out, "\n{}", bold("Console sign-ins"));
    for s in &r.sign_ins {
        let _ = writeln!(
            out,
            "  {} {}  {} ({})  from {}  {}  MFA {}",
            clean(&s.time),
            clean(&s.region),
            o(&s.principal),
            o(&s.identity_type),
            o(&s.source_ip),
            o(&s.outcome),
            yes_no(s.mfa_used)
        );
    }
    if r.sign_ins.is_empty() {
        let _ = writeln!(out, "  none");
    }

    let _ = writeln!(out, "\n{}", bold("Activity"));
    for a in r.activity.iter().take(MAX_EVENTS_SHOWN) {
        let _ = writeln!(
            out,
            "  {} {} {}  {}  key {}{}  from {}{}",
            clean(&a.time),
            clean(&a.region),
            clean(&a.event_name),
            o(&a.principal),
            o(&a.access_key_id),
            S.around(&a.attributed_to, " (minted from ", ")"),
            o(&a.source_ip),
            S.around(&a.error_code, "  error ", ""),
        );
        if let Some(ua) = &a.user_agent {
            S.detail(&mut out, "user agent: ", &clean(ua));
        }
    }
    if r.activity.len() > MAX_EVENTS_SHOWN {
        let _ = writeln!(
            out,
            "  ... and {} more (the JSON report has them all)",
            r.activity.len() - MAX_EVENTS_SHOWN
        );
    }
    if r.activity.is_empty() {
        let _ = writeln!(out, "  none");
    }

    let _ = writeln!(out, "\n{}", bold("Spend over the window (USD)"));
    for s in &r.spend {
        let _ = writeln!(
            out,
            "  {} {}  {:.2}",
            clean(&s.account),
            clean(&s.region),
            s.usd
        );
    }
    if r.spend.is_empty() {
        let _ = writeln!(out, "  none read");
    }

    let _ = writeln!(out, "\n{}", bold("AWS Health notices (RISK, ABUSE)"));
    for n in &r.notices {
        let _ = writeln!(
            out,
            "  {} {} {}  {}",
            o(&n.time),
            clean(&n.event_type_code),
            o(&n.status),
            o(&n.description)
        );
    }
    if r.notices.is_empty() {
        let _ = writeln!(out, "  none");
    }

    if !r.errors.is_empty() {
        let _ = writeln!(out, "\n{}", bold("What could not be read"));
        for e in &r.errors {
            let _ = writeln!(
                out,
                "  {} {}: {} failed with {}: {}",
                clean(&e.account),
                S.opt(e.region.as_deref(), "account-wide"),
                clean(&e.api),
                clean(&e.code),
                clean(&e.message)
            );
        }
    }
    if !r.warnings.is_empty() {
        let _ = writeln!(out, "\n{}", bold("Warnings"));
        for w in &r.warnings {
            let _ = writeln!(out, "  {}", clean(&w.message));
        }
    }
    out
}
