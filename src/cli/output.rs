//! Text and JSON renderings of core values for the command line.

use chrono::{Local, TimeZone as _};
use serde::Serialize;
use serde_json::{Value, json};

use tokensmith::time::{human_duration, utc};
use tokensmith::time_rules::{Reading, Times, gap};

use super::CliError;

pub fn print_json(value: &impl Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::usage(format!("cannot write JSON: {e}")))?;
    // JSON-escaped, so a claim's bidi or C1 characters stay JSON (`\u202e`) and inert.
    println!("{}", tokensmith::text::json(&text));
    Ok(())
}

/// Pretty JSON for text output, with unsafe characters as `\uXXXX` escapes.
pub fn pretty(value: &impl Serialize) -> String {
    tokensmith::text::json(&serde_json::to_string_pretty(value).unwrap_or_default()).into_owned()
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
    let span = human_duration(if t >= now { gap(t, now) } else { gap(now, t) });
    if t == now {
        return match claim {
            "exp" => "expires right now".to_string(),
            "iat" => "issued just now".to_string(),
            _ => "now".to_string(),
        };
    }
    match (claim, t >= now) {
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
    let times = Times::read(payload);
    times
        .present()
        .map(|claim| {
            let name = claim.name;
            let raw = payload.get(name).cloned().unwrap_or(Value::Null);
            let info = match &claim.reading {
                Reading::NotNumeric { .. } => json!({ "value": raw, "problem": "not a number of seconds" }),
                Reading::OutOfRange { .. } => {
                    json!({ "value": raw, "problem": "out of range: no date, in seconds or in milliseconds" })
                }
                Reading::Milliseconds { millis } => json!({
                    "unix": millis,
                    "utc": null,
                    "local": null,
                    "relative": "looks like milliseconds, not seconds",
                    "looks_like_milliseconds": true,
                    "as_milliseconds_utc": utc(millis / 1000),
                }),
                Reading::Seconds { secs } | Reading::Fraction { secs, .. } => json!({
                    "unix": raw,
                    "utc": utc(*secs),
                    "local": local(*secs),
                    "relative": time_phrase(name, *secs, now),
                    "looks_like_milliseconds": false,
                    "as_milliseconds_utc": null,
                }),
            };
            (name.to_string(), info)
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
            // Milliseconds: said once, with the date it would be.
            if let Some(ms) = info["as_milliseconds_utc"].as_str() {
                return format!(
                    "  {claim:<4} {:<11} looks like milliseconds, not seconds: as milliseconds it is {ms}",
                    info["unix"]
                );
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
            line
        })
        .collect()
}
