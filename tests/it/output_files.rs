//! Output files in a directory others can write: links planted where hiyari might put
//! its temporary files, a dangling link at the output path, one file given under two
//! spellings.

use crate::support;
use support::*;

#[test]
fn links_planted_for_the_next_pids_leave_their_targets_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    let shared = d.join("shared");
    std::fs::create_dir(&shared).unwrap();
    // Names a predictable scheme would use: `.hiyari-<pid>-<n>.tmp` for the next pids.
    let last: u32 = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1);
    for pid in last + 1..last + 3000 {
        for n in 0..2 {
            std::os::unix::fs::symlink(&victim, shared.join(format!(".hiyari-{pid}-{n}.tmp")))
                .unwrap();
        }
    }
    let out = audit_example(
        d,
        &[
            "--format",
            "json",
            "-o",
            "shared/report.json",
            "-o",
            "csv=shared/report.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    let r: serde_json::Value =
        serde_json::from_slice(&std::fs::read(shared.join("report.json")).unwrap()).unwrap();
    assert_eq!(r["schema"], "hiyari.report/v1");
    assert!(shared.join("report.csv").is_file());
    // Nothing of the run is left beside them.
    let left: Vec<String> = files(&shared)
        .into_iter()
        .filter(|f| !f.starts_with(".hiyari-") || !is_link(&shared.join(f)))
        .collect();
    assert_eq!(left, ["report.csv", "report.json"]);
}

fn is_link(p: &std::path::Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

#[test]
fn a_dangling_link_at_the_output_path_is_left_alone_by_a_run_that_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::os::unix::fs::symlink("elsewhere.json", d.join("report.json")).unwrap();
    // The second output cannot be written: the run stops before its scan, with exit 2.
    let out = audit_example(
        d,
        &[
            "--format",
            "json",
            "-o",
            "report.json",
            "-o",
            "csv=no-such-dir/report.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(is_link(&d.join("report.json")), "the link is still there");
    assert!(
        !d.join("elsewhere.json").exists(),
        "nothing created through it"
    );
    assert_eq!(files(d), ["report.json"]);

    // A run that succeeds writes through the link, to the file it names.
    let out = audit_example(d, &["--format", "json", "-o", "report.json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(is_link(&d.join("report.json")));
    assert!(std::fs::read_to_string(d.join("elsewhere.json"))
        .unwrap()
        .contains("hiyari.report/v1"));
}

#[test]
fn one_file_under_two_spellings_is_refused_before_anything_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    for (a, b) in [
        ("json=a.out", "csv=./a.out"),
        ("json=sub/../a.out", "csv=a.out"),
    ] {
        let out = audit_example(d, &["--format", "table", "-o", a, "-o", b]);
        assert_eq!(out.status.code(), Some(2), "{a} {b}: {}", stderr(&out));
        assert_has(&stderr(&out), "two outputs go to");
        assert_eq!(files(d), ["sub"]);
    }
    // An existing file and a link to it.
    std::fs::write(d.join("r.json"), "old").unwrap();
    std::os::unix::fs::symlink("r.json", d.join("link.json")).unwrap();
    let out = audit_example(d, &["-o", "json=r.json", "-o", "csv=link.json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(d.join("r.json")).unwrap(), "old");
}
