//! Input files without bound: devices, FIFOs, huge files and huge values. Each ends at
//! once with exit 2 (or a result), in bounded memory, and quotes at most a line of the
//! input.

use crate::support;
use std::path::Path;
use std::time::Duration;
use support::*;

/// Seconds, not the minutes a run that reads without bound takes.
const QUICK: Duration = Duration::from_secs(60);

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

fn example(dir: &Path, args: &[&str]) -> Measured {
    let mut cmd = hiyari_cmd("ap-northeast-1");
    cmd.current_dir(dir)
        .args(["audit", "--inventory"])
        .arg(example_inventory())
        .args(args);
    run_within(&mut cmd, QUICK)
}

#[test]
fn devices_fifos_and_links_to_them_are_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let m = example(d, &["--config", "/dev/zero"]);
    assert_eq!(m.output.status.code(), Some(2), "{}", stderr(&m.output));
    assert!(
        stderr(&m.output).contains("not a regular file"),
        "{}",
        stderr(&m.output)
    );

    // A repository can carry a hiyari.toml that is a link to a device, or a FIFO.
    std::os::unix::fs::symlink("/dev/urandom", d.join("hiyari.toml")).unwrap();
    let m = example(d, &[]);
    assert_eq!(m.output.status.code(), Some(2), "{}", stderr(&m.output));
    std::fs::remove_file(d.join("hiyari.toml")).unwrap();
    mkfifo(&d.join("hiyari.toml"));
    let m = example(d, &[]);
    assert_eq!(m.output.status.code(), Some(2), "{}", stderr(&m.output));
    std::fs::remove_file(d.join("hiyari.toml")).unwrap();

    mkfifo(&d.join("inventory.json"));
    let mut cmd = hiyari_cmd("ap-northeast-1");
    cmd.current_dir(d)
        .args(["audit", "--inventory", "inventory.json"]);
    let m = run_within(&mut cmd, QUICK);
    assert_eq!(m.output.status.code(), Some(2), "{}", stderr(&m.output));
    let mut cmd = hiyari_cmd("ap-northeast-1");
    cmd.current_dir(d).args(["merge", "inventory.json"]);
    let m = run_within(&mut cmd, QUICK);
    assert_eq!(m.output.status.code(), Some(2), "{}", stderr(&m.output));
}

#[test]
fn a_large_report_is_read_without_holding_what_hiyari_does_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let out = audit_example(d, &["--format", "json", "-o", "a.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = std::fs::read_to_string(d.join("a.json")).unwrap();
    // 65 MB of small values in a member hiyari does not read (the test build is not
    // optimised: a larger file takes long to parse, though no more memory per byte).
    let filler: String = std::iter::repeat_n("[1,{\"a\":[]}],", 5_000_000).collect();
    let big = text.replacen('{', &format!("{{\"unread\": [{filler}0],"), 1);
    drop(filler);
    std::fs::write(d.join("big.json"), &big).unwrap();
    let size_mib = big.len() >> 20;
    drop(big);
    for args in [
        &["merge", "big.json", "--format", "json", "-o", "m.json"][..],
        &["diff", "a.json", "big.json"],
    ] {
        let mut cmd = hiyari_cmd("ap-northeast-1");
        cmd.current_dir(d).args(args);
        let m = run_within(&mut cmd, Duration::from_secs(300));
        assert!(
            matches!(m.output.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            stderr(&m.output)
        );
        eprintln!(
            "{args:?} of a {size_mib} MiB report: peak RSS {} MiB, {:.1}s",
            m.peak_rss_kib >> 10,
            m.wall.as_secs_f64()
        );
        assert!(
            m.peak_rss_kib >> 10 < 3 * size_mib as u64,
            "{args:?}: peak RSS {} MiB for a {size_mib} MiB file",
            m.peak_rss_kib >> 10
        );
    }
}

#[test]
fn a_home_region_that_is_not_a_region_is_refused_and_not_echoed() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let text = std::fs::read_to_string(example_inventory()).unwrap();
    let huge = format!("\"home_region\": \"{}\"", "x".repeat(20 << 20));
    let bad = text.replacen("\"home_region\": \"ap-northeast-1\"", &huge, 1);
    assert_ne!(bad, text);
    std::fs::write(d.join("inv.json"), bad).unwrap();
    let mut cmd = hiyari_cmd("ap-northeast-1");
    cmd.current_dir(d)
        .args(["audit", "--inventory", "inv.json"]);
    let m = run_within(&mut cmd, QUICK);
    assert_eq!(m.output.status.code(), Some(2), "{}", stderr(&m.output));
    let err = stderr(&m.output);
    assert!(
        err.contains("not an AWS region name"),
        "{}",
        &err[..err.len().min(500)]
    );
    assert!(err.len() < 1000, "{} bytes on stderr", err.len());
}

#[test]
fn an_unknown_huge_config_key_is_quoted_in_one_short_line() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("hiyari.toml"),
        format!("{} = 1\n", "k".repeat(5 << 20)),
    )
    .unwrap();
    let m = example(d, &[]);
    assert_eq!(m.output.status.code(), Some(2), "{}", stderr(&m.output));
    let err = stderr(&m.output);
    assert!(err.len() < 1000, "{} bytes on stderr", err.len());
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
}
