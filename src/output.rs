//! Where a run's outputs go, all or none: each file is written beside its destination and
//! takes its name only when every output of the run is complete, so a run that fails
//! leaves no half-written report and replaces nothing. Outputs are written as they are
//! made (an organization's inventory account by account, a report as it serialises),
//! never held whole in memory.

use std::fs::File;
use std::io::{BufWriter, IsTerminal, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{anyhow, bail, Context, Result};

use crate::report::common::ReportContext;
use crate::report::{self, Format, RenderOptions};

/// Whether `path` means stdout.
pub fn is_stdout(path: Option<&Path>) -> bool {
    path.is_none_or(|p| p == Path::new("-"))
}

/// How an output is kept until the run commits it.
enum Sink {
    /// Stdout, or a device or FIFO (`/dev/stderr`, a pipe), which cannot be replaced:
    /// held (in memory, on disk past a few MiB) and written at commit, so that a run
    /// that fails midway has put nothing there.
    Held(tempfile::SpooledTempFile),
    /// A file: a temporary file beside it, renamed over it at commit. Its name is
    /// random and it is created exclusively (`O_EXCL`): a link planted at a name
    /// hiyari might use cannot redirect the report.
    Staged {
        temp: PathBuf,
        dest: PathBuf,
        file: BufWriter<tempfile::NamedTempFile>,
    },
}

/// The temporary files of the outputs open in this process, for [`remove_temporaries`]:
/// a run stopped by a signal exits without running destructors.
static TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn track(path: &Path) {
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.push(path.to_path_buf());
    }
}

fn untrack(path: &Path) {
    if let Ok(mut t) = TEMPORARIES.lock() {
        t.retain(|p| p != path);
    }
}

/// Taken by the unit tests that open file outputs: [`remove_temporaries`] removes the
/// temporary file of every output open in the process, so tests running at once would
/// remove each other's.
#[cfg(test)]
pub(crate) static FILE_OUTPUT_TESTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Removes the temporary files of every output still open (the run was interrupted),
/// and says how many there were.
pub fn remove_temporaries() -> usize {
    let Ok(mut t) = TEMPORARIES.lock() else {
        return 0;
    };
    let n = t.len();
    for p in t.drain(..) {
        let _ = std::fs::remove_file(p);
    }
    n
}

/// Where a path leads: the file a symlink names, even one that does not exist yet.
fn resolve(given: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(given) {
        return p;
    }
    // A dangling symlink: the file it names, which writing through it creates.
    if let Ok(target) = std::fs::read_link(given) {
        let base = given.parent().unwrap_or(Path::new(""));
        return resolve_parent(&base.join(target));
    }
    resolve_parent(given)
}

/// `path` with its directory made absolute and its links resolved, when the directory
/// exists.
fn resolve_parent(path: &Path) -> PathBuf {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match (std::fs::canonicalize(dir), path.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => path.to_path_buf(),
    }
}

/// What an output path is as a file, to tell two spellings of one file apart from two
/// files (`a.out` and `./a.out`, a link and its target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    /// An existing file: its device and inode.
    Inode(u64, u64),
    /// A file not created yet: its resolved path.
    Path(PathBuf),
}

/// The [`Destination`] of an output path (`None` or `-` for stdout).
pub fn destination(path: Option<&Path>) -> Destination {
    use std::os::unix::fs::MetadataExt;
    match path {
        _ if is_stdout(path) => Destination::Stdout,
        Some(p) => match std::fs::metadata(p) {
            Ok(m) => Destination::Inode(m.dev(), m.ino()),
            Err(_) => Destination::Path(resolve(p)),
        },
        None => Destination::Stdout,
    }
}

/// What a held output keeps in memory before it moves to a temporary file.
const HELD_IN_MEMORY: usize = 8 << 20;

/// One output of a run, open until [`commit`]. Dropped uncommitted (the run failed),
/// its temporary file is removed and its destination left as it was.
pub struct Output {
    /// The path as given; `None` for stdout.
    given: Option<PathBuf>,
    sink: Sink,
}

