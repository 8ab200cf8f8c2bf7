//! Text and JSON renderings of core values for the command line.

use chrono::{Local, TimeZone as _};
use serde::Serialize;
use serde_json::{Value, json};

use tokensmith::time::{MILLIS_THRESHOLD, human_duration, utc};
use tokensmith::token::numeric_time;

use super::CliError;

pub fn print_json(value: &impl Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::usage(format!("cannot write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

pub fn pretty(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

fn local(t: i64) -> Option<String> {
    let local = Local.timestamp_opt(t, 0).single()?;
    if local.offset().local_minus_utc() == 0 {
        return None;
    }
    Some(local.format("%Y-%m-%d %H:%M:%S %:z").to_string())
}

/// What a time claim means at `now`: "expires in 4m 12s", "expired 3m ago", "issued 2m ago".
pub fn time_phrase(claim: &str, t: i64, now: i64) -> String {
    let diff = t - now;
    let span = human_duration(diff.unsigned_abs());
    if diff == 0 {
        return match claim {
            "exp" => "expires right now".to_string(),
            "iat" => "issued just now".to_string(),
            _ => "now".to_string(),
        };
    }
    match (claim, diff >= 0) {
        ("exp", true) => format!("expires in {span}"),
        ("exp", false) => format!("expired {span} ago"),
        ("nbf", true) => format!("not valid for another {span}"),
        ("nbf", false) => format!("valid since {span} ago"),
        ("iat", true) => format!("issued {span} in the future"),
        ("iat", false) => format!("issued {span} ago"),
        (_, true) => format!("in {span}"),
        (_, false) => format!("{span} ago"),
    }
}

/// The registered time claims of a payload, each as JSON with readable forms.
pub fn times(payload: &serde_json::Map<String, Value>, now: i64) -> Vec<(String, Value)> {
    ["iat", "nbf", "exp"]
        .into_iter()
        .filter_map(|claim| {
            let raw = payload.get(claim)?;
            let Some(t) = numeric_time(raw) else {
                return Some((
                    claim.to_string(),
                    json!({ "value": raw, "problem": "not a number of seconds" }),
                ));
            };
            let millis = t > MILLIS_THRESHOLD;
            let seconds = if millis { t / 1000 } else { t };
            Some((
                claim.to_string(),
                json!({
                    "unix": t,
                    "utc": utc(t),
                    "local": local(t),
                    "relative": time_phrase(claim, t, now),
                    "looks_like_milliseconds": millis,
                    "as_milliseconds_utc": if millis { utc(seconds) } else { None },
                }),
            ))
        })
        .collect()
}

/// One line per time claim for text output.
pub fn time_lines(payload: &serde_json::Map<String, Value>, now: i64) -> Vec<String> {
    times(payload, now)
        .into_iter()
        .map(|(claim, info)| {
            if let Some(problem) = info.get("problem").and_then(Value::as_str) {
                return format!("  {claim:<4} {}  ({problem})", info["value"]);
            }
            let mut line = format!(
                "  {claim:<4} {:<11} {}",
                info["unix"],
                info["utc"].as_str().unwrap_or("(out of range)")
            );
            if let Some(local) = info["local"].as_str() {
                line.push_str(&format!("  ({local})"));
            }
            line.push_str(&format!("  {}", info["relative"].as_str().unwrap_or_default()));
            if let Some(ms) = info["as_milliseconds_utc"].as_str() {
                line.push_str(&format!(
                    "\n       looks like milliseconds, not seconds: as milliseconds it is {ms}"
                ));
            }
            line
        })
        .collect()
}
