//! Writing what a command produced: standard output, whole files, folders of
//! reports, the GitHub job summary.

use super::error::Failure;
use crate::render::{self, Report};
use std::io::Write;
use std::path::Path;

/// Writes to standard output, or to a file as a whole.
pub(super) fn emit(output: Option<&Path>, text: &str) -> Result<(), Failure> {
    emit_with(output, |w| w.write_all(text.as_bytes()))
}

/// Writes what `write` produces, as it produces it (a large report is never
/// held in memory whole), to standard output or to a file as a whole.
pub(super) fn emit_with(
    output: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    match output {
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            write(&mut out)
                .and_then(|()| out.flush())
                .or_else(|e| {
                    // A closed pipe (`drift rules | head`) is not an error.
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })
                .map_err(|e| Failure::new(format!("cannot write to standard output: {e}")))
        }
        Some(path) => write_whole(path, write)
            .map_err(|e| Failure::new(format!("cannot write `{}`: {e}", path.display()))),
    }
}

/// A regular file is replaced as a whole: the text goes to a temporary file
/// beside it (an unpredictable name, created exclusively, so never through a
/// planted symlink), which takes the old file's permissions and is renamed over
/// it. Anything else that exists (a FIFO, `/dev/null`, `/dev/stdout`) is
/// written in place, never replaced by a regular file.
fn write_whole(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let existing = std::fs::metadata(path).ok();
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        let mut f = std::io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
        return write(&mut f).and_then(|()| f.flush());
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".drift.tmp")
        .tempfile_in(dir)?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        write(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    if let Some(meta) = existing {
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a set of files into a folder as a set: runs into one folder take
/// turns (they lock the folder itself), so the files always come from one run.
/// A file of a set and how to write it (streamed where its format streams).
pub(super) type Part<'a> = (&'a str, &'a dyn Fn(&mut dyn Write) -> std::io::Result<()>);

pub(super) fn emit_set(dir: &Path, files: &[Part<'_>]) -> Result<(), Failure> {
    let fail =
        |e: std::io::Error| Failure::new(format!("cannot write to `{}`: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(fail)?;
    #[cfg(unix)]
    let lock = {
        let handle = std::fs::File::open(dir).map_err(fail)?;
        handle.lock().map_err(fail)?;
        handle
    };
    for (name, write) in files {
        write_whole(&dir.join(name), |w| write(w)).map_err(fail)?;
    }
    #[cfg(unix)]
    lock.unlock().map_err(fail)?;
    Ok(())
}

/// In a GitHub Actions job, the markdown summary is appended to the job summary.
pub(super) fn append_step_summary(report: &Report) -> Result<(), Failure> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let text = render::markdown::render(report);
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| {
            Failure::new(format!(
                "cannot append to the job summary `{}`: {e}",
                Path::new(&path).display()
            ))
        })
}

/// The width of the terminal on standard output: `COLUMNS` when set, else
/// what the terminal says.
pub(super) fn terminal_width() -> Option<usize> {
    if let Some(cols) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
    {
        return Some(cols);
    }
    terminal_size::terminal_size_of(std::io::stdout()).map(|(w, _)| usize::from(w.0))
}
