//! CloudTrail records in the shapes people keep them: a log file as CloudTrail
//! delivers it (`{"Records": [...]}`), an EventBridge event (the record under
//! `detail`), one record, a JSON array of either, or JSON lines of either.
//! Only IAM writes and console sign-ins are kept: reads (`Get…`, `List…`) and
//! other services' events are skipped without being built. Unknown fields are
//! ignored; a record without a name, source or time is an error.

use super::{Actor, Event};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::borrow::Cow;

/// The sources whose events drift keeps.
const SOURCES: &[&str] = &["iam.amazonaws.com", "signin.amazonaws.com"];

#[derive(Deserialize)]
struct Envelope<'a> {
    /// A log file's records, parsed in the same pass as the file.
    #[serde(rename = "Records", borrow, default)]
    records: Option<Vec<Record<'a>>>,
    #[serde(borrow, default)]
    detail: Option<&'a RawValue>,
    #[serde(rename = "detail-type", borrow, default)]
    detail_type: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Record<'a> {
    #[serde(borrow, default)]
    event_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    event_source: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    event_time: Option<Cow<'a, str>>,
    #[serde(rename = "eventID", borrow, default)]
    event_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    aws_region: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    recipient_account_id: Option<&'a RawValue>,
    #[serde(rename = "sourceIPAddress", borrow, default)]
    source_ip: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    user_agent: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    error_code: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    request_parameters: Option<&'a RawValue>,
    #[serde(borrow, default)]
    response_elements: Option<&'a RawValue>,
    #[serde(borrow, default)]
    user_identity: Option<&'a RawValue>,
}

/// What a read of some text gave.
#[derive(Debug, Default)]
pub struct Parsed {
    pub events: Vec<Event>,
    /// Records read, kept or not.
    pub records: usize,
}

/// Why a text is not CloudTrail records.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordError {
    /// 1-based line of the text, when known.
    pub line: Option<usize>,
    pub message: String,
}

fn error(line: Option<usize>, message: impl Into<String>) -> RecordError {
    RecordError {
        line,
        message: message.into(),
    }
}

