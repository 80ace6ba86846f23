//! CloudTrail logs from files: S3's folder tree of `.json.gz` files, digest
//! files and other files left alone, unreadable files named, and the real
//! records of ../shared/fixtures/cloudtrail read, mapped and classified.

use crate::common::*;
use iam_drift_guard::events::classify::classify;
use iam_drift_guard::events::touches::touches;
use iam_drift_guard::sources::cloudtrail::read;
use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;

fn record(name: &str, request: Value, time: &str, id: &str) -> Value {
    json!({"eventVersion": "1.11", "eventTime": time, "eventSource": "iam.amazonaws.com",
           "eventName": name, "requestParameters": request, "eventID": id,
           "recipientAccountId": "123456789012",
           "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/mallory", "userName": "mallory"}})
}

fn gz(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(path).unwrap(),
        flate2::Compression::fast(),
    );
    enc.write_all(text.as_bytes()).unwrap();
    enc.finish().unwrap();
}

#[test]
fn an_s3_tree_of_log_files_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let day = |d: u32| {
        dir.path().join(format!(
            "AWSLogs/o-abc123/123456789012/CloudTrail/us-east-1/2026/11/{d:02}"
        ))
    };
    for d in 1..=3u32 {
        let records: Vec<Value> = (0..50)
            .map(|i| {
                record(
                    "CreateUser",
                    json!({"userName": format!("u{d}-{i}")}),
                    &format!("2026-11-{d:02}T10:{:02}:00Z", i % 60),
                    &format!("e{d}-{i}"),
                )
            })
            .collect();
        gz(
            &day(d).join(format!(
                "123456789012_CloudTrail_us-east-1_202611{d:02}T1000Z_x.json.gz"
            )),
            &json!({"Records": records}).to_string(),
        );
    }
    // The same file delivered again (an organization trail and an account trail).
    std::fs::copy(
        day(1).join("123456789012_CloudTrail_us-east-1_20261101T1000Z_x.json.gz"),
        day(1).join("copy_CloudTrail_us-east-1_20261101T1000Z_y.json.gz"),
    )
    .unwrap();
    // Digest files hold hashes, not records; other files are not logs.
    gz(
        &dir.path()
            .join("AWSLogs/o-abc123/123456789012/CloudTrail-Digest/us-east-1/2026/11/01/d.json.gz"),
        "{\"digestStartTime\": \"2026-11-01T00:00:00Z\"}",
    );
    std::fs::write(day(2).join("README.txt"), "not a log").unwrap();
    let got = read(dir.path(), 2).unwrap();
    assert_eq!(got.files, 4);
    assert_eq!(got.records, 200);
    assert_eq!(got.events.len(), 150, "duplicates dropped");
    assert!(got.events.windows(2).all(|w| w[0].time <= w[1].time));
    assert!(got.bytes < got.bytes_plain);
    // The same result on one thread.
    assert_eq!(read(dir.path(), 1).unwrap().events, got.events);
}

#[test]
fn an_unreadable_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.json"),
        record(
            "CreateUser",
            json!({"userName": "a"}),
            "2026-11-01T00:00:00Z",
            "1",
        )
        .to_string(),
    )
    .unwrap();
    std::fs::write(dir.path().join("b.json.gz"), [0x1f, 0x8b, 0x08, 0x00, 0x01]).unwrap();
    let e = read(dir.path(), 2).unwrap_err();
    assert!(e.path.ends_with("b.json.gz"), "{e}");
    assert!(e.message.contains("gzip"), "{e}");
    std::fs::remove_file(dir.path().join("b.json.gz")).unwrap();
    std::fs::write(
        dir.path().join("c.jsonl"),
        "{\"eventName\": \"CreateUser\"}\n",
    )
    .unwrap();
    let e = read(dir.path(), 2).unwrap_err();
    assert!(
        e.to_string().contains("c.jsonl: record 1 has no eventName"),
        "{e}"
    );
    let empty = tempfile::tempdir().unwrap();
    assert!(read(empty.path(), 2)
        .unwrap_err()
        .message
        .contains("no CloudTrail log file"));
    assert!(read(&empty.path().join("missing"), 2).is_err());
}

