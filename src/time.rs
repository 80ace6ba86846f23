//! Timestamps as IAM and Terraform write them (RFC 3339: `2024-05-01T12:00:00Z`,
//! `2014-09-01T22:28:48+00:00`), as seconds since the Unix epoch. Pure.

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day counted from 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn number(s: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|n| range.contains(n))
}

/// Seconds since the epoch of an RFC 3339 timestamp; `None` for anything else
/// (`N/A`, `no_information`, an empty cell).
pub fn parse(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_at_checked(10)?;
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    // Years of IAM and CloudTrail, and days the month has: `2026-02-30` or
    // year 9999 is a broken record, not a time.
    let (y, m) = (number(y, 1970..=2999)?, number(m, 1..=12)?);
    let d = number(d, 1..=days_in_month(y, m))?;
    let days = days_from_civil(y, m, d);
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    // Without a zone (`2022-09-27 17:09:18`, as some exports write CloudTrail
    // times), the time is UTC.
    let (clock, zone) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => rest.split_at(i),
        None => (rest, "Z"),
    };
    let clock = clock.split('.').next()?;
    let mut hms = clock.split(':');
    let (h, mi, s) = (hms.next()?, hms.next()?, hms.next()?);
    if hms.next().is_some() {
        return None;
    }
    let secs = number(h, 0..=23)? * 3600 + number(mi, 0..=59)? * 60 + number(s, 0..=59)?;
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (oh, om) = zone[1..].split_once(':')?;
            sign * (number(oh, 0..=23)? * 3600 + number(om, 0..=59)? * 60)
        }
    };
    Some(days * 86_400 + secs - offset)
}

/// The start (00:00 UTC) of a date written `YYYY-MM-DD`, in seconds since
/// the epoch; `None` for anything else (`2027-02-30` included).
pub fn parse_date(text: &str) -> Option<i64> {
    if text.len() != 10 {
        return None;
    }
    parse(&format!("{text}T00:00:00Z"))
}

/// The days of a month of a year (Gregorian).
fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The UTC date of a time, `YYYY-MM-DD`.
pub fn date(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Whole days from `from` to `to` (0 when `to` is earlier).
pub fn days_between(from: i64, to: i64) -> u64 {
    u64::try_from((to - from).max(0) / 86_400).unwrap_or(0)
}

/// A UTC time as RFC 3339 (`2026-01-01T00:00:00Z`).
pub fn rfc3339(secs: i64) -> String {
    let day = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(secs),
        day / 3600,
        day % 3600 / 60,
        day % 60
    )
}