/// Whether an event name is a read (never a cause of drift).
fn is_read(name: &str) -> bool {
    ["Get", "List", "Generate", "Simulate", "Describe"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// Reads every record of a text in any of the shapes above.
pub fn parse(text: &str) -> Result<Parsed, RecordError> {
    let mut out = Parsed::default();
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if trimmed.is_empty() {
        return Ok(out);
    }
    if trimmed.starts_with('[') {
        if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(trimmed) {
            for item in items {
                one(item.get(), None, &mut out).map_err(|e| e.error)?;
            }
            return Ok(out);
        }
    } else {
        // One object (a log file, an event, a record), read in one pass; or
        // JSON lines, whose first line ends the object early.
        match one(trimmed, None, &mut out) {
            Ok(()) => return Ok(out),
            Err(e) if !e.trailing => return Err(e.error),
            Err(_) => out = Parsed::default(),
        }
    }
    for (i, line) in text.lines().enumerate() {
        let line_text = line.trim();
        if line_text.is_empty() {
            continue;
        }
        if line_text.starts_with('[') {
            let items: Vec<&RawValue> = serde_json::from_str(line_text)
                .map_err(|e| error(Some(i + 1), format!("not JSON: {e}")))?;
            for item in items {
                one(item.get(), Some(i + 1), &mut out).map_err(|e| e.error)?;
            }
        } else {
            one(line_text, Some(i + 1), &mut out).map_err(|e| e.error)?;
        }
    }
    Ok(out)
}

/// Why one object was not read, and whether text follows it (JSON lines).
struct OneError {
    error: RecordError,
    trailing: bool,
}

/// A log file, an EventBridge event or one record.
fn one(text: &str, line: Option<usize>, out: &mut Parsed) -> Result<(), OneError> {
    let fail = |error: RecordError| OneError {
        error,
        trailing: false,
    };
    if !text.starts_with('{') {
        return Err(fail(error(line, "a record must be a JSON object")));
    }
    let envelope: Envelope = serde_json::from_str(text).map_err(|e| OneError {
        trailing: e.to_string().starts_with("trailing characters"),
        error: error(
            line.or(Some(e.line())),
            if e.is_syntax() || e.is_eof() {
                format!("not JSON: {e}")
            } else {
                format!("not a CloudTrail record: {e}")
            },
        ),
    })?;
    if let Some(records) = envelope.records {
        for r in records {
            record(r, line, out).map_err(fail)?;
        }
        return Ok(());
    }
    let single = match (envelope.detail, envelope.detail_type) {
        (Some(detail), Some(_)) => detail.get(),
        _ => text,
    };
    let n = out.records + 1;
    let r: Record = serde_json::from_str(single).map_err(|e| {
        fail(error(
            line,
            format!("record {n} is not a CloudTrail record: {e}"),
        ))
    })?;
    record(r, line, out).map_err(fail)
}

fn record(r: Record, line: Option<usize>, out: &mut Parsed) -> Result<(), RecordError> {
    out.records += 1;
    let n = out.records;
    let (Some(name), Some(source), Some(time_text)) = (r.event_name, r.event_source, r.event_time)
    else {
        return Err(error(
            line,
            format!("record {n} has no eventName, eventSource or eventTime"),
        ));
    };
    if !SOURCES.contains(&source.as_ref()) || is_read(&name) {
        return Ok(());
    }
    let Some(time) = crate::time::parse(&time_text) else {
        return Err(error(
            line,
            format!("record {n} ({name}) has an eventTime that is not a time: `{time_text}`"),
        ));
    };
    // A field that is there but cannot be read (nested deeper than the JSON
    // reader goes) is an error naming the record, never an absent field.
    let json = |raw: Option<&RawValue>, field: &str| -> Result<Value, RecordError> {
        match raw {
            None => Ok(Value::Null),
            Some(r) => serde_json::from_str(r.get()).map_err(|e| {
                error(
                    line,
                    format!("record {n} ({name}): its `{field}` cannot be read: {e}"),
                )
            }),
        }
    };
    let identity = json(r.user_identity, "userIdentity")?;
    let account = json(r.recipient_account_id, "recipientAccountId")?;
    let request = json(r.request_parameters, "requestParameters")?;
    let response = json(r.response_elements, "responseElements")?;
    out.events.push(Event {
        name: name.into_owned(),
        source: source.into_owned(),
        time,
        time_text: time_text.into_owned(),
        id: r.event_id.map(Cow::into_owned),
        region: r.aws_region.map(Cow::into_owned),
        // Test corpora write account ids as numbers too.
        account: text_of(&account),
        actor: actor(&identity),
        source_ip: r.source_ip.map(Cow::into_owned),
        user_agent: r.user_agent.map(Cow::into_owned),
        error: r.error_code.map(Cow::into_owned),
        request,
        response,
    });
    Ok(())
}

/// A string or a number, as text.
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn actor(identity: &Value) -> Actor {
    let s = |v: &Value, key: &str| v.get(key).and_then(text_of);
    let issuer = identity
        .pointer("/sessionContext/sessionIssuer")
        .and_then(|i| s(i, "arn"));
    let arn = s(identity, "arn");
    // IAM Identity Center: a session of an `AWSReservedSSO_…` role named after
    // the person (`…:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com`).
    let identity_center_user = issuer
        .as_deref()
        .filter(|i| i.contains("/AWSReservedSSO_"))
        .and(arn.as_deref())
        .and_then(|a| a.rsplit('/').next())
        .map(str::to_string)
        .or_else(|| identity.pointer("/onBehalfOf/userId").and_then(text_of));
    Actor {
        kind: s(identity, "type"),
        principal_id: s(identity, "principalId"),
        access_key_id: s(identity, "accessKeyId"),
        user_name: s(identity, "userName"),
        account: s(identity, "accountId"),
        invoked_by: s(identity, "invokedBy"),
        issuer,
        identity_center_user,
        arn,
    }
}
