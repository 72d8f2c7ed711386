//! What a person reads on a terminal, from the real binary: the example's table (the
//! findings of one cause in several regions as one row, the incident on top) at 80 and
//! 120 columns, `hiyari checks` and `hiyari explain` at 80, help headings, and the
//! messages for mistyped check ids and formats. Snapshots (insta) so changes show in
//! review; every screen is also checked to fit its width.

use std::process::Output;

use crate::support::*;

const HOME: &str = "ap-northeast-1";

/// `hiyari ARGS` with stdout piped and `COLUMNS` set to `columns` (unset: `None`).
fn run(columns: Option<usize>, args: &[&str]) -> Output {
    let mut cmd = hiyari_cmd(HOME);
    cmd.env_remove("COLUMNS");
    if let Some(c) = columns {
        cmd.env("COLUMNS", c.to_string());
    }
    cmd.args(args).output().unwrap()
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

/// The example's table at `columns`, the evaluation time (now) replaced.
fn example_table(columns: usize) -> String {
    let inventory = example_inventory();
    let out = run(
        Some(columns),
        &["audit", "--inventory", inventory.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    text.lines()
        .map(|l| match l.split_once(", evaluated ") {
            Some((head, _)) if l.starts_with("Data collected") => {
                format!("{head}, evaluated [now]")
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn the_example_table_puts_the_incident_on_top_and_one_cause_in_one_row() {
    let json = report(&audit_example(
        tempfile::tempdir().unwrap().path(),
        &["--format", "json"],
    ));
    let fails = with_status(&json, "fail");
    for columns in [80, 100, 120] {
        let text = example_table(columns);
        assert!(widest(&text) <= columns, "{columns}:\n{text}");
        let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("FAIL ")).collect();
        // Fewer rows than fails: guardduty-enabled, ami-block-public-access and
        // snapshot-block-public-access are off in every region, one row each.
        assert!(rows.len() < fails.len(), "{columns}: {}", rows.len());
        for check in [
            "guardduty-enabled",
            "ami-block-public-access",
            "snapshot-block-public-access",
        ] {
            let n = rows
                .iter()
                .filter(|r| r.split_whitespace().nth(1) == Some(check))
                .count();
            assert_eq!(n, 1, "{check} at {columns}:\n{text}");
            assert!(
                fails.iter().filter(|f| f.0 == check).count() > 1,
                "{check} fails in several regions in the JSON report"
            );
        }
        // Every instance and spot request in sa-east-1 keeps its own row.
        let compute = fails
            .iter()
            .filter(|f| f.0 == "unused-region-compute")
            .count();
        let compute_rows = rows
            .iter()
            .filter(|r| r.split_whitespace().nth(1) == Some("unused-region-compute"))
            .count();
        assert_eq!(compute_rows, compute, "{columns}:\n{text}");
        // Critical first: the root key is the first row of the report.
        assert_eq!(
            rows[0].split_whitespace().nth(1),
            Some("root-access-keys"),
            "{text}"
        );
        let sections: Vec<&str> = text
            .lines()
            .filter(|l| ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO"].contains(l))
            .collect();
        assert_eq!(sections[..2], ["CRITICAL", "HIGH"], "{text}");
        // The principal's ARN is never broken across lines.
        let principal = json["accounts"][0]["principal"].as_str().unwrap();
        let shown = text
            .lines()
            .flat_map(|l| l.split_whitespace())
            .find(|w| w.starts_with("arn:aws:sts::"))
            .unwrap_or_else(|| panic!("no principal at {columns}:\n{text}"));
        if let Some((head, tail)) = shown.split_once('…') {
            assert!(principal.starts_with(head) && principal.ends_with(tail));
        } else {
            assert_eq!(shown, principal);
        }
        if columns != 100 {
            insta::assert_snapshot!(format!("example_table_{columns}"), text);
        } else {
            eprintln!(
                "the example's table at 100 columns: {} lines",
                text.lines().count()
            );
        }
    }
}

#[test]
fn checks_and_explain_fit_the_terminal_or_100_columns() {
    for (columns, limit) in [(Some(80), 80), (Some(120), 120), (None, 100)] {
        for args in [&["checks"][..], &["explain", "root-access-keys"]] {
            let out = run(columns, args);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let text = stdout(&out);
            assert!(widest(&text) <= limit, "{args:?} at {columns:?}:\n{text}");
            if columns == Some(80) {
                insta::assert_snapshot!(format!("{}_80", args[0]), text);
            }
        }
    }
}

#[test]
fn a_mistyped_check_or_format_gets_the_closest_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut said = String::new();
    for args in [
        &["--checks", "root-acess-keys"][..],
        &["--skip-checks", "guardduty-enable"],
        &["-o", "jsn=/tmp/x.json"],
        &["-o", "yaml=x.yaml"],
    ] {
        let out = audit_example(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), "");
        said += &format!(
            "$ hiyari audit --inventory EXAMPLE {}\n{}\n",
            args.join(" "),
            stderr(&out)
        );
    }
    let out = run(None, &["explain", "root-acess-keys"]);
    assert_eq!(out.status.code(), Some(2));
    said += &format!("$ hiyari explain root-acess-keys\n{}\n", stderr(&out));
    let config = dir.path().join("hiyari.toml");
    std::fs::write(&config, "[checks.root-mfaa]\nenabled = false\n").unwrap();
    let out = audit_example(dir.path(), &["--config", "hiyari.toml"]);
    assert_eq!(out.status.code(), Some(2));
    said += &format!(
        "$ hiyari audit --inventory EXAMPLE --config hiyari.toml\n{}",
        stderr(&out)
    );
    assert!(said.contains("did you mean `root-access-keys`?"), "{said}");
    assert!(said.contains("did you mean `guardduty-enabled`?"), "{said}");
    assert!(
        said.contains("unknown format `jsn`; did you mean `json`?"),
        "{said}"
    );
    assert!(!said.contains("./jsn="), "{said}");
    assert!(said.contains("did you mean `root-mfa`?"), "{said}");
    insta::assert_snapshot!("mistyped_names", said);
}

/// The options listed under each heading of `--help`.
fn headings(help: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in help.lines() {
        if !line.starts_with(' ') && line.ends_with(':') {
            out.push((line.trim_end_matches(':').to_string(), vec![]));
            continue;
        }
        let Some((_, options)) = out.last_mut() else {
            continue;
        };
        // An option's line is indented by at most 6 columns; its description's wrapped
        // lines (which may start with an option's name) by more.
        let indent = line.len() - line.trim_start().len();
        if let Some(flag) = line
            .split_whitespace()
            .find(|w| w.starts_with("--"))
            .filter(|_| indent <= 6 && line.trim_start().starts_with('-'))
        {
            options.push(flag.trim_end_matches(',').to_string());
        }
    }
    out
}

/// The options of "Several accounts (an organization)", in the order `audit --help`
/// lists them.
const ORG_OPTIONS: [&str; 8] = [
    "--org",
    "--accounts",
    "--role-arn",
    "--role-name",
    "--external-id",
    "--exclude-accounts",
    "--account-concurrency",
    "--shard",
];

#[test]
fn audit_help_puts_each_option_under_its_heading() {
    let out = run(Some(100), &["audit", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = stdout(&out);
    let h = headings(&help);
    let under = |heading: &str| -> Vec<&str> {
        h.iter()
            .find(|(t, _)| t == heading)
            .unwrap_or_else(|| panic!("no heading {heading}:\n{help}"))
            .1
            .iter()
            .map(String::as_str)
            .collect()
    };
    assert_eq!(
        under("Several accounts (an organization)"),
        ORG_OPTIONS,
        "{help}"
    );
    assert_eq!(
        under("Checks"),
        ["--config", "--checks", "--skip-checks", "--allowed-regions"]
    );
    assert_eq!(
        under("Reports"),
        ["--format", "--output", "--sarif-location", "--show-pass"]
    );
    assert_eq!(
        under("Exit code"),
        [
            "--fail-on",
            "--baseline",
            "--fail-on-new",
            "--fail-on-warnings"
        ]
    );
    assert!(under("Scanning AWS").contains(&"--endpoint-url"), "{help}");
    // Every option is under exactly one heading.
    let all: Vec<&String> = h.iter().flat_map(|(_, o)| o).collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "{help}");

    for cmd in ["collect", "policy", "init"] {
        let help = stdout(&run(Some(100), &[cmd, "--help"]));
        for (heading, options) in headings(&help) {
            if heading.starts_with("Several accounts") {
                for o in &options {
                    assert!(
                        ORG_OPTIONS.contains(&o.as_str()),
                        "{cmd}: {o} under {heading}:\n{help}"
                    );
                }
            }
        }
    }
}
