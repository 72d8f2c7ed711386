use std::net::IpAddr;

use crate::check::{Check, Cx, Source};
use crate::credential_report::parse_time;
use crate::finding::{Finding, Resource};
use crate::inventory::RootSignIn;
use crate::needs::Needs;
use crate::params::ParamsById;
use serde_json::{Map, Value};

crate::check! {
    /// Fails when the root user signed in to the console in the last `days` (default 30)
    /// and the sign-in failed, succeeded without MFA, or came from an address outside
    /// `known_cidrs`.
    ///
    /// ## What it does
    /// In every scanned region, reads CloudTrail event history (LookupEvents,
    /// EventName=ConsoleLogin, the last days days; default 30, [checks.root-sign-ins]
    /// days) and keeps the root user's sign-ins. Fails for each one that failed (someone
    /// is guessing the password), that succeeded without MFA (MFAUsed is not Yes), or,
    /// when known_cidrs is set, whose source address is in none of them; each failing
    /// sign-in is named with its time, region, address and MFA. Passes with the number of
    /// regions read. A region whose event history could not be read completely is an
    /// error for that region.
    ///
    /// ## Why is this bad
    /// In INC-2017-SECURITY-JAWS only reading CloudTrail showed root console logins from IP
    /// addresses nobody knew: the account had been taken over by credential stuffing.
    /// Failed root sign-ins are someone guessing the password; a root sign-in without MFA
    /// is one password away from the whole account.
    ///
    /// ## How to fix
    /// If you do not know the sign-in, treat the account as compromised: change the root
    /// password, enable (or replace) root MFA, delete root access keys, and sweep what was
    /// done since (`hiyari sweep --since 30d --principal root`). Sign in as root only with
    /// MFA, and only for the tasks that need root; list the addresses you sign in from in
    /// known_cidrs.
    pub struct RootSignIns;
    id: "root-sign-ins",
    title: "No failed, MFA-less or unknown-address root sign-in",
    severity: High,
    scope: Account,
    incidents: [SECURITY_JAWS],
    sources: [RootSignIns],
    params {
        /// Root sign-ins this many days back or fewer are read.
        pub days: u32 = 30,
        /// The addresses root signs in from (CIDRs, e.g. "203.0.113.0/24"); a sign-in from
        /// anywhere else fails. Empty: any address.
        pub known_cidrs: Vec<String> = vec![],
    }
}

/// `ip` is in `cidr` (`a.b.c.d/n`, `x::/n`, or a bare address). `None`: not a CIDR.
pub fn in_cidr(ip: IpAddr, cidr: &str) -> Option<bool> {
    let (net, bits) = match cidr.trim().split_once('/') {
        Some((n, b)) => (n.parse::<IpAddr>().ok()?, Some(b.parse::<u32>().ok()?)),
        None => (cidr.trim().parse::<IpAddr>().ok()?, None),
    };
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let bits = bits.unwrap_or(32);
            if bits > 32 {
                return None;
            }
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - bits)
            };
            Some(u32::from(a) & mask == u32::from(n) & mask)
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let bits = bits.unwrap_or(128);
            if bits > 128 {
                return None;
            }
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - bits)
            };
            Some(u128::from(a) & mask == u128::from(n) & mask)
        }
        _ => Some(false),
    }
}

/// Why a sign-in fails, if it does.
fn reasons(s: &RootSignIn, cidrs: &[String]) -> Vec<&'static str> {
    let mut v = Vec::new();
    if s.outcome.as_deref() != Some("Success") {
        v.push("failed");
    } else if s.mfa_used != Some(true) {
        v.push("without MFA");
    }
    if !cidrs.is_empty() {
        let known = s
            .source_ip
            .as_deref()
            .and_then(|ip| ip.parse::<IpAddr>().ok())
            .is_some_and(|ip| cidrs.iter().any(|c| in_cidr(ip, c) == Some(true)));
        if !known {
            v.push("from an unknown address");
        }
    }
    v
}

