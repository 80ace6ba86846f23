//! CloudTrail's LookupEvents: the management events of the last 90 days, in
//! us-east-1 where IAM's are recorded. One lookup per event name the rules
//! need, 50 events a page, paced to AWS's 2 requests a second per account,
//! paginated with the same fail-closed rules as the IAM read: a refused or
//! throttled call, a repeated token or more pages than allowed is unread.

use super::fetch::Calls;
use super::pages::{all_pages_of, Page};
use super::{ReadError, Unread};
use crate::events::records;
use crate::events::Event;
use aws_sdk_cloudtrail::primitives::DateTime;
use aws_sdk_cloudtrail::types::{LookupAttribute, LookupAttributeKey};
use aws_sdk_cloudtrail::Client;
use std::sync::Mutex;
use std::time::Duration;

/// LookupEvents' own limit: 2 requests a second per account and region.
pub const PACE: Duration = Duration::from_millis(500);

/// Pages per event name: 20,000 events of one name in 90 days is more than a
/// lookup is for (read the S3 logs instead).
pub const PAGES: usize = 400;

/// The event names drift asks for: every one a rule names.
pub fn event_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = crate::rules::all()
        .flat_map(|r| r.events.iter().copied())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Spaces requests `interval` apart.
pub struct Pacer {
    interval: Duration,
    next: Mutex<Option<tokio::time::Instant>>,
}

impl Pacer {
    pub fn new(interval: Duration) -> Pacer {
        Pacer {
            interval,
            next: Mutex::new(None),
        }
    }

    /// The time the next request may leave, asked at `now`: never before
    /// `now`, and `interval` after the one before. The clock is the caller's.
    pub fn slot(&self, now: tokio::time::Instant) -> tokio::time::Instant {
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let at = next.map_or(now, |n| n.max(now));
        *next = Some(at + self.interval);
        at
    }

    async fn wait(&self) {
        let at = self.slot(tokio::time::Instant::now());
        tokio::time::sleep_until(at).await;
    }
}

/// Every event named `names` between `start` and `end` (seconds since the
/// epoch), requests `interval` apart.
pub async fn lookup(
    client: &Client,
    names: &[&str],
    (start, end): (i64, i64),
    interval: Duration,
    calls: &mut Calls,
) -> Result<Vec<Event>, Vec<Unread>> {
    let pacer = Pacer::new(interval);
    let mut out = Vec::new();
    for name in names {
        let section = format!("CloudTrail events `{name}`");
        let attribute = LookupAttribute::builder()
            .attribute_key(LookupAttributeKey::EventName)
            .attribute_value(*name)
            .build()
            .map_err(|e| {
                vec![Unread {
                    section: section.clone(),
                    action: "cloudtrail:LookupEvents",
                    reason: e.to_string(),
                }]
            })?;
        let (result, n) = all_pages_of(
            "CloudTrail",
            "more than a lookup should read: read the S3 logs instead (`--cloudtrail DIR`)",
            &section,
            "cloudtrail:LookupEvents",
            PAGES,
            |token| {
                let request = client
                    .lookup_events()
                    .lookup_attributes(attribute.clone())
                    .start_time(DateTime::from_secs(start))
                    .end_time(DateTime::from_secs(end))
                    .max_results(50)
                    .set_next_token(token);
                let pacer = &pacer;
                async move {
                    pacer.wait().await;
                    request.send().await.map(|p| Page {
                        truncated: p.next_token().is_some(),
                        marker: p.next_token().map(str::to_string),
                        items: p.events().to_vec(),
                    })
                }
            },
        )
        .await;
        *calls.entry("LookupEvents").or_default() += n;
        let items = result.map_err(|s| vec![s.unread])?;
        for item in items {
            let Some(text) = item.cloud_trail_event() else {
                return Err(vec![Unread {
                    section,
                    action: "cloudtrail:LookupEvents",
                    reason: format!(
                        "an event without its record ({})",
                        item.event_id().unwrap_or("no id")
                    ),
                }]);
            };
            let parsed = records::parse(text).map_err(|e| {
                vec![Unread {
                    section: section.clone(),
                    action: "cloudtrail:LookupEvents",
                    reason: format!("a record that makes no sense: {}", e.message),
                }]
            })?;
            out.extend(parsed.events);
        }
    }
    out.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id)));
    out.dedup_by(|a, b| a.id.is_some() && a == b);
    Ok(out)
}

/// [`lookup`] with a client set up from `options`, on a runtime of its own,
/// within `deadline`.
pub fn lookup_blocking(
    options: &super::ClientOptions,
    window: (i64, i64),
    deadline: Duration,
) -> Result<(Vec<Event>, Calls), ReadError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ReadError::Runtime(e.to_string()))?;
    runtime.block_on(async {
        let client = super::client::cloudtrail(options)
            .await
            .map_err(ReadError::Credentials)?;
        let mut calls = Calls::new();
        let names = event_names();
        let read =
            tokio::time::timeout(deadline, lookup(&client, &names, window, PACE, &mut calls)).await;
        match read {
            Ok(Ok(events)) => Ok((events, calls)),
            Ok(Err(unread)) => Err(ReadError::Unread(unread)),
            Err(_) => Err(ReadError::Unread(vec![Unread {
                section: "CloudTrail events".to_string(),
                action: "cloudtrail:LookupEvents",
                reason: format!(
                    "the lookup did not finish within {} s (`--timeout`)",
                    deadline.as_secs()
                ),
            }])),
        }
    })
}