impl Output {
    /// Opens the output for `path` (`None` or `-` for stdout).
    pub fn open(path: Option<&Path>) -> Result<Output> {
        let held = || Sink::Held(tempfile::SpooledTempFile::new(HELD_IN_MEMORY));
        let Some(given) = path.filter(|_| !is_stdout(path)) else {
            return Ok(Output {
                given: None,
                sink: held(),
            });
        };
        let mut out = Output {
            given: Some(given.to_path_buf()),
            sink: held(),
        };
        // Devices and FIFOs are written in place, decided on the path as given:
        // /dev/stderr may lead to a regular file that is not ours to replace.
        if is_device(given) {
            return Ok(out);
        }
        // Through a symlink to the file it names, which is the one replaced.
        let dest = resolve(given);
        if dest.is_dir() {
            bail!(
                "cannot write {}: it is a directory; no report was written",
                given.display()
            );
        }
        if dest.exists() && !dest.is_file() {
            return Ok(out);
        }
        // A short name of its own, so that a file name near the length limit still fits;
        // random, and created exclusively (the `tempfile` crate does both). Created with
        // the mode a new file gets (0666 less the umask), as the report would be.
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let file = {
            use std::os::unix::fs::PermissionsExt;
            tempfile::Builder::new()
                .prefix(".hiyari-")
                .suffix(".tmp")
                .rand_bytes(8)
                .permissions(std::fs::Permissions::from_mode(0o666))
                .tempfile_in(dir)
                .map_err(|e| out.error(e))?
        };
        let temp = file.path().to_path_buf();
        track(&temp);
        out.sink = Sink::Staged {
            temp: temp.clone(),
            dest: dest.clone(),
            file: BufWriter::new(file),
        };
        // The replaced file keeps its permissions (a report kept private stays private).
        if let Ok(m) = std::fs::metadata(&dest) {
            std::fs::set_permissions(&temp, m.permissions()).map_err(|e| out.error(e))?;
        }
        Ok(out)
    }

    /// Adds `text` to the output.
    pub fn write_text(&mut self, text: &str) -> Result<()> {
        self.write_all(text.as_bytes()).map_err(|e| self.error(e))
    }

    /// A failure to write this output, said the way every output failure is.
    pub fn error(&self, e: std::io::Error) -> anyhow::Error {
        match &self.given {
            Some(p) => anyhow!("cannot write {}: {e}; no report was written", p.display()),
            None => anyhow!("cannot hold the report for stdout in a temporary file: {e}"),
        }
    }

