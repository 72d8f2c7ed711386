//! `hiyari completions SHELL`: a shell's completion script, generated from the clap
//! definitions. The release archives ship these scripts and the man pages from
//! `assets/`, which a test keeps equal to what the definitions generate.

use std::io::Write;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// The name the scripts complete: the binary's.
const BIN: &str = "hiyari";

/// The completion script of `shell` for hiyari's command line.
fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), BIN, &mut out);
    out
}

/// Prints the completion script of `shell` on stdout.
pub fn run(shell: Shell) -> Result<u8> {
    // Generated into memory first: clap_complete panics when its writer fails, and a
    // closed stdout (`| head`) is an error to report, not a crash.
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(&script(shell))
        .and_then(|()| stdout.flush())
        .context("cannot write the completion script to stdout")?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    use clap::ValueEnum;
    use clap_complete::Generator;

    use super::*;

    /// What `assets/` must hold: the man pages (`man/hiyari.1`, `man/hiyari-audit.1`, ...)
    /// and every shell's completion script (`completions/hiyari.bash`, ...).
    fn generated() -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        let man = tempfile::tempdir().unwrap();
        clap_mangen::generate_to(Cli::command(), man.path()).unwrap();
        for entry in std::fs::read_dir(man.path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_owned();
            files.insert(Path::new("man").join(name), std::fs::read(&path).unwrap());
        }
        for shell in Shell::value_variants() {
            files.insert(
                Path::new("completions").join(shell.file_name(BIN)),
                script(*shell),
            );
        }
        files
    }

    /// The files under `dir`, by path relative to it.
    fn on_disk(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        for sub in ["man", "completions"] {
            let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
                continue;
            };
            for entry in entries {
                let path = entry.unwrap().path();
                let rel = path.strip_prefix(dir).unwrap().to_owned();
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
        files
    }

    #[test]
    fn shipped_man_pages_and_completions_are_current() {
        let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
        let want = generated();
        assert!(want.contains_key(Path::new("man/hiyari.1")));
        assert!(want.contains_key(Path::new("man/hiyari-audit.1")));
        assert!(want.contains_key(Path::new("completions/hiyari.bash")));
        let have = on_disk(&assets);
        if std::env::var_os("HIYARI_UPDATE_DOCS").is_some() {
            for stale in have.keys().filter(|p| !want.contains_key(*p)) {
                std::fs::remove_file(assets.join(stale)).unwrap();
            }
            for (path, bytes) in &want {
                std::fs::create_dir_all(assets.join(path).parent().unwrap()).unwrap();
                std::fs::write(assets.join(path), bytes).unwrap();
            }
            return;
        }
        let names = |m: &BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&have),
            names(&want),
            "assets/ lists other files than the CLI generates; run \
             HIYARI_UPDATE_DOCS=1 cargo test --bin hiyari shipped_man_pages"
        );
        for (path, bytes) in &want {
            assert!(
                have[path] == *bytes,
                "assets/{} is stale; run HIYARI_UPDATE_DOCS=1 cargo test --bin hiyari shipped_man_pages",
                path.display()
            );
        }
    }

    #[test]
    fn every_script_completes_the_subcommands() {
        for shell in Shell::value_variants() {
            let text = String::from_utf8(script(*shell)).unwrap();
            for sub in ["audit", "merge", "policy", "completions"] {
                assert!(text.contains(sub), "{shell}: no `{sub}` in the script");
            }
        }
    }
}