/// The rule each real record's successful change falls under (`None`: not a
/// change drift guards).
fn expected_rule(name: &str, file: &str) -> Option<&'static str> {
    Some(match name {
        // Judged by what they grant: the managed table, the trust rules.
        "AttachRolePolicy"
            if file.contains("example-policy") || file.contains("anything_changed") =>
        {
            "role-changed"
        }
        "AttachRolePolicy" => "role-policy-widened",
        "UpdateAssumeRolePolicy"
            if file.contains("internet-access.json") && !file.contains("without") =>
        {
            "role-trust-widened"
        }
        "UpdateAssumeRolePolicy" => "role-changed",
        "AttachUserPolicy" if file.contains("quarantine") => "user-policy-narrowed",
        "AttachUserPolicy" => "user-policy-widened",
        // Both documents deny; one record holds none.
        "PutUserPolicy" if file.contains("request-param-is-null") => "user-changed",
        "PutUserPolicy" => "user-policy-narrowed",
        "CreateRole" => "role-unmanaged",
        // A role AWS makes for one of its services.
        "CreateServiceLinkedRole" => "role-provisioned",
        "CreateUser" => "user-unmanaged",
        "DeleteGroupPolicy" => "group-changed",
        "CreateAccessKey" if file.contains("root-access-key-created") => {
            "root-access-key-unmanaged"
        }
        "CreateAccessKey" => "access-key-unmanaged",
        // Another user's console password is an escalation step; a session
        // named after the user is listed too (at medium: a name is no proof).
        "UpdateLoginProfile" => "login-profile-unmanaged",
        "CreateSAMLProvider" => "saml-provider-unmanaged",
        "UpdateSAMLProvider" => "saml-provider-changed",
        "DeleteSAMLProvider" => "saml-provider-removed",
        _ => return None,
    })
}

#[test]
fn real_records_are_read_mapped_and_classified() {
    let dir = root().join("../shared/fixtures/cloudtrail");
    let Ok(sources) = std::fs::read_to_string(root().join("../shared/fixtures/SOURCES.md")) else {
        return;
    };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let name = file.split("__").nth(2).unwrap();
        let row = sources
            .lines()
            .find(|l| l.contains(&format!("cloudtrail/{file}")))
            .unwrap_or_else(|| panic!("{file} has no SOURCES.md row"));
        let got = read(&path, 1).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.events.len(), 1, "{file}");
        let e = &got.events[0];
        assert_eq!(e.name, name, "{file}");
        // Failed calls are exactly those whose row names an errorCode.
        let error = row
            .split("errorCode ")
            .nth(1)
            .map(|rest| rest.split([';', ' ', '|']).next().unwrap());
        assert_eq!(e.error.as_deref(), error, "{file}");
        if e.error.is_some() {
            continue;
        }
        let c = classify(e, None);
        assert_eq!(
            c.as_ref().map(|c| c.rule.as_str()),
            expected_rule(name, &file),
            "{file}"
        );
        // A record that does not name what it changed is still listed, as such.
        if let Some(c) = c {
            assert_eq!(
                touches(e).is_empty(),
                c.resource.as_str().contains("(not in the record)"),
                "{file}: {}",
                c.resource
            );
        }
        seen += 1;
    }
    assert!(seen >= 30, "{seen}");
}

fn one_record(dir: &Path, name: &str, r: &Value) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, r.to_string()).unwrap();
    path
}

/// A FIFO named like a log would block forever, a device would never end:
/// only regular files are read, and anything else is an error naming it.
#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let r = record(
        "CreateUser",
        json!({"userName": "a"}),
        "2026-11-01T00:00:00Z",
        "1",
    );
    one_record(dir.path(), "a.json", &r);
    let fifo = dir.path().join("b.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let e = read(dir.path(), 2).unwrap_err();
    assert!(e.path.ends_with("b.json"), "{e}");
    assert!(e.message.contains("not a regular file"), "{e}");
    let e = read(&fifo, 2).unwrap_err();
    assert!(e.message.contains("not a regular file"), "{e}");
}

