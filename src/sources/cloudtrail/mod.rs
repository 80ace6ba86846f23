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
use std::sync::{Condvar, Mutex};

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
    /// The most bytes of file and text held at once across threads.
    pub peak_in_flight: u64,
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
    if !meta.is_dir() {
        return Err(not_regular(root));
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
                // A FIFO or a device named like a log would block or never
                // end: only regular files (or links to them) are read.
                let target = std::fs::metadata(&path).map_err(|e| fail(&path, e))?;
                if !target.is_file() {
                    return Err(not_regular(&path));
                }
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The size of the text a gzip file announces in its trailer (at most
/// `MAX_FILE`), or 0 when the file is not gzip; the file is read from its
/// start again afterwards.
fn gzip_size(file: &mut std::fs::File, len: u64) -> std::io::Result<u64> {
    use std::io::{Seek, SeekFrom};
    let mut magic = [0u8; 2];
    let gzip = len >= 18 && file.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b];
    let mut size = 0;
    if gzip {
        let mut tail = [0u8; 4];
        file.seek(SeekFrom::End(-4))?;
        file.read_exact(&mut tail)?;
        size = u64::from(u32::from_le_bytes(tail)).min(MAX_FILE);
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(size)
}

fn not_regular(path: &Path) -> FileError {
    FileError {
        path: path.to_path_buf(),
        line: None,
        message: "not a regular file (a FIFO, a device or a socket is not read)".to_string(),
    }
}

/// Bytes of text held at once by all reading threads: a file's text is
/// reserved before it is read (its size on disk, or what its gzip trailer
/// says) and grows in steps; a thread waits for room before it starts a file.
struct Budget {
    limit: u64,
    /// Reserved now, and the most reserved at once.
    used: Mutex<(u64, u64)>,
    freed: Condvar,
}

/// Text in flight across threads: twice the largest file.
const IN_FLIGHT: u64 = 2 * MAX_FILE;
/// How much more a file's text reserves when it outgrows what it said.
const STEP: u64 = 64 << 20;

impl Budget {
    fn new(limit: u64) -> Budget {
        Budget {
            limit,
            used: Mutex::new((0, 0)),
            freed: Condvar::new(),
        }
    }

    /// Waits until `n` bytes fit (`n` is at most the limit).
    fn reserve(&self, n: u64) {
        let n = n.min(self.limit);
        let Ok(mut used) = self.used.lock() else {
            return;
        };
        while used.0 + n > self.limit {
            match self.freed.wait(used) {
                Ok(u) => used = u,
                Err(_) => return,
            }
        }
        used.0 += n;
        used.1 = used.1.max(used.0);
    }

    /// Takes `n` more bytes if they fit now.
    fn try_reserve(&self, n: u64) -> bool {
        match self.used.lock() {
            Ok(mut used) if used.0 + n <= self.limit => {
                used.0 += n;
                used.1 = used.1.max(used.0);
                true
            }
            _ => false,
        }
    }

    fn release(&self, n: u64) {
        if let Ok(mut used) = self.used.lock() {
            used.0 = used.0.saturating_sub(n);
        }
        self.freed.notify_all();
    }

    /// The most bytes reserved at once.
    fn peak(&self) -> u64 {
        self.used.lock().map_or(0, |u| u.1)
    }
}

/// One file's text: decompressed when it is gzip (by its magic bytes), with
/// its reservation in `budget` (released by the caller once parsed).
fn text_of(path: &Path, budget: &Budget) -> Result<(String, u64, u64), FileError> {
    let fail = |message: String| FileError {
        path: path.to_path_buf(),
        line: None,
        message,
    };
    let mut file = std::fs::File::open(path).map_err(|e| fail(e.to_string()))?;
    let meta = file.metadata().map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(not_regular(path));
    }
    if meta.len() > MAX_FILE {
        return Err(fail("is larger than 1 GiB".to_string()));
    }
    // What the file will hold at once, reserved in one step (a thread never
    // waits while it holds a reservation): its bytes, and for gzip the text
    // its trailer announces (the size mod 4 GiB of the last member).
    let size = gzip_size(&mut file, meta.len()).map_err(|e| fail(e.to_string()))?;
    let mut reserved = (meta.len() + size).min(budget.limit);
    budget.reserve(reserved);
    let mut raw = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0) + 1);
    let read = (&mut file)
        .take(MAX_FILE + 1)
        .read_to_end(&mut raw)
        .map_err(|e| fail(e.to_string()));
    let result = read.and_then(|_| {
        if raw.len() as u64 > MAX_FILE {
            return Err(fail("is larger than 1 GiB".to_string()));
        }
        if !raw.starts_with(&[0x1f, 0x8b]) {
            return Ok(std::mem::take(&mut raw));
        }
        // Room for the announced text at once, instead of growing the
        // buffer a dozen times.
        let mut out = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
        let mut decoder = flate2::read::MultiGzDecoder::new(raw.as_slice()).take(MAX_FILE + 1);
        let mut chunk = vec![0u8; 1 << 16];
        let mut text_room = size;
        loop {
            let n = decoder
                .read(&mut chunk)
                .map_err(|e| fail(format!("not a gzip file: {e}")))?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&chunk[..n]);
            if out.len() as u64 > MAX_FILE {
                return Err(fail("holds more than 1 GiB once decompressed".to_string()));
            }
            while out.len() as u64 > text_room {
                if !budget.try_reserve(STEP) {
                    return Err(fail(format!(
                        "holds more text than its gzip trailer says, and other files fill the {} MiB drift reads at once",
                        budget.limit >> 20
                    )));
                }
                reserved += STEP;
                text_room += STEP;
            }
        }
        Ok(out)
    });
    let bytes = match result {
        Ok(b) => b,
        Err(e) => {
            budget.release(reserved);
            return Err(e);
        }
    };
    let disk = meta.len();
    match String::from_utf8(bytes) {
        Ok(text) => Ok((text, disk, reserved)),
        Err(_) => {
            budget.release(reserved);
            Err(fail("not UTF-8 text".to_string()))
        }
    }
}

/// Reads every file of `root` on `threads` threads.
pub fn read(root: &Path, threads: usize) -> Result<LogRead, FileError> {
    read_within(root, threads, IN_FLIGHT)
}

/// [`read`] holding at most `in_flight` bytes of files and text at once
/// (one file larger than that is read alone).
pub fn read_within(root: &Path, threads: usize, in_flight: u64) -> Result<LogRead, FileError> {
    let paths = files(root)?;
    if paths.is_empty() {
        return Err(FileError {
            path: root.to_path_buf(),
            line: None,
            message: "holds no CloudTrail log file (.json, .json.gz, .jsonl, .ndjson)".to_string(),
        });
    }
    let budget = Budget::new(in_flight);
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
                    let result = text_of(path, &budget).and_then(|(text, disk, reserved)| {
                        let parsed =
                            records::parse(&text).map_err(|RecordError { line, message }| {
                                FileError {
                                    path: path.clone(),
                                    line,
                                    message,
                                }
                            });
                        let plain = text.len() as u64;
                        drop(text);
                        budget.release(reserved);
                        Ok((parsed?, disk, plain))
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
    read.peak_in_flight = budget.peak();
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
