//! The fake GitHub REST API of `tests/fixtures/fake_github.py`, on loopback:
//! comments, issues, repository contents and settings, and Actions runs and
//! artifacts, served from `DIR/contents`.

use super::root;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Fake {
    child: Child,
    pub port: u16,
    pub url: String,
    log: PathBuf,
}

impl Fake {
    /// Starts the API for `dir`: it serves `dir/contents` and logs every
    /// request to `dir/requests.jsonl`.
    pub fn start(dir: &Path) -> Option<Fake> {
        let log = dir.join("requests.jsonl");
        let contents = dir.join("contents");
        std::fs::create_dir_all(&contents).ok()?;
        let mut child = Command::new("python3")
            .arg(root().join("tests/fixtures/fake_github.py"))
            .arg(&log)
            .arg(&contents)
            .stdout(Stdio::piped())
            .spawn()
            .ok()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take()?)
            .read_line(&mut line)
            .ok()?;
        let port: u16 = line.trim().parse().ok()?;
        Some(Fake {
            child,
            port,
            url: format!("http://127.0.0.1:{port}"),
            log,
        })
    }

    /// Every request so far: method, path, authorization and JSON body.
    pub fn requests(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