/// A plain file has the gzip limit too, judged by its size before anything is
/// read (a sparse file of 1 GiB and one byte takes no room here).
#[test]
fn a_plain_file_over_the_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = std::fs::File::create(dir.path().join("big.json")).unwrap();
    big.set_len((1 << 30) + 1).unwrap();
    let e = read(dir.path(), 2).unwrap_err();
    assert!(e.message.contains("larger than 1 GiB"), "{e}");
}

/// Many files on many threads hold no more than the budget at once; a gzip
/// file that holds more text than its trailer says (two members, the last one
/// small) grows only while the budget has room.
#[test]
fn text_in_flight_stays_within_the_budget() {
    use iam_drift_guard::sources::cloudtrail::read_within;
    let dir = tempfile::tempdir().unwrap();
    let records = |k: usize| {
        let list: Vec<Value> = (0..2_000)
            .map(|i| {
                let mut r = record(
                    "CreateUser",
                    json!({"userName": format!("u{k}-{i}"), "padding": "x".repeat(400)}),
                    "2026-11-01T00:00:00Z",
                    &format!("{k}-{i}"),
                );
                r["eventTime"] = json!(format!("2026-11-01T00:{:02}:{:02}Z", i / 60 % 60, i % 60));
                r
            })
            .collect();
        json!({"Records": list}).to_string()
    };
    for k in 0..8 {
        gz(&dir.path().join(format!("f{k}.json.gz")), &records(k));
    }
    let limit = 3 << 20;
    let all = read_within(dir.path(), 4, limit).unwrap();
    assert_eq!(all.records, 16_000);
    assert!(all.peak_in_flight <= limit, "{}", all.peak_in_flight);
    assert!(all.peak_in_flight > 0);
    // Two gzip members: the trailer announces only the second, small one.
    let lying = dir.path().join("z.json.gz");
    let mut bytes = Vec::new();
    for text in [records(8), String::new()] {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(text.as_bytes()).unwrap();
        bytes.extend(enc.finish().unwrap());
    }
    std::fs::write(&lying, bytes).unwrap();
    let e = read_within(dir.path(), 4, limit).unwrap_err();
    assert!(e.path.ends_with("z.json.gz"), "{e}");
    assert!(
        e.message.contains("more text than its gzip trailer says"),
        "{e}"
    );
    // With room, the same file is read whole.
    assert_eq!(read(dir.path(), 4).unwrap().records, 18_000);
}

/// Fields nested deeper than the reader goes are an error naming the record,
/// not an absent field; impossible times are errors too.
#[test]
fn deep_fields_and_impossible_times_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    let mut deep = json!("bottom");
    for _ in 0..200 {
        deep = json!({"k": deep});
    }
    let r = record(
        "PutUserPolicy",
        json!({"userName": "a", "x": deep}),
        "2026-11-01T00:00:00Z",
        "1",
    );
    // serde_json's own writer has no depth limit; its reader stops at 128.
    let path = one_record(dir.path(), "a.json", &r);
    let e = read(&path, 1).unwrap_err();
    assert!(e.message.contains("record 1"), "{e}");
    assert!(
        e.message.contains("`requestParameters` cannot be read"),
        "{e}"
    );
    for time in [
        "2026-02-30T00:00:00Z",
        "2026-01-01T23:59:60Z",
        "9999-01-01T00:00:00Z",
        "2025-02-29T00:00:00Z",
    ] {
        let r = record("CreateUser", json!({"userName": "a"}), time, "2");
        let path = one_record(dir.path(), "t.json", &r);
        let e = read(&path, 1).unwrap_err();
        assert!(e.message.contains("not a time"), "{time}: {e}");
    }
    // A leap day that exists is a time.
    let r = record(
        "CreateUser",
        json!({"userName": "a"}),
        "2028-02-29T00:00:00Z",
        "3",
    );
    let path = one_record(dir.path(), "t.json", &r);
    assert_eq!(read(&path, 1).unwrap().events.len(), 1);
}
