//! `drift events`, and the CloudTrail logs `check` and `report` attribute
//! findings with (`--cloudtrail`).

use super::error::{Error, Failure};
use super::inputs::load_baseline;
use super::output::emit;
use crate::cli::{EventsArgs, Format};
use crate::events::classify::{classify, Classified};
use crate::events::Event;
use crate::render::events::{self as view, Listing};
use crate::sources::cloudtrail::{self, LogRead};
use std::path::Path;

/// Where events come from: files, or `lookup` (CloudTrail's LookupEvents).
#[cfg_attr(not(feature = "live"), allow(dead_code))]
pub(super) struct Wanted<'a> {
    pub src: &'a Path,
    pub profile: Option<&'a str>,
    /// Only for `lookup`: the window asked for (the last 90 days by default).
    pub window: (Option<i64>, Option<i64>),
    pub timeout: u64,
}

/// Reads CloudTrail events; anything that cannot be read is exit 2.
pub(super) fn load(w: &Wanted) -> Result<LogRead, Error> {
    if w.src == Path::new("lookup") {
        return lookup(w);
    }
    files(w.src)
}

#[cfg(feature = "live")]
fn lookup(w: &Wanted) -> Result<LogRead, Error> {
    use crate::sources::aws::{lookup, ClientOptions, ReadError};
    /// LookupEvents keeps 90 days.
    const LOOKUP_DAYS: i64 = 90;
    let now = now();
    let start = w
        .window
        .0
        .unwrap_or(now - LOOKUP_DAYS * 86_400)
        .max(now - LOOKUP_DAYS * 86_400);
    let end = w.window.1.unwrap_or(now).min(now);
    let options = ClientOptions {
        profile: w.profile.map(str::to_string),
        ..ClientOptions::default()
    };
    let deadline = std::time::Duration::from_secs(w.timeout);
    match lookup::lookup_blocking(&options, (start, end), deadline) {
        Ok((events, _calls)) => Ok(LogRead {
            records: events.len(),
            events,
            ..LogRead::default()
        }),
        Err(ReadError::Unread(unread)) => {
            let list: Vec<String> = unread.iter().map(|u| format!("- {u}")).collect();
            Err(Failure::new(format!(
                "CloudTrail's LookupEvents was not read completely, so nothing is reported:\n{}",
                list.join("\n")
            ))
            .help("allow `cloudtrail:LookupEvents` (examples/cloudtrail-lookup-policy.json); for a busy account or more than 90 days, read the S3 logs: `--cloudtrail DIR`")
            .into())
        }
        Err(ReadError::Credentials(why)) => Err(Failure::new(format!(
            "cannot read CloudTrail: {why}"
        ))
        .help("give `--profile NAME`, set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        .into()),
        Err(ReadError::Runtime(e)) => {
            Err(Failure::new(format!("cannot start the async runtime: {e}")).into())
        }
    }
}

#[cfg(not(feature = "live"))]
fn lookup(_: &Wanted) -> Result<LogRead, Error> {
    Err(
        Failure::new("this drift was built without live reads (the `live` feature)")
            .help("read CloudTrail's files instead: `--cloudtrail DIR`")
            .into(),
    )
}

/// Reads CloudTrail log files; any file that cannot be read is exit 2.
fn files(path: &Path) -> Result<LogRead, Error> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    cloudtrail::read(path, threads).map_err(|e| {
        Failure::new(format!("cannot read CloudTrail logs: {e}"))
            .help("give a CloudTrail log file or folder: `{\"Records\": [...]}` files as S3 holds them (.json or .json.gz), EventBridge events, JSON lines or a JSON array of records")
            .into()
    })
}

/// The time now, in seconds since the epoch.
pub(super) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .and_then(|d| i64::try_from(d.as_secs()).ok())
        .unwrap_or(0)
}

/// `--since`/`--until`: RFC 3339, a date (midnight UTC), or an age (`7d`, `12h`, `30m`).
pub(super) fn time_arg(flag: &str, text: &str, now: i64) -> Result<i64, Error> {
    let t = text.trim();
    if let Some(secs) = crate::time::parse(t) {
        return Ok(secs);
    }
    if let Some(secs) = crate::time::parse(&format!("{t}T00:00:00Z")) {
        return Ok(secs);
    }
    let unit = match t.chars().last() {
        Some('d') => 86_400,
        Some('h') => 3_600,
        Some('m') => 60,
        _ => 0,
    };
    if unit > 0 {
        if let Ok(n) = t[..t.len() - 1].parse::<i64>() {
            if n >= 0 {
                return Ok(now - n * unit);
            }
        }
    }
    Err(Failure::new(format!("`{flag} {text}` is not a time"))
        .help("give an RFC 3339 time (2026-11-01T00:00:00Z), a date (2026-11-01) or an age (7d, 12h, 30m)")
        .into())
}

pub(super) fn run_events(args: &EventsArgs) -> Result<u8, Error> {
    let now = now();
    let since = args
        .since
        .as_deref()
        .map(|t| time_arg("--since", t, now))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|t| time_arg("--until", t, now))
        .transpose()?;
    let baseline = args.baseline.as_deref().map(load_baseline).transpose()?;
    let read = load(&Wanted {
        src: &args.source,
        profile: args.profile.as_deref(),
        window: (since, until),
        timeout: args.timeout,
    })?;
    let in_window: Vec<&Event> = read
        .events
        .iter()
        .filter(|e| since.is_none_or(|s| e.time >= s) && until.is_none_or(|u| e.time < u))
        .collect();
    let mut changes: Vec<(Classified, &Event)> = in_window
        .iter()
        .filter(|e| e.succeeded())
        .filter_map(|e| classify(e, baseline.as_ref()).map(|c| (c, *e)))
        .collect();
    // Declared objects first, then the most severe, then the latest.
    changes.sort_by(|(a, ea), (b, eb)| {
        b.declared
            .cmp(&a.declared)
            .then(b.severity.cmp(&a.severity))
            .then(eb.time.cmp(&ea.time))
    });
    let failed: Vec<&Event> = in_window
        .iter()
        .copied()
        .filter(|e| !e.succeeded())
        .filter(|e| !crate::events::touches::touches(e).is_empty())
        .collect();
    let listing = Listing {
        source: &args.source.display().to_string(),
        files: read.files,
        records: read.records,
        since,
        until,
        with_baseline: baseline.is_some(),
        changes: &changes,
        failed: &failed,
    };
    let text = match args.format {
        Format::Human => view::human(&listing),
        Format::Json => view::json(&listing),
        Format::Markdown => view::markdown(&listing),
        Format::Sarif | Format::Github => {
            return Err(
                Failure::new("`drift events` writes human, json or markdown")
                    .help("use `--format json` for tools")
                    .into(),
            )
        }
    };
    emit(None, &text)?;
    let fail_on = args.fail_on.severity();
    Ok(u8::from(changes.iter().any(|(c, _)| c.severity >= fail_on)))
}
