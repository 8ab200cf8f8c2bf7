//! Durations and unix times as people read and write them ("5m", "expires in 4m 12s").
//! Nothing here reads the clock: `now` is always an argument.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Parses a duration such as `5m`, `30s`, `1h30m`, `2d` or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Ok(secs);
    }
    humantime::parse_duration(text)
        .map(|d| d.as_secs())
        .map_err(|e| format!("'{text}' is not a duration ({e}); write e.g. 30s, 5m, 1h30m or 2d"))
}

/// "4m 12s", "2h 5m", "3d 4h", "0s": the two largest units, for people.
pub fn human_duration(secs: u64) -> String {
    const UNITS: [(u64, &str); 5] = [(365 * 86_400, "y"), (86_400, "d"), (3_600, "h"), (60, "m"), (1, "s")];
    if secs == 0 {
        return "0s".to_string();
    }
    let mut parts = Vec::new();
    let mut rest = secs;
    for (size, unit) in UNITS {
        if rest >= size {
            parts.push(format!("{}{unit}", rest.checked_div(size).unwrap_or(0)));
            rest = rest.checked_rem(size).unwrap_or(0);
        }
        if parts.len() == 2 || (!parts.is_empty() && rest == 0) {
            break;
        }
    }
    parts.join(" ")
}

/// "in 4m 12s" or "3m ago" for time `t` seen at `now`.
pub fn relative(t: i64, now: i64) -> String {
    match t.cmp(&now) {
        std::cmp::Ordering::Equal => "just now".to_string(),
        std::cmp::Ordering::Greater => format!("in {}", human_duration(gap(t, now))),
        std::cmp::Ordering::Less => format!("{} ago", human_duration(gap(now, t))),
    }
}

/// "2026-11-21 21:45:02 UTC", or None when the number is outside chrono's range.
pub fn utc(t: i64) -> Option<String> {
    DateTime::<Utc>::from_timestamp(t, 0).map(|d| d.format("%Y-%m-%d %H:%M:%S UTC").to_string())
}

/// Parses an RFC 3339 date-time ("2026-11-21T21:45:02Z") into unix seconds.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text.trim()).ok().map(|d| d.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_and_print() {
        assert_eq!(parse_duration("5m"), Ok(300));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("90"), Ok(90));
        assert!(parse_duration("soon").is_err());
        assert_eq!(human_duration(252), "4m 12s");
        assert_eq!(human_duration(180), "3m");
        assert_eq!(human_duration(90_061), "1d 1h");
        assert_eq!(human_duration(0), "0s");
    }

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(relative(1_000 + 252, 1_000), "in 4m 12s");
        assert_eq!(relative(1_000 - 180, 1_000), "3m ago");
        assert_eq!(utc(1_300_819_380).as_deref(), Some("2011-03-22 18:43:00 UTC"));
        assert_eq!(parse_rfc3339("2011-03-22T18:43:00Z"), Some(1_300_819_380));
    }
}

/// The gap between two times in seconds, never wrapping.
pub fn gap(later: i64, earlier: i64) -> u64 {
    i128::from(later).saturating_sub(i128::from(earlier)).clamp(0, i128::from(u64::MAX)) as u64
}

/// A number of seconds, written in TOML as a number or as text (`"10m"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Secs(pub u64);

impl<'de> Deserialize<'de> for Secs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Secs(u64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Secs(s) => Ok(Secs(s)),
            Raw::Text(t) => parse_duration(&t).map(Secs).map_err(serde::de::Error::custom),
        }
    }
}
