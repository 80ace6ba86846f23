//! Writing what a command produced: standard output, whole files, the GitHub job
//! summary.

use super::error::Failure;
use crate::render::{self, Report};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes to standard output, or to a file as a whole: a temporary file in the
/// same folder renamed over the target, so that nothing is ever written half.
pub(super) fn emit(output: Option<&Path>, text: &str) -> Result<(), Failure> {
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
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
        Some(path) => {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            let tmp: PathBuf = dir.join(format!(".{file_name}.drift-{}.tmp", std::process::id()));
            let result = std::fs::write(&tmp, text).and_then(|()| std::fs::rename(&tmp, path));
            if result.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            result.map_err(|e| Failure::new(format!("cannot write `{}`: {e}", path.display())))
        }
    }
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