impl Check for RootSignIns {
    /// The days of sign-ins the collector reads: `days`, at least one, at most the 90
    /// of CloudTrail's event history.
    fn widen(&self, needs: &mut Needs, params: &ParamsById) {
        needs.sign_in_days = params.get::<Params>(META.id).days.clamp(1, 90);
    }

    fn evaluate(&self, cx: &Cx) -> Vec<Finding> {
        let Cx {
            account, opts, b, ..
        } = cx;
        let p: Params = cx.params();
        let days = p.days.clamp(1, 90);
        let now = opts.now();
        let mut out = Vec::new();
        let mut read = 0usize;
        for region in account.regions.scanned.iter().map(String::as_str) {
            let got = account
                .regional
                .get(region)
                .map(|r| r.root_sign_ins.of(Source::RootSignIns))
                .unwrap_or_else(|| {
                    Err(crate::inventory::CollectError::new(
                        Source::RootSignIns.api(),
                        "NotCollected",
                        "no data was collected in this region",
                    ))
                });
            let list = match got {
                Ok(l) => l,
                Err(e) => {
                    out.push(b.error(Some(region), Resource::region(region), &e));
                    continue;
                }
            };
            read += 1;
            for s in list {
                let recent = parse_time(&s.time)
                    .ok()
                    .flatten()
                    .is_none_or(|t| (now - t).whole_days() < i64::from(days));
                let why = reasons(s, &p.known_cidrs);
                if !recent || why.is_empty() {
                    continue;
                }
                let mut ev = Map::new();
                ev.insert("time".into(), Value::from(s.time.clone()));
                ev.insert("region".into(), Value::from(region));
                ev.insert("source_ip".into(), Value::from(s.source_ip.clone()));
                ev.insert("mfa_used".into(), Value::from(s.mfa_used));
                ev.insert("outcome".into(), Value::from(s.outcome.clone()));
                ev.insert("reasons".into(), Value::from(why.clone()));
                out.push(b.fail(
                    Some(region),
                    b.account_resource(),
                    format!(
                        "Root console sign-in {} at {} in {region} from {} (MFA {})",
                        why.join(", "),
                        s.time,
                        s.source_ip.as_deref().unwrap_or("an unknown address"),
                        match s.mfa_used {
                            Some(true) => "used",
                            Some(false) => "not used",
                            None => "unknown",
                        }
                    ),
                    ev,
                ));
            }
        }
        if out.is_empty() {
            let mut ev = Map::new();
            ev.insert("regions_read".into(), Value::from(read));
            ev.insert("days".into(), Value::from(days));
            out.push(b.pass(
                None,
                b.account_resource(),
                format!(
                    "No failed, MFA-less or unknown-address root sign-in in the last {days} days in the {read} region(s) read"
                ),
                ev,
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testutil::*;
    use crate::finding::Status;
    use crate::inventory::{CollectError, Collected};
    use crate::params::ParamsById;
    use time::macros::datetime;

    fn opts(p: Params) -> EvalOptions {
        EvalOptions {
            now: Some(datetime!(2026-11-22 12:00 UTC)),
            params: ParamsById::default().with(META.id, p),
            ..EvalOptions::default()
        }
    }

    fn sign_in(time: &str, ip: &str, mfa: bool, ok: bool) -> RootSignIn {
        RootSignIn {
            time: time.into(),
            source_ip: Some(ip.into()),
            mfa_used: Some(mfa),
            outcome: Some(if ok { "Success" } else { "Failure" }.into()),
            user_agent: None,
        }
    }

    fn with(region_sign_ins: Vec<(&str, Collected<Vec<RootSignIn>>)>) -> AccountInventory {
        let regions: Vec<&str> = region_sign_ins.iter().map(|(r, _)| *r).collect();
        let mut acc = account(&regions);
        for (r, s) in region_sign_ins {
            acc.regional.get_mut(r).unwrap().root_sign_ins = s;
        }
        acc
    }

    #[test]
    fn failed_mfa_less_and_unknown_address_sign_ins_fail_each_named() {
        let acc = with(vec![
            (
                "us-east-1",
                Collected::Ok(vec![
                    sign_in("2026-11-20T10:00:00Z", "203.0.113.66", false, true),
                    sign_in("2026-11-20T11:00:00Z", "203.0.113.67", false, false),
                    sign_in("2026-11-21T11:00:00Z", "192.0.2.10", true, true),
                ]),
            ),
            (
                "eu-west-1",
                Collected::Ok(vec![sign_in(
                    "2026-11-19T10:00:00Z",
                    "198.51.100.9",
                    true,
                    true,
                )]),
            ),
        ]);
        let f = run_with(
            &RootSignIns,
            &acc,
            &opts(Params {
                days: 30,
                known_cidrs: vec!["192.0.2.0/24".into()],
            }),
        );
        let fails: Vec<_> = f
            .iter()
            .filter(|x| x.status == Status::Fail)
            .map(|x| x.message.clone())
            .collect();
        assert_eq!(fails.len(), 3, "{fails:#?}");
        assert!(fails[0].contains("without MFA, from an unknown address at 2026-11-20T10:00:00Z in us-east-1 from 203.0.113.66 (MFA not used)"), "{}", fails[0]);
        assert!(fails[1].contains("failed"));
        assert!(fails[2].contains("eu-west-1 from 198.51.100.9"));
    }

    #[test]
    fn known_sign_ins_with_mfa_pass_with_the_regions_read() {
        let acc = with(vec![
            (
                "us-east-1",
                Collected::Ok(vec![sign_in(
                    "2026-11-20T10:00:00Z",
                    "192.0.2.10",
                    true,
                    true,
                )]),
            ),
            ("eu-west-1", Collected::Ok(vec![])),
        ]);
        let f = run_with(&RootSignIns, &acc, &opts(Params::default()));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].status, Status::Pass);
        assert!(
            f[0].message.contains("2 region(s) read"),
            "{}",
            f[0].message
        );
        // Older than the window: not judged.
        let acc = with(vec![(
            "us-east-1",
            Collected::Ok(vec![sign_in(
                "2026-09-01T10:00:00Z",
                "203.0.113.1",
                false,
                false,
            )]),
        )]);
        assert_eq!(
            run_with(&RootSignIns, &acc, &opts(Params::default()))[0].status,
            Status::Pass
        );
    }

    #[test]
    fn an_unread_region_is_an_error_never_a_pass() {
        let acc = with(vec![
            ("us-east-1", Collected::Ok(vec![])),
            (
                "eu-west-1",
                Collected::Error(CollectError::new(
                    "cloudtrail:LookupEvents",
                    "ThrottlingException",
                    "Rate exceeded",
                )),
            ),
        ]);
        let f = run_with(&RootSignIns, &acc, &opts(Params::default()));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].status, Status::Error);
        assert_eq!(f[0].region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            f[0].error_source(),
            Some(("cloudtrail:LookupEvents", "ThrottlingException"))
        );
    }

    #[test]
    fn cidrs() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(in_cidr(ip("192.0.2.77"), "192.0.2.0/24"), Some(true));
        assert_eq!(in_cidr(ip("192.0.3.1"), "192.0.2.0/24"), Some(false));
        assert_eq!(in_cidr(ip("2001:db8::1"), "2001:db8::/32"), Some(true));
        assert_eq!(in_cidr(ip("192.0.2.1"), "192.0.2.1"), Some(true));
        assert_eq!(in_cidr(ip("192.0.2.1"), "nonsense"), None);
        assert_eq!(in_cidr(ip("10.0.0.1"), "0.0.0.0/0"), Some(true));
    }
}
