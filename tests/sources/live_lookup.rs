//! CloudTrail's LookupEvents, replayed with aws-smithy-mocks (moto's CloudTrail
//! does not return IAM events): every page read, requests paced, and pages
//! that make no sense or calls refused are unread, never a partial answer.

use crate::common::*;
use aws_sdk_cloudtrail::operation::lookup_events::{LookupEventsError, LookupEventsOutput};
use aws_sdk_cloudtrail::types::Event as TrailEvent;
use aws_sdk_cloudtrail::Client;
use aws_smithy_mocks::{mock, mock_client, RuleMode};
use iam_drift_guard::sources::aws::lookup::{event_names, lookup};
use iam_drift_guard::sources::aws::Unread;
use serde_json::json;
use std::time::{Duration, Instant};

fn trail_event(name: &str, user: &str, i: usize) -> TrailEvent {
    let record = json!({"eventVersion": "1.11", "eventTime": format!("2026-11-20T10:{:02}:00Z", i % 60),
        "eventSource": "iam.amazonaws.com", "eventName": name, "eventID": format!("{name}-{i}"),
        "requestParameters": {"userName": user},
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::123456789012:user/eve"}});
    TrailEvent::builder()
        .event_id(format!("{name}-{i}"))
        .event_name(name)
        .cloud_trail_event(record.to_string())
        .build()
}

fn asks_for(
    r: &aws_sdk_cloudtrail::operation::lookup_events::LookupEventsInput,
    name: &str,
) -> bool {
    r.lookup_attributes()
        .iter()
        .any(|a| a.attribute_value() == name)
}

fn run(
    rules: &[aws_smithy_mocks::Rule],
    names: &[&str],
    pace: Duration,
) -> (
    Result<Vec<iam_drift_guard::events::Event>, Vec<Unread>>,
    usize,
) {
    let client: Client = mock_client!(aws_sdk_cloudtrail, RuleMode::MatchAny, rules);
    let mut calls = std::collections::BTreeMap::new();
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(lookup(&client, names, (0, 2_000_000_000), pace, &mut calls));
    (result, calls.get("LookupEvents").copied().unwrap_or(0))
}

fn empty() -> aws_smithy_mocks::Rule {
    mock!(Client::lookup_events).then_output(|| LookupEventsOutput::builder().build())
}

#[test]
fn every_page_of_every_name_is_read_and_requests_are_paced() {
    let pages = |token: Option<&str>| -> (Vec<TrailEvent>, Option<&'static str>) {
        match token {
            None => (
                (0..50)
                    .map(|i| trail_event("DeleteSSHPublicKey", "a", i))
                    .collect(),
                Some("t1"),
            ),
            Some("t1") => (
                (50..100)
                    .map(|i| trail_event("DeleteSSHPublicKey", "b", i))
                    .collect(),
                Some("t2"),
            ),
            _ => (vec![trail_event("DeleteSSHPublicKey", "c", 100)], None),
        }
    };
    // Three pages, in order.
    let keys = {
        mock!(Client::lookup_events)
            .match_requests(|r| asks_for(r, "DeleteSSHPublicKey"))
            .sequence()
            .output(move || {
                let (events, next) = pages(None);
                LookupEventsOutput::builder()
                    .set_events(Some(events))
                    .set_next_token(next.map(str::to_string))
                    .build()
            })
            .output(move || {
                let (events, next) = pages(Some("t1"));
                LookupEventsOutput::builder()
                    .set_events(Some(events))
                    .set_next_token(next.map(str::to_string))
                    .build()
            })
            .output(move || {
                let (events, next) = pages(Some("t2"));
                LookupEventsOutput::builder()
                    .set_events(Some(events))
                    .set_next_token(next.map(str::to_string))
                    .build()
            })
            .build()
    };
    let names = ["CreateUser", "DeleteSSHPublicKey", "UpdateUser"];
    let started = Instant::now();
    let (result, calls) = run(&[keys, empty()], &names, Duration::from_millis(40));
    let took = started.elapsed();
    let events = result.unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(events.len(), 101);
    assert_eq!(calls, 5, "one call per name, and two more pages");
    // Five requests 40 ms apart take at least four intervals.
    assert!(took >= Duration::from_millis(160), "{took:?}");
    assert!(events.windows(2).all(|w| w[0].time <= w[1].time));
}

#[test]
fn a_repeated_token_a_refusal_and_a_record_missing_are_unread() {
    let looping = mock!(Client::lookup_events)
        .match_requests(|r| asks_for(r, "CreateUser"))
        .then_output(|| {
            LookupEventsOutput::builder()
                .events(trail_event("CreateUser", "a", 1))
                .next_token("same")
                .build()
        });
    let (result, _) = run(&[looping, empty()], &["CreateUser"], Duration::ZERO);
    let e = result.unwrap_err().remove(0);
    assert_eq!(e.action, "cloudtrail:LookupEvents");
    assert!(
        e.reason
            .contains("CloudTrail returned the page marker `same` twice"),
        "{}",
        e.reason
    );

    let denied = mock!(Client::lookup_events).then_error(|| {
        LookupEventsError::generic(
            aws_sdk_cloudtrail::error::ErrorMetadata::builder()
                .code("AccessDeniedException")
                .message("not authorized to perform cloudtrail:LookupEvents")
                .build(),
        )
    });
    let (result, _) = run(&[denied], &["CreateUser"], Duration::ZERO);
    let e = result.unwrap_err().remove(0);
    assert!(
        e.reason.starts_with("AccessDeniedException"),
        "{}",
        e.reason
    );
    assert_eq!(e.section, "CloudTrail events `CreateUser`");

    let bare = mock!(Client::lookup_events).then_output(|| {
        LookupEventsOutput::builder()
            .events(
                TrailEvent::builder()
                    .event_id("x1")
                    .event_name("CreateUser")
                    .build(),
            )
            .build()
    });
    let (result, _) = run(&[bare], &["CreateUser"], Duration::ZERO);
    assert!(result.unwrap_err()[0]
        .reason
        .contains("without its record (x1)"));
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
