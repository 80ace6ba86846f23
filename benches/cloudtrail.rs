//! Reading a month of CloudTrail logs for a busy account (`cargo bench --bench
//! cloudtrail`): a tree of `.json.gz` files as S3 holds them, 2 GB by default
//! (`DRIFT_BENCH_GB`), kept under target/ between runs. Prints events and MB
//! per second for drift's read, next to a bare gunzip + serde_json pass over
//! the same files on as many threads.

use iam_drift_guard::sources::cloudtrail;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// One record of a busy account: mostly other services, some IAM reads, a
/// few IAM writes.
fn record(i: usize) -> serde_json::Value {
    let (source, name) = match i % 100 {
        0 => ("iam.amazonaws.com", "AttachRolePolicy"),
        1 => ("iam.amazonaws.com", "CreateAccessKey"),
        2..=5 => ("iam.amazonaws.com", "GetRole"),
        6..=30 => ("sts.amazonaws.com", "AssumeRole"),
        31..=60 => ("s3.amazonaws.com", "GetObject"),
        61..=80 => ("kms.amazonaws.com", "Decrypt"),
        _ => ("ec2.amazonaws.com", "DescribeInstances"),
    };
    serde_json::json!({
        "eventVersion": "1.11",
        "userIdentity": {"type": "AssumedRole", "principalId": format!("AROAEXAMPLE{i:08}:session"),
            "arn": format!("arn:aws:sts::123456789012:assumed-role/app-{}/session", i % 37),
            "accountId": "123456789012", "accessKeyId": format!("ASIAEXAMPLE{i:09}"),
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROAEXAMPLE",
                "arn": format!("arn:aws:iam::123456789012:role/app-{}", i % 37), "accountId": "123456789012",
                "userName": format!("app-{}", i % 37)},
                "attributes": {"creationDate": "2026-11-01T00:00:00Z", "mfaAuthenticated": "false"}}},
        "eventTime": format!("2026-11-{:02}T{:02}:{:02}:{:02}Z", 1 + i % 28, i % 24, i % 60, (i / 7) % 60),
        "eventSource": source, "eventName": name, "awsRegion": "us-east-1",
        "sourceIPAddress": format!("10.0.{}.{}", i % 250, i % 200),
        "userAgent": "aws-sdk-go-v2/1.30.0 os/linux lang/go#1.22 md/GOOS#linux",
        "requestParameters": {"roleName": format!("app-{}", i % 37), "bucketName": "acme-data",
            "key": format!("objects/{i}.parquet"), "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
        "responseElements": null,
        "requestID": format!("req-{i:012}"), "eventID": format!("{i:08}-aaaa-bbbb-cccc-dddddddddddd"),
        "readOnly": name.starts_with("Get") || name.starts_with("Describe"),
        "eventType": "AwsApiCall", "managementEvent": true,
        "recipientAccountId": "123456789012", "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
            "clientProvidedHostHeader": format!("{}.amazonaws.com", source.split('.').next().unwrap_or("x"))}
    })
}

/// 16 distinct files of about 5,000 records each, copied into a month of
/// days until the tree holds `bytes` of gzip.
fn tree(root: &Path, bytes: u64) -> (usize, u64) {
    let mut templates = Vec::new();
    for t in 0..16 {
        let records: Vec<serde_json::Value> = (0..5_000).map(|i| record(t * 5_000 + i)).collect();
        let text = serde_json::json!({"Records": records}).to_string();
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(text.as_bytes()).unwrap_or_default();
        templates.push(enc.finish().unwrap_or_default());
    }
    let (mut files, mut total) = (0usize, 0u64);
    while total < bytes {
        let day = 1 + files % 30;
        let dir = root.join(format!(
            "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/{day:02}"
        ));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        let body = &templates[files % templates.len()];
        let name = format!(
            "123456789012_CloudTrail_us-east-1_202611{day:02}T{:04}Z_{files:06}.json.gz",
            files % 2400
        );
        std::fs::write(dir.join(name), body).unwrap_or_default();
        total += body.len() as u64;
        files += 1;
    }
    (files, total)
}

fn all_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// gunzip and serde_json (validating, into nothing), `threads` at a time.
fn bare(files: &[PathBuf], threads: usize) -> u64 {
    let next = AtomicUsize::new(0);
    let plain = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let raw = std::fs::read(path).unwrap_or_default();
                let mut text = Vec::new();
                let _ = flate2::read::MultiGzDecoder::new(raw.as_slice()).read_to_end(&mut text);
                let _: Result<serde::de::IgnoredAny, _> = serde_json::from_slice(&text);
                plain.fetch_add(text.len() as u64, Ordering::Relaxed);
            });
        }
    });
    plain.load(Ordering::Relaxed)
}

#[allow(clippy::print_stdout)]
fn main() {
    let gb: f64 = std::env::var("DRIFT_BENCH_GB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2.0);
    let bytes = (gb * 1e9) as u64;
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(format!("bench-cloudtrail-{bytes}"));
    if !root.join("done").exists() {
        let _ = std::fs::remove_dir_all(&root);
        let started = Instant::now();
        let (files, total) = tree(&root, bytes);
        std::fs::write(root.join("done"), "").unwrap_or_default();
        println!(
            "generated {files} files, {:.0} MB of gzip, in {:.1} s",
            total as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let files: Vec<PathBuf> = all_files(&root)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "gz"))
        .collect();
    // Warm the page cache once, as a nightly job on a runner would not be.
    let _ = bare(&files, threads);
    let started = Instant::now();
    let plain = bare(&files, threads);
    let bare_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let read = match cloudtrail::read(&root, threads) {
        Ok(r) => r,
        Err(e) => {
            println!("read failed: {e}");
            return;
        }
    };
    let drift_s = started.elapsed().as_secs_f64();
    println!(
        "{} files, {:.0} MB of gzip, {:.0} MB of JSON, {} records, {} IAM writes kept, {threads} threads",
        read.files,
        read.bytes as f64 / 1e6,
        read.bytes_plain as f64 / 1e6,
        read.records,
        read.events.len()
    );
    for (what, secs) in [
        ("gunzip + serde_json (no model)", bare_s),
        ("drift's read", drift_s),
    ] {
        println!(
            "{what:<32} {secs:>7.2} s  {:>9.0} records/s  {:>6.0} MB/s gzip  {:>6.0} MB/s JSON",
            read.records as f64 / secs,
            read.bytes as f64 / 1e6 / secs,
            plain as f64 / 1e6 / secs
        );
    }
}
