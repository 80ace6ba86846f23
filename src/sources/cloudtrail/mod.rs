//! CloudTrail from where people keep it: a log file or a folder tree as
//! CloudTrail delivers it to S3 (`AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/
//! YYYY/MM/DD/…json.gz`), EventBridge events, JSON lines or a JSON array,
//! compressed or not. Files are read in parallel, one thread per core. Any
//! file that cannot be read is an error naming it: never a partial read.

use crate::events::records::{self, RecordError};
use crate::events::Event;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The most a file may hold once decompressed (a CloudTrail file is a few MB).
const MAX_FILE: u64 = 1 << 30;

/// What a read gave.
#[derive(Debug, Default)]
pub struct LogRead {
    /// Events of IAM writes and sign-ins, oldest first.
    pub events: Vec<Event>,
    pub files: usize,
    /// Bytes read from disk (compressed) and after decompression.
    pub bytes: u64,
    pub bytes_plain: u64,
    pub records: usize,
}

/// A file that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct FileError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// Whether a file of a folder holds records: `.json`, `.jsonl`, `.ndjson`,
/// gzipped or not, and not a digest file (which holds hashes, not records).
fn is_log(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.starts_with('.') || name.contains("cloudtrail-digest") {
        return false;
    }
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".json", ".jsonl", ".ndjson"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// The files under `root` (itself, when it is a file), sorted.
fn files(root: &Path) -> Result<Vec<PathBuf>, FileError> {
    let fail = |path: &Path, e: std::io::Error| FileError {
        path: path.to_path_buf(),
        line: None,
        message: e.to_string(),
    };
    let meta = std::fs::metadata(root).map_err(|e| fail(root, e))?;
    if meta.is_file() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| fail(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| fail(&dir, e))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(|e| fail(&path, e))?;
            if kind.is_dir() {
                if !path.file_name().is_some_and(|n| {
                    n.to_string_lossy()
                        .eq_ignore_ascii_case("CloudTrail-Digest")
                }) {
                    stack.push(path);
                }
            } else if is_log(&path) {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// One file's text: decompressed when it is gzip (by its magic bytes).
fn text_of(path: &Path) -> Result<(String, u64), FileError> {
    let fail = |message: String| FileError {
        path: path.to_path_buf(),
        line: None,
        message,
    };
    let raw = std::fs::read(path).map_err(|e| fail(e.to_string()))?;
    let disk = raw.len() as u64;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        // The gzip trailer holds the size of the text (mod 4 GiB): room for it
        // at once, instead of growing the buffer a dozen times.
        let size = raw
            .len()
            .checked_sub(4)
            .and_then(|at| raw.get(at..))
            .and_then(|t| <[u8; 4]>::try_from(t).ok())
            .map_or(0, |t| u64::from(u32::from_le_bytes(t)).min(MAX_FILE));
        let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
        flate2::read::MultiGzDecoder::new(raw.as_slice())
            .take(MAX_FILE + 1)
            .read_to_end(&mut out)
            .map_err(|e| fail(format!("not a gzip file: {e}")))?;
        if out.len() as u64 > MAX_FILE {
            return Err(fail("holds more than 1 GiB once decompressed".to_string()));
        }
        out
    } else {
        raw
    };
    let text = String::from_utf8(bytes).map_err(|_| fail("not UTF-8 text".to_string()))?;
    Ok((text, disk))
}

/// Reads every file of `root` on `threads` threads.
pub fn read(root: &Path, threads: usize) -> Result<LogRead, FileError> {
    let paths = files(root)?;
    if paths.is_empty() {
        return Err(FileError {
            path: root.to_path_buf(),
            line: None,
            message: "holds no CloudTrail log file (.json, .json.gz, .jsonl, .ndjson)".to_string(),
        });
    }
    let next = AtomicUsize::new(0);
    let out = Mutex::new(LogRead::default());
    let first_error: Mutex<Option<FileError>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, paths.len()) {
            scope.spawn(|| {
                let mut mine = LogRead::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = paths.get(i) else { break };
                    if first_error.lock().map(|e| e.is_some()).unwrap_or(true) {
                        break;
                    }
                    let result = text_of(path).and_then(|(text, disk)| {
                        let parsed =
                            records::parse(&text).map_err(|RecordError { line, message }| {
                                FileError {
                                    path: path.clone(),
                                    line,
                                    message,
                                }
                            })?;
                        Ok((parsed, disk, text.len() as u64))
                    });
                    match result {
                        Ok((parsed, disk, plain)) => {
                            mine.files += 1;
                            mine.bytes += disk;
                            mine.bytes_plain += plain;
                            mine.records += parsed.records;
                            mine.events.extend(parsed.events);
                        }
                        Err(e) => {
                            if let Ok(mut slot) = first_error.lock() {
                                // The first file in order, so that the error is the same every run.
                                if slot.as_ref().is_none_or(|s| e.path < s.path) {
                                    *slot = Some(e);
                                }
                            }
                            break;
                        }
                    }
                }
                if let Ok(mut all) = out.lock() {
                    all.files += mine.files;
                    all.bytes += mine.bytes;
                    all.bytes_plain += mine.bytes_plain;
                    all.records += mine.records;
                    all.events.extend(mine.events);
                }
            });
        }
    });
    if let Some(e) = first_error.into_inner().ok().flatten() {
        return Err(e);
    }
    let mut read = out.into_inner().map_err(|_| FileError {
        path: root.to_path_buf(),
        line: None,
        message: "a reading thread failed".to_string(),
    })?;
    read.events.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.name.cmp(&b.name))
    });
    // The same record delivered twice (a trail and an organization trail):
    // equal in every field drift reads. Records that only share an id (test
    // corpora reuse them) are kept.
    read.events.dedup_by(|a, b| a.id.is_some() && a == b);
    Ok(read)
}
