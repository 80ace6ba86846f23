//! CloudTrail's LookupEvents, against a loopback server that answers
//! CloudTrail's JSON protocol (moto's CloudTrail does not return IAM events):
//! every page read, requests paced, and pages that make no sense or calls
//! refused are unread, never a partial answer.

use crate::common::stub::*;
use crate::common::*;
use iam_drift_guard::sources::aws::lookup::{event_names, lookup, Pacer};
use iam_drift_guard::sources::aws::Unread;
use serde_json::{json, Value};
use std::time::Duration;

fn trail_event(name: &str, user: &str, i: usize) -> Value {
    let record = json!({"eventVersion": "1.11", "eventTime": format!("2026-11-20T10:{:02}:00Z", i % 60),
        "eventSource": "iam.amazonaws.com", "eventName": name, "eventID": format!("{name}-{i}"),
        "requestParameters": {"userName": user},
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/eve"}});
    json!({"EventId": format!("{name}-{i}"), "EventName": name, "CloudTrailEvent": record.to_string()})
}

/// The event name a request asks for.
fn asks_for(r: &Request) -> String {
    r.json()["LookupAttributes"][0]["AttributeValue"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn run(
    stub: &Stub,
    names: &[&str],
    pace: Duration,
) -> (
    Result<Vec<iam_drift_guard::events::Event>, Vec<Unread>>,
    usize,
) {
    let client = cloudtrail_client(stub);
    let mut calls = std::collections::BTreeMap::new();
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(lookup(&client, names, (0, 2_000_000_000), pace, &mut calls));
    (result, calls.get("LookupEvents").copied().unwrap_or(0))
}

#[test]
fn every_page_of_every_name_is_read_and_requests_are_paced() {
    // Three pages for one name, in order; nothing for the others.
    let stub = Stub::start(|r| {
        if asks_for(r) != "DeleteSSHPublicKey" {
            return json_ok(&json!({"Events": []}));
        }
        match r.param("NextToken") {
            None => json_ok(
                &json!({"Events": (0..50).map(|i| trail_event("DeleteSSHPublicKey", "a", i)).collect::<Vec<_>>(), "NextToken": "t1"}),
            ),
            Some("t1") => json_ok(
                &json!({"Events": (50..100).map(|i| trail_event("DeleteSSHPublicKey", "b", i)).collect::<Vec<_>>(), "NextToken": "t2"}),
            ),
            Some("t2") => {
                json_ok(&json!({"Events": [trail_event("DeleteSSHPublicKey", "c", 100)]}))
            }
            Some(_) => json_error(400, "InvalidNextTokenException", "unknown token"),
        }
    });
    let names = ["CreateUser", "DeleteSSHPublicKey", "UpdateUser"];
    let (result, calls) = run(&stub, &names, Duration::from_millis(40));
    let events = result.unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(events.len(), 101);
    assert_eq!(calls, 5, "one call per name, and two more pages");
    let requests = stub.requests();
    assert_eq!(requests.len(), 5);
    // Every request asks for one name, 50 a page, within the window.
    for r in &requests {
        let body = r.json();
        assert_eq!(body["LookupAttributes"][0]["AttributeKey"], "EventName");
        assert_eq!(body["MaxResults"], 50);
        assert!(
            body["StartTime"].is_number() && body["EndTime"].is_number(),
            "{body}"
        );
    }
    // The requests arrived in the order they were paced (the pacing itself is
    // checked on its own clock below, not by timing a loaded machine).
    assert!(requests.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(events.windows(2).all(|w| w[0].time <= w[1].time));
}

/// The pacer's schedule, on an injected clock: the first request leaves at
/// once, each next one `interval` after the one before, never before it is
/// asked for, and a late ask does not bunch the next ones up.
#[test]
fn requests_are_paced_interval_apart_on_the_pacer_s_clock() {
    let pace = Duration::from_millis(500);
    let pacer = Pacer::new(pace);
    let t0 = tokio::time::Instant::now();
    let slots: Vec<_> = (0..4).map(|_| pacer.slot(t0)).collect();
    for (i, s) in slots.iter().enumerate() {
        assert_eq!(s.duration_since(t0), pace * i as u32);
    }
    // Asked long after the last slot: leaves at once, then paced again.
    let late = t0 + Duration::from_secs(10);
    assert_eq!(pacer.slot(late), late);
    assert_eq!(pacer.slot(late), late + pace);
}

#[test]
fn a_repeated_token_a_refusal_and_a_record_missing_are_unread() {
    let looping = Stub::start(|_| {
        json_ok(&json!({"Events": [trail_event("CreateUser", "a", 1)], "NextToken": "same"}))
    });
    let (result, _) = run(&looping, &["CreateUser"], Duration::ZERO);
    let e = result.unwrap_err().remove(0);
    assert_eq!(e.action, "cloudtrail:LookupEvents");
    assert!(
        e.reason
            .contains("CloudTrail returned the page marker `same` twice"),
        "{}",
        e.reason
    );
    assert_eq!(looping.calls("LookupEvents"), 2);

    let denied = Stub::start(|_| {
        json_error(
            400,
            "AccessDeniedException",
            "not authorized to perform cloudtrail:LookupEvents",
        )
    });
    let (result, _) = run(&denied, &["CreateUser"], Duration::ZERO);
    let e = result.unwrap_err().remove(0);
    assert!(
        e.reason.starts_with("AccessDeniedException"),
        "{}",
        e.reason
    );
    assert_eq!(e.section, "CloudTrail events `CreateUser`");

    let bare = Stub::start(|_| {
        json_ok(&json!({"Events": [{"EventId": "x1", "EventName": "CreateUser"}]}))
    });
    let (result, _) = run(&bare, &["CreateUser"], Duration::ZERO);
    assert!(result.unwrap_err()[0]
        .reason
        .contains("without its record (x1)"));

    let garbled = Stub::start(|_| Reply {
        status: 200,
        content_type: "application/x-amz-json-1.1",
        body: "{\"Events\": [".to_string(),
    });
    let (result, _) = run(&garbled, &["CreateUser"], Duration::ZERO);
    assert_eq!(result.unwrap_err()[0].action, "cloudtrail:LookupEvents");
}

#[test]
fn the_names_asked_for_are_every_name_a_rule_needs_and_the_policy_allows_the_call() {
    let names = event_names();
    assert!(names.contains(&"DeleteAccountPasswordPolicy") && names.contains(&"CreateAccessKey"));
    for r in iam_drift_guard::rules::all() {
        for e in r.events {
            assert!(names.contains(e), "{e}");
        }
    }
    let policy: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/cloudtrail-lookup-policy.json")).unwrap(),
    )
    .unwrap();
    let source = std::fs::read_to_string(root().join("src/sources/aws/lookup.rs")).unwrap();
    let mut called: Vec<String> = source
        .match_indices("\"cloudtrail:")
        .map(|(i, _)| source[i + 1..].split('"').next().unwrap().to_string())
        .collect();
    called.sort();
    called.dedup();
    assert_eq!(policy["Statement"][0]["Action"], json!(called));
}
