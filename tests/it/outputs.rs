//! The edges of a run: every file output is whole or absent when the disk is full or
//! the folder read-only, for each command that writes one. The commands that can work
//! offline use the example inventory and reports made from it; `collect` scans
//! moto_server.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::*;

const HOME: &str = "ap-northeast-1";

fn run(args: &[&str]) -> Output {
    hiyari_cmd(HOME).args(args).output().unwrap()
}

/// A small tmpfs mounted for one test, unmounted when dropped. Mounting needs root (or
/// CAP_SYS_ADMIN): elsewhere `mount` fails and the test says what it could not do.
struct Tmpfs {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Tmpfs {
    fn mount(options: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mnt");
        std::fs::create_dir(&path).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(&path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { _dir: dir, path })
    }

    fn remount(&self, options: &str) {
        let ok = Command::new("mount")
            .args(["-o", &format!("remount,{options}")])
            .arg(&self.path)
            .status()
            .unwrap()
            .success();
        assert!(ok, "remount {options}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

/// Fills the file system of `dir` to the last byte.
fn fill(dir: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let chunk = vec![b'x'; 512];
    while f.write_all(&chunk).is_ok() {}
    while f.write_all(b"x").is_ok() {}
    let _ = f.sync_all();
}

/// `audit` of the example inventory, its JSON report written to `path`.
fn audit_json_to(path: &Path) -> Output {
    let inv = example_inventory();
    let args = [
        "audit",
        "--inventory",
        inv.to_str().unwrap(),
        "--format",
        "json",
    ];
    run(&[&args[..], &["--output", path.to_str().unwrap()]].concat())
}

/// A JSON report of the example inventory, for merge and diff to read.
fn saved_report(dir: &Path) -> PathBuf {
    let p = dir.join("report.json");
    let out = audit_json_to(&p);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    p
}

/// Each command that writes a file, writing `target`.
fn writers(report: &Path, target: &Path) -> Vec<(&'static str, Vec<String>)> {
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    let (r, t) = (report.to_str().unwrap(), target.to_str().unwrap());
    let inv = example_inventory();
    let inv = inv.to_str().unwrap();
    vec![
        (
            "audit",
            s(&["audit", "--inventory", inv, "--format", "sarif", "-o", t]),
        ),
        (
            "audit, several outputs",
            s(&[
                "audit",
                "--inventory",
                inv,
                "--output",
                &format!("html={t}"),
                "--output",
                &format!("json={t}.json"),
            ]),
        ),
        ("merge", s(&["merge", r, r, "--format", "html", "-o", t])),
        ("diff", s(&["diff", r, r, "--format", "html", "-o", t])),
        ("init", s(&["init", "--no-scan", "--force", "-o", t])),
    ]
}

const OLD: &str = "last week's report, which a failed run must leave as it is\n";

/// Says, past the test harness's capture, that a test could not run here.
fn skipped(test: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "{test}: skipped: mounting a tmpfs needs root (scripts/test runs it in CI)"
    );
}

/// A file bind-mounted on its own, as a container's `-v ./r.json:/out/r.json` makes it:
/// it cannot be renamed over, so hiyari rewrites it in place with the whole report.
#[test]
fn a_file_mounted_on_its_own_is_rewritten_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (outside, inside) = (dir.path().join("r.json"), dir.path().join("mounted.json"));
    std::fs::write(&outside, OLD).unwrap();
    std::fs::write(&inside, "").unwrap();
    let mounted = Command::new("mount")
        .arg("--bind")
        .args([&outside, &inside])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        return skipped("a_file_mounted_on_its_own_is_rewritten_whole");
    }
    let out = audit_json_to(&inside);
    let _ = Command::new("umount").arg(&inside).status();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&outside).unwrap()).unwrap();
    assert_eq!(written["schema"], "hiyari.report/v1");
    assert_eq!(
        files(dir.path()),
        ["mounted.json", "r.json"],
        "no temporary file left"
    );
}

#[test]
fn collect_into_a_full_or_read_only_file_system_leaves_the_old_inventory() {
    let Some(fs) = Tmpfs::mount("size=1m") else {
        return skipped("collect_into_a_full_or_read_only_file_system_leaves_the_old_inventory");
    };
    let moto = Moto::start();
    let target = fs.path.join("inventory.json");
    let t = target.to_str().unwrap();
    let collect = || {
        let args = [
            "collect",
            "--checks",
            "public-snapshot",
            "--regions",
            HOME,
            "--output",
            t,
        ];
        moto.hiyari(HOME, &args)
    };
    std::fs::write(&target, OLD).unwrap();
    fill(&fs.path);
    let full = collect();
    let err = stderr(&full);
    assert_eq!(full.status.code(), Some(2), "{err}");
    // The scan's one-line summary comes first; the last line says what failed.
    let last = err.lines().last().unwrap_or_default();
    assert!(
        last.starts_with(&format!("error: cannot write {t}"))
            && last.contains("No space left on device (os error 28)"),
        "names the path and the OS error: {err}"
    );
    assert_eq!(
        files(&fs.path),
        ["filler", "inventory.json"],
        "no partial file"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), OLD);

    std::fs::remove_file(fs.path.join("filler")).unwrap();
    fs.remount("ro");
    let ro = collect();
    let err = stderr(&ro);
    assert_eq!(ro.status.code(), Some(2), "{err}");
    assert!(
        err.contains(t) && err.contains("Read-only file system (os error 30)"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), OLD);

    fs.remount("rw");
    let ok = collect();
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    let inv: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(inv["schema"], "hiyari.inventory/v1");
    assert_eq!(files(&fs.path), ["inventory.json"]);
}

