//! A token's verdict in one line: what the vendor answered and when, where it was issued and
//! how far that server's clock was off, and the doctor's first error.

use super::case::{Outcome, Request, TokenCase};
use super::find::Kind;
use crate::doctor::Severity;

/// A Date header has whole seconds and the answer takes a moment: less than this apart is
/// in step.
pub const SKEW_NOTICED: i64 = 5;

/// `14:03:12 UTC`.
pub fn clock(t: i64) -> String {
    crate::time::utc(t).and_then(|s| s.split_once(' ').map(|(_, time)| time.to_string())).unwrap_or_default()
}

/// `its clock 6m 2s ahead`, or `its clock in step`.
pub fn skew_words(skew: i64) -> String {
    if skew.abs() < SKEW_NOTICED {
        return "its clock in step".to_string();
    }
    let how = if skew > 0 { "ahead" } else { "behind" };
    format!("its clock {} {how}", crate::time::human_duration(skew.unsigned_abs()))
}

/// `host/path` of a request.
pub fn place(r: &Request) -> String {
    r.url.split("://").nth(1).unwrap_or(&r.url).to_string()
}

/// The one-line verdict.
pub fn verdict(token: &TokenCase, requests: &[Request]) -> String {
    let what = match &token.kind {
        Kind::Jwt => "token".to_string(),
        Kind::Hash { field } => format!("{field} hash"),
    };
    let vendor = token.vendor.as_ref().map_or_else(|| format!("A {what}"), |v| format!("{} {what}", v.name));
    let mut parts = vec![answer(token, requests)];
    if let Some(issued) = token.issued.and_then(|r| requests.get(r)) {
        let mut words = format!("issued by {}", place(issued));
        if let Some(at) = issued.at {
            words.push_str(&format!(" at {}", clock(at)));
        }
        if let Some(skew) = token.skew {
            words.push_str(&format!(", {}", skew_words(skew)));
        }
        parts.push(words);
    }
    parts.push(findings(token));
    format!("{vendor}: {}", parts.join("; "))
}

fn answer(token: &TokenCase, requests: &[Request]) -> String {
    let Some(last) = token.used.last().and_then(|r| requests.get(*r)) else {
        return "never sent to the vendor in this HAR".to_string();
    };
    let at = last.at.map(|t| format!(" at {}", clock(t))).unwrap_or_default();
    let status = match last.status {
        0 => "no answer".to_string(),
        n => format!("{n} {}", last.status_text).trim_end().to_string(),
    };
    let verb = match token.outcome {
        Outcome::Refused => "refused with",
        _ => "answered",
    };
    format!("{verb} {status}{at} by {}", place(last))
}

fn findings(token: &TokenCase) -> String {
    let Some(report) = &token.report else {
        return match (&token.kind, &token.vendor) {
            (Kind::Hash { .. }, Some(_)) => {
                "the identifier it was made of is not next to it: check it with tokensmith doctor --hash"
                    .to_string()
            }
            _ => "not judged: no profile fits it".to_string(),
        };
    };
    // An unchecked signature (no key stored) says least about why a vendor refused.
    let codes = |s: Severity| {
        let mut found: Vec<&str> =
            report.findings.iter().filter(|f| f.severity == s).map(|f| f.code).collect();
        found.sort_by_key(|code| *code == "signature.unchecked");
        found
    };
    match (codes(Severity::Error), codes(Severity::Warning)) {
        (errors, _) if !errors.is_empty() => {
            format!("{}: {}", count(errors.len(), "error"), errors.join(", "))
        }
        (_, warnings) if !warnings.is_empty() => {
            format!("no error; {}: {}", count(warnings.len(), "warning"), warnings.join(", "))
        }
        _ => "the doctor finds nothing wrong".to_string(),
    }
}

/// `1 token`, `2 tokens`.
pub fn count(n: usize, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{n} {what}s") }
}

/// Issued and used, in HAR order: time, method, place, where in it, the answer.
pub fn timeline(token: &TokenCase, requests: &[Request]) -> Vec<String> {
    token
        .sightings
        .iter()
        .filter_map(|s| {
            let r = requests.get(s.request)?;
            let at = r.at.map_or_else(|| "--:--:--".to_string(), clock);
            let what = match s.direction {
                super::find::Direction::Received => "issued:",
                super::find::Direction::Sent => "used:  ",
            };
            let answer = match (r.status, &r.error) {
                (0, _) => "no answer".to_string(),
                (n, Some(body)) => format!("{n} {}: {}", r.status_text, super::redact::scrub(body)),
                (n, None) => format!("{n} {}", r.status_text).trim_end().to_string(),
            };
            Some(format!("{what} {at} {} {} ({}) → {answer}", r.method, place(r), s.place))
        })
        .collect()
}