    /// Flushes a file output and waits until it is on disk: a rename that a crash or
    /// power loss could replay before the data would leave an empty report at the
    /// target, which is what the temporary file is there to prevent.
    fn finish_file(&mut self) -> Result<()> {
        if let Sink::Staged { file, .. } = &mut self.sink {
            let done = file
                .flush()
                .and_then(|_| file.get_ref().as_file().sync_all());
            done.map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    /// Writes a held output to its device.
    fn finish_in_place(&mut self) -> Result<()> {
        if let (Some(path), Sink::Held(held)) = (&self.given, &mut self.sink) {
            let copied = File::create(path).and_then(|mut f| {
                held.rewind()?;
                std::io::copy(held, &mut f)?;
                f.flush()
            });
            copied.map_err(|e| self.error(e))?;
        }
        Ok(())
    }

    /// Copies a stdout output to stdout.
    fn finish_stdout(&mut self) -> Result<()> {
        let (None, Sink::Held(held)) = (&self.given, &mut self.sink) else {
            return Ok(());
        };
        let mut stdout = std::io::stdout().lock();
        held.rewind()
            .and_then(|_| std::io::copy(held, &mut stdout))
            .and_then(|_| stdout.flush())
            .context("cannot write the report to stdout")
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.sink {
            Sink::Held(held) => held.write(buf),
            Sink::Staged { file, .. } => file.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Held(held) => held.flush(),
            Sink::Staged { file, .. } => file.flush(),
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // An uncommitted temporary file is removed by its own destructor.
        if let Sink::Staged { temp, .. } = &self.sink {
            untrack(temp);
        }
    }
}

/// How a report written to `path` (`None` or `-`: stdout) is shown: colour and the
/// terminal's width only on a terminal.
pub fn render_options(
    path: Option<&Path>,
    show_pass: bool,
    context: ReportContext,
) -> RenderOptions {
    RenderOptions {
        color: color_for(path),
        show_pass,
        width: width_for(path),
        context,
    }
}

/// Whether output written to `path` (`None` or `-`: stdout) gets colour: only on a
/// terminal, and never with NO_COLOR.
pub(crate) fn color_for(path: Option<&Path>) -> bool {
    is_stdout(path)
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// The width a table written to `path` (`None` or `-`: stdout) fits: the terminal's
/// when stdout is one, else `COLUMNS`, else 100 (as clap's help).
pub fn width_for(path: Option<&Path>) -> usize {
    if is_stdout(path) && std::io::stdout().is_terminal() {
        if let Some(w) = comfy_table::Table::new().width() {
            return usize::from(w).max(report::table::MIN_WIDTH);
        }
    }
    report::table::fixed_width(std::env::var("COLUMNS").ok().as_deref())
}

/// One `--output`: a path for the --format output (`format` is `None`), or
/// `FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec<F = Format> {
    pub format: Option<F>,
    pub path: PathBuf,
}

/// What a command writes where: the --format output (to a plain `--output PATH`, else
/// stdout), then every `--output FORMAT=PATH`. Checked before the scan, so a mistake
/// costs no scan: one plain path at most, one output per file, one on stdout.
pub fn plan(format: Format, specs: &[OutputSpec]) -> Result<Vec<(Format, Option<PathBuf>)>> {
    let plain: Vec<&OutputSpec> = specs.iter().filter(|o| o.format.is_none()).collect();
    if plain.len() > 1 {
        bail!(
            "--output is given {} plain paths; give one for the --format output and write other formats as FORMAT=PATH (e.g. --output sarif=hiyari.sarif)",
            plain.len()
        );
    }
    let mut plan = vec![(format, plain.first().map(|o| o.path.clone()))];
    plan.extend(
        specs
            .iter()
            .filter_map(|o| Some((o.format?, Some(o.path.clone())))),
    );
    // Compared as files: `a.out` and `./a.out`, or a link and its target, are one.
    let mut seen: Vec<Destination> = Vec::new();
    for (_, path) in &plan {
        let p = path.as_deref().unwrap_or(Path::new("-"));
        let dest = destination(Some(p));
        if seen.contains(&dest) {
            if p == Path::new("-") {
                bail!("two outputs go to stdout; write one of them to a file with FORMAT=PATH");
            }
            bail!(
                "two outputs go to {}; give each format its own file",
                p.display()
            );
        }
        seen.push(dest);
        if !is_stdout(Some(p)) {
            check_writable(p)?;
        }
    }
    Ok(plan)
}

/// Writes the outputs of one run, given whole, all or none (see [`commit`]).
pub fn write_all(outputs: &[(Option<&Path>, &str)]) -> Result<()> {
    let mut open = Vec::new();
    for &(path, text) in outputs {
        let mut out = Output::open(path)?;
        out.write_text(text)?;
        open.push(out);
    }
    commit(open)
}

/// Makes the outputs of a run visible, all or none: the files are completed and synced,
/// the devices written, then stdout gets its output, then the temporary files take their
/// names. A failure before that removes the temporary files, so a run that exits 2
/// because an output could not be written has created or replaced no file, and has put
/// nothing on stdout unless stdout itself failed.
pub fn commit(mut outputs: Vec<Output>) -> Result<()> {
    for out in outputs.iter_mut() {
        out.finish_file()?;
    }
    for out in outputs.iter_mut() {
        out.finish_in_place()?;
    }
    for out in outputs.iter_mut() {
        if let Err(e) = out.finish_stdout() {
            // A reader that stopped early (`| head`) is no reason to lose the files.
            let reader_left = e
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe);
            if !reader_left {
                return Err(e);
            }
        }
    }
    for out in outputs.iter_mut() {
        let Some(given) = out.given.clone() else {
            continue;
        };
        if !matches!(out.sink, Sink::Staged { .. }) {
            continue;
        }
        let staged = std::mem::replace(&mut out.sink, Sink::Held(tempfile::spooled_tempfile(0)));
        let Sink::Staged { temp, dest, file } = staged else {
            unreachable!("matched above");
        };
        untrack(&temp);
        // Flushed and synced by `finish_file`.
        let file = file.into_inner().map_err(|e| out.error(e.into_error()))?;
        if let Err(e) = file.persist(&dest) {
            // A file bind-mounted on its own (a container's `-v ./r.json:/out/r.json`)
            // cannot be replaced, only rewritten: then it is written in place.
            use std::io::ErrorKind::{CrossesDevices, ResourceBusy};
            if !matches!(e.error.kind(), ResourceBusy | CrossesDevices) {
                bail!("cannot write {}: {}", given.display(), e.error);
            }
            let copied = std::fs::copy(e.file.path(), &dest)
                .and_then(|_| File::options().write(true).open(&dest)?.sync_all());
            if let Err(e) = copied {
                bail!(
                    "cannot write {}: {e}; it cannot be replaced (a file mounted on its own), \
                     so it was being rewritten in place and may now be partial",
                    given.display()
                );
            }
            // `e.file` is dropped here, which removes the temporary file.
        }
        sync_dir(&dest);
    }
    Ok(())
}

/// Makes a rename into the folder of `file` durable. Best effort: some file systems
/// cannot sync a directory, and the report is complete either way.
fn sync_dir(file: &Path) {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
}

/// A path that names a device or a FIFO rather than a file: written in place.
fn is_device(path: &Path) -> bool {
    path.starts_with("/dev")
        || path.starts_with("/proc")
        || std::fs::symlink_metadata(path)
            .is_ok_and(|m| !m.is_file() && !m.is_symlink() && !m.is_dir())
}

/// A file output must be one hiyari can write: checked before the scan, so that a typo
/// or a read-only directory costs no scan. A file that does not exist yet is created and
/// removed again.
pub fn check_writable(path: &Path) -> Result<()> {
    if path.is_dir() {
        bail!(
            "--output {}: it is a directory; give a file name",
            path.display()
        );
    }
    existing_dir(path, path)?;
    // A FIFO would block until a reader came, and a device needs no probe.
    if is_device(path) {
        return Ok(());
    }
    // Nothing is created at the path, nor through a link there: a run that exits 2
    // promises that no file was created or replaced. An existing file is opened for
    // writing (without truncating it); for a new one, a temporary file of a random name
    // is made in its directory and removed at once.
    let dest = resolve(path);
    if dest.exists() {
        std::fs::OpenOptions::new()
            .write(true)
            .open(&dest)
            .with_context(|| format!("--output {}: cannot write it", path.display()))?;
    } else {
        let dir = existing_dir(&dest, path)?;
        tempfile::Builder::new()
            .prefix(".hiyari-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .with_context(|| {
                format!(
                    "--output {}: cannot create a file in {}",
                    path.display(),
                    dir.display()
                )
            })?;
    }
    Ok(())
}

/// The directory `file` is in (`.` for a bare name), which must exist; `shown` is the
/// path as the user gave it, for the message.
fn existing_dir<'a>(file: &'a Path, shown: &Path) -> Result<&'a Path> {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        bail!(
            "--output {}: the directory {} does not exist",
            shown.display(),
            dir.display()
        );
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One test: [`remove_temporaries`] acts on every output of the process.
    #[test]
    fn temporary_files_have_random_names_and_an_interrupted_run_removes_them() {
        let _alone = FILE_OUTPUT_TESTS.lock().unwrap_or_else(|e| e.into_inner());
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("r.json");
        let mut a = Output::open(Some(&dest)).unwrap();
        a.write_text("{}\n").unwrap();
        commit(vec![a]).unwrap();
        assert_eq!(std::fs::read_to_string(&dest).unwrap(), "{}\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        std::fs::remove_file(&dest).unwrap();

        let mut a = Output::open(Some(&dest)).unwrap();
        let b = Output::open(Some(&dir.path().join("r.csv"))).unwrap();
        a.write_text("{}").unwrap();
        let temps: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(temps.len(), 2, "{temps:?}");
        for t in &temps {
            assert!(t.starts_with(".hiyari-") && t.ends_with(".tmp"), "{t}");
            assert!(
                !t.contains(&std::process::id().to_string()),
                "not named after the process: {t}"
            );
        }
        // A signal: the process exits without dropping `a` and `b`.
        assert_eq!(remove_temporaries(), 2);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        std::mem::forget(a);
        std::mem::forget(b);
    }
}