#[test]
fn a_full_file_system_leaves_the_old_report_whole_and_no_new_file() {
    let Some(fs) = Tmpfs::mount("size=1m") else {
        return skipped("a_full_file_system_leaves_the_old_report_whole_and_no_new_file");
    };
    let work = tempfile::tempdir().unwrap();
    let report = saved_report(work.path());
    let target = fs.path.join("hiyari.out");
    std::fs::write(&target, OLD).unwrap();
    fill(&fs.path);
    for (what, args) in writers(&report, &target) {
        let out = hiyari_cmd(HOME).args(&args).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert_eq!(stdout(&out), "", "{what}: no report on stdout");
        assert!(
            err.starts_with(&format!("error: cannot write {}", target.display()))
                && err.contains("No space left on device (os error 28)"),
            "{what}: names the path and the OS error: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
        assert_eq!(
            std::fs::read_to_string(&target).unwrap(),
            OLD,
            "{what}: the old file is untouched"
        );
        assert_eq!(
            files(&fs.path),
            ["filler", "hiyari.out"],
            "{what}: no temporary or partial file is left"
        );
    }
    // With room again, each command replaces the old file with a whole one.
    std::fs::remove_file(fs.path.join("filler")).unwrap();
    for (what, args) in writers(&report, &target) {
        let out = hiyari_cmd(HOME).args(&args).output().unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{what}: {}",
            stderr(&out)
        );
        let text = std::fs::read_to_string(&target).unwrap();
        assert_ne!(text, OLD, "{what}");
        assert!(text.ends_with('\n'), "{what}: a whole file");
    }
}

#[test]
fn a_read_only_folder_is_refused_before_any_work_and_left_as_it_was() {
    // Root writes through permission bits: a read-only mount is what refuses it.
    let (_keep, dir) = match Tmpfs::mount("size=1m") {
        Some(fs) => {
            std::fs::write(fs.path.join("hiyari.out"), OLD).unwrap();
            fs.remount("ro");
            let p = fs.path.clone();
            (Some(fs), p)
        }
        None => {
            use std::os::unix::fs::PermissionsExt;
            let d = tempfile::tempdir().unwrap().keep();
            std::fs::write(d.join("hiyari.out"), OLD).unwrap();
            std::fs::set_permissions(d.join("hiyari.out"), PermissionsExt::from_mode(0o444))
                .unwrap();
            std::fs::set_permissions(&d, PermissionsExt::from_mode(0o555)).unwrap();
            (None, d)
        }
    };
    let work = tempfile::tempdir().unwrap();
    let report = saved_report(work.path());
    for name in ["hiyari.out", "new.out"] {
        let target = dir.join(name);
        for (what, args) in writers(&report, &target) {
            let out = hiyari_cmd(HOME).args(&args).output().unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{what} {name}: {err}");
            assert_eq!(stdout(&out), "", "{what}: no report on stdout");
            assert!(
                err.contains(&target.display().to_string())
                    && (err.contains("Read-only file system (os error 30)")
                        || err.contains("Permission denied (os error 13)")),
                "{what}: names the path and the OS error: {err}"
            );
            assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
            assert_eq!(files(&dir), ["hiyari.out"], "{what} {name}");
            assert_eq!(
                std::fs::read_to_string(dir.join("hiyari.out")).unwrap(),
                OLD
            );
        }
    }
}

#[test]
fn a_full_stdout_exits_2_and_creates_no_file_beside_it() {
    let work = tempfile::tempdir().unwrap();
    let report = saved_report(work.path());
    let sarif = work.path().join("also.sarif");
    let inv = example_inventory();
    let cases: [(&str, Vec<&str>); 3] = [
        (
            "audit",
            vec!["audit", "--inventory", inv.to_str().unwrap(), "--output"],
        ),
        ("merge", vec!["merge", report.to_str().unwrap()]),
        (
            "diff",
            vec!["diff", report.to_str().unwrap(), report.to_str().unwrap()],
        ),
    ];
    for (what, mut args) in cases {
        let extra = format!("sarif={}", sarif.display());
        if what == "audit" {
            args.push(&extra);
        }
        let out = hiyari_cmd(HOME)
            .args(&args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert_eq!(
            err,
            "error: cannot write the report to stdout: No space left on device (os error 28)\n",
            "{what}"
        );
        assert!(!sarif.exists(), "{what}: the other output is not created");
        assert_eq!(files(work.path()), ["report.json"], "{what}");
    }
}
