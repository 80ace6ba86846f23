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

/// Reads CloudTrail logs; any file that cannot be read is exit 2.
pub(super) fn load(path: &Path) -> Result<LogRead, Error> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    cloudtrail::read(path, threads).map_err(|e| {
        Failure::new(format!("cannot read CloudTrail logs: {e}"))
            .help("give a CloudTrail log file or folder: `{\"Records\": [...]}` files as S3 holds them (.json or .json.gz), EventBridge events, JSON lines or a JSON array of records")
            .into()
    })
}

fn now() -> i64 {
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
    let read = load(&args.source)?;
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
